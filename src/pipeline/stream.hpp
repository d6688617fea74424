#pragma once
// Stream<S, T>: one record stream of a recipe (a source, a target, how records resolve, hash and
// link to a parent), and the record protocol every flow runs over it, written once:
//
//   write(record): binding (this page's first, then the store's) -> stale-copy rule on the
//   record's version -> the recipe's intent (write, close, not yet, never) -> parent link ->
//   resolve (kUnresolved parks) -> content hash (unchanged: skipped, no audit row) -> create
//   (a pending binding first; after an uncertain create the target is searched by the source key,
//   or the record parked where the target cannot be searched), update or close -> audit with both
//   refs -> heal the record's open letter -> children (refunds of an order).
//   An update the target refuses as locked (ErrorCode::kLocked: a shipped order) is recorded as a
//   difference instead (Page::differ), once per content; a record agreeing again clears it.
//
//   poll(): the page loop. Reads from the stream's stored position, writes or parks every record
//   of a batch, then commits the batch's bindings, audit, letters and the new position together
//   (page.hpp). The cursor never passes an unwritten record: every record of a batch is resolved
//   (written, skipped or parked) before its position is stored, asserted below.
//
//   replay(): reads the parked record again from the source (get(ref)) and writes it.
//
// The stale-copy rule (one rule for every source; the two runners disagreed before): a copy older
// than the version already written by more than the source's version_tolerance() is skipped
// (late or out-of-order delivery); with an exact source (tolerance 0) the very version already
// written is skipped too, without resolving it again. ShipStation's offset-free Pacific times
// declare one hour (the fall-back overlap); copies inside it go on to the content hash.
//
// Lifecycle: built once per flow by its recipe; lives with the flow. Thread safety: none (the
// engine serialises runs of a flow). Ownership: borrows the source and target.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/assert.hpp"
#include "common/time.hpp"
#include "connectors/connector.hpp"
#include "engine/flow_runner.hpp"
#include "pipeline/page.hpp"

namespace mlc::pipeline {

// What the recipe wants done with a record before anything is resolved.
struct Intent {
    enum Kind {
        kWrite,   // Create or update it.
        kClose,   // The source cancelled it: close it in the target if it is there.
        kNotYet,  // Not for the target unless already written there (an unpaid order).
        kNever,   // Nothing to write, written or not (a voided label).
    };
    Kind kind = kWrite;
    std::string reason;  // For kClose/kNotYet/kNever: why, in the audit detail.
};

// poll() keeps one resolver (and the lookups it cached: parts, customers) across the pages of a
// run, and builds a new one after kResolverPagesMax pages or kResolverLifetime on the run's clock,
// whichever comes first: what it caches stays bounded, and a part or customer made (or changed)
// in the target meanwhile is seen within that time. write_all() and replay() build one per call.
inline constexpr std::size_t kResolverPagesMax = 20;
inline constexpr std::chrono::minutes kResolverLifetime{5};

// kDiffers: the target keeps the record locked (ErrorCode::kLocked): a difference is recorded
// (page.hpp, Page::differ), the record is neither parked nor retried.
enum class Outcome { kCreated, kUpdated, kClosed, kSkipped, kParked, kStillParked, kDiffers };

// Adds one outcome to the run's summary, under the stream's name too.
void tally(engine::RunSummary& summary, const std::string& stream, Outcome outcome);
// In a dry run, notes what the record would get in the run's plan (nothing for skips).
void plan(engine::RunSummary& summary, const std::string& stream, Outcome outcome,
          const std::string& label, const std::string& target, const std::string& why);

template <typename S, typename T>
struct Stream {
    std::string name = {};       // Cursor and replay stream ("orders").
    std::string system = {};     // Binding and letter system ("shipstation").
    std::string direction = {};  // Audit direction ("shipstation->epicor").
    connectors::Source<S>* source = nullptr;
    connectors::Target<T>* target = nullptr;
    // A resolver (lookups cached for its life): poll() keeps one across pages within
    // kResolverPagesMax / kResolverLifetime; a mapping changed by a reload gets a new runner.
    std::function<std::unique_ptr<connectors::Resolver<S, T>>()> resolver = {};
    std::function<std::string(const T&)> hash = {};
    std::function<Intent(const S&)> intent = {};  // Empty: always kWrite.
    // The source key as the target stores it (find_by_source); empty: SourceIdentity::key.
    std::function<std::string(const S&)> target_key = {};
    // Parent link: the binding (parent_system, parent_key(record)) must be confirmed; its target
    // id reaches the resolver. parent_missing says what to do when it is not (kUnresolved).
    std::string parent_system = {};
    std::function<std::string(const S&)> parent_key = {};
    std::function<Error(const S&)> parent_missing = {};
    // Runs after the record is written or found unchanged, with its target id (children).
    std::function<Result<void>(const connectors::Record<S>&, const std::string&, Page&,
                               engine::RunSummary&)>
        children = {};
    // After a record is written: what a person must still do about it (a voided label reversed
    // in the target as far as its API allows), raised as the alert "<name>:<flow>:<key>" naming
    // the record and the target record; empty: nothing.
    std::function<std::string(const S&, const T&)> alert = {};
    std::uint32_t pages_per_run = 100;
};

// A stream's resolver from a plain function (record, parent id) -> what the target writes, for
// transforms that look nothing up (a shipment -> its tracking write): no cache to renew per page.
template <typename S, typename T>
std::function<std::unique_ptr<connectors::Resolver<S, T>>()> resolve_with(
    std::function<Result<T>(const S&, const std::string&)> fn) {
    class Fn final : public connectors::Resolver<S, T> {
      public:
        explicit Fn(const std::function<Result<T>(const S&, const std::string&)>& fn) : fn_(fn) {}
        Result<T> resolve(const S& record, const std::string& parent) override {
            return fn_(record, parent);
        }

      private:
        const std::function<Result<T>(const S&, const std::string&)>& fn_;
    };
    auto shared =
        std::make_shared<std::function<Result<T>(const S&, const std::string&)>>(std::move(fn));
    return [shared] {
        return std::unique_ptr<connectors::Resolver<S, T>>(std::make_unique<Fn>(*shared));
    };
}

template <typename S, typename T>
class StreamWriter {
  public:
    explicit StreamWriter(Stream<S, T>& stream) : s_(stream) {}

    // One record, parked on a kPark error. Other errors are returned (the run ends there).
    Result<Outcome> handle(const connectors::Record<S>& record, Page& page,
                           connectors::Resolver<S, T>& resolver, engine::RunSummary& summary);
    // One record, no parking (replay reports the error instead).
    Result<Outcome> write(const connectors::Record<S>& record, Page& page,
                          connectors::Resolver<S, T>& resolver, engine::RunSummary& summary);

  private:
    using Identity = connectors::SourceIdentity;
    std::optional<std::string> stale(const Identity& id, const store::Binding& binding) const;
    Outcome written_once(const Identity& id, store::Binding binding, Page& page);
    Result<std::string> parent(const S& record, Page& page);
    Result<Outcome> put(const connectors::Record<S>& record, const Identity& id, const T& out,
                        const std::string& hash, std::optional<store::Binding> binding, Page& page);
    Result<Outcome> create(const S& record, const Identity& id, const T& out,
                           const std::string& hash, Page& page);
    Result<Outcome> close(const S& record, const Identity& id, store::Binding binding,
                          const Intent& intent, Page& page);
    Result<void> children(const connectors::Record<S>& record, const std::string& target_id,
                          Page& page, engine::RunSummary& summary);
    std::string target_key(const S& record, const Identity& id) const {
        return s_.target_key ? s_.target_key(record) : id.key;
    }
    void confirm(store::Binding& binding, const Identity& id, std::string hash) const;
    void alert(const S& record, const Identity& id, const T& out, const std::string& target_id,
               Page& page) const;

    Stream<S, T>& s_;
};

// The page loop every stream shares: reads batches from the stored position, hands each to
// `write_batch(batch, page)` (every record written, skipped or parked, or an Error that ends the
// run with what the page wrote kept), parks unreadable records, and commits each page with its
// position; at most pages_per_run pages, checkpoint between them.
template <typename S, typename T, typename WriteBatch>
Result<void> page_loop(Stream<S, T>& stream, engine::RunContext& ctx, OpenLetters& letters,
                       engine::RunSummary& summary, const WriteBatch& write_batch,
                       const std::function<void(Page&)>& caught_up);

// The page loop of one stream; counts into `summary`. `caught_up` runs on the last page before
// it is committed (the inbox events the poll answers are settled there).
template <typename S, typename T>
Result<void> poll(Stream<S, T>& stream, engine::RunContext& ctx, OpenLetters& letters,
                  engine::RunSummary& summary, const std::function<void(Page&)>& caught_up = {});

// Writes records that arrived together (a webhook batch) into `page`, exactly as the poll would;
// the caller commits the page. An Error ends the batch: what `page` holds so far was written.
template <typename S, typename T>
Result<void> write_all(Stream<S, T>& stream, const std::vector<connectors::Record<S>>& records,
                       Page& page, engine::RunSummary& summary);

// The children of `parent` (a Woo order's refunds) through their own stream, whose parent link
// finds the parent's binding in `page`: read only when one of the keys the parent lists has no
// confirmed binding yet, and only those written (at most `max` keys looked at).
template <typename P, typename S, typename T>
Result<void> write_children(Stream<S, T>& stream, connectors::Children<P, S>& children,
                            const P& parent, Page& page, engine::RunSummary& summary,
                            std::size_t max);

// Reads the record `ref` of `stream` again and writes it (no parking: the error is the answer).
template <typename S, typename T>
Result<void> replay(Stream<S, T>& stream, const std::string& ref, engine::RunContext& ctx);

}  // namespace mlc::pipeline

#include "pipeline/stream_impl.hpp"

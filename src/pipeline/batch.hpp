#pragma once
// Batched writes (PIPELINES.md lesson 7): the record protocol of stream.hpp for a target that
// writes many records in one call and answers for each one (connectors::BatchTarget, such as
// Woo's POST /products/batch). The rules are StreamWriter's; only the writes are gathered:
//
//   per record: binding (this page's first, then the store's) -> stale-copy rule -> resolve
//   (kPark errors park) -> content hash (unchanged: skipped and healed, no audit row).
//   per batch:
//     * lookups by target key (find_all, batch_max() keys a call): pending bindings (a create
//       whose answer was lost: found -> completed by an update and counted created, else created)
//       and, for a target that adopts(), every unbound record (found -> taken over, updated);
//     * a record found under a target id that another key of the stream is bound to is parked
//       (kConflict naming both): the target keeps one record per key and cannot hold both;
//     * the creates' pending bindings are committed before the call; then one write() per
//       batch_max() records, creates and updates together;
//     * per outcome: written -> bound, audited, healed; a create refused as a duplicate
//       (kConflict) or an update of a record gone (kNotFound) is looked up and written once more
//       (found: updated; else created, or parked when the create was refused); other record
//       errors park; an error no record causes ends the run, keeping what was written.
//     * a record the target refuses as locked (ErrorCode::kLocked: a shipped order) is recorded
//       as a difference (Page::differ: audit, store::Difference, listed by `mlc differences`),
//       not parked; the same content read again is not sent again, and the record agreeing with
//       the target again (back at what the binding holds, or written) clears it;
//   Two records of one batch with the same target key: the later one waits for the first one's
//   write and is then looked up (so it meets the first one's record, not a second create).
//
// A record whose intent is not a plain write (close it, not yet, never) goes through the
// one-record writer (StreamWriter) in its place in the page: a cancel is one Target::close.
// poll_batched() is poll()'s page loop with this writer; replay_batched() is replay(). Batched
// streams have no parent link or children, and write to a target that updates (asserted).
//
// Lifecycle: a writer per page (poll) or per replay. Thread safety: none (one run is one thread).
// Ownership: borrows the stream, its target and the page.

#include <algorithm>
#include <map>
#include <set>

#include "pipeline/stream.hpp"

namespace mlc::pipeline {

template <typename S, typename T>
class BatchWriter {
  public:
    // `parks`: kPark errors become dead letters (poll); else they are returned (replay).
    BatchWriter(Stream<S, T>& stream, connectors::BatchTarget<T>& target, bool parks)
        : s_(stream), target_(target), parks_(parks) {}

    // Writes `records` into `page`, counting into `summary`. An Error ends the batch: what
    // `page` holds so far was written.
    Result<void> write(const std::vector<connectors::Record<S>>& records, Page& page,
                       connectors::Resolver<S, T>& resolver, engine::RunSummary& summary);

  private:
    enum class How { kCreate, kUpdate, kRecover, kAdopt, kRecreate };
    struct Op {
        const connectors::Record<S>* record = nullptr;
        connectors::SourceIdentity id = {};
        std::optional<store::Binding> binding = {};
        std::optional<T> out = {};
        std::string hash = {};
        std::string key = {};        // Where the target finds it (Stream::target_key).
        std::string target_id = {};  // Empty: a create.
        How how = How::kCreate;
        std::optional<Error> refused = {};  // The target refused creating it as a duplicate.
    };
    using Ops = std::vector<Op>;

    Result<void> one_by_one(const connectors::Record<S>& record, Page& page,
                            connectors::Resolver<S, T>& resolver, engine::RunSummary& summary);
    Result<std::optional<Op>> plan(const connectors::Record<S>& record, Page& page,
                                   connectors::Resolver<S, T>& resolver,
                                   engine::RunSummary& summary);
    bool stale(const Op& op, Page& page) const;
    Result<Ops> look_up(Ops ops, Page& page, engine::RunSummary& summary);
    Result<void> place(Op& op, const std::optional<std::string>& found, Page& page,
                       engine::RunSummary& summary, Ops& ready);
    Result<std::optional<std::string>> owner(const std::string& target_id, Page& page) const;
    Result<void> send(Ops ops, Page& page, engine::RunSummary& summary, Ops* retry);
    Result<void> note_pending(const Ops& ops, Page& page) const;
    Result<void> settle(Op& op, Result<std::string> outcome, Page& page,
                        engine::RunSummary& summary, Ops* retry, std::optional<Error>& fatal);
    void done(const Op& op, const std::string& target_id, Page& page, engine::RunSummary& summary);
    Result<void> refuse(const Op& op, Error error, Page& page, engine::RunSummary& summary) const;
    void differ(const Op& op, Error error, Page& page, engine::RunSummary& summary) const;
    static bool creates(How how) {
        return how == How::kCreate || how == How::kRecover || how == How::kRecreate;
    }
    std::string what(const Op& op) const;

    Stream<S, T>& s_;
    connectors::BatchTarget<T>& target_;
    bool parks_;
    std::map<std::string, std::string> written_;  // Target id -> source key, this page.
};

// The page loop of a batched stream: poll() with BatchWriter (stream.hpp, "poll()").
template <typename S, typename T>
Result<void> poll_batched(Stream<S, T>& stream, connectors::BatchTarget<T>& target,
                          engine::RunContext& ctx, OpenLetters& letters,
                          engine::RunSummary& summary);

// Reads the record `ref` again and writes it through `target` (no parking: the error is the
// answer), as replay() does.
template <typename S, typename T>
Result<void> replay_batched(Stream<S, T>& stream, connectors::BatchTarget<T>& target,
                            const std::string& ref, engine::RunContext& ctx);

}  // namespace mlc::pipeline

#include "pipeline/batch_impl.hpp"

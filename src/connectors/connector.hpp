#pragma once
// The vendor-free seams every connector implements, so the pipeline (src/pipeline) moves any
// source into any target the same way (ARCHITECTURE.md: "a new pair of systems is a recipe, not
// new mapping code"). Vendor JSON stops behind these: a flow sees model records only.
//
//  * Record<T>: a canonical record plus the vendor JSON it came from, kept for dead letters and
//    audit (a person fixing a parked record sees what the vendor sent).
//  * RejectedRecord: a vendor record that could not be mapped to the model (bad date, bad money):
//    listed beside the batch's good records so the pipeline parks it and the cursor still moves.
//  * Source<T>: a stream read from an opaque position (a time cursor, an "SysRevID|key" keyset, a
//    NextToken) one Batch at a time through a Scan; get(replay key) for replay; identify() says
//    how the pipeline keys, versions and names a record (the stale-copy rule reads the version).
//  * Target<T>: find_by_source / create / update / close, and whether the target can be searched
//    by the source key (the pipeline never repeats an uncertain create on one that cannot).
//  * Resolver<S, T>: a source record -> what the target writes (customer, SKU -> part, GL
//    account); a failure is kUnresolved naming the record and the fix.
//  * Children<P, C>: records that hang off a parent (refunds of an order): which exist, and how
//    to read them when some are not written yet.
//
// Pure interfaces and value types; no I/O here. Thread safety: value types are plain values;
// implementations state their own (the pipeline calls one flow's seams from one thread).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/result.hpp"
#include "model/model.hpp"

namespace mlc::connectors {

template <typename T>
struct Record {
    T value;
    std::string raw;  // The vendor's JSON for this one record, numbers as the vendor wrote them.
};

struct RejectedRecord {
    std::string key;  // The vendor's key when it could be read ("order 100123"), else empty.
    std::string raw;  // The vendor's JSON for the record.
    Error error;      // Why it could not be mapped (kInvalidInput): what to fix.
};

template <typename T>
struct Page {
    std::vector<Record<T>> items;
    std::vector<RejectedRecord> rejected;
    std::uint64_t total = 0;  // Records matching the query over all pages, when the vendor says.
    std::uint32_t page = 1;   // This page's number (1-based).
    bool more = false;        // Whether another page follows.
    std::uint32_t next_page = 0;  // The page to ask for when `more`.
};

// "Everything changed at or after `since`", one page at a time: the request of time-cursor
// sources (ShipStation modifyDate, Woo date_modified).
struct ChangedSince {
    UtcTime since{};
    std::uint32_t page = 1;
};

// One batch of a scan. `position` is where the stream stands once every record of this batch
// (and of the batches before it) is written or parked: the pipeline stores it in the same commit.
// Empty: the stream has not moved (an empty first page).
template <typename T>
struct Batch {
    std::vector<Record<T>> items;
    std::vector<RejectedRecord> rejected;
    std::string position;
    bool more = false;  // Another batch follows in this pass.
};

// How the pipeline names one source record.
struct SourceIdentity {
    std::string key;     // Binding and dead-letter key, unique in the stream ("SS-1001").
    std::string ref;     // Audit reference ("shipstation:order:123:SS-1001").
    std::string replay;  // What Source::get() needs to read it again ("123").
    std::string label;   // For people: "ShipStation order 1001 (orderKey SS-1001)".
    std::optional<UtcTime> version;  // When the source last changed it (stale-copy rule).
};

// One pass over a stream, batch by batch. Lifecycle: one per run of a stream.
template <typename T>
class Scan {
  public:
    virtual ~Scan() = default;
    virtual Result<Batch<T>> next() = 0;
};

template <typename T>
class Source {
  public:
    virtual ~Source() = default;
    // The system the records come from, as bindings and dead letters name it ("shipstation").
    virtual std::string system() const = 0;
    // Records changed after `position` (empty: from the stream's configured start).
    virtual Result<std::unique_ptr<Scan<T>>> scan(const std::string& position) = 0;
    // The record again by SourceIdentity::replay; nullopt when the source no longer has it.
    virtual Result<std::optional<Record<T>>> get(const std::string& replay) = 0;
    virtual SourceIdentity identify(const T& record) const = 0;
    // How far a version can read behind the truth (ShipStation V1's offset-free Pacific times:
    // one hour in the fall-back overlap). Zero: versions are exact, and an equal version is the
    // copy already written.
    virtual std::chrono::seconds version_tolerance() const { return std::chrono::seconds{0}; }
};

template <typename T>
class Target {
  public:
    virtual ~Target() = default;
    // The system written, for audit ("epicor").
    virtual std::string system() const = 0;
    // The audit reference of target id `id` ("epicor:SalesOrder:5001").
    virtual std::string ref(const std::string& id) const = 0;
    // Whether find_by_source() finds what create() wrote. Where it cannot, the pipeline never
    // repeats an uncertain create: it parks the record for a person to check.
    virtual bool searchable_by_source() const { return true; }
    // Whether a record written once is brought up to date when the source changes (a staging
    // row a person reviews is written once).
    virtual bool updates() const { return true; }
    // The target's id of the record created for `source_key`; nullopt when there is none.
    virtual Result<std::optional<std::string>> find_by_source(const std::string& source_key) = 0;
    // Creates it, with the source key where find_by_source() looks; returns the target's id.
    virtual Result<std::string> create(const T& record) = 0;
    virtual Result<void> update(const std::string& id, const T& record) = 0;
    // Cancels or voids what the source cancelled.
    virtual Result<void> close(const std::string& id) = 0;
    // One line for the audit trail: what create/update wrote ("customer C1, 3 lines").
    virtual std::string describe(const T& record) const = 0;
};

// A source record -> the record the target writes. `parent_id`: the target id of the record's
// parent when the stream has a parent link (a shipment's order), else empty. kUnresolved (the
// pipeline parks) names the record and the fix; other errors are the target's and end the run.
template <typename S, typename T>
class Resolver {
  public:
    virtual ~Resolver() = default;
    virtual Result<T> resolve(const S& record, const std::string& parent_id) = 0;
};

// What one verified webhook delivery means for a stream (the push path, ARCHITECTURE.md).
template <typename T>
struct Decoded {
    std::optional<Record<T>> record = {};  // A record to write like the poll would.
    std::string skip = {};                 // Nothing to write, and why (another topic, deleted).
    std::optional<Error> broken = {};      // Verified but unreadable: parked as a dead letter.
};

// A vendor's webhook payloads -> records. Pure: no I/O (a payload that only points at data is
// followed by the flow, not here).
template <typename T>
class EventDecoder {
  public:
    virtual ~EventDecoder() = default;
    virtual Decoded<T> decode(std::string_view topic, std::string_view body) const = 0;
};

// Records that hang off a parent record (a Woo order's refunds).
template <typename P, typename C>
class Children {
  public:
    virtual ~Children() = default;
    // The child keys the parent says exist (no I/O).
    virtual std::vector<std::string> keys(const P& parent) const = 0;
    // Reads them; called only when some key is not written yet.
    virtual Result<std::vector<Record<C>>> read(const P& parent) = 0;
};

}  // namespace mlc::connectors

namespace mlc::connectors {

// The canonical record types a capability or a recipe stream names (model/model.hpp).
namespace records {
inline constexpr const char* kOrder = "order";
inline constexpr const char* kShipment = "shipment";  // With its tracking.
inline constexpr const char* kItem = "item";          // A part, a product.
inline constexpr const char* kCustomer = "customer";
inline constexpr const char* kRefund = "refund";
inline constexpr const char* kSettlement = "settlement";  // A marketplace payout with its lines.
inline constexpr const char* kJournal = "journal";        // A GL journal entry.
}  // namespace records

// What a connector can do with one record type of its system, declared next to its client
// (<system>_capabilities.hpp) and listed by `mlc recipes`: read = it can be a Source of that
// record, write = a Target. `object` is the vendor's name for it; `note` says how, or "planned"
// when no recipe uses it yet.
struct Capability {
    std::string system = {};  // As in mlc.yaml connections: "shipstation".
    std::string record = {};  // One of records::k*.
    std::string object = {};  // "orders (createorder by orderKey)".
    bool read = false;
    bool write = false;
    std::string note = {};
};

}  // namespace mlc::connectors

namespace mlc::connectors {

// One write of a batch: an update of target id `id`, or a create when `id` is empty.
template <typename T>
struct BatchWrite {
    std::string id = {};
    const T* record = nullptr;
};

// A target that writes many records in one call (Woo's POST /products/batch) and answers for each
// one (PIPELINES.md lesson 7: one bad record must not send the good ones again). The pipeline's
// batched writer (pipeline/batch.hpp) drives it; Target's one-record calls are batches of one.
template <typename T>
class BatchTarget : public Target<T> {
  public:
    // Writes per write() call and keys per find_all() call.
    virtual std::size_t batch_max() const = 0;
    // True: a record the target already holds under the source key (made by a person, another
    // system) is looked up and taken over before a create (Woo customers by e-mail). False: only
    // after a create is refused as a duplicate (kConflict).
    virtual bool adopts() const { return false; }
    // The target id held for each source key (at most batch_max()), in the keys' order; nullopt
    // where there is none.
    virtual Result<std::vector<std::optional<std::string>>> find_all(
        const std::vector<std::string>& source_keys) = 0;
    // Up to batch_max() writes. One outcome per write, in order: the target's id, or why the
    // target refused that one (kConflict: a create whose source key it already holds; kNotFound:
    // an update of a record no longer there; an error no record causes, such as kTransient, for
    // writes never sent). An Error: the call as a whole failed and nothing is known.
    virtual Result<std::vector<Result<std::string>>> write(
        const std::vector<BatchWrite<T>>& writes) = 0;

    Result<std::optional<std::string>> find_by_source(const std::string& source_key) override {
        MLC_TRY(auto found, find_all({source_key}));
        return found.empty() ? std::nullopt : found.front();
    }
    Result<std::string> create(const T& record) override {
        return one({.id = {}, .record = &record});
    }
    Result<void> update(const std::string& id, const T& record) override {
        MLC_TRY(std::string written, one({.id = id, .record = &record}));
        (void)written;
        return ok();
    }

  private:
    Result<std::string> one(const BatchWrite<T>& write) {
        MLC_TRY(auto outcomes, this->write({write}));
        if (outcomes.size() != 1) {
            return make_error(
                ErrorCode::kInvalidInput, this->system(),
                "a batch of one write answered " + std::to_string(outcomes.size()) + " outcomes");
        }
        return std::move(outcomes.front());
    }
};

}  // namespace mlc::connectors

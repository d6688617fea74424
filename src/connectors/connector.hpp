#pragma once
// Small, generic shapes every connector shares, so a flow reads any source and writes any target
// the same way (ARCHITECTURE.md: "a new pair of systems is a recipe, not new mapping code").
//
//  * Record<T>: a canonical record plus the vendor JSON it came from, kept for dead letters and
//    audit (a person fixing a parked record sees what the vendor sent).
//  * RejectedRecord: a vendor record that could not be mapped to the model (bad date, bad money):
//    listed beside the page's good records so the flow parks it and the cursor still moves.
//  * Page<T>: one page of a paged listing. `more` says whether to ask for `next_page`.
//  * Source<T> / Target<T>: the interfaces a flow drives. A connector client may implement them
//    directly or through a thin adapter; they carry no vendor detail.
//
// Value types and pure interfaces; no I/O here. Thread safety: the value types are plain values;
// implementations of Source/Target state their own.

#include <cstdint>
#include <optional>
#include <string>
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

// "Everything changed at or after `since`", one page at a time.
struct ChangedSince {
    UtcTime since{};
    std::uint32_t page = 1;
};

template <typename T>
class Source {
  public:
    virtual ~Source() = default;
    virtual Result<Page<T>> list_changed(const ChangedSince& request) = 0;
};

template <typename T>
class Target {
  public:
    virtual ~Target() = default;
    // The target's id of the record created from `source`, looked up by the source key the
    // target stores (no duplicates after an uncertain write); nullopt when there is none.
    virtual Result<std::optional<std::string>> find_by_source(const model::SourceRef& source) = 0;
    // Creates or updates; returns the target's id.
    virtual Result<std::string> upsert(const T& record) = 0;
};

}  // namespace mlc::connectors

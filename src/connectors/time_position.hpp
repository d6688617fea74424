#pragma once
// Time positions: the stream position of sources read "changed since a time" (ShipStation
// modifyDate, Woo date_modified). The position is the newest change time written so far
// (ISO-8601 UTC); a scan reads from it minus an overlap (records changed while the last run read
// are seen again; the pipeline's stale-copy rule and content hash make that harmless), and the
// position only ever moves forward: a scan starts its newest time at the stored one.
//
// Value types and pure functions; no I/O.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "connectors/connector.hpp"

namespace mlc::connectors {

struct TimeWindow {
    UtcTime start{};                  // Where the first-ever read starts.
    std::chrono::seconds overlap{0};  // How far back each later read looks.
};

// The newest change time seen by one scan, never behind the stored position.
class TimePosition {
  public:
    // kInvalidInput when `stored` is not an ISO-8601 time.
    static Result<TimePosition> from(const std::string& stored, const TimeWindow& window) {
        TimePosition out;
        out.read_from_ = window.start;
        if (stored.empty()) return out;
        MLC_TRY_CTX(UtcTime at, parse_iso8601(stored), "while reading a stored time position");
        out.newest_ = at;
        out.read_from_ = at - window.overlap;
        return out;
    }
    UtcTime read_from() const { return read_from_; }
    void saw(UtcTime at) {
        if (!newest_ || at > *newest_) newest_ = at;
    }
    // Empty until anything was seen or stored.
    std::string value() const { return newest_ ? format_iso8601(*newest_) : std::string(); }

  private:
    UtcTime read_from_{};
    std::optional<UtcTime> newest_;
};

// One pass of a time-positioned listing read page by page: `List(from, page)` answers a
// Page<T>, `TimeOf(record)` its change time.
template <typename T, typename List, typename TimeOf>
class TimeScan final : public Scan<T> {
  public:
    TimeScan(TimePosition position, List list, TimeOf time_of)
        : position_(position), list_(std::move(list)), time_of_(std::move(time_of)) {}
    Result<Batch<T>> next() override {
        MLC_TRY(Page<T> page, list_(position_.read_from(), page_));
        Batch<T> batch{.items = std::move(page.items),
                       .rejected = std::move(page.rejected),
                       .position = {},
                       .more = page.more};
        for (const auto& record : batch.items) position_.saw(time_of_(record.value));
        batch.position = position_.value();
        page_ = page.more && page.next_page > page_ ? page.next_page : page_ + 1;
        return batch;
    }

  private:
    TimePosition position_;
    List list_;
    TimeOf time_of_;
    std::uint32_t page_ = 1;
};

template <typename T, typename List, typename TimeOf>
Result<std::unique_ptr<Scan<T>>> time_scan(const std::string& stored, const TimeWindow& window,
                                           List list, TimeOf time_of) {
    MLC_TRY(TimePosition position, TimePosition::from(stored, window));
    return std::unique_ptr<Scan<T>>(
        std::make_unique<TimeScan<T, List, TimeOf>>(position, std::move(list), std::move(time_of)));
}

}  // namespace mlc::connectors

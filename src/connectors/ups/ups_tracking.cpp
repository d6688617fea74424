#include "connectors/ups/ups_tracking.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "common/time.hpp"

namespace mlc::connectors::ups {
namespace {

// A range starting right at 7 days back may be past it by the time UPS reads it.
constexpr std::chrono::minutes kRangeMargin{5};
// The position stays at least this far behind the scan's "now": an event filed in the very second
// a scan reads may be missed by it, so that second is read again next time (a package handed out
// twice is written once: the pipeline compares it with what was written).
constexpr std::chrono::seconds kPositionMargin{1};

Record<model::TrackingEvent> record_of(const TrackedPackage& package) {
    return {.value = tracking_event(package), .raw = package.raw};
}

class QuantumViewScan final : public Scan<model::TrackingEvent> {
  public:
    QuantumViewScan(UpsClient& client, std::optional<UtcTime> after, UtcTime begin, UtcTime until,
                    UtcTime next_position)
        : client_(client),
          after_(after),
          begin_(begin),
          until_(until),
          next_position_(next_position) {}

    Result<Batch<model::TrackingEvent>> next() override {
        if (++pages_ > kQuantumViewPagesMax) {
            return make_error(ErrorCode::kTransient, std::string(kSystem),
                              "Quantum View answered more than " +
                                  std::to_string(kQuantumViewPagesMax) +
                                  " pages in one scan: the next run goes on from the last stored "
                                  "position");
        }
        MLC_TRY_CTX(QuantumViewPage page, client_.quantum_view(begin_, until_, bookmark_),
                    "while reading UPS Quantum View events");
        Batch<model::TrackingEvent> batch;
        for (const std::string& number : page.tracking_numbers) {
            if (!seen_.insert(number).second) continue;
            MLC_TRY(auto package, client_.track_package(number));
            // Unknown now (rolled off), or older than the stored position. A package whose newest
            // activity is in the position's own second is handed out again: UPS times are whole
            // seconds, and an event of that second may have been filed after the scan that stored
            // the position read it (the pipeline compares it with what was written).
            if (!package || (after_ && package->at < *after_)) continue;
            batch.items.push_back(record_of(*package));
        }
        // A Bookmark that does not move would read the same page forever.
        batch.more = !page.bookmark.empty() && page.bookmark != bookmark_;
        bookmark_ = std::move(page.bookmark);
        if (!batch.more) batch.position = format_iso8601(next_position_);
        return batch;
    }

  private:
    UpsClient& client_;
    std::optional<UtcTime> after_;
    UtcTime begin_;
    UtcTime until_;
    UtcTime next_position_;
    std::string bookmark_;
    std::set<std::string> seen_;  // Packages already read in this scan.
    std::uint32_t pages_ = 0;
};

}  // namespace

TrackingSource::TrackingSource(UpsClient& client, TrackingSourceOptions options)
    : client_(client), options_(options) {}

Result<std::unique_ptr<Scan<model::TrackingEvent>>> TrackingSource::scan(
    const std::string& position) {
    const UtcTime now = std::chrono::floor<std::chrono::seconds>(client_.clock().now());
    const UtcTime floor = now - kQuantumViewDaysKept + kRangeMargin;
    std::optional<UtcTime> after;
    UtcTime begin =
        now - std::min<std::chrono::hours>(options_.start_lookback, kQuantumViewDaysKept);
    if (!position.empty()) {
        MLC_TRY_CTX(UtcTime stored, parse_iso8601(position),
                    "while reading the stored Quantum View position");
        after = stored;
        begin = stored;
    }
    begin = std::clamp(begin, floor, now);
    // Positions only move forward.
    const UtcTime next =
        std::max(after.value_or(UtcTime{}),
                 now - std::max<std::chrono::seconds>(options_.lag, kPositionMargin));
    return std::unique_ptr<Scan<model::TrackingEvent>>(
        std::make_unique<QuantumViewScan>(client_, after, begin, now, next));
}

Result<std::optional<Record<model::TrackingEvent>>> TrackingSource::get(const std::string& replay) {
    MLC_TRY(auto package, client_.track_package(replay));
    if (!package) return std::optional<Record<model::TrackingEvent>>{};
    return std::optional{record_of(*package)};
}

SourceIdentity TrackingSource::identify(const model::TrackingEvent& record) const {
    return {.key = record.tracking_number,
            .ref = "ups:package:" + record.tracking_number,
            .replay = record.tracking_number,
            .label = "UPS package " + record.tracking_number,
            .version = record.at};
}

}  // namespace mlc::connectors::ups

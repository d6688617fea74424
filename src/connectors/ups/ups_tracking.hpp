#pragma once
// TrackingSource: UPS package tracking as a pipeline source (connector.hpp,
// Source<model::TrackingEvent>), one record per package: its current status, description,
// location, newest activity time (`at`, the version), estimated and delivered dates, keyed by
// tracking number.
//
// How it reads: Quantum View (POST /quantumview/v3/events) says which packages moved (manifest,
// origin scan, exception, delivery events); the Tracking details of each such package (GET
// /track/v1/details/{number}) are the record, in UTC (QV's own times are local without an
// offset). Quantum View is read with a DateTimeRange from the stream's position, never as the
// "unread" feed: an unread read marks events read when UPS hands them out, so a crash between
// that read and the pipeline's commit would lose them. A range read marks nothing, so
//  * the position is a UTC time W (ISO-8601): the scan that stored it had read every event up to
//    W (minus `lag`); the next scan reads [W, now] page by page (base64 Bookmark) and hands out
//    each moved package whose newest activity is not before W (UPS times are whole seconds: a
//    package of W's own second may have moved after the stored scan read it, so it is handed out
//    again, and version_tolerance() of one second makes the pipeline compare it with what was
//    written rather than skip it for its version); older ones are not;
//  * a crash between read and commit leaves W where it was: the next scan reads the same range
//    again and hands the same packages out again (the pipeline skips what was written: same
//    version or same content);
//  * only the scan's last batch carries the new W (earlier batches leave the position where it
//    was: Bookmarks are not kept as positions);
//  * Quantum View keeps 7 days: a position older than that reads from 7 days back (an outage
//    longer than a week loses the events before; get() still reads any package by number).
// get(replay) reads the details by tracking number again, so a parked event replays.
//
// Calls per scan: one QV call per page (50 events) plus one details call per moved package.
//
// Lifecycle: one per flow; borrows the client. Thread safety: one scan at a time (the pipeline
// calls one flow's seams from one thread). Ownership: borrows the client.

#include <chrono>
#include <memory>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/ups/ups_client.hpp"

namespace mlc::connectors::ups {

inline constexpr std::chrono::hours kQuantumViewDaysKept{24 * 7};  // DateTimeRange: 7 days back.
inline constexpr std::uint32_t kQuantumViewPagesMax = 200;  // Pages one scan reads (10,000 events).

struct TrackingSourceOptions {
    // The first scan (no position) reads events from this far back (at most 7 days).
    std::chrono::hours start_lookback{24};
    // How far behind "now" the position stays, for events UPS files late; 0 for the emulator,
    // which files every event at its time.
    std::chrono::seconds lag{0};
};

class TrackingSource final : public Source<model::TrackingEvent> {
  public:
    explicit TrackingSource(UpsClient& client, TrackingSourceOptions options = {});

    std::string system() const override { return std::string(kSystem); }
    Result<std::unique_ptr<Scan<model::TrackingEvent>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::TrackingEvent>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::TrackingEvent& record) const override;
    // UPS activity times are whole seconds and two scans may share one ("loaded on the delivery
    // vehicle" and "out for delivery"): a package read again with the same newest time is
    // compared by content, not skipped as the version already written.
    std::chrono::seconds version_tolerance() const override { return std::chrono::seconds{1}; }

  private:
    UpsClient& client_;
    TrackingSourceOptions options_;
};

}  // namespace mlc::connectors::ups

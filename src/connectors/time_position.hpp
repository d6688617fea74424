#pragma once
// Time positions: the stream position of sources read "changed since a time" (ShipStation
// modifyDate, Woo date_modified). The position is the newest change time written so far
// (ISO-8601 UTC); a scan reads from it minus an overlap (records changed while the last run read
// are seen again; the pipeline's stale-copy rule and content hash make that harmless), and the
// position only ever moves forward: a scan starts its newest time at the stored one.
//
// Value types and pure functions; no I/O.

#include <chrono>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/time.hpp"

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

}  // namespace mlc::connectors

#pragma once
// RequestQueue: Acumatica's per-licence queue of API requests (Integration Development Guide,
// "License Restrictions for API Users"): once more than half of the per-minute request limit is
// used in the current minute, each request is delayed by (time left in the minute) / (requests
// left in the minute); a request is declined (429) when more than 20 requests already wait or it
// would wait more than 10 minutes. Sign-out is never queued (the emulator does not call admit()).
//
// Deterministic, no sleeping: the queue never holds a request. admit() computes when Acumatica
// would have released it (`release = now + delay`) and remembers that instant; a request "waits"
// while the emulator clock is before its release. The emulator answers at once and reports the
// delay in a header; a client that honours it (or a test that advances the clock by it) never
// builds a queue, one that keeps sending meets the 429 after 20 waiting requests, as it would on
// a real instance with concurrent callers.
//
// Minutes are the clock's whole UTC minutes. A request is counted in the minute it arrives.
//
// Thread safety: none (the emulator is serialised by the framework). Ownership: value type.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>

#include "common/clock.hpp"

namespace mlc::sandbox::acumatica {

struct RequestQueueLimits {
    std::int64_t requests_per_minute = 0;  // 0: no limit (a trial licence imposes none).
    std::size_t waiting_max = 20;          // More waiting than this: declined.
    std::chrono::seconds wait_max{600};    // A request that would wait longer: declined.
};

struct QueueDecision {
    bool declined = false;
    std::chrono::microseconds delay{0};  // How long Acumatica would hold the request.
    std::size_t waiting = 0;             // Requests waiting when this one arrived.
};

class RequestQueue {
  public:
    explicit RequestQueue(RequestQueueLimits limits = {}) : limits_(limits) {}

    QueueDecision admit(UtcTime now);
    std::size_t waiting(UtcTime now);
    const RequestQueueLimits& limits() const { return limits_; }
    void set_limits(RequestQueueLimits limits) { limits_ = limits; }
    std::uint64_t declined_total() const { return declined_total_; }
    std::uint64_t delayed_total() const { return delayed_total_; }

  private:
    void forget_released(UtcTime now);

    RequestQueueLimits limits_;
    std::int64_t minute_ = -1;       // Minutes since the epoch of the counting window.
    std::int64_t minute_count_ = 0;  // Requests admitted in that minute.
    std::deque<UtcTime> releases_;   // Release instants still in the future, ascending.
    std::uint64_t declined_total_ = 0;
    std::uint64_t delayed_total_ = 0;
};

}  // namespace mlc::sandbox::acumatica

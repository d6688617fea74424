#include "sandbox/acumatica/request_queue.hpp"

#include <algorithm>

namespace mlc::sandbox::acumatica {

void RequestQueue::forget_released(UtcTime now) {
    std::erase_if(releases_, [now](UtcTime release) { return release <= now; });
}

std::size_t RequestQueue::waiting(UtcTime now) {
    forget_released(now);
    return releases_.size();
}

QueueDecision RequestQueue::admit(UtcTime now) {
    using std::chrono::microseconds;
    QueueDecision decision{.waiting = waiting(now)};
    if (limits_.requests_per_minute <= 0) return decision;

    const auto since_epoch = now.time_since_epoch();
    const std::int64_t minute = std::chrono::floor<std::chrono::minutes>(since_epoch).count();
    if (minute != minute_) {
        minute_ = minute;
        minute_count_ = 0;
    }
    const microseconds minute_end = std::chrono::minutes{minute + 1};
    const microseconds time_left = minute_end - since_epoch;
    // Past half of the limit, the rest of the minute is shared by the requests still allowed; a
    // request past the whole limit waits for the next minute.
    if (2 * minute_count_ >= limits_.requests_per_minute) {
        const std::int64_t left = limits_.requests_per_minute - minute_count_;
        decision.delay = left > 0 ? time_left / left : time_left;
    }
    const bool too_many = decision.delay.count() > 0 && decision.waiting >= limits_.waiting_max;
    if (too_many || decision.delay > limits_.wait_max) {
        decision.declined = true;
        ++declined_total_;
        return decision;
    }
    ++minute_count_;
    if (decision.delay.count() > 0) {
        ++delayed_total_;
        const UtcTime release = now + decision.delay;
        releases_.insert(std::upper_bound(releases_.begin(), releases_.end(), release), release);
    }
    return decision;
}

}  // namespace mlc::sandbox::acumatica

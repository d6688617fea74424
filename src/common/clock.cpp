#include "common/clock.hpp"

#include <thread>

namespace mlc {

UtcTime SystemClock::now() const {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
}

SteadyTime SystemClock::steady_now() const {
    return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now());
}

void SystemClock::sleep_until(SteadyTime deadline) { std::this_thread::sleep_until(deadline); }

ManualClock::ManualClock(UtcTime start) : wall_(start), steady_(std::chrono::hours{1}) {}

UtcTime ManualClock::now() const {
    std::lock_guard lock(mutex_);
    return wall_;
}

SteadyTime ManualClock::steady_now() const {
    std::lock_guard lock(mutex_);
    return steady_;
}

void ManualClock::sleep_until(SteadyTime deadline) {
    std::lock_guard lock(mutex_);
    ++sleep_calls_;
    if (deadline <= steady_) return;
    const auto delta = deadline - steady_;
    slept_ += delta;
    steady_ += delta;
    wall_ += std::chrono::duration_cast<std::chrono::microseconds>(delta);
}

void ManualClock::advance(std::chrono::nanoseconds duration) {
    std::lock_guard lock(mutex_);
    steady_ += duration;
    wall_ += std::chrono::duration_cast<std::chrono::microseconds>(duration);
}

void ManualClock::set(UtcTime wall) {
    std::lock_guard lock(mutex_);
    wall_ = wall;
}

std::chrono::nanoseconds ManualClock::total_slept() const {
    std::lock_guard lock(mutex_);
    return slept_;
}

std::uint64_t ManualClock::sleep_calls() const {
    std::lock_guard lock(mutex_);
    return sleep_calls_;
}

UtcTime OffsetClock::now() const {
    std::lock_guard lock(mutex_);
    return base_.now() + offset_;
}

void OffsetClock::advance(std::chrono::microseconds offset) {
    std::lock_guard lock(mutex_);
    offset_ += offset;
}

}  // namespace mlc

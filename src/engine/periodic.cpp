#include "engine/periodic.hpp"

#include <algorithm>
#include <utility>

#include "engine/scheduler.hpp"

namespace mlc::engine {

Periodic::Periodic(Clock& clock, std::chrono::nanoseconds every, std::function<void()> tick)
    : clock_(clock), every_(every), tick_(std::move(tick)) {}

Periodic::~Periodic() { stop(); }

void Periodic::start() {
    thread_ = std::thread([this] {
        while (!stop_.load()) {
            const SteadyTime deadline = clock_.steady_now() + every_;
            while (!stop_.load() && clock_.steady_now() < deadline) {
                clock_.sleep_until(std::min(deadline, clock_.steady_now() + kIdleSliceMax));
            }
            if (!stop_.load()) tick_();
        }
    });
}

void Periodic::stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
}

}  // namespace mlc::engine

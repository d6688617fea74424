#pragma once
// Periodic: calls `tick` every `every` on a thread of its own, the first time one interval after
// start(), until stop(). The background passes of `mlc run` (alert rules and notices,
// cli/alerts_setup.hpp; the store's upkeep, store_upkeep.hpp) share it.
//
// It waits on the injected Clock in slices of at most kIdleSliceMax, so stop() is seen soon
// (Clock has no interruptible wait) and a ManualClock test drives it without sleeping.
//
// Lifecycle: start() once; stop() (or destruction) returns once the current tick ended.
// Thread safety: start() and stop() from the owner's thread. Borrows the clock.

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "common/clock.hpp"

namespace mlc::engine {

class Periodic {
  public:
    Periodic(Clock& clock, std::chrono::nanoseconds every, std::function<void()> tick);
    ~Periodic();
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

    void start();
    void stop();

  private:
    Clock& clock_;
    std::chrono::nanoseconds every_;
    std::function<void()> tick_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace mlc::engine

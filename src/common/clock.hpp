#pragma once
// Time sources. Nothing in ml-connector reads the system clock or sleeps directly: it takes a
// Clock&. Wall time (UtcTime) and steady time (SteadyTime) are different types on purpose: wall
// time is for records and cursors, steady time for timeouts, backoff and rate limits.
//
// Thread safety: every Clock is safe to call from several threads.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace mlc {

using UtcTime = std::chrono::sys_time<std::chrono::microseconds>;
using SteadyTime = std::chrono::time_point<std::chrono::steady_clock, std::chrono::nanoseconds>;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual UtcTime now() const = 0;
    virtual SteadyTime steady_now() const = 0;
    // Blocks until steady_now() >= deadline. A ManualClock does not block: it advances itself.
    virtual void sleep_until(SteadyTime deadline) = 0;
    void sleep_for(std::chrono::nanoseconds duration) { sleep_until(steady_now() + duration); }
};

// The real clock. The only place that calls std::chrono::system_clock::now().
class SystemClock final : public Clock {
  public:
    UtcTime now() const override;
    SteadyTime steady_now() const override;
    void sleep_until(SteadyTime deadline) override;
};

// A clock that tests drive. sleep_until() advances the clock to the deadline at once (so code that
// waits on backoff or a rate limit runs instantly and deterministically) and records the total
// slept, which tests assert on.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(UtcTime start = UtcTime{std::chrono::seconds{1'700'000'000}});
    UtcTime now() const override;
    SteadyTime steady_now() const override;
    void sleep_until(SteadyTime deadline) override;

    void advance(std::chrono::nanoseconds duration);
    void set(UtcTime wall);  // Moves wall time only (steady time never goes back).
    std::chrono::nanoseconds total_slept() const;
    std::uint64_t sleep_calls() const;

  private:
    mutable std::mutex mutex_;
    UtcTime wall_;
    SteadyTime steady_;
    std::chrono::nanoseconds slept_{0};
    std::uint64_t sleep_calls_ = 0;
};

// Wall time = base clock + an offset that can be moved forward (the sandboxes' "advance the
// emulator's clock" control). Steady time and sleeping are the base clock's.
class OffsetClock final : public Clock {
  public:
    explicit OffsetClock(Clock& base) : base_(base) {}
    UtcTime now() const override;
    SteadyTime steady_now() const override { return base_.steady_now(); }
    void sleep_until(SteadyTime deadline) override { base_.sleep_until(deadline); }
    void advance(std::chrono::microseconds offset);

  private:
    Clock& base_;
    mutable std::mutex mutex_;
    std::chrono::microseconds offset_{0};
};

}  // namespace mlc

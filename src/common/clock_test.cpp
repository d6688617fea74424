#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace mlc {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, SleepUntilAdvancesTimeInstantly) {
    ManualClock clock;
    const UtcTime wall = clock.now();
    const SteadyTime steady = clock.steady_now();
    clock.sleep_until(steady + 90s);
    EXPECT_EQ(clock.steady_now(), steady + 90s);
    EXPECT_EQ(clock.now(), wall + 90s);
    EXPECT_EQ(clock.total_slept(), 90s);
    EXPECT_EQ(clock.sleep_calls(), 1u);
}

TEST(ManualClock, SleepIntoThePastDoesNotMoveTime) {
    ManualClock clock;
    const SteadyTime steady = clock.steady_now();
    clock.sleep_until(steady - 5s);
    clock.sleep_for(0s);
    EXPECT_EQ(clock.steady_now(), steady);
    EXPECT_EQ(clock.total_slept(), 0s);
    EXPECT_EQ(clock.sleep_calls(), 2u);
}

TEST(ManualClock, SetMovesWallTimeOnly) {
    ManualClock clock;
    const SteadyTime steady = clock.steady_now();
    clock.set(UtcTime{1000s});
    EXPECT_EQ(clock.now(), UtcTime{1000s});
    EXPECT_EQ(clock.steady_now(), steady);
    clock.advance(2s);
    EXPECT_EQ(clock.now(), UtcTime{1002s});
}

TEST(OffsetClock, AddsItsOffsetToWallTimeOnly) {
    ManualClock base;
    OffsetClock clock(base);
    clock.advance(std::chrono::hours{24});
    EXPECT_EQ(clock.now(), base.now() + std::chrono::hours{24});
    EXPECT_EQ(clock.steady_now(), base.steady_now());
    clock.sleep_for(1s);
    EXPECT_EQ(base.total_slept(), 1s);
}

}  // namespace
}  // namespace mlc

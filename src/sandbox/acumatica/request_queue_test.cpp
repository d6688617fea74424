#include "sandbox/acumatica/request_queue.hpp"

#include <gtest/gtest.h>

namespace mlc::sandbox::acumatica {
namespace {

using namespace std::chrono_literals;

const UtcTime kMinuteStart{std::chrono::seconds{1'700'000'040}};  // A whole UTC minute.

TEST(RequestQueue, FirstHalfOfTheMinuteIsNotDelayed) {
    RequestQueue queue({.requests_per_minute = 10});
    for (int i = 0; i < 5; ++i) {
        const QueueDecision decision = queue.admit(kMinuteStart);
        EXPECT_FALSE(decision.declined);
        EXPECT_EQ(decision.delay, 0us) << i;
    }
    // The sixth: 60 s left shared by the 5 requests left.
    EXPECT_EQ(queue.admit(kMinuteStart).delay, 12s);
    EXPECT_EQ(queue.waiting(kMinuteStart), 1u);
    EXPECT_EQ(queue.waiting(kMinuteStart + 12s), 0u);
}

TEST(RequestQueue, DeclinesWhenMoreThanTwentyWait) {
    RequestQueue queue({.requests_per_minute = 4});
    queue.admit(kMinuteStart);
    queue.admit(kMinuteStart);
    for (int i = 0; i < 20; ++i) EXPECT_FALSE(queue.admit(kMinuteStart).declined) << i;
    EXPECT_EQ(queue.waiting(kMinuteStart), 20u);
    EXPECT_TRUE(queue.admit(kMinuteStart).declined);
    EXPECT_EQ(queue.declined_total(), 1u);
    // Once the waits are over, requests are taken again.
    EXPECT_FALSE(queue.admit(kMinuteStart + 61s).declined);
}

TEST(RequestQueue, NoLimitNeverDelays) {
    RequestQueue queue;
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(queue.admit(kMinuteStart).delay, 0us);
}

}  // namespace
}  // namespace mlc::sandbox::acumatica

#include "net/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace mlc::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const SteadyTime kStart{std::chrono::hours(1)};

TEST(TokenBucket, BurstGoesAtOnceThenRequestsArePacedAtTheRate) {
    RateLimiter limiter(RateLimiterConfig{.connection = {.requests_per_second = 2, .burst = 3}});
    for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.acquire("", kStart), kStart);
    EXPECT_EQ(limiter.acquire("", kStart), kStart + milliseconds(500));
    EXPECT_EQ(limiter.acquire("", kStart), kStart + milliseconds(1'000));
}

TEST(TokenBucket, RefillsWhileIdleButNeverBeyondBurst) {
    RateLimiter limiter(RateLimiterConfig{.connection = {.requests_per_second = 1, .burst = 2}});
    (void)limiter.acquire("", kStart);
    (void)limiter.acquire("", kStart);
    const SteadyTime later = kStart + seconds(3'600);
    EXPECT_EQ(limiter.acquire("", later), later);
    EXPECT_EQ(limiter.acquire("", later), later);
    EXPECT_EQ(limiter.acquire("", later), later + seconds(1));
}

// The console's connections panel: how much of the budget is spent now and how long the next
// request would wait, refilling with time, with what ShipStation said is left.
TEST(TokenBucket, UseShowsTheBudgetSpentTheWaitAndTheVendorsCount) {
    RateLimiterRegistry registry;
    registry.configure("ss", {.connection = {.requests_per_second = 1, .burst = 4}});
    EXPECT_FALSE(registry.use("ss", kStart)) << "nothing sent yet";
    RateLimiter& limiter = registry.limiter("ss");
    for (int i = 0; i < 5; ++i) (void)limiter.acquire("", kStart);
    auto spent = registry.use("ss", kStart);
    ASSERT_TRUE(spent);
    EXPECT_DOUBLE_EQ(spent->used, 5);  // One request queued past the burst.
    EXPECT_DOUBLE_EQ(spent->burst, 4);
    EXPECT_DOUBLE_EQ(spent->per_minute, 60);
    EXPECT_DOUBLE_EQ(spent->wait_seconds, 2);
    EXPECT_FALSE(spent->vendor_remaining);
    limiter.observe("", {{"X-Rate-Limit-Remaining", "0"}, {"X-Rate-Limit-Reset", "30"}}, kStart);
    auto later = registry.use("ss", kStart + seconds(3));
    ASSERT_TRUE(later);
    EXPECT_DOUBLE_EQ(later->used, 2);
    EXPECT_EQ(later->vendor_remaining, 0);
    EXPECT_DOUBLE_EQ(later->wait_seconds, 27) << "ShipStation's window resets in 27 s";
    auto idle = registry.use("ss", kStart + seconds(60));
    ASSERT_TRUE(idle);
    EXPECT_DOUBLE_EQ(idle->used, 0);
    EXPECT_DOUBLE_EQ(idle->wait_seconds, 0);
    EXPECT_FALSE(idle->vendor_remaining) << "the vendor's window is over";
}

TEST(PerOperationLimits, ExhaustingOneOperationLeavesAnotherUntouched) {
    // SP-API: getOrders 0.0167/s burst 20, getOrderItems 0.5/s burst 30 (per operation buckets).
    RateLimiter limiter(RateLimiterConfig{
        .connection = {.requests_per_second = 10, .burst = 10},
        .per_operation = {{"getOrders", {.requests_per_second = 0.0167, .burst = 20}},
                          {"getOrderItems", {.requests_per_second = 0.5, .burst = 30}}}});
    for (int i = 0; i < 20; ++i) EXPECT_EQ(limiter.acquire("getOrders", kStart), kStart);
    EXPECT_GT(limiter.acquire("getOrders", kStart), kStart + seconds(59));
    for (int i = 0; i < 30; ++i) EXPECT_EQ(limiter.acquire("getOrderItems", kStart), kStart);
    EXPECT_EQ(limiter.acquire("anotherOperation", kStart), kStart);
}

TEST(PerOperationLimits, AmazonRateHeaderSetsThatOperationsRateOnly) {
    RateLimiter limiter(RateLimiterConfig{.connection = {.requests_per_second = 10, .burst = 1}});
    limiter.observe("getOrders", {{"x-amzn-RateLimit-Limit", "0.0167"}}, kStart);
    EXPECT_DOUBLE_EQ(limiter.limit("getOrders").requests_per_second, 0.0167);
    EXPECT_DOUBLE_EQ(limiter.limit("getOrderItems").requests_per_second, 10);
    EXPECT_EQ(limiter.acquire("getOrders", kStart), kStart);
    const SteadyTime next = limiter.acquire("getOrders", kStart);
    EXPECT_GT(next, kStart + seconds(59));
    EXPECT_LT(next, kStart + seconds(61));
}

TEST(VendorHeaders, SpentRemainingWaitsForTheReset) {
    RateLimiter limiter(
        RateLimiterConfig{.connection = {.requests_per_second = 100, .burst = 100}});
    (void)limiter.acquire("", kStart);
    limiter.observe("",
                    {{"X-Rate-Limit-Limit", "40"},
                     {"X-Rate-Limit-Remaining", "1"},
                     {"X-Rate-Limit-Reset", "25"}},
                    kStart);
    EXPECT_EQ(limiter.acquire("", kStart), kStart);                // The last one in the window.
    EXPECT_EQ(limiter.acquire("", kStart), kStart + seconds(25));  // Then wait for the reset.
}

TEST(VendorHeaders, GarbageHeadersAreIgnored) {
    RateLimiter limiter(
        RateLimiterConfig{.connection = {.requests_per_second = 100, .burst = 100}});
    limiter.observe("",
                    {{"X-Rate-Limit-Remaining", "lots"},
                     {"X-Rate-Limit-Reset", "-3"},
                     {"x-amzn-RateLimit-Limit", "nan"}},
                    kStart);
    EXPECT_EQ(limiter.acquire("", kStart), kStart);
    EXPECT_DOUBLE_EQ(limiter.limit("").requests_per_second, 100);
}

TEST(VendorThrottle, RetryAfterBlocksEveryCallerOfThatOperation) {
    RateLimiter limiter(
        RateLimiterConfig{.connection = {.requests_per_second = 100, .burst = 100}});
    limiter.block_until("getOrders", kStart + seconds(30));
    EXPECT_EQ(limiter.acquire("getOrders", kStart), kStart + seconds(30));
    EXPECT_EQ(limiter.acquire("getReports", kStart), kStart);
}

TEST(LimiterRegistry, SameConnectionNameSharesOneLimiterOthersDoNot) {
    RateLimiterRegistry registry;
    registry.configure("shipstation-a", RateLimiterConfig{.connection = {.burst = 1}});
    registry.configure("shipstation-b", RateLimiterConfig{.connection = {.burst = 1}});
    RateLimiter& a1 = registry.limiter("shipstation-a");
    RateLimiter& a2 = registry.limiter("shipstation-a");
    EXPECT_EQ(&a1, &a2);
    EXPECT_EQ(a1.acquire("", kStart), kStart);
    EXPECT_GT(a2.acquire("", kStart), kStart);
    EXPECT_EQ(registry.limiter("shipstation-b").acquire("", kStart), kStart);
}

}  // namespace
}  // namespace mlc::net

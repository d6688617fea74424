#include "net/retry_policy.hpp"

#include <gtest/gtest.h>

namespace mlc::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryBackoff, EveryDelayStaysWithinItsCap) {
    RetryPolicy policy(RetryOptions{.max_attempts = 10,
                                    .base_delay = milliseconds(100),
                                    .max_delay = milliseconds(5'000),
                                    .max_total_delay = seconds(60)},
                       42);
    for (std::uint32_t retry = 0; retry < 40; ++retry) {
        const auto cap = policy.delay_cap(retry);
        EXPECT_LE(cap, milliseconds(5'000));
        for (int draw = 0; draw < 200; ++draw) {
            const auto delay = policy.next_delay(retry);
            EXPECT_GE(delay, milliseconds(0));
            EXPECT_LE(delay, cap);
        }
    }
}

TEST(RetryBackoff, CapDoublesFromBaseUntilMaxDelay) {
    RetryPolicy policy(
        RetryOptions{.base_delay = milliseconds(100), .max_delay = milliseconds(1'000)}, 1);
    EXPECT_EQ(policy.delay_cap(0), milliseconds(100));
    EXPECT_EQ(policy.delay_cap(1), milliseconds(200));
    EXPECT_EQ(policy.delay_cap(3), milliseconds(800));
    EXPECT_EQ(policy.delay_cap(4), milliseconds(1'000));
    EXPECT_EQ(policy.delay_cap(1'000'000), milliseconds(1'000));  // No overflow on huge counts.
}

TEST(RetryBackoff, JitterIsFullNotEqual) {
    // Full jitter draws over the whole [0, cap] range: some delays land in the lower half.
    RetryPolicy policy(RetryOptions{.base_delay = milliseconds(1'000), .max_delay = seconds(10)},
                       7);
    int low = 0;
    for (int draw = 0; draw < 100; ++draw)
        low += policy.next_delay(3) < milliseconds(4'000) ? 1 : 0;
    EXPECT_GT(low, 10);
    EXPECT_LT(low, 90);
}

TEST(RetryBackoff, SameSeedGivesSameDelays) {
    RetryPolicy a(RetryOptions{}, 99);
    RetryPolicy b(RetryOptions{}, 99);
    for (std::uint32_t retry = 0; retry < 10; ++retry)
        EXPECT_EQ(a.next_delay(retry), b.next_delay(retry));
}

TEST(RetryableStatus, RetriesOnlyTimeoutThrottleAndGatewayErrors) {
    for (int status : {408, 429, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(status)) << status;
    for (int status : {200, 201, 400, 401, 403, 404, 409, 422, 500, 501}) {
        EXPECT_FALSE(is_retryable_status(status)) << status;
    }
}

TEST(RetryAfter, ReadsDelaySeconds) {
    const UtcTime now{seconds(1'700'000'000)};
    EXPECT_EQ(parse_retry_after("120", now), milliseconds(120'000));
    EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
    EXPECT_EQ(parse_retry_after("99999999999999999999999", now), milliseconds(86'400'000));
}

TEST(RetryAfter, ReadsHttpDateRelativeToNow) {
    // 1445412480 = Wed, 21 Oct 2015 07:28:00 GMT.
    const UtcTime now{seconds(1'445'412'480 - 90)};
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), milliseconds(90'000));
    EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now), milliseconds(90'000));
    EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:00 2015", now), milliseconds(90'000));
}

TEST(RetryAfter, DateInThePastMeansNow) {
    const UtcTime now{seconds(1'445'412'480 + 10)};
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), milliseconds(0));
}

TEST(RetryAfter, GarbageIsIgnored) {
    const UtcTime now{seconds(1'700'000'000)};
    EXPECT_FALSE(parse_retry_after("soon", now).has_value());
    EXPECT_FALSE(parse_retry_after("", now).has_value());
    EXPECT_FALSE(parse_retry_after("-5", now).has_value());
}

}  // namespace
}  // namespace mlc::net

#include "sandbox/amazon/amazon_operations.hpp"

#include <gtest/gtest.h>

#include "sandbox/amazon/amazon_static_sandbox.hpp"

namespace mlc::sandbox::amazon {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, AllowsTheBurstThenRefillsAtTheRate) {
    const UtcTime start{std::chrono::seconds{1'800'000'000}};
    TokenBucket bucket(0.5, 30, start);
    for (int i = 0; i < 30; ++i) EXPECT_TRUE(bucket.take(start)) << i;
    EXPECT_FALSE(bucket.take(start));
    EXPECT_FALSE(bucket.take(start + 1s));
    EXPECT_TRUE(bucket.take(start + 2s));
    EXPECT_LE(bucket.tokens(start + 24h), 30.0);  // Never more than the burst
}

TEST(LiveOperations, UsagePlansAreTheModelsOwn) {
    const StaticSandbox catalog(embedded_models());
    for (const auto& live : live_operations()) {
        bool found = false;
        for (const auto& model : catalog.operations()) {
            if (model.api != live.api || model.id != live.id) continue;
            found = true;
            EXPECT_EQ(model.method, live.method) << live.id;
            EXPECT_EQ(model.path, live.path) << live.id;
            EXPECT_EQ(model.rate, live.rate) << live.id;
            EXPECT_EQ(model.burst, live.burst) << live.id;
        }
        EXPECT_TRUE(found) << live.api << " " << live.id;
    }
}

TEST(MatchPath, ReadsPathParametersAndRefusesOtherShapes) {
    const auto params = match_path("/orders/v0/orders/{orderId}/orderItems",
                                   "/orders/v0/orders/111-2222222-3333333/orderItems");
    ASSERT_TRUE(params);
    EXPECT_EQ(params->at("orderId"), "111-2222222-3333333");
    EXPECT_FALSE(match_path("/orders/v0/orders/{orderId}", "/orders/v0/orders/1/orderItems"));
}

}  // namespace
}  // namespace mlc::sandbox::amazon

#include "sandbox/fault_injector.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace mlc::sandbox {
namespace {

std::vector<FaultKind> draw(std::uint64_t seed, int count) {
    FaultInjector injector(seed);
    FaultPlan plan;
    plan.route_prefix = "/orders";
    plan.rate_429 = 0.2;
    plan.rate_500 = 0.2;
    plan.drop_rate = 0.1;
    plan.truncated_rate = 0.1;
    EXPECT_TRUE(injector.add(plan));
    std::vector<FaultKind> kinds;
    for (int i = 0; i < count; ++i) kinds.push_back(injector.decide("/orders").kind);
    return kinds;
}

TEST(FaultInjector, SameSeedGivesSameFaults) {
    EXPECT_EQ(draw(7, 200), draw(7, 200));
    EXPECT_NE(draw(7, 200), draw(8, 200));
}

TEST(FaultInjector, SharesAreRoughlyHonoured) {
    const auto kinds = draw(3, 1000);
    const auto count_429 = std::count(kinds.begin(), kinds.end(), FaultKind::kStatus429);
    const auto none = std::count(kinds.begin(), kinds.end(), FaultKind::kNone);
    EXPECT_GT(count_429, 120);
    EXPECT_LT(count_429, 280);
    EXPECT_GT(none, 300);
}

TEST(FaultInjector, OnlyMatchingPrefixIsFaulted) {
    FaultInjector injector(1);
    FaultPlan plan;
    plan.route_prefix = "/shipments";
    plan.rate_503 = 1.0;
    ASSERT_TRUE(injector.add(plan));
    EXPECT_EQ(injector.decide("/orders").kind, FaultKind::kNone);
    EXPECT_EQ(injector.decide("/shipments").kind, FaultKind::kStatus503);
}

TEST(FaultPlanJson, RejectsSharesAboveOne) {
    const auto plan =
        fault_plan_from_json(boost::json::parse(R"({"rate_429": 0.7, "rate_500": 0.7})"));
    EXPECT_FALSE(plan);
}

TEST(FaultPlanJson, RoundTrips) {
    const auto plan = fault_plan_from_json(
        boost::json::parse(R"({"route_prefix": "/x", "malformed_rate": 0.5, "latency_ms": 250})"));
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->route_prefix, "/x");
    EXPECT_EQ(plan->latency_ms, 250);
    EXPECT_EQ(fault_plan_to_json(*plan).at("malformed_rate").as_double(), 0.5);
}

TEST(FaultBody, MalformedAndTruncatedBodiesDoNotParse) {
    std::string malformed = R"({"orders": [1, 2, 3]})";
    std::string truncated = malformed;
    FaultInjector::corrupt_body(FaultKind::kMalformed, malformed);
    FaultInjector::corrupt_body(FaultKind::kTruncated, truncated);
    boost::system::error_code ec;
    (void)boost::json::parse(malformed, ec);
    EXPECT_TRUE(ec);
    ec = {};
    (void)boost::json::parse(truncated, ec);
    EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace mlc::sandbox

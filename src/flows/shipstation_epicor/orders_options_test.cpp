#include "flows/shipstation_epicor/orders_options.hpp"

#include <gtest/gtest.h>

#include "common/time.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

engine::FlowConfig flow_with(engine::ScalarMap options) {
    engine::FlowConfig flow;
    flow.name = "orders";
    flow.recipe = kOrdersRecipe;
    flow.options = std::move(options);
    return flow;
}

TEST(OrdersOptions, DefaultsReReadTwoHoursFromTheStartOfTime) {
    auto options = parse_orders_options(flow_with({}));
    ASSERT_TRUE(options) << options.error().describe();
    EXPECT_EQ(options->overlap, std::chrono::hours(2));
    EXPECT_EQ(options->page_size, kOrdersPageSizeMax);
    EXPECT_EQ(options->source_key_field, "PONum");
    EXPECT_EQ(format_iso8601(options->start).substr(0, 10), "2000-01-01");
}

TEST(OrdersOptions, ReadsEveryOptionAndMappingTable) {
    auto flow = flow_with({{"overlap", "10m"},
                           {"start", "2024-03-01T00:00:00Z"},
                           {"page_size", "50"},
                           {"customer_match", "email"},
                           {"source_key_field", "ShipStationKey_c"},
                           {"create_route", "entity_sets"},
                           {"shipments", "false"}});
    flow.mappings["carriers"] = {{"ups", "UPSG"}};
    flow.mappings["parts"] = {{"SKU-1", "P1"}};
    flow.mappings["customers"] = {{"web", "C1"}};
    auto options = parse_orders_options(flow);
    ASSERT_TRUE(options) << options.error().describe();
    EXPECT_EQ(options->overlap, std::chrono::minutes(10));
    EXPECT_EQ(options->page_size, 50u);
    EXPECT_EQ(options->customer_match, CustomerMatch::kEmail);
    EXPECT_EQ(options->customer_field, "EMailAddress");
    EXPECT_EQ(options->source_key_field, "ShipStationKey_c");
    EXPECT_EQ(options->create_route, connectors::epicor::OrderCreateRoute::kEntitySets);
    EXPECT_EQ(options->parts.at("SKU-1"), "P1");
    EXPECT_EQ(options->customers.at("web"), "C1");
    EXPECT_EQ(options->carriers.at("ups"), "UPSG");
    EXPECT_FALSE(options->shipments);
}

TEST(OrdersOptions, RefusesUnknownOptionsAndPageSizesAboveTheV1Maximum) {
    auto typo = parse_orders_options(flow_with({{"overlapp", "1h"}}));
    ASSERT_FALSE(typo);
    EXPECT_EQ(typo.error().code, ErrorCode::kConfig);
    EXPECT_NE(typo.error().message.find("overlapp"), std::string::npos);
    auto big = parse_orders_options(flow_with({{"page_size", "501"}}));
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().message.find("page_size"), std::string::npos);
    auto table = flow_with({});
    table.mappings["skus"] = {};
    EXPECT_FALSE(parse_orders_options(table));
}

TEST(OrdersOptions, Ud01TargetStagesRowsAndTurnsTrackingOffUnlessAskedForIt) {
    auto defaults = parse_orders_options(flow_with({}));
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->target, OrderTarget::kSalesOrder);
    EXPECT_TRUE(defaults->shipments);
    EXPECT_TRUE(defaults->webhooks);

    auto staged = parse_orders_options(flow_with({{"target", "ud01"}, {"webhooks", "false"}}));
    ASSERT_TRUE(staged) << staged.error().describe();
    EXPECT_EQ(staged->target, OrderTarget::kStagingRow);
    EXPECT_FALSE(staged->shipments);
    EXPECT_FALSE(staged->webhooks);

    // Tracking needs a sales order: asking for both is a config error naming the fix.
    auto both = parse_orders_options(flow_with({{"target", "ud01"}, {"shipments", "true"}}));
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().code, ErrorCode::kConfig);
    EXPECT_NE(both.error().message.find("shipments: false"), std::string::npos);

    auto wrong = parse_orders_options(flow_with({{"target", "ud02"}}));
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().message.find("sales_order or ud01"), std::string::npos);
}

}  // namespace
}  // namespace mlc::flows::shipstation_epicor

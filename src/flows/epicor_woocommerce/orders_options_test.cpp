#include "flows/epicor_woocommerce/orders_options.hpp"

#include <gtest/gtest.h>

namespace mlc::flows::epicor_woocommerce {
namespace {

engine::FlowConfig flow_with(engine::ScalarMap options) {
    engine::FlowConfig flow;
    flow.name = "woo-orders";
    flow.recipe = kWooOrdersRecipe;
    flow.options = std::move(options);
    return flow;
}

TEST(WooOrdersOptions, DefaultsMatchByEmailAndKeyWooIdsInPoNum) {
    auto options = parse_woo_orders_options(flow_with({}));
    ASSERT_TRUE(options) << options.error().describe();
    EXPECT_EQ(options->customer_field, "EMailAddress");
    EXPECT_EQ(options->source_key_field, "PONum");
    EXPECT_EQ(options->source_key_prefix, "WOO-");
    EXPECT_TRUE(options->statuses.contains("processing"));
    EXPECT_FALSE(options->statuses.contains("pending"));
    EXPECT_TRUE(options->webhooks);
    EXPECT_TRUE(options->refunds);
    EXPECT_EQ(options->per_page, kWooPerPageMax);
}

TEST(WooOrdersOptions, ReadsEveryOption) {
    auto options = parse_woo_orders_options(flow_with({{"overlap", "5m"},
                                                       {"per_page", "20"},
                                                       {"customer", "WEB01"},
                                                       {"source_key_field", "WooKey_c"},
                                                       {"source_key_prefix", ""},
                                                       {"statuses", "processing, completed"},
                                                       {"webhooks", "false"},
                                                       {"create_route", "entity_sets"}}));
    ASSERT_TRUE(options) << options.error().describe();
    EXPECT_EQ(options->overlap, std::chrono::seconds{300});
    EXPECT_EQ(options->per_page, 20u);
    EXPECT_EQ(options->fixed_customer, "WEB01");
    EXPECT_EQ(options->source_key_field, "WooKey_c");
    EXPECT_EQ(options->source_key_prefix, "");
    EXPECT_EQ(options->statuses.size(), 2u);
    EXPECT_FALSE(options->webhooks);
    EXPECT_EQ(options->create_route, connectors::epicor::OrderCreateRoute::kEntitySets);
}

TEST(WooOrdersOptions, RefusesWhatItDoesNotKnowNamingTheFix) {
    auto unknown = parse_woo_orders_options(flow_with({{"shipments", "true"}}));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::kConfig);
    EXPECT_NE(unknown.error().message.find("options.shipments"), std::string::npos);

    auto page = parse_woo_orders_options(flow_with({{"per_page", "101"}}));
    ASSERT_FALSE(page);
    EXPECT_NE(page.error().message.find("1 to 100"), std::string::npos);

    auto status = parse_woo_orders_options(flow_with({{"statuses", "paid"}}));
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("\"paid\""), std::string::npos);

    engine::FlowConfig flow = flow_with({});
    flow.mappings["carriers"] = {{"ups", "UPSG"}};
    auto mapping = parse_woo_orders_options(flow);
    ASSERT_FALSE(mapping);
    EXPECT_NE(mapping.error().message.find("mappings.carriers"), std::string::npos);
}

// Several workers: how soon a delivery leased by a run that died is leased again.
TEST(WooOrdersOptions, InboxLeaseIsFiveMinutesUnlessSetAndAtLeastOneSecond) {
    EXPECT_EQ(parse_woo_orders_options(flow_with({}))->inbox_lease, std::chrono::minutes(5));
    auto set = parse_woo_orders_options(flow_with({{"inbox_lease", "20s"}}));
    ASSERT_TRUE(set) << set.error().describe();
    EXPECT_EQ(set->inbox_lease, std::chrono::seconds(20));
    auto zero = parse_woo_orders_options(flow_with({{"inbox_lease", "0s"}}));
    ASSERT_FALSE(zero);
    EXPECT_NE(zero.error().message.find("inbox_lease"), std::string::npos)
        << zero.error().describe();
}

TEST(WooOrdersOptions, ClosingStatusesAreTheOnesThatEndAnOrder) {
    EXPECT_TRUE(is_closing_status("cancelled"));
    EXPECT_TRUE(is_closing_status("refunded"));
    EXPECT_TRUE(is_closing_status("failed"));
    EXPECT_FALSE(is_closing_status("completed"));
    EXPECT_FALSE(is_closing_status("on-hold"));
}

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce

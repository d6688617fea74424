#include "flows/epicor_woocommerce/catalog_options.hpp"

#include <gtest/gtest.h>

namespace mlc::flows::epicor_woocommerce {
namespace {

engine::FlowConfig flow_with(engine::ScalarMap options) {
    engine::FlowConfig flow;
    flow.name = "catalog";
    flow.recipe = kCatalogRecipe;
    flow.options = std::move(options);
    return flow;
}

TEST(CatalogOptions, DefaultsMoveBothStreamsByUnitPriceWithoutStockQuantities) {
    auto options = parse_catalog_options(flow_with({}));
    ASSERT_TRUE(options) << options.error().describe();
    EXPECT_TRUE(options->parts);
    EXPECT_TRUE(options->customers);
    EXPECT_EQ(options->page_size, 500u);
    EXPECT_EQ(options->changes, ChangeDetection::kSysRevId);
    EXPECT_EQ(options->price_field, "UnitPrice");
    EXPECT_TRUE(options->stock_field.empty());
    EXPECT_EQ(options->currency, "USD");
}

TEST(CatalogOptions, ReadsEveryOptionAndTheCountriesTable) {
    auto flow = flow_with({{"parts", "true"},
                           {"customers", "false"},
                           {"page_size", "1000"},
                           {"pages_per_run", "7"},
                           {"changes", "full"},
                           {"price_field", "WebPrice_c"},
                           {"stock_field", "OnHand_c"},
                           {"currency", "JPY"}});
    flow.mappings["countries"] = {{"Deutschland", "DE"}};
    auto options = parse_catalog_options(flow);
    ASSERT_TRUE(options) << options.error().describe();
    EXPECT_FALSE(options->customers);
    EXPECT_EQ(options->page_size, 1000u);
    EXPECT_EQ(options->pages_per_run, 7u);
    EXPECT_EQ(options->changes, ChangeDetection::kFullScan);
    EXPECT_EQ(options->price_field, "WebPrice_c");
    EXPECT_EQ(options->stock_field, "OnHand_c");
    EXPECT_EQ(options->currency, "JPY");
    EXPECT_EQ(options->countries.at("Deutschland"), "DE");
}

// Each error names the flow, the option and what it accepts.
void expect_refused(engine::ScalarMap options, std::string_view option, std::string_view accepted) {
    auto parsed = parse_catalog_options(flow_with(std::move(options)));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::kConfig);
    const std::string& message = parsed.error().message;
    EXPECT_NE(message.find("flow catalog"), std::string::npos) << message;
    EXPECT_NE(message.find(option), std::string::npos) << message;
    EXPECT_NE(message.find(accepted), std::string::npos) << message;
}

TEST(CatalogOptions, RefusesBadValuesNamingTheOptionAndWhatItAccepts) {
    expect_refused({{"parts", "yes"}}, "options.parts", "true or false");
    expect_refused({{"customers", "1"}}, "options.customers", "true or false");
    expect_refused({{"page_size", "1001"}}, "options.page_size", "1 to 1000");
    expect_refused({{"page_size", "0"}}, "options.page_size", "1 to 1000");
    expect_refused({{"changes", "rowversion"}}, "options.changes", "sysrevid or full");
    expect_refused({{"price_field", "Unit Price"}}, "options.price_field", "Epicor field name");
    expect_refused({{"currency", "usd"}}, "options.currency", "ISO 4217");
    expect_refused({{"page_sise", "10"}}, "options.page_sise", "known: parts, customers");
    expect_refused({{"parts", "false"}, {"customers", "false"}}, "options.parts", "set one");
}

TEST(CatalogOptions, RefusesUnknownMappingTables) {
    auto flow = flow_with({});
    flow.mappings["parts"] = {};
    auto parsed = parse_catalog_options(flow);
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("known: countries"), std::string::npos);
}

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce

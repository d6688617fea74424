#include "flows/epicor_woocommerce/catalog_mapping.hpp"

#include <gtest/gtest.h>

#include "connectors/epicor/epicor_json.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;

json::object part(std::string_view extra = "") {
    std::string text = R"({"PartNum":"P-1","PartDescription":" Red bolt ","UnitPrice":12.5,)"
                       R"("NetWeight":0.75,"NetWeightUOM":"LB","InActive":false,"NonStock":false,)"
                       R"("SysRevID":4)";
    text += extra;
    text += "}";
    // Exact parse, as the Epicor connector reads rows: decimals never pass through a double.
    return connectors::epicor::parse_exact(text).value().as_object();
}

TEST(CatalogMapping, PartBecomesAPublishedProductWithAMoneyStringAndItsWeight) {
    auto draft = product_from_part(part(), CatalogOptions{});
    ASSERT_TRUE(draft) << draft.error().describe();
    EXPECT_EQ(draft->sku, "P-1");
    EXPECT_EQ(draft->name, "Red bolt");
    EXPECT_EQ(draft->regular_price, "12.50");
    EXPECT_EQ(draft->weight, "0.75");
    EXPECT_TRUE(draft->published);
    EXPECT_FALSE(draft->stock_quantity) << "Part has no on-hand quantity: Woo does not manage it";
    EXPECT_EQ(draft->stock_status, StockStatus::kInStock);
    EXPECT_EQ(draft->sys_rev_id, 4);
}

TEST(CatalogMapping, InactivePartIsADraftOutOfStockAndNonStockIsOnBackorder) {
    auto inactive = product_from_part(part(R"(,"InActive":true)"), CatalogOptions{});
    ASSERT_TRUE(inactive);
    EXPECT_FALSE(inactive->published);
    EXPECT_EQ(inactive->stock_status, StockStatus::kOutOfStock);
    auto non_stock = product_from_part(part(R"(,"NonStock":true)"), CatalogOptions{});
    ASSERT_TRUE(non_stock);
    EXPECT_TRUE(non_stock->published);
    EXPECT_EQ(non_stock->stock_status, StockStatus::kOnBackorder);
}

TEST(CatalogMapping, ConfiguredStockFieldGivesWholeUnitsNeverBelowZero) {
    CatalogOptions options;
    options.stock_field = "OnHand_c";
    auto some = product_from_part(part(R"(,"OnHand_c":7.9)"), options);
    ASSERT_TRUE(some) << some.error().describe();
    EXPECT_EQ(some->stock_quantity, 7);
    EXPECT_EQ(some->stock_status, StockStatus::kInStock);
    auto negative = product_from_part(part(R"(,"OnHand_c":-2.5)"), options);
    ASSERT_TRUE(negative);
    EXPECT_EQ(negative->stock_quantity, 0);
    EXPECT_EQ(negative->stock_status, StockStatus::kOutOfStock);
}

TEST(CatalogMapping, MissingConfiguredFieldIsAConfigErrorNotPriceZero) {
    CatalogOptions options;
    options.price_field = "WebPrice_c";
    auto draft = product_from_part(part(), options);
    ASSERT_FALSE(draft);
    EXPECT_EQ(draft.error().code, ErrorCode::kConfig);
    EXPECT_NE(draft.error().message.find("WebPrice_c"), std::string::npos);
}

TEST(CatalogMapping, PriceUsesTheCurrencyMinorDigits) {
    CatalogOptions options;
    options.currency = "JPY";
    auto draft = product_from_part(part(), options);
    ASSERT_TRUE(draft);
    EXPECT_EQ(draft->regular_price, "12");  // Half-even: 12.5 -> 12.
}

TEST(CatalogMapping, HashFollowsWrittenFieldsOnly) {
    auto base = product_from_part(part(), CatalogOptions{}).value();
    auto bumped = product_from_part(part(R"(,"SysRevID":9)"), CatalogOptions{}).value();
    EXPECT_EQ(content_hash(base), content_hash(bumped)) << "a new SysRevID alone writes nothing";
    auto repriced = product_from_part(part(R"(,"UnitPrice":13)"), CatalogOptions{}).value();
    EXPECT_NE(content_hash(base), content_hash(repriced));
}

TEST(CatalogMapping, CustomerKeepsItsEmailAndMapsTheCountryName) {
    const auto row = connectors::epicor::parse_exact(
                         R"({"CustID":"C1","Name":"Acme Tools","EMailAddress":" a@b.example ",)"
                         R"("Address1":"1 Main St","Address3":"Dock 4","City":"Dayton",)"
                         R"("Country":"USA","SysRevID":2})")
                         .value()
                         .as_object();
    auto draft = customer_from_row(row, CatalogOptions{});
    ASSERT_TRUE(draft) << draft.error().describe();
    EXPECT_EQ(draft->cust_id, "C1");
    EXPECT_EQ(draft->email, "a@b.example");
    EXPECT_EQ(draft->address.country, "US");
    EXPECT_EQ(draft->address.address_2, "Dock 4");
    EXPECT_EQ(email_key("A@B.Example "), "a@b.example");
    CatalogOptions narnia;
    auto unknown =
        customer_from_row(connectors::epicor::parse_exact(R"({"CustID":"C2","Country":"Narnia"})")
                              .value()
                              .as_object(),
                          narnia);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->address.country, "");
    EXPECT_NE(unknown->note.find("mappings.countries"), std::string::npos);
}

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce

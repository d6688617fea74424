// Epicor Part / Customer rows -> the catalog's model records (epicor_catalog.hpp). Pure.
#include "connectors/epicor/epicor_catalog.hpp"

#include <gtest/gtest.h>

#include "connectors/epicor/epicor_json.hpp"

namespace mlc::connectors::epicor {
namespace {

boost::json::object part(std::string_view extra = "") {
    std::string text = R"({"PartNum":"P-1","PartDescription":" Red bolt ","UnitPrice":12.5,)"
                       R"("NetWeight":0.75,"NetWeightUOM":"LB","InActive":false,"NonStock":false,)"
                       R"("SysRevID":4)";
    text += extra;
    text += "}";
    // Exact parse, as the client reads rows: decimals never pass through a double.
    return parse_exact(text).value().as_object();
}

TEST(EpicorCatalog, PartBecomesAnActiveItemWithItsPriceAndWeight) {
    auto item = catalog_item(part(), PartFields{});
    ASSERT_TRUE(item) << item.error().describe();
    EXPECT_EQ(item->sku, "P-1");
    EXPECT_EQ(item->source.key, "P-1");
    EXPECT_EQ(item->description, "Red bolt");
    EXPECT_EQ(item->unit_price.to_string(2), "12.50");
    ASSERT_TRUE(item->weight);
    EXPECT_EQ(item->weight->to_string(), "0.75");
    EXPECT_TRUE(item->active);
    EXPECT_TRUE(item->stocked);
    EXPECT_FALSE(item->quantity_on_hand) << "Part has no on-hand quantity";
    EXPECT_EQ(item->revision, "4");
}

TEST(EpicorCatalog, InactiveAndNonStockPartsSaySo) {
    auto inactive = catalog_item(part(R"(,"InActive":true)"), PartFields{});
    ASSERT_TRUE(inactive);
    EXPECT_FALSE(inactive->active);
    auto non_stock = catalog_item(part(R"(,"NonStock":true)"), PartFields{});
    ASSERT_TRUE(non_stock);
    EXPECT_TRUE(non_stock->active);
    EXPECT_FALSE(non_stock->stocked);
}

TEST(EpicorCatalog, ConfiguredStockFieldGivesWholeUnitsNeverBelowZero) {
    const PartFields fields{.price_field = "UnitPrice", .stock_field = "OnHand_c"};
    auto some = catalog_item(part(R"(,"OnHand_c":7.9)"), fields);
    ASSERT_TRUE(some) << some.error().describe();
    EXPECT_EQ(some->quantity_on_hand, Decimal::from_int(7));
    auto negative = catalog_item(part(R"(,"OnHand_c":-2.5)"), fields);
    ASSERT_TRUE(negative);
    EXPECT_EQ(negative->quantity_on_hand, Decimal::from_int(0));
}

TEST(EpicorCatalog, MissingConfiguredFieldIsAConfigErrorNotPriceZero) {
    auto item = catalog_item(part(), PartFields{.price_field = "WebPrice_c", .stock_field = {}});
    ASSERT_FALSE(item);
    EXPECT_EQ(item.error().code, ErrorCode::kConfig);
    EXPECT_NE(item.error().message.find("WebPrice_c"), std::string::npos);
}

TEST(EpicorCatalog, CustomerKeepsItsTrimmedEmailAndAddress) {
    const auto row = parse_exact(R"({"CustID":"C1","Name":"Acme Tools","EMailAddress":" a@b.x ",)"
                                 R"("Address1":"1 Main St","Address3":"Dock 4","City":"Dayton",)"
                                 R"("Country":"USA","SysRevID":2})")
                         .value()
                         .as_object();
    const model::Party party = catalog_party(row, "UTC").value();
    EXPECT_EQ(party.source.key, "C1");
    EXPECT_EQ(party.email, "a@b.x");
    EXPECT_EQ(party.billing.street3, "Dock 4");
    EXPECT_EQ(party.billing.country, "USA");
    EXPECT_EQ(party.billing.company, "Acme Tools");
}

}  // namespace
}  // namespace mlc::connectors::epicor

#include "connectors/epicor/epicor_json.hpp"

#include <gtest/gtest.h>

#include "common/time.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

json::object parse_object(std::string_view text) {
    auto value = parse_exact(text);
    EXPECT_TRUE(value) << value.error().describe();
    return value ? value->as_object() : json::object{};
}

TEST(EpicorExactJson, ReadsDecimalsAsTextAndWritesThemBackAsNumbers) {
    const json::object row =
        parse_object(R"({"UnitPrice": 0.1, "DocTotalOrder": 1e2, "OrderNum": 5001, "X": "0.5"})");
    EXPECT_EQ(*decimal_of(row, "UnitPrice") + *Decimal::parse("0.2"), *Decimal::parse("0.3"));
    EXPECT_EQ(*decimal_of(row, "OrderNum"), Decimal::from_int(5001));
    EXPECT_EQ(int_of(row, "OrderNum"), 5001);
    EXPECT_FALSE(decimal_of(json::object{{"UnitPrice", true}}, "UnitPrice"));
    const std::string out = write_exact(json::object{{"UnitPrice", "12.30"}, {"PONum", "12.30"}});
    EXPECT_EQ(out, R"({"UnitPrice":12.3,"PONum":"12.30"})");
    EXPECT_FALSE(parse_exact("{not json"));
}

TEST(EpicorDates, AreServerLocalWithoutOffset) {
    const json::object row = parse_object(R"({"OrderDate": "2024-03-15T00:00:00"})");
    auto utc = date_of(row, "OrderDate", "UTC");
    ASSERT_TRUE(utc);
    EXPECT_EQ(format_iso8601(**utc), "2024-03-15T00:00:00Z");
    auto chicago = date_of(row, "OrderDate", "America/Chicago");
    ASSERT_TRUE(chicago);
    EXPECT_EQ(format_iso8601(**chicago), "2024-03-15T05:00:00Z");  // CDT is UTC-5.
    EXPECT_FALSE(*date_of(json::object{{"OrderDate", nullptr}}, "OrderDate", "UTC"));
    const UtcTime late = *parse_iso8601("2024-03-16T03:30:00Z");
    EXPECT_EQ(*format_epicor_date(late, "America/Chicago"), "2024-03-15T00:00:00");
    EXPECT_EQ(*format_epicor_datetime(late, "UTC"), "2024-03-16T03:30:00");
}

TEST(EpicorOrderRows, MapToTheModelWithoutVoidLines) {
    const json::object head = parse_object(
        R"({"OrderNum": 5007, "PONum": "SS-1", "CustomerCustID": "C00001", "OpenOrder": true,
            "VoidOrder": false, "OrderHeld": false, "DocTotalOrder": 24.68,
            "OrderDate": "2024-03-15T00:00:00", "RequestDate": null, "OTSName": "Ann"})");
    const json::array lines = parse_exact(
                                  R"([{"OrderLine": 1, "PartNum": "P1", "SellingQuantity": 2,
                                       "DocUnitPrice": 12.34, "VoidLine": false},
                                      {"OrderLine": 2, "PartNum": "P2", "SellingQuantity": 1,
                                       "DocUnitPrice": 5, "VoidLine": true}])")
                                  ->as_array();
    auto order = order_from_rows(head, lines, "PONum", "UTC");
    ASSERT_TRUE(order) << order.error().describe();
    EXPECT_EQ(order->source.key, "5007");
    EXPECT_EQ(order->number, "SS-1");
    EXPECT_EQ(order->status, model::OrderStatus::kOpen);
    EXPECT_EQ(order->total, *Decimal::parse("24.68"));
    EXPECT_EQ(order->ship_to.name, "Ann");
    EXPECT_FALSE(order->ship_by);
    ASSERT_EQ(order->lines.size(), 1u);
    EXPECT_EQ(order->lines[0].line_key, "1");
    EXPECT_EQ(order->lines[0].unit_price, *Decimal::parse("12.34"));

    json::object voided = head;
    voided["VoidOrder"] = true;
    EXPECT_EQ(order_from_rows(voided, {}, "PONum", "UTC")->status, model::OrderStatus::kCancelled);
    json::object closed = head;
    closed["OpenOrder"] = false;
    EXPECT_EQ(order_from_rows(closed, {}, "PONum", "UTC")->status, model::OrderStatus::kCompleted);
}

TEST(EpicorOrderHeader, CarriesTheSourceKeyInTheConfiguredField) {
    model::Order order;
    order.source.key = "SS-9";
    order.ship_by = *parse_iso8601("2024-03-18T15:00:00Z");
    auto fields = order_header_fields(order, "ShipStationKey_c", "UTC");
    ASSERT_TRUE(fields);
    EXPECT_EQ(fields->at("ShipStationKey_c").as_string(), "SS-9");
    EXPECT_EQ(fields->at("RequestDate").as_string(), "2024-03-18T00:00:00");
    EXPECT_EQ(fields->at("NeedByDate").as_string(), "2024-03-18T00:00:00");
    EXPECT_FALSE(fields->contains("OrderDate"));  // Unknown: Epicor's default (today).
    EXPECT_FALSE(fields->contains("OTSName"));    // No ship-to given.
}

TEST(EpicorPartRow, MapsToAnItemWithItsRevision) {
    const json::object row = parse_object(
        R"({"PartNum": "P1", "PartDescription": "Steel Hinge", "UnitPrice": 9.99,
            "NetWeight": 1.25, "NetWeightUOM": "LB", "InActive": true, "SysRevID": 42})");
    auto item = item_from_part(row);
    ASSERT_TRUE(item);
    EXPECT_EQ(item->sku, "P1");
    EXPECT_EQ(item->unit_price, *Decimal::parse("9.99"));
    EXPECT_EQ(*item->weight, *Decimal::parse("1.25"));
    EXPECT_EQ(item->weight_unit, "lb");
    EXPECT_FALSE(item->active);
    EXPECT_EQ(item->revision, "42");
}

}  // namespace
}  // namespace mlc::connectors::epicor

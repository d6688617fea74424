#include "connectors/shipstation/shipstation_json.hpp"

#include <gtest/gtest.h>

#include "common/time.hpp"

namespace mlc::connectors::shipstation {
namespace {

namespace json = boost::json;

UtcTime utc(std::string_view iso) { return parse_iso8601(iso).value(); }
Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

// A V1 order as the docs show it, with the number forms money arrives in.
constexpr std::string_view kOrder = R"({
  "orderId": 94113592, "orderNumber": "TEST-ORDER-API-DOCS", "orderKey": "0f6bec18-3e89",
  "orderDate": "2015-06-29T08:46:27.0000000", "createDate": "2015-06-22T14:35:51.0000000",
  "modifyDate": "2015-12-30T10:15:02.8370000", "paymentDate": "2015-06-29T08:46:27.0000000",
  "shipByDate": "2015-07-05T00:00:00.0000000", "orderStatus": "awaiting_shipment",
  "customerId": 37701499, "customerUsername": "headhoncho@whitehouse.gov",
  "customerEmail": "headhoncho@whitehouse.gov",
  "billTo": {"name": "The President", "company": null, "street1": null, "residential": null},
  "shipTo": {"name": "The President", "company": "US Govt", "street1": "1600 Pennsylvania Ave",
             "street2": "Oval Office", "street3": null, "city": "Washington", "state": "DC",
             "postalCode": "20500", "country": "US", "phone": "555-555-5555",
             "residential": false, "addressVerified": "Address validation warning"},
  "items": [
    {"orderItemId": 128836912, "lineItemKey": "vd08-MSLbtx", "sku": "ABC123",
     "name": "Test item #1", "quantity": 1, "unitPrice": 99.99, "taxAmount": 2.5,
     "shippingAmount": 5, "adjustment": false, "createDate": "2015-08-17T09:24:14.78"},
    {"orderItemId": 128836913, "lineItemKey": null, "sku": "DEF-4", "name": "Test item #2",
     "quantity": 3, "unitPrice": 0.10, "taxAmount": null, "adjustment": false},
    {"orderItemId": 128836914, "lineItemKey": null, "sku": null, "name": "Coupon",
     "quantity": 1, "unitPrice": -20.00, "adjustment": true}],
  "orderTotal": 194.43, "amountPaid": 218.73, "taxAmount": 5, "shippingAmount": 10,
  "customerNotes": "Please ship as soon as possible!", "internalNotes": "Customer called",
  "requestedShippingService": "Priority Mail", "carrierCode": "fedex", "shipDate": "2015-07-02",
  "weight": {"value": 25, "units": "ounces"}, "advancedOptions": {"storeId": 26815}
})";

json::object parsed_order() { return parse_exact(kOrder, "test order").value().as_object(); }

TEST(ExactJson, MoneyKeepsEveryDigitTheVendorWrote) {
    const auto value =
        parse_exact(R"({"a": 0.1, "b": 12.30, "c": -5, "d": 12345678901234.567891})", "test")
            .value();
    const auto& object = value.as_object();
    EXPECT_EQ(number_text(object.at("a")), "0.1");
    EXPECT_EQ(number_text(object.at("b")), "12.30");
    EXPECT_EQ(Decimal::parse(*number_text(object.at("d"))).value().to_string(),
              "12345678901234.567891");
    // Written back as bare numbers, digit for digit.
    EXPECT_EQ(serialize_exact(value), R"({"a":0.1,"b":12.30,"c":-5,"d":12345678901234.567891})");
}

TEST(ExactJson, NumbersInsideStringsAreLeftAlone) {
    const auto value = parse_exact(R"({"s": "x\" 12.5 \\", "n": [1, "2"]})", "test").value();
    EXPECT_EQ(value.as_object().at("s").as_string(), "x\" 12.5 \\");
    EXPECT_EQ(serialize_exact(value), R"({"s":"x\" 12.5 \\","n":[1,"2"]})");
}

// Found by fuzz/shipstation_json_fuzz: a text starting with U+001F (the number mark) was written
// back as a bare word, so serialize_exact() made JSON nothing could read.
TEST(ExactJson, TextStartingWithTheNumberMarkIsWrittenBackAsText) {
    const auto value =
        parse_exact(R"({"customerNotes": "\u001fcall me", "n": 12.30, "e": "\u001f"})", "test")
            .value();
    const std::string written = serialize_exact(value);
    EXPECT_EQ(written, R"({"customerNotes":"\u001fcall me","n":12.30,"e":"\u001f"})");
    const auto again = parse_exact(written, "written back");
    ASSERT_TRUE(again.has_value()) << written;
    EXPECT_EQ(*again, value);
}

TEST(ExactJson, TruncatedBodyIsInvalidInput) {
    const std::string body(kOrder.substr(0, kOrder.size() / 2));
    const auto parsed = parse_exact(body, "GET /orders answer");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(parsed.error().message.find("GET /orders answer"), std::string::npos);
}

TEST(PacificTime, WinterIsEightHoursBehindUtc) {
    EXPECT_EQ(parse_pacific("2024-01-15T08:46:27.0000000").value(), utc("2024-01-15T16:46:27Z"));
}

TEST(PacificTime, SummerIsSevenHoursBehindUtc) {
    EXPECT_EQ(parse_pacific("2015-06-29T08:46:27.0000000").value(), utc("2015-06-29T15:46:27Z"));
}

TEST(PacificTime, FractionsOfZeroToSevenDigitsAndDateOnly) {
    EXPECT_EQ(parse_pacific("2015-08-17T09:24:14.78").value(), utc("2015-08-17T16:24:14.780Z"));
    EXPECT_EQ(parse_pacific("2015-08-17T09:24:14").value(), utc("2015-08-17T16:24:14Z"));
    EXPECT_EQ(parse_pacific("2015-04-25").value(), utc("2015-04-25T07:00:00Z"));
}

TEST(PacificTime, RepeatedFallBackHourReadsAsItsFirstOccurrence) {
    // 2024-11-03 01:30 happens at 08:30Z (PDT) and again at 09:30Z (PST).
    EXPECT_EQ(parse_pacific("2024-11-03T01:30:00.0000000").value(), utc("2024-11-03T08:30:00Z"));
}

TEST(PacificTime, RequestParametersAreWrittenInPacificWallTime) {
    EXPECT_EQ(pacific_request_time(utc("2016-11-30T07:59:59Z")).value(), "2016-11-29 23:59:59");
    EXPECT_EQ(pacific_request_time(utc("2016-07-01T06:59:59.999Z")).value(), "2016-06-30 23:59:59");
    EXPECT_EQ(pacific_body_time(utc("2015-06-29T15:46:27.5Z")).value(),
              "2015-06-29T08:46:27.5000000");
    EXPECT_EQ(pacific_date(utc("2015-04-25T06:59:00Z")).value(), "2015-04-24");
}

TEST(OrderFromJson, MapsEveryFieldTheFlowsUse) {
    const model::Order order = order_from_json(parsed_order()).value();
    EXPECT_EQ(order.source, (model::SourceRef{"shipstation", "0f6bec18-3e89", "94113592"}));
    EXPECT_EQ(order.number, "TEST-ORDER-API-DOCS");
    EXPECT_EQ(order.status, model::OrderStatus::kOpen);
    EXPECT_EQ(order.customer_code, "headhoncho@whitehouse.gov");
    EXPECT_EQ(order.customer_name, "The President");
    EXPECT_EQ(order.ship_to.street2, "Oval Office");
    EXPECT_EQ(order.ship_to.postal_code, "20500");
    EXPECT_FALSE(order.ship_to.residential);
    EXPECT_EQ(order.bill_to.street1, "");
    ASSERT_EQ(order.lines.size(), 2u);
    EXPECT_EQ(order.lines[0].line_key, "vd08-MSLbtx");
    EXPECT_EQ(order.lines[0].unit_price, dec("99.99"));
    EXPECT_EQ(order.lines[0].tax, dec("2.5"));
    EXPECT_EQ(order.lines[1].line_key, "128836913");  // No lineItemKey: the item id.
    EXPECT_EQ(order.lines[1].quantity, dec("3"));
    EXPECT_EQ(order.lines[1].unit_price, dec("0.10"));
    EXPECT_EQ(order.discount_total, dec("20"));  // The adjustment item.
    EXPECT_EQ(order.total, dec("194.43"));
    EXPECT_EQ(order.tax_total, dec("5"));
    EXPECT_EQ(order.shipping_total, dec("10"));
    EXPECT_EQ(order.notes, "Please ship as soon as possible!");
    EXPECT_EQ(order.requested_service, "Priority Mail");
    EXPECT_EQ(order.ordered_at, utc("2015-06-29T15:46:27Z"));
    EXPECT_EQ(order.paid_at, utc("2015-06-29T15:46:27Z"));
    EXPECT_EQ(order.ship_by, utc("2015-07-05T07:00:00Z"));
    EXPECT_EQ(order.modified_at, utc("2015-12-30T18:15:02.837Z"));
}

TEST(OrderFromJson, EveryVendorStatusMaps) {
    using model::OrderStatus;
    EXPECT_EQ(order_status_from_text("awaiting_payment").value(), OrderStatus::kPending);
    EXPECT_EQ(order_status_from_text("pending_fulfillment").value(), OrderStatus::kOpen);
    EXPECT_EQ(order_status_from_text("on_hold").value(), OrderStatus::kOnHold);
    EXPECT_EQ(order_status_from_text("shipped").value(), OrderStatus::kShipped);
    EXPECT_EQ(order_status_from_text("cancelled").value(), OrderStatus::kCancelled);
    EXPECT_EQ(order_status_from_text("rejected_fulfillment").value(), OrderStatus::kCancelled);
    EXPECT_EQ(order_status_from_text("teleported").error().code, ErrorCode::kInvalidInput);
}

TEST(OrderFromJson, MoneySentAsFloatingPointJsonIsRefusedNotRounded) {
    json::object order = parsed_order();
    order["orderTotal"] = 0.1;  // A real double: never produced by parse_exact.
    EXPECT_EQ(order_from_json(order).error().code, ErrorCode::kInvalidInput);
}

TEST(OrdersPage, OneBadOrderIsRejectedAloneWithItsRawJson) {
    const std::string body =
        R"({"orders": [)" + std::string(kOrder) +
        R"(, {"orderId": 7, "orderStatus": "shipped", "modifyDate": "yesterday",
                                   "orderDate": "2015-06-29", "orderTotal": 1.10}],
                                 "total": 2, "page": 1, "pages": 1})";
    const auto page = orders_page_from_json(body).value();
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0].value.number, "TEST-ORDER-API-DOCS");
    EXPECT_NE(page.items[0].raw.find(R"("unitPrice":0.10)"), std::string::npos);
    ASSERT_EQ(page.rejected.size(), 1u);
    EXPECT_EQ(page.rejected[0].key, "order 7");
    EXPECT_EQ(page.rejected[0].error.code, ErrorCode::kInvalidInput);
    EXPECT_NE(page.rejected[0].raw.find(R"("orderTotal":1.10)"), std::string::npos);
    EXPECT_FALSE(page.more);
}

TEST(OrdersPage, PagesZeroMeansNoMore) {
    const auto single =
        orders_page_from_json(R"({"orders": [], "total": 0, "page": 1, "pages": 0})");
    EXPECT_FALSE(single.value().more);
    const auto first =
        orders_page_from_json(R"({"orders": [], "total": 900, "page": 1, "pages": 2})");
    EXPECT_TRUE(first.value().more);
    EXPECT_EQ(first.value().next_page, 2u);
    EXPECT_EQ(first.value().total, 900u);
    const auto last =
        orders_page_from_json(R"({"orders": [], "total": 900, "page": 2, "pages": 2})");
    EXPECT_FALSE(last.value().more);
}

TEST(OrdersPage, AnswerWithoutOrdersArrayIsInvalid) {
    EXPECT_EQ(orders_page_from_json(R"({"Message": "x"})").error().code, ErrorCode::kInvalidInput);
}

TEST(ShipmentFromJson, MapsTrackingCostItemsAndVoid) {
    const auto value = parse_exact(R"({"shipmentId": 33974374, "orderId": 43945660,
        "orderKey": "8061c220f0794f9b", "orderNumber": "TEST-ORDER-1",
        "createDate": "2014-10-03T06:51:33.6270000", "shipDate": "2014-10-03",
        "shipmentCost": 1.93, "trackingNumber": "9400111899561704681189", "carrierCode": "stamps_com",
        "serviceCode": "usps_first_class_mail", "voided": true, "voidDate": "2014-10-04T01:00:00.0000000",
        "shipTo": {"name": "Yoda", "city": "Dagobah"},
        "shipmentItems": [{"orderItemId": 56, "lineItemKey": null, "sku": "SQ", "quantity": 2}]})",
                                   "test")
                           .value();
    const auto shipment = shipment_from_json(value.as_object()).value();
    EXPECT_EQ(shipment.source.key, "33974374");
    EXPECT_EQ(shipment.order, (model::SourceRef{"shipstation", "8061c220f0794f9b", "43945660"}));
    EXPECT_EQ(shipment.cost, dec("1.93"));
    EXPECT_EQ(shipment.tracking_number, "9400111899561704681189");
    EXPECT_EQ(shipment.carrier, "stamps_com");
    EXPECT_TRUE(shipment.voided);
    EXPECT_EQ(shipment.ship_date, utc("2014-10-03T07:00:00Z"));
    EXPECT_EQ(shipment.created_at, utc("2014-10-03T13:51:33.627Z"));
    ASSERT_EQ(shipment.lines.size(), 1u);
    EXPECT_EQ(shipment.lines[0].order_line_key, "56");
    EXPECT_EQ(shipment.lines[0].quantity, dec("2"));
    EXPECT_EQ(shipment.ship_to.city, "Dagobah");
}

TEST(OrderToJson, RoundTripsThroughTheVendorForm) {
    const model::Order original = order_from_json(parsed_order()).value();
    json::object body =
        order_to_json(original, {.order_id = std::nullopt, .store_id = 26815}).value();
    const std::string text = serialize_exact(body);
    EXPECT_NE(text.find(R"("orderDate":"2015-06-29T08:46:27.0000000")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("advancedOptions":{"storeId":26815})"), std::string::npos) << text;
    // What ShipStation answers adds its ids and dates.
    json::object answered = parse_exact(text, "test").value().as_object();
    answered["orderId"] = exact_number(std::int64_t{94113592});
    answered["modifyDate"] = "2015-12-30T10:15:02.8370000";
    const model::Order back = order_from_json(answered).value();
    EXPECT_EQ(back, original);
}

TEST(OrderToJson, OrderWithoutSourceKeyIsRefused) {
    model::Order order;
    order.number = "X-1";
    EXPECT_FALSE(order_to_json(order, {}));
}

}  // namespace
}  // namespace mlc::connectors::shipstation

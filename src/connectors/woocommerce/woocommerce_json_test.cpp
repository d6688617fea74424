#include "connectors/woocommerce/woocommerce_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::connectors::woocommerce {
namespace {

namespace json = boost::json;

Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }
UtcTime utc(std::string_view iso) { return parse_iso8601(iso).value(); }

// An order as Woo writes it (woocommerce.md): money strings, a float line price, each date
// site-local and _gmt.
constexpr std::string_view kOrder = R"({
  "id": 727, "number": "727", "status": "processing", "currency": "EUR",
  "date_created": "2024-03-15T06:20:30", "date_created_gmt": "2024-03-15T10:20:30",
  "date_modified": "2024-03-15T06:25:00", "date_modified_gmt": "2024-03-15T10:25:00",
  "date_paid": null, "date_paid_gmt": null,
  "discount_total": "1.00", "shipping_total": "5.00", "total": "37.99", "total_tax": "0.00",
  "customer_id": 0, "customer_note": "Leave at the door",
  "billing": {"first_name": "Zo\u00eb", "last_name": "M\u00fcller", "company": "",
              "address_1": "1 Main St", "address_2": "", "city": "Austin", "state": "TX",
              "postcode": "78701", "country": "US", "email": "zoe@example.com",
              "phone": "555"},
  "shipping": {"first_name": "Zo\u00eb", "last_name": "M\u00fcller", "address_1": "1 Main St",
               "city": "Austin", "state": "TX", "postcode": "78701", "country": "US"},
  "meta_data": [{"id": 1, "key": "_epicor_order", "value": "5001"},
                {"id": 2, "key": "_weight", "value": 2.5}],
  "line_items": [{"id": 9, "name": "Valve 3\/4\"", "sku": "WOO-1", "quantity": 3,
                  "subtotal": "34.99", "total": "33.99", "total_tax": "0.00",
                  "price": 11.663333333333334}],
  "shipping_lines": [{"id": 1, "method_title": "Flat rate", "total": "5.00"}],
  "refunds": [{"id": 800, "reason": "", "total": "-2.00"}]
})";

json::object order_object() { return parse_exact(kOrder, "test").value().as_object(); }

TEST(WooJson, AProductWithoutAQuantityCarriesItsStockStatus) {
    model::Item item;
    item.sku = "P1";
    item.unit_price = *Decimal::parse("12.30");
    EXPECT_EQ(product_to_json(item).at("stock_status").as_string(), "instock");
    EXPECT_FALSE(product_to_json(item).at("manage_stock").as_bool());
    item.stocked = false;  // Made or bought to order.
    EXPECT_EQ(product_to_json(item).at("stock_status").as_string(), "onbackorder");
    item.active = false;  // Inactive in the ERP: a draft, out of stock.
    const auto inactive = product_to_json(item);
    EXPECT_EQ(inactive.at("stock_status").as_string(), "outofstock");
    EXPECT_EQ(inactive.at("status").as_string(), "draft");
    item.quantity_on_hand = Decimal::from_int(7);  // A known quantity: Woo manages stock.
    const auto counted = product_to_json(item);
    EXPECT_TRUE(counted.at("manage_stock").as_bool());
    EXPECT_EQ(counted.at("stock_quantity").as_int64(), 7);
    EXPECT_FALSE(counted.contains("stock_status"));
}

TEST(WooJson, OrderMoneyIsExactDecimal) {
    auto order = order_from_json(order_object());
    ASSERT_TRUE(order) << order.error().describe();
    EXPECT_EQ(order->total, dec("37.99"));
    EXPECT_EQ(order->shipping_total, dec("5"));
    EXPECT_EQ(order->discount_total, dec("1"));
    EXPECT_EQ(order->currency, "EUR");
    ASSERT_EQ(order->lines.size(), 1u);
    const auto& line = order->lines.front();
    EXPECT_EQ(line.quantity, Decimal::from_int(3));
    // 34.99 / 3, never the float price: rounded half-even at the sixth digit.
    EXPECT_EQ(line.unit_price, dec("11.663333"));
    EXPECT_EQ(line.discount, dec("1.00"));
    EXPECT_EQ(line.description, "Valve 3/4\"");
}

TEST(WooJson, OrderDatesAreTheGmtFieldsNeverSiteLocal) {
    auto order = order_from_json(order_object());
    ASSERT_TRUE(order);
    EXPECT_EQ(order->ordered_at, utc("2024-03-15T10:20:30Z"));
    EXPECT_EQ(order->modified_at, utc("2024-03-15T10:25:00Z"));
    EXPECT_FALSE(order->paid_at);
}

TEST(WooJson, OrderPartiesAndKeys) {
    auto order = order_from_json(order_object());
    ASSERT_TRUE(order);
    EXPECT_EQ(order->source.system, "woocommerce");
    EXPECT_EQ(order->source.key, "727");
    EXPECT_EQ(order->status, model::OrderStatus::kOpen);
    EXPECT_EQ(order->customer_code, "");  // Guest checkout.
    EXPECT_EQ(order->customer_email, "zoe@example.com");
    EXPECT_EQ(order->customer_name, "Zoë Müller");
    EXPECT_EQ(order->ship_to.postal_code, "78701");
    EXPECT_EQ(order->requested_service, "Flat rate");
    EXPECT_EQ(order->notes, "Leave at the door");
}

TEST(WooJson, BadMoneyRejectsTheOrderNamingTheField) {
    auto object = order_object();
    object["total"] = "12,50";
    auto order = order_from_json(object);
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(order.error().message.find("total"), std::string::npos);
    EXPECT_NE(order.error().describe().find("order 727"), std::string::npos);
}

TEST(WooJson, ABadOrderIsRejectedAloneOnAPage) {
    auto bad = order_object();
    bad["id"] = 728;
    bad["date_created_gmt"] = "yesterday";
    const json::value answer = json::array{order_object(), bad};
    auto page = orders_from_answer(answer);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->items.size(), 1u);
    ASSERT_EQ(page->rejected.size(), 1u);
    EXPECT_EQ(page->rejected.front().key, "order 728");
    EXPECT_NE(page->rejected.front().raw.find("yesterday"), std::string::npos);
}

TEST(WooJson, ParseExactKeepsFloatTextAndMetaValues) {
    const auto object = order_object();
    const auto& line = object.at("line_items").as_array().front().as_object();
    EXPECT_EQ(line.at("price").as_string(), "11.663333333333334");
    EXPECT_EQ(meta_value(object, "_epicor_order"), "5001");
    EXPECT_EQ(meta_value(object, "_weight"), "2.5");
    EXPECT_FALSE(meta_value(object, "_nothing"));
    EXPECT_FALSE(parse_exact("{\"a\": ", "test"));
}

TEST(WooJson, StatusesMapToTheModel) {
    EXPECT_EQ(order_status_from_text("on-hold").value(), model::OrderStatus::kOnHold);
    EXPECT_EQ(order_status_from_text("completed").value(), model::OrderStatus::kCompleted);
    EXPECT_EQ(order_status_from_text("refunded").value(), model::OrderStatus::kRefunded);
    EXPECT_EQ(order_status_from_text("trash").value(), model::OrderStatus::kCancelled);
    EXPECT_EQ(order_status_from_text("pending").value(), model::OrderStatus::kPending);
    EXPECT_FALSE(order_status_from_text("exploded"));
}

TEST(WooJson, RefundAmountIsPositiveAndLinesToo) {
    const auto refund = parse_exact(R"({"id": 800, "date_created": "2024-03-16T01:00:00",
        "date_created_gmt": "2024-03-16T05:00:00", "amount": "2.00", "reason": "Scratched",
        "line_items": [{"id": 12, "sku": "WOO-1", "quantity": -1, "subtotal": "-2.00",
                        "total": "-2.00", "total_tax": "0.00", "price": -2}]})",
                                    "test")
                            .value()
                            .as_object();
    auto mapped = refund_from_json(refund, 727, "EUR");
    ASSERT_TRUE(mapped) << mapped.error().describe();
    EXPECT_EQ(mapped->amount, dec("2"));
    EXPECT_EQ(mapped->order.key, "727");
    EXPECT_EQ(mapped->currency, "EUR");
    EXPECT_EQ(mapped->created_at, utc("2024-03-16T05:00:00Z"));
    ASSERT_EQ(mapped->lines.size(), 1u);
    EXPECT_EQ(mapped->lines.front().quantity, Decimal::from_int(1));
    EXPECT_EQ(mapped->lines.front().unit_price, dec("2"));
}

TEST(WooJson, ProductMapsSkuAsKeyAndWritesPricesAsStrings) {
    const auto product = parse_exact(R"({"id": 55, "name": "Brass Hinge", "sku": "H-1",
        "status": "publish", "regular_price": "4.5", "sale_price": "", "manage_stock": true,
        "stock_quantity": 12, "weight": "0.25", "date_modified_gmt": "2024-01-01T00:00:00"})",
                                     "test")
                             .value()
                             .as_object();
    auto item = item_from_json(product);
    ASSERT_TRUE(item) << item.error().describe();
    EXPECT_EQ(item->source.key, "H-1");
    EXPECT_EQ(item->source.id, "55");
    EXPECT_EQ(item->unit_price, dec("4.50"));
    EXPECT_EQ(item->quantity_on_hand, Decimal::from_int(12));
    EXPECT_EQ(item->weight, dec("0.25"));
    EXPECT_EQ(item->revision, "2024-01-01T00:00:00");
    EXPECT_TRUE(item->active);

    const auto out = product_to_json(*item);
    EXPECT_EQ(out.at("regular_price").as_string(), "4.50");
    EXPECT_EQ(out.at("stock_quantity").as_int64(), 12);
    EXPECT_EQ(out.at("status").as_string(), "publish");
    item->active = false;
    EXPECT_EQ(product_to_json(*item).at("status").as_string(), "draft");
}

TEST(WooJson, CustomerNameSplitsAtTheLastSpace) {
    model::Party party;
    party.name = "Mary Ann Evans";
    party.email = "mary@example.org";
    party.code = "george";
    const auto created = customer_to_json(party, true);
    EXPECT_EQ(created.at("first_name").as_string(), "Mary Ann");
    EXPECT_EQ(created.at("last_name").as_string(), "Evans");
    EXPECT_EQ(created.at("username").as_string(), "george");
    EXPECT_EQ(created.at("billing").at("email").as_string(), "mary@example.org");
    EXPECT_FALSE(customer_to_json(party, false).contains("username"));
}

TEST(WooJson, RequestTimesAreUtcWallDigits) {
    EXPECT_EQ(gmt_request_time(utc("2024-03-15T10:20:30.900Z")), "2024-03-15T10:20:30");
}

}  // namespace
}  // namespace mlc::connectors::woocommerce

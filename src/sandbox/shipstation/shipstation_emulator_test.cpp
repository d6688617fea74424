#include "sandbox/shipstation/shipstation_emulator.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>
#include "common/base64.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::sandbox::shipstation {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kBase = "http://shipstation.sandbox.test";

// True when `text` has `shape`'s form: 'd' is any digit, other characters stand for themselves.
// (No std::regex: GCC 12 warns inside <regex> under ASan, and warnings are errors.)
bool has_shape(std::string_view text, std::string_view shape) {
    if (text.size() != shape.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (shape[i] == 'd' ? !digit : text[i] != shape[i]) return false;
    }
    return true;
}

// "YYYY-MM-DDTHH:MM:SS" with 0 to 7 fraction digits, as ShipStation writes item times.
bool is_short_fraction_time(std::string_view text) {
    constexpr std::string_view kSeconds = "dddd-dd-ddTdd:dd:dd";
    if (!has_shape(text.substr(0, kSeconds.size()), kSeconds)) return false;
    const auto rest = text.substr(std::min(text.size(), kSeconds.size()));
    if (rest.empty()) return true;
    return rest.size() >= 2 && rest.size() <= 8 &&
           has_shape(rest, std::string(".") + std::string(rest.size() - 1, 'd'));
}

UtcTime utc(std::int64_t unix_seconds) { return UtcTime{std::chrono::seconds{unix_seconds}}; }

json::object order_body(const std::string& key, const std::string& number) {
    return {{"orderNumber", number},
            {"orderKey", key},
            {"orderDate", "2024-11-01 10:00:00"},
            {"orderStatus", "awaiting_shipment"},
            {"customerNotes", "leave at door"},
            {"internalNotes", "vip"},
            {"billTo", json::object{{"name", "Ada Lovelace"}}},
            {"shipTo", json::object{{"name", "Ada Lovelace"},
                                    {"street1", "1 Loop"},
                                    {"city", "Portland"},
                                    {"state", "OR"},
                                    {"postalCode", "97201"},
                                    {"country", "US"}}},
            {"items", json::array{json::object{{"lineItemKey", "l1"},
                                               {"sku", "SKU-10001"},
                                               {"name", "Steel Widget"},
                                               {"quantity", 2},
                                               {"unitPrice", 12.30}}}},
            {"orderTotal", 24.60}};
}

class ShipStationTest : public ::testing::Test {
  protected:
    explicit ShipStationTest(std::uint64_t seed = 7, std::size_t volume = 300)
        : clock_(utc(1'700'000'000)),
          host_(clock_, transport_, SandboxHostOptions{.seed = seed, .volume = volume}) {
        host_.add("shipstation", make_shipstation_emulator);
        serve_in_process(host_, transport_);
        const auto info = host_.ports().at("shipstation").as_object();
        auth_ = "Basic " + mlc::base64_encode(std::string(info.at("api_key").as_string()) + ":" +
                                              std::string(info.at("api_secret").as_string()));
        transport_.add_route("http://receiver.test", [this](const net::HttpRequest& request) {
            received_.push_back(request);
            return net::json_response(200, "{}");
        });
    }

    // A vendor call with valid credentials. Keeps under the 40/minute limit by moving the clock a
    // minute on every 40th call (the limit itself has its own test).
    net::HttpResponse call(std::string method, std::string target, std::string body = {}) {
        if (++calls_ % 40 == 0) clock_.advance(61s);
        return raw(std::move(method), std::move(target), std::move(body), auth_);
    }
    net::HttpResponse raw(std::string method, std::string target, std::string body,
                          std::string authorization) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = std::move(target);
        request.body = std::move(body);
        if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
        return host_.handle("shipstation", request);
    }
    json::value call_json(std::string method, std::string target, std::string body = {}) {
        const auto response = call(method, target, body);
        EXPECT_EQ(response.status, 200) << method << " " << target << ": " << response.body;
        return json::parse(response.body);
    }
    net::HttpResponse control(std::string method, std::string route, std::string body = {}) {
        return raw(std::move(method), "/__sandbox/" + std::move(route), std::move(body), {});
    }
    std::int64_t create(const json::object& order) {
        const auto response = call("POST", "/orders/createorder", json::serialize(order));
        EXPECT_EQ(response.status, 200) << response.body;
        return json::parse(response.body).at("orderId").as_int64();
    }
    // Follows a webhook's resource_url with our own credentials, as the receiver must.
    json::value follow(const std::string& resource_url) {
        net::HttpRequest request;
        request.url = resource_url;
        request.headers.emplace_back("Authorization", auth_);
        auto response = transport_.send(request);
        EXPECT_TRUE(response);
        return json::parse(response->body);
    }

    ManualClock clock_;
    InProcessTransport transport_;
    SandboxHost host_;
    std::string auth_;
    int calls_ = 0;
    std::vector<net::HttpRequest> received_;
};

TEST_F(ShipStationTest, MissingOrWrongCredentialsAre401WithAspNetBody) {
    const auto missing = raw("GET", "/orders", {}, {});
    EXPECT_EQ(missing.status, 401);
    EXPECT_TRUE(json::parse(missing.body).as_object().contains("Message"));
    EXPECT_EQ(raw("GET", "/orders", {}, "Basic " + mlc::base64_encode("ss-key-7:wrong")).status,
              401);
    EXPECT_EQ(raw("GET", "/orders", {}, "Bearer x").status, 401);
    EXPECT_EQ(call("GET", "/orders").status, 200);
}

TEST_F(ShipStationTest, RevokedKeyIs401UntilRestored) {
    ASSERT_EQ(control("POST", "revoke_key").status, 200);
    EXPECT_EQ(call("GET", "/orders").status, 401);
    ASSERT_EQ(control("POST", "restore_key").status, 200);
    EXPECT_EQ(call("GET", "/orders").status, 200);
}

TEST_F(ShipStationTest, PageSize500IsOnePageAnd501IsRefused) {
    const auto all = call_json("GET", "/orders?pageSize=500");
    EXPECT_EQ(all.at("total").as_int64(), 300);
    EXPECT_EQ(all.at("pages").as_int64(), 1);
    EXPECT_EQ(all.at("orders").as_array().size(), 300u);
    const auto refused = call("GET", "/orders?pageSize=501");
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(json::parse(refused.body).as_object().contains("Message"));
}

TEST_F(ShipStationTest, LastPageIsPartialAndPastItIsEmpty) {
    const auto last = call_json("GET", "/orders?pageSize=120&page=3&sortBy=ModifyDate&sortDir=ASC");
    EXPECT_EQ(last.at("pages").as_int64(), 3);
    EXPECT_EQ(last.at("page").as_int64(), 3);
    EXPECT_EQ(last.at("orders").as_array().size(), 60u);
    const auto past = call_json("GET", "/orders?pageSize=120&page=4");
    EXPECT_TRUE(past.at("orders").as_array().empty());
    EXPECT_EQ(past.at("total").as_int64(), 300);
}

TEST_F(ShipStationTest, NoMatchIsPagesZeroAndDocsQuirkReportsZeroForOnePage) {
    const auto none = call_json("GET", "/orders?orderNumber=NOPE");
    EXPECT_EQ(none.at("total").as_int64(), 0);
    EXPECT_EQ(none.at("pages").as_int64(), 0);
    ASSERT_EQ(control("POST", "quirks", R"({"single_page_pages_zero":true})").status, 200);
    const auto one = call_json("GET", "/orders?pageSize=500");
    EXPECT_EQ(one.at("pages").as_int64(), 0);
    EXPECT_EQ(one.at("orders").as_array().size(), 300u);
}

TEST_F(ShipStationTest, ModifyDateOrderingIsAscending) {
    const auto page = call_json("GET", "/orders?pageSize=500&sortBy=ModifyDate&sortDir=ASC");
    std::string previous;
    for (const auto& order : page.at("orders").as_array()) {
        const std::string modified(order.at("modifyDate").as_string());
        EXPECT_LE(previous, modified);  // Same zone and fixed width: text order is time order.
        previous = modified;
    }
}

TEST_F(ShipStationTest, FortyFirstRequestIs429ThenTheWindowResets) {
    for (int i = 1; i <= 40; ++i) {
        const auto response = raw("GET", "/stores", {}, auth_);
        ASSERT_EQ(response.status, 200) << i;
        EXPECT_EQ(net::find_header(response.headers, "X-Rate-Limit-Limit"), "40");
        EXPECT_EQ(net::find_header(response.headers, "X-Rate-Limit-Remaining"),
                  std::to_string(40 - i));
    }
    clock_.advance(30s);
    const auto limited = raw("GET", "/stores", {}, auth_);
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(net::find_header(limited.headers, "X-Rate-Limit-Remaining"), "0");
    EXPECT_EQ(net::find_header(limited.headers, "X-Rate-Limit-Reset"), "30");
    clock_.advance(30s);
    const auto reset = raw("GET", "/stores", {}, auth_);
    EXPECT_EQ(reset.status, 200);
    EXPECT_EQ(net::find_header(reset.headers, "X-Rate-Limit-Remaining"), "39");
}

TEST_F(ShipStationTest, FallBackHourIsFilteredByPacificWallTime) {
    // 2024-11-03: 07:30Z = 00:30 PDT, 08:30Z = 01:30 PDT, 09:30Z = 01:30 PST, 10:30Z = 02:30 PST.
    std::vector<std::int64_t> ids;
    for (const std::int64_t t : {1730619000, 1730622600, 1730626200, 1730629800}) {
        clock_.set(utc(t));
        ids.push_back(create(order_body("fall-" + std::to_string(t), "F-" + std::to_string(t))));
    }
    const auto hour = call_json(
        "GET", "/orders?modifyDateStart=2024-11-03%2001:00:00&modifyDateEnd=2024-11-03%2001:59:59");
    ASSERT_EQ(hour.at("total").as_int64(), 2);
    EXPECT_EQ(hour.at("orders").as_array()[0].at("orderId").as_int64(), ids[1]);
    EXPECT_EQ(hour.at("orders").as_array()[1].at("orderId").as_int64(), ids[2]);
    // Both occurrences of 01:30 print the same: Pacific wall time with no offset.
    EXPECT_EQ(hour.at("orders").as_array()[0].at("modifyDate").as_string(),
              "2024-11-03T01:30:00.0000000");
    EXPECT_EQ(hour.at("orders").as_array()[1].at("modifyDate").as_string(),
              "2024-11-03T01:30:00.0000000");
    const auto after = call_json("GET", "/orders?modifyDateStart=2024-11-03+02:00:00");
    ASSERT_EQ(after.at("total").as_int64(), 1);
    EXPECT_EQ(after.at("orders").as_array()[0].at("orderId").as_int64(), ids[3]);
    EXPECT_EQ(after.at("orders").as_array()[0].at("modifyDate").as_string(),
              "2024-11-03T02:30:00.0000000");
}

TEST_F(ShipStationTest, SpringForwardGapIsFilteredByPacificWallTime) {
    // 2024-03-10: 09:30Z = 01:30 PST, 10:30Z = 03:30 PDT (02:00-03:00 does not exist).
    clock_.set(utc(1710063000));
    const auto before = create(order_body("spring-1", "S-1"));
    clock_.set(utc(1710066600));
    const auto after = create(order_body("spring-2", "S-2"));
    const auto late = call_json("GET", "/orders?modifyDateStart=2024-03-10%2002:30:00");
    ASSERT_EQ(late.at("total").as_int64(), 1);
    EXPECT_EQ(late.at("orders").as_array()[0].at("orderId").as_int64(), after);
    EXPECT_EQ(late.at("orders").as_array()[0].at("modifyDate").as_string(),
              "2024-03-10T03:30:00.0000000");
    const auto early = call_json(
        "GET", "/orders?modifyDateStart=2024-03-10%2000:00:00&modifyDateEnd=2024-03-10%2001:59:59");
    ASSERT_EQ(early.at("total").as_int64(), 1);
    EXPECT_EQ(early.at("orders").as_array()[0].at("orderId").as_int64(), before);
}

TEST_F(ShipStationTest, BadFilterDateIs400) {
    EXPECT_EQ(call("GET", "/orders?modifyDateStart=yesterday").status, 400);
}

TEST_F(ShipStationTest, CreateOrderUpsertsByKeyAsAFullReplace) {
    const auto id = create(order_body("k-1", "N-1"));
    auto changed = order_body("k-1", "N-1");
    changed.erase("internalNotes");
    changed["customerNotes"] = "ring twice";
    EXPECT_EQ(create(changed), id);
    const auto order = call_json("GET", "/orders/" + std::to_string(id));
    EXPECT_TRUE(order.at("internalNotes").is_null());  // Omitted: wiped.
    EXPECT_EQ(order.at("customerNotes").as_string(), "ring twice");
    EXPECT_EQ(call_json("GET", "/orders?pageSize=1").at("total").as_int64(), 301);
    auto keyless = order_body("", "N-2");
    keyless.erase("orderKey");
    EXPECT_NE(create(keyless), create(keyless));  // Without a key every call creates an order.
}

TEST_F(ShipStationTest, ShippedAndCancelledOrdersAreLocked) {
    const auto shipped = create(order_body("lock-1", "L-1"));
    ASSERT_EQ(call("POST", "/orders/markasshipped",
                   json::serialize(json::object{{"orderId", shipped},
                                                {"carrierCode", "ups"},
                                                {"shipDate", "2023-11-14"},
                                                {"trackingNumber", "1Z1"}}))
                  .status,
              200);
    EXPECT_EQ(
        call("POST", "/orders/createorder", json::serialize(order_body("lock-1", "L-1"))).status,
        400);
    const auto cancelled = create(order_body("lock-2", "L-2"));
    ASSERT_EQ(control("POST", "orders/" + std::to_string(cancelled) + "/cancel").status, 200);
    EXPECT_EQ(
        call("POST", "/orders/createorder", json::serialize(order_body("lock-2", "L-2"))).status,
        400);
    const auto order = call_json("GET", "/orders/" + std::to_string(cancelled));
    EXPECT_EQ(order.at("orderStatus").as_string(), "cancelled");
}

TEST_F(ShipStationTest, StoreIdCannotChangeAfterCreation) {
    auto body = order_body("store-1", "ST-1");
    body["advancedOptions"] = json::object{{"storeId", 310001}};
    const auto id = create(body);
    body["advancedOptions"] = json::object{{"storeId", 310002}};
    EXPECT_EQ(call("POST", "/orders/createorder", json::serialize(body)).status, 400);
    EXPECT_EQ(call_json("GET", "/orders/" + std::to_string(id)).at("advancedOptions").at("storeId"),
              310001);
}

TEST_F(ShipStationTest, CreateOrdersRefusesMoreThan100AndReportsPerOrder) {
    json::array many;
    for (int i = 0; i < 101; ++i) many.push_back(order_body("m-" + std::to_string(i), "M"));
    EXPECT_EQ(call("POST", "/orders/createorders", json::serialize(many)).status, 400);
    json::array two{order_body("ok-1", "OK-1"), json::object{{"orderNumber", "BAD"}}};
    const auto result = call_json("POST", "/orders/createorders", json::serialize(two));
    EXPECT_TRUE(result.at("hasErrors").as_bool());
    EXPECT_TRUE(result.at("results").as_array()[0].at("success").as_bool());
    EXPECT_FALSE(result.at("results").as_array()[1].at("success").as_bool());
    EXPECT_TRUE(result.at("results").as_array()[1].at("errorMessage").is_string());
}

TEST_F(ShipStationTest, MoneyIsWrittenAsExactNumbersAndTimesInVendorFormats) {
    const auto id = create(order_body("money-1", "MO-1"));
    const auto response = call("GET", "/orders/" + std::to_string(id));
    EXPECT_NE(response.body.find("\"unitPrice\":12.3"), std::string::npos) << response.body;
    EXPECT_NE(response.body.find("\"orderTotal\":24.6"), std::string::npos);
    EXPECT_EQ(response.body.find("E1"), std::string::npos);
    const auto order = json::parse(response.body);
    EXPECT_TRUE(
        has_shape(std::string(order.at("createDate").as_string()), "dddd-dd-ddTdd:dd:dd.ddddddd"));
    const std::string item_date(order.at("items").as_array()[0].at("createDate").as_string());
    EXPECT_TRUE(is_short_fraction_time(item_date));
}

TEST_F(ShipStationTest, OrderNotifyIsDeliveredOnceAndSelectsExactlyTheNewOrders) {
    ASSERT_EQ(call("POST", "/webhooks/subscribe",
                   R"({"target_url":"http://receiver.test/hook","event":"ORDER_NOTIFY"})")
                  .status,
              201);
    json::array orders{order_body("wh-1", "W-1"), order_body("wh-2", "W-2")};
    const auto imported =
        control("POST", "orders", json::serialize(json::object{{"orders", orders}}));
    ASSERT_EQ(imported.status, 200) << imported.body;
    host_.tick_all();
    host_.tick_all();
    ASSERT_EQ(received_.size(), 1u);
    const auto payload = json::parse(received_[0].body);
    EXPECT_EQ(payload.at("resource_type").as_string(), "ORDER_NOTIFY");
    const std::string url(payload.at("resource_url").as_string());
    EXPECT_TRUE(url.starts_with(std::string(kBase) + "/orders?importBatch=")) << url;
    const auto batch = follow(url);
    ASSERT_EQ(batch.at("total").as_int64(), 2);
    EXPECT_EQ(batch.at("orders").as_array()[0].at("orderKey").as_string(), "wh-1");
    // An edit is not a new order: no webhook (only the modifyDate poll shows it).
    const auto id = batch.at("orders").as_array()[0].at("orderId").as_int64();
    ASSERT_EQ(control("POST", "orders/" + std::to_string(id) + "/hold").status, 200);
    host_.tick_all();
    EXPECT_EQ(received_.size(), 1u);
}

TEST_F(ShipStationTest, ShipNotifyPointsAtTheNewLabelOnly) {
    ASSERT_EQ(call("POST", "/webhooks/subscribe",
                   R"({"target_url":"http://receiver.test/ship","event":"SHIP_NOTIFY"})")
                  .status,
              201);
    const auto id = create(order_body("ship-1", "SH-1"));
    const auto label =
        control("POST", "orders/" + std::to_string(id) + "/label",
                R"({"carrierCode":"ups","trackingNumber":"1ZTEST","shipmentCost":7.25})");
    ASSERT_EQ(label.status, 200) << label.body;
    host_.tick_all();
    ASSERT_EQ(received_.size(), 1u);
    const std::string url(json::parse(received_[0].body).at("resource_url").as_string());
    EXPECT_TRUE(url.ends_with("&includeShipmentItems=False")) << url;
    const auto shipments = follow(url);
    ASSERT_EQ(shipments.at("total").as_int64(), 1);
    const auto& shipment = shipments.at("shipments").as_array()[0];
    EXPECT_EQ(shipment.at("trackingNumber").as_string(), "1ZTEST");
    EXPECT_EQ(shipment.at("orderKey").as_string(), "ship-1");
    EXPECT_TRUE(shipment.at("shipmentItems").is_null());
    EXPECT_TRUE(has_shape(std::string(shipment.at("shipDate").as_string()), "dddd-dd-dd"));
    EXPECT_EQ(call_json("GET", "/orders/" + std::to_string(id)).at("orderStatus").as_string(),
              "shipped");
}

TEST_F(ShipStationTest, VoidedLabelsStayListed) {
    const auto id = create(order_body("void-1", "V-1"));
    const auto label = json::parse(control("POST", "orders/" + std::to_string(id) + "/label").body);
    const auto shipment_id = label.at("shipmentId").as_int64();
    ASSERT_EQ(control("POST", "shipments/" + std::to_string(shipment_id) + "/void").status, 200);
    const auto listed =
        call_json("GET", "/shipments?orderId=" + std::to_string(id) + "&includeShipmentItems=true");
    ASSERT_EQ(listed.at("total").as_int64(), 1);
    const auto& shipment = listed.at("shipments").as_array()[0];
    EXPECT_TRUE(shipment.at("voided").as_bool());
    EXPECT_TRUE(shipment.at("voidDate").is_string());
    EXPECT_EQ(shipment.at("shipmentItems").as_array().size(), 1u);
}

// voidDateStart/End (Pacific wall time, like every V1 date filter) list only labels voided in
// the range; a label never voided has no voidDate and is never in it; a bad date is 400.
TEST_F(ShipStationTest, VoidDateFilterListsOnlyLabelsVoidedInTheRange) {
    std::vector<std::int64_t> shipment_ids;
    for (const char* key : {"vd-1", "vd-2"}) {
        const auto id = create(order_body(key, key));
        const auto label =
            json::parse(control("POST", "orders/" + std::to_string(id) + "/label").body);
        shipment_ids.push_back(label.at("shipmentId").as_int64());
    }
    clock_.advance(24h);  // 2023-11-15 14:13:20 PST.
    ASSERT_EQ(control("POST", "shipments/" + std::to_string(shipment_ids[0]) + "/void").status,
              200);
    const auto voided = call_json("GET", "/shipments?voidDateStart=2023-11-15%2014:00:00");
    ASSERT_EQ(voided.at("total").as_int64(), 1);
    EXPECT_EQ(voided.at("shipments").at(0).at("shipmentId").as_int64(), shipment_ids[0]);
    EXPECT_EQ(
        call_json("GET", "/shipments?voidDateStart=2023-11-15%2014:30:00").at("total").as_int64(),
        0);
    EXPECT_EQ(call_json("GET",
                        "/shipments?voidDateStart=2023-11-14%2000:00:00"
                        "&voidDateEnd=2023-11-15%2014:00:00")
                  .at("total")
                  .as_int64(),
              0);
    EXPECT_EQ(call("GET", "/shipments?voidDateStart=tomorrow").status, 400);
}

TEST_F(ShipStationTest, ShipmentItemsComeOnlyWithIncludeShipmentItemsTrue) {
    const auto id = create(order_body("items-1", "I-1"));
    ASSERT_EQ(control("POST", "orders/" + std::to_string(id) + "/label",
                      R"({"carrierCode":"ups","trackingNumber":"1ZITEMS"})")
                  .status,
              200);
    const std::string filter = "/shipments?orderId=" + std::to_string(id);
    EXPECT_TRUE(
        call_json("GET", filter).at("shipments").as_array()[0].at("shipmentItems").is_null());
    EXPECT_TRUE(call_json("GET", filter + "&includeShipmentItems=False")
                    .at("shipments")
                    .as_array()[0]
                    .at("shipmentItems")
                    .is_null());
    const auto with_items = call_json("GET", filter + "&includeShipmentItems=true");
    EXPECT_EQ(with_items.at("shipments").as_array()[0].at("shipmentItems").as_array().size(), 1u);
    // Filters select: a tracking number that exists, and one that does not.
    EXPECT_EQ(call_json("GET", "/shipments?trackingNumber=1ZITEMS").at("total").as_int64(), 1);
    EXPECT_EQ(call_json("GET", "/shipments?trackingNumber=NOPE").at("total").as_int64(), 0);
}

TEST_F(ShipStationTest, MarkAsShippedShipsTheOrderWithoutALabel) {
    const auto id = create(order_body("mark-1", "M-1"));
    const std::string body = json::serialize(json::object{{"orderId", id},
                                                          {"carrierCode", "fedex"},
                                                          {"shipDate", "2023-11-14"},
                                                          {"trackingNumber", "FX1"},
                                                          {"notifyCustomer", false},
                                                          {"notifySalesChannel", false}});
    ASSERT_EQ(call("POST", "/orders/markasshipped", body).status, 200);
    const auto order = call_json("GET", "/orders/" + std::to_string(id));
    EXPECT_EQ(order.at("orderStatus").as_string(), "shipped");
    EXPECT_EQ(order.at("shipDate").as_string(), "2023-11-14");  // Date only.
    // No label was bought in ShipStation, so /shipments has nothing for it.
    EXPECT_EQ(call_json("GET", "/shipments?orderId=" + std::to_string(id)).at("total").as_int64(),
              0);
    EXPECT_EQ(call("POST", "/orders/markasshipped", body).status, 400);  // Already shipped.
    EXPECT_EQ(call("POST", "/orders/markasshipped", R"({"orderId": 1})").status, 400);
}

TEST_F(ShipStationTest, ProductsFilterBySku) {
    const auto first = call_json("GET", "/products?pageSize=1").at("products").as_array()[0];
    const std::string sku(first.at("sku").as_string());
    const auto found = call_json("GET", "/products?sku=" + sku);
    ASSERT_GE(found.at("total").as_int64(), 1);
    for (const auto& product : found.at("products").as_array()) {
        EXPECT_TRUE(std::string(product.at("sku").as_string()).starts_with(sku));
    }
    EXPECT_EQ(call_json("GET", "/products?sku=NO-SUCH-SKU").at("total").as_int64(), 0);
}

TEST_F(ShipStationTest, WebhooksCanBeListedAndDeleted) {
    const auto created = json::parse(
        call("POST", "/webhooks/subscribe",
             R"({"target_url":"http://receiver.test/x","event":"SHIP_NOTIFY","friendly_name":"x"})")
            .body);
    const auto id = created.at("id").as_int64();
    EXPECT_EQ(call_json("GET", "/webhooks").at("webhooks").as_array().size(), 1u);
    EXPECT_EQ(call("DELETE", "/webhooks/" + std::to_string(id)).status, 200);
    EXPECT_TRUE(call_json("GET", "/webhooks").at("webhooks").as_array().empty());
    EXPECT_EQ(call("DELETE", "/webhooks/" + std::to_string(id)).status, 404);
    EXPECT_EQ(call("POST", "/webhooks/subscribe", R"({"target_url":"x","event":"NOPE"})").status,
              400);
}

TEST_F(ShipStationTest, ProductPutReplacesTheWholeProduct) {
    const auto products = call_json("GET", "/products?pageSize=5");
    const auto& first = products.at("products").as_array()[0];
    const auto id = first.at("productId").as_int64();
    EXPECT_EQ(call("PUT", "/products/" + std::to_string(id),
                   R"({"sku":"NEW-SKU","name":"Renamed","price":9.99})")
                  .status,
              200);
    const auto product = call_json("GET", "/products/" + std::to_string(id));
    EXPECT_EQ(product.at("sku").as_string(), "NEW-SKU");
    EXPECT_FALSE(product.as_object().contains("weightOz"));  // Omitted: gone.
    EXPECT_EQ(call("GET", "/products/1").status, 404);
    EXPECT_GT(call_json("GET", "/customers?pageSize=10").at("total").as_int64(), 0);
}

TEST_F(ShipStationTest, ControlRoundTripShowsInStateAndModifyDate) {
    const auto imported = json::parse(control("POST", "orders", R"({"count": 3})").body);
    ASSERT_EQ(imported.at("order_ids").as_array().size(), 3u);
    const auto id = imported.at("order_ids").as_array()[0].as_int64();
    const auto before = call_json("GET", "/orders/" + std::to_string(id));
    clock_.advance(120s);
    ASSERT_EQ(control("POST", "orders/" + std::to_string(id) + "/update",
                      R"({"internalNotes":"checked"})")
                  .status,
              200);
    const auto after = call_json("GET", "/orders/" + std::to_string(id));
    EXPECT_EQ(after.at("internalNotes").as_string(), "checked");
    EXPECT_GT(after.at("modifyDate").as_string(), before.at("modifyDate").as_string());
    const auto state = json::parse(control("GET", "state").body);
    EXPECT_EQ(state.at("orders_total").as_int64(), 303);
    EXPECT_EQ(control("GET", "nope").status, 404);
}

TEST_F(ShipStationTest, ClockControlMovesEmulatorTime) {
    const auto id = json::parse(control("POST", "orders", R"({"count": 1})").body)
                        .at("order_ids")
                        .as_array()[0]
                        .as_int64();
    ASSERT_EQ(control("POST", "clock", R"({"advance_seconds": 86400})").status, 200);
    ASSERT_EQ(control("POST", "orders/" + std::to_string(id) + "/hold").status, 200);
    // 1'700'000'000 is 2023-11-14 14:13:20 PST; a day later is the 15th.
    EXPECT_TRUE(call_json("GET", "/orders/" + std::to_string(id))
                    .at("modifyDate")
                    .as_string()
                    .starts_with("2023-11-15T14:13:20"));
}

TEST_F(ShipStationTest, PortsFileCredentialsAuthenticate) {
    char pattern[] = "/tmp/mlc_ss_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    const auto path = (std::filesystem::path(pattern) / "ports.json").string();
    ASSERT_TRUE(host_.write_ports_file(path));
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    const auto ports = json::parse(text.str());
    const auto& ss = ports.at("shipstation").as_object();
    EXPECT_EQ(ss.at("base_url").as_string(), kBase);
    const auto key = std::string(ss.at("api_key").as_string());
    const auto secret = std::string(ss.at("api_secret").as_string());
    EXPECT_EQ(raw("GET", "/stores", {}, "Basic " + mlc::base64_encode(key + ":" + secret)).status,
              200);
    std::filesystem::remove_all(pattern);
}

std::string first_page(std::uint64_t seed) {
    ManualClock clock(utc(1'700'000'000));
    InProcessTransport transport;
    ShipStationEmulator emulator(
        EmulatorContext{.clock = clock, .outbound = transport, .seed = seed, .volume = 200});
    net::HttpRequest request;
    request.url = "/orders?pageSize=50&page=2";
    request.headers.emplace_back(
        "Authorization",
        "Basic " + mlc::base64_encode(emulator.api_key() + ":" + emulator.api_secret()));
    return emulator.handle(request).body;
}

TEST(ShipStationSeed, SameSeedGivesSameData) {
    EXPECT_EQ(first_page(11), first_page(11));
    EXPECT_NE(first_page(11), first_page(12));
}

TEST(ShipStationSeed, FaultsRepeatForTheSameSeed) {
    auto trace = [](std::uint64_t seed) {
        ManualClock clock(utc(1'700'000'000));
        InProcessTransport transport;
        SandboxHost host(clock, transport, SandboxHostOptions{.seed = seed, .volume = 50});
        host.add("shipstation", make_shipstation_emulator);
        net::HttpRequest plan;
        plan.method = "POST";
        plan.url = "/__sandbox/faults";
        plan.body =
            R"({"route_prefix":"/orders","rate_429":0.25,"rate_503":0.25,"malformed_rate":0.2})";
        EXPECT_EQ(host.handle("shipstation", plan).status, 200);
        std::string out;
        for (int i = 0; i < 30; ++i) {
            net::HttpRequest get;
            get.url = "/orders?pageSize=1";
            out += std::to_string(host.handle("shipstation", get).status) + ",";
        }
        return out;
    };
    EXPECT_EQ(trace(3), trace(3));
    EXPECT_NE(trace(3), trace(4));
}

TEST(ShipStationSeed, LargeVolumeKeepsOrdersSmall) {
    ManualClock clock(utc(1'700'000'000));
    InProcessTransport transport;
    ShipStationEmulator emulator(
        EmulatorContext{.clock = clock, .outbound = transport, .seed = 1, .volume = 200'000});
    EXPECT_EQ(emulator.order_count(), 200'000u);
    EXPECT_LE(emulator.bytes_per_order(), 64u);
    std::cout << "shipstation emulator: " << emulator.bytes_per_order() << " bytes per order\n";
}

}  // namespace
}  // namespace mlc::sandbox::shipstation

// The ShipStation emulator's V2 label reads (shipstation_v2.cpp) and the products it makes from
// order items: V2 auth and error bodies, V1 labels seen through V2 with V1's ids, the spec's
// paging and links, V2's own 200-a-minute budget, a product per new SKU.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::sandbox::shipstation {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class ShipStationV2Test : public ::testing::Test {
  protected:
    ShipStationV2Test()
        : clock_(UtcTime{std::chrono::seconds{1'700'000'000}}),
          host_(clock_, transport_, SandboxHostOptions{.seed = 7, .volume = 300}) {
        host_.add("shipstation", make_shipstation_emulator);
        serve_in_process(host_, transport_);
        const json::object ports = host_.ports();
        const json::object& info = ports.at("shipstation").as_object();
        basic_ = "Basic " + base64_encode(std::string(info.at("api_key").as_string()) + ":" +
                                          std::string(info.at("api_secret").as_string()));
        key_ = std::string(info.at("api_key_v2").as_string());
    }
    net::HttpResponse send(std::string method, std::string target, std::string body,
                           std::pair<std::string, std::string> header) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = std::move(target);
        request.body = std::move(body);
        if (!header.first.empty()) request.headers.push_back(std::move(header));
        return host_.handle("shipstation", request);
    }
    net::HttpResponse v2(const std::string& target) {
        return send("GET", target, {}, {"API-Key", key_});
    }
    json::value v2_json(const std::string& target) {
        const auto answer = v2(target);
        EXPECT_EQ(answer.status, 200) << target << ": " << answer.body;
        return json::parse(answer.body);
    }
    net::HttpResponse v1(std::string method, std::string target, std::string body = {}) {
        return send(std::move(method), std::move(target), std::move(body),
                    {"Authorization", basic_});
    }
    // A V1 order with `key` and a SKU, and a label for it: {orderId, shipmentId}.
    std::pair<std::int64_t, std::int64_t> labelled(const std::string& key, const std::string& sku) {
        const json::object order{
            {"orderNumber", "N-" + key},
            {"orderKey", key},
            {"orderDate", "2024-11-01 10:00:00"},
            {"orderStatus", "awaiting_shipment"},
            {"billTo", json::object{{"name", "Ada"}}},
            {"shipTo",
             json::object{
                 {"name", "Ada"}, {"street1", "1 Loop"}, {"city", "Portland"}, {"country", "US"}}},
            {"items",
             json::array{json::object{
                 {"sku", sku}, {"name", "Thing " + sku}, {"quantity", 1}, {"unitPrice", 5}}}}};
        const auto made = v1("POST", "/orders/createorder", json::serialize(order));
        EXPECT_EQ(made.status, 200) << made.body;
        const std::int64_t order_id = json::parse(made.body).at("orderId").as_int64();
        net::HttpRequest label;
        label.method = "POST";
        label.url = std::string(SandboxHost::kControlPrefix) + "orders/" +
                    std::to_string(order_id) + "/label";
        label.body = R"({"carrierCode": "ups", "trackingNumber": "1ZV2)" + key + R"("})";
        const auto answer = host_.handle("shipstation", label);
        EXPECT_EQ(answer.status, 200) << answer.body;
        return {order_id, json::parse(answer.body).at("shipmentId").as_int64()};
    }

    ManualClock clock_;
    InProcessTransport transport_;
    SandboxHost host_;
    std::string basic_;
    std::string key_;
};

TEST_F(ShipStationV2Test, AuthIsTheApiKeyHeaderAndRefusalsAreV2ErrorBodies) {
    for (const auto& header : {std::pair<std::string, std::string>{},
                               std::pair<std::string, std::string>{"Authorization", basic_},
                               std::pair<std::string, std::string>{"API-Key", "wrong"}}) {
        const auto refused = send("GET", "/v2/labels", {}, header);
        EXPECT_EQ(refused.status, 401);
        const json::value body = json::parse(refused.body);
        EXPECT_TRUE(body.at("request_id").is_string());
        EXPECT_EQ(body.at("errors").at(0).at("error_code").as_string(), "unauthorized");
        EXPECT_EQ(body.at("errors").at(0).at("error_type").as_string(), "security");
    }
    EXPECT_EQ(v2("/v2/labels").status, 200);
    const auto unknown = v2("/v2/carriers");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_TRUE(json::parse(unknown.body).at("errors").is_array());
}

TEST_F(ShipStationV2Test, ALabelMadeInV1IsListedInV2WithV1sIds) {
    const auto [order_id, shipment_id] = labelled("K-1", "SKU-10001");
    const json::value listed = v2_json("/v2/labels?tracking_number=1ZV2K-1");
    ASSERT_EQ(listed.at("labels").as_array().size(), 1u);
    const json::value& label = listed.at("labels").at(0);
    EXPECT_EQ(label.at("label_id").as_string(), "se-" + std::to_string(shipment_id));
    EXPECT_EQ(label.at("shipment_id").as_string(), "se-" + std::to_string(order_id));
    EXPECT_EQ(label.at("external_shipment_id").as_string(), "K-1");
    EXPECT_EQ(label.at("status").as_string(), "completed");
    EXPECT_EQ(label.at("carrier_code").as_string(), "ups");
    EXPECT_EQ(label.at("created_at").as_string(), "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(v2("/v2/labels/se-" + std::to_string(shipment_id)).status, 200);
    const auto missing = v2("/v2/labels/se-1");
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(missing.body.empty());  // The spec: an empty body.
    const json::value shipment = v2_json("/v2/shipments/external_shipment_id/K-1");
    EXPECT_EQ(shipment.at("shipment_id").as_string(), "se-" + std::to_string(order_id));
    EXPECT_EQ(shipment.at("shipment_status").as_string(), "label_purchased");

    net::HttpRequest void_label;
    void_label.method = "POST";
    void_label.url = std::string(SandboxHost::kControlPrefix) + "shipments/" +
                     std::to_string(shipment_id) + "/void";
    ASSERT_EQ(host_.handle("shipstation", void_label).status, 200);
    const json::value voided = v2_json("/v2/labels?label_status=voided&tracking_number=1ZV2K-1");
    ASSERT_EQ(voided.at("labels").as_array().size(), 1u);
    EXPECT_TRUE(voided.at("labels").at(0).at("voided").as_bool());
    EXPECT_TRUE(voided.at("labels").at(0).at("voided_at").is_string());
}

TEST_F(ShipStationV2Test, PagesAsTheSpecSays) {
    const json::value first = v2_json("/v2/labels");
    const auto total = first.at("total").as_int64();
    ASSERT_GT(total, 25);
    EXPECT_EQ(first.at("labels").as_array().size(), 25u);  // Default page_size.
    EXPECT_EQ(first.at("pages").as_int64(), (total + 24) / 25);
    EXPECT_TRUE(first.at("links").at("prev").as_object().empty());
    EXPECT_NE(std::string(first.at("links").at("next").at("href").as_string()).find("page=2"),
              std::string::npos);
    // Newest first by default.
    const auto& labels = first.at("labels").as_array();
    EXPECT_GE(labels.front().at("created_at").as_string(),
              labels.back().at("created_at").as_string());
    const std::string last = "/v2/labels?page=" + std::to_string(first.at("pages").as_int64());
    EXPECT_TRUE(v2_json(last).at("links").at("next").as_object().empty());
    EXPECT_TRUE(v2_json("/v2/labels?page=999").at("labels").as_array().empty());
    const json::value ascending =
        v2_json("/v2/labels?sort_by=created_at&sort_dir=asc&created_at_start=2000-01-01T00:00:00Z");
    EXPECT_LE(ascending.at("labels").at(0).at("created_at").as_string(),
              ascending.at("labels").at(1).at("created_at").as_string());
    for (const std::string bad :
         {"/v2/labels?page_size=0", "/v2/labels?page=x", "/v2/labels?sort_dir=up",
          "/v2/labels?created_at_start=2024-01-01", "/v2/labels?label_status=lost"}) {
        const auto refused = v2(bad);
        EXPECT_EQ(refused.status, 400) << bad;
        EXPECT_EQ(json::parse(refused.body).at("errors").at(0).at("error_code").as_string(),
                  "invalid_field_value")
            << bad;
    }
}

TEST_F(ShipStationV2Test, TwoHundredAMinuteThen429WithRetryAfterApartFromV1sBudget) {
    for (int i = 0; i < ShipStationEmulator::kV2RequestsPerWindow; ++i) {
        ASSERT_EQ(v2("/v2/labels?page_size=1").status, 200) << i;
    }
    const auto refused = v2("/v2/labels?page_size=1");
    EXPECT_EQ(refused.status, 429);
    EXPECT_TRUE(net::find_header(refused.headers, "Retry-After").has_value());
    EXPECT_EQ(json::parse(refused.body).at("errors").at(0).at("error_code").as_string(),
              "rate_limit_exceeded");
    EXPECT_EQ(v1("GET", "/orders?pageSize=1").status, 200);  // V1's 40 are its own.
    clock_.advance(61s);
    EXPECT_EQ(v2("/v2/labels?page_size=1").status, 200);
}

TEST_F(ShipStationV2Test, AnOrderItemWithANewSkuMakesOneProductThatCanBeUpdated) {
    labelled("P-1", "NEW-SKU-1");
    labelled("P-2", "NEW-SKU-1");
    const auto listed = v1("GET", "/products?sku=NEW-SKU-1");
    ASSERT_EQ(listed.status, 200);
    const json::value products = json::parse(listed.body);
    ASSERT_EQ(products.at("products").as_array().size(), 1u);
    json::object product = products.at("products").at(0).as_object();
    EXPECT_EQ(product.at("name").as_string(), "Thing NEW-SKU-1");
    product["name"] = "Renamed";
    const std::string id = std::to_string(product.at("productId").as_int64());
    ASSERT_EQ(v1("PUT", "/products/" + id, json::serialize(product)).status, 200);
    const auto read = v1("GET", "/products/" + id);
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(json::parse(read.body).at("name").as_string(), "Renamed");
    EXPECT_EQ(v1("GET", "/products/" + std::to_string(ShipStationEmulator::kItemProductIdBase + 99))
                  .status,
              404);
}

}  // namespace
}  // namespace mlc::sandbox::shipstation

#include <gtest/gtest.h>

#include <set>

#include "sandbox/amazon/amazon_json.hpp"
#include "sandbox/amazon/amazon_test_fixture.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::AmazonTest;
using testing::header;

constexpr std::string_view kSearch = "/na/orders/2026-01-01/orders";

TEST_F(AmazonTest, LwaRefreshGrantAnswersExpiresInAsTheNumber3600) {
    const auto response = lwa(amazon_.client_secret(), amazon_.refresh_token());
    ASSERT_EQ(response.status, 200) << response.body;
    const auto body = json_of(response).as_object();
    EXPECT_TRUE(body.at("expires_in").is_int64());
    EXPECT_EQ(body.at("expires_in").as_int64(), 3600);
    EXPECT_EQ(body.at("token_type").as_string(), "bearer");
    EXPECT_EQ(body.at("refresh_token").as_string(), amazon_.refresh_token());
    EXPECT_TRUE(body.at("access_token").as_string().starts_with("Atza|"));
}

TEST_F(AmazonTest, LwaRotatedClientSecretIsInvalidClientAndTheNewOneWorks) {
    const std::string old_secret = amazon_.client_secret();
    const auto rotated =
        amazon_.control(net::HttpRequest{.method = "POST"}, "client-secret/rotate");
    ASSERT_EQ(rotated.status, 200);
    const std::string new_secret(json_of(rotated).at("client_secret").as_string());
    EXPECT_NE(new_secret, old_secret);
    const auto refused = lwa(old_secret, amazon_.refresh_token());
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(json_of(refused).at("error").as_string(), "invalid_client");
    EXPECT_EQ(lwa(new_secret, amazon_.refresh_token()).status, 200);
}

TEST_F(AmazonTest, LwaSecretOlderThan180DaysIsInvalidClient) {
    clock_.advance(24h * 180);
    const auto refused = lwa(amazon_.client_secret(), amazon_.refresh_token());
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(json_of(refused).at("error").as_string(), "invalid_client");
}

TEST_F(AmazonTest, LwaUnknownRefreshTokenIsInvalidGrant) {
    const auto refused = lwa(amazon_.client_secret(), "Atzr|not-this-one");
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(json_of(refused).at("error").as_string(), "invalid_grant");
}

// Found by fuzz/amazon_settlement_fuzz: a grant_type that is not UTF-8 was echoed into
// "Unsupported grant type: ..." as it was, and the answer was not JSON.
TEST_F(AmazonTest, LwaEchoesTextThatIsNotUtf8AsJson) {
    net::HttpRequest request{.method = "POST", .url = "/auth/o2/token"};
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    request.body = "grant_type=ref\xe2\xe2resh_token";
    const auto refused = amazon_.handle(request);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(json_of(refused).at("error").as_string(), "unsupported_grant_type");
    EXPECT_EQ(json_of(refused).at("error_description").as_string(),
              "Unsupported grant type: ref\xEF\xBF\xBD\xEF\xBF\xBDresh_token");
}

TEST_F(AmazonTest, EveryCallNeedsALiveAccessToken) {
    const std::string url = std::string(kSearch) + "?createdAfter=2026-01-01T00:00:00Z";
    const auto missing = api("GET", url, {}, std::string());
    EXPECT_EQ(missing.status, 403);
    EXPECT_EQ(error_code(missing), "Unauthorized");
    const std::string token = new_token();
    EXPECT_EQ(api("GET", url, {}, token).status, 200);
    clock_.advance(3600s);
    EXPECT_EQ(api("GET", url, {}, token).status, 403);
    EXPECT_EQ(api("GET", "/sandbox/na/orders/v0/orders/TEST_CASE_200", {}, token).status, 403);
}

TEST_F(AmazonTest, PortsFileNamesEveryRegionalHostAndTheTokenUrl) {
    const auto info = amazon_.connection_info("http://127.0.0.1:8123");
    EXPECT_EQ(info.at("base_url").as_string(), "http://127.0.0.1:8123/na");
    EXPECT_EQ(info.at("lwa_token_url").as_string(), "http://127.0.0.1:8123/auth/o2/token");
    EXPECT_EQ(info.at("endpoints").at("eu").as_string(), "http://127.0.0.1:8123/eu");
    EXPECT_EQ(info.at("sandbox_endpoints").at("fe").as_string(),
              "http://127.0.0.1:8123/sandbox/fe");
    // A marketplace answers on its own region's host only.
    const std::string query = "?createdAfter=2026-01-01T00:00:00Z&marketplaceIds=";
    EXPECT_EQ(api("GET", "/eu/orders/2026-01-01/orders" + query + "ATVPDKIKX0DER").status, 400);
    EXPECT_EQ(api("GET", "/eu/orders/2026-01-01/orders" + query + "A1F83G8C2ARO7P").status, 200);
    EXPECT_EQ(api("GET", std::string(kSearch) + query + "ATVPDKIKX0DER").status, 200);
}

TEST_F(AmazonTest, SearchOrdersPagesEveryOrderOnceInCamelCaseWithoutPayload) {
    std::string url = std::string(kSearch) +
                      "?createdAfter=2023-01-01T00:00:00Z&marketplaceIds=ATVPDKIKX0DER"
                      "&maxResultsPerPage=40&includedData=BUYER,PROCEEDS,FULFILLMENT";
    std::set<std::string> seen;
    const UtcTime oldest = clock_.now() - AmazonEmulator::kOrdersKept;
    for (int page = 0; page < 20; ++page) {
        const auto response = api("GET", url);
        ASSERT_EQ(response.status, 200) << response.body;
        const auto body = json_of(response).as_object();
        EXPECT_FALSE(body.contains("payload"));
        EXPECT_TRUE(body.contains("createdBefore"));
        for (const auto& order : body.at("orders").as_array()) {
            EXPECT_TRUE(seen.insert(std::string(order.at("orderId").as_string())).second);
            EXPECT_GE(*parse_iso8601(order.at("createdTime").as_string()), oldest);
            EXPECT_TRUE(order.at("proceeds").at("grandTotal").at("amount").is_string());
            EXPECT_TRUE(order.as_object().contains("buyer"));
        }
        const auto* pagination = body.if_contains("pagination");
        if (pagination == nullptr) break;
        url = std::string(kSearch) +
              "?paginationToken=" + net::url_encode(pagination->at("nextToken").as_string());
    }
    std::size_t visible = 0;
    for (const auto& order : amazon_.orders()) visible += order.created >= oldest ? 1 : 0;
    EXPECT_EQ(seen.size(), visible);
    EXPECT_LT(visible, amazon_.orders().size());  // Some seeded orders are past two years
}

TEST_F(AmazonTest, SearchOrdersPageTokenExpiresAfter24Hours) {
    const auto first =
        api("GET", std::string(kSearch) + "?createdAfter=2024-06-01T00:00:00Z&maxResultsPerPage=5");
    ASSERT_EQ(first.status, 200);
    const std::string next(json_of(first).at("pagination").at("nextToken").as_string());
    const std::string url = std::string(kSearch) + "?paginationToken=" + net::url_encode(next);
    clock_.advance(23h);
    EXPECT_EQ(api("GET", url).status, 200);
    clock_.advance(1h);
    const auto expired = api("GET", url);
    EXPECT_EQ(expired.status, 400);
    EXPECT_EQ(error_code(expired), "InvalidInput");
}

TEST_F(AmazonTest, SearchOrdersRefusesWhatAmazonRefuses) {
    const std::string base = std::string(kSearch) + "?";
    EXPECT_EQ(api("GET", base + "marketplaceIds=ATVPDKIKX0DER").status, 400);  // No After
    EXPECT_EQ(api("GET", base + "createdAfter=2026-01-01T00:00:00Z"
                                "&lastUpdatedAfter=2026-01-01T00:00:00Z")
                  .status,
              400);
    const std::string one_minute_ago = iso_seconds(clock_.now() - 1min);
    EXPECT_EQ(api("GET", base + "createdAfter=2026-01-01T00:00:00Z&createdBefore=" + one_minute_ago)
                  .status,
              400);
    EXPECT_EQ(api("GET", base + "createdAfter=2026-01-01T00:00:00Z&maxResultsPerPage=101").status,
              400);
    EXPECT_EQ(api("GET", base + "createdAfter=yesterday").status, 400);
    EXPECT_EQ(api("GET", base + "createdAfter=2026-01-01T00:00:00Z&includedData=EVERYTHING").status,
              400);
}

TEST(AmazonSeed, OrdersAreDeterministicFromTheSeedOnTheEmulatorClock) {
    ManualClock clock(*parse_iso8601("2026-03-02T12:00:00Z"));
    testing::NullTransport out;
    AmazonEmulator a(EmulatorContext{.clock = clock, .outbound = out, .seed = 3, .volume = 50});
    AmazonEmulator b(EmulatorContext{.clock = clock, .outbound = out, .seed = 3, .volume = 50});
    AmazonEmulator c(EmulatorContext{.clock = clock, .outbound = out, .seed = 4, .volume = 50});
    ASSERT_EQ(a.orders().size(), 50u);
    for (std::size_t i = 0; i < 50; ++i) {
        EXPECT_EQ(a.orders()[i].id, b.orders()[i].id);
        EXPECT_EQ(a.orders()[i].created, b.orders()[i].created);
        EXPECT_EQ(order_total(a.orders()[i]), order_total(b.orders()[i]));
    }
    EXPECT_NE(a.orders()[0].id, c.orders()[0].id);
    EXPECT_LE(a.orders().back().created, clock.now());
}

TEST_F(AmazonTest, OrdersOlderThanTwoYearsAreNeverReturned) {
    const Order& oldest = amazon_.orders().front();
    ASSERT_LT(oldest.created, clock_.now() - AmazonEmulator::kOrdersKept);
    EXPECT_EQ(api("GET", "/na/orders/v0/orders/" + oldest.id).status, 404);
    EXPECT_EQ(api("GET", "/na/orders/2026-01-01/orders/" + oldest.id).status, 404);
    EXPECT_EQ(api("GET", "/na/orders/v0/orders/" + oldest.id + "/orderItems").status, 404);
    const Order& newest = amazon_.orders().back();
    EXPECT_EQ(api("GET", "/na/orders/v0/orders/" + newest.id).status, 200);
}

TEST_F(AmazonTest, V0GetOrdersWrapsInPayloadWithStringAmountsAndAnEncodedNextToken) {
    const std::string base = "/na/orders/v0/orders?";
    EXPECT_EQ(api("GET", base + "CreatedAfter=2025-01-01T00:00:00Z").status,
              400);  // No Marketplace
    const auto first = api("GET", base +
                                      "CreatedAfter=2024-06-01T00:00:00Z"
                                      "&MarketplaceIds=ATVPDKIKX0DER&MaxResultsPerPage=10");
    ASSERT_EQ(first.status, 200) << first.body;
    const auto payload = json_of(first).at("payload").as_object();
    const auto& order = payload.at("Orders").at(0);
    EXPECT_TRUE(order.at("OrderTotal").at("Amount").is_string());
    EXPECT_EQ(order.at("MarketplaceId").as_string(), "ATVPDKIKX0DER");
    const std::string next(payload.at("NextToken").as_string());
    ASSERT_NE(next.find_first_of("+/="), std::string::npos);
    const std::string tail = "&MarketplaceIds=ATVPDKIKX0DER";
    EXPECT_EQ(api("GET", base + "NextToken=" + next + tail).status, 400);  // Not URL-encoded
    const auto second = api("GET", base + "NextToken=" + net::url_encode(next) + tail);
    ASSERT_EQ(second.status, 200);
    EXPECT_NE(json_of(second).at("payload").at("Orders").at(0).at("AmazonOrderId"),
              order.at("AmazonOrderId"));
}

TEST_F(AmazonTest, V0GetOrderItemsListsTheSeededItems) {
    const Order& order = amazon_.orders().back();
    const auto response = api("GET", "/na/orders/v0/orders/" + order.id + "/orderItems");
    ASSERT_EQ(response.status, 200);
    const json::value body = json_of(response);
    const auto& items = body.at("payload").at("OrderItems").as_array();
    ASSERT_EQ(items.size(), order.items.size());
    EXPECT_EQ(items[0].at("SellerSKU").as_string(), order.items[0].sku);
    EXPECT_EQ(items[0].at("ItemPrice").at("Amount").as_string(),
              order.items[0].unit_price.mul(order.items[0].quantity).to_string(2));
}

TEST_F(AmazonTest, SearchOrdersBurstThenQuotaExceededWithoutTheRateHeader) {
    const std::string url = std::string(kSearch) + "?createdAfter=2026-02-01T00:00:00Z";
    for (int i = 0; i < 20; ++i) {
        const auto ok = api("GET", url);
        ASSERT_EQ(ok.status, 200) << i;
        EXPECT_EQ(header(ok, "x-amzn-RateLimit-Limit"), "0.0056");
    }
    const auto throttled = api("GET", url);
    EXPECT_EQ(throttled.status, 429);
    EXPECT_EQ(error_code(throttled), "QuotaExceeded");
    EXPECT_EQ(header(throttled, "x-amzn-RateLimit-Limit"), "");
    // Other operations have their own buckets; this one refills at 0.0056 per second.
    EXPECT_EQ(api("GET", "/na/orders/v0/orders/" + amazon_.orders().back().id).status, 200);
    clock_.advance(178s);  // 178 s x 0.0056/s < one token
    EXPECT_EQ(api("GET", url).status, 429);
    clock_.advance(1s);
    EXPECT_EQ(api("GET", url).status, 200);
}

TEST_F(AmazonTest, ErrorsNeverCarryTheRateHeader) {
    const auto error = api("GET", std::string(kSearch) + "?createdAfter=nonsense");
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(header(error, "x-amzn-RateLimit-Limit"), "");
}

TEST_F(AmazonTest, CreatedAndUpdatedOrdersAppearByLastUpdated) {
    clock_.advance(10min);
    const auto created = amazon_.control(
        net::HttpRequest{.method = "POST", .body = R"({"count": 2, "status": "Unshipped"})"},
        "orders");
    ASSERT_EQ(created.status, 200);
    const std::string id(json_of(created).at("orderIds").at(0).as_string());
    clock_.advance(5min);
    ASSERT_EQ(amazon_
                  .control(net::HttpRequest{.method = "POST", .body = R"({"status": "Canceled"})"},
                           "orders/" + id + "/status")
                  .status,
              200);
    clock_.advance(3min);
    const auto found =
        api("GET", std::string(kSearch) + "?lastUpdatedAfter=" + iso_seconds(clock_.now() - 9min) +
                       "&fulfillmentStatuses=CANCELLED&includedData=FULFILLMENT");
    ASSERT_EQ(found.status, 200) << found.body;
    const json::value body = json_of(found);
    const auto& orders = body.at("orders").as_array();
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0].at("orderId").as_string(), id);
    EXPECT_EQ(orders[0].at("fulfillment").at("fulfillmentStatus").as_string(), "CANCELLED");
}

TEST_F(AmazonTest, AnUnshippedLineChangedByControlShowsWithALaterLastUpdated) {
    const auto created = amazon_.control(
        net::HttpRequest{.method = "POST", .body = R"({"count": 1, "status": "Unshipped"})"},
        "orders");
    ASSERT_EQ(created.status, 200);
    const std::string id(json_of(created).at("orderIds").at(0).as_string());
    const Order* order = nullptr;
    for (const auto& o : amazon_.orders()) {
        if (o.id == id) order = &o;
    }
    ASSERT_NE(order, nullptr);
    const std::string item = order->items.front().order_item_id;
    clock_.advance(5min);
    const auto changed =
        amazon_.control(net::HttpRequest{.method = "POST", .body = R"({"quantity": 7})"},
                        "orders/" + id + "/items/" + item);
    ASSERT_EQ(changed.status, 200) << changed.body;
    clock_.advance(3min);
    const auto items = api("GET", "/na/orders/v0/orders/" + id + "/orderItems");
    ASSERT_EQ(items.status, 200);
    const json::value body = json_of(items);
    EXPECT_EQ(body.at("payload").at("OrderItems").at(0).at("QuantityOrdered").as_int64(), 7);
    const auto found = api("GET", "/na/orders/2026-01-01/orders/" + id);
    EXPECT_EQ(json_of(found).at("order").at("lastUpdatedTime").as_string(),
              iso_seconds(clock_.now() - 3min));
    // A shipped order's lines no longer change; an unknown line is not found.
    ASSERT_EQ(amazon_
                  .control(net::HttpRequest{.method = "POST", .body = R"({"status": "Shipped"})"},
                           "orders/" + id + "/status")
                  .status,
              200);
    EXPECT_EQ(amazon_
                  .control(net::HttpRequest{.method = "POST", .body = R"({"quantity": 2})"},
                           "orders/" + id + "/items/" + item)
                  .status,
              409);
    EXPECT_EQ(amazon_
                  .control(net::HttpRequest{.method = "POST", .body = R"({"quantity": 0})"},
                           "orders/" + id + "/items/" + item)
                  .status,
              400);
}

}  // namespace
}  // namespace mlc::sandbox::amazon

namespace mlc::sandbox::amazon {
namespace {

using testing::AmazonTest;

class ConfirmShipmentTest : public AmazonTest {
  protected:
    // A new merchant-fulfilled Unshipped order with two lines of 2 units each.
    const Order& new_order() {
        const auto created = amazon_.control(
            net::HttpRequest{.method = "POST", .body = R"({"count": 1, "status": "Unshipped"})"},
            "orders");
        EXPECT_EQ(created.status, 200) << created.body;
        const std::string id(json_of(created).at("orderIds").at(0).as_string());
        const Order* order = nullptr;
        for (const auto& o : amazon_.orders()) {
            if (o.id == id) order = &o;
        }
        for (const auto& item : order->items) {
            amazon_.control(net::HttpRequest{.method = "POST", .body = R"({"quantity": 2})"},
                            "orders/" + id + "/items/" + item.order_item_id);
        }
        clock_.advance(std::chrono::minutes(5));
        return *order;
    }
    net::HttpResponse confirm(const Order& order, const std::string& reference,
                              const std::string& items, const std::string& date = {}) {
        const std::string body =
            R"({"marketplaceId":")" + order.marketplace_id +
            R"(","packageDetail":{"packageReferenceId":)" + reference +
            R"(,"carrierCode":"UPS","shippingMethod":"Ground","trackingNumber":"1Z999AA1",)" +
            R"("shipDate":")" + (date.empty() ? iso_seconds(clock_.now()) : date) +
            R"(","orderItems":[)" + items + "]}}";
        return api("POST", "/na/orders/v0/orders/" + order.id + "/shipmentConfirmation", body);
    }
    static std::string item(const OrderItem& i, int quantity) {
        return R"({"orderItemId":")" + i.order_item_id + R"(","quantity":)" +
               std::to_string(quantity) + "}";
    }
    json::object order_2026(const Order& order) {
        const auto found = api("GET", "/na/orders/2026-01-01/orders/" + order.id +
                                          "?includedData=PACKAGES,FULFILLMENT");
        EXPECT_EQ(found.status, 200) << found.body;
        return json_of(found).at("order").as_object();
    }
    std::string message(const net::HttpResponse& response) {
        return std::string(json_of(response).at("errors").at(0).at("message").as_string());
    }
};

TEST_F(ConfirmShipmentTest, APackageShipsPartOfTheOrderThenTheRestShipsIt) {
    const Order& order = new_order();
    ASSERT_GE(order.items.size(), 1u);
    const auto first = confirm(order, "\"101\"", item(order.items[0], 1));
    ASSERT_EQ(first.status, 204) << first.body;
    EXPECT_TRUE(first.body.empty());
    EXPECT_EQ(testing::header(first, "x-amzn-RateLimit-Limit"), "2");
    json::object seen = order_2026(order);
    EXPECT_EQ(seen.at("fulfillment").at("fulfillmentStatus").as_string(), "PARTIALLY_SHIPPED");
    const auto& package = seen.at("packages").at(0).as_object();
    EXPECT_EQ(package.at("packageReferenceId").as_string(), "101");
    EXPECT_EQ(package.at("trackingNumber").as_string(), "1Z999AA1");
    EXPECT_EQ(package.at("packageItems").at(0).at("quantity").as_int64(), 1);
    EXPECT_EQ(seen.at("orderItems").at(0).at("fulfillment").at("quantityFulfilled").as_int64(), 1);

    std::string rest = item(order.items[0], 1);
    for (std::size_t i = 1; i < order.items.size(); ++i) rest += "," + item(order.items[i], 2);
    const auto second = confirm(order, "\"102\"", rest);
    ASSERT_EQ(second.status, 204) << second.body;
    seen = order_2026(order);
    EXPECT_EQ(seen.at("fulfillment").at("fulfillmentStatus").as_string(), "SHIPPED");
    EXPECT_EQ(seen.at("packages").as_array().size(), 2u);
    const auto again = confirm(order, "\"103\"", item(order.items[0], 1));
    EXPECT_EQ(again.status, 400);
    EXPECT_EQ(message(again),
              "Failed to create package due to not finding a matching package "
              "or order already fulfilled.");
}

TEST_F(ConfirmShipmentTest, RefusesWhatAmazonRefuses) {
    const Order& order = new_order();
    const std::string one = item(order.items[0], 1);
    // packageReferenceId: a string holding a positive number.
    EXPECT_NE(message(confirm(order, "1", one)).find("invalid type"), std::string::npos);
    EXPECT_EQ(message(confirm(order, "\"A-1\"", one)),
              "PackageReferenceId: is invalid, must be a positive numeric value.");
    const auto bad_date = confirm(order, "\"1\"", one, "02/21/2022");  // The model's example
    EXPECT_EQ(bad_date.status, 400);
    EXPECT_EQ(error_code(bad_date), "Invalid Input");
    EXPECT_EQ(confirm(order, "\"1\"", item(order.items[0], 3)).status, 400) << "more than ordered";
    EXPECT_EQ(confirm(order, "\"1\"", R"({"orderItemId":"999","quantity":1})").status, 400);
    EXPECT_EQ(
        api("POST", "/na/orders/v0/orders/111-0000000-0000000/shipmentConfirmation", "{}").status,
        404);
    ASSERT_EQ(confirm(order, "\"1\"", one).status, 204);
    EXPECT_EQ(confirm(order, "\"1\"", one).status, 400) << "the same package twice";
}

}  // namespace
}  // namespace mlc::sandbox::amazon

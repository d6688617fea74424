// ShipStationClient against scripted answers: what goes on the wire and how answers map.
// End-to-end behaviour against the ShipStation emulator is in shipstation_sandbox_test.cpp.
#include "connectors/shipstation/shipstation_client.hpp"

#include <gtest/gtest.h>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "net/testing/scripted_transport.hpp"

namespace mlc::connectors::shipstation {
namespace {

using namespace std::chrono_literals;
using net::testing::ScriptedTransport;

constexpr std::string_view kEmptyPage = R"({"orders": [], "total": 0, "page": 1, "pages": 0})";

net::HttpResponse ok_json(std::string body, net::Headers headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return net::HttpResponse{.status = 200, .headers = std::move(headers), .body = std::move(body)};
}

class ShipStationClientTest : public ::testing::Test {
  protected:
    ShipStationClientTest() {
        (void)vault_.put("ss.key", "key123");
        (void)vault_.put("ss.secret", "s3cret");
    }
    ShipStationClient& client(std::vector<std::string> extra_hosts = {}) {
        client_ = std::make_unique<ShipStationClient>(
            ShipStationConnection{.name = "ss-main",
                                  .base_url = "https://ssapi.shipstation.com/",
                                  .api_key_secret = "ss.key",
                                  .api_secret_secret = "ss.secret",
                                  .resource_hosts_extra = std::move(extra_hosts)},
            ShipStationDependencies{
                .transport = transport_, .clock = clock_, .limiters = limiters_, .vault = vault_});
        return *client_;
    }

    ManualClock clock_{parse_iso8601("2024-07-01T12:00:00Z").value()};
    ScriptedTransport transport_;
    net::RateLimiterRegistry limiters_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<ShipStationClient> client_;
};

TEST_F(ShipStationClientTest, ListsOrdersByModifyDateInPacificTimeWithBasicAuth) {
    transport_.respond("/orders", ok_json(std::string(kEmptyPage)));
    const auto page = client().list_orders_modified_since(
        {.modified_since = parse_iso8601("2024-01-15T16:30:00.5Z").value(),
         .page = 3,
         .page_size = 200});
    ASSERT_TRUE(page) << page.error().describe();
    const auto request = transport_.requests().at(0);
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.url,
              "https://ssapi.shipstation.com/orders?modifyDateStart=2024-01-15%2008%3A30%3A00"
              "&sortBy=ModifyDate&sortDir=ASC&page=3&pageSize=200");
    // base64("key123:s3cret")
    EXPECT_EQ(net::find_header(request.headers, "Authorization"), "Basic a2V5MTIzOnMzY3JldA==");
    EXPECT_FALSE(page->more);
}

TEST_F(ShipStationClientTest, PageSizeAboveTheV1MaximumIsSentAsTheMaximum) {
    transport_.respond("/orders", ok_json(std::string(kEmptyPage)));
    ASSERT_TRUE(client().list_orders_modified_since(
        {.modified_since = clock_.now(), .page = 1, .page_size = 5'000}));
    EXPECT_NE(transport_.requests().at(0).url.find("pageSize=500"), std::string::npos);
}

TEST_F(ShipStationClientTest, AsAnOrderSourceItAsksForFullPagesFromTheCursor) {
    transport_.respond("/orders", ok_json(std::string(kEmptyPage)));
    ShipStationClient& source = client();
    ASSERT_TRUE(
        source.list_changed({.since = parse_iso8601("2024-07-01T07:00:00Z").value(), .page = 2}));
    EXPECT_NE(transport_.requests().at(0).url.find(
                  "modifyDateStart=2024-07-01%2000%3A00%3A00&sortBy=ModifyDate&sortDir=ASC&page=2"
                  "&pageSize=500"),
              std::string::npos)
        << transport_.requests().at(0).url;
}

TEST_F(ShipStationClientTest, WrongCredentialsNameTheConnection) {
    transport_.respond("/orders",
                       net::json_response(401, R"({"Message":"Authorization has been denied."})"));
    const auto page = client().list_orders_modified_since({.modified_since = clock_.now()});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(page.error().message.find("check the API key and secret of connection 'ss-main'"),
              std::string::npos)
        << page.error().message;
    EXPECT_EQ(page.error().message.find("s3cret"), std::string::npos);
    EXPECT_EQ(transport_.request_count(), 1u);  // Basic auth has nothing to refresh.
}

TEST_F(ShipStationClientTest, MissingSecretIsAConfigErrorNamingTheSecret) {
    (void)vault_.remove("ss.secret");
    const auto page = client().list_orders_modified_since({.modified_since = clock_.now()});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kConfig);
    EXPECT_NE(page.error().message.find("ss.secret"), std::string::npos) << page.error().message;
    EXPECT_EQ(transport_.request_count(), 0u);
}

TEST_F(ShipStationClientTest, TooManyRequestsWaitsForTheWindowResetThenSucceeds) {
    net::HttpResponse limited = net::json_response(429, R"({"Message":"Too Many Requests"})");
    limited.headers.emplace_back("X-Rate-Limit-Limit", "40");
    limited.headers.emplace_back("X-Rate-Limit-Remaining", "0");
    limited.headers.emplace_back("X-Rate-Limit-Reset", "25");
    transport_.respond("/orders", limited).respond("/orders", ok_json(std::string(kEmptyPage)));
    const auto page = client().list_orders_modified_since({.modified_since = clock_.now()});
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_GE(clock_.total_slept(), 25s);  // Not before V1's window reset.
}

TEST_F(ShipStationClientTest, PersistentTooManyRequestsCarriesTheResetAsRetryAfter) {
    net::HttpResponse limited = net::json_response(429, R"({"Message":"Too Many Requests"})");
    limited.headers.emplace_back("X-Rate-Limit-Reset", "30");
    transport_.respond("/orders", limited).repeat_last("/orders");
    const auto page = client().list_orders_modified_since({.modified_since = clock_.now()});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kRateLimited);
    ASSERT_TRUE(page.error().retry_after);
    EXPECT_EQ(*page.error().retry_after, 30s);
}

TEST_F(ShipStationClientTest, CutAnswerIsFetchedAgain) {
    const std::string full = R"({"orders": [], "total": 0, "page": 1, "pages": 1})";
    transport_.respond("/orders", ok_json(full.substr(0, full.size() / 2)))
        .respond("/orders", ok_json(full));
    ASSERT_TRUE(client().list_orders_modified_since({.modified_since = clock_.now()}));
    EXPECT_EQ(transport_.request_count(), 2u);
}

TEST_F(ShipStationClientTest, ServerErrorOnEveryRoundIsTransient) {
    transport_
        .respond("/orders", net::json_response(500, R"({"Message":"An error has occurred."})"))
        .repeat_last("/orders");
    const auto page = client().list_orders_modified_since({.modified_since = clock_.now()});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kTransient);
    EXPECT_EQ(transport_.request_count(), net::RetryOptions{}.max_attempts);  // The net client's.
}

TEST_F(ShipStationClientTest, ResourceUrlOnAnotherShipStationHostIsFollowed) {
    transport_.respond("ssapi6.shipstation.com/shipments",
                       ok_json(R"({"shipments": [], "total": 0, "page": 1, "pages": 0})"));
    const auto batch = client().fetch_resource_url(
        "https://ssapi6.shipstation.com/shipments?batchId=123&includeShipmentItems=False");
    ASSERT_TRUE(batch) << batch.error().describe();
    EXPECT_EQ(transport_.requests().at(0).url,
              "https://ssapi6.shipstation.com/shipments?batchId=123&page=1"
              "&includeShipmentItems=true");
}

TEST_F(ShipStationClientTest, ResourceUrlOnAForeignHostIsRefusedWithoutSendingCredentials) {
    for (const std::string url :
         {"https://evil.example.com/shipments?batchId=1",
          "https://ssapi.shipstation.com@evil.example.com/shipments?batchId=1",
          "https://shipstation.com.evil.example.com/orders?importBatch=1",
          "http://ssapi6.shipstation.com/shipments?batchId=1", "not a url"}) {
        const auto batch = client().fetch_resource_url(url);
        ASSERT_FALSE(batch) << url;
        EXPECT_EQ(batch.error().code, ErrorCode::kInvalidInput) << url;
    }
    EXPECT_EQ(transport_.request_count(), 0u);
}

TEST_F(ShipStationClientTest, ResourceUrlOnAConfiguredSandboxHostIsFollowed) {
    transport_.respond("127.0.0.1:8123/orders", ok_json(std::string(kEmptyPage)));
    const auto batch =
        client({"127.0.0.1:8123"}).fetch_resource_url("http://127.0.0.1:8123/orders?importBatch=7");
    ASSERT_TRUE(batch) << batch.error().describe();
    EXPECT_EQ(transport_.request_count(), 1u);
}

TEST_F(ShipStationClientTest, ResourceUrlFollowsEveryPageOfTheBatch) {
    transport_.respond("page=1", ok_json(R"({"orders": [], "total": 600, "page": 1, "pages": 2})"))
        .respond("page=2", ok_json(R"({"orders": [], "total": 600, "page": 2, "pages": 2})"));
    ASSERT_TRUE(client().fetch_resource_url("https://ssapi.shipstation.com/orders?importBatch=9"));
    EXPECT_EQ(transport_.request_count(), 2u);
}

TEST_F(ShipStationClientTest, MarkAsShippedSendsThePacificShipDateOnce) {
    transport_.respond("/orders/markasshipped", net::json_response(503, "{}"));
    const auto marked = client().mark_as_shipped(
        {.order_id = 42,
         .carrier_code = "ups",
         .ship_date = parse_iso8601("2024-03-01T05:00:00Z").value(),  // Feb 29, 21:00 PST
         .tracking_number = "1Z999",
         .notify_customer = true,
         .notify_sales_channel = false});
    ASSERT_FALSE(marked);
    EXPECT_EQ(marked.error().code, ErrorCode::kTransient);
    ASSERT_EQ(transport_.request_count(), 1u);  // Not repeated blindly.
    EXPECT_EQ(transport_.requests()[0].body,
              R"({"orderId":42,"carrierCode":"ups","shipDate":"2024-02-29",)"
              R"("trackingNumber":"1Z999","notifyCustomer":true,"notifySalesChannel":false})");
}

TEST_F(ShipStationClientTest, RejectedOrderCarriesTheVendorMessageAndKey) {
    transport_.respond("/orders/createorder",
                       net::json_response(400, R"({"Message":"The request is invalid.",)"
                                               R"("ExceptionMessage":"orderDate is required."})"));
    model::Order order;
    order.source = {"epicor", "5001", ""};
    order.number = "5001";
    const auto written = client().create_or_update_order({.order = order});
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::kRejected);
    EXPECT_EQ(written.error().record_key, "order 5001");
    EXPECT_NE(written.error().message.find("orderDate is required."), std::string::npos);
}

TEST_F(ShipStationClientTest, WebhooksAreListedFromTheVendorShape) {
    transport_.respond("/webhooks", ok_json(R"({"webhooks": [{"IsLabelAPIHook": false,
        "WebHookID": 123, "SellerID": 1, "StoreID": null, "HookType": "SHIP_NOTIFY",
        "MessageFormat": "Json", "Url": "https://example.com/hook", "Name": "ship", "Active": true}]})"));
    const auto hooks = client().list_webhooks();
    ASSERT_TRUE(hooks) << hooks.error().describe();
    ASSERT_EQ(hooks->size(), 1u);
    EXPECT_EQ(hooks->at(0).id, 123);
    EXPECT_EQ(hooks->at(0).event, "SHIP_NOTIFY");
    EXPECT_EQ(hooks->at(0).target_url, "https://example.com/hook");
    EXPECT_FALSE(hooks->at(0).store_id);
}

}  // namespace
}  // namespace mlc::connectors::shipstation

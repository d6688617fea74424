// ShipStationClient end to end against the ShipStation emulator (src/sandbox/shipstation), in
// process: the same bytes a real server would carry, with a ManualClock driving both sides.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "net/testing/faulty_transport.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::connectors::shipstation {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kBase = "http://shipstation.sandbox.test";
constexpr std::uint32_t kPagesMax = 1'000;  // Every listing loop in these tests stops here.

UtcTime utc(std::string_view iso) { return parse_iso8601(iso).value(); }
Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

// Notes when each request reached the vendor side and what it answered.
class RecordingTransport final : public net::HttpTransport {
  public:
    RecordingTransport(net::HttpTransport& inner, Clock& clock) : inner_(inner), clock_(clock) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        const UtcTime at = clock_.now();
        auto response = inner_.send(request, options);
        times_.push_back(at);
        statuses_.push_back(response ? response->status : 0);
        return response;
    }
    const std::vector<UtcTime>& times() const { return times_; }
    std::size_t count_status(int status) const {
        return static_cast<std::size_t>(std::count(statuses_.begin(), statuses_.end(), status));
    }

  private:
    net::HttpTransport& inner_;
    Clock& clock_;
    std::vector<UtcTime> times_;
    std::vector<int> statuses_;
};

class ShipStationSandboxTest : public ::testing::Test {
  protected:
    explicit ShipStationSandboxTest(std::size_t volume = 1'200)
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 7, .volume = volume}) {
        host_.add("shipstation", sandbox::shipstation::make_shipstation_emulator);
        sandbox::serve_in_process(host_, transport_);
        const auto info = host_.ports().at("shipstation").as_object();
        EXPECT_EQ(info.at("base_url").as_string(), kBase);
        (void)vault_.put("ss.key", std::string(info.at("api_key").as_string()));
        (void)vault_.put("ss.secret", std::string(info.at("api_secret").as_string()));
        transport_.add_route("http://receiver.test", [this](const net::HttpRequest& request) {
            received_.push_back(request);
            return net::json_response(200, "{}");
        });
    }

    std::unique_ptr<ShipStationClient> make_client(net::HttpTransport& transport,
                                                   std::string name = "ss-sandbox",
                                                   std::string secret_name = "ss.secret") {
        return std::make_unique<ShipStationClient>(
            ShipStationConnection{.name = std::move(name),
                                  .base_url = std::string(kBase),
                                  .api_key_secret = "ss.key",
                                  .api_secret_secret = std::move(secret_name)},
            ShipStationDependencies{
                .transport = transport, .clock = clock_, .limiters = limiters_, .vault = vault_});
    }

    // Every order modified since `since`, page by page, as a poller would read them.
    std::vector<Record<model::Order>> list_all(ShipStationClient& client, UtcTime since,
                                               std::uint32_t page_size) {
        std::vector<Record<model::Order>> out;
        for (std::uint32_t page = 1; page <= kPagesMax; ++page) {
            auto listed = client.list_orders_modified_since(
                {.modified_since = since, .page = page, .page_size = page_size});
            EXPECT_TRUE(listed) << listed.error().describe();
            if (!listed) break;
            EXPECT_TRUE(listed->rejected.empty());
            for (auto& record : listed->items) out.push_back(std::move(record));
            if (!listed->more) break;
        }
        return out;
    }

    net::HttpResponse control(std::string method, std::string route, std::string body = {}) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = "/__sandbox/" + std::move(route);
        request.body = std::move(body);
        return host_.handle("shipstation", request);
    }

    std::size_t vendor_requests_logged() {
        return json::parse(control("GET", "requests").body).as_array().size();
    }

    model::Order new_order(std::string key, UtcTime ordered_at) {
        model::Order order;
        order.source = {"epicor", std::move(key), ""};
        order.number = "EP-" + order.source.key;
        order.status = model::OrderStatus::kOpen;
        order.customer_code = "ada@example.com";
        order.customer_email = "ada@example.com";
        order.bill_to.name = "Ada Lovelace";
        order.ship_to.name = "Ada Lovelace";
        order.ship_to.street1 = "1 Loop";
        order.ship_to.city = "Portland";
        order.ship_to.state = "OR";
        order.ship_to.postal_code = "97201";
        order.ship_to.country = "US";
        order.lines.resize(2);
        order.lines[0].line_key = "1";
        order.lines[0].sku = "SKU-10001";
        order.lines[0].description = "Steel Widget";
        order.lines[0].quantity = dec("3");
        order.lines[0].unit_price = dec("0.10");
        order.lines[1].line_key = "2";
        order.lines[1].sku = "SKU-10002";
        order.lines[1].description = "Crane";
        order.lines[1].quantity = dec("1");
        order.lines[1].unit_price = dec("1234567.89");
        order.shipping_total = dec("5.99");
        order.tax_total = dec("0.07");
        order.total = dec("1234574.25");
        order.ordered_at = ordered_at;
        order.paid_at = ordered_at;
        return order;
    }

    ManualClock clock_{UtcTime{std::chrono::seconds{1'700'000'000}}};  // 2023-11-14T22:13:20Z
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    net::RateLimiterRegistry limiters_;
    auth::testing::FakeVault vault_;
    std::vector<net::HttpRequest> received_;
    const UtcTime long_ago_ = utc("2023-09-01T00:00:00Z");
};

TEST_F(ShipStationSandboxTest, PagingThroughSeededOrdersReturnsEachOnce) {
    auto client = make_client(transport_);
    const auto orders = list_all(*client, long_ago_, 100);
    ASSERT_EQ(orders.size(), 1'200u);
    std::set<std::string> ids;
    for (const auto& order : orders) ids.insert(order.value.source.id);
    EXPECT_EQ(ids.size(), 1'200u);
    // Ascending by modifyDate, as asked (sortBy=ModifyDate&sortDir=ASC).
    EXPECT_TRUE(std::is_sorted(orders.begin(), orders.end(), [](const auto& a, const auto& b) {
        return a.value.modified_at < b.value.modified_at;
    }));
    // The vendor JSON travels with each order, for dead letters.
    EXPECT_NE(orders[0].raw.find("\"orderId\":" + orders[0].value.source.id), std::string::npos);
}

TEST_F(ShipStationSandboxTest, ModifiedSinceSelectsTheSameOrdersOnBothSidesOfDst) {
    auto client = make_client(transport_);
    const auto all = list_all(*client, long_ago_, 500);
    ASSERT_EQ(all.size(), 1'200u);
    // The seeded month ends 2023-11-14; Pacific daylight time ended 2023-11-05 09:00Z.
    for (const auto since : {utc("2023-10-20T12:00:00Z"), utc("2023-11-05T08:00:00Z"),
                             utc("2023-11-05T10:30:00Z"), utc("2023-11-10T12:00:00Z")}) {
        std::set<std::string> expected, got;
        for (const auto& order : all) {
            if (order.value.modified_at >= since) expected.insert(order.value.source.id);
        }
        for (const auto& order : list_all(*client, since, 500)) got.insert(order.value.source.id);
        EXPECT_EQ(got, expected) << format_iso8601(since);
        EXPECT_FALSE(expected.empty());
    }
}

TEST_F(ShipStationSandboxTest, RepeatedFallBackHourOnlyWidensTheWindow) {
    auto client = make_client(transport_);
    const auto all = list_all(*client, long_ago_, 500);
    // 01:30 PST, the second 01:30 of 2023-11-05: the wire text is ambiguous and the vendor reads
    // the earlier instant, so the answer may hold up to an hour more, never less.
    const UtcTime since = utc("2023-11-05T09:30:00Z");
    std::set<std::string> got;
    for (const auto& order : list_all(*client, since, 500)) {
        got.insert(order.value.source.id);
        EXPECT_GE(order.value.modified_at, since - 1h);
    }
    for (const auto& order : all) {
        if (order.value.modified_at >= since) {
            EXPECT_TRUE(got.contains(order.value.source.id));
        }
    }
}

TEST_F(ShipStationSandboxTest, OrderTimesAreUtcInsideAndPacificOnTheWire) {
    auto client = make_client(transport_);
    const auto summer =
        client->create_or_update_order({.order = new_order("summer", utc("2024-07-04T19:00:00Z"))});
    const auto winter =
        client->create_or_update_order({.order = new_order("winter", utc("2024-12-24T19:00:00Z"))});
    ASSERT_TRUE(summer) << summer.error().describe();
    ASSERT_TRUE(winter) << winter.error().describe();
    EXPECT_NE(summer->raw.find(R"("orderDate":"2024-07-04T12:00:00.0000000")"), std::string::npos)
        << summer->raw;  // PDT, UTC-7
    EXPECT_NE(winter->raw.find(R"("orderDate":"2024-12-24T11:00:00.0000000")"), std::string::npos)
        << winter->raw;  // PST, UTC-8
    const auto read = client->get_order(std::stoll(winter->value.source.id));
    ASSERT_TRUE(read) << read.error().describe();
    EXPECT_EQ(read->value.ordered_at, utc("2024-12-24T19:00:00Z"));
    EXPECT_EQ(read->value.paid_at, utc("2024-12-24T19:00:00Z"));
    EXPECT_EQ(read->value.modified_at, winter->value.modified_at);
    EXPECT_GT(read->value.modified_at,
              utc("2023-11-14T22:13:20Z"));  // Written at the clock's time.
}

TEST_F(ShipStationSandboxTest, MoneyComesBackExact) {
    auto client = make_client(transport_);
    model::Order order = new_order("money-1", utc("2024-07-04T19:00:00Z"));
    order.discount_total = dec("0.30");
    const auto written = client->create_or_update_order({.order = order});
    ASSERT_TRUE(written) << written.error().describe();
    const auto read = client->get_order(std::stoll(written->value.source.id));
    ASSERT_TRUE(read) << read.error().describe();
    const model::Order& back = read->value;
    ASSERT_EQ(back.lines.size(), 2u);
    EXPECT_EQ(back.lines[0].unit_price, dec("0.10"));
    EXPECT_EQ(back.lines[0].quantity, dec("3"));
    EXPECT_EQ(back.lines[1].unit_price, dec("1234567.89"));
    EXPECT_EQ(back.shipping_total, dec("5.99"));
    EXPECT_EQ(back.tax_total, dec("0.07"));
    EXPECT_EQ(back.discount_total, dec("0.30"));
    EXPECT_EQ(back.total, dec("1234574.25"));
    EXPECT_EQ(back.source.key, "money-1");
}

TEST_F(ShipStationSandboxTest, UpdateByOrderKeyKeepsTheSameOrder) {
    auto client = make_client(transport_);
    model::Order order = new_order("upd-1", utc("2024-07-04T19:00:00Z"));
    const auto first = client->create_or_update_order({.order = order});
    ASSERT_TRUE(first) << first.error().describe();
    order.notes = "gate code 42";
    const auto second = client->create_or_update_order({.order = order});
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->value.source.id, first->value.source.id);
    EXPECT_EQ(second->value.notes, "gate code 42");
}

TEST_F(ShipStationSandboxTest, WrongCredentialsAreAuthFailedNamingTheConnection) {
    (void)vault_.put("ss.wrong", "not-the-secret");
    auto client = make_client(transport_, "ss-typo", "ss.wrong");
    const auto page = client->list_orders_modified_since({.modified_since = long_ago_});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kAuthFailed);
    EXPECT_EQ(page.error().http_status, 401);
    EXPECT_NE(page.error().describe().find("connection 'ss-typo'"), std::string::npos)
        << page.error().describe();
    EXPECT_EQ(page.error().describe().find("not-the-secret"), std::string::npos);
}

TEST_F(ShipStationSandboxTest, TwentyPercentFaultsYieldIdenticalResults) {
    auto clean_client = make_client(transport_, "ss-clean");
    const auto clean = list_all(*clean_client, long_ago_, 50);
    ASSERT_EQ(clean.size(), 1'200u);

    net::testing::FaultyTransport faulty(transport_, {.seed = 11,
                                                      .share_429 = 0.04,
                                                      .share_500 = 0.04,
                                                      .share_503 = 0.04,
                                                      .share_drop = 0.04,
                                                      .share_truncate = 0.04});
    auto faulty_client = make_client(faulty, "ss-faulty");
    const auto noisy = list_all(*faulty_client, long_ago_, 50);
    ASSERT_EQ(noisy.size(), clean.size());
    for (std::size_t i = 0; i < clean.size(); ++i) {
        EXPECT_EQ(noisy[i].value, clean[i].value) << i;
        EXPECT_EQ(noisy[i].raw, clean[i].raw) << i;
    }
    const auto counts = faulty.counts();
    EXPECT_GT(counts.status_429 + counts.status_500 + counts.status_503 + counts.drops +
                  counts.truncations,
              0u);
}

TEST_F(ShipStationSandboxTest, SandboxFaultApiFaultsYieldIdenticalResults) {
    auto client = make_client(transport_);
    const auto clean = list_all(*client, long_ago_, 100);
    ASSERT_EQ(control("POST", "faults",
                      R"({"route_prefix": "/orders", "rate_429": 0.05, "rate_500": 0.05,
                          "rate_503": 0.05, "drop_rate": 0.05})")
                  .status,
              200);
    const auto noisy = list_all(*client, long_ago_, 100);
    ASSERT_EQ(noisy.size(), clean.size());
    for (std::size_t i = 0; i < clean.size(); ++i) EXPECT_EQ(noisy[i].value, clean[i].value) << i;
}

// At most 40 of `times` in any half-open 60 s window.
std::size_t busiest_minute(std::vector<UtcTime> times) {
    std::sort(times.begin(), times.end());
    std::size_t busiest = 0;
    for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
        while (j < times.size() && times[j] < times[i] + 60s) ++j;
        busiest = std::max(busiest, j - i);
    }
    return busiest;
}

TEST_F(ShipStationSandboxTest, NeverMoreThanFortyRequestsInAnyMinute) {
    RecordingTransport recorder(transport_, clock_);
    auto client = make_client(recorder);
    ASSERT_EQ(control("DELETE", "requests").status, 200);
    const auto orders = list_all(*client, long_ago_, 10);  // 120 requests.
    ASSERT_EQ(orders.size(), 1'200u);
    EXPECT_EQ(recorder.times().size(), 120u);
    EXPECT_EQ(vendor_requests_logged(), recorder.times().size());
    EXPECT_LE(busiest_minute(recorder.times()), 40u);
    EXPECT_EQ(recorder.count_status(429), 0u);
}

TEST_F(ShipStationSandboxTest, VendorHeadersAloneKeepAGenerousLocalLimitFromA429) {
    // A local limit far above V1's (10/s, burst 100): only X-Rate-Limit-Remaining/Reset pace us.
    RecordingTransport recorder(transport_, clock_);
    auto client = std::make_unique<ShipStationClient>(
        ShipStationConnection{
            .name = "ss-loose",
            .base_url = std::string(kBase),
            .api_key_secret = "ss.key",
            .api_secret_secret = "ss.secret",
            .rate_limit = {.connection = {.requests_per_second = 10, .burst = 100},
                           .per_operation = {}}},
        ShipStationDependencies{
            .transport = recorder, .clock = clock_, .limiters = limiters_, .vault = vault_});
    const auto orders = list_all(*client, long_ago_, 10);
    ASSERT_EQ(orders.size(), 1'200u);
    EXPECT_EQ(recorder.count_status(429), 0u);
    EXPECT_LE(busiest_minute(recorder.times()), 40u);
}

TEST_F(ShipStationSandboxTest, ShipNotifyResourceUrlListsTheNewShipment) {
    auto client = make_client(transport_);
    const auto hook = client->subscribe_webhook({.target_url = "http://receiver.test/ship",
                                                 .event = "SHIP_NOTIFY",
                                                 .friendly_name = "mlc ship"});
    ASSERT_TRUE(hook) << hook.error().describe();
    const auto written =
        client->create_or_update_order({.order = new_order("ship-1", utc("2024-07-04T19:00:00Z"))});
    ASSERT_TRUE(written) << written.error().describe();
    ASSERT_EQ(control("POST", "orders/" + written->value.source.id + "/label",
                      R"({"carrierCode":"ups","trackingNumber":"1ZTEST","shipmentCost":7.25})")
                  .status,
              200);
    host_.tick_all();
    ASSERT_EQ(received_.size(), 1u);
    const std::string url(json::parse(received_[0].body).at("resource_url").as_string());
    const auto batch = client->fetch_resource_url(url);
    ASSERT_TRUE(batch) << batch.error().describe();
    ASSERT_EQ(batch->shipments.size(), 1u);
    const model::Shipment& shipment = batch->shipments[0].value;
    EXPECT_EQ(shipment.tracking_number, "1ZTEST");
    EXPECT_EQ(shipment.order.key, "ship-1");
    EXPECT_EQ(shipment.order.id, written->value.source.id);
    EXPECT_EQ(shipment.cost, dec("7.25"));
    EXPECT_EQ(shipment.lines.size(), 2u);  // includeShipmentItems asked for.
    EXPECT_GE(shipment.created_at, written->value.modified_at);

    // The poll sees the same shipment (beside seeded ones created in the same hour).
    const auto listed = client->list_shipments({.created_since = shipment.created_at - 1h});
    ASSERT_TRUE(listed) << listed.error().describe();
    const auto found =
        std::find_if(listed->items.begin(), listed->items.end(),
                     [&](const auto& item) { return item.value.source == shipment.source; });
    ASSERT_NE(found, listed->items.end());
    EXPECT_EQ(found->value, shipment);
}

TEST_F(ShipStationSandboxTest, OrderNotifyResourceUrlListsTheImportedOrder) {
    auto client = make_client(transport_);
    ASSERT_TRUE(client->subscribe_webhook(
        {.target_url = "http://receiver.test/orders", .event = "ORDER_NOTIFY"}));
    const auto written =
        client->create_or_update_order({.order = new_order("on-1", utc("2024-07-04T19:00:00Z"))});
    ASSERT_TRUE(written) << written.error().describe();
    host_.tick_all();
    ASSERT_EQ(received_.size(), 1u);
    const std::string url(json::parse(received_[0].body).at("resource_url").as_string());
    const auto batch = client->fetch_resource_url(url);
    ASSERT_TRUE(batch) << batch.error().describe();
    ASSERT_EQ(batch->orders.size(), 1u);
    EXPECT_EQ(batch->orders[0].value, written->value);
}

TEST_F(ShipStationSandboxTest, WebhooksAreListedAndDeleted) {
    auto client = make_client(transport_);
    const auto id = client->subscribe_webhook(
        {.target_url = "http://receiver.test/x", .event = "ORDER_NOTIFY", .friendly_name = "x"});
    ASSERT_TRUE(id) << id.error().describe();
    auto hooks = client->list_webhooks();
    ASSERT_TRUE(hooks) << hooks.error().describe();
    ASSERT_EQ(hooks->size(), 1u);
    EXPECT_EQ(hooks->at(0).id, *id);
    EXPECT_EQ(hooks->at(0).event, "ORDER_NOTIFY");
    EXPECT_EQ(hooks->at(0).target_url, "http://receiver.test/x");
    ASSERT_TRUE(client->delete_webhook(*id));
    hooks = client->list_webhooks();
    ASSERT_TRUE(hooks);
    EXPECT_TRUE(hooks->empty());
    const auto again = client->delete_webhook(*id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_F(ShipStationSandboxTest, MarkAsShippedShipsAnOpenOrderAndRefusesAShippedOne) {
    auto client = make_client(transport_);
    const auto written =
        client->create_or_update_order({.order = new_order("mark-1", utc("2024-07-04T19:00:00Z"))});
    ASSERT_TRUE(written) << written.error().describe();
    const std::int64_t id = std::stoll(written->value.source.id);
    const MarkAsShippedRequest request{.order_id = id,
                                       .carrier_code = "ups",
                                       .ship_date = clock_.now(),
                                       .tracking_number = "1Z1",
                                       .notify_customer = false,
                                       .notify_sales_channel = false};
    ASSERT_TRUE(client->mark_as_shipped(request));
    const auto read = client->get_order(id);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->value.status, model::OrderStatus::kShipped);
    const auto twice = client->mark_as_shipped(request);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, ErrorCode::kRejected);
    EXPECT_NE(twice.error().message.find("cannot be shipped"), std::string::npos)
        << twice.error().message;
}

}  // namespace
}  // namespace mlc::connectors::shipstation

// The Acumatica connector against the Acumatica emulator in process: one login reused and logged
// out, a clear error for an unserved version, sales orders mapped, the queue's hold obeyed, and a
// ShipStation label confirming the order's shipment once.
#include "connectors/acumatica/acumatica_client.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/session_login.hpp"
#include "auth/testing/fake_state_store.hpp"
#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/acumatica/acumatica_json.hpp"
#include "connectors/acumatica/acumatica_streams.hpp"
#include "connectors/acumatica/acumatica_targets.hpp"
#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::connectors::acumatica {
namespace {

namespace json = boost::json;
constexpr std::uint32_t kPagesMax = 100;  // Every listing loop here stops by then.

class AcumaticaClientTest : public ::testing::Test {
  protected:
    AcumaticaClientTest()
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 3, .volume = 30}) {
        host_.add("acumatica", sandbox::acumatica::make_acumatica_emulator);
        sandbox::serve_in_process(host_, transport_);
        info_ = host_.ports().at("acumatica").as_object();
        (void)vault_.put("acu.password", std::string(info_.at("password").as_string()));
    }

    std::unique_ptr<AcumaticaClient> client(std::string version = kDefaultVersion) {
        auth::SessionLoginConfig session;
        session.base_url = base();
        session.user = std::string(info_.at("name").as_string());
        session.password_secret = "acu.password";
        session.tenant = std::string(info_.at("tenant").as_string());
        auth::TokenManagerOptions manager;
        manager.connection = "acu";
        manager.system = "acumatica";
        credentials_ = std::make_unique<auth::TokenManager>(
            std::move(manager),
            std::make_unique<auth::SessionLogin>(std::move(session), transport_, vault_),
            auth::CredentialHeaders{}, clock_, store_, vault_);
        return std::make_unique<AcumaticaClient>(
            AcumaticaClientConfig{.connection = "acu", .base_url = base(), .version = version},
            AcumaticaClientDeps{.transport = transport_,
                                .clock = clock_,
                                .limiters = limiters_,
                                .credentials = *credentials_});
    }
    std::string base() const { return std::string(info_.at("base_url").as_string()); }
    json::object state() {
        net::HttpRequest request{.method = "GET", .url = "/__sandbox/state"};
        return json::parse(host_.handle("acumatica", request).body).as_object();
    }
    net::HttpResponse control(const std::string& route, const json::object& body) {
        net::HttpRequest request{
            .method = "POST", .url = "/__sandbox/" + route, .body = json::serialize(body)};
        return host_.handle("acumatica", request);
    }
    std::vector<Record<model::Order>> all_orders(SalesOrdersSource& source) {
        std::vector<Record<model::Order>> out;
        auto scan = source.scan("");
        EXPECT_TRUE(scan);
        for (std::uint32_t page = 0; scan && page < kPagesMax; ++page) {
            auto batch = (*scan)->next();
            EXPECT_TRUE(batch) << batch.error().describe();
            if (!batch) break;
            for (auto& record : batch->items) out.push_back(std::move(record));
            if (!batch->more) break;
        }
        return out;
    }
    std::string new_order() {
        const auto answer = control(
            "orders",
            {{"CustomerID", "C000001"},
             {"lines", json::array{json::object{{"InventoryID", "ITEM-0001"}, {"OrderQty", 2}}}}});
        EXPECT_EQ(answer.status, 200) << answer.body;
        return std::string(json::parse(answer.body).at("OrderNbr").at("value").as_string());
    }

    ManualClock clock_{parse_iso8601("2025-03-03T12:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    json::object info_;
    auth::testing::FakeVault vault_;
    auth::testing::FakeStateStore store_;
    net::RateLimiterRegistry limiters_;
    std::unique_ptr<auth::TokenManager> credentials_;
};

TEST_F(AcumaticaClientTest, ReadsEveryOrderOnOneSessionAndLogsOutAtTheEnd) {
    auto acu = client();
    SalesOrdersSource source(*acu,
                             {.window = {.start = parse_iso8601("2000-01-01T00:00:00Z").value(),
                                         .overlap = std::chrono::minutes(10)},
                              .page_size = 7});
    const auto orders = all_orders(source);
    EXPECT_EQ(orders.size(), state().at("SalesOrder").as_array().size());
    ASSERT_FALSE(orders.empty());
    const model::Order& first = orders.front().value;
    EXPECT_EQ(first.source.key, "SO" + first.number);
    EXPECT_FALSE(first.lines.empty());
    EXPECT_FALSE(first.lines.front().sku.empty());
    EXPECT_FALSE(first.ship_to.city.empty());
    EXPECT_EQ(state().at("sessions").at("opened_total").as_int64(), 1);  // One login, reused.
    ASSERT_TRUE(acu->end_session());
    const auto sessions = state().at("sessions").as_object();
    EXPECT_EQ(sessions.at("open").as_int64(), 0);
    EXPECT_EQ(sessions.at("closed_total").as_int64(), 1);
}

TEST_F(AcumaticaClientTest, AnUnservedVersionNamesTheVersionsTheInstanceServes) {
    auto acu = client("23.100.001");
    SalesOrdersSource source(*acu, {});
    auto listed = source.list(clock_.now(), 1);
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error().code, ErrorCode::kConfig);
    EXPECT_NE(listed.error().message.find("23.100.001"), std::string::npos);
    EXPECT_NE(listed.error().message.find("Default 24.200.001, Default 25.200.001"),
              std::string::npos)
        << listed.error().message;
    EXPECT_EQ(state().at("sessions").at("opened_total").as_int64(), 0);  // No seat taken.
}

TEST_F(AcumaticaClientTest, AnExpiredSessionLogsInOnceMore) {
    auto acu = client();
    SalesOrdersSource source(*acu, {});
    ASSERT_TRUE(source.list(clock_.now(), 1));
    clock_.advance(std::chrono::minutes(25));  // Idle past Acumatica's 20 minutes.
    auto again = source.list(clock_.now() - std::chrono::hours(24 * 365), 1);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(state().at("sessions").at("opened_total").as_int64(), 2);
    ASSERT_TRUE(acu->end_session());
    EXPECT_EQ(state().at("sessions").at("open").as_int64(), 0);
}

TEST_F(AcumaticaClientTest, TheQueuesHoldIsWaitedSoNothingIsDeclined) {
    ASSERT_EQ(control("limits", {{"requests_per_minute", 20}}).status, 200);
    auto acu = client();
    SalesOrdersSource source(*acu, {});
    for (int i = 0; i < 60; ++i) {
        auto listed = source.list(clock_.now(), 1);
        ASSERT_TRUE(listed) << i << ": " << listed.error().describe();
    }
    const auto queue = state().at("queue").as_object();
    EXPECT_GT(queue.at("delayed_total").as_int64(), 0);
    EXPECT_EQ(queue.at("declined_total").as_int64(), 0);
}

TEST_F(AcumaticaClientTest, ALabelConfirmsTheOrdersShipmentOnceAndIsFoundAgain) {
    auto acu = client();
    const std::string nbr = new_order();
    ShipmentsTarget target(*acu);
    const ShipmentDraft draft{.order_nbr = nbr, .tracking_number = "1ZACU0001", .carrier = "ups"};
    ASSERT_EQ(target.find_by_source(target_key(draft)).value(), std::nullopt);
    auto made = target.create(draft);
    ASSERT_TRUE(made) << made.error().describe();
    auto found = target.find_by_source(target_key(draft));
    ASSERT_TRUE(found) << found.error().describe();
    EXPECT_EQ(*found, std::optional<std::string>(*made));
    const json::object after = state();
    for (const auto& order : after.at("SalesOrder").as_array()) {
        if (order.at("OrderNbr").at("value").as_string() != nbr) continue;
        EXPECT_EQ(order.at("Status").at("value").as_string(), "Completed");
        EXPECT_EQ(order.at("Shipments").as_array().size(), 1u);
    }
    for (const auto& shipment : after.at("Shipment").as_array()) {
        if (shipment.at("ShipmentNbr").at("value").as_string() != *made) continue;
        EXPECT_EQ(shipment.at("Status").at("value").as_string(), "Confirmed");
        EXPECT_EQ(shipment.at("Packages").as_array()[0].at("TrackingNbr").at("value").as_string(),
                  "1ZACU0001");
    }
    ASSERT_TRUE(target.update(*made, draft));  // Confirmed already: nothing more happens.
}

TEST_F(AcumaticaClientTest, AFieldErrorNamesTheFieldAndTheRecord) {
    auto acu = client();
    auto answer =
        acu->call({.method = "PUT",
                   .path = "SalesOrder",
                   .body = json::value(json::object{
                       {"OrderType", value_of("SO")},
                       {"CustomerID", value_of("NOBODY")},
                       {"Details", json::array{json::object{{"InventoryID", value_of("ITEM-0001")},
                                                            {"OrderQty", value_of(1)}}}}}),
                   .record_key = "sales order <NEW>"});
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, ErrorCode::kRejected);
    EXPECT_NE(answer.error().message.find("CustomerID"), std::string::npos)
        << answer.error().message;
    EXPECT_NE(answer.error().message.find("sales order <NEW>"), std::string::npos);
}

}  // namespace
}  // namespace mlc::connectors::acumatica

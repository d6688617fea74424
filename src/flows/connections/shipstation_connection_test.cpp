// open_shipstation() and ping_shipstation() against the ShipStation emulator in process (no
// sockets), with a ManualClock (the 40/minute pacing sleeps instantly) and the SQLite store.
#include "flows/connections/shipstation_connection.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "auth/token_source.hpp"
#include "common/time.hpp"
#include "flows/connections/ping.hpp"
#include "net/metrics.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::connections {
namespace {

namespace json = boost::json;
using connectors::PingReport;
using connectors::PingStatus;

const connectors::PingCheck* find_check(const PingReport& report, std::string_view name) {
    for (const auto& check : report.checks) {
        if (check.name == name) return &check;
    }
    return nullptr;
}

class ShipStationConnectionTest : public ::testing::Test {
  protected:
    ShipStationConnectionTest()
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 3, .volume = 40}) {
        host_.add("shipstation", sandbox::shipstation::make_shipstation_emulator);
        sandbox::serve_in_process(host_, transport_);
        const json::object ss = host_.ports().at("shipstation").as_object();
        (void)vault_.put("ss.key", std::string(ss.at("api_key").as_string()));
        (void)vault_.put("ss.secret", std::string(ss.at("api_secret").as_string()));
        store_ = store::SqliteStateStore::open(":memory:").value();
        connection_ = {.name = "ss",
                       .system = "shipstation",
                       .base_url = std::string(ss.at("base_url").as_string()),
                       .options = {},
                       .secrets = {{"api_key", "ss.key"}, {"api_secret", "ss.secret"}},
                       .secret_lines = {}};
    }

    engine::Dependencies deps() {
        return engine::Dependencies{
            .clock = clock_, .store = *store_, .vault = &vault_, .transport = &transport_};
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    engine::ConnectionConfig connection_;
};

TEST_F(ShipStationConnectionTest, OpenedClientListsTheAccountsOrders) {
    auto opened = open_shipstation(connection_, deps());
    ASSERT_TRUE(opened) << opened.error().describe();
    auto page = (*opened)->client->list_orders_modified_since(
        {.modified_since = parse_iso8601("2000-01-01T00:00:00Z").value(),
         .page = 1,
         .page_size = 5});
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->items.size(), 5u);
    EXPECT_EQ(page->total, 40u);
}

TEST_F(ShipStationConnectionTest, OpenedClientCountsItsTrafficOnTheProcessMetrics) {
    net::Metrics metrics;
    auto with_metrics = deps();
    with_metrics.metrics = &metrics;
    auto opened = open_shipstation(connection_, with_metrics);
    ASSERT_TRUE(opened) << opened.error().describe();
    ASSERT_TRUE((*opened)->client->list_webhooks());
    EXPECT_NE(metrics.render_prometheus().find("shipstation"), std::string::npos);
}

TEST_F(ShipStationConnectionTest, OpenWithoutASecretNameSaysWhichOneToConfigure) {
    connection_.secrets.erase("api_secret");
    auto opened = open_shipstation(connection_, deps());
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::kConfig);
    EXPECT_NE(opened.error().message.find("secrets.api_secret"), std::string::npos)
        << opened.error().message;
}

TEST_F(ShipStationConnectionTest, OpenWithoutTheVaultSaysToRunInit) {
    auto no_vault = deps();
    no_vault.vault = nullptr;
    auto opened = open_shipstation(connection_, no_vault);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("mlc init"), std::string::npos);
}

TEST_F(ShipStationConnectionTest, PingWithGoodCredentialsIsAllOkWithRateLimitHeadroom) {
    const PingReport report = ping_shipstation(connection_, deps());
    EXPECT_TRUE(report.ok());
    for (const char* name : {kCheckSecrets, kCheckReach, kCheckAuth, kCheckRead, kCheckRateLimit}) {
        const auto* check = find_check(report, name);
        ASSERT_NE(check, nullptr) << name;
        EXPECT_EQ(check->status, PingStatus::kOk) << name << ": " << check->detail;
    }
    EXPECT_NE(find_check(report, kCheckRead)->detail.find("of 40 orders"), std::string::npos)
        << find_check(report, kCheckRead)->detail;
    EXPECT_NE(find_check(report, kCheckRateLimit)->detail.find("of 40 requests left"),
              std::string::npos)
        << find_check(report, kCheckRateLimit)->detail;
}

TEST_F(ShipStationConnectionTest, PingWithAWrongSecretNamesTheKeyPairAndTheCommandsThatFixIt) {
    ASSERT_TRUE(vault_.put("ss.secret", "not-the-secret"));
    const PingReport report = ping_shipstation(connection_, deps());
    EXPECT_FALSE(report.ok());
    const auto* auth = find_check(report, kCheckAuth);
    ASSERT_NE(auth, nullptr);
    EXPECT_EQ(auth->status, PingStatus::kFail);
    EXPECT_NE(auth->detail.find("refused the API key and secret"), std::string::npos)
        << auth->detail;
    EXPECT_NE(auth->detail.find("mlc secret set ss.secret"), std::string::npos) << auth->detail;
    EXPECT_EQ(auth->detail.find("not-the-secret"), std::string::npos);
    EXPECT_EQ(find_check(report, kCheckRead)->status, PingStatus::kSkipped);
}

TEST_F(ShipStationConnectionTest, PingWithASecretMissingFromTheVaultNamesTheSetCommand) {
    ASSERT_TRUE(vault_.remove("ss.key"));
    const PingReport report = ping_shipstation(connection_, deps());
    const auto* secrets = find_check(report, kCheckSecrets);
    ASSERT_NE(secrets, nullptr);
    EXPECT_EQ(secrets->status, PingStatus::kFail);
    EXPECT_NE(secrets->detail.find("mlc secret set ss.key"), std::string::npos) << secrets->detail;
    EXPECT_EQ(find_check(report, kCheckReach)->status, PingStatus::kSkipped);
}

TEST_F(ShipStationConnectionTest, PingWhenTheWindowIsNearlySpentWarnsAboutHeadroom) {
    // Another process spends 35 of the key pair's 40 requests of this minute.
    net::HttpRequest spend{.method = "GET", .url = "/orders?pageSize=1"};
    spend.headers.emplace_back(
        "Authorization",
        auth::basic_authorization(vault_.get("ss.key").value(), vault_.get("ss.secret").value()));
    for (int i = 0; i < 35; ++i) ASSERT_EQ(host_.handle("shipstation", spend).status, 200);
    const PingReport report = ping_shipstation(connection_, deps());
    const auto* rate = find_check(report, kCheckRateLimit);
    ASSERT_NE(rate, nullptr);
    EXPECT_EQ(rate->status, PingStatus::kWarn) << rate->detail;
    EXPECT_NE(rate->detail.find("another process"), std::string::npos) << rate->detail;
    EXPECT_TRUE(report.ok());  // A warning is not a failure.
}

}  // namespace
}  // namespace mlc::flows::connections

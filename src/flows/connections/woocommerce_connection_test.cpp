// open_woocommerce() and ping_woocommerce() against the WooCommerce emulator in process (no
// sockets), with a ManualClock and the SQLite store.
#include "flows/connections/woocommerce_connection.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/connections/ping.hpp"
#include "net/metrics.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "sandbox/woocommerce/woocommerce_emulator.hpp"
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

std::string dump(const PingReport& report) {
    std::string out;
    for (const auto& check : report.checks) {
        out += check.name + ": " + connectors::to_string(check.status) + " " + check.detail + "\n";
    }
    return out;
}

class WooConnectionTest : public ::testing::Test {
  protected:
    WooConnectionTest()
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 5, .volume = 40}) {
        host_.add("woocommerce", sandbox::woocommerce::make_woocommerce_emulator);
        sandbox::serve_in_process(host_, transport_);
        const json::object info = host_.ports().at("woocommerce").as_object();
        (void)vault_.put("woo.key", std::string(info.at("consumer_key").as_string()));
        (void)vault_.put("woo.secret", std::string(info.at("consumer_secret").as_string()));
        store_ = store::SqliteStateStore::open(":memory:").value();
        connection_ = {.name = "shop",
                       .system = "woocommerce",
                       .base_url = std::string(info.at("site_url").as_string()),
                       .options = {},
                       .secrets = {{"consumer_key", "woo.key"}, {"consumer_secret", "woo.secret"}},
                       .secret_lines = {}};
        transport_.add_route("http://receiver.test", [this](const net::HttpRequest&) {
            return net::json_response(receiver_status_, "{}");
        });
    }

    engine::Dependencies deps() {
        return engine::Dependencies{
            .clock = clock_, .store = *store_, .vault = &vault_, .transport = &transport_};
    }

    net::HttpResponse control(std::string method, std::string route, std::string body = {}) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = "/__sandbox/" + std::move(route);
        request.body = std::move(body);
        return host_.handle("woocommerce", request);
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    engine::ConnectionConfig connection_;
    int receiver_status_ = 200;
};

TEST_F(WooConnectionTest, OpensAClientThatReadsTheStore) {
    auto opened = open_woocommerce(connection_, deps());
    ASSERT_TRUE(opened) << opened.error().describe();
    auto page = (*opened)->client->list_orders({.page = 1, .per_page = 5});
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->items.size(), 5u);
    EXPECT_EQ((*opened)->client->config().auth, connectors::woocommerce::AuthMode::kBasic);
}

TEST_F(WooConnectionTest, QueryAuthOptionIsHonoured) {
    connection_.options["auth"] = "query";
    auto opened = open_woocommerce(connection_, deps());
    ASSERT_TRUE(opened) << opened.error().describe();
    EXPECT_EQ((*opened)->client->config().auth, connectors::woocommerce::AuthMode::kQuery);
    EXPECT_TRUE((*opened)->client->list_orders({.page = 1, .per_page = 1}));
}

TEST_F(WooConnectionTest, BadOptionsAndMissingSecretsAreConfigErrors) {
    connection_.options["auth"] = "oauth";
    auto bad_auth = open_woocommerce(connection_, deps());
    ASSERT_FALSE(bad_auth);
    EXPECT_EQ(bad_auth.error().code, ErrorCode::kConfig);
    EXPECT_NE(bad_auth.error().message.find("basic or query"), std::string::npos);

    connection_.options = {{"per_page", "500"}};
    auto bad_page = open_woocommerce(connection_, deps());
    ASSERT_FALSE(bad_page);
    EXPECT_NE(bad_page.error().message.find("per_page"), std::string::npos);

    connection_.options.clear();
    connection_.secrets.erase("consumer_secret");
    auto no_secret = open_woocommerce(connection_, deps());
    ASSERT_FALSE(no_secret);
    EXPECT_EQ(no_secret.error().code, ErrorCode::kConfig);
    EXPECT_NE(no_secret.error().message.find("consumer_secret"), std::string::npos);

    connection_.system = "shipstation";
    EXPECT_FALSE(open_woocommerce(connection_, deps()));
}

TEST_F(WooConnectionTest, MetricsCountTheConnectionsTraffic) {
    net::Metrics metrics;
    engine::Dependencies with_metrics = deps();
    with_metrics.metrics = &metrics;
    auto opened = open_woocommerce(connection_, with_metrics);
    ASSERT_TRUE(opened);
    ASSERT_TRUE((*opened)->client->list_orders({.page = 1, .per_page = 1}));
    const std::string text = metrics.render_prometheus();
    EXPECT_NE(text.find("mlc_outbound_requests_total"), std::string::npos) << text;
    EXPECT_NE(text.find("connection=\"shop\""), std::string::npos) << text;
}

TEST_F(WooConnectionTest, PingOfAHealthyStoreIsAllOk) {
    const PingReport report = ping_woocommerce(connection_, deps());
    EXPECT_TRUE(report.ok()) << dump(report);
    EXPECT_EQ(report.system, "woocommerce");
    for (const char* name : {kCheckSecrets, kCheckReach, kCheckAuth, kCheckRead, "webhooks"}) {
        const auto* check = find_check(report, name);
        ASSERT_NE(check, nullptr) << name << "\n" << dump(report);
        EXPECT_EQ(check->status, PingStatus::kOk) << dump(report);
    }
    EXPECT_NE(find_check(report, kCheckRead)->detail.find("1 of 20 products"), std::string::npos)
        << dump(report);
}

TEST_F(WooConnectionTest, PingWithAWrongSecretNamesTheSecretAndTheFix) {
    ASSERT_TRUE(vault_.put("woo.secret", "cs_not_the_right_one"));
    const PingReport report = ping_woocommerce(connection_, deps());
    EXPECT_FALSE(report.ok());
    const auto* auth = find_check(report, kCheckAuth);
    ASSERT_NE(auth, nullptr) << dump(report);
    EXPECT_EQ(auth->status, PingStatus::kFail);
    EXPECT_NE(auth->detail.find("consumer secret is wrong"), std::string::npos) << auth->detail;
    EXPECT_NE(auth->detail.find("mlc secret set woo.secret"), std::string::npos) << auth->detail;
    EXPECT_EQ(auth->detail.find("cs_not_the_right_one"), std::string::npos);
    EXPECT_EQ(find_check(report, kCheckRead)->status, PingStatus::kSkipped);
}

TEST_F(WooConnectionTest, PingWithAWrongKeyNamesTheKey) {
    ASSERT_TRUE(vault_.put("woo.key", "ck_wrong"));
    connection_.options["auth"] = "query";
    const PingReport report = ping_woocommerce(connection_, deps());
    const auto* auth = find_check(report, kCheckAuth);
    ASSERT_NE(auth, nullptr) << dump(report);
    EXPECT_EQ(auth->status, PingStatus::kFail);
    EXPECT_NE(auth->detail.find("mlc secret set woo.key"), std::string::npos) << auth->detail;
}

TEST_F(WooConnectionTest, PingWithASecretMissingFromTheVaultSaysWhichToSet) {
    connection_.secrets["consumer_secret"] = "woo.unset";
    const PingReport report = ping_woocommerce(connection_, deps());
    EXPECT_FALSE(report.ok());
    const auto* secrets = find_check(report, kCheckSecrets);
    ASSERT_NE(secrets, nullptr);
    EXPECT_EQ(secrets->status, PingStatus::kFail);
    EXPECT_NE(secrets->detail.find("woo.unset"), std::string::npos) << secrets->detail;
    EXPECT_EQ(find_check(report, kCheckReach)->status, PingStatus::kSkipped);
}

TEST_F(WooConnectionTest, PingOfAnUnreachableHostFailsReach) {
    connection_.base_url = "http://nowhere.invalid";
    const PingReport report = ping_woocommerce(connection_, deps());
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(find_check(report, kCheckReach)->status, PingStatus::kFail) << dump(report);
    EXPECT_EQ(find_check(report, kCheckAuth)->status, PingStatus::kSkipped);
}

TEST_F(WooConnectionTest, PingWarnsAboutADisabledWebhookAndNamesTheFix) {
    auto opened = open_woocommerce(connection_, deps());
    ASSERT_TRUE(opened);
    auto hook = (*opened)->client->create_webhook({.name = "orders",
                                                   .topic = "order.updated",
                                                   .delivery_url = "http://receiver.test/hooks",
                                                   .secret = "s3cret"});
    ASSERT_TRUE(hook) << hook.error().describe();
    // The receiver fails every delivery until Woo disables the webhook (woocommerce.md: on the
    // 7th consecutive failure with the default limit).
    receiver_status_ = 500;
    constexpr int kFailuresToDisable = 7;
    const auto first = (*opened)->client->list_orders({.page = 1, .per_page = 1});
    ASSERT_TRUE(first);
    const std::string id = first->items.front().value.source.id;
    for (int i = 0; i < kFailuresToDisable; ++i) {
        ASSERT_EQ(control("POST", "orders/" + id + "/status",
                          i % 2 == 0 ? R"({"status":"on-hold"})" : R"({"status":"processing"})")
                      .status,
                  200);
        clock_.advance(std::chrono::seconds(60));
        host_.tick_all();
    }
    auto hooks = (*opened)->client->list_webhooks();
    ASSERT_TRUE(hooks);
    ASSERT_EQ(hooks->size(), 1u);
    ASSERT_EQ(hooks->front().status, "disabled");

    const PingReport report = ping_woocommerce(connection_, deps());
    const auto* check = find_check(report, "webhooks");
    ASSERT_NE(check, nullptr) << dump(report);
    EXPECT_EQ(check->status, PingStatus::kWarn);
    EXPECT_NE(check->detail.find("webhook " + std::to_string(hook->id)), std::string::npos);
    EXPECT_NE(check->detail.find("mlc webhooks enable"), std::string::npos) << check->detail;
    EXPECT_TRUE(report.ok());  // A warning, not a failure: polling still works.
}

}  // namespace
}  // namespace mlc::flows::connections

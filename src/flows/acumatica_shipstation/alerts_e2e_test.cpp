// Alerts that fire and reach someone (issue 17): ShipStation answering 500 to everything for
// longer than alerts.flow_failing_after raises one alert, announced once by e-mail (a loopback
// SMTP server that requires STARTTLS) and once by the signed webhook (an in-process HTTP server);
// when ShipStation recovers the alert is resolved and each channel says so once more. The flow
// runs under the daemon's scheduler, the rules and the dispatcher on the test clock.
#include <gtest/gtest.h>

#include <mutex>

#include <boost/json.hpp>

#include "engine/alert_notifier.hpp"
#include "engine/alert_rules.hpp"
#include "engine/scheduler.hpp"
#include "flows/acumatica_shipstation/e2e_world.hpp"
#include "flows/connections/ping.hpp"
#include "net/curl_transport.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"
#include "net/testing/smtp_sink.hpp"
#include "sandbox/fault_injector.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;
using std::chrono::minutes;

constexpr const char* kSigningKey = "alert-signing-key";

// The receiving end of the alert webhook: every POST kept with its headers.
class WebhookSink {
  public:
    WebhookSink() : server_({}, router_handler(), nullptr) { EXPECT_TRUE(server_.start()); }
    std::string url() const { return server_.base_url() + "/alerts"; }
    std::vector<net::HttpRequest> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

  private:
    net::HttpHandler router_handler() {
        router_.add("POST", "/alerts",
                    [this](const net::HttpRequest& request, const net::RouteParams&) {
                        std::lock_guard lock(mutex_);
                        received_.push_back(request);
                        return net::json_response(200, R"({"ok":true})");
                    });
        return router_.handler();
    }
    net::Router router_{{}};
    mutable std::mutex mutex_;
    std::vector<net::HttpRequest> received_;
    net::HttpServer server_;
};

struct AlertsTest : AcumaticaToShipStationTest {
    AlertsTest() {
        config.flow_failing_after = minutes(10);
        config.email = engine::AlertEmailConfig{.smtp_url = smtp.url(),
                                                .from = "mlc@example.com",
                                                .to = {"ops@example.com"},
                                                .username = "mlc",
                                                .password_secret = "smtp_password",
                                                .ca_file = smtp.ca_file()};
        std::vector<std::unique_ptr<engine::AlertChannel>> channels;
        channels.push_back(std::make_unique<engine::EmailChannel>(*config.email, "s3cret", clock_));
        channels.push_back(
            std::make_unique<engine::WebhookChannel>(hook.url(), kSigningKey, curl, clock_));
        dispatcher = std::make_unique<engine::AlertDispatcher>(
            clock_, *store_, *log_, std::move(channels), config.retry_backoff_max);
        rules = std::make_unique<engine::AlertRules>(
            clock_, *store_, *log_, config,
            std::vector<engine::WatchedFlow>{{.name = flow_.name, .every = minutes(5)}});
        scheduler.add_flow({.name = flow_.name, .every = minutes(5), .jitter = {}}, runner());
    }
    // One minute of the daemon: due runs, the rules, the notifications.
    void minute() {
        scheduler.run_due();
        ASSERT_TRUE(rules->evaluate());
        ASSERT_TRUE(dispatcher->dispatch());
        clock_.advance(minutes(1));
    }
    // `span` of the daemon in steps of `step`: due runs, the rules, the notifications.
    void pass(std::chrono::seconds span, std::chrono::seconds step) {
        for (auto done = std::chrono::seconds(0); done < span; done += step) {
            scheduler.run_due();
            ASSERT_TRUE(rules->evaluate());
            ASSERT_TRUE(dispatcher->dispatch());
            clock_.advance(step);
        }
    }
    // The rules again, watching `watched` as the daemon builds it (cli/daemon.cpp).
    void watch(engine::WatchedFlow watched) {
        rules = std::make_unique<engine::AlertRules>(clock_, *store_, *log_, config,
                                                     std::vector{std::move(watched)});
    }
    engine::Dependencies deps() {
        return {.clock = clock_,
                .store = *store_,
                .config = &config_,
                .vault = &vault_,
                .transport = &counting_};
    }
    std::vector<store::Alert> alerts() { return store_->list_alerts(std::nullopt).value(); }
    std::vector<store::Alert> alerts(const std::string& key) {
        std::vector<store::Alert> out;
        for (auto& alert : alerts()) {
            if (alert.key == key) out.push_back(std::move(alert));
        }
        return out;
    }
    int requests() {
        int total = 0;
        for (const auto& [host, n] : counting_.sent) total += n;
        return total;
    }
    std::size_t mails_with(const std::string& text) {
        std::size_t n = 0;
        for (const auto& mail : smtp.messages()) n += mail.data.find(text) != std::string::npos;
        return n;
    }

    engine::AlertsConfig config;
    net::testing::SmtpSink smtp;
    WebhookSink hook;
    net::CurlTransport curl;
    engine::Scheduler scheduler{clock_, *store_, *log_, {}};
    std::unique_ptr<engine::AlertRules> rules;
    std::unique_ptr<engine::AlertDispatcher> dispatcher;
};

// The webhook's signature over "<timestamp>.<body>" checks out with the shared key.
void expect_signed(const net::HttpRequest& request) {
    const auto timestamp = net::find_header(request.headers, "X-Mlc-Timestamp");
    const auto signature = net::find_header(request.headers, "X-Mlc-Signature");
    ASSERT_TRUE(timestamp && signature);
    EXPECT_EQ(
        std::string(*signature),
        engine::notice_signature(kSigningKey, std::stoll(std::string(*timestamp)), request.body));
}

TEST_F(AlertsTest, VendorFailingPastTheThresholdRaisesOneAlertNotifiedOnceThenClears) {
    const sandbox::FaultPlan plan{.route_prefix = "/", .rate_500 = 1.0};
    ASSERT_EQ(
        control("shipstation", "POST", "faults", json::serialize(sandbox::fault_plan_to_json(plan)))
            .status,
        200);
    for (int i = 0; i < 9; ++i) minute();  // Failing, but not yet for ten minutes.
    EXPECT_TRUE(alerts().empty());
    EXPECT_TRUE(smtp.messages().empty());
    for (int i = 0; i < 20; ++i) minute();  // Twenty more minutes of 500s.

    auto raised = alerts();
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].key, engine::flow_failing_key(flow_.name));
    EXPECT_EQ(raised[0].status, store::AlertStatus::kOpen);
    EXPECT_GT(raised[0].count, 1);  // Updated while it lasted, not raised again.
    EXPECT_NE(raised[0].message.find("HTTP 500"), std::string::npos) << raised[0].message;
    auto mails = smtp.messages();
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_TRUE(mails[0].tls);
    EXPECT_EQ(mails[0].login, std::string("\0mlc\0s3cret", 11));  // AUTH PLAIN
    EXPECT_EQ(mails[0].to, std::vector<std::string>{"ops@example.com"});
    EXPECT_NE(mails[0].data.find("Subject: [mlc] RAISED error flow_failing:acu-to-ss"),
              std::string::npos)
        << mails[0].data;
    auto hooks = hook.received();
    ASSERT_EQ(hooks.size(), 1u);
    expect_signed(hooks[0]);
    const json::value first = json::parse(hooks[0].body);
    EXPECT_EQ(first.at("event").as_string(), "raised");
    EXPECT_NE(std::string(first.at("text").as_string()).find(flow_.name), std::string::npos);

    ASSERT_EQ(control("shipstation", "DELETE", "faults").status, 200);
    scheduler.trigger(flow_.name);
    for (int i = 0; i < 5; ++i) minute();

    auto after = alerts();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].status, store::AlertStatus::kResolved);
    mails = smtp.messages();
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_NE(mails[1].data.find("Subject: [mlc] RESOLVED error flow_failing:acu-to-ss"),
              std::string::npos)
        << mails[1].data;
    hooks = hook.received();
    ASSERT_EQ(hooks.size(), 2u);
    expect_signed(hooks[1]);
    EXPECT_EQ(json::parse(hooks[1].body).at("event").as_string(), "resolved");
    for (int i = 0; i < 5; ++i) minute();  // Nothing more to say.
    EXPECT_EQ(smtp.messages().size(), 2u);
    EXPECT_EQ(hook.received().size(), 2u);
}

// "connection failing ping": the daemon pings the flow's connections every
// alerts.connection_check_every; ShipStation answering 500 raises one alert, updated at each
// check, nothing is checked while the flow is paused, and the first check after it recovers
// resolves it (one "raised" and one "resolved" e-mail).
TEST_F(AlertsTest, ConnectionFailingPingRaisedOnceUpdatedNotCheckedWhilePausedThenCleared) {
    using std::chrono::hours;
    config.flow_failing_after = hours(24);  // Only the connection rule speaks here.
    config.connection_check_every = minutes(15);
    watch({.name = flow_.name, .every = minutes(5), .check_connections = [this] {
               return flows::connections::connection_problems(flow_, deps());
           }});
    const sandbox::FaultPlan plan{.route_prefix = "/", .rate_500 = 1.0};
    ASSERT_EQ(
        control("shipstation", "POST", "faults", json::serialize(sandbox::fault_plan_to_json(plan)))
            .status,
        200);
    pass(minutes(31), minutes(1));  // Checks at 0, 15 and 30 minutes.
    const std::string key = engine::connection_failing_key(flow_.name);
    auto raised = alerts(key);
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].status, store::AlertStatus::kOpen);
    EXPECT_EQ(raised[0].count, 3);
    EXPECT_NE(raised[0].message.find("ss (shipstation)"), std::string::npos) << raised[0].message;
    EXPECT_NE(raised[0].message.find("mlc ping " + flow_.name), std::string::npos);
    EXPECT_EQ(alerts().size(), 1u);
    EXPECT_EQ(mails_with("RAISED error " + key), 1u);

    ASSERT_TRUE(scheduler.pause(flow_.name));
    const int before = requests();
    pass(hours(1), minutes(1));
    EXPECT_EQ(requests(), before);  // Paused: no run and no ping.
    EXPECT_EQ(alerts(key).at(0).count, 3);

    ASSERT_EQ(control("shipstation", "DELETE", "faults").status, 200);
    ASSERT_TRUE(scheduler.resume(flow_.name));
    pass(minutes(2), minutes(1));  // The check is overdue: it runs at once.
    raised = alerts(key);
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].status, store::AlertStatus::kResolved);
    EXPECT_EQ(mails_with("RESOLVED error " + key), 1u);
    pass(minutes(45), minutes(1));
    EXPECT_EQ(smtp.messages().size(), 2u);
}

// "webhook silent": with webhook_silent_after 6h, six hours without a delivery raise one alert,
// updated while the silence lasts; the next delivery (noted as the daemon's intake notes it)
// clears it.
TEST_F(AlertsTest, WebhookSilentPastTheFlowOptionRaisedOnceThenClearedByTheNextDelivery) {
    using std::chrono::hours;
    flow_.options[engine::kWebhookSilentAfterOption] = "6h";
    auto silent_after = engine::webhook_silent_after(flow_);
    ASSERT_TRUE(silent_after && *silent_after);
    engine::WebhookActivity activity;
    watch({.name = flow_.name, .every = minutes(5), .webhook_silent_after = *silent_after});
    rules->watch_webhooks(&activity);
    activity.delivered(flow_.name, clock_.now());
    pass(hours(5) + minutes(50), minutes(10));
    const std::string key = engine::webhook_silent_key(flow_.name);
    EXPECT_TRUE(alerts(key).empty());
    pass(hours(1), minutes(10));
    auto raised = alerts(key);
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].status, store::AlertStatus::kOpen);
    EXPECT_GT(raised[0].count, 1);  // Updated, not raised again.
    EXPECT_NE(raised[0].message.find("no webhook delivery for 6h"), std::string::npos)
        << raised[0].message;
    EXPECT_EQ(mails_with("RAISED warning " + key), 1u);

    activity.delivered(flow_.name, clock_.now());
    pass(minutes(20), minutes(10));
    raised = alerts(key);
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].status, store::AlertStatus::kResolved);
    EXPECT_EQ(mails_with("RESOLVED warning " + key), 1u);

    // A bad value is a config error naming the flow.
    flow_.options[engine::kWebhookSilentAfterOption] = "six hours";
    const auto bad = engine::webhook_silent_after(flow_);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().describe().find("flow acu-to-ss"), std::string::npos);
}

// "token or secret about to expire": a vault secret dated to expire in 20 days raises one alert
// 14 days ahead (alerts.secrets_expire_within), updated daily; setting it again with a new value
// and a later date resolves it.
TEST_F(AlertsTest, SecretAboutToExpireRaisedAheadThenClearedWhenRenewed) {
    using std::chrono::hours;
    const std::string secret = config_.connections.at("ss").secrets.begin()->second;
    const std::string value = vault_.get(secret).value();
    ASSERT_TRUE(vault_.set_expiry(secret, clock_.now() + hours(20 * 24)));
    watch({.name = flow_.name, .every = minutes(5)});
    rules->watch_secrets(&vault_);
    pass(hours(5 * 24), hours(12));  // 15 days left at the end: nothing yet.
    const std::string key = engine::secret_expiring_key(secret);
    EXPECT_TRUE(alerts(key).empty());
    pass(hours(3 * 24), hours(12));
    auto raised = alerts(key);
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].status, store::AlertStatus::kOpen);
    EXPECT_GT(raised[0].count, 1);
    EXPECT_NE(raised[0].message.find("secret " + secret + " expires in 12d"), std::string::npos)
        << raised[0].message;
    EXPECT_EQ(mails_with("RAISED warning " + key), 1u);
    for (const auto& mail : smtp.messages()) {
        EXPECT_EQ(mail.data.find(value), std::string::npos);  // The value is never sent.
    }

    ASSERT_TRUE(vault_.put(secret, value));  // Renewed: a new value, a new date.
    ASSERT_TRUE(vault_.set_expiry(secret, clock_.now() + hours(365 * 24)));
    pass(hours(12), hours(12));
    raised = alerts(key);
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].status, store::AlertStatus::kResolved);
    EXPECT_EQ(mails_with("RESOLVED warning " + key), 1u);
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

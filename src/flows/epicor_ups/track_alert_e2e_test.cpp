// "epicor-to-ups-shipments" with `tracking_via: track_alert`, end to end against the Epicor and
// UPS emulators in process: each shipped package is subscribed once, UPS's pushes reach the flow
// through net::WebhookIntake (as under `mlc run`) and bring tracking into Epicor once per change,
// a push that UPS did not send is refused and never written, and a simulated week of 10-minute
// runs stays within UPS's daily token budget while every subscription is renewed before it lapses.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/ups/ups_track_alert.hpp"
#include "engine/webhooks.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "flows/epicor_ups/track_alert.hpp"
#include "flows/testing/sandboxes.hpp"
#include "net/webhook_intake.hpp"
#include "pipeline/webhooks.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::epicor_ups {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kPublicBase = "http://mlc.test";
constexpr std::string_view kPushCredential = "4c1d7e0b9a2f48d6b3e5a7c9d1f0e2b4";
constexpr std::string_view kTokenPath = "/security/v1/oauth/token";

// Counts the flow's UPS calls by kind and the token requests by UTC day of the test clock.
class CountingTransport final : public net::HttpTransport {
  public:
    CountingTransport(net::HttpTransport& inner, Clock& clock) : inner_(inner), clock_(clock) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        const auto count = [&](std::string_view needle) {
            return request.url.find(needle) != std::string::npos;
        };
        if (count(kTokenPath)) {
            ++tokens_by_day[format_iso8601(clock_.now()).substr(0, 10)];  // The UTC day.
        }
        subscribes += count("/track/v2/subscription/");
        quantum_views += count("/quantumview/");
        details += count("/track/v1/details/");
        return inner_.send(request, options);
    }
    std::map<std::string, int> tokens_by_day;
    int subscribes = 0;
    int quantum_views = 0;
    int details = 0;

  private:
    net::HttpTransport& inner_;
    Clock& clock_;
};

class TrackAlertFlowTest : public ::testing::Test {
  protected:
    TrackAlertFlowTest()
        : host_(clock_, transport_, {.seed = 5, .volume = 40}),
          counting_(transport_, clock_),
          intake_(net::WebhookIntakeDeps{
              .store = *store_,
              .clock = clock_,
              .secrets = pipeline::webhook_secrets(&vault_),
              .channels = {{connectors::ups::kTrackAlertSource,
                            std::make_shared<connectors::ups::TrackAlertChannel>()}},
              .notify = {},
              .metrics = nullptr,
              .logger = log_}) {
        testing::serve_sandboxes(host_, transport_, {"epicor", "ups"});
        const json::object ports = host_.ports();
        testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        testing::connect_sandbox(config_, vault_, ports, "ups", "ups");
        // The daemon's intake at the public URL: /hooks/<flow>/<source>.
        transport_.add_route(std::string(kPublicBase), [this](const net::HttpRequest& request) {
            const std::string path = request.url.substr(0, request.url.find('?'));
            const auto source_at = path.rfind('/');
            const auto flow_at = path.rfind('/', source_at - 1);
            return intake_.handle(request, path.substr(flow_at + 1, source_at - flow_at - 1),
                                  path.substr(source_at + 1));
        });
        // What a person sets once: the push URL and credential in UPS's portal, the same
        // credential in the vault.
        (void)vault_.put(engine::webhook_secret_name("ship", "ups"), std::string(kPushCredential));
        ups_control("trackalert/webhook",
                    json::object{{"url", engine::webhook_url(kPublicBase, "ship", "ups")},
                                 {"credential", kPushCredential}});
        labels_ = std::filesystem::temp_directory_path() /
                  ("mlc-ta-labels-" + std::to_string(::getpid()) + "-" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
        flow_.name = "ship";
        flow_.recipe = kShipmentsRecipe;
        flow_.connections = {{"source", "ep"}, {"target", "ups"}};
        clock_.advance(1h);  // Past the seeded orders' changes (see shipments_e2e_test.cpp).
        flow_.options = {{"start", format_iso8601(clock_.now())},
                         {"labels_dir", labels_.string()},
                         {"tracking_via", "track_alert"}};
        epicor_ = connections::open_epicor(config_.connections.at("ep"), deps()).value();
        add_part();
    }
    ~TrackAlertFlowTest() override { std::filesystem::remove_all(labels_); }

    void add_part() {
        const auto answer =
            testing::control(host_, "epicor", "POST", "parts",
                             json::serialize(json::object{{"PartNum", "LB-PART"},
                                                          {"PartDescription", "Part LB-PART"},
                                                          {"IUM", "EA"},
                                                          {"SalesUM", "EA"},
                                                          {"TypeCode", "P"},
                                                          {"UnitPrice", "10"},
                                                          {"NetWeight", "1.5"},
                                                          {"NetWeightUOM", "LB"}}));
        ASSERT_LT(answer.status, 300) << answer.body;
        for (const char* table : {"ShipHead", "OrderRel"}) {
            for (const auto& [field, type] :
                 {std::pair{"CarrierStatus_c", "string"}, std::pair{"DeliveredDate_c", "date"},
                  std::pair{"EstDelivery_c", "date"}}) {
                const auto made =
                    testing::control(host_, "epicor", "POST", "ud-fields",
                                     json::serialize(json::object{
                                         {"table", table}, {"field", field}, {"type", type}}));
                ASSERT_EQ(made.status, 200) << made.body;
            }
        }
    }
    json::value ups_control(const std::string& route, const json::object& body) {
        const auto answer = testing::control(host_, "ups", "POST", route, json::serialize(body));
        EXPECT_EQ(answer.status, 200) << answer.body;
        return json::parse(answer.body);
    }
    json::value ups_state() {
        return json::parse(testing::control(host_, "ups", "GET", "state").body);
    }
    engine::Dependencies deps() {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = &counting_};
    }
    std::unique_ptr<engine::FlowRunner> runner() {
        auto built = make_shipments_runner(flow_, deps());
        EXPECT_TRUE(built) << built.error().describe();
        return built ? std::move(*built) : nullptr;
    }
    Result<engine::RunSummary> run(engine::FlowRunner& flow) {
        return testing::run_once(flow, clock_, *store_, *log_, flow_.name);
    }
    // An order confirmed in Epicor (one release of one 1.5 lb part) to a valid address.
    std::int64_t order() {
        model::Order o;
        o.source = {.system = "test", .key = "T-" + std::to_string(++orders_), .id = {}};
        o.ship_to = model::Address{.name = "Dock 4",
                                   .company = {},
                                   .street1 = "100 MAIN ST",
                                   .street2 = {},
                                   .street3 = {},
                                   .city = "LOS ANGELES",
                                   .state = "CA",
                                   .postal_code = "90012",
                                   .country = "US",
                                   .phone = "2135550100",
                                   .email = {},
                                   .residential = false};
        model::OrderLine line;
        line.sku = "LB-PART";
        line.quantity = Decimal::from_int(1);
        line.unit_price = Decimal::from_int(10);
        o.lines.push_back(line);
        auto made = epicor_->client->create_order({.order = o, .customer_id = "C00002"});
        EXPECT_TRUE(made) << made.error().describe();
        return made ? made->order_num : 0;
    }
    // The UPS tracking numbers of this test's shipments.
    std::vector<std::string> packages() {
        std::vector<std::string> out;
        const json::value state = ups_state();  // Never range over a temporary (GCC 12).
        for (const auto& package : state.at("packages").as_array()) {
            const auto& refs = package.at("references").as_array();
            if (!refs.empty() && !refs[0].as_string().starts_with("SEED-")) {
                out.emplace_back(package.at("tracking_number").as_string());
            }
        }
        return out;
    }
    // The Epicor pack (ShipHead) with `tracking`.
    json::object pack(const std::string& tracking) {
        const auto state = json::parse(testing::control(host_, "epicor", "GET", "state").body);
        for (const auto& row : state.at("tables").at("ShipHead").as_array()) {
            if (row.at("TrackingNumber").as_string() == tracking) return row.as_object();
        }
        return {};
    }
    int audits(store::AuditAction action) {
        store::AuditQuery query;
        auto events = store_->query_audit(query);
        EXPECT_TRUE(events) << events.error().describe();
        int n = 0;
        for (const auto& event : events ? *events : std::vector<store::AuditEvent>{}) {
            n += event.action == action;
        }
        return n;
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::StateStore> store_ = store::SqliteStateStore::open(":memory:").value();
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    CountingTransport counting_;
    net::WebhookIntake intake_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::filesystem::path labels_;
    std::unique_ptr<connections::EpicorConnection> epicor_;
    int orders_ = 0;
};

TEST_F(TrackAlertFlowTest, PushesBringTrackingIntoEpicorOncePerChangeAndEndAtTheDelivery) {
    auto flow = runner();
    ASSERT_TRUE(flow);
    order();
    clock_.advance(1min);
    auto first = run(*flow);  // Ships, subscribes the package, and polls Quantum View once.
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->streams["shipments"].created, 1);
    EXPECT_EQ(first->streams[kTrackAlertStream].created, 1);
    const auto numbers = packages();
    ASSERT_EQ(numbers.size(), 1u);
    const std::string tracking = numbers[0];
    ASSERT_FALSE(pack(tracking).empty()) << "the label's tracking is in Epicor";
    const int quantum_views = counting_.quantum_views;

    // The origin scan: UPS pushes it; the next run writes it from the inbox.
    clock_.advance(1min);
    ups_control("packages/" + tracking + "/advance", {});
    host_.tick_all();
    clock_.advance(10min);
    auto moved = run(*flow);
    ASSERT_TRUE(moved) << moved.error().describe();
    EXPECT_EQ(moved->streams["tracking"].updated, 1) << "one write for the origin scan";
    const json::object in_transit = pack(tracking);
    EXPECT_FALSE(in_transit.at("EstDelivery_c").is_null()) << json::serialize(in_transit);
    EXPECT_EQ(counting_.quantum_views, quantum_views) << "no poll within the hour";

    // Delivered: pushed, written once, and the package's subscription is not renewed.
    clock_.advance(1min);
    ups_control("packages/" + tracking + "/deliver", {});
    host_.tick_all();
    clock_.advance(10min);
    auto delivered = run(*flow);
    ASSERT_TRUE(delivered) << delivered.error().describe();
    EXPECT_EQ(delivered->streams["tracking"].updated, 1);
    EXPECT_FALSE(pack(tracking).at("DeliveredDate_c").is_null());
    auto watched = store_->get_binding(flow_.name, kTrackAlertSystem, tracking).value();
    ASSERT_TRUE(watched);
    EXPECT_EQ(watched->content_hash, "delivered");

    // The safety-net poll an hour on reads the same tracking: nothing is written again, and two
    // weeks on nothing is subscribed again.
    clock_.advance(1h);
    auto polled = run(*flow);
    ASSERT_TRUE(polled) << polled.error().describe();
    EXPECT_GT(counting_.quantum_views, quantum_views) << "the safety net polled";
    EXPECT_EQ(polled->streams["tracking"].created + polled->streams["tracking"].updated, 0);
    clock_.advance(24h * 15);
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(counting_.subscribes, 1) << "one Track Alert subscription for the package";
    EXPECT_EQ(store_->count_inbox(flow_.name, /*done=*/false).value(), 0);
}

TEST_F(TrackAlertFlowTest, APushUpsDidNotSendIsRefusedAuditedAndNeverWritten) {
    auto flow = runner();
    ASSERT_TRUE(flow);
    order();
    clock_.advance(1min);
    ASSERT_TRUE(run(*flow));
    const auto numbers = packages();
    ASSERT_EQ(numbers.size(), 1u);
    const std::string tracking = numbers[0];
    const json::object before = pack(tracking);
    // A forged "delivered" with UPS's User-Agent and a guessed credential.
    net::HttpRequest forged{
        .method = "POST",
        .url = engine::webhook_url(kPublicBase, "ship", "ups"),
        .body = json::serialize(json::object{
            {"trackingNumber", tracking},
            {"activityStatus",
             json::object{{"type", "D"}, {"code", "FS"}, {"description", "Delivered"}}},
            {"gmtActivityDate", "20250602"},
            {"gmtActivityTime", "180000"},
            {"actualDeliveryDate", "20250602"}})};
    forged.headers = {{"Content-Type", "application/json"},
                      {"User-Agent", std::string(connectors::ups::kTrackAlertUserAgent)},
                      {"x-api-key", "guessed"}};
    const int rejects = audits(store::AuditAction::kReject);
    auto answer = transport_.send(forged, {});
    ASSERT_TRUE(answer) << answer.error().describe();
    EXPECT_EQ(answer->status, 401);
    EXPECT_EQ(audits(store::AuditAction::kReject), rejects + 1) << "the refusal is audited";
    forged.headers.pop_back();  // No credential at all.
    answer = transport_.send(forged, {});
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 401);
    EXPECT_EQ(store_->count_inbox(flow_.name, false).value() +
                  store_->count_inbox(flow_.name, true).value(),
              0)
        << "nothing stored";
    clock_.advance(10min);
    auto after = run(*flow);
    ASSERT_TRUE(after) << after.error().describe();
    EXPECT_TRUE(pack(tracking).at("DeliveredDate_c").is_null()) << "never processed";
    EXPECT_EQ(pack(tracking).at("CarrierStatus_c"), before.at("CarrierStatus_c"));
}

TEST_F(TrackAlertFlowTest, WithoutThePortalsPushSettingsTheFlowAlertsAndQuantumViewStillTracks) {
    ups_control("trackalert/webhook", json::object{{"url", ""}, {"credential", ""}});
    auto flow = runner();
    ASSERT_TRUE(flow);
    order();
    clock_.advance(1min);
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->streams["shipments"].created, 1);
    EXPECT_EQ(first->streams["tracking"].created, 1) << "the poll still brings tracking";
    const auto alerts = store_->list_alerts(store::AlertStatus::kOpen).value();
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].key, "track-alert:ship");
    EXPECT_NE(alerts[0].message.find("Manage Webhook Credentials"), std::string::npos)
        << alerts[0].message;
    // Set in the portal: the next run subscribes the package and the alert is acknowledged.
    ups_control("trackalert/webhook",
                json::object{{"url", engine::webhook_url(kPublicBase, "ship", "ups")},
                             {"credential", kPushCredential}});
    clock_.advance(10min);
    auto next = run(*flow);
    ASSERT_TRUE(next) << next.error().describe();
    EXPECT_EQ(next->streams[kTrackAlertStream].created, 1);
    EXPECT_TRUE(store_->list_alerts(store::AlertStatus::kOpen).value().empty());
}

// A week of the scheduler's 10-minute runs, two new releases each day. The token lives its full
// life (UPS's 14,399 s); UPS's subscriptions are shortened to 1 day (the emulator's config) and
// the flow renews after 20 hours, so undelivered packages are renewed several times.
TEST_F(TrackAlertFlowTest, AWeekOfTenMinuteRunsStaysInTheTokenBudgetAndRenewsBeforeAnyLapse) {
    ups_control("config", json::object{{"subscription_lifetime_seconds", 24 * 3600}});
    flow_.options["track_alert_renew_after"] = "20h";
    auto flow = runner();
    ASSERT_TRUE(flow);
    constexpr int kCycles = 1'008;
    constexpr int kCyclesPerDay = 144;
    int quantum_view_cycles = 0;
    std::int64_t subscribed = 0;  // Numbers subscribed the first time, and renewals.
    std::int64_t renewed = 0;
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        if (cycle % kCyclesPerDay == 0) {
            order();
            order();
        }
        clock_.advance(10min);
        host_.tick_all();  // UPS pushes what happened since the last cycle.
        const int polls = counting_.quantum_views;
        auto summary = run(*flow);
        ASSERT_TRUE(summary) << "cycle " << cycle << ": " << summary.error().describe();
        ASSERT_EQ(summary->parked + summary->failed, 0) << "cycle " << cycle;
        quantum_view_cycles += counting_.quantum_views > polls;
        subscribed += summary->streams[kTrackAlertStream].created;
        renewed += summary->streams[kTrackAlertStream].updated;
    }
    const auto state = ups_state();
    std::set<std::string> at_ups;
    for (const auto& subscription : state.at("subscriptions").as_array()) {
        EXPECT_FALSE(subscription.at("lapsed").as_bool())
            << "lapsed before delivery: " << json::serialize(subscription);
        at_ups.emplace(subscription.at("tracking_number").as_string());
    }
    const auto numbers = packages();
    EXPECT_EQ(numbers.size(), 14u);
    for (const std::string& number : numbers) EXPECT_TRUE(at_ups.contains(number)) << number;
    EXPECT_EQ(subscribed, 14) << "each package subscribed once";
    EXPECT_GT(renewed, 0) << "undelivered packages outlived a subscription";
    int most = 0;
    for (const auto& [day, count] : counting_.tokens_by_day) most = std::max(most, count);
    EXPECT_LE(most, 7) << "a 14,399 s token: at most 7 a day, of UPS's 250";
    EXPECT_LE(most, state.at("daily_token_cap").to_number<int>());
    EXPECT_GT(counting_.subscribes, 0);
    ::testing::Test::RecordProperty("tokens_most_in_a_day", most);
    ::testing::Test::RecordProperty("subscribe_calls", counting_.subscribes);
    ::testing::Test::RecordProperty("quantum_view_calls", counting_.quantum_views);
    ::testing::Test::RecordProperty("quantum_view_cycles", quantum_view_cycles);
    ::testing::Test::RecordProperty("details_calls", counting_.details);
    std::string days;
    for (const auto& [day, count] : counting_.tokens_by_day) {
        days += day + "=" + std::to_string(count) + " ";
    }
    std::printf(
        "week: tokens by UTC day: %s; subscribe calls %d for %zu packages (%lld subscribed, "
        "%lld renewals); Quantum View calls %d in %d of %d cycles; details calls %d\n",
        days.c_str(), counting_.subscribes, numbers.size(), static_cast<long long>(subscribed),
        static_cast<long long>(renewed), counting_.quantum_views, quantum_view_cycles, kCycles,
        counting_.details);
}

}  // namespace
}  // namespace mlc::flows::epicor_ups

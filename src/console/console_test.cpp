// The console's API as an operator's browser uses it: through the daemon's router, on the real
// SQLite store (":memory:"), with a scheduler and the dead-letter replayer of the engine.
#include "console/console.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "console/users.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::console {
namespace {

namespace json = boost::json;

// Parks nothing itself; its replay succeeds once `healed` is set (a person added the mapping).
class MappingRunner final : public engine::FlowRunner {
  public:
    Result<engine::RunSummary> run_once(engine::RunContext&) override {
        return engine::RunSummary{.created = 3, .parked = 1};
    }
    Result<void> replay(const store::DeadLetter& letter, engine::RunContext&) override {
        if (!healed) {
            return make_error(ErrorCode::kUnresolved, "epicor",
                              "SKU " + letter.source_key + " still has no Epicor part");
        }
        return ok();
    }
    bool healed = false;
};

class ConsoleTest : public ::testing::Test {
  protected:
    ConsoleTest() {
        engine::FlowConfig flow;
        flow.name = "shipstation-orders";
        flow.recipe = "shipstation-to-epicor-orders";
        flow.schedule = engine::ScheduleConfig{};
        config_.flows[flow.name] = flow;
        auto runner = std::make_unique<MappingRunner>();
        runner_ = runner.get();
        scheduler_.add_flow({.name = "shipstation-orders", .every = std::chrono::seconds(300)},
                            std::move(runner));
        console_.mount(router_);
        log_in("olga", "operator");
    }

    // Logs `name` in (created with `role` first) and keeps the session for call().
    void log_in(const std::string& name, const std::string& role) {
        ASSERT_TRUE(store_->put_console_user(
            {.name = name,
             .role = role,
             .password_hash = *hash_password("correct horse battery", fastest_cost()),
             .created_at = clock_.now()}));
        net::HttpRequest request;
        request.method = "POST";
        request.url = "/api/login";
        request.headers.emplace_back("Host", "127.0.0.1:8787");
        request.headers.emplace_back("Origin", "http://127.0.0.1:8787");
        request.body = R"({"user":")" + name + R"(","password":"correct horse battery"})";
        last_ = router_.handle(request);
        ASSERT_EQ(last_.status, 200) << last_.body;
        const std::string set_cookie(*net::find_header(last_.headers, "Set-Cookie"));
        cookie_ = set_cookie.substr(0, set_cookie.find(';'));
        csrf_ = std::string(json::parse(last_.body).at("csrf_token").as_string());
    }

    json::value call(const std::string& method, const std::string& url, bool marked = true) {
        net::HttpRequest request;
        request.method = method;
        request.url = url;
        request.headers.emplace_back("Host", "127.0.0.1:8787");
        if (!cookie_.empty()) request.headers.emplace_back("Cookie", cookie_);
        if (marked && method == "POST") request.headers.emplace_back("X-MLC-CSRF", csrf_);
        last_ = router_.handle(request);
        return last_.body.empty() ? json::value() : json::parse(last_.body);
    }

    std::int64_t park(const std::string& sku) {
        return *store_->put_dead_letter(
            {.flow = "shipstation-orders",
             .source_system = "shipstation",
             .source_key = sku,
             .record_json = "{}",
             .replay_json = "{}",
             .error_code = "unresolved",
             .error_message = "order SS-1 line " + sku + ": no Epicor part; add mappings.parts",
             .first_seen = clock_.now(),
             .last_seen = clock_.now()});
    }

    ManualClock clock_;
    // Opened here, before the scheduler and replayer members that borrow it.
    std::unique_ptr<store::StateStore> store_ =
        std::move(*store::SqliteStateStore::open(":memory:"));
    engine::Config config_;
    std::shared_ptr<spdlog::logger> log_ = std::make_shared<spdlog::logger>(
        "console", std::make_shared<spdlog::sinks::null_sink_mt>());
    engine::Scheduler scheduler_{clock_, *store_, *log_, {.owner = "test"}};
    engine::DeadLetterReplayer replayer_{
        clock_,
        *store_,
        *log_,
        [this](const std::string& flow) { return scheduler_.runner(flow); },
        {.owner = "test"}};
    std::atomic<bool> stop_{false};
    Console console_{{.clock = clock_,
                      .store = *store_,
                      .scheduler = scheduler_,
                      .replayer = replayer_,
                      .config = config_,
                      .stop = stop_,
                      .auth = {.dummy_cost = fastest_cost()}}};
    net::Router router_;
    MappingRunner* runner_ = nullptr;
    net::HttpResponse last_;
    std::string cookie_;
    std::string csrf_;
};

TEST_F(ConsoleTest, ThePageIsServedSelfContained) {
    net::HttpRequest request;
    request.url = "/";
    const auto page = router_.handle(request);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("ml-connector"), std::string::npos);
    EXPECT_NE(page.body.find("/api/overview"), std::string::npos);
    EXPECT_EQ(page.body.find("http://"), std::string::npos);  // Nothing loaded from elsewhere.
    EXPECT_EQ(page.body.find("https://"), std::string::npos);
}

TEST_F(ConsoleTest, OverviewShowsEachFlowsLastRunAndOpenDeadLetters) {
    park("SKU-404");
    ASSERT_TRUE(scheduler_.run_flow("shipstation-orders"));
    const auto overview = call("GET", "/api/overview");
    ASSERT_EQ(last_.status, 200) << last_.body;
    const auto& flow = overview.at("flows").at(0).as_object();
    EXPECT_EQ(flow.at("name").as_string(), "shipstation-orders");
    EXPECT_EQ(flow.at("recipe").as_string(), "shipstation-to-epicor-orders");
    EXPECT_EQ(flow.at("runs").as_int64(), 1);
    EXPECT_EQ(flow.at("last_run").at("created").as_int64(), 3);
    EXPECT_EQ(flow.at("open_dead_letters").to_number<int>(), 1);
}

TEST_F(ConsoleTest, ADeadLetterNamesItsFixAndReplayHealsItOnceTheMappingExists) {
    const auto id = park("SKU-404");
    const auto letters = call("GET", "/api/deadletters?flow=shipstation-orders");
    ASSERT_EQ(letters.at("dead_letters").as_array().size(), 1u);
    EXPECT_NE(std::string(letters.at("dead_letters").at(0).at("error_message").as_string())
                  .find("add mappings.parts"),
              std::string::npos);

    const std::string replay = "/api/deadletters/" + std::to_string(id) + "/replay";
    call("POST", replay);
    EXPECT_EQ(last_.status, 422) << last_.body;  // Still unmapped: the answer says why.
    EXPECT_NE(last_.body.find("still has no Epicor part"), std::string::npos);

    runner_->healed = true;
    call("POST", replay);
    EXPECT_EQ(last_.status, 200) << last_.body;
    EXPECT_TRUE(call("GET", "/api/deadletters").at("dead_letters").as_array().empty());
    call("POST", replay);
    EXPECT_EQ(last_.status, 409) << last_.body;  // Not open any more: never replayed twice.
    call("POST", "/api/deadletters/999/replay");
    EXPECT_EQ(last_.status, 404);
}

TEST_F(ConsoleTest, WritesWithoutTheCsrfTokenAreRefused) {
    const auto id = park("SKU-404");
    runner_->healed = true;
    call("POST", "/api/deadletters/" + std::to_string(id) + "/replay", /*marked=*/false);
    EXPECT_EQ(last_.status, 403);
    EXPECT_NE(last_.body.find("CSRF"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/deadletters").at("dead_letters").as_array().size(), 1u);
}

TEST_F(ConsoleTest, AReplayIsAnAuditEventNamingTheUser) {
    const auto id = park("SKU-404");
    runner_->healed = true;
    call("POST", "/api/deadletters/" + std::to_string(id) + "/replay");
    ASSERT_EQ(last_.status, 200) << last_.body;
    const auto events = call("GET", "/api/audit?flow=console&key=olga").at("events");
    ASSERT_GE(events.as_array().size(), 2u);  // The login, then the replay (newest first).
    EXPECT_EQ(events.at(0).at("action").as_string(), "replay");
    EXPECT_EQ(events.at(0).at("outcome").as_string(), "ok");
    EXPECT_NE(std::string(events.at(0).at("detail").as_string()).find("olga replayed"),
              std::string::npos);
    EXPECT_EQ(events.at(1).at("action").as_string(), "login");
}

TEST_F(ConsoleTest, AlertsAreListedAndAcknowledged) {
    store::Alert alert;
    alert.key = "woo-webhook-disabled";
    alert.flow = "woo-orders";
    alert.severity = "error";
    alert.message = "WooCommerce disabled webhook 7; run `mlc webhooks enable woo-orders`";
    alert.raised_at = clock_.now();
    const auto id = *store_->raise_alert(alert);
    EXPECT_EQ(call("GET", "/api/overview").at("alerts").as_array().size(), 1u);
    call("POST", "/api/alerts/" + std::to_string(id) + "/ack");
    EXPECT_EQ(last_.status, 200) << last_.body;
    EXPECT_TRUE(call("GET", "/api/overview").at("alerts").as_array().empty());
    EXPECT_EQ(call("GET", "/api/alerts").at("alerts").at(0).at("status").as_string(),
              "acknowledged");
}

TEST_F(ConsoleTest, AuditSearchFindsARecordBySourceOrTargetKey) {
    ASSERT_TRUE(store_->append_audit({.flow = "shipstation-orders",
                                      .direction = "shipstation->epicor",
                                      .source_ref = "shipstation:order:SS-1001",
                                      .target_ref = "epicor:SalesOrder:5001",
                                      .action = store::AuditAction::kCreate,
                                      .outcome = "ok",
                                      .at = clock_.now(),
                                      .detail = "created"}));
    EXPECT_EQ(call("GET", "/api/audit?key=SS-1001").at("events").as_array().size(), 1u);
    EXPECT_EQ(call("GET", "/api/audit?key=5001").at("events").as_array().size(), 1u);
    EXPECT_TRUE(call("GET", "/api/audit?key=SS-1").at("events").as_array().empty());
    call("GET", "/api/deadletters?status=bogus");
    EXPECT_EQ(last_.status, 400);
}

}  // namespace
}  // namespace mlc::console

// The console's API as an operator's browser uses it: through the daemon's router, on the real
// SQLite store (":memory:"), with a scheduler and the dead-letter replayer of the engine.
#include "console/console.hpp"

#include <gtest/gtest.h>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <map>

#include "common/time.hpp"
#include "console/users.hpp"
#include "engine/dead_letter_cause.hpp"
#include "engine/run_history.hpp"
#include "engine/stored_mappings.hpp"
#include "net/http_server.hpp"
#include "net/http_server_test_client.hpp"
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
            Error error = make_error(ErrorCode::kUnresolved, "epicor",
                                     "the SKU still has no Epicor part: add mappings.parts");
            error.record_key = "order " + letter.source_key;
            return error;
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

    // As the pipeline parks an order whose line has an unknown SKU (pipeline/page.cpp): the cause
    // kept beside the replay key, the record named in error_message only.
    std::int64_t park_order(const std::string& order, const std::string& sku) {
        Error error = make_error(ErrorCode::kUnresolved, "epicor",
                                 "SKU '" + sku + "' is not an Epicor PartNum: add mappings.parts");
        error.record_key = "order " + order;
        return *store_->put_dead_letter(
            {.flow = "shipstation-orders",
             .source_system = "shipstation",
             .source_key = order,
             .record_json =
                 R"({"orderNumber":")" + order + R"(","items":[{"sku":")" + sku + "\"}]}",
             .replay_json =
                 engine::with_cause(R"({"stream":"orders","ref":")" + order + "\"}", error),
             .error_code = "unresolved",
             .error_message = error.describe(),
             .first_seen = clock_.now(),
             .last_seen = clock_.now()});
    }

    json::value post(const std::string& url, const json::object& body) {
        net::HttpRequest request;
        request.method = "POST";
        request.url = url;
        request.headers.emplace_back("Host", "127.0.0.1:8787");
        request.headers.emplace_back("Cookie", cookie_);
        request.headers.emplace_back("X-MLC-CSRF", csrf_);
        request.body = json::serialize(body);
        last_ = router_.handle(request);
        return last_.body.empty() ? json::value() : json::parse(last_.body);
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
    // The recipe's declared tables, as the flows' registry has them.
    engine::RecipeRegistry registry_ = [] {
        engine::RecipeRegistry registry;
        engine::RecipeInfo info;
        info.declares_options = true;
        info.tables = {{.name = "parts", .doc = "SKU -> PartNum"}};
        registry.add(
            "shipstation-to-epicor-orders",
            [](const engine::FlowConfig&,
               const engine::Dependencies&) -> Result<std::unique_ptr<engine::FlowRunner>> {
                return std::unique_ptr<engine::FlowRunner>(std::make_unique<MappingRunner>());
            },
            info);
        return registry;
    }();
    // As the daemon's reload does it: the new mappings in the runner, then what waited replayed.
    std::vector<std::string> reloads_;
    Console console_{{.clock = clock_,
                      .store = *store_,
                      .scheduler = scheduler_,
                      .replayer = replayer_,
                      .config = config_,
                      .stop = stop_,
                      .auth = {.dummy_cost = fastest_cost()},
                      .registry = &registry_,
                      .reload = [this](std::string_view why) -> Result<std::string> {
                          reloads_.emplace_back(why);
                          runner_->healed = true;
                          MLC_TRY(auto replayed, replayer_.replay_all("shipstation-orders", stop_));
                          return "reloaded 1 flow(s); replayed " +
                                 std::to_string(replayed.replayed);
                      },
                      .ping =
                          [this](const engine::ConnectionConfig& connection) {
                              pinged_.push_back(connection.name);
                              connectors::PingReport report = ping_answer_;
                              report.connection = connection.name;
                              report.system = connection.system;
                              return report;
                          },
                      .rate_use =
                          [this](const std::string& connection) {
                              return limiters_.use(connection, clock_.steady_now());
                          }}};
    net::Router router_;
    net::RateLimiterRegistry limiters_;        // The budgets the console shows as spent.
    std::vector<std::string> pinged_;          // Connections the console pinged.
    connectors::PingReport ping_answer_ = {};  // What a ping finds.
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
    // The problem ended: the list says when (the page shows "resolved" and its time, no button).
    clock_.advance(std::chrono::minutes(3));
    ASSERT_TRUE(store_->resolve_alert(alert.key, clock_.now()));
    const json::value listed = call("GET", "/api/alerts").at("alerts").at(0);
    EXPECT_EQ(listed.at("status").as_string(), "resolved");
    EXPECT_EQ(listed.at("resolved_at").as_string(), format_iso8601(clock_.now()));
    EXPECT_FALSE(listed.at("acknowledged_at").is_null());
    EXPECT_NE(listed.at("message").as_string().find("mlc webhooks enable"), std::string::npos);
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

// What a person searching "where is my shipment" sees: the tracking number leads to the
// shipment, the Epicor order it was written on and the ShipStation order that made that order,
// in time order; a PO number held only in a parked record finds its letter and the vendor's
// answer.
TEST_F(ConsoleTest, ATrackingNumbersTrailLeadsToItsEpicorOrderAndTheOrderItCameFrom) {
    auto audit = [&](const std::string& source, const std::string& target, std::string detail) {
        ASSERT_TRUE(store_->append_audit({.flow = "shipstation-orders",
                                          .direction = "shipstation->epicor",
                                          .source_ref = source,
                                          .target_ref = target,
                                          .action = store::AuditAction::kCreate,
                                          .outcome = "ok",
                                          .at = clock_.now(),
                                          .detail = std::move(detail)}));
    };
    audit("shipstation:order:SS-1001", "epicor:SalesOrder:5001", "SalesOrder for SS-1001");
    ASSERT_TRUE(store_->put_binding({.flow = "shipstation-orders",
                                     .source_system = "shipstation",
                                     .source_key = "SS-1001",
                                     .target_id = "5001",
                                     .content_hash = "h",
                                     .state = store::BindingState::kConfirmed,
                                     .source_version = {},
                                     .created_at = clock_.now(),
                                     .updated_at = clock_.now()}));
    audit("shipstation:order:SS-1002", "epicor:SalesOrder:5002", "another order");
    clock_.advance(std::chrono::minutes(20));
    audit("shipstation:shipment:77", "epicor:SalesOrder:5001:CustShip:1",
          "tracking 1Z999AA10123456784 (ups) on Epicor OrderNum 5001");

    const json::value trail = call("GET", "/api/trail?key=1Z999AA10123456784");
    ASSERT_EQ(last_.status, 200) << last_.body;
    const auto& steps = trail.at("steps").as_array();
    ASSERT_GE(steps.size(), 3u) << last_.body;
    EXPECT_EQ(steps.front().at("source_ref").as_string(), "shipstation:order:SS-1001");
    EXPECT_EQ(steps.front().at("target_ref").as_string(), "epicor:SalesOrder:5001");
    EXPECT_EQ(steps.back().at("source_ref").as_string(), "shipstation:shipment:77");
    bool bound = false;
    for (const auto& step : steps) {
        EXPECT_EQ(json::serialize(step).find("5002"), std::string::npos) << json::serialize(step);
        bound = bound || step.at("kind").as_string() == "binding";
    }
    EXPECT_TRUE(bound) << last_.body;
    // The same trail from the other end: the Epicor order number.
    EXPECT_EQ(call("GET", "/api/trail?key=5001").at("steps").as_array().size(), steps.size());

    park_order("SS-1003", "WB-2041-DISC");
    const json::value by_sku = call("GET", "/api/trail?key=WB-2041-DISC");
    const auto& letter = by_sku.at("steps").as_array().at(0);
    EXPECT_EQ(letter.at("kind").as_string(), "dead letter");
    EXPECT_EQ(letter.at("status").as_string(), "open");
    EXPECT_NE(letter.at("answer").as_string().find("mappings.parts"), std::string::npos);
    EXPECT_TRUE(call("GET", "/api/trail?key=NO-SUCH-KEY").at("steps").as_array().empty());
    call("GET", "/api/trail?key=");
    EXPECT_EQ(last_.status, 400);
}

TEST_F(ConsoleTest, OneUnknownSkuAcrossOrdersIsOneGroupWithItsFixAndTheRecordAsSent) {
    park_order("SS-1", "SKU-999");
    clock_.advance(std::chrono::minutes(5));
    park_order("SS-2", "SKU-999");
    park_order("SS-3", "SKU-999");
    park_order("SS-4", "SKU-404");
    park("SKU-OLD");  // Parked before causes were kept: a group of its own.
    const auto groups = call("GET", "/api/deadletters/groups").at("groups");
    ASSERT_EQ(last_.status, 200) << last_.body;
    ASSERT_EQ(groups.as_array().size(), 3u) << last_.body;
    const auto& top = groups.at(0);
    EXPECT_EQ(top.at("flow").as_string(), "shipstation-orders");
    EXPECT_EQ(top.at("count").as_int64(), 3);
    EXPECT_EQ(top.at("code").as_string(), "unresolved");
    EXPECT_EQ(top.at("message").as_string(),
              "SKU 'SKU-999' is not an Epicor PartNum: add mappings.parts");
    EXPECT_NE(top.at("first_seen"), top.at("last_seen"));
    EXPECT_EQ(top.at("letter_ids").as_array().size(), 3u);
    EXPECT_EQ(top.at("sample").at("source_key").as_string(), "SS-1");
    EXPECT_EQ(top.at("sample").at("record").as_string(),
              R"({"orderNumber":"SS-1","items":[{"sku":"SKU-999"}]})");
    EXPECT_EQ(top.at("sample").at("error_message").as_string(),
              "epicor: order SS-1: SKU 'SKU-999' is not an Epicor PartNum: add mappings.parts");
}

TEST_F(ConsoleTest, AGroupIsReplayedOnceFixedAndTheUserIsAudited) {
    park_order("SS-1", "SKU-999");
    park_order("SS-2", "SKU-999");
    const auto groups = call("GET", "/api/deadletters/groups").at("groups");
    const json::object which{{"flow", groups.at(0).at("flow")},
                             {"cause", groups.at(0).at("cause")}};
    auto answer = post("/api/deadletters/groups/replay", which);
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(answer.at("failed").as_int64(), 2);  // Not mapped yet: both stay open.
    // Both letters now hold the replay's error: still one group, of that cause.
    const auto again = call("GET", "/api/deadletters/groups").at("groups");
    ASSERT_EQ(again.as_array().size(), 1u);
    EXPECT_EQ(again.at(0).at("count").as_int64(), 2);
    EXPECT_EQ(again.at(0).at("message").as_string(),
              "the SKU still has no Epicor part: add mappings.parts");

    runner_->healed = true;
    const json::object fixed{{"flow", again.at(0).at("flow")}, {"cause", again.at(0).at("cause")}};
    answer = post("/api/deadletters/groups/replay", fixed);
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(answer.at("replayed").as_int64(), 2);
    EXPECT_TRUE(call("GET", "/api/deadletters/groups").at("groups").as_array().empty());
    post("/api/deadletters/groups/replay", fixed);
    EXPECT_EQ(last_.status, 404);  // Nothing of that cause is open any more.
    post("/api/deadletters/groups/replay", json::object{{"flow", "shipstation-orders"}});
    EXPECT_EQ(last_.status, 400);
    const auto events = call("GET", "/api/audit?flow=console&key=olga").at("events");
    EXPECT_NE(std::string(events.at(0).at("detail").as_string())
                  .find("olga replayed the group shipstation-orders / unresolved: epicor: the "
                        "SKU still has no Epicor part"),
              std::string::npos)
        << events;
    EXPECT_NE(std::string(events.at(0).at("detail").as_string()).find("2 replayed"),
              std::string::npos);
}

// After a fix, every open letter of a flow (or of every flow) in one step, audited with the user.
TEST_F(ConsoleTest, AllOpenLettersAreReplayedInOneStepAfterAFix) {
    park_order("SS-1", "SKU-999");
    park_order("SS-2", "SKU-888");
    post("/api/deadletters/replay-all", json::object{{"flow", "nope"}});
    EXPECT_EQ(last_.status, 400);
    auto answer = post("/api/deadletters/replay-all", json::object{{"flow", "shipstation-orders"}});
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(answer.at("failed").as_int64(), 2);  // Not fixed yet: both stay open.
    runner_->healed = true;
    answer = post("/api/deadletters/replay-all", json::object{});
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(answer.at("replayed").as_int64(), 2);
    EXPECT_TRUE(call("GET", "/api/deadletters/groups").at("groups").as_array().empty());
    const auto events = call("GET", "/api/audit?flow=console&key=olga").at("events");
    EXPECT_EQ(events.at(0).at("detail").as_string(),
              "olga replayed every open letter of every flow: 2 replayed, 0 failed again");
    log_in("vera", "viewer");
    post("/api/deadletters/replay-all", json::object{});
    EXPECT_EQ(last_.status, 403);
}

TEST_F(ConsoleTest, LettersAreResolvedWithAReasonOneOrAWholeGroup) {
    const auto one = park_order("SS-1", "SKU-404");
    park_order("SS-2", "SKU-999");
    park_order("SS-3", "SKU-999");
    const std::string resolve = "/api/deadletters/" + std::to_string(one) + "/resolve";
    post(resolve, json::object{{"reason", "  "}});
    EXPECT_EQ(last_.status, 400);
    EXPECT_NE(last_.body.find("reason"), std::string::npos);
    post(resolve, json::object{{"reason", "order cancelled by the customer"}});
    ASSERT_EQ(last_.status, 200) << last_.body;
    post(resolve, json::object{{"reason", "again"}});
    EXPECT_EQ(last_.status, 409);  // Resolved already.

    const auto group = call("GET", "/api/deadletters/groups").at("groups").at(0);
    EXPECT_EQ(group.at("count").as_int64(), 2);
    const auto answer = post("/api/deadletters/groups/resolve",
                             json::object{{"flow", group.at("flow")},
                                          {"cause", group.at("cause")},
                                          {"reason", "test orders, never shipped"}});
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(answer.at("resolved").as_int64(), 2);
    EXPECT_TRUE(call("GET", "/api/deadletters").at("dead_letters").as_array().empty());
    EXPECT_EQ(call("GET", "/api/deadletters?status=resolved").at("dead_letters").as_array().size(),
              3u);
    const auto events = call("GET", "/api/audit?flow=console&key=olga").at("events");
    EXPECT_NE(std::string(events.at(0).at("detail").as_string()).find("olga resolved dead letter"),
              std::string::npos);
    EXPECT_NE(std::string(events.at(0).at("detail").as_string())
                  .find("without replay: test orders, never shipped"),
              std::string::npos);
}

TEST_F(ConsoleTest, AFlowIsPausedResumedAndRunFromTheConsole) {
    EXPECT_EQ(call("GET", "/api/overview").at("flows").at(0).at("state").as_string(), "waiting");
    post("/api/flows/shipstation-orders/pause", {});
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(call("GET", "/api/overview").at("flows").at(0).at("state").as_string(), "paused");
    EXPECT_EQ(scheduler_.run_due(), 0u);  // The schedule does not start a paused flow.
    post("/api/flows/shipstation-orders/run", {});
    EXPECT_EQ(last_.status, 409) << last_.body;
    EXPECT_NE(last_.body.find("resume it first"), std::string::npos);
    EXPECT_EQ(store_->get_setting("paused:shipstation-orders")->value_or(""), "1");

    post("/api/flows/shipstation-orders/resume", {});
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(scheduler_.run_due(), 1u);
    post("/api/flows/shipstation-orders/run", {});
    EXPECT_EQ(last_.status, 202) << last_.body;
    EXPECT_EQ(scheduler_.run_due(), 1u);  // Run now: before its interval.
    EXPECT_EQ(call("GET", "/api/overview").at("flows").at(0).at("runs").as_int64(), 2);
    post("/api/flows/nope/pause", {});
    EXPECT_EQ(last_.status, 404);

    const auto events = call("GET", "/api/audit?flow=console&key=olga").at("events");
    ASSERT_GE(events.as_array().size(), 4u);
    EXPECT_EQ(events.at(1).at("detail").as_string(),
              "olga asked for a run of flow shipstation-orders");
    EXPECT_EQ(events.at(2).at("detail").as_string(), "olga resumed flow shipstation-orders");
}

TEST_F(ConsoleTest, AnOpenEventStreamHearsOfEachChangeMadeElsewhere) {
    net::HttpServer server({.streams = router_.stream_handler()}, router_.handler(), log_);
    ASSERT_TRUE(server.start());
    auto refused = net::testing::http_call(server.port(), "GET", "/api/events");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);  // No session, no stream.

    net::testing::TestConnection page(server.port());
    ASSERT_TRUE(page.send("GET", "/api/events", {}, {{"Cookie", cookie_}}));
    auto head = page.read_response();
    ASSERT_TRUE(head);
    ASSERT_EQ(head->status, 200);
    EXPECT_EQ(page.read_until("\n\n"), "event: ready\ndata: {}\n\n");

    post("/api/flows/shipstation-orders/pause", {});  // Another request (another browser tab).
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(page.read_until("\n\n"), "event: change\ndata: {\"what\":\"flows\"}\n\n");
    post("/api/flows/nope/resume", {});  // Refused: nothing changed, nothing said.
    ASSERT_EQ(last_.status, 404);
    const auto letter = park("SKU-404");
    post("/api/deadletters/" + std::to_string(letter) + "/resolve", {{"reason", "duplicate"}});
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(page.read_until("\n\n"), "event: change\ndata: {\"what\":\"deadletters\"}\n\n");
    console_.live().publish("runs");  // As the daemon does after each run.
    EXPECT_EQ(page.read_until("\n\n"), "event: change\ndata: {\"what\":\"runs\"}\n\n");
    EXPECT_EQ(console_.live().open_streams(), 1u);
    server.stop();  // Closes the stream at once.
    EXPECT_EQ(console_.live().open_streams(), 0u);
}

TEST_F(ConsoleTest, AFlowsConnectionsShowTokenExpiryRateAndCursorLagAndArePingedFromThePage) {
    engine::ConnectionConfig ss;
    ss.name = "ss";
    ss.system = "shipstation";
    ss.options["rate_per_minute"] = "40";
    config_.connections["ss"] = ss;
    config_.flows["shipstation-orders"].connections = {{"source", "ss"}, {"target", "erp"}};
    const UtcTime expires = clock_.now() + std::chrono::minutes(50);
    ASSERT_TRUE(store_->put_token({.connection = "ss",
                                   .ciphertext = "sealed",
                                   .expires_at = expires,
                                   .obtained_at = clock_.now()}));
    ASSERT_TRUE(store_->set_cursor({.flow = "shipstation-orders",
                                    .stream = "orders",
                                    .value = format_iso8601(clock_.now() - std::chrono::minutes(5)),
                                    .updated_at = clock_.now()}));

    const auto flow = call("GET", "/api/connections").at("flows").at(0);
    ASSERT_EQ(last_.status, 200) << last_.body;
    const auto& connections = flow.at("connections").as_array();
    ASSERT_EQ(connections.size(), 2u);
    EXPECT_EQ(connections.at(0).at("name").as_string(), "ss");
    EXPECT_EQ(connections.at(0).at("role").as_string(), "source");
    EXPECT_EQ(connections.at(0).at("system").as_string(), "shipstation");
    EXPECT_EQ(connections.at(0).at("rate_per_minute").as_string(), "40");
    EXPECT_EQ(connections.at(0).at("token_expires_at").as_string(), format_iso8601(expires));
    EXPECT_TRUE(connections.at(1).at("token_expires_at").is_null());  // None stored.
    EXPECT_TRUE(connections.at(0).at("rate_use").is_null()) << "no request sent yet";
    limiters_.configure("ss", {.connection = {.requests_per_second = 40.0 / 60, .burst = 40}});
    for (int i = 0; i < 12; ++i) (void)limiters_.limiter("ss").acquire("", clock_.steady_now());
    const auto spent = call("GET", "/api/connections").at("flows").at(0).at("connections").at(0);
    EXPECT_EQ(spent.at("rate_use").at("used").to_number<double>(), 12);
    EXPECT_EQ(spent.at("rate_use").at("burst").to_number<double>(), 40);
    EXPECT_EQ(spent.at("rate_use").at("wait_seconds").to_number<double>(), 0);
    EXPECT_TRUE(spent.at("rate_use").at("vendor_remaining").is_null());
    const auto& cursor = flow.at("cursors").at(0);
    EXPECT_EQ(cursor.at("stream").as_string(), "orders");
    EXPECT_EQ(cursor.at("behind_seconds").as_int64(), 300);  // Five minutes behind now.

    ping_answer_.checks = {{.name = "reach", .status = connectors::PingStatus::kOk, .detail = ""},
                           {.name = "auth",
                            .status = connectors::PingStatus::kFail,
                            .detail = "401: the API key was refused; mlc secret set ss_key"}};
    const auto pinged = post("/api/connections/ss/ping", {});
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(pinged_, std::vector<std::string>{"ss"});
    EXPECT_FALSE(pinged.at("ok").as_bool());
    EXPECT_EQ(pinged.at("checks").at(1).at("status").as_string(), "FAIL");
    const auto audit = call("GET", "/api/audit?flow=console&key=olga").at("events").at(0);
    EXPECT_EQ(audit.at("detail").as_string(),
              "olga pinged connection ss (shipstation): auth: 401: the API key was refused; mlc "
              "secret set ss_key");
    post("/api/connections/nope/ping", {});
    EXPECT_EQ(last_.status, 404);
    log_in("vera", "viewer");
    post("/api/connections/ss/ping", {});
    EXPECT_EQ(last_.status, 403);  // A viewer sees connections but cannot ping.
    EXPECT_EQ(pinged_.size(), 1u);
}

TEST_F(ConsoleTest, AGroupNamesTheTableAndValueNoMappingResolvedEvenForOlderLetters) {
    const auto fresh = park_order("SS-1", "WB-2041-DISC");
    EXPECT_NE(store_->get_dead_letter(fresh)->value().replay_json.find(
                  R"("table":"parts","value":"WB-2041-DISC")"),
              std::string::npos);  // Kept beside the cause when parked.
    // Kept before the cause had these fields: they come from its message when read.
    ASSERT_TRUE(store_->put_dead_letter(
        {.flow = "shipstation-orders",
         .source_system = "shipstation",
         .source_key = "SS-2",
         .record_json = "{}",
         .replay_json = R"({"ref":"SS-2","cause":{"code":"unresolved","system":"epicor",)"
                        R"("message":"SKU 'ZZ-9' is not an Epicor PartNum: add mappings.parts"}})",
         .error_code = "unresolved",
         .error_message = "epicor: order SS-2: SKU 'ZZ-9' is not an Epicor PartNum",
         .first_seen = clock_.now(),
         .last_seen = clock_.now()}));
    park("SKU-404");  // Names the table but quotes no value: no mapping to offer.
    std::map<std::string, json::value> unresolved;
    const json::value groups = call("GET", "/api/deadletters/groups");
    for (const auto& group : groups.at("groups").as_array()) {
        unresolved[std::string(group.at("message").as_string())] = group.at("unresolved");
    }
    ASSERT_EQ(unresolved.size(), 3u);
    EXPECT_EQ(unresolved["SKU 'WB-2041-DISC' is not an Epicor PartNum: add mappings.parts"],
              (json::value{{"table", "parts"}, {"value", "WB-2041-DISC"}}));
    EXPECT_EQ(unresolved["SKU 'ZZ-9' is not an Epicor PartNum: add mappings.parts"],
              (json::value{{"table", "parts"}, {"value", "ZZ-9"}}));
    EXPECT_TRUE(
        unresolved["order SS-1 line SKU-404: no Epicor part; add mappings.parts"].is_null());
}

TEST_F(ConsoleTest, AnUnknownSkuIsMappedFromItsErrorAndTheWaitingOrdersLand) {
    park_order("SS-1", "SKU-999");
    park_order("SS-2", "SKU-999");
    json::object fix{
        {"flow", "shipstation-orders"}, {"table", "prats"}, {"from", "SKU-999"}, {"to", "P-9"}};
    post("/api/mappings", fix);
    EXPECT_EQ(last_.status, 400);
    EXPECT_NE(last_.body.find("did you mean 'parts'?"), std::string::npos) << last_.body;
    fix["table"] = "parts";
    fix["from"] = "A*B*";
    post("/api/mappings", fix);
    EXPECT_EQ(last_.status, 400);
    EXPECT_TRUE(reloads_.empty()) << "nothing stored, nothing reloaded";

    fix["from"] = "SKU-999";
    const auto answer = post("/api/mappings", fix);
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(answer.at("mapping").as_string(),
              "shipstation-orders.mappings.parts: SKU-999 -> P-9");
    EXPECT_EQ(answer.at("applied").as_string(), "reloaded 1 flow(s); replayed 2");
    EXPECT_EQ(answer.at("open_letters").as_int64(), 0);
    ASSERT_EQ(reloads_.size(), 1u);
    EXPECT_EQ(reloads_.front(), "console: mapping by olga");
    const auto stored = engine::load_stored_mappings(*store_, "shipstation-orders");
    EXPECT_EQ(stored->at("parts").at("SKU-999"), "P-9") << "where the flows read it";
    const auto audit = call("GET", "/api/audit?flow=console&key=olga").at("events");
    bool audited = false;
    for (const auto& event : audit.as_array()) {
        audited |= std::string(event.at("detail").as_string()).find("olga mapped") == 0;
    }
    EXPECT_TRUE(audited) << audit;
}

TEST_F(ConsoleTest, AViewerCanSeeGroupsButNotReplayResolveOrPause) {
    const auto id = park_order("SS-1", "SKU-999");
    log_in("vera", "viewer");
    const auto group = call("GET", "/api/deadletters/groups").at("groups").at(0);
    ASSERT_EQ(last_.status, 200);
    const json::object which{
        {"flow", group.at("flow")}, {"cause", group.at("cause")}, {"reason", "mine"}};
    for (const std::string& url : std::vector<std::string>{
             "/api/deadletters/groups/replay", "/api/deadletters/groups/resolve",
             "/api/deadletters/" + std::to_string(id) + "/resolve",
             "/api/flows/shipstation-orders/pause", "/api/flows/shipstation-orders/run",
             "/api/mappings"}) {
        post(url, which);
        EXPECT_EQ(last_.status, 403) << url;
    }
    EXPECT_EQ(call("GET", "/api/deadletters").at("dead_letters").as_array().size(), 1u);
    EXPECT_FALSE(scheduler_.status().at(0).paused);
}

TEST_F(ConsoleTest, ActivityCountsRecordsMovedAndParkedPerHourOverTheLastDay) {
    auto event = [this](store::AuditAction action, std::chrono::minutes ago) {
        ASSERT_TRUE(store_->append_audit({.flow = "shipstation-orders",
                                          .direction = "shipstation->epicor",
                                          .source_ref = "shipstation:order:SS-1",
                                          .target_ref = "epicor:SalesOrder:5001",
                                          .action = action,
                                          .outcome = "ok",
                                          .at = clock_.now() - ago,
                                          .detail = "x"}));
    };
    using std::chrono::minutes;
    event(store::AuditAction::kCreate, minutes(25 * 60));  // Older than a day: not drawn.
    event(store::AuditAction::kCreate, minutes(23 * 60 + 30));
    event(store::AuditAction::kCreate, minutes(10));
    event(store::AuditAction::kUpdate, minutes(5));
    event(store::AuditAction::kPark, minutes(1));
    event(store::AuditAction::kSkip, minutes(1));  // Unchanged: nothing moved.
    const auto activity = call("GET", "/api/activity");
    ASSERT_EQ(last_.status, 200) << last_.body;
    EXPECT_EQ(activity.at("hours").as_int64(), 24);
    const auto& flow = activity.at("flows").at(0);
    EXPECT_EQ(flow.at("name").as_string(), "shipstation-orders");
    const auto& moved = flow.at("moved").as_array();
    ASSERT_EQ(moved.size(), 24u);
    EXPECT_EQ(moved.at(0).as_int64(), 1);   // 23.5 h ago: the oldest hour.
    EXPECT_EQ(moved.at(23).as_int64(), 2);  // The last hour.
    EXPECT_EQ(flow.at("parked").at(23).as_int64(), 1);
    EXPECT_FALSE(flow.at("truncated").as_bool());
    EXPECT_EQ(call("GET", "/api/activity?hours=2").at("flows").at(0).at("moved").as_array().size(),
              2u);
    call("GET", "/api/activity?hours=many");
    EXPECT_EQ(last_.status, 400);
}

TEST_F(ConsoleTest, AFlowsRunHistoryListsItsLastRunsWithCountsAndErrors) {
    ASSERT_TRUE(engine::append_run_history(*store_, "shipstation-orders", clock_.now(),
                                           engine::RunSummary{.created = 3, .parked = 1}));
    clock_.advance(std::chrono::minutes(5));
    ASSERT_TRUE(engine::append_run_history(
        *store_, "shipstation-orders", clock_.now(),
        make_error(ErrorCode::kTransient, "epicor", "Epicor answered 503")));
    const auto runs = call("GET", "/api/flows/shipstation-orders/runs").at("runs");
    ASSERT_EQ(last_.status, 200) << last_.body;
    ASSERT_EQ(runs.as_array().size(), 2u);
    EXPECT_EQ(runs.at(0).at("outcome").as_string(), "transient");
    EXPECT_EQ(runs.at(0).at("error").as_string(), "epicor: Epicor answered 503");
    EXPECT_EQ(runs.at(1).at("outcome").as_string(), "partial");
    EXPECT_EQ(runs.at(1).at("created").as_int64(), 3);
    call("GET", "/api/flows/nope/runs");
    EXPECT_EQ(last_.status, 404);
}

}  // namespace
}  // namespace mlc::console

// The alert rules and the dispatcher on their own (the end-to-end test with a flow, an SMTP server
// and a webhook receiver is flows/acumatica_shipstation/alerts_e2e_test.cpp): the `alerts:` config
// section and its mistakes, the lag and dead-letter rules, a failed notice retried with backoff and
// audited, nothing announced twice.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "common/time.hpp"
#include "engine/alert_notifier.hpp"
#include "engine/alert_rules.hpp"
#include "engine/last_run.hpp"
#include "engine/scheduler.hpp"
#include "engine/store_upkeep.hpp"
#include "net/testing/scripted_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::engine {
namespace {

using std::chrono::minutes;

net::HttpResponse answer(int status) {
    net::HttpResponse response;
    response.status = status;
    return response;
}

TEST(AlertsConfig, ReadsTheSectionAndReportsEveryMistakeWithItsLine) {
    const auto good = parse_config(R"(version: 1
alerts:
  check_every: 30s
  flow_failing_after: 20m
  flow_lagging_intervals: 4
  dead_letters_max: 50
  email: {smtp_url: "smtp://mail.example.com:587", from: mlc@example.com, to: [a@example.com, b@example.com], username: mlc, password_secret: smtp_password}
  webhook: {url: "https://hooks.example.com/T1", signing_secret: hook_key}
  connection_check_every: 5m
  secrets_expire_within: 30d
)",
                                   "mlc.yaml");
    ASSERT_TRUE(good.issues.empty()) << good.issues.front().describe();
    const AlertsConfig& a = good.config.alerts;
    EXPECT_EQ(a.check_every, std::chrono::seconds(30));
    EXPECT_EQ(a.flow_failing_after, minutes(20));
    EXPECT_EQ(a.flow_lagging_intervals, 4);
    EXPECT_EQ(a.dead_letters_max, 50);
    EXPECT_EQ(a.connection_check_every, minutes(5));
    EXPECT_EQ(a.secrets_expire_within, std::chrono::hours(30 * 24));
    ASSERT_TRUE(a.email && a.webhook);
    EXPECT_EQ(a.email->to, (std::vector<std::string>{"a@example.com", "b@example.com"}));
    const auto missing = check_secrets(good.config, {"smtp_password"});
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].field, "alerts.webhook.signing_secret");
    EXPECT_EQ(missing[0].line, 8);

    const auto bad = parse_config(R"(version: 1
alerts:
  flow_failing_afte: 20m
  check_every: soon
  email: {smtp_url: "http://mail.example.com", from: mlc@example.com}
  secrets_expire_within: a fortnight
)",
                                  "mlc.yaml");
    std::vector<std::string> seen;
    for (const auto& issue : bad.issues) seen.push_back(issue.describe());
    ASSERT_EQ(seen.size(), 5u) << ::testing::PrintToString(seen);
    EXPECT_NE(seen[0].find("mlc.yaml:3"), std::string::npos) << seen[0];
    EXPECT_NE(seen[0].find("did you mean 'flow_failing_after'"), std::string::npos) << seen[0];
    EXPECT_NE(seen[1].find("mlc.yaml:4: alerts.check_every"), std::string::npos) << seen[1];
    EXPECT_NE(seen[2].find("alerts.email.smtp_url"), std::string::npos) << seen[2];
    EXPECT_NE(seen[3].find("alerts.email.to: no recipient"), std::string::npos) << seen[3];
    EXPECT_NE(seen[4].find("mlc.yaml:6: alerts.secrets_expire_within"), std::string::npos)
        << seen[4];
}

struct AlertsFixture : ::testing::Test {
    ManualClock clock{UtcTime{std::chrono::seconds(1'800'000'000)}};
    std::unique_ptr<store::StateStore> store = store::SqliteStateStore::open(":memory:").value();
    std::shared_ptr<spdlog::logger> log =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());

    void record_run(const std::string& outcome) {
        std::optional<LastRun> previous;
        if (auto stored = store->get_setting(last_run_setting_key("f")).value()) {
            previous = parse_last_run(*stored).value();
        }
        LastRun run{.started = clock.now(), .finished = clock.now(), .outcome = outcome};
        ASSERT_TRUE(store->put_setting(last_run_setting_key("f"),
                                       to_json(carry_over(std::move(run), previous))));
    }
    std::vector<store::Alert> alerts(store::AlertStatus status) {
        return store->list_alerts(status).value();
    }
};

TEST_F(AlertsFixture, ALaggingFlowAndGrowingDeadLettersRaiseAndClear) {
    AlertsConfig config;
    config.dead_letters_max = 1;
    AlertRules rules(clock, *store, *log, config, {{.name = "f", .every = minutes(5)}});
    record_run("ok");
    clock.advance(minutes(14));
    ASSERT_TRUE(rules.evaluate());
    EXPECT_TRUE(alerts(store::AlertStatus::kOpen).empty());
    clock.advance(minutes(2));  // 16 minutes without a good run: over 3 x 5m.
    ASSERT_EQ(rules.evaluate().value().raised, 1);
    auto open = alerts(store::AlertStatus::kOpen);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].key, flow_lagging_key("f"));
    EXPECT_NE(open[0].message.find("no good run for 16m"), std::string::npos) << open[0].message;
    ASSERT_TRUE(store->put_setting(paused_setting_key("f"), "1"));  // Paused on purpose.
    EXPECT_EQ(rules.evaluate().value().resolved, 1);
    ASSERT_TRUE(store->put_setting(paused_setting_key("f"), "0"));
    EXPECT_EQ(rules.evaluate().value().raised, 1);
    record_run("ok");
    EXPECT_EQ(rules.evaluate().value().resolved, 1);

    store::PageCommit page;
    for (const char* key : {"SO-1", "SO-2"}) {
        store::DeadLetter letter;
        letter.flow = "f";
        letter.source_system = "acumatica";
        letter.source_key = key;
        letter.error_code = "kValidation";
        letter.first_seen = letter.last_seen = clock.now();
        page.dead_letters.push_back(letter);
    }
    ASSERT_TRUE(store->commit_page(page));
    ASSERT_EQ(rules.evaluate().value().raised, 1);
    EXPECT_EQ(alerts(store::AlertStatus::kOpen).at(0).key, dead_letters_key("f"));
}

TEST_F(AlertsFixture, AFailedNoticeIsRetriedWithBackoffAuditedAndSentOnce) {
    net::testing::ScriptedTransport hook;
    hook.respond("hooks", answer(503));
    hook.respond("hooks", answer(200));
    hook.respond("hooks", answer(200));
    std::vector<std::unique_ptr<AlertChannel>> channels;
    channels.push_back(
        std::make_unique<WebhookChannel>("https://hooks.example.com/T1", "key", hook, clock));
    AlertDispatcher dispatcher(clock, *store, *log, std::move(channels), minutes(10));
    store::Alert alert;
    alert.key = "k";
    alert.flow = "f";
    alert.severity = "error";
    alert.message = "down";
    alert.raised_at = clock.now();
    ASSERT_TRUE(store->raise_alert(alert));
    EXPECT_EQ(dispatcher.dispatch().value().failed, 1);
    clock.advance(std::chrono::seconds(10));
    EXPECT_EQ(dispatcher.dispatch().value().delivered, 0);  // Backing off: 30 s.
    EXPECT_EQ(hook.request_count(), 1u);
    clock.advance(std::chrono::seconds(25));
    EXPECT_EQ(dispatcher.dispatch().value().delivered, 1);
    EXPECT_EQ(dispatcher.dispatch().value().delivered, 0);  // Said once.
    ASSERT_EQ(store->resolve_alert("k", clock.now()).value(), 1);
    EXPECT_EQ(dispatcher.dispatch().value().delivered, 1);
    EXPECT_EQ(dispatcher.dispatch().value().delivered, 0);
    ASSERT_EQ(hook.request_count(), 3u);
    const auto requests = hook.requests();
    EXPECT_NE(requests[2].body.find(R"("event":"resolved")"), std::string::npos);
    store::AuditQuery query;
    query.source_key = "alert:1";
    const auto audit = store->query_audit(query).value();
    ASSERT_EQ(audit.size(), 3u);  // Failed, delivered, delivered.
    EXPECT_EQ(audit.back().action, store::AuditAction::kFail);
    EXPECT_NE(audit.back().detail.find("HTTP 503"), std::string::npos) << audit.back().detail;
}

// Retention under `mlc run` (store/README.md "Retention"): a pass retires only the audit events
// older than store.retention.audit, in batches, into the per-day summary; those younger stay; a
// file the store made gives the freed pages back.
TEST(StoreUpkeepTest, RetiresOnlyAuditEventsPastTheirAgeKeepsTheCountsAndGivesSpaceBack) {
    const std::string path =
        ::testing::TempDir() + "mlc-upkeep-" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    ManualClock clock{parse_iso8601("2026-03-01T12:00:00Z").value()};
    auto store = store::SqliteStateStore::open(path).value();
    auto log =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    store::PageCommit page;
    const std::string detail(300, 'x');  // Enough pages to give back.
    for (int i = 0; i < 500; ++i) {
        const auto age = std::chrono::hours(24) * (i < 300 ? 100 : 10);
        page.audit.push_back(
            {.flow = "orders",
             .direction = "shipstation->epicor",
             .source_ref = "shipstation:order:" + std::to_string(i),
             .target_ref = "epicor:SalesOrder:" + std::to_string(i),
             .action = i % 3 == 0 ? store::AuditAction::kPark : store::AuditAction::kCreate,
             .outcome = i % 3 == 0 ? "unresolved" : "ok",
             .attempt = 1,
             .at = clock.now() - age,
             .detail = detail});
    }
    ASSERT_TRUE(store->commit_page(page));
    StoreUpkeep upkeep(clock, *store, *log, {.batch_rows = 120});  // Default: 90 days.
    const auto done = upkeep.pass();
    ASSERT_TRUE(done) << done.error().describe();
    EXPECT_EQ(done->audit_retired, 300);
    EXPECT_GT(done->pages_reclaimed, 0);
    store::AuditQuery every;
    every.limit = 1000;
    EXPECT_EQ(store->query_audit(every).value().size(), 200u);
    const auto summary = store->audit_summary(std::nullopt, 10).value();
    ASSERT_EQ(summary.size(), 2u);
    std::int64_t counted = 0;
    for (const auto& row : summary) {
        EXPECT_EQ(row.day, "2025-11-21");
        counted += row.count;
    }
    EXPECT_EQ(counted, 300);
    EXPECT_EQ(upkeep.pass().value().audit_retired, 0);
    clock.advance(std::chrono::hours(24 * 81));  // Now the younger ones are 91 days old.
    EXPECT_EQ(upkeep.pass().value().audit_retired, 200);
    store.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace
}  // namespace mlc::engine

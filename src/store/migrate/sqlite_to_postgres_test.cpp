// migrate_sqlite_to_postgres(): a populated SQLite state file (every kind of state, written through
// the StateStore interface as the engine writes it) copied into PostgreSQL, then everything read
// back through PostgresStateStore and compared with what SQLite answers.
//
// Needs MLC_TEST_POSTGRES_URL (scripts/with-postgres.sh); skips without it. Each test migrates
// into a schema of its own, dropped at teardown.
#include "store/migrate/sqlite_to_postgres.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <pqxx/pqxx>

#include "store/postgres/postgres_state_store.hpp"
#include "store/sqlite/sqlite_state_store.hpp"
#include "store/testing/state_store_contract_fixture.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlc::store {
namespace {

UtcTime at(std::int64_t seconds) { return UtcTime{std::chrono::seconds{seconds}}; }
std::int64_t us(UtcTime time) { return time.time_since_epoch().count(); }
std::int64_t us(const std::optional<UtcTime>& time) { return time ? us(*time) : -1; }

std::string test_url() {
    const char* url = std::getenv("MLC_TEST_POSTGRES_URL");
    return url != nullptr ? url : "";
}

// Every field, so that two stores' answers compare as text (and a difference shows).
std::string show(const Binding& b) {
    return b.flow + "|" + b.source_system + "|" + b.source_key + "|" + b.target_id + "|" +
           b.content_hash + "|" + std::string(to_string(b.state)) + "|" + b.source_version + "|" +
           std::to_string(us(b.created_at)) + "|" + std::to_string(us(b.updated_at));
}
std::string show(const InboxEvent& e) {
    return std::to_string(e.id) + "|" + e.flow + "|" + e.source + "|" + e.delivery_id + "|" +
           e.body_hash + "|" + e.topic + "|" + e.headers_json + "|" + e.body + "|" +
           std::to_string(us(e.received_at)) + "|" + std::to_string(e.attempts);
}
std::string show(const DeadLetter& d) {
    return std::to_string(d.id) + "|" + d.flow + "|" + d.source_system + "|" + d.source_key + "|" +
           d.record_json + "|" + d.replay_json + "|" + d.error_code + "|" + d.error_message + "|" +
           std::to_string(d.attempts) + "|" + std::to_string(us(d.first_seen)) + "|" +
           std::to_string(us(d.last_seen)) + "|" + std::string(to_string(d.status));
}
std::string show(const AuditEvent& a) {
    return std::to_string(a.id) + "|" + a.flow + "|" + a.direction + "|" + a.source_ref + "|" +
           a.target_ref + "|" + std::string(to_string(a.action)) + "|" + a.outcome + "|" +
           std::to_string(a.attempt) + "|" + std::to_string(us(a.at)) + "|" + a.detail;
}
std::string show(const Alert& a) {
    return std::to_string(a.id) + "|" + a.key + "|" + a.flow + "|" + a.severity + "|" + a.message +
           "|" + std::string(to_string(a.status)) + "|" + std::to_string(us(a.raised_at)) + "|" +
           std::to_string(us(a.acknowledged_at)) + "|" + std::to_string(us(a.last_seen)) + "|" +
           std::to_string(a.count) + "|" + std::to_string(us(a.resolved_at));
}
std::string show(const Difference& d) {
    return std::to_string(d.id) + "|" + d.flow + "|" + d.source_system + "|" + d.source_key + "|" +
           d.source_ref + "|" + d.target_ref + "|" + d.content_hash + "|" + d.detail + "|" +
           std::to_string(d.edits) + "|" + std::to_string(us(d.first_seen)) + "|" +
           std::to_string(us(d.last_seen)) + "|" + std::string(to_string(d.status)) + "|" +
           std::to_string(us(d.closed_at));
}
std::string show(const ConsoleUser& u) {
    return u.name + "|" + u.role + "|" + u.password_hash + "|" + std::to_string(us(u.created_at));
}
template <typename T>
std::vector<std::string> show_all(const std::vector<T>& items) {
    std::vector<std::string> out;
    for (const auto& item : items) out.push_back(show(item));
    return out;
}

Binding binding(std::string flow, std::string key, BindingState state, std::int64_t when) {
    Binding b;
    b.flow = std::move(flow);
    b.source_system = "acumatica";
    b.source_key = std::move(key);
    b.target_id = state == BindingState::kConfirmed ? "T-" + b.source_key : "";
    b.content_hash = "hash-" + b.source_key;
    b.state = state;
    b.source_version = "v1";
    b.created_at = b.updated_at = at(when);
    return b;
}

InboxEvent event(std::string delivery, std::int64_t when) {
    InboxEvent e;
    e.flow = "woo";
    e.source = "woocommerce";
    e.delivery_id = delivery;
    e.body_hash = "body-" + delivery;
    e.topic = "order.updated";
    e.headers_json = R"({"x-wc-webhook-id":"7"})";
    e.body = R"({"id":)" + std::to_string(when) + "}";
    e.received_at = at(when);
    return e;
}

// One of each kind of state, as the engine leaves it (retired inbox keys, replaced dead letters,
// alerts raised twice, acknowledged, resolved; a dismissed difference; binary token bytes).
void populate(StateStore& s) {
    ASSERT_TRUE(s.put_binding(binding("orders", "SO-1", BindingState::kConfirmed, 100)));
    ASSERT_TRUE(s.put_binding(binding("orders", "SO-2", BindingState::kPending, 110)));
    ASSERT_TRUE(s.put_binding(binding("shipments", "SH-1", BindingState::kConfirmed, 120)));
    ASSERT_TRUE(s.set_cursor({"orders", "orders", "2026-12-01T00:00:00Z", at(130)}));
    ASSERT_TRUE(s.set_cursor({"shipments", "shipments", "SysRevID:99", at(131)}));
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        auto added = s.append_inbox(event("d" + std::to_string(i), 200 + i));
        ASSERT_TRUE(added) << added.error().describe();
        ids.push_back(added->id);
    }
    ASSERT_TRUE(s.mark_inbox_done(ids[0]));
    ASSERT_TRUE(s.mark_inbox_done(ids[3]));
    auto retired = s.retire_inbox({.processed_before = at(202), .keys_before = at(0)});
    ASSERT_TRUE(retired);
    ASSERT_EQ(retired->events, 1);  // d0 gone, its keys kept; d3 done and kept
    ASSERT_TRUE(s.lease_inbox("woo", "worker-a", at(300), std::chrono::seconds(60), 1));
    DeadLetter letter;
    letter.flow = "orders";
    letter.source_system = "acumatica";
    letter.source_key = "SO-9";
    letter.record_json = R"({"sku":"NOPE"})";
    letter.replay_json = R"({"stream":"orders"})";
    letter.error_code = "invalid_input";
    letter.error_message = "unknown SKU NOPE: add it to mappings";
    letter.first_seen = letter.last_seen = at(400);
    auto first = s.put_dead_letter(letter);
    ASSERT_TRUE(first);
    letter.last_seen = at(410);
    ASSERT_TRUE(s.put_dead_letter(letter));  // attempts 2
    letter.source_key = "SO-8";
    auto second = s.put_dead_letter(letter);
    ASSERT_TRUE(second);
    ASSERT_TRUE(s.set_dead_letter_status(*second, DeadLetterStatus::kResolved));
    for (int i = 0; i < 3; ++i) {
        AuditEvent audit;
        audit.flow = "orders";
        audit.direction = "acumatica->shipstation";
        audit.source_ref = "acumatica:order:SO-" + std::to_string(i);
        audit.target_ref = "shipstation:order:" + std::to_string(i);
        audit.action = i == 2 ? AuditAction::kPark : AuditAction::kCreate;
        audit.outcome = i == 2 ? "invalid_input" : "ok";
        audit.at = at(500 + i);
        audit.detail = "detail " + std::to_string(i);
        ASSERT_TRUE(s.append_audit(audit));
    }
    Alert alert;
    alert.key = "lag:orders";
    alert.flow = "orders";
    alert.severity = "warning";
    alert.message = "orders lag 20 min";
    alert.raised_at = at(600);
    ASSERT_TRUE(s.raise_alert(alert));
    alert.raised_at = at(660);
    ASSERT_TRUE(s.raise_alert(alert));  // count 2
    alert.key = "dead:orders";
    alert.raised_at = at(610);
    auto acked = s.raise_alert(alert);
    ASSERT_TRUE(acked);
    ASSERT_TRUE(s.acknowledge_alert(*acked, at(620)));
    ASSERT_TRUE(s.resolve_alert("dead:orders", at(630)));
    PageCommit page;
    Difference difference;
    difference.flow = "orders";
    difference.source_system = "acumatica";
    difference.source_key = "SO-1";
    difference.source_ref = "acumatica:order:SO-1";
    difference.target_ref = "shipstation:order:1";
    difference.content_hash = "h2";
    difference.detail = "shipped order edited: edit it in ShipStation";
    difference.first_seen = difference.last_seen = at(700);
    page.differences.push_back(difference);
    difference.source_key = "SO-2";
    page.differences.push_back(difference);
    ASSERT_TRUE(s.commit_page(page));
    auto open = s.list_differences(std::nullopt, std::nullopt, 10);
    ASSERT_TRUE(open);
    ASSERT_TRUE(s.set_difference_status(open->front().id, DifferenceStatus::kDismissed, at(710)));
    ASSERT_TRUE(s.put_token({"ups", std::string("\x00\xff\x10secret\n", 10), at(900), at(800)}));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.count_token_request("ups", at(800)));
    ASSERT_TRUE(s.put_setting("webhooks:woo", R"({"id":42})"));
    ASSERT_TRUE(s.put_setting("runs:orders", "[]"));
    ASSERT_TRUE(s.put_console_user({"ann", "admin", "$argon2id$v=19$ann", at(1000)}));
    ASSERT_TRUE(s.put_console_user({"bob", "viewer", "$argon2id$v=19$bob", at(1001)}));
    ASSERT_TRUE(s.put_console_session({"abc123", "ann", "csrf-1", at(1002), at(1003)}));
}

class StoreMigration : public ::testing::Test {
  protected:
    void SetUp() override {
        if (test_url().empty()) {
            GTEST_SKIP() << "MLC_TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";
        }
        const std::string dir = scratch_.path().filename().string();
        schema_ = "mlc_migrate_" + dir.substr(dir.rfind('-') + 1);
        sqlite_path_ = (scratch_.path() / "mlc-state.db").string();
        auto opened = SqliteStateStore::open(sqlite_path_);
        ASSERT_TRUE(opened) << opened.error().describe();
        sqlite_ = std::move(opened).value();
        populate(*sqlite_);
    }
    void TearDown() override {
        if (schema_.empty()) return;
        pqxx::connection connection(test_url());
        pqxx::nontransaction tx(connection);
        tx.exec("DROP SCHEMA IF EXISTS " + connection.quote_name(schema_) + " CASCADE");
    }
    Result<StoreMigrationReport> migrate(bool force) {
        StoreMigrationOptions options;
        options.schema = schema_;
        options.force = force;
        options.progress_every = 2;
        options.progress = [this](std::string_view table, std::int64_t done, std::int64_t total) {
            progress_.push_back(std::string(table) + " " + std::to_string(done) + "/" +
                                std::to_string(total));
        };
        return migrate_sqlite_to_postgres(sqlite_path_, test_url(), options);
    }
    std::unique_ptr<PostgresStateStore> postgres() {
        PostgresStoreOptions options;
        options.schema = schema_;
        auto opened = PostgresStateStore::open(test_url(), options);
        EXPECT_TRUE(opened) << opened.error().describe();
        return opened ? std::move(opened).value() : nullptr;
    }

    testing::ScratchDir scratch_;
    std::string schema_;
    std::string sqlite_path_;
    std::unique_ptr<SqliteStateStore> sqlite_;
    std::vector<std::string> progress_;
};

// Both stores answer every question alike.
void expect_same_answers(StateStore& from, StateStore& to) {
    for (const std::string flow : {"orders", "shipments"}) {
        auto a = from.list_bindings(flow, std::nullopt, 100);
        auto b = to.list_bindings(flow, std::nullopt, 100);
        ASSERT_TRUE(a && b);
        EXPECT_EQ(show_all(*b), show_all(*a)) << flow;
        auto ca = from.get_cursor(flow, flow);
        auto cb = to.get_cursor(flow, flow);
        ASSERT_TRUE(ca && cb && *ca && *cb);
        EXPECT_EQ((*cb)->value, (*ca)->value);
        EXPECT_EQ((*cb)->updated_at, (*ca)->updated_at);
    }
    for (const bool done : {false, true}) {
        EXPECT_EQ(*to.count_inbox("woo", done), *from.count_inbox("woo", done)) << done;
    }
    // The leased event is still leased (until 360): only the free ones come, same ids.
    auto la = from.lease_inbox("woo", "worker-b", at(330), std::chrono::seconds(60), 10);
    auto lb = to.lease_inbox("woo", "worker-b", at(330), std::chrono::seconds(60), 10);
    ASSERT_TRUE(la && lb);
    EXPECT_EQ(show_all(*lb), show_all(*la));
    EXPECT_EQ(lb->size(), 2U);
    EXPECT_EQ(show_all(*to.list_dead_letters(std::nullopt, std::nullopt, 100)),
              show_all(*from.list_dead_letters(std::nullopt, std::nullopt, 100)));
    EXPECT_EQ(show_all(*to.query_audit({})), show_all(*from.query_audit({})));
    EXPECT_EQ(show_all(*to.list_alerts(std::nullopt)), show_all(*from.list_alerts(std::nullopt)));
    EXPECT_EQ(show_all(*to.list_differences(std::nullopt, std::nullopt, 100)),
              show_all(*from.list_differences(std::nullopt, std::nullopt, 100)));
    auto ta = from.get_token("ups");
    auto tb = to.get_token("ups");
    ASSERT_TRUE(ta && tb && *ta && *tb);
    EXPECT_EQ((*tb)->ciphertext, (*ta)->ciphertext);
    EXPECT_EQ((*tb)->expires_at, (*ta)->expires_at);
    EXPECT_EQ(*to.token_requests_on("ups", at(800)), 3);
    EXPECT_EQ(**to.get_setting("webhooks:woo"), R"({"id":42})");
    EXPECT_EQ(**to.get_setting("runs:orders"), "[]");
    EXPECT_EQ(show_all(*to.list_console_users()), show_all(*from.list_console_users()));
    auto session = to.get_console_session("abc123");
    ASSERT_TRUE(session && *session);
    EXPECT_EQ((*session)->user, "ann");
    EXPECT_EQ((*session)->csrf_token, "csrf-1");
    EXPECT_EQ((*session)->last_seen, at(1003));
}

TEST_F(StoreMigration, EverythingReadsBackTheSameFromPostgresql) {
    auto report = migrate(false);
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_FALSE(report->replaced);
    ASSERT_EQ(report->tables.size(), migrated_tables().size());
    for (const auto& table : report->tables) EXPECT_EQ(table.checksum.size(), 64U) << table.name;
    EXPECT_EQ(report->tables[5].name, "audit");
    EXPECT_EQ(report->tables[5].rows, 3);
    // Progress: every 2 rows and at each table's end.
    EXPECT_NE(std::find(progress_.begin(), progress_.end(), "inbox 2/4"), progress_.end());
    EXPECT_NE(std::find(progress_.begin(), progress_.end(), "audit 3/3"), progress_.end());
    auto pg = postgres();
    ASSERT_NE(pg, nullptr);
    expect_same_answers(*sqlite_, *pg);
    // New rows continue the ids; a retired delivery is still a duplicate.
    auto audit = pg->query_audit({});
    AuditEvent next = audit->front();
    auto appended = pg->append_audit(next);
    ASSERT_TRUE(appended);
    EXPECT_GT(*appended, audit->front().id);
    auto again = pg->append_inbox(event("d0", 999));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->outcome, AppendOutcome::kDuplicate);
    auto fresh = pg->append_inbox(event("d9", 999));
    ASSERT_TRUE(fresh);
    EXPECT_GT(fresh->id, 5);  // past d0..d4, though d0 was deleted
}

TEST_F(StoreMigration, ANonEmptyTargetIsRefusedUnlessForced) {
    ASSERT_TRUE(migrate(false));
    auto refused = migrate(false);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_NE(refused.error().message.find("--force"), std::string::npos);
    auto forced = migrate(true);
    ASSERT_TRUE(forced) << forced.error().describe();
    EXPECT_TRUE(forced->replaced);
    auto pg = postgres();
    ASSERT_NE(pg, nullptr);
    expect_same_answers(*sqlite_, *pg);  // replaced, not doubled (audit ids the same)
}

TEST(StoreMigrationArgs, AMissingSqliteFileIsNamedAndNothingIsCreated) {
    testing::ScratchDir scratch;
    const auto path = (scratch.path() / "nope.db").string();
    auto report = migrate_sqlite_to_postgres(path, "postgresql://u:hunter2@127.0.0.1:1/db");
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::kNotFound);
    EXPECT_NE(report.error().message.find(path), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(StoreMigrationArgs, AnUnreachableTargetIsNamedWithoutItsPassword) {
    testing::ScratchDir scratch;
    const auto path = (scratch.path() / "mlc-state.db").string();
    ASSERT_TRUE(SqliteStateStore::open(path));
    auto report = migrate_sqlite_to_postgres(path, "postgresql://u:hunter2@127.0.0.1:1/db");
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::kStorage);
    EXPECT_EQ(report.error().describe().find("hunter2"), std::string::npos)
        << report.error().describe();
}

}  // namespace
}  // namespace mlc::store

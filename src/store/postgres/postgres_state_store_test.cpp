// PostgresStateStore: the contract suite on PostgreSQL, plus what only PostgreSQL does
// (migrations in a schema, several workers on one database, the password kept out of errors).
//
// The database comes from MLC_TEST_POSTGRES_URL (scripts/with-postgres.sh starts a private
// cluster and sets it; scripts/test.sh runs ctest under it). Without it every test here skips.
// Each store gets its own schema, named after the test's mkdtemp scratch directory (unique on the
// machine), dropped at teardown: parallel ctest runs never share tables.
#include "store/postgres/postgres_state_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <pqxx/pqxx>

#include "store/testing/state_store_contract_fixture.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlc::store {
namespace {

using testing::ScratchDir;
using testing::StateStoreContract;
using testing::StoreFactory;

constexpr const char* kUrlVariable = "MLC_TEST_POSTGRES_URL";

std::string test_url() {
    const char* url = std::getenv(kUrlVariable);
    return url != nullptr ? url : "";
}

// "mlc-store-AbC123" -> "mlc_test_AbC123".
std::string schema_for(const std::filesystem::path& scratch_dir) {
    std::string name = scratch_dir.filename().string();
    const auto dash = name.rfind('-');
    return "mlc_test_" + (dash == std::string::npos ? name : name.substr(dash + 1));
}

void drop_schema(const std::string& schema) {
    try {
        pqxx::connection connection(test_url());
        pqxx::nontransaction tx(connection);
        tx.exec("DROP SCHEMA IF EXISTS " + connection.quote_name(schema) + " CASCADE");
    } catch (const std::exception& e) {
        ADD_FAILURE() << "dropping schema " << schema << ": " << e.what();
    }
}

std::unique_ptr<PostgresStateStore> open_or_fail(const std::string& schema) {
    auto opened = PostgresStateStore::open(test_url(), {.schema = schema});
    if (!opened) {
        ADD_FAILURE() << opened.error().describe();
        return nullptr;
    }
    return std::move(opened).value();
}

void skip_without_server() {
    if (test_url().empty()) {
        GTEST_SKIP() << kUrlVariable
                     << " is not set: no PostgreSQL to test against (scripts/with-postgres.sh "
                        "starts one; scripts/test.sh uses it)";
    }
}

INSTANTIATE_TEST_SUITE_P(Postgres, StateStoreContract,
                         ::testing::Values(StoreFactory{.name = "schema",
                                                        .make = [](const std::filesystem::path& dir)
                                                            -> std::unique_ptr<StateStore> {
                                                            skip_without_server();
                                                            if (test_url().empty()) return nullptr;
                                                            return open_or_fail(schema_for(dir));
                                                        },
                                                        .cleanup =
                                                            [](const std::filesystem::path& dir) {
                                                                if (!test_url().empty())
                                                                    drop_schema(schema_for(dir));
                                                            }}),
                         testing::store_factory_name);

UtcTime at(std::int64_t seconds) { return UtcTime{std::chrono::seconds{seconds}}; }

// A schema of its own for the tests below, dropped afterwards.
class PostgresStore : public ::testing::Test {
  protected:
    void SetUp() override { skip_without_server(); }
    void TearDown() override {
        if (!test_url().empty()) drop_schema(schema_);
    }
    ScratchDir scratch_;
    const std::string schema_ = schema_for(scratch_.path());
};

TEST_F(PostgresStore, MigrationsAreRecordedOnceAndReopeningKeepsTheData) {
    {
        auto store = open_or_fail(schema_);
        ASSERT_NE(store, nullptr);
        ASSERT_TRUE(store->put_setting("woo.webhook_id", "17"));
    }
    auto store = open_or_fail(schema_);  // A second worker (or a restart) on the same schema.
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->get_setting("woo.webhook_id").value(), std::optional<std::string>("17"));
    auto migrations = store->applied_migrations();
    ASSERT_TRUE(migrations);
    ASSERT_EQ(migrations->size(), static_cast<std::size_t>(kPostgresSchemaVersion));
    EXPECT_EQ(migrations->back().version, kPostgresSchemaVersion);
}

TEST_F(PostgresStore, ASchemaWrittenByANewerMlcIsRefused) {
    ASSERT_NE(open_or_fail(schema_), nullptr);
    {
        pqxx::connection connection(test_url());
        pqxx::nontransaction tx(connection);
        tx.exec("INSERT INTO " + connection.quote_name(schema_) +
                ".schema_migrations VALUES (99, 0)");
    }
    auto opened = PostgresStateStore::open(test_url(), {.schema = schema_});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::kStorage);
    EXPECT_NE(opened.error().describe().find("newer mlc (schema 99"), std::string::npos)
        << opened.error().describe();
}

TEST_F(PostgresStore, TheAuditLogIsAppendOnly) {
    auto store = open_or_fail(schema_);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->append_audit({.flow = "f", .source_ref = "a:b", .at = at(1)}));
    pqxx::connection connection(test_url());
    pqxx::nontransaction tx(connection);
    const std::string table = connection.quote_name(schema_) + ".audit";
    EXPECT_THROW(tx.exec("UPDATE " + table + " SET detail = 'x'"), pqxx::sql_error);
    EXPECT_THROW(tx.exec("DELETE FROM " + table), pqxx::sql_error);
    EXPECT_EQ(store->query_audit({.flow = "f"}).value().size(), 1u);
}

// Worker B leases while worker A is still inside its lease transaction (rows locked): B gets the
// other events at once instead of waiting, and never one that A holds.
TEST_F(PostgresStore, AWorkerLeasingSkipsEventsAnotherWorkerHoldsLocked) {
    auto store = open_or_fail(schema_);
    ASSERT_NE(store, nullptr);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 4; ++i) {
        auto stored = store->append_inbox({.flow = "woo",
                                           .source = "woocommerce",
                                           .delivery_id = "d-" + std::to_string(i),
                                           .body_hash = "h-" + std::to_string(i),
                                           .received_at = at(100 + i)});
        ASSERT_TRUE(stored);
        ids.push_back(stored->id);
    }
    pqxx::connection worker_a(test_url());
    pqxx::work held(worker_a);
    held.exec("SET lock_timeout TO 60000");
    held.exec("SELECT id FROM " + worker_a.quote_name(schema_) +
              ".inbox ORDER BY received_at_us LIMIT 2 FOR UPDATE");
    auto leased = store->lease_inbox("woo", "worker-b", at(200), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(leased) << leased.error().describe();
    ASSERT_EQ(leased->size(), 2u);
    EXPECT_EQ((*leased)[0].id, ids[2]);
    EXPECT_EQ((*leased)[1].id, ids[3]);
    held.abort();
    auto rest = store->lease_inbox("woo", "worker-b", at(200), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->size(), 2u);
    EXPECT_EQ((*rest)[0].id, ids[0]);
}

// Two workers (two connections) on one schema: a delivery stored by one is a duplicate for the
// other, and a run lease taken by one is refused to the other until it expires.
TEST_F(PostgresStore, TwoWorkersShareDedupeAndRunLeases) {
    auto a = open_or_fail(schema_);
    auto b = open_or_fail(schema_);
    ASSERT_TRUE(a && b);
    const InboxEvent event{.flow = "woo", .delivery_id = "d-1", .body_hash = "h", .body = "{}"};
    auto first = a->append_inbox(event);
    auto second = b->append_inbox(event);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(second->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(second->id, first->id);
    EXPECT_TRUE(a->acquire_lease("flow:woo", "worker-a", at(100), at(160)).value());
    EXPECT_FALSE(b->acquire_lease("flow:woo", "worker-b", at(159), at(219)).value());
    EXPECT_TRUE(b->acquire_lease("flow:woo", "worker-b", at(160), at(220)).value());
    EXPECT_EQ(a->lease_holder("flow:woo").value()->owner, "worker-b");
}

// The server ends the worker's connection (a restart, a failover): the call that meets the dead
// connection fails with kStorage (the page is retried), the next one reconnects, in its schema.
TEST_F(PostgresStore, AWorkerReconnectsIntoItsSchemaAfterItsConnectionIsKilled) {
    const std::string worker = "mlc-test-" + schema_;
    auto opened =
        PostgresStateStore::open(test_url(), {.schema = schema_, .application_name = worker});
    ASSERT_TRUE(opened) << opened.error().describe();
    auto& store = **opened;
    ASSERT_TRUE(store.put_setting("woo.webhook_id", "17"));
    {
        pqxx::connection admin(test_url());
        pqxx::nontransaction tx(admin);
        // Waits (up to 10 s) until the backend is gone.
        const auto killed = tx.exec_params(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE "
            "application_name = $1",
            worker);
        ASSERT_EQ(killed.size(), 1u);
    }
    auto first = store.get_setting("woo.webhook_id");
    if (!first) {
        EXPECT_EQ(first.error().code, ErrorCode::kStorage);
    }
    auto again = store.get_setting("woo.webhook_id");
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(*again, std::optional<std::string>("17"));
    ASSERT_TRUE(store.put_setting("after", "reconnect"));
    pqxx::connection check(test_url());
    pqxx::nontransaction tx(check);
    EXPECT_EQ(
        tx.exec("SELECT value FROM " + check.quote_name(schema_) + ".settings WHERE key = 'after'")
            .size(),
        1u);
}

}  // namespace

// No server needed: a refused connection names host, port and database, never the password.
// Issue 16: two workers on one ShipStation key (40 requests a minute) ask for requests as fast as
// they are let, over a simulated hour: together they never get more than 40 in any minute, and
// they use the budget (neither starves).
TEST_F(PostgresStore, TwoWorkersOnOneKeyStayWithinItsRequestBudgetOverAnHour) {
    auto a = open_or_fail(schema_);
    auto b = open_or_fail(schema_);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    constexpr int kLimit = 40;
    constexpr auto kWindow = std::chrono::minutes(1);
    const UtcTime start = at(1'800'000'000);
    const UtcTime end = start + std::chrono::hours(1);
    struct Worker {
        PostgresStateStore* store;
        std::chrono::milliseconds pause;  // Work between two requests.
        UtcTime next;
        int granted = 0;
    };
    Worker workers[] = {{a.get(), std::chrono::milliseconds(250), start},
                        {b.get(), std::chrono::milliseconds(900), start}};
    std::vector<UtcTime> sent;
    for (;;) {
        Worker& w = workers[0].next <= workers[1].next ? workers[0] : workers[1];
        if (w.next >= end) break;
        auto slot = w.store->take_request_slot("shipstation:key-1", kLimit, kWindow, w.next);
        ASSERT_TRUE(slot) << slot.error().describe();
        if (slot->granted) {
            sent.push_back(w.next);
            ++w.granted;
            w.next += w.pause;
        } else {
            ASSERT_GT(slot->retry_at, w.next);
            w.next = slot->retry_at;
        }
    }
    std::sort(sent.begin(), sent.end());
    for (std::size_t i = 0; i + kLimit < sent.size(); ++i) {
        ASSERT_GE(sent[i + kLimit] - sent[i], kWindow) << "41 requests within a minute at " << i;
    }
    EXPECT_GE(sent.size(), static_cast<std::size_t>(60 * kLimit - kLimit));  // The budget is used.
    EXPECT_GT(workers[0].granted, 10 * kLimit);
    EXPECT_GT(workers[1].granted, 10 * kLimit);
    // Another key has its own budget.
    auto other = a->take_request_slot("shipstation:key-2", kLimit, kWindow, end - kWindow / 2);
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->granted);
}

// The UPS daily token budget: both workers count into one row, each request once.
TEST_F(PostgresStore, TwoWorkersCountTokenRequestsIntoOneDailyBudget) {
    auto a = open_or_fail(schema_);
    auto b = open_or_fail(schema_);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    std::vector<int> counts;
    for (int i = 0; i < 10; ++i) {
        for (auto* worker : {a.get(), b.get()}) {
            auto counted = worker->count_token_request("ups", at(86'400 * 20'000 + i));
            ASSERT_TRUE(counted) << counted.error().describe();
            counts.push_back(*counted);
        }
    }
    for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_EQ(counts[i], static_cast<int>(i + 1));
    EXPECT_EQ(b->token_requests_on("ups", at(86'400 * 20'000)).value(), 20);
}

TEST(PostgresUrl, ErrorsAndLogsNeverShowThePassword) {
    const std::string url = "postgresql://mlc:s3cr3t-pw@127.0.0.1:1/state?connect_timeout=2";
    EXPECT_EQ(redact_postgres_url(url), "postgresql://mlc@127.0.0.1:1/state");
    auto opened = PostgresStateStore::open(url);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::kStorage);
    const std::string message = opened.error().describe();
    EXPECT_EQ(message.find("s3cr3t-pw"), std::string::npos) << message;
    EXPECT_NE(message.find("postgresql://mlc@127.0.0.1:1/state"), std::string::npos) << message;
    EXPECT_TRUE(is_postgres_url("postgres://x@h/db"));
    EXPECT_FALSE(is_postgres_url("sqlite:state.db"));
    auto bad_schema = PostgresStateStore::open(url, {.schema = "a; DROP TABLE x"});
    ASSERT_FALSE(bad_schema);
    EXPECT_EQ(bad_schema.error().code, ErrorCode::kConfig);
}

// store.password_secret: the vault's password reaches libpq as its `password` parameter (any
// character, percent-encoded; over one in the URL), and errors still show the redacted URL only.
TEST(PostgresUrl, ThePasswordFromTheVaultReachesLibpq) {
    const std::string password = "p@ss w/rd?&=%:#'x";
    for (const std::string url :
         {"postgresql://mlc@db:5432/state", "postgresql://mlc:old@/state?host=/tmp&port=5"}) {
        const std::string conninfo = with_postgres_password(url, password);
        char* message = nullptr;
        PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &message);
        ASSERT_NE(options, nullptr) << (message != nullptr ? message : "");
        std::map<std::string, std::string> parsed;
        for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
            if (option->val != nullptr) parsed[option->keyword] = option->val;
        }
        PQconninfoFree(options);
        EXPECT_EQ(parsed["password"], password) << url;
        EXPECT_EQ(parsed["user"], "mlc");
        EXPECT_EQ(parsed["dbname"], "state");
        EXPECT_EQ(redact_postgres_url(conninfo).find("w/rd"), std::string::npos);
    }
    auto opened = PostgresStateStore::open("postgresql://mlc@127.0.0.1:1/state?connect_timeout=2",
                                           {.password = password});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().describe().find("p@ss"), std::string::npos)
        << opened.error().describe();
}

}  // namespace mlc::store

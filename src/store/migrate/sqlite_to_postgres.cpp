#include "store/migrate/sqlite_to_postgres.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <optional>

#include "store/postgres/postgres_state_store.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::store {
namespace {

constexpr std::string_view kSystem = "store migrate";
constexpr int kParamsPerInsert = 20'000;  // Below PostgreSQL's 65535 parameters per statement.
constexpr int kRowsPerInsert = 500;
constexpr int kRowsPerFetch = 2'000;

// One table as each side spells it. The select lists give the same canonical text on both sides
// (see the header: checksums); `order` is the primary key.
struct TableSpec {
    const char* name;
    const char* sqlite_select;  // Values to insert, canonical.
    const char* pg_columns;     // Insert column list.
    const char* pg_select;      // Read back, canonical.
    const char* sqlite_order;
    const char* pg_order;
    bool identity;  // id GENERATED ALWAYS: OVERRIDING SYSTEM VALUE, then the sequence moved on.
};

constexpr const char* kBindingCols =
    "flow, source_system, source_key, target_id, content_hash, state, source_version, "
    "created_at_us, updated_at_us";
constexpr const char* kInboxCols =
    "id, flow, source, delivery_id, body_hash, topic, headers_json, body, received_at_us, "
    "attempts, lease_until_us, lease_owner, done";
constexpr const char* kDeadLetterCols =
    "id, flow, source_system, source_key, record_json, replay_json, error_code, error_message, "
    "attempts, first_seen_us, last_seen_us, status";
constexpr const char* kAuditCols =
    "id, flow, direction, source_ref, target_ref, action, outcome, attempt, at_us, detail";
constexpr const char* kAlertCols =
    "id, key, flow, severity, message, status, raised_at_us, acknowledged_at_us, last_seen_us, "
    "count, resolved_at_us";
constexpr const char* kDifferenceCols =
    "id, flow, source_system, source_key, source_ref, target_ref, content_hash, detail, edits, "
    "first_seen_us, last_seen_us, status, closed_at_us";

// Copy order: console users before their sessions (foreign key).
const TableSpec kTables[] = {
    {"bindings", kBindingCols, kBindingCols, kBindingCols, "flow, source_system, source_key",
     R"(flow COLLATE "C", source_system COLLATE "C", source_key COLLATE "C")", false},
    {"cursors", "flow, stream, value, updated_at_us", "flow, stream, value, updated_at_us",
     "flow, stream, value, updated_at_us", "flow, stream",
     R"(flow COLLATE "C", stream COLLATE "C")", false},
    {"inbox",
     "id, flow, source, delivery_id, body_hash, topic, headers_json, body, received_at_us, "
     "attempts, lease_until_us, lease_owner, CASE WHEN done THEN 1 ELSE 0 END",
     kInboxCols,
     "id, flow, source, delivery_id, body_hash, topic, headers_json, body, received_at_us, "
     "attempts, lease_until_us, lease_owner, done::int",
     "id", "id", true},
    {"inbox_retired_keys", "id, flow, kind, key, inbox_id, received_at_us",
     "id, flow, kind, key, inbox_id, received_at_us",
     "id, flow, kind, key, inbox_id, received_at_us", "id", "id", true},
    {"dead_letters", kDeadLetterCols, kDeadLetterCols, kDeadLetterCols, "id", "id", true},
    {"audit", kAuditCols, kAuditCols, kAuditCols, "id", "id", true},
    {"audit_summary", "day, flow, action, outcome, count", "day, flow, action, outcome, count",
     "day, flow, action, outcome, count", "day, flow, action, outcome",
     R"(day COLLATE "C", flow COLLATE "C", action COLLATE "C", outcome COLLATE "C")", false},
    {"alerts",
     "id, key, flow, severity, message, status, raised_at_us, acknowledged_at_us, "
     "COALESCE(last_seen_us, raised_at_us), count, resolved_at_us",
     kAlertCols, kAlertCols, "id", "id", true},
    {"differences", kDifferenceCols, kDifferenceCols, kDifferenceCols, "id", "id", true},
    {"tokens", R"(connection, '\x' || hex(ciphertext), expires_at_us, obtained_at_us)",
     "connection, ciphertext, expires_at_us, obtained_at_us",
     R"(connection, '\x' || upper(encode(ciphertext, 'hex')), expires_at_us, obtained_at_us)",
     "connection", R"(connection COLLATE "C")", false},
    {"token_requests", "connection, utc_day, count", "connection, utc_day, count",
     "connection, utc_day, count", "connection, utc_day", R"(connection COLLATE "C", utc_day)",
     false},
    {"settings", "key, value", "key, value", "key, value", "key", R"(key COLLATE "C")", false},
    {"console_users", "name, role, password_hash, created_at_us",
     "name, role, password_hash, created_at_us", "name, role, password_hash, created_at_us", "name",
     R"(name COLLATE "C")", false},
    {"console_sessions", "id_hash, user, csrf_token, created_at_us, last_seen_us",
     "id_hash, user_name, csrf_token, created_at_us, last_seen_us",
     "id_hash, user_name, csrf_token, created_at_us, last_seen_us", "id_hash",
     R"(id_hash COLLATE "C")", false},
};

using Row = std::vector<std::optional<std::string>>;

Error failure(const std::string& what) {
    return make_error(ErrorCode::kStorage, std::string(kSystem), what);
}

// SHA-256 over rows, each value length-prefixed, NULL distinct from "".
class RowHash {
  public:
    RowHash() {
        [[maybe_unused]] const int ready = sodium_init();  // -1 only without entropy: unused here
        crypto_hash_sha256_init(&state_);
    }
    void add(const Row& row) {
        for (const auto& value : row) {
            // fmt, not "V" + std::string: GCC 12 -O3 raises a false -Wrestrict on the latter.
            const std::string head = value ? fmt::format("V{}:", value->size()) : "N";
            update(head);
            if (value) update(*value);
        }
        update("\n");
    }
    std::string hex() {
        std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
        crypto_hash_sha256_final(&state_, digest.data());
        std::array<char, crypto_hash_sha256_BYTES * 2 + 1> text{};
        sodium_bin2hex(text.data(), text.size(), digest.data(), digest.size());
        return text.data();
    }

  private:
    void update(std::string_view bytes) {
        crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                                  bytes.size());
    }
    crypto_hash_sha256_state state_{};
};

// ---- SQLite (source) ----

struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

Result<SqliteStmt> prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return failure("reading the SQLite file (" + sql + "): " + sqlite3_errmsg(db));
    }
    return SqliteStmt(raw, sqlite3_finalize);
}

Row sqlite_row(sqlite3_stmt* stmt) {
    Row row;
    const int columns = sqlite3_column_count(stmt);
    for (int i = 0; i < columns; ++i) {
        if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
            row.emplace_back(std::nullopt);
            continue;
        }
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        row.emplace_back(
            std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
    }
    return row;
}

Result<std::int64_t> sqlite_int(sqlite3* db, const std::string& sql) {
    MLC_TRY(auto stmt, prepare(db, sql));
    if (sqlite3_step(stmt.get()) != SQLITE_ROW) return failure(sql + ": " + sqlite3_errmsg(db));
    return static_cast<std::int64_t>(sqlite3_column_int64(stmt.get(), 0));
}

// The source brought to the current schema, then opened read-only inside one read transaction.
Result<SqliteDb> open_source(const std::string& path) {
    if (!std::filesystem::is_regular_file(path)) {
        return make_error(ErrorCode::kNotFound, std::string(kSystem),
                          "no SQLite state file at " + path +
                              ": name the file mlc run uses "
                              "(store.path in mlc.yaml, by default <data-dir>/mlc-state.db)");
    }
    { MLC_TRY(auto upgraded, SqliteStateStore::open(path)); }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    SqliteDb db(raw);
    if (rc != SQLITE_OK) {
        return failure("opening " + path + ": " +
                       (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(raw, 5000);
    if (sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return failure("reading " + path + ": " + sqlite3_errmsg(raw));
    }
    return db;
}

// ---- PostgreSQL (target) ----

struct PgCloser {
    void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, PgCloser>;
using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

Result<PgResult> pg_exec(PGconn* conn, const std::string& sql,
                         const std::vector<const char*>& params = {}) {
    PgResult result(PQexecParams(conn, sql.c_str(), static_cast<int>(params.size()), nullptr,
                                 params.data(), nullptr, nullptr, 0),
                    PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string message = PQresultErrorMessage(result.get());
        while (!message.empty() && message.back() == '\n') message.pop_back();
        return failure("PostgreSQL: " + message);
    }
    return result;
}

Result<PgConn> open_target(const std::string& url, const std::string& schema) {
    const std::string where = redact_postgres_url(url);
    PgConn conn(PQconnectdb(url.c_str()));
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn.get());
        while (!message.empty() && message.back() == '\n') message.pop_back();
        return failure("connecting to " + where + ": " + message);
    }
    MLC_TRY(auto zone, pg_exec(conn.get(), "SET TimeZone = 'UTC'"));
    MLC_TRY(auto wait, pg_exec(conn.get(), "SET lock_timeout = '10s'"));
    if (!schema.empty()) {
        char* quoted = PQescapeIdentifier(conn.get(), schema.c_str(), schema.size());
        if (quoted == nullptr)
            return failure("schema " + schema + ": " + PQerrorMessage(conn.get()));
        const std::string sql = std::string("SET search_path TO ") + quoted;
        PQfreemem(quoted);
        MLC_TRY(auto path, pg_exec(conn.get(), sql));
    }
    return conn;
}

// kConflict when a table holds rows and !force; with force, empties every mlc table (the audit
// trail's append-only triggers set aside inside this transaction only). True when rows were there.
Result<bool> prepare_target(PGconn* conn, const std::string& schema, bool force) {
    const std::vector<const char*> lock_params{schema.c_str()};
    MLC_TRY(
        auto locked,
        pg_exec(conn, "SELECT pg_advisory_xact_lock(hashtext('mlc-migrate:' || $1))", lock_params));
    std::string holding;
    for (const auto& table : kTables) {
        MLC_TRY(auto any, pg_exec(conn, std::string("SELECT 1 FROM ") + table.name + " LIMIT 1"));
        if (PQntuples(any.get()) > 0) {
            holding = table.name;
            break;
        }
    }
    if (holding.empty()) return false;
    if (!force) {
        return make_error(ErrorCode::kConflict, std::string(kSystem),
                          "the target already holds mlc state (table " + holding +
                              " has rows): migrate into an empty database or schema, or pass "
                              "--force to replace what it holds");
    }
    std::string tables;
    for (const auto& table : kTables)
        tables += std::string(tables.empty() ? "" : ", ") + table.name;
    MLC_TRY(auto off, pg_exec(conn, "ALTER TABLE audit DISABLE TRIGGER USER"));
    MLC_TRY(auto emptied, pg_exec(conn, "TRUNCATE " + tables + ", leases RESTART IDENTITY"));
    MLC_TRY(auto on, pg_exec(conn, "ALTER TABLE audit ENABLE TRIGGER USER"));
    return true;
}

std::string insert_sql(const TableSpec& table, std::size_t rows, std::size_t columns) {
    std::string sql = std::string("INSERT INTO ") + table.name + " (" + table.pg_columns + ")" +
                      (table.identity ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ";
    int param = 1;
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r == 0 ? "(" : ", (";
        for (std::size_t c = 0; c < columns; ++c) {
            sql += (c == 0 ? "$" : ", $") + std::to_string(param++);
        }
        sql += ")";
    }
    return sql;
}

Result<void> insert_rows(PGconn* conn, const TableSpec& table, const std::vector<Row>& rows) {
    if (rows.empty()) return ok();
    std::vector<const char*> params;
    for (const auto& row : rows) {
        for (const auto& value : row) params.push_back(value ? value->c_str() : nullptr);
    }
    MLC_TRY(auto done, pg_exec(conn, insert_sql(table, rows.size(), rows.front().size()), params));
    return ok();
}

struct Progress {
    const StoreMigrationOptions& options;
    std::string_view table;
    std::int64_t total = 0;
    void operator()(std::int64_t done, bool last) const {
        if (!options.progress) return;
        const bool tick =
            options.progress_every > 0 && done > 0 && done % options.progress_every == 0;
        if (last ? !tick : tick) {  // The end once, not twice when it falls on a tick.
            options.progress(table, done, total);
        }
    }
};

// Copies one table in key order; its row count and checksum as read from SQLite.
Result<MigratedTable> copy_table(sqlite3* source, PGconn* target, const TableSpec& table,
                                 const StoreMigrationOptions& options) {
    MLC_TRY(auto total, sqlite_int(source, std::string("SELECT COUNT(*) FROM ") + table.name));
    const Progress progress{options, table.name, total};
    MLC_TRY(auto stmt, prepare(source, std::string("SELECT ") + table.sqlite_select + " FROM " +
                                           table.name + " ORDER BY " + table.sqlite_order));
    const int columns = sqlite3_column_count(stmt.get());
    const auto batch_rows = static_cast<std::size_t>(
        std::clamp(kParamsPerInsert / std::max(columns, 1), 1, kRowsPerInsert));
    MigratedTable copied{table.name, 0, {}};
    RowHash hash;
    std::vector<Row> batch;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        batch.push_back(sqlite_row(stmt.get()));
        hash.add(batch.back());
        ++copied.rows;
        if (batch.size() == batch_rows) {
            MLC_CHECK(insert_rows(target, table, batch));
            batch.clear();
        }
        progress(copied.rows, false);
    }
    if (rc != SQLITE_DONE)
        return failure(std::string("reading ") + table.name + ": " + sqlite3_errmsg(source));
    MLC_CHECK(insert_rows(target, table, batch));
    progress(copied.rows, true);
    copied.checksum = hash.hex();
    return copied;
}

// Moves the identity sequence past every id SQLite ever gave in `table` (deleted ones included).
Result<void> advance_sequence(sqlite3* source, PGconn* target, const TableSpec& table) {
    const std::string name = table.name;
    MLC_TRY(
        auto highest,
        sqlite_int(source, "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '" +
                               name + "'), 0), COALESCE((SELECT MAX(id) FROM " + name + "), 0))"));
    if (highest <= 0) return ok();
    const std::string value = std::to_string(highest);
    const std::vector<const char*> params{table.name, value.c_str()};
    MLC_TRY(auto set,
            pg_exec(target, "SELECT setval(pg_get_serial_sequence($1, 'id'), $2::bigint)", params));
    return ok();
}

// Count and checksum of `table` as PostgreSQL now holds it (inside the copying transaction).
Result<MigratedTable> read_back(PGconn* target, const TableSpec& table) {
    MLC_TRY(auto cursor,
            pg_exec(target, std::string("DECLARE mlc_check NO SCROLL CURSOR FOR SELECT ") +
                                table.pg_select + " FROM " + table.name + " ORDER BY " +
                                table.pg_order));
    MigratedTable found{table.name, 0, {}};
    RowHash hash;
    for (;;) {
        MLC_TRY(auto rows,
                pg_exec(target, "FETCH " + std::to_string(kRowsPerFetch) + " FROM mlc_check"));
        const int count = PQntuples(rows.get());
        for (int r = 0; r < count; ++r) {
            Row row;
            for (int c = 0; c < PQnfields(rows.get()); ++c) {
                if (PQgetisnull(rows.get(), r, c)) {
                    row.emplace_back(std::nullopt);
                } else {
                    row.emplace_back(
                        std::string(PQgetvalue(rows.get(), r, c),
                                    static_cast<std::size_t>(PQgetlength(rows.get(), r, c))));
                }
            }
            hash.add(row);
            ++found.rows;
        }
        if (count < kRowsPerFetch) break;
    }
    MLC_TRY(auto closed, pg_exec(target, "CLOSE mlc_check"));
    found.checksum = hash.hex();
    return found;
}

Result<void> verify(PGconn* target, const TableSpec& table, const MigratedTable& copied) {
    MLC_TRY(auto found, read_back(target, table));
    if (found.rows != copied.rows || found.checksum != copied.checksum) {
        return failure(std::string("verification failed for ") + table.name + ": " +
                       std::to_string(copied.rows) + " rows read from SQLite (sha256 " +
                       copied.checksum + "), " + std::to_string(found.rows) +
                       " in PostgreSQL (sha256 " + found.checksum + "); nothing was committed");
    }
    return ok();
}

Result<StoreMigrationReport> copy_all(sqlite3* source, PGconn* target,
                                      const StoreMigrationOptions& options) {
    StoreMigrationReport report;
    MLC_TRY(auto replaced, prepare_target(target, options.schema, options.force));
    report.replaced = replaced;
    for (const auto& table : kTables) {
        MLC_TRY(auto copied, copy_table(source, target, table, options));
        if (table.identity) {
            MLC_CHECK(advance_sequence(source, target, table));
        }
        report.tables.push_back(std::move(copied));
    }
    for (std::size_t i = 0; i < std::size(kTables); ++i) {
        MLC_CHECK(verify(target, kTables[i], report.tables[i]));
    }
    return report;
}

}  // namespace

std::vector<std::string> migrated_tables() {
    std::vector<std::string> names;
    for (const auto& table : kTables) names.emplace_back(table.name);
    return names;
}

Result<StoreMigrationReport> migrate_sqlite_to_postgres(const std::string& sqlite_path,
                                                        const std::string& postgres_url,
                                                        const StoreMigrationOptions& options) {
    MLC_TRY(auto source, open_source(sqlite_path));
    {
        // Creates the schema and its tables, or checks an existing one is not newer than us.
        PostgresStoreOptions store_options;
        store_options.schema = options.schema;
        MLC_TRY(auto schema, PostgresStateStore::open(postgres_url, store_options));
    }
    MLC_TRY(auto target, open_target(postgres_url, options.schema));
    MLC_TRY(auto begun, pg_exec(target.get(), "BEGIN"));
    auto report = copy_all(source.get(), target.get(), options);
    if (!report) {
        (void)pg_exec(target.get(), "ROLLBACK");
        return report.error();
    }
    MLC_TRY(auto committed, pg_exec(target.get(), "COMMIT"));
    return report;
}

}  // namespace mlc::store

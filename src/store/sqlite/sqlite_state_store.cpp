#include "store/sqlite/sqlite_state_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/assert.hpp"
#include "store/sqlite/sqlite_backup.hpp"

namespace mlc::store {

namespace {

// Bounds on everything a caller or the file can make us loop over.
constexpr std::size_t kListRowsMax = kSqliteListRowsMax;
constexpr std::size_t kInboxLeaseMax = kSqliteInboxLeaseMax;
constexpr std::size_t kAlertsListMax = kSqliteAlertsListMax;
constexpr std::size_t kRefSegmentsMax = 16;        // ':'-segments indexed per audit ref.
constexpr std::size_t kStatementCacheMax = 256;    // Distinct SQL texts cached per connection.
constexpr std::size_t kMigrationRowsMax = 10'000;  // Rows read back from schema_migrations.
constexpr std::string_view kSystem = "store";

// One entry per schema version, applied in order, each in its own transaction. Never edit a
// released migration: add the next one (and bump kSqliteSchemaVersion).
struct Migration {
    int version;
    const char* sql;
};

constexpr const char* kMigration1 = R"sql(
CREATE TABLE bindings (
    flow TEXT NOT NULL,
    source_system TEXT NOT NULL,
    source_key TEXT NOT NULL,
    target_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    source_version TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (flow, source_system, source_key)
);
CREATE INDEX bindings_by_target ON bindings (flow, target_id);
CREATE INDEX bindings_by_state ON bindings (flow, state);

CREATE TABLE cursors (
    flow TEXT NOT NULL,
    stream TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (flow, stream)
);

CREATE TABLE inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow TEXT NOT NULL,
    source TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    topic TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at_us INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    lease_until_us INTEGER,
    lease_owner TEXT NOT NULL,
    done INTEGER NOT NULL
);
CREATE UNIQUE INDEX inbox_by_delivery ON inbox (flow, delivery_id) WHERE delivery_id <> '';
CREATE UNIQUE INDEX inbox_by_body ON inbox (flow, body_hash);
CREATE INDEX inbox_pending ON inbox (flow, done, received_at_us, id);

CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow TEXT NOT NULL,
    source_system TEXT NOT NULL,
    source_key TEXT NOT NULL,
    record_json TEXT NOT NULL,
    replay_json TEXT NOT NULL,
    error_code TEXT NOT NULL,
    error_message TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_seen_us INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL,
    status TEXT NOT NULL
);
CREATE UNIQUE INDEX dead_letters_open ON dead_letters (flow, source_system, source_key)
    WHERE status = 'open';
CREATE INDEX dead_letters_by_seen ON dead_letters (last_seen_us);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow TEXT NOT NULL,
    direction TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    target_ref TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at_us INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_by_flow_time ON audit (flow, at_us);
CREATE INDEX audit_by_time ON audit (at_us);
-- Each ':'-segment of source_ref (kind 0) and target_ref (kind 1), so that a query by key is an
-- index lookup with exact segment match ("SS-1" never matches "SS-10", which LIKE would).
CREATE TABLE audit_ref_segments (
    segment TEXT NOT NULL,
    kind INTEGER NOT NULL,
    audit_id INTEGER NOT NULL REFERENCES audit (id),
    PRIMARY KEY (segment, kind, audit_id)
) WITHOUT ROWID;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    flow TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL,
    raised_at_us INTEGER NOT NULL,
    acknowledged_at_us INTEGER
);
CREATE UNIQUE INDEX alerts_open ON alerts (key) WHERE status = 'open';

CREATE TABLE tokens (
    connection TEXT PRIMARY KEY,
    ciphertext BLOB NOT NULL,
    expires_at_us INTEGER NOT NULL,
    obtained_at_us INTEGER NOT NULL
);

-- utc_day: days since 1970-01-01 (UTC), so the counter rolls over at UTC midnight.
CREATE TABLE token_requests (
    connection TEXT NOT NULL,
    utc_day INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (connection, utc_day)
);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until_us INTEGER NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

// Differences: records a locked target keeps apart from their source (state_store.hpp).
constexpr const char* kMigration2 = R"sql(
CREATE TABLE differences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow TEXT NOT NULL,
    source_system TEXT NOT NULL,
    source_key TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    target_ref TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    detail TEXT NOT NULL,
    edits INTEGER NOT NULL,
    first_seen_us INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL,
    status TEXT NOT NULL,
    closed_at_us INTEGER
);
CREATE UNIQUE INDEX differences_open ON differences (flow, source_system, source_key)
    WHERE status = 'open';
CREATE INDEX differences_by_seen ON differences (last_seen_us);
)sql";

// Console users and their sessions (state_store.hpp: ConsoleUser, ConsoleSession). Removing or
// replacing a user removes their sessions (ON DELETE CASCADE; foreign_keys is on).
constexpr const char* kMigration3 = R"sql(
CREATE TABLE console_users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at_us INTEGER NOT NULL
);
CREATE TABLE console_sessions (
    id_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES console_users (name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL
);
CREATE INDEX console_sessions_by_user ON console_sessions (user);
)sql";

// Retired inbox keys: the delivery id and body hash of processed events retire_inbox() deleted,
// so a redelivery within the duplicate window is still recognised (state_store.hpp).
constexpr const char* kMigration4 = R"sql(
CREATE TABLE inbox_retired_keys (
    id INTEGER PRIMARY KEY,
    flow TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    inbox_id INTEGER NOT NULL,
    received_at_us INTEGER NOT NULL
);
CREATE UNIQUE INDEX inbox_retired_by_key ON inbox_retired_keys (flow, kind, key);
CREATE INDEX inbox_retired_by_age ON inbox_retired_keys (received_at_us);
)sql";

// Alerts that are updated while they last and resolved when they end (state_store.hpp).
constexpr const char* kMigration5 = R"sql(
ALTER TABLE alerts ADD COLUMN last_seen_us INTEGER;
ALTER TABLE alerts ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE alerts ADD COLUMN resolved_at_us INTEGER;
UPDATE alerts SET last_seen_us = raised_at_us;
CREATE INDEX alerts_by_key ON alerts (key, status);
)sql";

// Audit retention (state_store.hpp: retire_audit): the per-day summary of retired events, and
// the append-only trigger opened for rows before the cut retire_audit() sets in its transaction.
constexpr const char* kMigration6 = R"sql(
CREATE TABLE audit_summary (
    day TEXT NOT NULL,
    flow TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, flow, action, outcome)
) WITHOUT ROWID;
CREATE TABLE audit_retention_cut (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    before_us INTEGER NOT NULL
);
DROP TRIGGER audit_no_delete;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    WHEN old.at_us >= COALESCE((SELECT before_us FROM audit_retention_cut WHERE id = 1), old.at_us)
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
)sql";

constexpr Migration kMigrations[] = {{1, kMigration1}, {2, kMigration2}, {3, kMigration3},
                                     {4, kMigration4}, {5, kMigration5}, {6, kMigration6}};
static_assert(std::size(kMigrations) == kSqliteSchemaVersion,
              "one migration per schema version, in order");

std::int64_t to_us(UtcTime time) { return time.time_since_epoch().count(); }
UtcTime from_us(std::int64_t us) { return UtcTime{std::chrono::microseconds{us}}; }
std::int64_t utc_day(UtcTime time) {
    return std::chrono::floor<std::chrono::days>(time).time_since_epoch().count();
}
template <typename T>
Result<void> discard(Result<T> result) {
    if (!result) return std::move(result).error();
    return ok();
}

std::size_t clamp_limit(std::size_t limit, std::size_t max) { return std::min(limit, max); }

Error storage_error(std::string_view operation, std::string message) {
    return make_error(ErrorCode::kStorage, std::string(kSystem),
                      "sqlite: " + std::string(operation) + ": " + message);
}

// SQLite's own words for a failed call on `db`, and what to do when the file is damaged (a
// truncated or overwritten state file says only "database disk image is malformed").
std::string failure_text(sqlite3* db, int rc) {
    std::string text = std::string(sqlite3_errmsg(db)) + " (" + sqlite3_errstr(rc) + ")";
    const int primary = rc & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
        const char* file = sqlite3_db_filename(db, "main");
        text.append(": the state file is damaged: ");
        text.append(damaged_state_advice(file != nullptr && *file != 0 ? file : "mlc-state.db"));
    }
    return text;
}

// Borrowed from the connection's cache; binds parameters in order and resets on destruction so
// the cached statement is ready for the next call. Movable (Result<Statement>), not copyable.
class Statement {
  public:
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view operation)
        : db_(db), stmt_(stmt), operation_(operation) {}
    Statement(Statement&& other) noexcept
        : db_(other.db_),
          stmt_(std::exchange(other.stmt_, nullptr)),
          operation_(other.operation_),
          next_(other.next_),
          bind_rc_(other.bind_rc_) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;
    ~Statement() {
        if (stmt_ == nullptr) return;
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    Statement& bind(std::int64_t value) {
        note(sqlite3_bind_int64(stmt_, ++next_, value));
        return *this;
    }
    Statement& bind(std::string_view text) {
        note(sqlite3_bind_text64(stmt_, ++next_, text.data(), text.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8));
        return *this;
    }
    Statement& bind_blob(std::string_view bytes) {
        note(sqlite3_bind_blob64(stmt_, ++next_, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(std::optional<std::int64_t> value) {
        if (value) return bind(*value);
        note(sqlite3_bind_null(stmt_, ++next_));
        return *this;
    }

    // true: a row is ready; false: done.
    Result<bool> step() {
        if (bind_rc_ != SQLITE_OK) return storage_error(operation_, sqlite3_errstr(bind_rc_));
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        return storage_error(operation_, failure_text(db_, rc));
    }
    Result<void> run() {
        MLC_TRY(bool row, step());
        (void)row;
        return ok();
    }

    std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::optional<std::int64_t> optional_integer(int column) const {
        if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
        return integer(column);
    }
    std::string text(int column) const {
        const auto* data = sqlite3_column_blob(stmt_, column);
        const int size = sqlite3_column_bytes(stmt_, column);
        if (data == nullptr || size <= 0) return {};
        return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
    }
    UtcTime time(int column) const { return from_us(integer(column)); }
    std::optional<UtcTime> optional_time(int column) const {
        auto us = optional_integer(column);
        if (!us) return std::nullopt;
        return from_us(*us);
    }

  private:
    void note(int rc) {
        if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_;
    std::string_view operation_;
    int next_ = 0;
    int bind_rc_ = SQLITE_OK;
};

}  // namespace

namespace detail {

// The sqlite3 handle and its prepared statements. Not thread-safe: SqliteStateStore's mutex
// serializes every use.
class SqliteConnection {
  public:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    ~SqliteConnection() {
        for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
        sqlite3_close_v2(db_);
    }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    sqlite3* db() { return db_; }

    Result<Statement> prepare(const std::string& sql, std::string_view operation) {
        auto found = cache_.find(sql);
        if (found != cache_.end()) return Statement(db_, found->second, operation);
        MLC_ASSERT(cache_.size() < kStatementCacheMax, "SQL texts are a small fixed set");
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(stmt);
            return error(operation, rc);
        }
        cache_.emplace(sql, stmt);
        return Statement(db_, stmt, operation);
    }

    // For statements run once (pragmas, migrations, BEGIN/COMMIT): not cached.
    Result<void> exec(const char* sql, std::string_view operation) {
        char* message = nullptr;
        const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
        if (rc == SQLITE_OK) return ok();
        sqlite3_free(message);  // The same text as sqlite3_errmsg(), which failure_text() reads.
        return storage_error(operation, failure_text(db_, rc));
    }

    Error error(std::string_view operation, int rc) {
        return storage_error(operation, failure_text(db_, rc));
    }

    // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on any error. IMMEDIATE takes
    // the write lock up front, so two writers never deadlock upgrading read locks (SQLITE_BUSY
    // mid-transaction); waiting for the lock is bounded by busy_timeout.
    template <typename Body>
    auto transaction(std::string_view operation, Body&& body) -> decltype(body()) {
        MLC_CHECK(exec("BEGIN IMMEDIATE", operation));
        auto result = body();
        if (!result) {
            rollback();
            return result;
        }
        auto committed = exec("COMMIT", operation);
        if (!committed) {
            rollback();
            return std::move(committed).error();
        }
        return result;
    }

  private:
    void rollback() {
        // Some errors (disk full, I/O) make SQLite roll back by itself: then there is nothing left.
        if (sqlite3_get_autocommit(db_) == 0) (void)exec("ROLLBACK", "rollback");
    }

    sqlite3* db_;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace detail

namespace {

using detail::SqliteConnection;

Result<void> configure(SqliteConnection& db, bool in_memory, const SqliteStoreOptions& options) {
    // busy_timeout first: the pragmas below may already need the lock.
    const int rc = sqlite3_busy_timeout(db.db(), static_cast<int>(options.busy_timeout.count()));
    if (rc != SQLITE_OK) return db.error("setting busy_timeout", rc);
    // A new file gives freed pages back on request (reclaim_space); only settable before the
    // first table exists, and before WAL mode.
    bool empty = false;
    {  // The statement ends (reset) before the pragmas: WAL cannot be set inside a read.
        MLC_TRY(auto tables,
                db.prepare("SELECT COUNT(*) FROM sqlite_master", "reading the schema"));
        MLC_TRY(bool counted, tables.step());
        empty = counted && tables.integer(0) == 0;
    }
    if (empty) {
        MLC_CHECK(db.exec("PRAGMA auto_vacuum = INCREMENTAL", "setting auto_vacuum"));
    }
    // WAL: readers (console, CLI) never block the daemon's writer, and a commit is one append.
    MLC_TRY(auto mode, db.prepare("PRAGMA journal_mode=WAL", "setting journal_mode"));
    MLC_TRY(bool row, mode.step());
    const std::string journal = row ? mode.text(0) : "";
    if (journal != "wal" && !(in_memory && journal == "memory")) {
        return storage_error("setting journal_mode", "the file system refused WAL mode (got '" +
                                                         journal +
                                                         "'); put the state file on a local disk");
    }
    // synchronous=FULL, not the usual WAL pairing NORMAL: with NORMAL a power cut can lose the last
    // commits, and an inbox row is acknowledged to the vendor (2xx) right after it is stored;
    // WooCommerce and ShipStation do not redeliver an acknowledged webhook, so a lost row is a lost
    // order. Our write rate (pages, not rows) makes the extra fsync per commit cheap.
    MLC_CHECK(db.exec("PRAGMA synchronous=FULL", "setting synchronous"));
    MLC_CHECK(db.exec("PRAGMA foreign_keys=ON", "setting foreign_keys"));
    return ok();
}

Result<int> current_version(SqliteConnection& db) {
    MLC_TRY(auto stmt, db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                                  "reading schema version"));
    MLC_TRY(bool row, stmt.step());
    return row ? static_cast<int>(stmt.integer(0)) : 0;
}

Result<void> migrate(SqliteConnection& db, const SqliteStoreOptions& options) {
    MLC_CHECK(
        db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, applied_at_us INTEGER NOT NULL)",
                "creating schema_migrations"));
    MLC_TRY(int found, current_version(db));
    if (found > kSqliteSchemaVersion) {
        return storage_error("opening", "this state file was written by a newer mlc (schema " +
                                            std::to_string(found) + ", this binary knows up to " +
                                            std::to_string(kSqliteSchemaVersion) +
                                            "); upgrade mlc or use another state file");
    }
    for (const Migration& migration : kMigrations) {
        const std::string operation = "applying migration " + std::to_string(migration.version);
        MLC_CHECK(db.transaction(operation, [&]() -> Result<void> {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            MLC_TRY(int now_at, current_version(db));
            if (now_at >= migration.version) return ok();
            MLC_CHECK(db.exec(migration.sql, operation));
            std::optional<std::int64_t> applied_us;
            if (options.clock != nullptr) applied_us = to_us(options.clock->now());
            MLC_TRY(auto insert,
                    db.prepare("INSERT INTO schema_migrations (version, applied_at_us) VALUES "
                               "(?, COALESCE(?, CAST((julianday('now') - 2440587.5) * "
                               "86400000000.0 AS INTEGER)))",
                               operation));
            return insert.bind(std::int64_t{migration.version}).bind(applied_us).run();
        }));
    }
    return ok();
}

// The ':'-segments of a ref, each once, at most kRefSegmentsMax.
std::vector<std::string_view> segments(std::string_view ref) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (out.size() < kRefSegmentsMax) {
        const std::size_t colon = ref.find(':', start);
        auto segment = ref.substr(start, colon == std::string_view::npos ? colon : colon - start);
        if (!segment.empty() && std::find(out.begin(), out.end(), segment) == out.end()) {
            out.push_back(segment);
        }
        if (colon == std::string_view::npos) break;
        start = colon + 1;
    }
    return out;
}

constexpr const char* kBindingColumns =
    "flow, source_system, source_key, target_id, content_hash, state, source_version, "
    "created_at_us, updated_at_us";

Binding read_binding(const Statement& row) {
    return Binding{
        .flow = row.text(0),
        .source_system = row.text(1),
        .source_key = row.text(2),
        .target_id = row.text(3),
        .content_hash = row.text(4),
        .state = binding_state_from_string(row.text(5)).value_or(BindingState::kPending),
        .source_version = row.text(6),
        .created_at = row.time(7),
        .updated_at = row.time(8),
    };
}

constexpr const char* kInboxColumns =
    "id, flow, source, delivery_id, body_hash, topic, headers_json, body, received_at_us, "
    "attempts, lease_until_us, lease_owner, done";

InboxEvent read_inbox(const Statement& row) {
    return InboxEvent{
        .id = row.integer(0),
        .flow = row.text(1),
        .source = row.text(2),
        .delivery_id = row.text(3),
        .body_hash = row.text(4),
        .topic = row.text(5),
        .headers_json = row.text(6),
        .body = row.text(7),
        .received_at = row.time(8),
        .attempts = static_cast<int>(row.integer(9)),
        .lease_until = row.optional_time(10),
        .lease_owner = row.text(11),
        .done = row.integer(12) != 0,
    };
}

constexpr const char* kDeadLetterColumns =
    "id, flow, source_system, source_key, record_json, replay_json, error_code, error_message, "
    "attempts, first_seen_us, last_seen_us, status";

DeadLetter read_dead_letter(const Statement& row) {
    return DeadLetter{
        .id = row.integer(0),
        .flow = row.text(1),
        .source_system = row.text(2),
        .source_key = row.text(3),
        .record_json = row.text(4),
        .replay_json = row.text(5),
        .error_code = row.text(6),
        .error_message = row.text(7),
        .attempts = static_cast<int>(row.integer(8)),
        .first_seen = row.time(9),
        .last_seen = row.time(10),
        .status = dead_letter_status_from_string(row.text(11)).value_or(DeadLetterStatus::kOpen),
    };
}

constexpr const char* kDifferenceColumns =
    "id, flow, source_system, source_key, source_ref, target_ref, content_hash, detail, edits, "
    "first_seen_us, last_seen_us, status, closed_at_us";

Difference read_difference(const Statement& row) {
    return Difference{
        .id = row.integer(0),
        .flow = row.text(1),
        .source_system = row.text(2),
        .source_key = row.text(3),
        .source_ref = row.text(4),
        .target_ref = row.text(5),
        .content_hash = row.text(6),
        .detail = row.text(7),
        .edits = static_cast<int>(row.integer(8)),
        .first_seen = row.time(9),
        .last_seen = row.time(10),
        .status = difference_status_from_string(row.text(11)).value_or(DifferenceStatus::kOpen),
        .closed_at = row.optional_time(12),
    };
}

constexpr const char* kAuditColumns =
    "id, flow, direction, source_ref, target_ref, action, outcome, attempt, at_us, detail";

AuditEvent read_audit(const Statement& row) {
    return AuditEvent{
        .id = row.integer(0),
        .flow = row.text(1),
        .direction = row.text(2),
        .source_ref = row.text(3),
        .target_ref = row.text(4),
        .action = audit_action_from_string(row.text(5)).value_or(AuditAction::kFail),
        .outcome = row.text(6),
        .attempt = static_cast<int>(row.integer(7)),
        .at = row.time(8),
        .detail = row.text(9),
    };
}

constexpr const char* kAlertColumns =
    "id, key, flow, severity, message, status, raised_at_us, acknowledged_at_us, "
    "COALESCE(last_seen_us, raised_at_us), count, resolved_at_us";

Alert read_alert(const Statement& row) {
    return Alert{
        .id = row.integer(0),
        .key = row.text(1),
        .flow = row.text(2),
        .severity = row.text(3),
        .message = row.text(4),
        .status = alert_status_from_string(row.text(5)).value_or(AlertStatus::kOpen),
        .raised_at = row.time(6),
        .acknowledged_at = row.optional_time(7),
        .last_seen = row.time(8),
        .count = static_cast<int>(row.integer(9)),
        .resolved_at = row.optional_time(10),
    };
}

// ---- Unlocked operations: the caller holds the store's mutex (and, for commit_page, an open
// transaction). Each public method wraps one of these.

Result<void> do_put_binding(SqliteConnection& db, const Binding& b) {
    // created_at is kept from the first write: it says when the record was first bound.
    MLC_TRY(auto stmt,
            db.prepare("INSERT INTO bindings (flow, source_system, source_key, target_id, "
                       "content_hash, state, source_version, created_at_us, updated_at_us) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (flow, source_system, source_key) DO UPDATE SET "
                       "target_id = excluded.target_id, content_hash = excluded.content_hash, "
                       "state = excluded.state, source_version = excluded.source_version, "
                       "updated_at_us = excluded.updated_at_us",
                       "writing binding"));
    return stmt.bind(b.flow)
        .bind(b.source_system)
        .bind(b.source_key)
        .bind(b.target_id)
        .bind(b.content_hash)
        .bind(to_string(b.state))
        .bind(b.source_version)
        .bind(to_us(b.created_at))
        .bind(to_us(b.updated_at))
        .run();
}

Result<void> do_set_cursor(SqliteConnection& db, const Cursor& c) {
    MLC_TRY(auto stmt, db.prepare("INSERT INTO cursors (flow, stream, value, updated_at_us) "
                                  "VALUES (?, ?, ?, ?) ON CONFLICT (flow, stream) DO UPDATE SET "
                                  "value = excluded.value, updated_at_us = excluded.updated_at_us",
                                  "writing cursor"));
    return stmt.bind(c.flow).bind(c.stream).bind(c.value).bind(to_us(c.updated_at)).run();
}

Result<std::int64_t> do_append_audit(SqliteConnection& db, const AuditEvent& e) {
    MLC_TRY(auto stmt, db.prepare("INSERT INTO audit (flow, direction, source_ref, target_ref, "
                                  "action, outcome, attempt, at_us, detail) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  "appending audit event"));
    MLC_CHECK(stmt.bind(e.flow)
                  .bind(e.direction)
                  .bind(e.source_ref)
                  .bind(e.target_ref)
                  .bind(to_string(e.action))
                  .bind(e.outcome)
                  .bind(std::int64_t{e.attempt})
                  .bind(to_us(e.at))
                  .bind(e.detail)
                  .run());
    const std::int64_t id = sqlite3_last_insert_rowid(db.db());
    const std::pair<std::int64_t, std::string_view> refs[] = {{0, e.source_ref}, {1, e.target_ref}};
    for (const auto& [kind, ref] : refs) {
        for (std::string_view segment : segments(ref)) {
            MLC_TRY(auto index,
                    db.prepare("INSERT OR IGNORE INTO audit_ref_segments (segment, kind, audit_id) "
                               "VALUES (?, ?, ?)",
                               "indexing audit event"));
            MLC_CHECK(index.bind(segment).bind(kind).bind(id).run());
        }
    }
    return id;
}

Result<std::optional<std::int64_t>> open_dead_letter_id(SqliteConnection& db,
                                                        const DeadLetter& letter) {
    MLC_TRY(auto find, db.prepare("SELECT id FROM dead_letters WHERE flow = ? AND "
                                  "source_system = ? AND source_key = ? AND status = 'open'",
                                  "finding open dead letter"));
    find.bind(letter.flow).bind(letter.source_system).bind(letter.source_key);
    MLC_TRY(bool row, find.step());
    if (!row) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{find.integer(0)};
}

Result<std::int64_t> do_put_dead_letter(SqliteConnection& db, const DeadLetter& letter) {
    MLC_TRY(auto existing, open_dead_letter_id(db, letter));
    if (existing) {
        // Same record failing again while open: one row, attempts counted, newest error kept.
        MLC_TRY(auto update,
                db.prepare("UPDATE dead_letters SET attempts = attempts + 1, last_seen_us = ?, "
                           "error_code = ?, error_message = ?, record_json = ?, replay_json = ? "
                           "WHERE id = ?",
                           "updating dead letter"));
        const UtcTime seen = letter.last_seen != UtcTime{} ? letter.last_seen : letter.first_seen;
        MLC_CHECK(update.bind(to_us(seen))
                      .bind(letter.error_code)
                      .bind(letter.error_message)
                      .bind(letter.record_json)
                      .bind(letter.replay_json)
                      .bind(*existing)
                      .run());
        return *existing;
    }
    MLC_TRY(auto insert,
            db.prepare("INSERT INTO dead_letters (flow, source_system, source_key, record_json, "
                       "replay_json, error_code, error_message, attempts, first_seen_us, "
                       "last_seen_us, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                       "inserting dead letter"));
    const UtcTime last = letter.last_seen != UtcTime{} ? letter.last_seen : letter.first_seen;
    MLC_CHECK(insert.bind(letter.flow)
                  .bind(letter.source_system)
                  .bind(letter.source_key)
                  .bind(letter.record_json)
                  .bind(letter.replay_json)
                  .bind(letter.error_code)
                  .bind(letter.error_message)
                  .bind(std::int64_t{std::max(letter.attempts, 1)})
                  .bind(to_us(letter.first_seen))
                  .bind(to_us(last))
                  .run());
    return sqlite3_last_insert_rowid(db.db());
}

Result<void> expect_one_change(SqliteConnection& db, std::string_view what, std::int64_t id) {
    if (sqlite3_changes(db.db()) > 0) return ok();
    return make_error(ErrorCode::kNotFound, std::string(kSystem),
                      "no " + std::string(what) + " with id " + std::to_string(id));
}

// One open row per (flow, system, key): a new edit replaces what differs and counts.
Result<void> do_put_difference(SqliteConnection& db, const Difference& d) {
    const UtcTime seen = d.last_seen != UtcTime{} ? d.last_seen : d.first_seen;
    MLC_TRY(auto update,
            db.prepare("UPDATE differences SET source_ref = ?, target_ref = ?, content_hash = ?, "
                       "detail = ?, edits = edits + 1, last_seen_us = ? WHERE flow = ? AND "
                       "source_system = ? AND source_key = ? AND status = 'open'",
                       "updating difference"));
    MLC_CHECK(update.bind(d.source_ref)
                  .bind(d.target_ref)
                  .bind(d.content_hash)
                  .bind(d.detail)
                  .bind(to_us(seen))
                  .bind(d.flow)
                  .bind(d.source_system)
                  .bind(d.source_key)
                  .run());
    if (sqlite3_changes(db.db()) > 0) return ok();
    MLC_TRY(auto insert,
            db.prepare("INSERT INTO differences (flow, source_system, source_key, source_ref, "
                       "target_ref, content_hash, detail, edits, first_seen_us, last_seen_us, "
                       "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                       "inserting difference"));
    return insert.bind(d.flow)
        .bind(d.source_system)
        .bind(d.source_key)
        .bind(d.source_ref)
        .bind(d.target_ref)
        .bind(d.content_hash)
        .bind(d.detail)
        .bind(std::int64_t{std::max(d.edits, 1)})
        .bind(to_us(d.first_seen))
        .bind(to_us(seen))
        .run();
}

Result<void> do_close_difference(SqliteConnection& db, std::int64_t id, DifferenceStatus status,
                                 UtcTime at) {
    MLC_TRY(auto stmt,
            db.prepare("UPDATE differences SET status = ?, closed_at_us = ? WHERE id = ?",
                       "setting difference status"));
    auto result = stmt.bind(to_string(status)).bind(to_us(at)).bind(id).run();
    if (!result && sqlite3_extended_errcode(db.db()) == SQLITE_CONSTRAINT_UNIQUE) {
        return make_error(ErrorCode::kConflict, std::string(kSystem),
                          "difference " + std::to_string(id) +
                              " cannot be reopened: the same record has another open one");
    }
    MLC_CHECK(std::move(result));
    return expect_one_change(db, "difference", id);
}

Result<void> do_mark_inbox_done(SqliteConnection& db, std::int64_t id) {
    MLC_TRY(auto stmt, db.prepare("UPDATE inbox SET done = 1, lease_until_us = NULL WHERE id = ?",
                                  "marking inbox event done"));
    MLC_CHECK(stmt.bind(id).run());
    return expect_one_change(db, "inbox event", id);
}

// The id of the event (held, or retired within the duplicate window) that `event` duplicates.
// Two lookups, each through its own index: "delivery_id <> ''" is spelled out so the planner can
// use the partial index inbox_by_delivery (a bound parameter alone never proves it), and no OR
// joins them (an OR over both columns made SQLite scan every row of the flow).
Result<std::optional<std::int64_t>> do_find_inbox_duplicate(SqliteConnection& db,
                                                            const InboxEvent& event) {
    std::optional<std::int64_t> found;
    const auto earliest = [&](Statement& stmt) -> Result<void> {
        MLC_TRY(bool row, stmt.step());
        if (row && (!found || stmt.integer(0) < *found)) found = stmt.integer(0);
        return ok();
    };
    if (!event.delivery_id.empty()) {
        MLC_TRY(auto by_delivery,
                db.prepare("SELECT id FROM inbox WHERE flow = ? AND delivery_id = ? AND "
                           "delivery_id <> ''",
                           "finding duplicate inbox event by delivery id"));
        by_delivery.bind(event.flow).bind(event.delivery_id);
        MLC_CHECK(earliest(by_delivery));
    }
    MLC_TRY(auto by_body, db.prepare("SELECT id FROM inbox WHERE flow = ? AND body_hash = ?",
                                     "finding duplicate inbox event by body hash"));
    by_body.bind(event.flow).bind(event.body_hash);
    MLC_CHECK(earliest(by_body));
    if (found) return found;
    MLC_TRY(auto retired, db.prepare("SELECT MIN(inbox_id) FROM inbox_retired_keys WHERE flow = ? "
                                     "AND ((kind = 'delivery' AND key = ?) OR "
                                     "(kind = 'body' AND key = ?))",
                                     "finding a retired duplicate inbox event"));
    // An empty delivery id never matches: retire_inbox() keeps no empty key.
    retired.bind(event.flow).bind(event.delivery_id).bind(event.body_hash);
    MLC_TRY(bool row, retired.step());
    if (row) found = retired.optional_integer(0);
    return found;
}

// A vendor retrying a delivery reuses its delivery id (Woo X-WC-Webhook-Delivery-ID); a replayed
// body without one is caught by its hash.
Result<AppendResult> do_append_inbox(SqliteConnection& db, const InboxEvent& event) {
    MLC_TRY(auto duplicate, do_find_inbox_duplicate(db, event));
    if (duplicate) return AppendResult{.outcome = AppendOutcome::kDuplicate, .id = *duplicate};
    MLC_TRY(auto insert,
            db.prepare("INSERT INTO inbox (flow, source, delivery_id, body_hash, topic, "
                       "headers_json, body, received_at_us, attempts, lease_until_us, "
                       "lease_owner, done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, '', 0)",
                       "storing inbox event"));
    MLC_CHECK(insert.bind(event.flow)
                  .bind(event.source)
                  .bind(event.delivery_id)
                  .bind(event.body_hash)
                  .bind(event.topic)
                  .bind(event.headers_json)
                  .bind(event.body)
                  .bind(to_us(event.received_at))
                  .run());
    return AppendResult{.outcome = AppendOutcome::kStored,
                        .id = sqlite3_last_insert_rowid(db.db())};
}

// Deletes the oldest processed events received before the cut, keeping their keys.
// The flows of the inbox, one index seek each (a skip scan of inbox_pending).
constexpr const char* kInboxFlowsSql =
    "WITH RECURSIVE flows(flow) AS (SELECT (SELECT MIN(flow) FROM inbox) UNION ALL SELECT "
    "(SELECT MIN(flow) FROM inbox WHERE flow > flows.flow) FROM flows WHERE flows.flow IS NOT "
    "NULL)";

Result<std::int64_t> do_retire_inbox_events(SqliteConnection& db, const InboxRetirement& r) {
    MLC_CHECK(db.exec("CREATE TEMP TABLE IF NOT EXISTS retiring (id INTEGER PRIMARY KEY)",
                      "retiring inbox events"));
    MLC_CHECK(db.exec("DELETE FROM temp.retiring", "retiring inbox events"));
    // Per flow through inbox_pending (flow, done, received_at_us, id); oldest first. The flows
    // by index seeks (kInboxFlowsSql): SELECT DISTINCT flow read all of inbox_pending, 0.13-0.6 s
    // at 1M rows, while the deliveries behind the commit waited (issue 15).
    MLC_TRY(auto pick, db.prepare(std::string("INSERT INTO temp.retiring (id) ") + kInboxFlowsSql +
                                      " SELECT i.id FROM flows f JOIN inbox i ON i.flow = f.flow "
                                      "AND i.done = 1 AND i.received_at_us < ? "
                                      "ORDER BY i.received_at_us, i.id LIMIT ?",
                                  "choosing inbox events to retire"));
    const auto rows_max = static_cast<std::int64_t>(clamp_limit(r.max_rows, kSqliteRetireRowsMax));
    MLC_CHECK(pick.bind(to_us(r.processed_before)).bind(rows_max).run());
    for (std::string_view kind : {"delivery", "body"}) {
        MLC_TRY(auto keep, db.prepare("INSERT OR REPLACE INTO inbox_retired_keys (flow, kind, key, "
                                      "inbox_id, received_at_us) SELECT flow, ?1, CASE WHEN ?1 = "
                                      "'delivery' THEN delivery_id ELSE body_hash END, id, "
                                      "received_at_us FROM inbox WHERE id IN (SELECT id FROM "
                                      "temp.retiring) AND (?1 = 'body' OR delivery_id <> '')",
                                      "keeping retired inbox keys"));
        MLC_CHECK(keep.bind(kind).run());
    }
    MLC_TRY(auto drop, db.prepare("DELETE FROM inbox WHERE id IN (SELECT id FROM temp.retiring)",
                                  "deleting retired inbox events"));
    MLC_CHECK(drop.run());
    return sqlite3_changes64(db.db());
}

// Deletes the oldest audit events before the cut (their ref index first) and counts them into
// the summary: the trigger lets only rows before audit_retention_cut go, inside this transaction.
Result<std::int64_t> do_retire_audit(SqliteConnection& db, const AuditRetirement& r) {
    MLC_CHECK(db.exec("CREATE TEMP TABLE IF NOT EXISTS retiring_audit (id INTEGER PRIMARY KEY)",
                      "retiring audit events"));
    MLC_CHECK(db.exec("DELETE FROM temp.retiring_audit", "retiring audit events"));
    MLC_TRY(auto pick, db.prepare("INSERT INTO temp.retiring_audit (id) SELECT id FROM audit "
                                  "WHERE at_us < ? ORDER BY at_us, id LIMIT ?",
                                  "choosing audit events to retire"));
    const auto rows_max = static_cast<std::int64_t>(clamp_limit(r.max_rows, kSqliteRetireRowsMax));
    MLC_CHECK(pick.bind(to_us(r.before)).bind(rows_max).run());
    MLC_TRY(auto count,
            db.prepare("INSERT INTO audit_summary (day, flow, action, outcome, count) SELECT "
                       "strftime('%Y-%m-%d', at_us / 1000000, 'unixepoch'), flow, action, "
                       "outcome, COUNT(*) FROM audit WHERE id IN (SELECT id FROM "
                       "temp.retiring_audit) GROUP BY 1, 2, 3, 4 ON CONFLICT (day, flow, action, "
                       "outcome) DO UPDATE SET count = count + excluded.count",
                       "counting retired audit events"));
    MLC_CHECK(count.run());
    MLC_TRY(auto cut, db.prepare("INSERT OR REPLACE INTO audit_retention_cut (id, before_us) "
                                 "VALUES (1, ?)",
                                 "opening the audit for retention"));
    MLC_CHECK(cut.bind(to_us(r.before)).run());
    MLC_CHECK(
        db.exec("DELETE FROM audit_ref_segments WHERE audit_id IN (SELECT id FROM "
                "temp.retiring_audit)",
                "deleting retired audit refs"));
    MLC_CHECK(db.exec("DELETE FROM audit WHERE id IN (SELECT id FROM temp.retiring_audit)",
                      "deleting retired audit events"));
    const std::int64_t deleted = sqlite3_changes64(db.db());
    MLC_CHECK(db.exec("DELETE FROM audit_retention_cut", "closing the audit"));
    return deleted;
}

Result<void> do_set_dead_letter_status(SqliteConnection& db, std::int64_t id,
                                       DeadLetterStatus status) {
    MLC_TRY(auto stmt, db.prepare("UPDATE dead_letters SET status = ? WHERE id = ?",
                                  "setting dead letter status"));
    auto result = stmt.bind(to_string(status)).bind(id).run();
    if (!result && sqlite3_extended_errcode(db.db()) == SQLITE_CONSTRAINT_UNIQUE) {
        // Reopening a letter while a newer one for the same record is open.
        return make_error(ErrorCode::kConflict, std::string(kSystem),
                          "dead letter " + std::to_string(id) +
                              " cannot be reopened: the same record has another open letter");
    }
    MLC_CHECK(std::move(result));
    return expect_one_change(db, "dead letter", id);
}

// Rows of `table` (dead_letters, differences) for an optional flow and status, the most recently
// seen first (what an operator looks at), read by `read`.
template <typename Row, typename Read>
Result<std::vector<Row>> list_by_flow_and_status(SqliteConnection& db, std::string_view columns,
                                                 std::string_view table,
                                                 const std::optional<std::string>& flow,
                                                 std::optional<std::string> status,
                                                 std::size_t limit, Read read) {
    MLC_TRY(auto stmt, db.prepare("SELECT " + std::string(columns) + " FROM " + std::string(table) +
                                      " WHERE (?1 IS NULL OR flow = ?1) AND (?2 IS NULL OR "
                                      "status = ?2) ORDER BY last_seen_us DESC, id DESC LIMIT ?3",
                                  "listing " + std::string(table)));
    if (flow) {
        stmt.bind(std::string_view(*flow));
    } else {
        stmt.bind(std::optional<std::int64_t>{});
    }
    if (status) {
        stmt.bind(std::string_view(*status));
    } else {
        stmt.bind(std::optional<std::int64_t>{});
    }
    stmt.bind(static_cast<std::int64_t>(clamp_limit(limit, kListRowsMax)));
    std::vector<Row> out;
    for (std::size_t i = 0; i < kListRowsMax; ++i) {
        MLC_TRY(bool row, stmt.step());
        if (!row) break;
        out.push_back(read(stmt));
    }
    return out;
}

}  // namespace

// ---- SqliteStateStore

Result<std::unique_ptr<SqliteStateStore>> SqliteStateStore::open(
    const std::string& path, const SqliteStoreOptions& options) {
    if (auto folder = std::filesystem::path(path).parent_path();
        path != ":memory:" && !folder.empty() && !std::filesystem::is_directory(folder)) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          "the folder " + folder.string() + " of the state file " + path +
                              " does not exist: create it (mkdir -p " + folder.string() +
                              ") or set store.path in the config");
    }
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    auto db = std::make_unique<SqliteConnection>(raw);  // Closes `raw` even when open failed.
    if (rc != SQLITE_OK) {
        return storage_error("opening " + path,
                             raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(raw, 1);
    MLC_CHECK_CTX(configure(*db, path == ":memory:", options), "while opening " + path);
    MLC_CHECK_CTX(migrate(*db, options), "while opening " + path);
    return std::unique_ptr<SqliteStateStore>(new SqliteStateStore(std::move(db)));
}

SqliteStateStore::SqliteStateStore(std::unique_ptr<SqliteConnection> connection)
    : connection_(std::move(connection)) {}

SqliteStateStore::~SqliteStateStore() = default;

Result<std::vector<AppliedMigration>> SqliteStateStore::applied_migrations() {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare("SELECT version, applied_at_us FROM schema_migrations "
                                            "ORDER BY version LIMIT ?",
                                            "reading schema_migrations"));
    stmt.bind(static_cast<std::int64_t>(kMigrationRowsMax));
    std::vector<AppliedMigration> out;
    for (;;) {
        MLC_TRY(bool row, stmt.step());
        if (!row) break;
        out.push_back({static_cast<int>(stmt.integer(0)), stmt.time(1)});
    }
    return out;
}

Result<void> SqliteStateStore::commit_page(const PageCommit& page) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    return db.transaction("committing page", [&]() -> Result<void> {
        for (const Binding& binding : page.bindings) MLC_CHECK(do_put_binding(db, binding));
        for (const AuditEvent& event : page.audit) {
            MLC_CHECK(discard(do_append_audit(db, event)));
        }
        for (const DeadLetter& letter : page.dead_letters) {
            MLC_CHECK(discard(do_put_dead_letter(db, letter)));
        }
        for (std::int64_t id : page.inbox_done) MLC_CHECK(do_mark_inbox_done(db, id));
        for (std::int64_t id : page.dead_letters_resolved) {
            MLC_CHECK(do_set_dead_letter_status(db, id, DeadLetterStatus::kResolved));
        }
        for (const Difference& difference : page.differences) {
            MLC_CHECK(do_put_difference(db, difference));
        }
        for (const PageCommit::Cleared& cleared : page.differences_cleared) {
            MLC_CHECK(do_close_difference(db, cleared.id, DifferenceStatus::kCleared, cleared.at));
        }
        // The cursor last: it moves only together with everything before it.
        if (page.cursor) MLC_CHECK(do_set_cursor(db, *page.cursor));
        return ok();
    });
}

// ---- Bindings

Result<void> SqliteStateStore::put_binding(const Binding& binding) {
    std::lock_guard lock(mutex_);
    return do_put_binding(*connection_, binding);
}

Result<std::optional<Binding>> SqliteStateStore::get_binding(const std::string& flow,
                                                             const std::string& source_system,
                                                             const std::string& source_key) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(std::string("SELECT ") + kBindingColumns +
                                                " FROM bindings WHERE flow = ? AND "
                                                "source_system = ? AND source_key = ?",
                                            "reading binding"));
    stmt.bind(flow).bind(source_system).bind(source_key);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<Binding>{};
    return std::optional<Binding>{read_binding(stmt)};
}

Result<std::optional<Binding>> SqliteStateStore::find_binding_by_target(
    const std::string& flow, const std::string& target_id) {
    std::lock_guard lock(mutex_);
    // Oldest binding first should two source records ever point at one target.
    MLC_TRY(auto stmt, connection_->prepare(std::string("SELECT ") + kBindingColumns +
                                                " FROM bindings WHERE flow = ? AND target_id = ? "
                                                "ORDER BY created_at_us LIMIT 1",
                                            "finding binding by target"));
    stmt.bind(flow).bind(target_id);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<Binding>{};
    return std::optional<Binding>{read_binding(stmt)};
}

Result<std::vector<Binding>> SqliteStateStore::list_bindings(const std::string& flow,
                                                             std::optional<BindingState> state,
                                                             std::size_t limit) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt,
            connection_->prepare(std::string("SELECT ") + kBindingColumns +
                                     " FROM bindings WHERE flow = ? AND (? IS NULL OR state = ?) "
                                     "ORDER BY source_system, source_key LIMIT ?",
                                 "listing bindings"));
    const std::string state_text = state ? std::string(to_string(*state)) : "";
    stmt.bind(flow);
    if (state) {
        stmt.bind(std::string_view(state_text)).bind(std::string_view(state_text));
    } else {
        stmt.bind(std::optional<std::int64_t>{}).bind(std::optional<std::int64_t>{});
    }
    stmt.bind(static_cast<std::int64_t>(clamp_limit(limit, kListRowsMax)));
    std::vector<Binding> out;
    for (std::size_t i = 0; i < kListRowsMax; ++i) {
        MLC_TRY(bool row, stmt.step());
        if (!row) break;
        out.push_back(read_binding(stmt));
    }
    return out;
}

Result<std::int64_t> SqliteStateStore::count_bindings(const std::string& flow) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare("SELECT COUNT(*) FROM bindings WHERE flow = ?",
                                            "counting bindings"));
    stmt.bind(flow);
    MLC_TRY(bool row, stmt.step());
    return row ? stmt.integer(0) : 0;
}

// ---- Cursors

Result<std::optional<Cursor>> SqliteStateStore::get_cursor(const std::string& flow,
                                                           const std::string& stream) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt,
            connection_->prepare("SELECT flow, stream, value, updated_at_us FROM cursors "
                                 "WHERE flow = ? AND stream = ?",
                                 "reading cursor"));
    stmt.bind(flow).bind(stream);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<Cursor>{};
    return std::optional<Cursor>{Cursor{.flow = stmt.text(0),
                                        .stream = stmt.text(1),
                                        .value = stmt.text(2),
                                        .updated_at = stmt.time(3)}};
}

Result<void> SqliteStateStore::set_cursor(const Cursor& cursor) {
    std::lock_guard lock(mutex_);
    return do_set_cursor(*connection_, cursor);
}

// ---- Inbox

Result<AppendResult> SqliteStateStore::append_inbox(const InboxEvent& event) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    return db.transaction("appending inbox event",
                          [&]() -> Result<AppendResult> { return do_append_inbox(db, event); });
}

Result<std::vector<AppendResult>> SqliteStateStore::append_inbox_batch(
    const std::vector<InboxAppend>& deliveries) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    return db.transaction("appending inbox events", [&]() -> Result<std::vector<AppendResult>> {
        std::vector<AppendResult> out;
        out.reserve(deliveries.size());
        for (const InboxAppend& delivery : deliveries) {
            MLC_TRY(AppendResult appended, do_append_inbox(db, delivery.event));
            if (appended.outcome == AppendOutcome::kStored) {
                AuditEvent receipt = delivery.receipt;
                receipt.target_ref = "inbox:" + std::to_string(appended.id);
                MLC_CHECK(discard(do_append_audit(db, receipt)));
            }
            out.push_back(appended);
        }
        return out;
    });
}

Result<RetiredInbox> SqliteStateStore::retire_inbox(const InboxRetirement& retirement) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    return db.transaction("retiring inbox events", [&]() -> Result<RetiredInbox> {
        RetiredInbox out;
        MLC_TRY(out.events, do_retire_inbox_events(db, retirement));
        MLC_TRY(auto forget, db.prepare("DELETE FROM inbox_retired_keys WHERE id IN (SELECT id "
                                        "FROM inbox_retired_keys WHERE received_at_us < ? "
                                        "ORDER BY received_at_us LIMIT ?)",
                                        "forgetting retired inbox keys"));
        MLC_CHECK(forget.bind(to_us(retirement.keys_before))
                      .bind(static_cast<std::int64_t>(kSqliteRetireRowsMax))
                      .run());
        out.keys = sqlite3_changes64(db.db());
        return out;
    });
}

Result<std::vector<InboxEvent>> SqliteStateStore::lease_inbox(const std::string& flow,
                                                              const std::string& owner, UtcTime now,
                                                              std::chrono::seconds lease,
                                                              std::size_t max) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    const UtcTime until = now + lease;
    return db.transaction("leasing inbox events", [&]() -> Result<std::vector<InboxEvent>> {
        MLC_TRY(auto select, db.prepare(std::string("SELECT ") + kInboxColumns +
                                            " FROM inbox WHERE flow = ? AND done = 0 AND "
                                            "(lease_until_us IS NULL OR lease_until_us <= ?) "
                                            "ORDER BY received_at_us, id LIMIT ?",
                                        "selecting inbox events to lease"));
        select.bind(flow)
            .bind(to_us(now))
            .bind(static_cast<std::int64_t>(clamp_limit(max, kInboxLeaseMax)));
        std::vector<InboxEvent> out;
        for (std::size_t i = 0; i < kInboxLeaseMax; ++i) {
            MLC_TRY(bool row, select.step());
            if (!row) break;
            out.push_back(read_inbox(select));
        }
        for (InboxEvent& event : out) {
            MLC_TRY(auto update, db.prepare("UPDATE inbox SET lease_owner = ?, lease_until_us = ?, "
                                            "attempts = attempts + 1 WHERE id = ?",
                                            "leasing inbox event"));
            MLC_CHECK(update.bind(owner).bind(to_us(until)).bind(event.id).run());
            event.lease_owner = owner;
            event.lease_until = until;
            event.attempts += 1;
        }
        return out;
    });
}

Result<void> SqliteStateStore::mark_inbox_done(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return do_mark_inbox_done(*connection_, id);
}

Result<std::int64_t> SqliteStateStore::count_inbox(const std::string& flow, bool done) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt,
            connection_->prepare("SELECT COUNT(*) FROM inbox WHERE flow = ? AND done = ?",
                                 "counting inbox events"));
    stmt.bind(flow).bind(std::int64_t{done ? 1 : 0});
    MLC_TRY(bool row, stmt.step());
    return row ? stmt.integer(0) : 0;
}

// ---- Dead letters

Result<std::int64_t> SqliteStateStore::put_dead_letter(const DeadLetter& letter) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    return db.transaction("parking dead letter",
                          [&]() -> Result<std::int64_t> { return do_put_dead_letter(db, letter); });
}

Result<std::optional<DeadLetter>> SqliteStateStore::get_dead_letter(std::int64_t id) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(std::string("SELECT ") + kDeadLetterColumns +
                                                " FROM dead_letters WHERE id = ?",
                                            "reading dead letter"));
    stmt.bind(id);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<DeadLetter>{};
    return std::optional<DeadLetter>{read_dead_letter(stmt)};
}

Result<std::vector<DeadLetter>> SqliteStateStore::list_dead_letters(
    std::optional<std::string> flow, std::optional<DeadLetterStatus> status, std::size_t limit) {
    std::lock_guard lock(mutex_);
    return list_by_flow_and_status<DeadLetter>(
        *connection_, kDeadLetterColumns, "dead_letters", flow,
        status ? std::optional<std::string>(to_string(*status)) : std::nullopt, limit,
        read_dead_letter);
}

Result<void> SqliteStateStore::set_dead_letter_status(std::int64_t id, DeadLetterStatus status) {
    std::lock_guard lock(mutex_);
    return do_set_dead_letter_status(*connection_, id, status);
}

// ---- Differences

Result<std::vector<Difference>> SqliteStateStore::list_differences(
    std::optional<std::string> flow, std::optional<DifferenceStatus> status, std::size_t limit) {
    std::lock_guard lock(mutex_);
    return list_by_flow_and_status<Difference>(
        *connection_, kDifferenceColumns, "differences", flow,
        status ? std::optional<std::string>(to_string(*status)) : std::nullopt, limit,
        read_difference);
}

Result<void> SqliteStateStore::set_difference_status(std::int64_t id, DifferenceStatus status,
                                                     UtcTime at) {
    std::lock_guard lock(mutex_);
    return do_close_difference(*connection_, id, status, at);
}

// ---- Audit

Result<std::int64_t> SqliteStateStore::append_audit(const AuditEvent& event) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    // The event and its segment index rows together.
    return db.transaction("appending audit event",
                          [&]() -> Result<std::int64_t> { return do_append_audit(db, event); });
}

Result<std::vector<AuditEvent>> SqliteStateStore::query_audit(const AuditQuery& query) {
    if ((query.source_key && query.source_key->empty()) ||
        (query.target_id && query.target_id->empty())) {
        return std::vector<AuditEvent>{};  // An empty key is no segment of any ref.
    }
    // One SQL text per combination of filters (at most 32, all cached). A key narrows through the
    // segment index by its first segment; instr() then checks the whole key segment-exactly.
    std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit WHERE 1";
    const std::pair<const std::optional<std::string>*, const char*> keys[] = {
        {&query.source_key, "source_ref"}, {&query.target_id, "target_ref"}};
    for (std::size_t kind = 0; kind < 2; ++kind) {
        if (!*keys[kind].first) continue;
        sql += " AND id IN (SELECT audit_id FROM audit_ref_segments WHERE segment = ? AND kind = " +
               std::to_string(kind) + ") AND instr(':' || " + keys[kind].second +
               " || ':', ':' || ? || ':') > 0";
    }
    if (query.flow) sql += " AND flow = ?";
    if (query.from) sql += " AND at_us >= ?";
    if (query.to) sql += " AND at_us < ?";
    sql += " ORDER BY at_us DESC, id DESC LIMIT ?";

    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(sql, "querying audit"));
    for (const auto& [key, column] : keys) {
        if (!*key) continue;
        const std::string_view whole = **key;
        stmt.bind(whole.substr(0, whole.find(':'))).bind(whole);
    }
    if (query.flow) stmt.bind(std::string_view(*query.flow));
    if (query.from) stmt.bind(to_us(*query.from));
    if (query.to) stmt.bind(to_us(*query.to));
    stmt.bind(static_cast<std::int64_t>(clamp_limit(query.limit, kListRowsMax)));
    std::vector<AuditEvent> out;
    for (std::size_t i = 0; i < kListRowsMax; ++i) {
        MLC_TRY(bool row, stmt.step());
        if (!row) break;
        out.push_back(read_audit(stmt));
    }
    return out;
}

Result<std::int64_t> SqliteStateStore::retire_audit(const AuditRetirement& retirement) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    return db.transaction("retiring audit events", [&]() -> Result<std::int64_t> {
        return do_retire_audit(db, retirement);
    });
}

Result<std::vector<AuditSummaryRow>> SqliteStateStore::audit_summary(
    const std::optional<std::string>& flow, std::size_t limit) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(
                           flow ? "SELECT day, flow, action, outcome, count FROM audit_summary "
                                  "WHERE flow = ? ORDER BY day DESC, flow, action, outcome LIMIT ?"
                                : "SELECT day, flow, action, outcome, count FROM audit_summary "
                                  "ORDER BY day DESC, flow, action, outcome LIMIT ?",
                           "reading the audit summary"));
    if (flow) stmt.bind(std::string_view(*flow));
    stmt.bind(static_cast<std::int64_t>(clamp_limit(limit, kListRowsMax)));
    std::vector<AuditSummaryRow> out;
    for (std::size_t i = 0; i < kListRowsMax; ++i) {
        MLC_TRY(bool row, stmt.step());
        if (!row) break;
        out.push_back({.day = stmt.text(0),
                       .flow = stmt.text(1),
                       .action = stmt.text(2),
                       .outcome = stmt.text(3),
                       .count = stmt.integer(4)});
    }
    return out;
}

Result<std::int64_t> SqliteStateStore::reclaim_space(std::int64_t pages) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    MLC_TRY(auto mode, db.prepare("PRAGMA auto_vacuum", "reading auto_vacuum"));
    MLC_TRY(bool row, mode.step());
    if (!row || mode.integer(0) != 2 || pages <= 0) return std::int64_t{0};  // 2: incremental.
    const auto free_pages = [&db]() -> Result<std::int64_t> {
        MLC_TRY(auto count, db.prepare("PRAGMA freelist_count", "reading freelist_count"));
        MLC_TRY(bool counted, count.step());
        return counted ? count.integer(0) : 0;
    };
    MLC_TRY(const std::int64_t before, free_pages());
    const std::string vacuum = "PRAGMA incremental_vacuum(" + std::to_string(pages) + ")";
    MLC_CHECK(db.exec(vacuum.c_str(), "giving free pages back"));
    MLC_TRY(const std::int64_t after, free_pages());
    return before - after;
}

// ---- Alerts

Result<std::int64_t> SqliteStateStore::raise_alert(const Alert& alert) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    return db.transaction("raising alert", [&]() -> Result<std::int64_t> {
        MLC_TRY(auto find, db.prepare("SELECT id FROM alerts WHERE key = ? AND status = 'open'",
                                      "finding open alert"));
        find.bind(alert.key);
        MLC_TRY(bool open, find.step());
        if (open) {
            // Same problem again while nobody acknowledged it: one alert, newest words; raised_at
            // keeps when the problem started.
            const std::int64_t id = find.integer(0);
            MLC_TRY(auto update,
                    db.prepare("UPDATE alerts SET flow = ?, severity = ?, message = ?, "
                               "last_seen_us = ?, count = count + 1 WHERE id = ?",
                               "updating alert"));
            MLC_CHECK(update.bind(alert.flow)
                          .bind(alert.severity)
                          .bind(alert.message)
                          .bind(to_us(alert.raised_at))
                          .bind(id)
                          .run());
            return id;
        }
        MLC_TRY(auto insert, db.prepare("INSERT INTO alerts (key, flow, severity, message, status, "
                                        "raised_at_us, acknowledged_at_us, last_seen_us, count) "
                                        "VALUES (?, ?, ?, ?, 'open', ?, NULL, ?, 1)",
                                        "inserting alert"));
        MLC_CHECK(insert.bind(alert.key)
                      .bind(alert.flow)
                      .bind(alert.severity)
                      .bind(alert.message)
                      .bind(to_us(alert.raised_at))
                      .bind(to_us(alert.raised_at))
                      .run());
        return sqlite3_last_insert_rowid(db.db());
    });
}

Result<std::vector<Alert>> SqliteStateStore::list_alerts(std::optional<AlertStatus> status) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(std::string("SELECT ") + kAlertColumns +
                                                " FROM alerts WHERE (?1 IS NULL OR status = ?1) "
                                                "ORDER BY raised_at_us DESC, id DESC LIMIT ?2",
                                            "listing alerts"));
    if (status) {
        stmt.bind(to_string(*status));
    } else {
        stmt.bind(std::optional<std::int64_t>{});
    }
    stmt.bind(static_cast<std::int64_t>(kAlertsListMax));
    std::vector<Alert> out;
    for (std::size_t i = 0; i < kAlertsListMax; ++i) {
        MLC_TRY(bool row, stmt.step());
        if (!row) break;
        out.push_back(read_alert(stmt));
    }
    return out;
}

Result<void> SqliteStateStore::acknowledge_alert(std::int64_t id, UtcTime at) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    // Acknowledging twice keeps the first time; a resolved alert stays resolved.
    MLC_TRY(auto stmt,
            db.prepare("UPDATE alerts SET status = CASE status WHEN 'resolved' THEN 'resolved' "
                       "ELSE 'acknowledged' END, "
                       "acknowledged_at_us = COALESCE(acknowledged_at_us, ?) WHERE id = ?",
                       "acknowledging alert"));
    MLC_CHECK(stmt.bind(to_us(at)).bind(id).run());
    return expect_one_change(db, "alert", id);
}

Result<int> SqliteStateStore::resolve_alert(const std::string& key, UtcTime at) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    MLC_TRY(auto stmt, db.prepare("UPDATE alerts SET status = 'resolved', resolved_at_us = ? "
                                  "WHERE key = ? AND status IN ('open', 'acknowledged')",
                                  "resolving alert"));
    MLC_CHECK(stmt.bind(to_us(at)).bind(key).run());
    return sqlite3_changes(db.db());
}

// ---- Tokens

Result<void> SqliteStateStore::put_token(const TokenRecord& token) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt,
            connection_->prepare("INSERT INTO tokens (connection, ciphertext, expires_at_us, "
                                 "obtained_at_us) VALUES (?, ?, ?, ?) ON CONFLICT (connection) DO "
                                 "UPDATE SET ciphertext = excluded.ciphertext, expires_at_us = "
                                 "excluded.expires_at_us, obtained_at_us = excluded.obtained_at_us",
                                 "writing token"));
    return stmt.bind(token.connection)
        .bind_blob(token.ciphertext)
        .bind(to_us(token.expires_at))
        .bind(to_us(token.obtained_at))
        .run();
}

Result<std::optional<TokenRecord>> SqliteStateStore::get_token(const std::string& connection) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare("SELECT connection, ciphertext, expires_at_us, "
                                            "obtained_at_us FROM tokens WHERE connection = ?",
                                            "reading token"));
    stmt.bind(connection);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<TokenRecord>{};
    return std::optional<TokenRecord>{TokenRecord{.connection = stmt.text(0),
                                                  .ciphertext = stmt.text(1),
                                                  .expires_at = stmt.time(2),
                                                  .obtained_at = stmt.time(3)}};
}

Result<void> SqliteStateStore::delete_token(const std::string& connection) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt,
            connection_->prepare("DELETE FROM tokens WHERE connection = ?", "deleting token"));
    return stmt.bind(connection).run();
}

Result<int> SqliteStateStore::count_token_request(const std::string& connection, UtcTime now) {
    std::lock_guard lock(mutex_);
    // One statement, so atomic without an explicit transaction. The day is UTC: vendor daily
    // budgets are treated as UTC days here; a vendor counting in another zone needs a margin.
    MLC_TRY(auto stmt,
            connection_->prepare("INSERT INTO token_requests (connection, utc_day, count) "
                                 "VALUES (?, ?, 1) ON CONFLICT (connection, utc_day) DO "
                                 "UPDATE SET count = count + 1 RETURNING count",
                                 "counting token request"));
    stmt.bind(connection).bind(utc_day(now));
    MLC_TRY(bool row, stmt.step());
    MLC_ASSERT(row, "INSERT ... RETURNING yields one row");
    const int count = static_cast<int>(stmt.integer(0));
    MLC_TRY(bool more, stmt.step());  // Finish the statement so the write completes.
    (void)more;
    return count;
}

Result<int> SqliteStateStore::token_requests_on(const std::string& connection, UtcTime day) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare("SELECT count FROM token_requests WHERE connection = ? "
                                            "AND utc_day = ?",
                                            "reading token request count"));
    stmt.bind(connection).bind(utc_day(day));
    MLC_TRY(bool row, stmt.step());
    return row ? static_cast<int>(stmt.integer(0)) : 0;
}

// ---- Leases

Result<bool> SqliteStateStore::acquire_lease(const std::string& name, const std::string& owner,
                                             UtcTime now, UtcTime until) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    // Taken when free, expired (until <= now) or already ours (then extended); otherwise the
    // upsert's WHERE leaves the row alone and nothing changes.
    MLC_TRY(auto stmt, db.prepare("INSERT INTO leases (name, owner, until_us) VALUES (?1, ?2, ?4) "
                                  "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, "
                                  "until_us = excluded.until_us "
                                  "WHERE leases.until_us <= ?3 OR leases.owner = excluded.owner",
                                  "acquiring lease"));
    MLC_CHECK(stmt.bind(name).bind(owner).bind(to_us(now)).bind(to_us(until)).run());
    return sqlite3_changes(db.db()) > 0;
}

Result<void> SqliteStateStore::release_lease(const std::string& name, const std::string& owner) {
    std::lock_guard lock(mutex_);
    // Only the holder releases: a late release by a former owner must not free a new holder's
    // lease.
    MLC_TRY(auto stmt, connection_->prepare("DELETE FROM leases WHERE name = ? AND owner = ?",
                                            "releasing lease"));
    return stmt.bind(name).bind(owner).run();
}

Result<std::optional<LeaseHolder>> SqliteStateStore::lease_holder(const std::string& name) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare("SELECT owner, until_us FROM leases WHERE name = ?",
                                            "reading lease"));
    stmt.bind(name);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<LeaseHolder>{};
    return std::optional<LeaseHolder>{LeaseHolder{.owner = stmt.text(0), .until = stmt.time(1)}};
}

// ---- Settings

Result<void> SqliteStateStore::put_setting(const std::string& key, const std::string& value) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(
                           "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
                           "DO UPDATE SET value = excluded.value",
                           "writing setting"));
    return stmt.bind(key).bind(value).run();
}

Result<std::optional<std::string>> SqliteStateStore::get_setting(const std::string& key) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt,
            connection_->prepare("SELECT value FROM settings WHERE key = ?", "reading setting"));
    stmt.bind(key);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<std::string>{};
    return std::optional<std::string>{stmt.text(0)};
}

Result<void> SqliteStateStore::put_console_user(const ConsoleUser& user) {
    std::lock_guard lock(mutex_);
    // REPLACE deletes the old row first: its sessions go with it (a new password logs out).
    MLC_TRY(auto stmt, connection_->prepare("INSERT OR REPLACE INTO console_users (name, role, "
                                            "password_hash, created_at_us) VALUES (?, ?, ?, ?)",
                                            "writing console user"));
    return stmt.bind(user.name)
        .bind(user.role)
        .bind(user.password_hash)
        .bind(to_us(user.created_at))
        .run();
}

namespace {

constexpr const char* kConsoleUserColumns = "name, role, password_hash, created_at_us";
constexpr std::size_t kConsoleUsersMax = 10'000;

ConsoleUser read_console_user(const Statement& row) {
    return {.name = row.text(0),
            .role = row.text(1),
            .password_hash = row.text(2),
            .created_at = from_us(row.integer(3))};
}

}  // namespace

Result<std::optional<ConsoleUser>> SqliteStateStore::get_console_user(const std::string& name) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(std::string("SELECT ") + kConsoleUserColumns +
                                                " FROM console_users WHERE name = ?",
                                            "reading console user"));
    stmt.bind(name);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<ConsoleUser>{};
    return std::optional<ConsoleUser>{read_console_user(stmt)};
}

Result<std::vector<ConsoleUser>> SqliteStateStore::list_console_users() {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare(std::string("SELECT ") + kConsoleUserColumns +
                                                " FROM console_users ORDER BY name LIMIT ?",
                                            "listing console users"));
    stmt.bind(static_cast<std::int64_t>(kConsoleUsersMax));
    std::vector<ConsoleUser> out;
    for (std::size_t i = 0; i < kConsoleUsersMax; ++i) {
        MLC_TRY(bool row, stmt.step());
        if (!row) break;
        out.push_back(read_console_user(stmt));
    }
    return out;
}

Result<void> SqliteStateStore::remove_console_user(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    MLC_TRY(auto stmt,
            db.prepare("DELETE FROM console_users WHERE name = ?", "removing console user"));
    MLC_CHECK(stmt.bind(name).run());
    if (sqlite3_changes(db.db()) > 0) return ok();
    return make_error(ErrorCode::kNotFound, std::string(kSystem), "no console user named " + name);
}

Result<void> SqliteStateStore::put_console_session(const ConsoleSession& session) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt,
            connection_->prepare("INSERT OR REPLACE INTO console_sessions (id_hash, user, "
                                 "csrf_token, created_at_us, last_seen_us) VALUES (?, ?, ?, ?, ?)",
                                 "writing console session"));
    return stmt.bind(session.id_hash)
        .bind(session.user)
        .bind(session.csrf_token)
        .bind(to_us(session.created_at))
        .bind(to_us(session.last_seen))
        .run();
}

Result<std::optional<ConsoleSession>> SqliteStateStore::get_console_session(
    const std::string& id_hash) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare("SELECT id_hash, user, csrf_token, created_at_us, "
                                            "last_seen_us FROM console_sessions WHERE id_hash = ?",
                                            "reading console session"));
    stmt.bind(id_hash);
    MLC_TRY(bool row, stmt.step());
    if (!row) return std::optional<ConsoleSession>{};
    return std::optional<ConsoleSession>{ConsoleSession{.id_hash = stmt.text(0),
                                                        .user = stmt.text(1),
                                                        .csrf_token = stmt.text(2),
                                                        .created_at = from_us(stmt.integer(3)),
                                                        .last_seen = from_us(stmt.integer(4))}};
}

Result<void> SqliteStateStore::remove_console_session(const std::string& id_hash) {
    std::lock_guard lock(mutex_);
    MLC_TRY(auto stmt, connection_->prepare("DELETE FROM console_sessions WHERE id_hash = ?",
                                            "removing console session"));
    return stmt.bind(id_hash).run();
}

Result<std::int64_t> SqliteStateStore::prune_console_sessions(UtcTime created_before,
                                                              UtcTime seen_before) {
    std::lock_guard lock(mutex_);
    auto& db = *connection_;
    MLC_TRY(auto stmt, db.prepare("DELETE FROM console_sessions WHERE created_at_us < ? OR "
                                  "last_seen_us < ?",
                                  "pruning console sessions"));
    MLC_CHECK(stmt.bind(to_us(created_before)).bind(to_us(seen_before)).run());
    return static_cast<std::int64_t>(sqlite3_changes(db.db()));
}

}  // namespace mlc::store

#include "store/postgres/postgres_state_store.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <libpq-fe.h>

#include <algorithm>
#include <pqxx/pqxx>
#include <string_view>
#include <tuple>
#include <utility>

namespace mlc::store {

namespace {

constexpr std::size_t kListRowsMax = kPostgresListRowsMax;
constexpr std::size_t kInboxLeaseMax = kPostgresInboxLeaseMax;
constexpr std::size_t kAlertsListMax = kPostgresAlertsListMax;
constexpr std::size_t kConsoleUsersMax = 10'000;
constexpr std::size_t kSchemaNameMax = 63;  // PostgreSQL's identifier length (NAMEDATALEN - 1).
constexpr std::string_view kSystem = "store";

// One entry per schema version, applied in order, each in its own transaction. Never edit a
// released migration: add the next one (and bump kPostgresSchemaVersion). Version 1 holds what
// SQLite's versions 1-4 hold (the two numberings are independent).
//
// Times are bigint microseconds since the Unix epoch, UTC (columns *_us), as in SQLite: UtcTime
// round-trips exactly, nothing depends on the session's TimeZone, and `mlc store migrate` can
// compare rows of both stores as they are. In psql: to_timestamp(at_us / 1e6).
struct Migration {
    int version;
    const char* sql;
};

constexpr const char* kMigration1 = R"sql(
CREATE TABLE bindings (
    flow text NOT NULL,
    source_system text NOT NULL,
    source_key text NOT NULL,
    target_id text NOT NULL,
    content_hash text NOT NULL,
    state text NOT NULL,
    source_version text NOT NULL,
    created_at_us bigint NOT NULL,
    updated_at_us bigint NOT NULL,
    PRIMARY KEY (flow, source_system, source_key)
);
CREATE INDEX bindings_by_target ON bindings (flow, target_id, created_at_us);
CREATE INDEX bindings_by_state ON bindings (flow, state);

CREATE TABLE cursors (
    flow text NOT NULL,
    stream text NOT NULL,
    value text NOT NULL,
    updated_at_us bigint NOT NULL,
    PRIMARY KEY (flow, stream)
);

CREATE TABLE inbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    flow text NOT NULL,
    source text NOT NULL,
    delivery_id text NOT NULL,
    body_hash text NOT NULL,
    topic text NOT NULL,
    headers_json text NOT NULL,
    body text NOT NULL,
    received_at_us bigint NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    lease_until_us bigint,
    lease_owner text NOT NULL DEFAULT '',
    done boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX inbox_by_delivery ON inbox (flow, delivery_id) WHERE delivery_id <> '';
CREATE UNIQUE INDEX inbox_by_body ON inbox (flow, body_hash);
CREATE INDEX inbox_pending ON inbox (flow, received_at_us, id) WHERE NOT done;
CREATE INDEX inbox_processed ON inbox (received_at_us, id) WHERE done;

-- The delivery id and body hash of processed events retire_inbox() deleted, so a redelivery
-- within the duplicate window is still recognised.
CREATE TABLE inbox_retired_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    flow text NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    inbox_id bigint NOT NULL,
    received_at_us bigint NOT NULL,
    UNIQUE (flow, kind, key)
);
CREATE INDEX inbox_retired_by_age ON inbox_retired_keys (received_at_us);

CREATE TABLE dead_letters (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    flow text NOT NULL,
    source_system text NOT NULL,
    source_key text NOT NULL,
    record_json text NOT NULL,
    replay_json text NOT NULL,
    error_code text NOT NULL,
    error_message text NOT NULL,
    attempts integer NOT NULL,
    first_seen_us bigint NOT NULL,
    last_seen_us bigint NOT NULL,
    status text NOT NULL
);
CREATE UNIQUE INDEX dead_letters_open ON dead_letters (flow, source_system, source_key)
    WHERE status = 'open';
CREATE INDEX dead_letters_by_seen ON dead_letters (last_seen_us);

-- source_segments/target_segments: the ':'-segments of each ref, GIN-indexed, so a query by key
-- is an index lookup with exact segment match ("SS-1" never matches "SS-10", which LIKE would).
CREATE TABLE audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    flow text NOT NULL,
    direction text NOT NULL,
    source_ref text NOT NULL,
    target_ref text NOT NULL,
    action text NOT NULL,
    outcome text NOT NULL,
    attempt integer NOT NULL,
    at_us bigint NOT NULL,
    detail text NOT NULL,
    source_segments text[] GENERATED ALWAYS AS (string_to_array(source_ref, ':')) STORED,
    target_segments text[] GENERATED ALWAYS AS (string_to_array(target_ref, ':')) STORED
);
CREATE INDEX audit_by_flow_time ON audit (flow, at_us);
CREATE INDEX audit_by_time ON audit (at_us);
CREATE INDEX audit_by_source_segment ON audit USING gin (source_segments);
CREATE INDEX audit_by_target_segment ON audit USING gin (target_segments);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit is append-only';
END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TABLE alerts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key text NOT NULL,
    flow text NOT NULL,
    severity text NOT NULL,
    message text NOT NULL,
    status text NOT NULL,
    raised_at_us bigint NOT NULL,
    acknowledged_at_us bigint,
    last_seen_us bigint NOT NULL,
    count integer NOT NULL DEFAULT 1,
    resolved_at_us bigint
);
CREATE UNIQUE INDEX alerts_open ON alerts (key) WHERE status = 'open';
CREATE INDEX alerts_by_key ON alerts (key, status);

CREATE TABLE differences (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    flow text NOT NULL,
    source_system text NOT NULL,
    source_key text NOT NULL,
    source_ref text NOT NULL,
    target_ref text NOT NULL,
    content_hash text NOT NULL,
    detail text NOT NULL,
    edits integer NOT NULL,
    first_seen_us bigint NOT NULL,
    last_seen_us bigint NOT NULL,
    status text NOT NULL,
    closed_at_us bigint
);
CREATE UNIQUE INDEX differences_open ON differences (flow, source_system, source_key)
    WHERE status = 'open';
CREATE INDEX differences_by_seen ON differences (last_seen_us);

CREATE TABLE tokens (
    connection text PRIMARY KEY,
    ciphertext bytea NOT NULL,
    expires_at_us bigint NOT NULL,
    obtained_at_us bigint NOT NULL
);

-- utc_day: days since 1970-01-01 (UTC), so the counter rolls over at UTC midnight.
CREATE TABLE token_requests (
    connection text NOT NULL,
    utc_day integer NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (connection, utc_day)
);

-- Run leases: one row per name, held until until_us (store/README.md: why rows, not advisory
-- locks).
CREATE TABLE leases (
    name text PRIMARY KEY,
    owner text NOT NULL,
    until_us bigint NOT NULL
);

CREATE TABLE settings (
    key text PRIMARY KEY,
    value text NOT NULL
);

-- Removing or replacing a user removes their sessions (ON DELETE CASCADE).
CREATE TABLE console_users (
    name text PRIMARY KEY,
    role text NOT NULL,
    password_hash text NOT NULL,
    created_at_us bigint NOT NULL
);
CREATE TABLE console_sessions (
    id_hash text PRIMARY KEY,
    user_name text NOT NULL REFERENCES console_users (name) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at_us bigint NOT NULL,
    last_seen_us bigint NOT NULL
);
CREATE INDEX console_sessions_by_user ON console_sessions (user_name);
)sql";

// Shared request budgets (take_request_slot): every worker's requests of the last window per key
// (a credential), pruned as they leave it. Live state: `mlc store migrate` does not copy it.
constexpr const char* kMigration2 = R"sql(
CREATE TABLE request_slots (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key text NOT NULL,
    at_us bigint NOT NULL
);
CREATE INDEX request_slots_by_key ON request_slots (key, at_us);
)sql";

// Audit retention (state_store.hpp: retire_audit): the per-day summary of retired events, and
// the append-only trigger letting rows before the cut go when retire_audit() names one in its
// transaction (the setting mlc.audit_retire_before, local to it). Reclaiming the space is
// autovacuum's.
constexpr const char* kMigration3 = R"sql(
CREATE TABLE audit_summary (
    day text NOT NULL,
    flow text NOT NULL,
    action text NOT NULL,
    outcome text NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (day, flow, action, outcome)
);
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at_us < COALESCE(
            NULLIF(current_setting('mlc.audit_retire_before', true), '')::bigint,
            OLD.at_us) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit is append-only';
END $$;
)sql";

constexpr Migration kMigrations[] = {{1, kMigration1}, {2, kMigration2}, {3, kMigration3}};
static_assert(std::size(kMigrations) == kPostgresSchemaVersion,
              "one migration per schema version, in order");

using Tx = pqxx::transaction_base;

std::int64_t to_us(UtcTime time) { return time.time_since_epoch().count(); }
UtcTime from_us(std::int64_t us) { return UtcTime{std::chrono::microseconds{us}}; }
std::int64_t utc_day(UtcTime time) {
    return std::chrono::floor<std::chrono::days>(time).time_since_epoch().count();
}
std::int64_t clamp_limit(std::size_t limit, std::size_t max) {
    return static_cast<std::int64_t>(std::min(limit, max));
}

Error storage_error(std::string_view operation, std::string_view message) {
    return make_error(ErrorCode::kStorage, std::string(kSystem),
                      "postgresql: " + std::string(operation) + ": " + std::string(message));
}
Error not_found(std::string_view what, std::int64_t id) {
    return make_error(ErrorCode::kNotFound, std::string(kSystem),
                      "no " + std::string(what) + " with id " + std::to_string(id));
}

std::int64_t integer(const pqxx::field& field) { return field.as<std::int64_t>(); }
std::string text(const pqxx::field& field) { return field.is_null() ? "" : field.c_str(); }
UtcTime time(const pqxx::field& field) { return from_us(integer(field)); }
std::optional<UtcTime> optional_time(const pqxx::field& field) {
    if (field.is_null()) return std::nullopt;
    return time(field);
}

bool valid_schema_name(std::string_view name) {
    if (name.empty() || name.size() > kSchemaNameMax) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

}  // namespace

namespace detail {

// The pqxx connection, reopened when it broke. Not thread-safe: PostgresStateStore's mutex
// serializes every use. Every call runs in transaction() (BEGIN ... COMMIT, for several
// statements) or autocommit() (one statement, its own transaction); libpqxx's exceptions become
// kStorage errors there. A call that meets a broken connection (server restart, failover, killed
// backend) fails with kStorage; the next call connects again with the same session options, so a
// worker carries on once the server is back (the page is retried).
class PgConnection {
  public:
    // `url` (with its password) is kept to reconnect, and never shown: messages use `where`.
    PgConnection(std::string url, PostgresStoreOptions options, std::string where)
        : url_(std::move(url)), options_(std::move(options)), where_(std::move(where)) {}

    pqxx::connection& raw() { return *connection_; }
    const std::string& where() const { return where_; }

    // Connects and sets every session option explicitly, never the server's defaults: UTC,
    // durable commits (an inbox row is acknowledged to the vendor right after it is stored),
    // bounded lock waits, the schema. set_variable(): libpqxx would set them again itself, too.
    Result<void> connect() {
        try {
            connection_.reset();
            connection_ = std::make_unique<pqxx::connection>(url_);
            pqxx::connection& raw = *connection_;
            raw.set_variable("TimeZone", "'UTC'");
            raw.set_variable("synchronous_commit", "on");
            raw.set_variable("lock_timeout", std::to_string(options_.lock_timeout.count()));
            raw.set_variable("application_name", raw.quote(options_.application_name));
            if (!options_.schema.empty()) {
                raw.set_variable("search_path", raw.quote_name(options_.schema));
            }
        } catch (const std::exception& e) {
            connection_.reset();
            // libpq's message names the host and the reason, never the password.
            return storage_error("connecting to " + where_, e.what());
        }
        return ok();
    }

    template <typename Body>
    auto transaction(std::string_view operation, Body&& body)
        -> decltype(body(std::declval<Tx&>())) {
        MLC_CHECK(ensure_open());
        try {
            pqxx::work tx(*connection_);
            auto result = body(static_cast<Tx&>(tx));
            if (!result) {
                tx.abort();
                return result;
            }
            tx.commit();
            return result;
        } catch (const std::exception& e) {
            return storage_error(operation, e.what());
        }
    }

    template <typename Body>
    auto autocommit(std::string_view operation, Body&& body)
        -> decltype(body(std::declval<Tx&>())) {
        MLC_CHECK(ensure_open());
        try {
            pqxx::nontransaction tx(*connection_);
            return body(static_cast<Tx&>(tx));
        } catch (const std::exception& e) {
            return storage_error(operation, e.what());
        }
    }

  private:
    Result<void> ensure_open() {
        if (connection_ != nullptr && connection_->is_open()) return ok();
        return connect();
    }

    std::string url_;
    PostgresStoreOptions options_;
    std::string where_;  // Redacted URL, for messages.
    std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace detail

std::string redact_postgres_url(std::string_view url) {
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &message);
    if (message != nullptr) PQfreemem(message);
    if (options == nullptr) return "postgresql://(unparsable URL)";
    std::string user, host, port, dbname;
    for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
        if (option->val == nullptr) continue;
        const std::string_view keyword = option->keyword;
        if (keyword == "user") user = option->val;
        if (keyword == "host") host = option->val;
        if (keyword == "port") port = option->val;
        if (keyword == "dbname") dbname = option->val;
    }
    PQconninfoFree(options);
    std::string out = "postgresql://";
    if (!user.empty()) out += user + "@";
    out += host.empty() ? "localhost" : host;
    if (!port.empty()) out += ":" + port;
    return out + "/" + dbname;
}

bool is_postgres_url(std::string_view url) {
    return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::string with_postgres_password(std::string_view url, std::string_view password) {
    std::string out(url);
    out += url.find('?') == std::string_view::npos ? "?password=" : "&password=";
    out += boost::urls::encode(password, boost::urls::unreserved_chars);  // RFC 3986 %XX.
    return out;
}

namespace {

using detail::PgConnection;

// The schema (when one is named) exists before anything else runs in it.
Result<void> create_schema(PgConnection& db, const PostgresStoreOptions& options) {
    if (options.schema.empty()) return ok();
    return db.autocommit("creating schema " + options.schema, [&](Tx& tx) -> Result<void> {
        tx.exec("CREATE SCHEMA IF NOT EXISTS " + db.raw().quote_name(options.schema));
        return ok();
    });
}

// Serializes migrations of one schema between workers starting at once; released at commit.
void lock_migrations(Tx& tx, const std::string& schema) {
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('mlc-migrate:' || $1))", schema);
}

int current_version(Tx& tx) {
    return static_cast<int>(
        integer(tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0]));
}

Result<void> migrate(PgConnection& db, const PostgresStoreOptions& options) {
    MLC_CHECK(db.transaction("creating schema_migrations", [&](Tx& tx) -> Result<void> {
        lock_migrations(tx, options.schema);
        tx.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
            "applied_at_us bigint NOT NULL)");
        const int found = current_version(tx);
        if (found <= kPostgresSchemaVersion) return ok();
        return storage_error("opening", "this database was written by a newer mlc (schema " +
                                            std::to_string(found) + ", this binary knows up to " +
                                            std::to_string(kPostgresSchemaVersion) +
                                            "); upgrade mlc or use another schema");
    }));
    for (const Migration& migration : kMigrations) {
        const std::string operation = "applying migration " + std::to_string(migration.version);
        MLC_CHECK(db.transaction(operation, [&](Tx& tx) -> Result<void> {
            lock_migrations(tx, options.schema);  // Another worker may have migrated meanwhile.
            if (current_version(tx) >= migration.version) return ok();
            tx.exec(migration.sql);
            if (options.clock != nullptr) {
                tx.exec_params(
                    "INSERT INTO schema_migrations (version, applied_at_us) VALUES "
                    "($1, $2)",
                    migration.version, to_us(options.clock->now()));
            } else {
                tx.exec_params(
                    "INSERT INTO schema_migrations (version, applied_at_us) VALUES "
                    "($1, (extract(epoch FROM clock_timestamp()) * 1e6)::bigint)",
                    migration.version);
            }
            return ok();
        }));
    }
    return ok();
}

constexpr const char* kBindingColumns =
    "flow, source_system, source_key, target_id, content_hash, state, source_version, "
    "created_at_us, updated_at_us";

Binding read_binding(const pqxx::row& row) {
    return Binding{
        .flow = text(row[0]),
        .source_system = text(row[1]),
        .source_key = text(row[2]),
        .target_id = text(row[3]),
        .content_hash = text(row[4]),
        .state = binding_state_from_string(text(row[5])).value_or(BindingState::kPending),
        .source_version = text(row[6]),
        .created_at = time(row[7]),
        .updated_at = time(row[8]),
    };
}

constexpr const char* kInboxColumns =
    "id, flow, source, delivery_id, body_hash, topic, headers_json, body, received_at_us, "
    "attempts, lease_until_us, lease_owner, done";

InboxEvent read_inbox(const pqxx::row& row) {
    return InboxEvent{
        .id = integer(row[0]),
        .flow = text(row[1]),
        .source = text(row[2]),
        .delivery_id = text(row[3]),
        .body_hash = text(row[4]),
        .topic = text(row[5]),
        .headers_json = text(row[6]),
        .body = text(row[7]),
        .received_at = time(row[8]),
        .attempts = static_cast<int>(integer(row[9])),
        .lease_until = optional_time(row[10]),
        .lease_owner = text(row[11]),
        .done = row[12].as<bool>(),
    };
}

constexpr const char* kDeadLetterColumns =
    "id, flow, source_system, source_key, record_json, replay_json, error_code, error_message, "
    "attempts, first_seen_us, last_seen_us, status";

DeadLetter read_dead_letter(const pqxx::row& row) {
    return DeadLetter{
        .id = integer(row[0]),
        .flow = text(row[1]),
        .source_system = text(row[2]),
        .source_key = text(row[3]),
        .record_json = text(row[4]),
        .replay_json = text(row[5]),
        .error_code = text(row[6]),
        .error_message = text(row[7]),
        .attempts = static_cast<int>(integer(row[8])),
        .first_seen = time(row[9]),
        .last_seen = time(row[10]),
        .status = dead_letter_status_from_string(text(row[11])).value_or(DeadLetterStatus::kOpen),
    };
}

constexpr const char* kDifferenceColumns =
    "id, flow, source_system, source_key, source_ref, target_ref, content_hash, detail, edits, "
    "first_seen_us, last_seen_us, status, closed_at_us";

Difference read_difference(const pqxx::row& row) {
    return Difference{
        .id = integer(row[0]),
        .flow = text(row[1]),
        .source_system = text(row[2]),
        .source_key = text(row[3]),
        .source_ref = text(row[4]),
        .target_ref = text(row[5]),
        .content_hash = text(row[6]),
        .detail = text(row[7]),
        .edits = static_cast<int>(integer(row[8])),
        .first_seen = time(row[9]),
        .last_seen = time(row[10]),
        .status = difference_status_from_string(text(row[11])).value_or(DifferenceStatus::kOpen),
        .closed_at = optional_time(row[12]),
    };
}

constexpr const char* kAuditColumns =
    "id, flow, direction, source_ref, target_ref, action, outcome, attempt, at_us, detail";

AuditEvent read_audit(const pqxx::row& row) {
    return AuditEvent{
        .id = integer(row[0]),
        .flow = text(row[1]),
        .direction = text(row[2]),
        .source_ref = text(row[3]),
        .target_ref = text(row[4]),
        .action = audit_action_from_string(text(row[5])).value_or(AuditAction::kFail),
        .outcome = text(row[6]),
        .attempt = static_cast<int>(integer(row[7])),
        .at = time(row[8]),
        .detail = text(row[9]),
    };
}

constexpr const char* kAlertColumns =
    "id, key, flow, severity, message, status, raised_at_us, acknowledged_at_us, last_seen_us, "
    "count, resolved_at_us";

Alert read_alert(const pqxx::row& row) {
    return Alert{
        .id = integer(row[0]),
        .key = text(row[1]),
        .flow = text(row[2]),
        .severity = text(row[3]),
        .message = text(row[4]),
        .status = alert_status_from_string(text(row[5])).value_or(AlertStatus::kOpen),
        .raised_at = time(row[6]),
        .acknowledged_at = optional_time(row[7]),
        .last_seen = time(row[8]),
        .count = static_cast<int>(integer(row[9])),
        .resolved_at = optional_time(row[10]),
    };
}

template <typename Row, typename Read>
std::vector<Row> read_rows(const pqxx::result& rows, std::size_t max, Read read) {
    std::vector<Row> out;
    out.reserve(std::min<std::size_t>(rows.size(), max));
    for (const pqxx::row& row : rows) {
        if (out.size() >= max) break;
        out.push_back(read(row));
    }
    return out;
}

// ---- Operations inside a transaction (the caller holds the store's mutex). Each public method
// wraps one of these; commit_page() runs several in one transaction.

Result<void> do_put_binding(Tx& tx, const Binding& b) {
    // created_at is kept from the first write: it says when the record was first bound.
    tx.exec_params(
        "INSERT INTO bindings (flow, source_system, source_key, target_id, "
        "content_hash, state, source_version, created_at_us, updated_at_us) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (flow, source_system, source_key) DO UPDATE SET "
        "target_id = excluded.target_id, content_hash = excluded.content_hash, "
        "state = excluded.state, source_version = excluded.source_version, "
        "updated_at_us = excluded.updated_at_us",
        b.flow, b.source_system, b.source_key, b.target_id, b.content_hash,
        std::string(to_string(b.state)), b.source_version, to_us(b.created_at),
        to_us(b.updated_at));
    return ok();
}

Result<void> do_set_cursor(Tx& tx, const Cursor& c) {
    tx.exec_params(
        "INSERT INTO cursors (flow, stream, value, updated_at_us) VALUES ($1, $2, $3, "
        "$4) ON CONFLICT (flow, stream) DO UPDATE SET value = excluded.value, "
        "updated_at_us = excluded.updated_at_us",
        c.flow, c.stream, c.value, to_us(c.updated_at));
    return ok();
}

Result<std::int64_t> do_append_audit(Tx& tx, const AuditEvent& e) {
    const auto rows = tx.exec_params(
        "INSERT INTO audit (flow, direction, source_ref, target_ref, action, outcome, attempt, "
        "at_us, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        e.flow, e.direction, e.source_ref, e.target_ref, std::string(to_string(e.action)),
        e.outcome, e.attempt, to_us(e.at), e.detail);
    return integer(rows[0][0]);
}

// One open letter per (flow, system, key): failing again counts and keeps the newest error. One
// statement, so two workers parking the same record at once still make one row.
Result<std::int64_t> do_put_dead_letter(Tx& tx, const DeadLetter& letter) {
    const UtcTime last = letter.last_seen != UtcTime{} ? letter.last_seen : letter.first_seen;
    const auto rows = tx.exec_params(
        "INSERT INTO dead_letters (flow, source_system, source_key, record_json, replay_json, "
        "error_code, error_message, attempts, first_seen_us, last_seen_us, status) VALUES ($1, "
        "$2, $3, $4, $5, $6, $7, $8, $9, $10, 'open') ON CONFLICT (flow, source_system, "
        "source_key) WHERE status = 'open' DO UPDATE SET attempts = dead_letters.attempts + 1, "
        "last_seen_us = excluded.last_seen_us, error_code = excluded.error_code, error_message = "
        "excluded.error_message, record_json = excluded.record_json, replay_json = "
        "excluded.replay_json RETURNING id",
        letter.flow, letter.source_system, letter.source_key, letter.record_json,
        letter.replay_json, letter.error_code, letter.error_message, std::max(letter.attempts, 1),
        to_us(letter.first_seen), to_us(last));
    return integer(rows[0][0]);
}

Result<void> do_set_dead_letter_status(Tx& tx, std::int64_t id, DeadLetterStatus status) {
    try {
        const auto rows = tx.exec_params("UPDATE dead_letters SET status = $1 WHERE id = $2",
                                         std::string(to_string(status)), id);
        if (rows.affected_rows() == 0) return not_found("dead letter", id);
    } catch (const pqxx::unique_violation&) {
        return make_error(ErrorCode::kConflict, std::string(kSystem),
                          "dead letter " + std::to_string(id) +
                              " cannot be reopened: the same record has another open letter");
    }
    return ok();
}

// One open row per (flow, system, key): a new edit replaces what differs and counts.
Result<void> do_put_difference(Tx& tx, const Difference& d) {
    const UtcTime seen = d.last_seen != UtcTime{} ? d.last_seen : d.first_seen;
    tx.exec_params(
        "INSERT INTO differences (flow, source_system, source_key, source_ref, target_ref, "
        "content_hash, detail, edits, first_seen_us, last_seen_us, status) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, 'open') ON CONFLICT (flow, source_system, source_key) WHERE "
        "status = 'open' DO UPDATE SET source_ref = excluded.source_ref, target_ref = "
        "excluded.target_ref, content_hash = excluded.content_hash, detail = excluded.detail, "
        "edits = differences.edits + 1, last_seen_us = excluded.last_seen_us",
        d.flow, d.source_system, d.source_key, d.source_ref, d.target_ref, d.content_hash, d.detail,
        std::max(d.edits, 1), to_us(d.first_seen), to_us(seen));
    return ok();
}

Result<void> do_close_difference(Tx& tx, std::int64_t id, DifferenceStatus status, UtcTime at) {
    try {
        const auto rows =
            tx.exec_params("UPDATE differences SET status = $1, closed_at_us = $2 WHERE id = $3",
                           std::string(to_string(status)), to_us(at), id);
        if (rows.affected_rows() == 0) return not_found("difference", id);
    } catch (const pqxx::unique_violation&) {
        return make_error(ErrorCode::kConflict, std::string(kSystem),
                          "difference " + std::to_string(id) +
                              " cannot be reopened: the same record has another open one");
    }
    return ok();
}

Result<void> do_mark_inbox_done(Tx& tx, std::int64_t id) {
    const auto rows =
        tx.exec_params("UPDATE inbox SET done = true, lease_until_us = NULL WHERE id = $1", id);
    if (rows.affected_rows() == 0) return not_found("inbox event", id);
    return ok();
}

// The id of the event (held, or retired within the duplicate window) that `event` duplicates:
// by (flow, delivery_id) when there is one, and by (flow, body_hash), each an index search.
std::optional<std::int64_t> find_inbox_duplicate(Tx& tx, const InboxEvent& event) {
    const auto rows = tx.exec_params(
        "SELECT COALESCE((SELECT MIN(id) FROM inbox WHERE flow = $1 AND ((delivery_id = $2 AND "
        "delivery_id <> '') OR body_hash = $3)), (SELECT MIN(inbox_id) FROM inbox_retired_keys "
        "WHERE flow = $1 AND ((kind = 'delivery' AND key = $2 AND key <> '') OR (kind = 'body' "
        "AND key = $3))))",
        event.flow, event.delivery_id, event.body_hash);
    if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
    return integer(rows[0][0]);
}

// A vendor retrying a delivery reuses its delivery id; a replayed body without one is caught by
// its hash. Two workers storing the same delivery at once: the unique indexes let one insert win
// (ON CONFLICT DO NOTHING waits for the other's commit), and the loser reports the winner's id.
Result<AppendResult> do_append_inbox(Tx& tx, const InboxEvent& event) {
    if (auto duplicate = find_inbox_duplicate(tx, event)) {
        return AppendResult{.outcome = AppendOutcome::kDuplicate, .id = *duplicate};
    }
    const auto rows = tx.exec_params(
        "INSERT INTO inbox (flow, source, delivery_id, body_hash, topic, headers_json, body, "
        "received_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING "
        "RETURNING id",
        event.flow, event.source, event.delivery_id, event.body_hash, event.topic,
        event.headers_json, event.body, to_us(event.received_at));
    if (!rows.empty()) {
        return AppendResult{.outcome = AppendOutcome::kStored, .id = integer(rows[0][0])};
    }
    if (auto duplicate = find_inbox_duplicate(tx, event)) {
        return AppendResult{.outcome = AppendOutcome::kDuplicate, .id = *duplicate};
    }
    return storage_error("storing inbox event",
                         "the event conflicts with one this transaction cannot see");
}

// Deletes the oldest processed events received before the cut (rows another worker is retiring
// are skipped), keeping their delivery id and body hash as retired keys.
std::int64_t do_retire_inbox_events(Tx& tx, const InboxRetirement& r) {
    const auto rows = tx.exec_params(
        "WITH picked AS (SELECT id, flow, delivery_id, body_hash, received_at_us FROM inbox "
        "WHERE done AND received_at_us < $1 ORDER BY received_at_us, id LIMIT $2 "
        "FOR UPDATE SKIP LOCKED), "
        "kept AS (INSERT INTO inbox_retired_keys (flow, kind, key, inbox_id, received_at_us) "
        "SELECT flow, 'delivery', delivery_id, id, received_at_us FROM picked WHERE delivery_id "
        "<> '' UNION ALL SELECT flow, 'body', body_hash, id, received_at_us FROM picked "
        "ON CONFLICT (flow, kind, key) DO UPDATE SET inbox_id = excluded.inbox_id, "
        "received_at_us = excluded.received_at_us), "
        "gone AS (DELETE FROM inbox WHERE id IN (SELECT id FROM picked) RETURNING 1) "
        "SELECT COUNT(*) FROM gone",
        to_us(r.processed_before), clamp_limit(r.max_rows, kPostgresRetireRowsMax));
    return integer(rows[0][0]);
}

// Rows of `table` (dead_letters, differences) for an optional flow and status, the most recently
// seen first (what an operator looks at), read by `read`.
template <typename Row, typename Read>
std::vector<Row> list_by_flow_and_status(Tx& tx, std::string_view columns, std::string_view table,
                                         const std::optional<std::string>& flow,
                                         std::optional<std::string_view> status, std::size_t limit,
                                         Read read) {
    std::string sql =
        "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE true";
    std::vector<std::string> params;
    if (flow) {
        params.push_back(*flow);
        sql += " AND flow = $" + std::to_string(params.size());
    }
    if (status) {
        params.emplace_back(*status);
        sql += " AND status = $" + std::to_string(params.size());
    }
    params.push_back(std::to_string(clamp_limit(limit, kListRowsMax)));
    sql += " ORDER BY last_seen_us DESC, id DESC LIMIT $" + std::to_string(params.size());
    return read_rows<Row>(tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params)),
                          kListRowsMax, read);
}

}  // namespace

// ---- PostgresStateStore

Result<std::unique_ptr<PostgresStateStore>> PostgresStateStore::open(
    const std::string& url, const PostgresStoreOptions& options) {
    const std::string where = redact_postgres_url(url);
    if (!is_postgres_url(url)) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          "store URL " + where + " is not a postgresql:// URL");
    }
    if (!options.schema.empty() && !valid_schema_name(options.schema)) {
        return make_error(
            ErrorCode::kConfig, std::string(kSystem),
            "schema name '" + options.schema + "' must be 1-63 letters, digits or '_'");
    }
    const std::string conninfo =
        options.password.empty() ? url : with_postgres_password(url, options.password);
    auto db = std::make_unique<PgConnection>(conninfo, options, where);
    MLC_CHECK(db->connect());
    MLC_CHECK_CTX(create_schema(*db, options), "while opening " + where);
    MLC_CHECK_CTX(migrate(*db, options), "while opening " + where);
    return std::unique_ptr<PostgresStateStore>(new PostgresStateStore(std::move(db)));
}

PostgresStateStore::PostgresStateStore(std::unique_ptr<PgConnection> connection)
    : connection_(std::move(connection)) {}

PostgresStateStore::~PostgresStateStore() = default;

Result<std::vector<PostgresMigration>> PostgresStateStore::applied_migrations() {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading schema_migrations", [&](Tx& tx) -> Result<std::vector<PostgresMigration>> {
            const auto rows =
                tx.exec("SELECT version, applied_at_us FROM schema_migrations ORDER BY version");
            return read_rows<PostgresMigration>(rows, kListRowsMax, [](const pqxx::row& row) {
                return PostgresMigration{static_cast<int>(integer(row[0])), time(row[1])};
            });
        });
}

Result<void> PostgresStateStore::commit_page(const PageCommit& page) {
    std::lock_guard lock(mutex_);
    return connection_->transaction("committing page", [&](Tx& tx) -> Result<void> {
        for (const Binding& binding : page.bindings) MLC_CHECK(do_put_binding(tx, binding));
        for (const AuditEvent& event : page.audit) {
            MLC_TRY(auto id, do_append_audit(tx, event));
            (void)id;
        }
        for (const DeadLetter& letter : page.dead_letters) {
            MLC_TRY(auto id, do_put_dead_letter(tx, letter));
            (void)id;
        }
        for (std::int64_t id : page.inbox_done) MLC_CHECK(do_mark_inbox_done(tx, id));
        for (std::int64_t id : page.dead_letters_resolved) {
            MLC_CHECK(do_set_dead_letter_status(tx, id, DeadLetterStatus::kResolved));
        }
        for (const Difference& difference : page.differences) {
            MLC_CHECK(do_put_difference(tx, difference));
        }
        for (const PageCommit::Cleared& cleared : page.differences_cleared) {
            MLC_CHECK(do_close_difference(tx, cleared.id, DifferenceStatus::kCleared, cleared.at));
        }
        // The cursor last: it moves only together with everything before it.
        if (page.cursor) MLC_CHECK(do_set_cursor(tx, *page.cursor));
        return ok();
    });
}

// ---- Bindings

Result<void> PostgresStateStore::put_binding(const Binding& binding) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("writing binding",
                                   [&](Tx& tx) { return do_put_binding(tx, binding); });
}

Result<std::optional<Binding>> PostgresStateStore::get_binding(const std::string& flow,
                                                               const std::string& source_system,
                                                               const std::string& source_key) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading binding", [&](Tx& tx) -> Result<std::optional<Binding>> {
            const auto rows = tx.exec_params(std::string("SELECT ") + kBindingColumns +
                                                 " FROM bindings WHERE flow = $1 AND "
                                                 "source_system = $2 AND source_key = $3",
                                             flow, source_system, source_key);
            if (rows.empty()) return std::optional<Binding>{};
            return std::optional<Binding>{read_binding(rows[0])};
        });
}

Result<std::optional<Binding>> PostgresStateStore::find_binding_by_target(
    const std::string& flow, const std::string& target_id) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "finding binding by target", [&](Tx& tx) -> Result<std::optional<Binding>> {
            // Oldest binding first should two source records ever point at one target.
            const auto rows = tx.exec_params(std::string("SELECT ") + kBindingColumns +
                                                 " FROM bindings WHERE flow = $1 AND "
                                                 "target_id = $2 ORDER BY created_at_us LIMIT 1",
                                             flow, target_id);
            if (rows.empty()) return std::optional<Binding>{};
            return std::optional<Binding>{read_binding(rows[0])};
        });
}

Result<std::vector<Binding>> PostgresStateStore::list_bindings(const std::string& flow,
                                                               std::optional<BindingState> state,
                                                               std::size_t limit) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("listing bindings", [&](Tx& tx) -> Result<std::vector<Binding>> {
        // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
        std::string sql = std::string("SELECT ") + kBindingColumns +
                          " FROM bindings WHERE flow = $1 AND ($2 = '' OR state = $2) ORDER BY "
                          "source_system COLLATE \"C\", source_key COLLATE \"C\" LIMIT $3";
        const auto rows = tx.exec_params(sql, flow, state ? std::string(to_string(*state)) : "",
                                         clamp_limit(limit, kListRowsMax));
        return read_rows<Binding>(rows, kListRowsMax, read_binding);
    });
}

Result<std::int64_t> PostgresStateStore::count_bindings(const std::string& flow) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("counting bindings", [&](Tx& tx) -> Result<std::int64_t> {
        return integer(tx.exec_params("SELECT COUNT(*) FROM bindings WHERE flow = $1", flow)[0][0]);
    });
}

// ---- Cursors

Result<std::optional<Cursor>> PostgresStateStore::get_cursor(const std::string& flow,
                                                             const std::string& stream) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("reading cursor", [&](Tx& tx) -> Result<std::optional<Cursor>> {
        const auto rows = tx.exec_params(
            "SELECT flow, stream, value, updated_at_us FROM cursors "
            "WHERE flow = $1 AND stream = $2",
            flow, stream);
        if (rows.empty()) return std::optional<Cursor>{};
        return std::optional<Cursor>{Cursor{.flow = text(rows[0][0]),
                                            .stream = text(rows[0][1]),
                                            .value = text(rows[0][2]),
                                            .updated_at = time(rows[0][3])}};
    });
}

Result<void> PostgresStateStore::set_cursor(const Cursor& cursor) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("writing cursor",
                                   [&](Tx& tx) { return do_set_cursor(tx, cursor); });
}

// ---- Inbox

Result<AppendResult> PostgresStateStore::append_inbox(const InboxEvent& event) {
    std::lock_guard lock(mutex_);
    return connection_->transaction("appending inbox event",
                                    [&](Tx& tx) { return do_append_inbox(tx, event); });
}

Result<std::vector<AppendResult>> PostgresStateStore::append_inbox_batch(
    const std::vector<InboxAppend>& deliveries) {
    std::lock_guard lock(mutex_);
    return connection_->transaction(
        "appending inbox events", [&](Tx& tx) -> Result<std::vector<AppendResult>> {
            std::vector<AppendResult> out;
            out.reserve(deliveries.size());
            for (const InboxAppend& delivery : deliveries) {
                MLC_TRY(AppendResult appended, do_append_inbox(tx, delivery.event));
                if (appended.outcome == AppendOutcome::kStored) {
                    AuditEvent receipt = delivery.receipt;
                    receipt.target_ref = "inbox:" + std::to_string(appended.id);
                    MLC_TRY(auto id, do_append_audit(tx, receipt));
                    (void)id;
                }
                out.push_back(appended);
            }
            return out;
        });
}

Result<RetiredInbox> PostgresStateStore::retire_inbox(const InboxRetirement& retirement) {
    std::lock_guard lock(mutex_);
    return connection_->transaction("retiring inbox events", [&](Tx& tx) -> Result<RetiredInbox> {
        RetiredInbox out;
        out.events = do_retire_inbox_events(tx, retirement);
        const auto forgotten = tx.exec_params(
            "DELETE FROM inbox_retired_keys WHERE id IN (SELECT id FROM inbox_retired_keys "
            "WHERE received_at_us < $1 ORDER BY received_at_us LIMIT $2)",
            to_us(retirement.keys_before), static_cast<std::int64_t>(kPostgresRetireRowsMax));
        out.keys = static_cast<std::int64_t>(forgotten.affected_rows());
        return out;
    });
}

// One statement: pick the oldest free events and lease them. FOR UPDATE SKIP LOCKED lets several
// workers lease at once without waiting for each other and without handing one event to two.
Result<std::vector<InboxEvent>> PostgresStateStore::lease_inbox(const std::string& flow,
                                                                const std::string& owner,
                                                                UtcTime now,
                                                                std::chrono::seconds lease,
                                                                std::size_t max) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "leasing inbox events", [&](Tx& tx) -> Result<std::vector<InboxEvent>> {
            std::string columns;
            for (std::string_view column :
                 {"id", "flow", "source", "delivery_id", "body_hash", "topic", "headers_json",
                  "body", "received_at_us", "attempts", "lease_until_us", "lease_owner", "done"}) {
                columns += (columns.empty() ? "i." : ", i.") + std::string(column);
            }
            const auto rows = tx.exec_params(
                "WITH picked AS (SELECT id FROM inbox WHERE flow = $1 AND NOT done AND "
                "(lease_until_us IS NULL OR lease_until_us <= $2) ORDER BY received_at_us, id "
                "LIMIT $3 FOR UPDATE SKIP LOCKED) UPDATE inbox i SET lease_owner = $4, "
                "lease_until_us = $5, attempts = i.attempts + 1 FROM picked WHERE i.id = "
                "picked.id RETURNING " +
                    columns,
                flow, to_us(now), clamp_limit(max, kInboxLeaseMax), owner, to_us(now + lease));
            auto out = read_rows<InboxEvent>(rows, kInboxLeaseMax, read_inbox);
            // RETURNING has no order: oldest first, as they were picked.
            std::sort(out.begin(), out.end(), [](const InboxEvent& a, const InboxEvent& b) {
                return std::tie(a.received_at, a.id) < std::tie(b.received_at, b.id);
            });
            return out;
        });
}

Result<void> PostgresStateStore::mark_inbox_done(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("marking inbox event done",
                                   [&](Tx& tx) { return do_mark_inbox_done(tx, id); });
}

Result<std::int64_t> PostgresStateStore::count_inbox(const std::string& flow, bool done) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("counting inbox events", [&](Tx& tx) -> Result<std::int64_t> {
        return integer(tx.exec_params("SELECT COUNT(*) FROM inbox WHERE flow = $1 AND done = $2",
                                      flow, done)[0][0]);
    });
}

// ---- Dead letters

Result<std::int64_t> PostgresStateStore::put_dead_letter(const DeadLetter& letter) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("parking dead letter",
                                   [&](Tx& tx) { return do_put_dead_letter(tx, letter); });
}

Result<std::optional<DeadLetter>> PostgresStateStore::get_dead_letter(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading dead letter", [&](Tx& tx) -> Result<std::optional<DeadLetter>> {
            const auto rows = tx.exec_params(
                std::string("SELECT ") + kDeadLetterColumns + " FROM dead_letters WHERE id = $1",
                id);
            if (rows.empty()) return std::optional<DeadLetter>{};
            return std::optional<DeadLetter>{read_dead_letter(rows[0])};
        });
}

Result<std::vector<DeadLetter>> PostgresStateStore::list_dead_letters(
    std::optional<std::string> flow, std::optional<DeadLetterStatus> status, std::size_t limit) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "listing dead letters", [&](Tx& tx) -> Result<std::vector<DeadLetter>> {
            return list_by_flow_and_status<DeadLetter>(
                tx, kDeadLetterColumns, "dead_letters", flow,
                status ? std::optional<std::string_view>(to_string(*status)) : std::nullopt, limit,
                read_dead_letter);
        });
}

Result<void> PostgresStateStore::set_dead_letter_status(std::int64_t id, DeadLetterStatus status) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("setting dead letter status", [&](Tx& tx) {
        return do_set_dead_letter_status(tx, id, status);
    });
}

// ---- Differences

Result<std::vector<Difference>> PostgresStateStore::list_differences(
    std::optional<std::string> flow, std::optional<DifferenceStatus> status, std::size_t limit) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "listing differences", [&](Tx& tx) -> Result<std::vector<Difference>> {
            return list_by_flow_and_status<Difference>(
                tx, kDifferenceColumns, "differences", flow,
                status ? std::optional<std::string_view>(to_string(*status)) : std::nullopt, limit,
                read_difference);
        });
}

Result<void> PostgresStateStore::set_difference_status(std::int64_t id, DifferenceStatus status,
                                                       UtcTime at) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("setting difference status",
                                   [&](Tx& tx) { return do_close_difference(tx, id, status, at); });
}

// ---- Audit

Result<std::int64_t> PostgresStateStore::append_audit(const AuditEvent& event) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("appending audit event",
                                   [&](Tx& tx) { return do_append_audit(tx, event); });
}

Result<std::vector<AuditEvent>> PostgresStateStore::query_audit(const AuditQuery& query) {
    if ((query.source_key && query.source_key->empty()) ||
        (query.target_id && query.target_id->empty())) {
        return std::vector<AuditEvent>{};  // An empty key is no segment of any ref.
    }
    // A key narrows through the GIN index of its ref's segments by its first segment; strpos()
    // then checks the whole key segment-exactly (a key holding ':' spans consecutive segments).
    std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit WHERE true";
    std::vector<std::string> params;
    const auto param = [&](std::string value) {
        params.push_back(std::move(value));
        return "$" + std::to_string(params.size());
    };
    const std::pair<const std::optional<std::string>*, std::string_view> keys[] = {
        {&query.source_key, "source"}, {&query.target_id, "target"}};
    for (const auto& [key, side] : keys) {
        if (!*key) continue;
        const std::string& whole = **key;
        sql += " AND " + std::string(side) + "_segments @> ARRAY[" +
               param(whole.substr(0, whole.find(':'))) + "::text]";
        sql += " AND strpos(':' || " + std::string(side) + "_ref || ':', ':' || " + param(whole) +
               " || ':') > 0";
    }
    if (query.flow) sql += " AND flow = " + param(*query.flow);
    if (query.from) sql += " AND at_us >= " + param(std::to_string(to_us(*query.from)));
    if (query.to) sql += " AND at_us < " + param(std::to_string(to_us(*query.to)));
    sql += " ORDER BY at_us DESC, id DESC LIMIT " +
           param(std::to_string(clamp_limit(query.limit, kListRowsMax)));

    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "querying audit", [&](Tx& tx) -> Result<std::vector<AuditEvent>> {
            return read_rows<AuditEvent>(
                tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params)), kListRowsMax,
                read_audit);
        });
}

Result<std::int64_t> PostgresStateStore::retire_audit(const AuditRetirement& retirement) {
    std::lock_guard lock(mutex_);
    return connection_->transaction("retiring audit events", [&](Tx& tx) -> Result<std::int64_t> {
        tx.exec_params("SELECT set_config('mlc.audit_retire_before', $1, true)",
                       std::to_string(to_us(retirement.before)));
        const auto rows = tx.exec_params(
            "WITH picked AS (SELECT id, flow, action, outcome, at_us FROM audit WHERE at_us < $1 "
            "ORDER BY at_us, id LIMIT $2 FOR UPDATE SKIP LOCKED), "
            "counted AS (INSERT INTO audit_summary (day, flow, action, outcome, count) SELECT "
            "to_char(timestamp 'epoch' + at_us * interval '1 microsecond', 'YYYY-MM-DD'), flow, "
            "action, outcome, COUNT(*) FROM picked GROUP BY 1, 2, 3, 4 ON CONFLICT (day, flow, "
            "action, outcome) DO UPDATE SET count = audit_summary.count + excluded.count), "
            "gone AS (DELETE FROM audit WHERE id IN (SELECT id FROM picked) RETURNING 1) "
            "SELECT COUNT(*) FROM gone",
            to_us(retirement.before), clamp_limit(retirement.max_rows, kPostgresRetireRowsMax));
        tx.exec("SELECT set_config('mlc.audit_retire_before', '', true)");
        return integer(rows[0][0]);
    });
}

Result<std::vector<AuditSummaryRow>> PostgresStateStore::audit_summary(
    const std::optional<std::string>& flow, std::size_t limit) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading the audit summary", [&](Tx& tx) -> Result<std::vector<AuditSummaryRow>> {
            const std::string order =
                R"( ORDER BY day DESC, flow COLLATE "C", action COLLATE "C", outcome COLLATE "C")"
                " LIMIT ";
            const std::string columns =
                "SELECT day, flow, action, outcome, count FROM audit_summary";
            const auto limited = clamp_limit(limit, kListRowsMax);
            const auto rows =
                flow ? tx.exec_params(columns + " WHERE flow = $1" + order + "$2", *flow, limited)
                     : tx.exec_params(columns + order + "$1", limited);
            return read_rows<AuditSummaryRow>(rows, kListRowsMax, [](const pqxx::row& row) {
                return AuditSummaryRow{.day = text(row[0]),
                                       .flow = text(row[1]),
                                       .action = text(row[2]),
                                       .outcome = text(row[3]),
                                       .count = integer(row[4])};
            });
        });
}

// ---- Alerts

Result<std::int64_t> PostgresStateStore::raise_alert(const Alert& alert) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("raising alert", [&](Tx& tx) -> Result<std::int64_t> {
        // Same problem again while nobody acknowledged it: one alert, newest words; raised_at
        // keeps when the problem started.
        const auto rows = tx.exec_params(
            "INSERT INTO alerts (key, flow, severity, message, status, raised_at_us, "
            "last_seen_us) VALUES ($1, $2, $3, $4, 'open', $5, $5) ON CONFLICT (key) WHERE "
            "status = 'open' DO UPDATE SET flow = excluded.flow, severity = excluded.severity, "
            "message = excluded.message, last_seen_us = excluded.last_seen_us, count = "
            "alerts.count + 1 RETURNING id",
            alert.key, alert.flow, alert.severity, alert.message, to_us(alert.raised_at));
        return integer(rows[0][0]);
    });
}

Result<std::vector<Alert>> PostgresStateStore::list_alerts(std::optional<AlertStatus> status) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("listing alerts", [&](Tx& tx) -> Result<std::vector<Alert>> {
        const auto rows = tx.exec_params(std::string("SELECT ") + kAlertColumns +
                                             " FROM alerts WHERE ($1 = '' OR status = $1) ORDER "
                                             "BY raised_at_us DESC, id DESC LIMIT $2",
                                         status ? std::string(to_string(*status)) : "",
                                         clamp_limit(kAlertsListMax, kAlertsListMax));
        return read_rows<Alert>(rows, kAlertsListMax, read_alert);
    });
}

Result<void> PostgresStateStore::acknowledge_alert(std::int64_t id, UtcTime at) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("acknowledging alert", [&](Tx& tx) -> Result<void> {
        // Acknowledging twice keeps the first time; a resolved alert stays resolved.
        const auto rows = tx.exec_params(
            "UPDATE alerts SET status = CASE status WHEN 'resolved' THEN 'resolved' "
            "ELSE 'acknowledged' END, "
            "acknowledged_at_us = COALESCE(acknowledged_at_us, $1) "
            "WHERE id = $2",
            to_us(at), id);
        if (rows.affected_rows() == 0) return not_found("alert", id);
        return ok();
    });
}

Result<int> PostgresStateStore::resolve_alert(const std::string& key, UtcTime at) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("resolving alert", [&](Tx& tx) -> Result<int> {
        const auto rows = tx.exec_params(
            "UPDATE alerts SET status = 'resolved', resolved_at_us = "
            "$1 WHERE key = $2 AND status IN ('open', 'acknowledged')",
            to_us(at), key);
        return static_cast<int>(rows.affected_rows());
    });
}

// ---- Tokens

Result<void> PostgresStateStore::put_token(const TokenRecord& token) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("writing token", [&](Tx& tx) -> Result<void> {
        tx.exec_params(
            "INSERT INTO tokens (connection, ciphertext, expires_at_us, "
            "obtained_at_us) VALUES ($1, $2, $3, $4) ON CONFLICT (connection) DO "
            "UPDATE SET ciphertext = excluded.ciphertext, expires_at_us = "
            "excluded.expires_at_us, obtained_at_us = excluded.obtained_at_us",
            token.connection, pqxx::binarystring(token.ciphertext), to_us(token.expires_at),
            to_us(token.obtained_at));
        return ok();
    });
}

Result<std::optional<TokenRecord>> PostgresStateStore::get_token(const std::string& connection) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading token", [&](Tx& tx) -> Result<std::optional<TokenRecord>> {
            const auto rows = tx.exec_params(
                "SELECT connection, ciphertext, expires_at_us, "
                "obtained_at_us FROM tokens WHERE connection = $1",
                connection);
            if (rows.empty()) return std::optional<TokenRecord>{};
            return std::optional<TokenRecord>{
                TokenRecord{.connection = text(rows[0][0]),
                            .ciphertext = pqxx::binarystring(rows[0][1]).str(),
                            .expires_at = time(rows[0][2]),
                            .obtained_at = time(rows[0][3])}};
        });
}

Result<void> PostgresStateStore::delete_token(const std::string& connection) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("deleting token", [&](Tx& tx) -> Result<void> {
        tx.exec_params("DELETE FROM tokens WHERE connection = $1", connection);
        return ok();
    });
}

Result<int> PostgresStateStore::count_token_request(const std::string& connection, UtcTime now) {
    std::lock_guard lock(mutex_);
    // One statement: atomic across workers. The day is UTC (see the SQLite store).
    return connection_->autocommit("counting token request", [&](Tx& tx) -> Result<int> {
        const auto rows = tx.exec_params(
            "INSERT INTO token_requests (connection, utc_day, count) VALUES ($1, $2, 1) ON "
            "CONFLICT (connection, utc_day) DO UPDATE SET count = token_requests.count + 1 "
            "RETURNING count",
            connection, utc_day(now));
        return static_cast<int>(integer(rows[0][0]));
    });
}

Result<RequestSlot> PostgresStateStore::take_request_slot(const std::string& key, int limit,
                                                          std::chrono::milliseconds window,
                                                          UtcTime now) {
    if (limit < 1 || window.count() <= 0) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "request budget " + key + ": the limit and the window must be positive");
    }
    const std::int64_t now_us = to_us(now);
    const std::int64_t window_us =
        std::chrono::duration_cast<std::chrono::microseconds>(window).count();
    std::lock_guard lock(mutex_);
    // The key's lock (for this transaction only) orders the workers: count, then take or refuse.
    return connection_->transaction("taking a request slot", [&](Tx& tx) -> Result<RequestSlot> {
        tx.exec_params(
            "SELECT pg_advisory_xact_lock(hashtext('mlc-rate:' || current_schema() || ':' || $1))",
            key);
        tx.exec_params("DELETE FROM request_slots WHERE key = $1 AND at_us <= $2", key,
                       now_us - window_us);
        const auto counted =
            tx.exec_params("SELECT count(*) FROM request_slots WHERE key = $1", key);
        const std::int64_t taken = integer(counted[0][0]);
        if (taken < limit) {
            tx.exec_params("INSERT INTO request_slots (key, at_us) VALUES ($1, $2)", key, now_us);
            return RequestSlot{.granted = true, .retry_at = now};
        }
        // Full: a slot frees when the request `taken - limit` places from the oldest leaves.
        const auto oldest = tx.exec_params(
            "SELECT at_us FROM request_slots WHERE key = $1 ORDER BY at_us OFFSET $2 LIMIT 1", key,
            taken - limit);
        return RequestSlot{.granted = false,
                           .retry_at = from_us(integer(oldest[0][0]) + window_us)};
    });
}

Result<int> PostgresStateStore::token_requests_on(const std::string& connection, UtcTime day) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("reading token request count", [&](Tx& tx) -> Result<int> {
        const auto rows = tx.exec_params(
            "SELECT count FROM token_requests WHERE connection = $1 "
            "AND utc_day = $2",
            connection, utc_day(day));
        return rows.empty() ? 0 : static_cast<int>(integer(rows[0][0]));
    });
}

// ---- Leases

Result<bool> PostgresStateStore::acquire_lease(const std::string& name, const std::string& owner,
                                               UtcTime now, UtcTime until) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("acquiring lease", [&](Tx& tx) -> Result<bool> {
        // Taken when free, expired (until <= now) or already ours (then extended); otherwise the
        // upsert's WHERE leaves the row alone and returns nothing. The upsert locks the row, so
        // two workers racing for an expired lease cannot both win.
        const auto rows = tx.exec_params(
            "INSERT INTO leases (name, owner, until_us) VALUES ($1, $2, $4) ON CONFLICT (name) DO "
            "UPDATE SET owner = excluded.owner, until_us = excluded.until_us WHERE "
            "leases.until_us <= $3 OR leases.owner = excluded.owner RETURNING 1",
            name, owner, to_us(now), to_us(until));
        return !rows.empty();
    });
}

Result<void> PostgresStateStore::release_lease(const std::string& name, const std::string& owner) {
    std::lock_guard lock(mutex_);
    // Only the holder releases: a late release by a former owner must not free a new holder's.
    return connection_->autocommit("releasing lease", [&](Tx& tx) -> Result<void> {
        tx.exec_params("DELETE FROM leases WHERE name = $1 AND owner = $2", name, owner);
        return ok();
    });
}

Result<std::optional<LeaseHolder>> PostgresStateStore::lease_holder(const std::string& name) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading lease", [&](Tx& tx) -> Result<std::optional<LeaseHolder>> {
            const auto rows =
                tx.exec_params("SELECT owner, until_us FROM leases WHERE name = $1", name);
            if (rows.empty()) return std::optional<LeaseHolder>{};
            return std::optional<LeaseHolder>{
                LeaseHolder{.owner = text(rows[0][0]), .until = time(rows[0][1])}};
        });
}

// ---- Settings

Result<void> PostgresStateStore::put_setting(const std::string& key, const std::string& value) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("writing setting", [&](Tx& tx) -> Result<void> {
        tx.exec_params(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO "
            "UPDATE SET value = excluded.value",
            key, value);
        return ok();
    });
}

Result<std::optional<std::string>> PostgresStateStore::get_setting(const std::string& key) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading setting", [&](Tx& tx) -> Result<std::optional<std::string>> {
            const auto rows = tx.exec_params("SELECT value FROM settings WHERE key = $1", key);
            if (rows.empty()) return std::optional<std::string>{};
            return std::optional<std::string>{text(rows[0][0])};
        });
}

// ---- Console users and sessions

namespace {

constexpr const char* kConsoleUserColumns = "name, role, password_hash, created_at_us";

ConsoleUser read_console_user(const pqxx::row& row) {
    return {.name = text(row[0]),
            .role = text(row[1]),
            .password_hash = text(row[2]),
            .created_at = time(row[3])};
}

}  // namespace

Result<void> PostgresStateStore::put_console_user(const ConsoleUser& user) {
    std::lock_guard lock(mutex_);
    // Replacing deletes the old row first: its sessions go with it (a new password logs out).
    return connection_->transaction("writing console user", [&](Tx& tx) -> Result<void> {
        tx.exec_params("DELETE FROM console_users WHERE name = $1", user.name);
        tx.exec_params(
            "INSERT INTO console_users (name, role, password_hash, created_at_us) "
            "VALUES ($1, $2, $3, $4)",
            user.name, user.role, user.password_hash, to_us(user.created_at));
        return ok();
    });
}

Result<std::optional<ConsoleUser>> PostgresStateStore::get_console_user(const std::string& name) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading console user", [&](Tx& tx) -> Result<std::optional<ConsoleUser>> {
            const auto rows = tx.exec_params(std::string("SELECT ") + kConsoleUserColumns +
                                                 " FROM console_users WHERE name = $1",
                                             name);
            if (rows.empty()) return std::optional<ConsoleUser>{};
            return std::optional<ConsoleUser>{read_console_user(rows[0])};
        });
}

Result<std::vector<ConsoleUser>> PostgresStateStore::list_console_users() {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "listing console users", [&](Tx& tx) -> Result<std::vector<ConsoleUser>> {
            const auto rows = tx.exec_params(std::string("SELECT ") + kConsoleUserColumns +
                                                 " FROM console_users ORDER BY name COLLATE "
                                                 "\"C\" LIMIT $1",
                                             clamp_limit(kConsoleUsersMax, kConsoleUsersMax));
            return read_rows<ConsoleUser>(rows, kConsoleUsersMax, read_console_user);
        });
}

Result<void> PostgresStateStore::remove_console_user(const std::string& name) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("removing console user", [&](Tx& tx) -> Result<void> {
        const auto rows = tx.exec_params("DELETE FROM console_users WHERE name = $1", name);
        if (rows.affected_rows() > 0) return ok();
        return make_error(ErrorCode::kNotFound, std::string(kSystem),
                          "no console user named " + name);
    });
}

Result<void> PostgresStateStore::put_console_session(const ConsoleSession& session) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("writing console session", [&](Tx& tx) -> Result<void> {
        tx.exec_params(
            "INSERT INTO console_sessions (id_hash, user_name, csrf_token, "
            "created_at_us, last_seen_us) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
            "(id_hash) DO UPDATE SET user_name = excluded.user_name, csrf_token = "
            "excluded.csrf_token, created_at_us = excluded.created_at_us, "
            "last_seen_us = excluded.last_seen_us",
            session.id_hash, session.user, session.csrf_token, to_us(session.created_at),
            to_us(session.last_seen));
        return ok();
    });
}

Result<std::optional<ConsoleSession>> PostgresStateStore::get_console_session(
    const std::string& id_hash) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit(
        "reading console session", [&](Tx& tx) -> Result<std::optional<ConsoleSession>> {
            const auto rows = tx.exec_params(
                "SELECT id_hash, user_name, csrf_token, created_at_us, "
                "last_seen_us FROM console_sessions WHERE id_hash = $1",
                id_hash);
            if (rows.empty()) return std::optional<ConsoleSession>{};
            return std::optional<ConsoleSession>{ConsoleSession{.id_hash = text(rows[0][0]),
                                                                .user = text(rows[0][1]),
                                                                .csrf_token = text(rows[0][2]),
                                                                .created_at = time(rows[0][3]),
                                                                .last_seen = time(rows[0][4])}};
        });
}

Result<void> PostgresStateStore::remove_console_session(const std::string& id_hash) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("removing console session", [&](Tx& tx) -> Result<void> {
        tx.exec_params("DELETE FROM console_sessions WHERE id_hash = $1", id_hash);
        return ok();
    });
}

Result<std::int64_t> PostgresStateStore::prune_console_sessions(UtcTime created_before,
                                                                UtcTime seen_before) {
    std::lock_guard lock(mutex_);
    return connection_->autocommit("pruning console sessions", [&](Tx& tx) -> Result<std::int64_t> {
        const auto rows = tx.exec_params(
            "DELETE FROM console_sessions WHERE created_at_us < $1 "
            "OR last_seen_us < $2",
            to_us(created_before), to_us(seen_before));
        return static_cast<std::int64_t>(rows.affected_rows());
    });
}

}  // namespace mlc::store

#pragma once
// PostgresStateStore: the StateStore on PostgreSQL 15 (libpqxx 6.4), for several mlc workers
// sharing one database. See state_store.hpp for the contract every implementation keeps and
// store/README.md for the choices (leases, times, migrations).
//
// Lifecycle: open() connects with a libpq URL ("postgresql://user:password@host:port/db"), sets
// every session option explicitly (search_path when a schema is given, TimeZone UTC,
// synchronous_commit on, lock_timeout) and applies the pending schema migrations, each in its own
// transaction under an advisory lock (several workers starting at once migrate once). A database
// written by a newer mlc is refused with a kStorage error. The URL (and its password) is never
// logged nor put in an error message: errors name the host, port and database only.
//
// Thread safety: every public method is safe to call from several threads. One connection is
// shared behind one mutex: calls of one process are serialized; several processes (workers) each
// have their own connection and PostgreSQL coordinates them (row locks, SKIP LOCKED, upserts).
//
// Ownership: owns its connection; borrows nothing. Non-copyable, non-movable.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/state_store.hpp"

namespace mlc::store {

namespace detail {
class PgConnection;  // The pqxx connection (postgres_state_store.cpp).
}

// The newest schema version this binary writes (one per migration in postgres_state_store.cpp).
inline constexpr int kPostgresSchemaVersion = 3;

// Bounds on any one answer, whatever `limit` or `max` the caller passes (as for SQLite).
inline constexpr std::size_t kPostgresListRowsMax = 10'000;
inline constexpr std::size_t kPostgresInboxLeaseMax = 500;
inline constexpr std::size_t kPostgresAlertsListMax = 1'000;
inline constexpr std::size_t kPostgresRetireRowsMax = 100'000;

struct PostgresStoreOptions {
    // The schema holding mlc's tables (created when missing; letters, digits and '_' only). Empty:
    // the connection's own search_path (normally "public"). One database can hold several
    // installations, one schema each.
    std::string schema = {};
    // How long a statement waits for another worker's row lock before failing with kStorage
    // (PostgreSQL's lock_timeout; its default of 0 would wait forever).
    std::chrono::milliseconds lock_timeout{5000};
    // Shown in pg_stat_activity: which worker holds which connection.
    std::string application_name = "mlc";
    // applied_at of schema migrations; when null, the server's clock stamps them.
    const Clock* clock = nullptr;
    // The password (from the vault: store.password_secret), given to libpq as its `password`
    // parameter, over one in the URL. Empty: the URL's, or none. Never logged.
    std::string password = {};
};

struct PostgresMigration {
    int version = 0;
    UtcTime applied_at{};
};

// "postgresql://user@host:5432/db" with the password (and any query string) left out: what error
// messages and logs may show of a store URL.
std::string redact_postgres_url(std::string_view url);

// True for "postgresql://..." and "postgres://..." URLs.
bool is_postgres_url(std::string_view url);

// `url` with libpq's `password` parameter added to its query string (percent-encoded): what the
// store connects with when the password comes from the vault. Never log it: it holds the password.
std::string with_postgres_password(std::string_view url, std::string_view password);

// The answer of take_request_slot(): granted now, or refused until `retry_at`.
struct RequestSlot {
    bool granted = false;
    UtcTime retry_at = {};  // Granted: now. Refused: when the oldest request leaves the window.
};

class PostgresStateStore final : public StateStore {
  public:
    static Result<std::unique_ptr<PostgresStateStore>> open(
        const std::string& url, const PostgresStoreOptions& options = {});
    ~PostgresStateStore() override;
    PostgresStateStore(const PostgresStateStore&) = delete;
    PostgresStateStore& operator=(const PostgresStateStore&) = delete;

    // The rows of schema_migrations, oldest first.
    Result<std::vector<PostgresMigration>> applied_migrations();

    Result<void> commit_page(const PageCommit& page) override;

    Result<void> put_binding(const Binding& binding) override;
    Result<std::optional<Binding>> get_binding(const std::string& flow,
                                               const std::string& source_system,
                                               const std::string& source_key) override;
    Result<std::optional<Binding>> find_binding_by_target(const std::string& flow,
                                                          const std::string& target_id) override;
    Result<std::vector<Binding>> list_bindings(const std::string& flow,
                                               std::optional<BindingState> state,
                                               std::size_t limit) override;
    Result<std::int64_t> count_bindings(const std::string& flow) override;

    Result<std::optional<Cursor>> get_cursor(const std::string& flow,
                                             const std::string& stream) override;
    Result<void> set_cursor(const Cursor& cursor) override;

    Result<AppendResult> append_inbox(const InboxEvent& event) override;
    Result<std::vector<AppendResult>> append_inbox_batch(
        const std::vector<InboxAppend>& deliveries) override;
    Result<RetiredInbox> retire_inbox(const InboxRetirement& retirement) override;
    Result<std::int64_t> retire_audit(const AuditRetirement& retirement) override;
    Result<std::vector<AuditSummaryRow>> audit_summary(const std::optional<std::string>& flow,
                                                       std::size_t limit) override;
    Result<std::vector<InboxEvent>> lease_inbox(const std::string& flow, const std::string& owner,
                                                UtcTime now, std::chrono::seconds lease,
                                                std::size_t max) override;
    Result<void> mark_inbox_done(std::int64_t id) override;
    Result<std::int64_t> count_inbox(const std::string& flow, bool done) override;

    Result<std::int64_t> put_dead_letter(const DeadLetter& letter) override;
    Result<std::optional<DeadLetter>> get_dead_letter(std::int64_t id) override;
    Result<std::vector<DeadLetter>> list_dead_letters(std::optional<std::string> flow,
                                                      std::optional<DeadLetterStatus> status,
                                                      std::size_t limit) override;
    Result<void> set_dead_letter_status(std::int64_t id, DeadLetterStatus status) override;

    Result<std::int64_t> append_audit(const AuditEvent& event) override;
    Result<std::vector<AuditEvent>> query_audit(const AuditQuery& query) override;

    Result<std::vector<Difference>> list_differences(std::optional<std::string> flow,
                                                     std::optional<DifferenceStatus> status,
                                                     std::size_t limit) override;
    Result<void> set_difference_status(std::int64_t id, DifferenceStatus status,
                                       UtcTime at) override;

    Result<std::int64_t> raise_alert(const Alert& alert) override;
    Result<std::vector<Alert>> list_alerts(std::optional<AlertStatus> status) override;
    Result<void> acknowledge_alert(std::int64_t id, UtcTime at) override;
    Result<int> resolve_alert(const std::string& key, UtcTime at) override;

    Result<void> put_token(const TokenRecord& token) override;
    Result<std::optional<TokenRecord>> get_token(const std::string& connection) override;
    Result<void> delete_token(const std::string& connection) override;
    Result<int> count_token_request(const std::string& connection, UtcTime now) override;
    Result<int> token_requests_on(const std::string& connection, UtcTime day) override;
    // A request budget shared by every worker on this database (store/README.md, "Rate limits
    // across workers"): takes one of `limit` requests per sliding `window` for `key` (a
    // credential, e.g. "shipstation:<api key id>") at `now` (the injected UTC clock), or refuses
    // with the time a slot frees. No two workers together ever get more than `limit` slots in
    // any `window` (given clocks that agree). kInvalidInput for a limit or window below 1.
    Result<RequestSlot> take_request_slot(const std::string& key, int limit,
                                          std::chrono::milliseconds window, UtcTime now);

    Result<bool> acquire_lease(const std::string& name, const std::string& owner, UtcTime now,
                               UtcTime until) override;
    Result<void> release_lease(const std::string& name, const std::string& owner) override;
    Result<std::optional<LeaseHolder>> lease_holder(const std::string& name) override;

    Result<void> put_setting(const std::string& key, const std::string& value) override;
    Result<std::optional<std::string>> get_setting(const std::string& key) override;

    Result<void> put_console_user(const ConsoleUser& user) override;
    Result<std::optional<ConsoleUser>> get_console_user(const std::string& name) override;
    Result<std::vector<ConsoleUser>> list_console_users() override;
    Result<void> remove_console_user(const std::string& name) override;
    Result<void> put_console_session(const ConsoleSession& session) override;
    Result<std::optional<ConsoleSession>> get_console_session(const std::string& id_hash) override;
    Result<void> remove_console_session(const std::string& id_hash) override;
    Result<std::int64_t> prune_console_sessions(UtcTime created_before,
                                                UtcTime seen_before) override;

  private:
    explicit PostgresStateStore(std::unique_ptr<detail::PgConnection> connection);

    std::mutex mutex_;  // Guards connection_: one call at a time.
    std::unique_ptr<detail::PgConnection> connection_;
};

}  // namespace mlc::store

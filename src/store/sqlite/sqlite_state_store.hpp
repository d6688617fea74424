#pragma once
// SqliteStateStore: the embedded StateStore, one SQLite file per installation (or ":memory:" in
// tests). See state_store.hpp for the contract every implementation keeps.
//
// Lifecycle: open() creates or opens the file, sets every connection option explicitly (WAL,
// synchronous=FULL, busy_timeout, foreign_keys) and applies the pending schema migrations, each in
// its own transaction. A file written by a newer mlc (a schema version this binary does not know)
// is refused with a kStorage error instead of being half-understood. The destructor finalizes the
// cached statements and closes the connection.
//
// Thread safety: every public method is safe to call from several threads. One connection is
// shared behind one mutex: calls are serialized (SQLite allows one writer at a time anyway), and
// each call is one transaction. Several processes may open the same file (daemon + CLI): SQLite
// locks it, a writer waits up to `busy_timeout` and then the call fails with kStorage (retry the
// page later); nothing crashes on a busy database.
//
// Ownership: owns its connection and statements; borrows nothing. Non-copyable, non-movable (use
// the unique_ptr open() returns).

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
class SqliteConnection;  // The sqlite3 handle and its statement cache (sqlite_state_store.cpp).
}

// The newest schema version this binary writes (one per migration in sqlite_state_store.cpp).
inline constexpr int kSqliteSchemaVersion = 6;

// Bounds on any one answer, whatever `limit` or `max` the caller passes.
inline constexpr std::size_t kSqliteListRowsMax = 10'000;     // list_*, query_audit rows.
inline constexpr std::size_t kSqliteInboxLeaseMax = 500;      // Events per lease_inbox().
inline constexpr std::size_t kSqliteAlertsListMax = 1'000;    // list_alerts() rows.
inline constexpr std::size_t kSqliteRetireRowsMax = 100'000;  // Events per retire_inbox().

struct SqliteStoreOptions {
    // How long a write waits for another process's lock before failing with kStorage. Explicit,
    // never SQLite's default of 0 (fail at once). SQLite waits inside the library.
    std::chrono::milliseconds busy_timeout{5000};
    // applied_at of schema migrations; when null, SQLite's own clock stamps them (informational
    // only: nothing reads applied_at back to make a decision).
    const Clock* clock = nullptr;
};

struct AppliedMigration {
    int version = 0;
    UtcTime applied_at{};
};

class SqliteStateStore final : public StateStore {
  public:
    // `path` is a file name or ":memory:" (a private database that disappears on close).
    static Result<std::unique_ptr<SqliteStateStore>> open(const std::string& path,
                                                          const SqliteStoreOptions& options = {});
    ~SqliteStateStore() override;
    SqliteStateStore(const SqliteStateStore&) = delete;
    SqliteStateStore& operator=(const SqliteStateStore&) = delete;

    // The rows of schema_migrations, oldest first.
    Result<std::vector<AppliedMigration>> applied_migrations();

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
    // PRAGMA incremental_vacuum on files made with auto_vacuum = INCREMENTAL (every file this
    // store creates); 0 on older files (their free pages are reused, not given back).
    Result<std::int64_t> reclaim_space(std::int64_t pages) override;
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
    explicit SqliteStateStore(std::unique_ptr<detail::SqliteConnection> connection);

    std::mutex mutex_;  // Guards connection_: one call at a time.
    std::unique_ptr<detail::SqliteConnection> connection_;
};

}  // namespace mlc::store

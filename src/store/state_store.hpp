#pragma once
// StateStore: everything ml-connector remembers between runs. SQLite (sqlite/) is the embedded
// default; PostgreSQL (postgres/) shares state between several workers. Callers only see
// this interface, and one contract suite (testing/state_store_contract.hpp) runs on every
// implementation.
//
// Atomicity: commit_page() is the unit of progress. Bindings, the cursor, audit events, dead
// letters and inbox "done" marks of one page land together or not at all, so a crash between two
// writes can never move a cursor past an unwritten record.
//
// Thread safety: implementations are safe to call from several threads; each call is its own
// transaction. Times are UTC.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace mlc::store {

enum class BindingState { kPending, kConfirmed };

// (flow, source system, source key) -> target id. A kPending binding is written *before* an
// uncertain target write, so that after a crash the flow looks the record up in the target by its
// source key instead of writing it again.
struct Binding {
    std::string flow;
    std::string source_system;
    std::string source_key;
    std::string target_id;     // Empty while pending and not yet known.
    std::string content_hash;  // Hash of the canonical record last written: unchanged -> skip.
    BindingState state = BindingState::kPending;
    std::string source_version;  // e.g. Woo date_modified_gmt: never overwrite newer with older.
    UtcTime created_at{};
    UtcTime updated_at{};
};

struct Cursor {
    std::string flow;
    std::string stream;  // "orders", "shipments", ...
    std::string value;   // Opaque to the store: an ISO time, a SysRevID, a page token.
    UtcTime updated_at{};
};

// A verified event received from a vendor (webhook), stored before it is acknowledged.
struct InboxEvent {
    std::int64_t id = 0;
    std::string flow;
    std::string source;       // "woocommerce", "shipstation"
    std::string delivery_id;  // Vendor delivery id when there is one
    std::string body_hash;    // Hex SHA-256 of the raw body
    std::string topic;        // "order.updated", "SHIP_NOTIFY"
    std::string headers_json;
    std::string body;
    UtcTime received_at{};
    int attempts = 0;
    std::optional<UtcTime> lease_until;
    std::string lease_owner;
    bool done = false;
};

enum class AppendOutcome { kStored, kDuplicate };
struct AppendResult {
    AppendOutcome outcome = AppendOutcome::kStored;
    std::int64_t id = 0;  // The stored event's id (the earlier one for a duplicate).
};

// What retire_inbox() removes: processed events received before `processed_before` (at most
// `max_rows` per call), and retired keys received before `keys_before` (the duplicate window).
struct InboxRetirement {
    UtcTime processed_before{};
    UtcTime keys_before{};
    std::size_t max_rows = 10'000;
};
struct RetiredInbox {
    std::int64_t events = 0;  // Processed events deleted (== max_rows: more may be due).
    std::int64_t keys = 0;    // Retired keys forgotten (past the duplicate window).
};

// Audit retention (retire_audit): events before `before` are deleted, oldest first, at most
// `max_rows` per call, and counted into the per-day summary in the same transaction.
struct AuditRetirement {
    UtcTime before{};
    std::size_t max_rows = 10'000;
};

// What the audit log said of one UTC day once its events were retired: how many events of one
// flow had one action and outcome.
struct AuditSummaryRow {
    std::string day = {};  // "2025-06-02"
    std::string flow = {};
    std::string action = {};  // to_string(AuditAction)
    std::string outcome = {};
    std::int64_t count = 0;
};

enum class DeadLetterStatus { kOpen, kReplayed, kResolved };

struct DeadLetter {
    std::int64_t id = 0;
    std::string flow;
    std::string source_system;
    std::string source_key;
    std::string record_json;  // The record as received (canonical or vendor JSON)
    std::string replay_json;  // What is needed to replay it (stream, ids, resource_url...)
    std::string error_code;   // to_string(ErrorCode)
    std::string error_message;
    int attempts = 1;
    UtcTime first_seen{};
    UtcTime last_seen{};
    DeadLetterStatus status = DeadLetterStatus::kOpen;
};

enum class AuditAction {
    kCreate,
    kUpdate,
    kSkip,
    kFail,
    kPark,
    kReplay,
    kReceive,
    kReject,
    kDelete,
    kLogin,   // A console login (outcome "ok", "denied" or "locked"); the user in source_ref
    kLogout,  // A console logout or an expired session
};

struct AuditEvent {
    std::int64_t id = 0;
    std::string flow;
    std::string direction;   // "shipstation->epicor"
    std::string source_ref;  // "shipstation:order:SS-1001"
    std::string target_ref;  // "epicor:SalesOrder:5001"
    AuditAction action = AuditAction::kCreate;
    std::string outcome;  // "ok", or the error code
    int attempt = 1;
    UtcTime at{};
    std::string detail;  // Short, human, no secrets
};

// One verified delivery and the audit event recording its receipt, appended together
// (append_inbox_batch).
struct InboxAppend {
    InboxEvent event = {};
    // Written in the same transaction only when `event` is stored (never for a duplicate); the
    // store sets its target_ref to "inbox:<id>".
    AuditEvent receipt = {};
};

struct AuditQuery {
    std::optional<std::string> flow;
    std::optional<std::string> source_key;  // matches source_ref containing the key
    std::optional<std::string> target_id;   // matches target_ref containing the id
    std::optional<UtcTime> from;
    std::optional<UtcTime> to;
    std::size_t limit = 1000;
};
// query_audit() semantics (every implementation, proved by the contract suite):
//  * source_key / target_id match whole ':'-separated segments of the ref, case-sensitive:
//    "SS-1001" matches "shipstation:order:SS-1001", "SS-1" does not; a key that itself holds ':'
//    matches consecutive segments (see ref_has_segment()).
//  * The time range is half-open: from <= at < to.
//  * Results are newest first (at descending, then id descending), so `limit` keeps the most
//    recent events: operators look at what just happened.

// kOpen: the problem goes on. kAcknowledged: a person (or the code that raised it) said it is
// seen. kResolved: the code that watches the problem saw it end (resolve_alert()); an
// acknowledged alert can still become resolved.
enum class AlertStatus { kOpen, kAcknowledged, kResolved };

struct Alert {
    std::int64_t id = 0;
    std::string key;  // Dedupe key: raising an open alert with the same key updates it
    std::string flow;
    std::string severity;  // "warning", "error"
    std::string message;   // What is wrong and how to fix it
    AlertStatus status = AlertStatus::kOpen;
    UtcTime raised_at{};  // When the problem was first raised (kept while the alert is open).
    std::optional<UtcTime> acknowledged_at;
    // Set by the store: the `raised_at` of the latest raise_alert() of this open alert, and how
    // many raises it has seen (the first one included).
    UtcTime last_seen = {};
    int count = 1;
    std::optional<UtcTime> resolved_at = {};
};

enum class DifferenceStatus { kOpen, kCleared, kDismissed };

// A record the source and the target disagree on because the target keeps it locked (a shipped
// ShipStation order edited later at the source): never retried nor overwritten; it stays open,
// one per (flow, source system, source key), until the two agree again (kCleared by the pipeline)
// or a person dismisses it (kDismissed). `mlc differences` lists them.
struct Difference {
    std::int64_t id = 0;
    std::string flow = {};
    std::string source_system = {};  // The stream's binding system ("acumatica").
    std::string source_key = {};     // "SO000123"
    std::string source_ref = {};     // Audit refs of both sides.
    std::string target_ref = {};
    std::string content_hash = {};  // The source content that differs: the same edit adds nothing.
    std::string detail = {};        // What differs and the fix.
    int edits = 1;                  // Source edits seen while open (the first included).
    UtcTime first_seen{};
    UtcTime last_seen{};
    DifferenceStatus status = DifferenceStatus::kOpen;
    std::optional<UtcTime> closed_at = {};  // Cleared or dismissed.
};

// A cached token, already encrypted by the vault: the store never sees plaintext.
struct TokenRecord {
    std::string connection;
    std::string ciphertext;  // Opaque bytes
    UtcTime expires_at{};
    UtcTime obtained_at{};
};

// A person who may log in to the web console (console/users.hpp: roles, hashing). The store
// keeps the Argon2id hash string only; the password itself never reaches it.
struct ConsoleUser {
    std::string name = {};
    std::string role = {};           // "viewer", "operator" or "admin"
    std::string password_hash = {};  // libsodium crypto_pwhash_str() output
    UtcTime created_at{};
};

// A logged-in console session. The store holds a hash of the cookie value only, so a copy of the
// state file opens no session.
struct ConsoleSession {
    std::string id_hash = {};     // Hex SHA-256 of the session cookie value
    std::string user = {};        // ConsoleUser::name
    std::string csrf_token = {};  // Sent back by the page in a header on every write
    UtcTime created_at{};         // Absolute expiry counts from here
    UtcTime last_seen{};          // Idle expiry counts from here
};

// Everything one page of a flow changes, committed in one transaction.
struct PageCommit {
    std::vector<Binding> bindings;
    std::optional<Cursor> cursor;
    std::vector<AuditEvent> audit;
    std::vector<DeadLetter> dead_letters;
    std::vector<std::int64_t> inbox_done;
    std::vector<std::int64_t> dead_letters_resolved;  // Replayed successfully
    // Open differences recorded (upserted on flow, system, key while open: content_hash, detail,
    // target_ref and last_seen replaced, edits + 1) and ones the records agree on again (cleared).
    struct Cleared {
        std::int64_t id = 0;
        UtcTime at{};
    };
    std::vector<Difference> differences = {};
    std::vector<Cleared> differences_cleared = {};
};

// Details every implementation keeps (the contract suite proves each):
//  * Unknown ids (mark_inbox_done, set_dead_letter_status, acknowledge_alert) are kNotFound; in
//    commit_page() any failing part rolls the whole page back. Store failures are kStorage.
//  * put_binding() keeps the first created_at on update. Ordering of source_version is the flow's
//    job: the store does not compare versions.
//  * lease_inbox() and acquire_lease(): a lease is free again once `until <= now`.
//  * list_dead_letters(): most recently failing first (last_seen descending).
//  * raise_alert() on an open key keeps the id and raised_at (when the problem started), takes
//    the new flow, severity and message, sets last_seen to the new raised_at and adds one to
//    count; list_alerts() is newest raised_at first. An acknowledged or resolved alert is not
//    open: raising its key again makes a new alert.
//  * resolve_alert(key, at) marks every open or acknowledged alert of `key` kResolved with
//    resolved_at = at (acknowledged_at stays) and answers how many it marked (0: nothing open,
//    which is no error). Acknowledging a resolved alert records acknowledged_at only: it stays
//    resolved.
//  * Token request counters are keyed by UTC calendar day: they roll over at 00:00 UTC.
// The holder of a run lease (acquire_lease) and when its hold ends.
struct LeaseHolder {
    std::string owner;
    UtcTime until;
};

class StateStore {
  public:
    virtual ~StateStore() = default;

    // Atomic: all of `page` or nothing.
    virtual Result<void> commit_page(const PageCommit& page) = 0;

    // Bindings
    virtual Result<void> put_binding(const Binding& binding) = 0;
    virtual Result<std::optional<Binding>> get_binding(const std::string& flow,
                                                       const std::string& source_system,
                                                       const std::string& source_key) = 0;
    virtual Result<std::optional<Binding>> find_binding_by_target(const std::string& flow,
                                                                  const std::string& target_id) = 0;
    virtual Result<std::vector<Binding>> list_bindings(const std::string& flow,
                                                       std::optional<BindingState> state,
                                                       std::size_t limit) = 0;
    virtual Result<std::int64_t> count_bindings(const std::string& flow) = 0;

    // Cursors
    virtual Result<std::optional<Cursor>> get_cursor(const std::string& flow,
                                                     const std::string& stream) = 0;
    virtual Result<void> set_cursor(const Cursor& cursor) = 0;

    // Inbox. append_inbox() dedupes on (flow, delivery_id) when delivery_id is set, and on
    // (flow, body_hash) always, against the events held and the keys of retired ones (below); a
    // duplicate is reported with the earlier id, not stored twice.
    virtual Result<AppendResult> append_inbox(const InboxEvent& event) = 0;
    // The webhook intake's group commit (store/inbox_commit_queue.hpp): every delivery and its
    // receipt in ONE transaction (one durable commit), deduped as append_inbox() and also against
    // earlier deliveries of the same batch; results in order. All or nothing: on an error none is
    // stored.
    virtual Result<std::vector<AppendResult>> append_inbox_batch(
        const std::vector<InboxAppend>& deliveries) = 0;
    // Retention: deletes processed events (done) received before `processed_before`, oldest first,
    // at most `max_rows`, keeping their delivery id and body hash as retired keys so a redelivery
    // is still a duplicate; then forgets retired keys received before `keys_before`. Events not
    // done are never deleted. The audit log keeps every receipt.
    virtual Result<RetiredInbox> retire_inbox(const InboxRetirement& retirement) = 0;
    // Leases up to `max` not-done events whose lease is free or expired, oldest first.
    virtual Result<std::vector<InboxEvent>> lease_inbox(const std::string& flow,
                                                        const std::string& owner, UtcTime now,
                                                        std::chrono::seconds lease,
                                                        std::size_t max) = 0;
    virtual Result<void> mark_inbox_done(std::int64_t id) = 0;
    virtual Result<std::int64_t> count_inbox(const std::string& flow, bool done) = 0;

    // Dead letters. put_dead_letter() upserts on (flow, source_system, source_key) while open:
    // attempts += 1, last_seen and error updated.
    virtual Result<std::int64_t> put_dead_letter(const DeadLetter& letter) = 0;
    virtual Result<std::optional<DeadLetter>> get_dead_letter(std::int64_t id) = 0;
    virtual Result<std::vector<DeadLetter>> list_dead_letters(
        std::optional<std::string> flow, std::optional<DeadLetterStatus> status,
        std::size_t limit) = 0;
    virtual Result<void> set_dead_letter_status(std::int64_t id, DeadLetterStatus status) = 0;

    // Audit: append-only, but for retention.
    virtual Result<std::int64_t> append_audit(const AuditEvent& event) = 0;
    virtual Result<std::vector<AuditEvent>> query_audit(const AuditQuery& query) = 0;
    // Retention: deletes the events before `before` (oldest first, at most max_rows) and adds
    // each to the summary row of its UTC day, flow, action and outcome, in one transaction;
    // answers how many it deleted (== max_rows: more may be due). Nothing else deletes audit
    // events (the stores refuse it). Every real store implements these (the contract suite
    // proves it); the defaults answer kInternal so that test fakes need not.
    virtual Result<std::int64_t> retire_audit(const AuditRetirement& retirement);
    // Summary rows of `flow` (or every flow), newest day first, then flow, action, outcome.
    virtual Result<std::vector<AuditSummaryRow>> audit_summary(
        const std::optional<std::string>& flow, std::size_t limit);
    // Gives up to `pages` free pages back to the file system where the store keeps them (SQLite
    // files made with incremental auto-vacuum); answers how many. 0 by default (PostgreSQL:
    // autovacuum does it).
    virtual Result<std::int64_t> reclaim_space(std::int64_t pages);

    // Differences (records a locked target keeps apart): newest last_seen first.
    virtual Result<std::vector<Difference>> list_differences(std::optional<std::string> flow,
                                                             std::optional<DifferenceStatus> status,
                                                             std::size_t limit) = 0;
    // kCleared or kDismissed (closed_at = at); kNotFound for an unknown id.
    virtual Result<void> set_difference_status(std::int64_t id, DifferenceStatus status,
                                               UtcTime at) = 0;

    // Alerts
    virtual Result<std::int64_t> raise_alert(const Alert& alert) = 0;
    virtual Result<std::vector<Alert>> list_alerts(std::optional<AlertStatus> status) = 0;
    virtual Result<void> acknowledge_alert(std::int64_t id, UtcTime at) = 0;
    // The problem behind `key` ended (engine/alert_rules.hpp). Every real store implements it
    // (the contract suite proves it); the default answers kInternal so that test fakes need not.
    virtual Result<int> resolve_alert(const std::string& key, UtcTime at);

    // Token cache (ciphertext only) and per-connection daily token-request counters.
    virtual Result<void> put_token(const TokenRecord& token) = 0;
    virtual Result<std::optional<TokenRecord>> get_token(const std::string& connection) = 0;
    virtual Result<void> delete_token(const std::string& connection) = 0;
    // Adds one to the count for (connection, UTC day of `now`) and returns the new count.
    virtual Result<int> count_token_request(const std::string& connection, UtcTime now) = 0;
    virtual Result<int> token_requests_on(const std::string& connection, UtcTime day) = 0;

    // Leases for runs: at most one holder of `name` until `until`. Returns true when acquired
    // (free, expired, or already held by `owner`, in which case it is extended).
    virtual Result<bool> acquire_lease(const std::string& name, const std::string& owner,
                                       UtcTime now, UtcTime until) = 0;
    virtual Result<void> release_lease(const std::string& name, const std::string& owner) = 0;
    // Who holds `name`, expired or not; nullopt when nobody does.
    virtual Result<std::optional<LeaseHolder>> lease_holder(const std::string& name) = 0;

    // Small key/value settings (mapping tables live in config; this is for runtime state such as
    // registered webhook ids).
    virtual Result<void> put_setting(const std::string& key, const std::string& value) = 0;
    virtual Result<std::optional<std::string>> get_setting(const std::string& key) = 0;

    // Console users and sessions (console/auth.hpp). Every real store implements these (the
    // contract suite proves it); the defaults answer kInternal so that test fakes need not.
    //  * put_console_user() inserts or replaces by name; replacing (new password or role) ends
    //    every session of that user. remove_console_user() ends them too; kNotFound if unknown.
    //  * list_console_users() is by name.
    //  * put_console_session() inserts or replaces by id_hash (last_seen moves on use);
    //    get_console_session() of an unknown hash is nullopt; remove_console_session() of an
    //    unknown hash is ok (logging out twice is harmless).
    //  * prune_console_sessions() removes sessions created before `created_before` or last seen
    //    before `seen_before` (expired either way) and returns how many.
    virtual Result<void> put_console_user(const ConsoleUser& user);
    virtual Result<std::optional<ConsoleUser>> get_console_user(const std::string& name);
    virtual Result<std::vector<ConsoleUser>> list_console_users();
    virtual Result<void> remove_console_user(const std::string& name);
    virtual Result<void> put_console_session(const ConsoleSession& session);
    virtual Result<std::optional<ConsoleSession>> get_console_session(const std::string& id_hash);
    virtual Result<void> remove_console_session(const std::string& id_hash);
    virtual Result<std::int64_t> prune_console_sessions(UtcTime created_before,
                                                        UtcTime seen_before);
};

std::string_view to_string(BindingState state);
std::string_view to_string(DeadLetterStatus status);
std::string_view to_string(AuditAction action);
std::string_view to_string(AlertStatus status);
std::string_view to_string(DifferenceStatus status);

// Inverses of to_string(); nullopt for text no to_string() produces.
std::optional<BindingState> binding_state_from_string(std::string_view text);
std::optional<DeadLetterStatus> dead_letter_status_from_string(std::string_view text);
std::optional<AuditAction> audit_action_from_string(std::string_view text);
std::optional<AlertStatus> alert_status_from_string(std::string_view text);
std::optional<DifferenceStatus> difference_status_from_string(std::string_view text);

// True when `key` equals one ':'-separated segment of `ref` (or a run of consecutive segments when
// the key holds ':'): the audit query rule above, shared by every implementation.
bool ref_has_segment(std::string_view ref, std::string_view key);

}  // namespace mlc::store

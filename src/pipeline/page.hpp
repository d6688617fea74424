#pragma once
// Page: the only builder of a store::PageCommit. Everything one page of a flow changes (bindings,
// audit events with their direction and both refs, dead letters with a replay key, healed
// letters, inbox "done" marks and the stream's new position) is gathered here and committed
// together, so a crash can never move a cursor past a record that was neither written nor parked.
//
// Parking is quiet: a record parked again with the same content and the same error while its
// letter is open (a poll re-reading it inside the overlap window) adds no letter, no audit row and
// no log line; the run counts it as still parked (letters.hpp). An unchanged record leaves no
// audit row either: runs count skips in their summary.
//
// Lifecycle: one per page (or inbox batch, or replay). Thread safety: none (one run is one
// thread). Ownership: borrows the run context and the open letters, which outlive it.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/flow_runner.hpp"
#include "pipeline/letters.hpp"
#include "store/state_store.hpp"

namespace mlc::pipeline {

// A record that could not be written: what the dead letter and its audit event say.
struct Parking {
    std::string system;       // Binding system of the stream ("shipstation").
    std::string key;          // The record's key ("SS-1001"); empty for unreadable records.
    std::string ref;          // Audit source ref.
    std::string label;        // For the log: "ShipStation order 1001".
    std::string record_json;  // What the vendor sent.
    std::string replay_json;  // What replay needs to read it again (pipeline::replay_key()).
    Error error;
    std::string target_ref =
        {};  // The target record it is bound to, when it is ("epicor:order:5012").
};

// A record the target refuses because it keeps it locked (ErrorCode::kLocked: a shipped order):
// what the difference and its audit event say.
struct Differing {
    std::string system;      // Binding system of the stream.
    std::string key;         // The record's key.
    std::string ref;         // Audit source ref.
    std::string target_ref;  // The locked target record.
    std::string label;       // "Acumatica sales order SO000123".
    std::string hash;        // The source content that differs.
    Error error;             // The target's refusal: what differs and the fix.
};

class Page {
  public:
    Page(engine::RunContext& ctx, std::string direction, OpenLetters* letters);

    void audit(std::string source_ref, std::string target_ref, store::AuditAction action,
               std::string outcome, std::string detail);
    void bind(store::Binding binding);
    // The binding of (system, key): one written earlier in this page first, then the store's.
    Result<std::optional<store::Binding>> binding(const std::string& system,
                                                  const std::string& key);
    // Parks the record; false when it was already parked like this (nothing added).
    bool park(const Parking& parking);
    // The record was written or deliberately skipped: its open letter, if any, is resolved.
    void healed(const std::string& system, const std::string& key);
    // Records the difference (audit, store::Difference, its letter healed); false when it is
    // open with this very content already (nothing added: the same edit counts once).
    bool differ(const Differing& differing);
    // True when (system, key) is open as differing with content `hash`: nothing to send again.
    bool differs_as(const std::string& system, const std::string& key,
                    const std::string& hash) const;
    // Source and target agree again (written, or the source back at what the target holds): the
    // open difference, if any, is cleared, with an audit event.
    void agreed(const std::string& system, const std::string& key, const std::string& ref,
                const std::string& target_ref);
    void settle(std::int64_t inbox_event) { commit_.inbox_done.push_back(inbox_event); }
    void settle(std::int64_t inbox_event, store::AuditEvent audit);
    // The stream's position once this page is committed.
    void position(const std::string& stream, const std::string& value);

    // Commits everything (nothing in a dry run); the page is empty again afterwards.
    Result<void> commit();
    bool empty() const;

    engine::RunContext& ctx() { return ctx_; }
    const std::string& direction() const { return direction_; }

  private:
    engine::RunContext& ctx_;
    std::string direction_;
    OpenLetters* letters_;
    store::PageCommit commit_;
};

// The replay key a dead letter keeps: {"stream": <stream>, "ref": <SourceIdentity::replay>}.
std::string replay_key(const std::string& stream, const std::string& replay);
// Its parts; nullopt when the letter holds none (an unreadable record: nothing to fetch again).
struct ReplayKey {
    std::string stream;
    std::string ref;
};
std::optional<ReplayKey> parse_replay_key(const std::string& replay_json);

}  // namespace mlc::pipeline

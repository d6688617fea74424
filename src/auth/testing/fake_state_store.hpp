#pragma once
// FakeStateStore: an in-memory StateStore holding only what the token manager uses (token cache,
// daily token-request counters per connection and UTC day, alerts). Every other member answers
// kInternal: a test that reaches one needs the real store. Tests may inspect the stored
// ciphertext and make the next token reads fail.
//
// Lifecycle: a test object. Thread safety: all members are safe to call from several threads.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/state_store.hpp"

namespace mlc::auth::testing {

class FakeStateStore final : public store::StateStore {
  public:
    // Test control: token_requests_on answers 0, as when another process counts between a read
    // and the count that follows it.
    void make_counter_reads_stale() {
        std::lock_guard lock(mutex_);
        stale_counter_reads_ = true;
    }

    // ---- What the token manager uses. ----
    Result<void> put_token(const store::TokenRecord& token) override {
        std::lock_guard lock(mutex_);
        tokens_[token.connection] = token;
        return ok();
    }
    Result<std::optional<store::TokenRecord>> get_token(const std::string& connection) override {
        std::lock_guard lock(mutex_);
        auto it = tokens_.find(connection);
        if (it == tokens_.end()) return std::optional<store::TokenRecord>{};
        return std::optional<store::TokenRecord>{it->second};
    }
    Result<void> delete_token(const std::string& connection) override {
        std::lock_guard lock(mutex_);
        tokens_.erase(connection);
        return ok();
    }
    Result<int> count_token_request(const std::string& connection, UtcTime now) override {
        std::lock_guard lock(mutex_);
        return ++counters_[{connection, day_of(now)}];
    }
    Result<int> token_requests_on(const std::string& connection, UtcTime day) override {
        std::lock_guard lock(mutex_);
        if (stale_counter_reads_) return 0;
        auto it = counters_.find({connection, day_of(day)});
        return it == counters_.end() ? 0 : it->second;
    }
    Result<std::int64_t> raise_alert(const store::Alert& alert) override {
        std::lock_guard lock(mutex_);
        for (auto& existing : alerts_) {
            if (existing.key == alert.key && existing.status == store::AlertStatus::kOpen) {
                existing.message = alert.message;
                existing.raised_at = alert.raised_at;
                return existing.id;
            }
        }
        store::Alert stored = alert;
        stored.id = static_cast<std::int64_t>(alerts_.size()) + 1;
        alerts_.push_back(stored);
        return stored.id;
    }
    Result<std::vector<store::Alert>> list_alerts(
        std::optional<store::AlertStatus> status) override {
        std::lock_guard lock(mutex_);
        std::vector<store::Alert> out;
        for (const auto& alert : alerts_) {
            if (!status || alert.status == *status) out.push_back(alert);
        }
        return out;
    }
    Result<void> acknowledge_alert(std::int64_t id, UtcTime at) override {
        std::lock_guard lock(mutex_);
        for (auto& alert : alerts_) {
            if (alert.id == id) {
                alert.status = store::AlertStatus::kAcknowledged;
                alert.acknowledged_at = at;
            }
        }
        return ok();
    }

    // ---- Not used by the token manager. ----
    Result<void> commit_page(const store::PageCommit&) override { return unsupported(); }
    Result<void> put_binding(const store::Binding&) override { return unsupported(); }
    Result<std::optional<store::Binding>> get_binding(const std::string&, const std::string&,
                                                      const std::string&) override {
        return unsupported();
    }
    Result<std::optional<store::Binding>> find_binding_by_target(const std::string&,
                                                                 const std::string&) override {
        return unsupported();
    }
    Result<std::vector<store::Binding>> list_bindings(const std::string&,
                                                      std::optional<store::BindingState>,
                                                      std::size_t) override {
        return unsupported();
    }
    Result<std::int64_t> count_bindings(const std::string&) override { return unsupported(); }
    Result<std::optional<store::Cursor>> get_cursor(const std::string&,
                                                    const std::string&) override {
        return unsupported();
    }
    Result<void> set_cursor(const store::Cursor&) override { return unsupported(); }
    Result<store::AppendResult> append_inbox(const store::InboxEvent&) override {
        return unsupported();
    }
    Result<std::vector<store::InboxEvent>> lease_inbox(const std::string&, const std::string&,
                                                       UtcTime, std::chrono::seconds,
                                                       std::size_t) override {
        return unsupported();
    }
    Result<void> mark_inbox_done(std::int64_t) override { return unsupported(); }
    Result<std::int64_t> count_inbox(const std::string&, bool) override { return unsupported(); }
    Result<std::int64_t> put_dead_letter(const store::DeadLetter&) override {
        return unsupported();
    }
    Result<std::optional<store::DeadLetter>> get_dead_letter(std::int64_t) override {
        return unsupported();
    }
    Result<std::vector<store::DeadLetter>> list_dead_letters(std::optional<std::string>,
                                                             std::optional<store::DeadLetterStatus>,
                                                             std::size_t) override {
        return unsupported();
    }
    Result<void> set_dead_letter_status(std::int64_t, store::DeadLetterStatus) override {
        return unsupported();
    }
    Result<std::int64_t> append_audit(const store::AuditEvent&) override { return unsupported(); }
    Result<std::vector<store::AuditEvent>> query_audit(const store::AuditQuery&) override {
        return unsupported();
    }
    Result<bool> acquire_lease(const std::string&, const std::string&, UtcTime, UtcTime) override {
        return unsupported();
    }
    Result<void> release_lease(const std::string&, const std::string&) override {
        return unsupported();
    }
    Result<void> put_setting(const std::string&, const std::string&) override {
        return unsupported();
    }
    Result<std::optional<std::string>> get_setting(const std::string&) override {
        return unsupported();
    }

  private:
    static Error unsupported() {
        return make_error(ErrorCode::kInternal, "store",
                          "FakeStateStore holds only tokens, token counters and alerts");
    }
    static std::int64_t day_of(UtcTime t) {
        return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
    }

    std::mutex mutex_;
    bool stale_counter_reads_ = false;
    std::map<std::string, store::TokenRecord> tokens_;
    std::map<std::pair<std::string, std::int64_t>, int> counters_;
    std::vector<store::Alert> alerts_;
};

}  // namespace mlc::auth::testing

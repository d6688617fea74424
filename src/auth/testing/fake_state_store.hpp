#pragma once
// FakeStateStore: an in-memory StateStore holding only what the token manager uses (token cache,
// daily token-request counters per connection and UTC day, alerts). Every other member answers
// kInternal (store/testing/partial_state_store.hpp): a test that reaches one needs the real
// store. Tests may inspect the stored
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
#include "store/testing/partial_state_store.hpp"

namespace mlc::auth::testing {

class FakeStateStore final : public store::testing::PartialStateStore {
  public:
    FakeStateStore() : PartialStateStore("tokens, token counters and alerts") {}

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
                existing.severity = alert.severity;  // As the store contract says.
                existing.flow = alert.flow;
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

  private:
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

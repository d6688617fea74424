#pragma once
// TokenManager: the credentials of one connection. It applies static headers (CredentialHeaders:
// Basic, API keys) and, when the connection has a TokenSource, a token that it
//  * caches sealed by the Vault in the StateStore (survives a restart: a new manager on the same
//    store reuses the cached token instead of asking again; the store never sees plaintext);
//  * refreshes ahead of expiry by `refresh_skew` (at most half the token's lifetime);
//  * refreshes on one thread while the others wait for it (no stampede): one refresh in flight;
//  * counts against a daily token-request budget per connection and UTC day (UPS: about 250 a
//    day is widely reported). When spent, calls fail fast with kBudgetExhausted and an alert is
//    raised in the store, instead of asking the vendor again; a token still unexpired is used
//    until it expires. The request that reaches `budget_warn_percent` of the budget raises the
//    same alert as a warning first, so a person looks before the budget runs out.
// authorized_call() applies the credentials, sends, and on 401 refreshes once and retries once;
// a second 401 returns kAuthFailed naming the connection and the fix. No loops.
//
// Tokens, secrets and token request/response bodies never reach an error message.
//
// Lifecycle: one per connection, built at start-up; call release() before shutting down to end a
// vendor session (Acumatica logout). Thread safety: every member is safe to call from several
// threads. Ownership: owns its TokenSource; borrows the clock, store and vault, which must outlive
// it.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/credential_headers.hpp"
#include "auth/token_source.hpp"
#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_types.hpp"
#include "store/state_store.hpp"

namespace mlc::auth {

// UPS publishes no daily token limit, but about 250 token requests a day is widely reported
// (ups.md, Token).
constexpr int kUpsDailyTokenBudget = 250;
// The token request that spends this share of a daily budget raises a warning alert.
constexpr int kBudgetWarnPercent = 80;

using SendFn = std::function<Result<net::HttpResponse>(const net::HttpRequest&)>;
// Builds the error for a call still refused with 401 (e.g. epicor_auth_error for Basic-only Epicor
// connections, which have no TokenSource to ask).
using RejectionDescriber =
    std::function<Error(const net::HttpResponse& response, std::string_view connection)>;

struct TokenManagerOptions {
    std::string connection;  // "ups-main": the cache row, the budget counter, error messages.
    std::string system;      // "ups": the system named in errors.
    std::chrono::seconds refresh_skew{300};  // Refresh this long before expiry.
    std::optional<int> daily_token_budget;   // Token requests per UTC day; nullopt: unlimited.
    // The share of the budget (percent) whose request raises the warning alert (ups: 80 %).
    int budget_warn_percent = kBudgetWarnPercent;
    RejectionDescriber describe_rejection;  // Optional; else the source's, else a generic one.
};

class TokenManager {
  public:
    // `source` may be null: the connection then uses static `headers` only (Basic, API keys).
    TokenManager(TokenManagerOptions options, std::unique_ptr<TokenSource> source,
                 CredentialHeaders headers, Clock& clock, store::StateStore& store,
                 const Vault& vault);
    TokenManager(const TokenManager&) = delete;
    TokenManager& operator=(const TokenManager&) = delete;

    // Adds the connection's credentials to `request`, obtaining or refreshing a token if needed.
    Result<void> apply(net::HttpRequest& request);

    // apply + send; on 401 one refresh and one retry; a second 401 -> kAuthFailed.
    Result<net::HttpResponse> authorized_call(const net::HttpRequest& request, const SendFn& send);

    // Forgets the current token (memory and cache) after a 401 seen elsewhere.
    Result<void> invalidate();

    // Ends the vendor session if there is one (Acumatica logout) and forgets the token.
    Result<void> release();

    const std::string& connection() const { return options_.connection; }

    // Callers blocked on another caller's refresh right now (observability and tests).
    int callers_waiting();

  private:
    struct Held {
        std::optional<Token> token;
        std::uint64_t generation = 0;
    };

    // The current credential; refreshes when it is stale or when it is the `rejected` generation.
    Result<Held> current(std::optional<std::uint64_t> rejected);
    // Runs without the lock, on one thread at a time (refreshing_ set): cache, budget, fetch.
    Result<Token> obtain(bool use_cache, const std::optional<Token>& previous);
    Result<void> spend_budget(UtcTime now);
    Error budget_spent(UtcTime now);  // Raises the alert; kBudgetExhausted with retry_after.
    void warn_budget(UtcTime now, int counted);  // At budget_warn_percent: the warning alert.
    Result<void> apply_held(const Held& held, net::HttpRequest& request) const;
    bool fresh(const Token& token, UtcTime now) const;
    Error rejection(const net::HttpResponse& response) const;
    std::string who() const;

    TokenManagerOptions options_;
    std::unique_ptr<TokenSource> source_;
    CredentialHeaders headers_;
    Clock& clock_;
    store::StateStore& store_;
    const Vault& vault_;

    std::mutex mutex_;
    std::condition_variable refreshed_;
    std::optional<Token> token_;    // Guarded by mutex_.
    std::uint64_t generation_ = 0;  // Bumped on every new token; guarded by mutex_.
    bool refreshing_ = false;       // One refresh in flight; guarded by mutex_.
    // Budget spent while the current token still worked: use it without refreshing until then.
    UtcTime budget_wait_until_{};              // Guarded by mutex_.
    int waiting_ = 0;                          // Callers blocked in current(); guarded by mutex_.
    std::uint64_t refreshes_done_ = 0;         // Guarded by mutex_.
    std::optional<Error> last_refresh_error_;  // Of the last refresh; guarded by mutex_.
};

}  // namespace mlc::auth

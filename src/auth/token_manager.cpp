#include "auth/token_manager.hpp"

#include <algorithm>
#include <utility>

namespace mlc::auth {
namespace {

// A caller waits for at most this many refreshes by other threads before giving up; each round
// ends with a token, an error, or this caller refreshing itself.
constexpr int kRefreshRoundsMax = 4;

UtcTime next_utc_midnight(UtcTime now) {
    return std::chrono::floor<std::chrono::days>(now) + std::chrono::days{1};
}

}  // namespace

TokenManager::TokenManager(TokenManagerOptions options, std::unique_ptr<TokenSource> source,
                           CredentialHeaders headers, Clock& clock, store::StateStore& store,
                           const Vault& vault)
    : options_(std::move(options)),
      source_(std::move(source)),
      headers_(std::move(headers)),
      clock_(clock),
      store_(store),
      vault_(vault) {
    if (options_.system.empty() && source_) options_.system = std::string(source_->system());
}

std::string TokenManager::who() const { return "connection '" + options_.connection + "'"; }

bool TokenManager::fresh(const Token& token, UtcTime now) const {
    // A skew longer than the token's life would refresh forever: cap it at half the lifetime.
    const auto lifetime = token.expires_at - token.obtained_at;
    const auto skew = std::min<std::chrono::microseconds>(
        std::chrono::duration_cast<std::chrono::microseconds>(options_.refresh_skew), lifetime / 2);
    return now < token.expires_at - skew;
}

Result<void> TokenManager::apply(net::HttpRequest& request) {
    MLC_TRY(Held held, current(std::nullopt));
    return apply_held(held, request);
}

Result<void> TokenManager::apply_held(const Held& held, net::HttpRequest& request) const {
    MLC_CHECK_CTX(headers_.apply(vault_, request), "while adding the credentials of " + who());
    if (held.token) source_->apply(*held.token, request);
    return ok();
}

Result<net::HttpResponse> TokenManager::authorized_call(const net::HttpRequest& request,
                                                        const SendFn& send) {
    MLC_TRY(Held held, current(std::nullopt));
    net::HttpRequest attempt = request;
    MLC_CHECK(apply_held(held, attempt));
    MLC_TRY(net::HttpResponse response, send(attempt));
    if (response.status != 401) return response;
    if (!source_) return rejection(response);  // Static credentials: nothing to refresh.

    // One refresh (shared with any other caller that saw the same token refused), one retry.
    MLC_TRY(Held renewed, current(held.generation));
    attempt = request;
    MLC_CHECK(apply_held(renewed, attempt));
    MLC_TRY(net::HttpResponse retried, send(attempt));
    if (retried.status != 401) return retried;
    return rejection(retried);
}

Error TokenManager::rejection(const net::HttpResponse& response) const {
    Error error;
    if (options_.describe_rejection) {
        error = options_.describe_rejection(response, options_.connection);
    } else if (source_) {
        error = source_->rejected_call_error(response, options_.connection);
    } else {
        error = make_error(ErrorCode::kAuthFailed, options_.system,
                           who() +
                               ": the call was refused (HTTP 401): check the connection's "
                               "credentials with `mlc secret set`");
    }
    error.code = ErrorCode::kAuthFailed;
    error.http_status = response.status;
    if (error.system.empty()) error.system = options_.system;
    return error;
}

int TokenManager::callers_waiting() {
    std::lock_guard lock(mutex_);
    return waiting_;
}

Result<TokenManager::Held> TokenManager::current(std::optional<std::uint64_t> rejected) {
    if (!source_) return Held{};
    std::unique_lock lock(mutex_);
    for (int round = 0; round < kRefreshRoundsMax; ++round) {
        const bool is_rejected = rejected && *rejected == generation_;
        const UtcTime now = clock_.now();
        if (token_ && !is_rejected && (fresh(*token_, now) || now < budget_wait_until_)) {
            return Held{token_, generation_};
        }
        if (refreshing_) {
            const std::uint64_t seen = refreshes_done_;
            ++waiting_;
            refreshed_.wait(lock, [&] { return !refreshing_; });
            --waiting_;
            if (refreshes_done_ != seen && last_refresh_error_) return *last_refresh_error_;
            continue;
        }
        refreshing_ = true;
        if (is_rejected) token_.reset();
        const std::optional<Token> previous = token_;
        lock.unlock();
        Result<Token> obtained = obtain(!is_rejected, previous);
        lock.lock();
        refreshing_ = false;
        ++refreshes_done_;
        if (obtained) {
            token_ = *obtained;
            ++generation_;
            budget_wait_until_ = UtcTime{};
            last_refresh_error_.reset();
            refreshed_.notify_all();
            return Held{token_, generation_};
        }
        // Budget spent but the token still works: keep using it until it expires, without asking
        // the store again on every call until then (or until the budget resets at midnight).
        if (obtained.error().code == ErrorCode::kBudgetExhausted && previous &&
            clock_.now() < previous->expires_at) {
            budget_wait_until_ = std::min(previous->expires_at, next_utc_midnight(clock_.now()));
            last_refresh_error_.reset();
            refreshed_.notify_all();
            return Held{previous, generation_};
        }
        last_refresh_error_ = obtained.error();
        refreshed_.notify_all();
        return obtained.error();
    }
    return make_error(ErrorCode::kTransient, options_.system,
                      who() + ": no credential after waiting for " +
                          std::to_string(kRefreshRoundsMax) + " refreshes: retry later");
}

Result<Token> TokenManager::obtain(bool use_cache, const std::optional<Token>& previous) {
    const UtcTime now = clock_.now();
    if (use_cache) {
        MLC_TRY_CTX(auto cached, store_.get_token(options_.connection),
                    "while reading the cached token of " + who());
        if (cached) {
            Token token{
                .value = {}, .expires_at = cached->expires_at, .obtained_at = cached->obtained_at};
            // A token sealed under another key cannot be opened: ask for a new one instead.
            if (fresh(token, now)) {
                if (auto opened = vault_.open(cached->ciphertext); opened) {
                    token.value = std::move(*opened);
                    return token;
                }
            }
        }
    }
    MLC_CHECK(spend_budget(now));
    // A session holds a licence seat: end the old one before opening another (Acumatica).
    if (previous) (void)source_->release(options_.connection, *previous);
    MLC_TRY_CTX(Token token, source_->fetch(options_.connection, now),
                "while obtaining a token for " + who());
    // A store failure must not throw away a token that cost a request from the daily budget:
    // the token is used from memory and cached again at the next refresh.
    if (auto sealed = vault_.seal(token.value); sealed) {
        (void)store_.put_token(store::TokenRecord{.connection = options_.connection,
                                                  .ciphertext = std::move(*sealed),
                                                  .expires_at = token.expires_at,
                                                  .obtained_at = token.obtained_at});
    }
    return token;
}

Error TokenManager::budget_spent(UtcTime now) {
    const std::string message =
        who() + " has spent its daily budget of " + std::to_string(*options_.daily_token_budget) +
        " token requests; token requests resume at 00:00 UTC. Find why tokens are not reused "
        "(cache, clock, repeated 401s) or raise the connection's daily token budget";
    store::Alert alert;
    alert.key = "token-budget:" + options_.connection;
    alert.severity = "error";
    alert.message = message;
    alert.raised_at = now;
    (void)store_.raise_alert(alert);
    Error error = make_error(ErrorCode::kBudgetExhausted, options_.system, message);
    error.retry_after =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_utc_midnight(now) - now);
    return error;
}

Result<void> TokenManager::spend_budget(UtcTime now) {
    if (options_.daily_token_budget) {
        MLC_TRY_CTX(int used, store_.token_requests_on(options_.connection, now),
                    "while reading the token budget of " + who());
        if (used >= *options_.daily_token_budget) return budget_spent(now);
    }
    MLC_TRY_CTX(int counted, store_.count_token_request(options_.connection, now),
                "while counting a token request of " + who());
    // Another process on the same store may have counted between the read and the count: the
    // count's own answer decides, so the budget holds across processes.
    if (options_.daily_token_budget && counted > *options_.daily_token_budget) {
        return budget_spent(now);
    }
    warn_budget(now, counted);
    return ok();
}

void TokenManager::warn_budget(UtcTime now, int counted) {
    if (!options_.daily_token_budget) return;
    const int budget = *options_.daily_token_budget;
    // Rounded up, at least one: the count's own answer is unique per request (also across
    // processes on one store), so exactly one request reaches the threshold.
    const int threshold = std::max(1, (budget * options_.budget_warn_percent + 99) / 100);
    if (counted != threshold) return;
    store::Alert alert;
    alert.key = "token-budget:" + options_.connection;
    alert.severity = "warning";
    alert.message = who() + " has used " + std::to_string(counted) + " of its daily budget of " +
                    std::to_string(budget) + " token requests (" +
                    std::to_string(options_.budget_warn_percent) +
                    " %); at the budget, calls stop until 00:00 UTC. Find why tokens are not "
                    "reused (cache, clock, repeated 401s) or raise the connection's daily token "
                    "budget";
    alert.raised_at = now;
    (void)store_.raise_alert(alert);
}

Result<void> TokenManager::invalidate() {
    {
        std::lock_guard lock(mutex_);
        token_.reset();
        ++generation_;
    }
    return store_.delete_token(options_.connection);
}

Result<void> TokenManager::release() {
    if (!source_) return ok();
    std::optional<Token> token;
    {
        std::lock_guard lock(mutex_);
        token = std::move(token_);
        token_.reset();
        ++generation_;
    }
    if (!token) {
        // A restarted process can still end the session it cached.
        MLC_TRY(auto cached, store_.get_token(options_.connection));
        if (cached) {
            if (auto opened = vault_.open(cached->ciphertext); opened) {
                token = Token{.value = std::move(*opened),
                              .expires_at = cached->expires_at,
                              .obtained_at = cached->obtained_at};
            }
        }
    }
    MLC_CHECK(store_.delete_token(options_.connection));
    if (!token) return ok();
    return source_->release(options_.connection, *token);
}

}  // namespace mlc::auth

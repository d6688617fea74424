#pragma once
// HttpClient: what every connector calls. One call = rate limiter -> transport -> retry policy,
// with a debug log line per attempt (secrets redacted, redaction.hpp) and metrics through a
// ClientObserver.
//
// What call() returns:
//  * The HttpResponse for every answer that is not one of the cases below, 4xx/5xx included:
//    the connector's <system>_errors.cpp maps status and body to an ErrorCode once.
//  * Error kUnauthorized (http_status 401): never retried here; the auth layer refreshes the
//    token once and calls again.
//  * Error kRateLimited (429 after the last attempt, or a wait longer than the deadline allows),
//    with retry_after when known.
//  * Error kTransient: no answer (refused, reset, timeout) or 408/502/503/504 after the last
//    attempt.
// Error messages name the system, the method and the URL path, never the query (it can carry
// consumer_key/consumer_secret on WooCommerce) nor a header.
//
// Lifecycle: built once per connection; borrows the transport, clock, limiter registry, logger
// and observer, which must outlive it. Thread safety: call() is safe from several threads.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_transport.hpp"
#include "net/rate_limiter.hpp"
#include "net/retry_policy.hpp"

namespace spdlog {
class logger;
}

namespace mlc::net {

// Metrics hooks. The server side's Prometheus registry adapts to this; every method has a no-op
// default so an observer implements only what it counts. Called from the calling thread.
class ClientObserver {
  public:
    virtual ~ClientObserver() = default;
    // One HTTP exchange finished after `elapsed` (steady time, the transport call only):
    // `status` 0 when no answer came.
    virtual void on_attempt(std::string_view /*connection*/, std::string_view /*operation*/,
                            int /*status*/, std::chrono::nanoseconds /*elapsed*/) {}
    // A retry is about to wait `delay` after a failed attempt.
    virtual void on_retry(std::string_view /*connection*/, std::string_view /*operation*/,
                          std::chrono::milliseconds /*delay*/) {}
    // The vendor answered 429.
    virtual void on_rate_limited(std::string_view /*connection*/, std::string_view /*operation*/) {}
    // The local limiter held a request back for `wait`.
    virtual void on_throttled(std::string_view /*connection*/, std::string_view /*operation*/,
                              std::chrono::nanoseconds /*wait*/) {}
};

struct CallRequest {
    HttpRequest request{};
    std::string connection{};  // Rate-limiter key: one budget per vendor account.
    std::string operation{};  // Per-operation limits (Amazon "getOrders"); empty = connection-wide.
    // Whether repeating the request is harmless. Nullopt: from the method (GET/PUT/DELETE yes,
    // POST/PATCH no).
    std::optional<bool> idempotent{};
    // The target dedupes repeats (idempotency key, natural key such as ShipStation orderKey), so a
    // non-idempotent request may be retried too.
    bool dedupes = false;
    // No attempt starts, and no wait ends, after this steady time.
    std::optional<SteadyTime> deadline{};
    // This call class's own retry bounds (a large report download, a quick lookup on a user's
    // click); nullopt = the client's HttpClientOptions.retry.
    std::optional<RetryOptions> retry{};
};

struct HttpClientOptions {
    std::string system{};  // "shipstation": named in every error.
    RetryOptions retry{};
    TransportOptions transport{};
    std::size_t log_body_bytes_max = 2048;  // Debug log lines cut bodies here.
};

class HttpClient {
  public:
    // `seed` feeds the retry jitter; `logger` and `observer` may be null.
    HttpClient(HttpClientOptions options, HttpTransport& transport, Clock& clock,
               RateLimiterRegistry& limiters, std::uint64_t seed,
               std::shared_ptr<spdlog::logger> logger = nullptr,
               ClientObserver* observer = nullptr);

    Result<HttpResponse> call(const CallRequest& call);

    const HttpClientOptions& options() const { return options_; }

  private:
    // Waits (with the clock) for a slot of the shared budget, when the registry has one and the
    // call is connection-wide; kRateLimited when the deadline cannot afford the wait.
    Result<void> take_shared_slot(const CallRequest& call, const RateLimiter& limiter);
    Result<HttpResponse> attempt_once(const CallRequest& call, RateLimiter& limiter,
                                      std::uint32_t number);
    Error final_error(const CallRequest& call, const Result<HttpResponse>& outcome,
                      std::uint32_t attempts, std::optional<std::chrono::milliseconds> retry_after,
                      std::string_view why) const;

    HttpClientOptions options_;
    HttpTransport& transport_;
    Clock& clock_;
    RateLimiterRegistry& limiters_;
    RetryPolicy retry_;
    std::shared_ptr<spdlog::logger> logger_;
    ClientObserver* observer_;
};

}  // namespace mlc::net

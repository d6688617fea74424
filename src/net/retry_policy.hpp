#pragma once
// RetryPolicy: which answers are worth another attempt and how long to wait before it.
//
//  * Retried: no HTTP answer (connection refused/reset, timeout), 408, 429, 502, 503, 504, and
//    500 on requests that may be repeated (below); a 500 that is not retried, or the last one,
//    is returned as an answer for the connector to map (its body carries the vendor's message).
//    Every other status, 4xx above all, is final: repeating a rejected request changes nothing.
//    401 is final here on purpose: the auth layer refreshes the token once and calls again.
//  * A request that is not idempotent (POST, PATCH) is repeated only when the caller says the
//    target dedupes it (idempotency key, natural key such as ShipStation's orderKey): after a
//    timeout we cannot know whether the first attempt was applied. The exception is 429: the
//    vendor's limiter refused the request before doing anything, so it is always repeated.
//  * Backoff is exponential with FULL jitter: delay = uniform(0, min(cap, base * 2^attempt))
//    (AWS Architecture Blog, "Exponential Backoff And Jitter"), so many workers that failed
//    together do not retry together. A Retry-After header raises the delay to at least what the
//    vendor asked (RFC 9110 10.2.3: delay-seconds or an HTTP-date).
//  * Bounded twice: max_attempts in total and max_total_delay of summed waiting.
//
// Lifecycle: built once per connection from config. Thread safety: next_delay() locks the RNG,
// everything else is const. Owns its RNG, seeded by the caller (tests pass a fixed seed).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

#include "common/clock.hpp"

namespace mlc::net {

struct RetryOptions {
    std::uint32_t max_attempts = 5;  // First try included.
    std::chrono::milliseconds base_delay{500};
    std::chrono::milliseconds max_delay{30'000};         // The cap of one wait.
    std::chrono::milliseconds max_total_delay{120'000};  // All waits of one call together.
};

// True for the statuses worth repeating: 408, 429, 502, 503, 504.
bool is_retryable_status(int status);
// True for methods that may be repeated without changing the outcome (RFC 9110 9.2.2).
bool is_idempotent_method(std::string_view method);

// Retry-After value as a wait from now: delay-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", RFC 9110 5.6.7) read against `now` (wall time). A date in
// the past gives zero. Nullopt when the value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, UtcTime now);

class RetryPolicy {
  public:
    RetryPolicy(RetryOptions options, std::uint64_t seed);

    const RetryOptions& options() const { return options_; }
    // The jittered wait before retry number `retry` (0 for the first retry):
    // uniform in [0, min(max_delay, base_delay * 2^retry)].
    std::chrono::milliseconds next_delay(std::uint32_t retry);
    // The same under another call class's options (CallRequest.retry), with this policy's RNG.
    std::chrono::milliseconds next_delay(std::uint32_t retry, const RetryOptions& options);
    // The upper bound next_delay(retry) draws under.
    std::chrono::milliseconds delay_cap(std::uint32_t retry) const;
    static std::chrono::milliseconds delay_cap(std::uint32_t retry, const RetryOptions& options);

  private:
    RetryOptions options_;
    std::mutex mutex_;
    std::mt19937_64 rng_;
};

}  // namespace mlc::net

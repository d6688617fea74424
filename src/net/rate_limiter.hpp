#pragma once
// RateLimiter: one connection's request budget, shared by every flow that uses the connection.
//
// Two sources of truth, the stricter wins:
//  * A local token bucket per operation key (rate and burst from config). An empty operation key
//    is the connection-wide bucket (ShipStation: 40 requests/minute per API key pair); Amazon
//    SP-API limits are per operation, so its client passes the operation name as the key.
//  * What the vendor says. ShipStation V1 sends X-Rate-Limit-Limit/-Remaining/-Reset (Reset =
//    seconds until the window resets); once Remaining is spent, callers wait for the reset
//    instead of earning a 429. Amazon sends x-amzn-RateLimit-Limit (requests per second) on
//    successes only; that becomes the bucket's rate for the operation. A 429 with Retry-After
//    closes the operation until then.
//
// acquire() reserves one request and returns when it may be sent; the caller sleeps with its
// Clock (the limiter never sleeps, so a ManualClock test runs instantly). Reservations are made
// under a lock, so concurrent callers queue up fairly instead of all firing at once.
//
// Lifecycle: created by RateLimiterRegistry, lives as long as the registry.
// Thread safety: every method is safe from several threads.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_types.hpp"

namespace mlc::net {

struct RateLimit {
    double requests_per_second = 10.0;  // Refill rate (a rate, not money: double is fine).
    double burst = 10.0;                // Bucket size.
};

struct RateLimiterConfig {
    RateLimit connection{};                            // Used for every operation not listed.
    std::map<std::string, RateLimit> per_operation{};  // Amazon: "getOrders" -> {0.0167, 20}.
};

class RateLimiter {
  public:
    explicit RateLimiter(RateLimiterConfig config);

    // Reserves one request on `operation` at steady time `now`; returns the earliest time it may
    // be sent (== now when the budget allows it at once).
    SteadyTime acquire(std::string_view operation, SteadyTime now);
    // Reads the vendor's rate-limit headers from any answer on `operation` received at `now`.
    void observe(std::string_view operation, const Headers& headers, SteadyTime now);
    // The vendor answered 429: nothing more on `operation` before `now + retry_after`.
    void block_until(std::string_view operation, SteadyTime until);

    // Current local limit of `operation` (after any x-amzn-RateLimit-Limit update). For tests and
    // the console.
    RateLimit limit(std::string_view operation) const;

    // How much of the connection-wide budget is spent at `now` (the console's connections
    // panel). Nullopt: no request was sent on it yet.
    struct Use {
        double used = 0;          // Requests of the burst spent and not yet refilled.
        double burst = 0;         // The bucket's size.
        double per_minute = 0;    // Its refill rate.
        double wait_seconds = 0;  // How long the next request would wait (0: none).
        std::optional<std::int64_t> vendor_remaining = {};  // What the vendor last said is left.
    };
    std::optional<Use> use(SteadyTime now) const;

  private:
    struct Bucket {
        RateLimit limit;
        double tokens = 0;  // May go negative: reservations queued behind the lock.
        SteadyTime refilled_at{};
        std::optional<std::int64_t> vendor_remaining;  // ShipStation X-Rate-Limit-Remaining,
                                                       // less what we sent since.
        SteadyTime vendor_reset_at{};
        SteadyTime blocked_until{};
    };
    Bucket& bucket(std::string_view operation, SteadyTime now);  // Locked by caller.

    RateLimiterConfig config_;
    mutable std::mutex mutex_;
    std::map<std::string, Bucket, std::less<>> buckets_;
};

// A connection's request budget shared with other processes: several mlc workers on one
// PostgreSQL store (issue 16), where each process's RateLimiter only sees its own requests.
// Implemented over the store (cli/shared_request_budget.hpp: PostgresStateStore::take_request_slot,
// a sliding-window log; store/README.md says why). Only connection-wide buckets (empty operation)
// are shared; Amazon's per-operation limits stay per process.
class SharedRequestBudget {
  public:
    struct Slot {
        bool granted = false;
        UtcTime retry_at = {};  // Refused: when to ask again.
    };
    virtual ~SharedRequestBudget() = default;
    // One of `limit` requests per sliding `window` for `connection` at `now` (UTC), for all
    // workers together.
    virtual Result<Slot> take(const std::string& connection, int limit,
                              std::chrono::milliseconds window, UtcTime now) = 0;
};

// Owns one RateLimiter per connection name. The caller (cli/main.cpp, a test) owns the registry
// and hands it to every HttpClient, so two flows on one ShipStation account share one budget.
// Thread safety: safe from several threads; limiters are never destroyed before the registry.
class RateLimiterRegistry {
  public:
    // Config for a connection; takes effect when its limiter is first used.
    void configure(std::string connection, RateLimiterConfig config);
    RateLimiter& limiter(std::string_view connection);
    // With a shared budget (set once, before any client calls; borrowed), HttpClient also takes
    // a slot of it for every connection-wide request, after the local limiter. Null: none.
    void share_with(SharedRequestBudget* budget) { shared_ = budget; }
    SharedRequestBudget* shared() const { return shared_; }
    // `connection`'s RateLimiter::use(); nullopt before its first request.
    std::optional<RateLimiter::Use> use(std::string_view connection, SteadyTime now) const;

  private:
    SharedRequestBudget* shared_ = nullptr;
    mutable std::mutex mutex_;
    std::map<std::string, RateLimiterConfig, std::less<>> configs_;
    std::map<std::string, std::unique_ptr<RateLimiter>, std::less<>> limiters_;
};

}  // namespace mlc::net

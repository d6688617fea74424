#include "net/rate_limiter.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace mlc::net {
namespace {

// Distinct operation keys one connection may create; past it they share the connection bucket.
// SP-API has a few dozen operations, so this only guards against a key built from outside data.
constexpr std::size_t kOperationsMax = 1024;
// A reset within this of the last one is the same vendor window: in-flight requests on other
// threads are not yet counted in the newer Remaining, so the smaller count is kept.
constexpr std::chrono::seconds kSameWindowSlack{1};
// Above this, a vendor's reset or rate header is garbage: ignored.
constexpr std::int64_t kResetSecondsMax = 3600;
constexpr double kVendorRateMax = 10'000.0;

std::optional<std::int64_t> parse_int(std::optional<std::string_view> text) {
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const auto* begin = text->data();
    const auto* end = begin + text->size();
    while (begin != end && *begin == ' ') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr == begin) return std::nullopt;
    return value;
}

std::optional<double> parse_double(std::optional<std::string_view> text) {
    if (!text) return std::nullopt;
    try {  // std::stod: from_chars for double needs GCC 11+, but stod also accepts "1e0" forms.
        std::size_t used = 0;
        const double value = std::stod(std::string(*text), &used);
        if (used == 0 || !std::isfinite(value)) return std::nullopt;
        return value;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::chrono::nanoseconds seconds_to_duration(double seconds) {
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil(seconds * 1e9)));
}

}  // namespace

RateLimiter::RateLimiter(RateLimiterConfig config) : config_(std::move(config)) {}

RateLimiter::Bucket& RateLimiter::bucket(std::string_view operation, SteadyTime now) {
    auto it = buckets_.find(operation);
    if (it != buckets_.end()) return it->second;
    if (buckets_.size() >= kOperationsMax) operation = {};
    it = buckets_.find(operation);
    if (it != buckets_.end()) return it->second;
    const auto configured = config_.per_operation.find(std::string(operation));
    Bucket fresh;
    fresh.limit =
        configured == config_.per_operation.end() ? config_.connection : configured->second;
    fresh.limit.burst = std::max(1.0, fresh.limit.burst);
    fresh.tokens = fresh.limit.burst;
    fresh.refilled_at = now;
    return buckets_.emplace(std::string(operation), fresh).first->second;
}

SteadyTime RateLimiter::acquire(std::string_view operation, SteadyTime now) {
    std::lock_guard lock(mutex_);
    Bucket& b = bucket(operation, now);
    if (now > b.refilled_at) {
        const double elapsed_s = std::chrono::duration<double>(now - b.refilled_at).count();
        b.tokens = std::min(b.limit.burst, b.tokens + elapsed_s * b.limit.requests_per_second);
        b.refilled_at = now;
    }
    SteadyTime send_at = std::max(now, b.blocked_until);
    // Local bucket: one token per request; a deficit is paid back at the refill rate.
    b.tokens -= 1.0;
    if (b.tokens < 0 && b.limit.requests_per_second > 0) {
        send_at =
            std::max(send_at, now + seconds_to_duration(-b.tokens / b.limit.requests_per_second));
    }
    // Vendor budget: once Remaining is spent, wait for its reset (ShipStation X-Rate-Limit-Reset).
    if (b.vendor_remaining) {
        if (now >= b.vendor_reset_at) {
            b.vendor_remaining.reset();  // Window over: the next answer tells us the new budget.
        } else if (*b.vendor_remaining > 0) {
            --*b.vendor_remaining;
        } else {
            send_at = std::max(send_at, b.vendor_reset_at);
            // Whoever waits for the reset goes first; the next answer brings the new count.
            b.vendor_remaining.reset();
        }
    }
    return send_at;
}

void RateLimiter::observe(std::string_view operation, const Headers& headers, SteadyTime now) {
    std::lock_guard lock(mutex_);
    Bucket& b = bucket(operation, now);
    // Amazon SP-API: x-amzn-RateLimit-Limit is the operation's rate in requests per second.
    if (const auto rate = parse_double(find_header(headers, "x-amzn-RateLimit-Limit"));
        rate && *rate > 0 && *rate <= kVendorRateMax) {
        b.limit.requests_per_second = *rate;
    }
    // ShipStation V1: Remaining in the window that resets in Reset seconds.
    const auto remaining = parse_int(find_header(headers, "X-Rate-Limit-Remaining"));
    const auto reset_s = parse_int(find_header(headers, "X-Rate-Limit-Reset"));
    if (!remaining || !reset_s || *remaining < 0 || *reset_s < 0 || *reset_s > kResetSecondsMax) {
        return;
    }
    const SteadyTime reset_at = now + std::chrono::seconds(*reset_s);
    const bool same_window = b.vendor_remaining &&
                             reset_at <= b.vendor_reset_at + kSameWindowSlack &&
                             reset_at + kSameWindowSlack >= b.vendor_reset_at;
    b.vendor_remaining = same_window ? std::min(*b.vendor_remaining, *remaining) : *remaining;
    b.vendor_reset_at = reset_at;
}

void RateLimiter::block_until(std::string_view operation, SteadyTime until) {
    std::lock_guard lock(mutex_);
    Bucket& b = bucket(operation, until);
    b.blocked_until = std::max(b.blocked_until, until);
}

RateLimit RateLimiter::limit(std::string_view operation) const {
    std::lock_guard lock(mutex_);
    const auto it = buckets_.find(operation);
    if (it != buckets_.end()) return it->second.limit;
    const auto configured = config_.per_operation.find(std::string(operation));
    return configured == config_.per_operation.end() ? config_.connection : configured->second;
}

std::optional<RateLimiter::Use> RateLimiter::use(SteadyTime now) const {
    std::lock_guard lock(mutex_);
    const auto it = buckets_.find(std::string_view());
    if (it == buckets_.end()) return std::nullopt;
    const Bucket& b = it->second;
    double tokens = b.tokens;
    if (now > b.refilled_at) {
        const double elapsed_s = std::chrono::duration<double>(now - b.refilled_at).count();
        tokens = std::min(b.limit.burst, tokens + elapsed_s * b.limit.requests_per_second);
    }
    Use out{.used = std::max(0.0, b.limit.burst - tokens),
            .burst = b.limit.burst,
            .per_minute = b.limit.requests_per_second * 60.0};
    SteadyTime free_at = std::max(now, b.blocked_until);
    if (tokens < 1.0 && b.limit.requests_per_second > 0) {
        free_at = std::max(free_at,
                           now + seconds_to_duration((1.0 - tokens) / b.limit.requests_per_second));
    }
    if (b.vendor_remaining && now < b.vendor_reset_at) {
        out.vendor_remaining = *b.vendor_remaining;
        if (*b.vendor_remaining <= 0) free_at = std::max(free_at, b.vendor_reset_at);
    }
    out.wait_seconds = std::chrono::duration<double>(free_at - now).count();
    return out;
}

std::optional<RateLimiter::Use> RateLimiterRegistry::use(std::string_view connection,
                                                         SteadyTime now) const {
    const RateLimiter* found = nullptr;
    {
        std::lock_guard lock(mutex_);
        const auto it = limiters_.find(connection);
        if (it == limiters_.end()) return std::nullopt;
        found = it->second.get();  // Never destroyed before the registry.
    }
    return found->use(now);
}

void RateLimiterRegistry::configure(std::string connection, RateLimiterConfig config) {
    std::lock_guard lock(mutex_);
    configs_[std::move(connection)] = std::move(config);
}

RateLimiter& RateLimiterRegistry::limiter(std::string_view connection) {
    std::lock_guard lock(mutex_);
    const auto it = limiters_.find(connection);
    if (it != limiters_.end()) return *it->second;
    const auto config = configs_.find(connection);
    auto limiter = std::make_unique<RateLimiter>(config == configs_.end() ? RateLimiterConfig{}
                                                                          : config->second);
    return *limiters_.emplace(std::string(connection), std::move(limiter)).first->second;
}

}  // namespace mlc::net

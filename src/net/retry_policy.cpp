#include "net/retry_policy.hpp"

#include <date/date.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <sstream>
#include <string>

namespace mlc::net {
namespace {

// Doubling past this many steps overflows nothing useful: 2^30 * base is already beyond any cap.
constexpr std::uint32_t kDoublingsMax = 30;
// Retry-After seconds above a day are treated as a day: a vendor asking for more is broken and
// the caller's deadline decides anyway.
constexpr std::int64_t kRetryAfterSecondsMax = 86'400;

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

// IMF-fixdate first (the form RFC 9110 requires senders to use), then the two obsolete forms
// recipients must accept: RFC 850 and asctime.
std::optional<UtcTime> parse_http_date(std::string_view text) {
    static constexpr std::array<const char*, 3> kFormats = {
        "%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"};
    for (const char* format : kFormats) {
        std::istringstream in{std::string(text)};
        date::sys_seconds parsed;
        in >> date::parse(format, parsed);
        if (!in.fail()) return std::chrono::time_point_cast<std::chrono::microseconds>(parsed);
    }
    return std::nullopt;
}

}  // namespace

bool is_retryable_status(int status) {
    return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
}

bool is_idempotent_method(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS" || method == "TRACE";
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, UtcTime now) {
    value = trim(value);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        std::int64_t seconds = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec == std::errc::result_out_of_range)
            seconds = kRetryAfterSecondsMax;
        else if (ec != std::errc() || end != value.data() + value.size())
            return std::nullopt;
        return std::chrono::seconds(std::min(seconds, kRetryAfterSecondsMax));
    }
    const auto when = parse_http_date(value);
    if (!when) return std::nullopt;
    if (*when <= now) return std::chrono::milliseconds(0);
    // Round up: waiting a fraction less than the vendor asked would earn another 429.
    return std::min(std::chrono::ceil<std::chrono::milliseconds>(*when - now),
                    std::chrono::milliseconds(std::chrono::seconds(kRetryAfterSecondsMax)));
}

RetryPolicy::RetryPolicy(RetryOptions options, std::uint64_t seed)
    : options_(options), rng_(seed) {}

std::chrono::milliseconds RetryPolicy::delay_cap(std::uint32_t retry) const {
    return delay_cap(retry, options_);
}

std::chrono::milliseconds RetryPolicy::delay_cap(std::uint32_t retry, const RetryOptions& options) {
    const std::uint32_t doublings = std::min(retry, kDoublingsMax);
    const auto base = options.base_delay.count();
    const auto cap = options.max_delay.count();
    if (base <= 0 || cap <= 0) return std::chrono::milliseconds(0);
    // base * 2^doublings, saturating at the cap before it can overflow.
    const std::int64_t limit = cap >> doublings;
    if (base > limit) return options.max_delay;
    return std::min(options.max_delay, std::chrono::milliseconds(base << doublings));
}

std::chrono::milliseconds RetryPolicy::next_delay(std::uint32_t retry) {
    return next_delay(retry, options_);
}

std::chrono::milliseconds RetryPolicy::next_delay(std::uint32_t retry,
                                                  const RetryOptions& options) {
    const auto cap = delay_cap(retry, options).count();
    std::uniform_int_distribution<std::int64_t> uniform(0, cap);
    std::lock_guard lock(mutex_);
    return std::chrono::milliseconds(uniform(rng_));
}

}  // namespace mlc::net

#pragma once
// The SP-API operations the emulator serves with live data, each with its usage plan (rate in
// requests per second and burst, from the "Usage Plan" table of the operation in Amazon's
// models), path templates, and the token bucket that enforces a plan.
//
// Pure; thread safety: none needed (the emulator is serialised by the framework).

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace mlc::sandbox::amazon {

struct Operation {
    std::string_view api = {};     // "orders_2026-01-01", the model file it comes from
    std::string_view id = {};      // operationId: "searchOrders"
    std::string_view method = {};  // "GET"
    std::string_view path = {};    // "/orders/2026-01-01/orders/{orderId}"
    std::string_view rate = {};    // As x-amzn-RateLimit-Limit reports it: "0.0056"
    double rate_per_second = 0;
    int burst = 0;
};

// The operations served from live state (every other operation of the models is answered by the
// sandbox hosts only).
std::span<const Operation> live_operations();

// Marketplaces served by a regional host ("na", "eu", "fe"): Amazon's marketplace-ids table
// (developer-docs.amazon.com/sp-api/docs/marketplace-ids, linked from the models).
bool marketplace_in_region(std::string_view region, std::string_view marketplace_id);

// The path parameters when `path` matches `path_template` ("/a/{id}" and "/a/42" -> {id: 42}).
std::optional<std::map<std::string, std::string>> match_path(std::string_view path_template,
                                                             std::string_view path);

// A token bucket: `burst` requests at once, refilled at `rate_per_second` on the emulator's wall
// clock. Starts full.
class TokenBucket {
  public:
    TokenBucket(double rate_per_second, int burst, UtcTime now);
    bool take(UtcTime now);  // false: no token (429 QuotaExceeded)
    double tokens(UtcTime now) const;

  private:
    double rate_per_second_ = 0;
    double burst_ = 0;
    double tokens_ = 0;
    UtcTime last_ = {};
};

}  // namespace mlc::sandbox::amazon

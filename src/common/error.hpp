#pragma once
// Error policy (read this before adding a throw):
//  * Operating errors are values. Every function that can fail because of the outside world (a
//    vendor, the network, the disk, a user's config or data) returns Result<T> (result.hpp).
//  * The ErrorCode says what the caller should do next, not what went wrong in detail: retry the
//    call, retry the page later, park the record as a dead letter until a person fixes it, refresh
//    the token once, ask a person to fix the configuration, or report a bug.
//  * Exceptions are used only at start-up and inside thin wrappers around throwing libraries
//    (yaml-cpp, Boost.JSON's value_to, std::stoi...). They are converted to Result there and never
//    cross a component boundary.
//  * Assertions (MLC_ASSERT, assert.hpp) state invariants and crash on violation; they never check
//    outside input.
//  * Messages name the system, the record and the fix, and never contain a secret.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlc {

enum class ErrorCode {
    kTransient,        // Network error, 502/503/504, timeout: retry the call with backoff.
    kRateLimited,      // 429 or local budget: retry after `retry_after`.
    kUnauthorized,     // 401 on a call: refresh the token once and retry once.
    kAuthFailed,       // Credentials rejected after refresh: a person fixes the connection.
    kBudgetExhausted,  // A daily budget (token requests) is spent: wait, alert raised.
    kNotFound,         // The record does not exist in the target.
    kConflict,         // Duplicate, locked or out-of-date record.
    kLocked,           // The target keeps the record locked (shipped, closed): never retried nor
                       // overwritten; the pipeline records a difference (store::Difference).
    kInvalidInput,     // Malformed data from outside (JSON, signature, date): park it.
    kUnresolved,       // A reference (customer, SKU, account) does not resolve: park until mapped.
    kRejected,         // The vendor refused the record (business rule): park it.
    kConfig,           // Configuration is wrong or incomplete: a person fixes config.
    kStorage,          // The state store failed: retry the page later.
    kCancelled,        // A stop was requested.
    kInternal,         // A bug in ml-connector.
};

// What the caller should do next. Derived from ErrorCode once, here.
enum class NextAction { kRetryCall, kRetryLater, kPark, kRefreshToken, kFixConfig, kStop, kBug };

NextAction next_action(ErrorCode code);
std::string_view to_string(ErrorCode code);
std::optional<ErrorCode> error_code_from_string(std::string_view text);

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;     // What happened and how to fix it. Never a secret.
    std::string system;      // "shipstation", "epicor", "store", ... (empty when not specific)
    std::string record_key;  // The record concerned ("order SS-1001"), when there is one.
    int http_status = 0;     // The vendor's status, 0 when no HTTP answer was involved.
    std::optional<std::chrono::milliseconds> retry_after;  // From Retry-After or a local limiter.
    std::vector<std::string> context;  // Outermost last: "while writing order 1234 to Epicor".

    // "epicor: order SS-1001: Part 'X-9' not found ... (while writing order 1234 to Epicor)"
    std::string describe() const;
};

// Builders, so call sites read as sentences: return make_error(ErrorCode::kNotFound, "...").
Error make_error(ErrorCode code, std::string message);
Error make_error(ErrorCode code, std::string system, std::string message);

}  // namespace mlc

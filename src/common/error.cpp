#include "common/error.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "common/assert.hpp"
#include "common/result.hpp"

namespace mlc {
namespace {
constexpr std::array<std::pair<ErrorCode, std::string_view>, 15> kNames = {{
    {ErrorCode::kTransient, "transient"},
    {ErrorCode::kRateLimited, "rate_limited"},
    {ErrorCode::kUnauthorized, "unauthorized"},
    {ErrorCode::kAuthFailed, "auth_failed"},
    {ErrorCode::kBudgetExhausted, "budget_exhausted"},
    {ErrorCode::kNotFound, "not_found"},
    {ErrorCode::kConflict, "conflict"},
    {ErrorCode::kLocked, "locked"},
    {ErrorCode::kInvalidInput, "invalid_input"},
    {ErrorCode::kUnresolved, "unresolved"},
    {ErrorCode::kRejected, "rejected"},
    {ErrorCode::kConfig, "config"},
    {ErrorCode::kStorage, "storage"},
    {ErrorCode::kCancelled, "cancelled"},
    {ErrorCode::kInternal, "internal"},
}};
}  // namespace

NextAction next_action(ErrorCode code) {
    switch (code) {
        case ErrorCode::kTransient:
        case ErrorCode::kRateLimited:
            return NextAction::kRetryCall;
        case ErrorCode::kStorage:
        case ErrorCode::kBudgetExhausted:
            return NextAction::kRetryLater;
        case ErrorCode::kUnauthorized:
            return NextAction::kRefreshToken;
        case ErrorCode::kAuthFailed:
        case ErrorCode::kConfig:
            return NextAction::kFixConfig;
        case ErrorCode::kNotFound:
        case ErrorCode::kConflict:
        case ErrorCode::kLocked:  // Where no writer reconciles it, a person sees a letter.
        case ErrorCode::kInvalidInput:
        case ErrorCode::kUnresolved:
        case ErrorCode::kRejected:
            return NextAction::kPark;
        case ErrorCode::kCancelled:
            return NextAction::kStop;
        case ErrorCode::kInternal:
            return NextAction::kBug;
    }
    return NextAction::kBug;
}

std::string_view to_string(ErrorCode code) {
    for (const auto& [c, name] : kNames) {
        if (c == code) return name;
    }
    return "internal";
}

std::optional<ErrorCode> error_code_from_string(std::string_view text) {
    for (const auto& [c, name] : kNames) {
        if (name == text) return c;
    }
    return std::nullopt;
}

std::string Error::describe() const {
    std::string out;
    if (!system.empty()) out += system + ": ";
    if (!record_key.empty()) out += record_key + ": ";
    out += message;
    for (const auto& line : context) out += " (" + line + ")";
    return out;
}

Error make_error(ErrorCode code, std::string message) {
    Error error;
    error.code = code;
    error.message = std::move(message);
    return error;
}

Error make_error(ErrorCode code, std::string system, std::string message) {
    Error error = make_error(code, std::move(message));
    error.system = std::move(system);
    return error;
}

void die_bad_result_access(const Error& error) {
    std::fprintf(stderr, "mlc: bug: value() on a failed Result: %s\n", error.describe().c_str());
    std::abort();
}

void assert_failed(const char* expression, const char* file, int line, const char* why) {
    std::fprintf(stderr, "mlc: invariant broken at %s:%d: %s (%s)\n", file, line, expression, why);
    std::abort();
}

}  // namespace mlc

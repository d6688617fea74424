#pragma once
// Shared pieces of the Amazon SP-API emulator: Amazon's one error shape, JSON answers, the
// deterministic draws behind seeded data, and small parsers for query values.
//
// Pure functions; thread safety: none needed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/clock.hpp"
#include "net/http_types.hpp"
#include "sandbox/seeded.hpp"

namespace mlc::sandbox::amazon {

// {"errors": [{"code", "message", "details"}]} (amazon-sp-api.md; every model's ErrorList).
// Never carries x-amzn-RateLimit-Limit: the header is for successes only.
net::HttpResponse amazon_error(int status, std::string_view code, std::string_view message,
                               std::string_view details = "");
net::HttpResponse invalid_input(std::string_view message);  // 400 InvalidInput
net::HttpResponse json_answer(int status, const boost::json::value& body);

inline constexpr std::string_view kDigits = "0123456789";
inline constexpr std::string_view kUpperAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// An SP-API array query parameter: comma-separated ("a,b") and/or repeated ("x=a&x=b").
std::vector<std::string> query_list(std::string_view target, std::string_view name);
std::optional<std::int64_t> parse_int(std::string_view text);
// "/a/b/c" -> {"a", "b", "c"}
std::vector<std::string_view> path_segments(std::string_view path);

// ISO 8601 UTC to the second ("2026-01-02T03:04:05Z"), as Amazon writes times.
std::string iso_seconds(UtcTime t);

}  // namespace mlc::sandbox::amazon

#include "auth/token_source.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <deque>
#include <string>
#include <utility>

namespace mlc::auth {
namespace {

constexpr std::size_t kJsonNodesVisitedMax = 4096;  // Bounds the breadth-first walk.

std::optional<std::string> scalar_text(const boost::json::value& value) {
    if (value.is_string()) return std::string(value.get_string());
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    if (value.is_double()) return std::to_string(static_cast<long long>(value.get_double()));
    if (value.is_bool()) return value.get_bool() ? "true" : "false";
    return std::nullopt;
}

std::optional<long long> parse_integer(std::string_view text) {
    long long out = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return out;
}

std::string status_text(int status) { return "HTTP " + std::to_string(status); }

}  // namespace

Result<void> TokenSource::release(std::string_view connection, const Token& token) {
    (void)connection;
    (void)token;
    return ok();
}

Error TokenSource::rejected_call_error(const net::HttpResponse& response,
                                       std::string_view connection) const {
    Error error = make_error(
        ErrorCode::kAuthFailed, std::string(system()),
        "connection '" + std::string(connection) + "': the call was refused (" +
            status_text(response.status) +
            ") even with a freshly obtained credential: check the connection's credentials and "
            "permissions, then `mlc secret set` the right values");
    error.http_status = response.status;
    return error;
}

Result<std::map<std::string, std::string>> find_json_fields(
    std::string_view body, std::span<const std::string_view> names) {
    if (body.size() > kTokenBodyBytesMax) {
        return make_error(ErrorCode::kInvalidInput, "the token answer is larger than " +
                                                        std::to_string(kTokenBodyBytesMax) +
                                                        " bytes: not a token answer");
    }
    boost::system::error_code ec;
    const boost::json::value root = boost::json::parse(body, ec);
    if (ec) return make_error(ErrorCode::kInvalidInput, "the token answer is not JSON");

    std::map<std::string, std::string> found;
    std::deque<std::pair<const boost::json::value*, std::size_t>> queue{{&root, 0}};
    std::size_t visited = 0;
    while (!queue.empty() && visited < kJsonNodesVisitedMax && found.size() < names.size()) {
        const auto [node, depth] = queue.front();
        queue.pop_front();
        ++visited;
        if (node->is_object()) {
            for (const auto& entry : node->get_object()) {
                for (const auto name : names) {
                    if (entry.key() != name || found.contains(std::string(name))) continue;
                    if (auto text = scalar_text(entry.value())) found.emplace(name, *text);
                }
                if (depth + 1 < kTokenJsonDepthMax) queue.emplace_back(&entry.value(), depth + 1);
            }
        } else if (node->is_array() && depth + 1 < kTokenJsonDepthMax) {
            for (const auto& item : node->get_array()) queue.emplace_back(&item, depth + 1);
        }
    }
    return found;
}

UtcTime expiry_from(UtcTime now, const std::optional<std::string>& expires_in_seconds,
                    std::chrono::seconds fallback) {
    if (expires_in_seconds) {
        if (auto seconds = parse_integer(*expires_in_seconds); seconds && *seconds > 0) {
            return now + std::chrono::seconds{*seconds};
        }
    }
    return now + fallback;
}

Error token_request_error(std::string_view system, std::string_view connection,
                          const net::HttpResponse& response, std::string_view fix) {
    const std::string who = "connection '" + std::string(connection) + "': the token request ";
    Error error;
    if (response.status == 400 || response.status == 401 || response.status == 403) {
        error = make_error(
            ErrorCode::kAuthFailed, std::string(system),
            who + "was refused (" + status_text(response.status) + "): " + std::string(fix));
    } else if (response.status == 429) {
        error = make_error(ErrorCode::kRateLimited, std::string(system),
                           who + "was throttled (HTTP 429): retry later");
        if (auto after = net::find_header(response.headers, "Retry-After")) {
            if (auto seconds = parse_integer(*after); seconds && *seconds >= 0) {
                error.retry_after = std::chrono::seconds{*seconds};
            }
        }
    } else {
        error = make_error(ErrorCode::kTransient, std::string(system),
                           who + "failed (" + status_text(response.status) + "): retry later");
    }
    error.http_status = response.status;
    return error;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
    std::string pair;
    pair.reserve(user.size() + 1 + password.size());
    pair.append(user).append(":").append(password);
    return "Basic " + base64_encode(pair);
}

std::string form_body(std::span<const std::pair<std::string_view, std::string_view>> fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out += '&';
        out += net::url_encode(name);
        out += '=';
        out += net::url_encode(value);
    }
    return out;
}

}  // namespace mlc::auth

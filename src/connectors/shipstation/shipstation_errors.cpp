#include "connectors/shipstation/shipstation_errors.hpp"

#include <charconv>
#include <chrono>
#include <optional>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mlc::connectors::shipstation {
namespace {

// Vendor text quoted in our messages is cut here: an error page can be a whole HTML document.
constexpr std::size_t kVendorMessageMax = 300;
// Above an hour a reset header is garbage (V1 windows are one minute).
constexpr std::int64_t kResetSecondsMax = 3600;

std::string cut(std::string_view text) {
    if (text.size() <= kVendorMessageMax) return std::string(text);
    return std::string(text.substr(0, kVendorMessageMax)) + "...";
}

std::optional<std::int64_t> header_seconds(const net::Headers& headers, std::string_view name) {
    const auto text = net::find_header(headers, name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || ptr == text->data() || value < 0 || value > kResetSecondsMax) {
        return std::nullopt;
    }
    return value;
}

std::string prefix(const ErrorContext& context) {
    std::string out = "connection '" + std::string(context.connection) + "'";
    if (!context.what.empty()) out += ": " + std::string(context.what);
    return out;
}

std::string auth_fix(const ErrorContext& context) {
    return "check the API key and secret of connection '" + std::string(context.connection) +
           "' (mlc secret set ...)";
}

Error finish(Error error, const ErrorContext& context) {
    error.system = std::string(kSystem);
    if (error.record_key.empty()) error.record_key = std::string(context.record_key);
    return error;
}

}  // namespace

std::string vendor_message(std::string_view body) {
    boost::system::error_code ec;
    const boost::json::value json = boost::json::parse(body, ec);
    if (ec || !json.is_object()) return cut(body);
    const auto& object = json.get_object();
    std::string out;
    if (const auto* message = object.if_contains("Message"); message && message->is_string()) {
        out = std::string(message->get_string());
    }
    if (const auto* detail = object.if_contains("ExceptionMessage");
        detail && detail->is_string() && !detail->get_string().empty()) {
        out += (out.empty() ? "" : ": ") + std::string(detail->get_string());
    }
    return cut(out.empty() ? body : std::string_view(out));
}

Error error_from_response(const net::HttpResponse& response, const ErrorContext& context) {
    const int status = response.status;
    const std::string vendor = vendor_message(response.body);
    const std::string where = prefix(context) + ": HTTP " + std::to_string(status);
    Error error;
    if (status == 401 || status == 403) {
        error =
            make_error(ErrorCode::kAuthFailed, where + " (" + vendor + "): " + auth_fix(context));
    } else if (status == 429) {
        error = make_error(ErrorCode::kRateLimited,
                           where + ": over ShipStation's 40 requests a minute; wait for the reset");
        auto seconds = header_seconds(response.headers, "X-Rate-Limit-Reset");
        if (!seconds) seconds = header_seconds(response.headers, "Retry-After");
        if (seconds) error.retry_after = std::chrono::seconds(*seconds);
    } else if (status >= 500) {
        error = make_error(ErrorCode::kTransient, where + " (" + vendor + "): retry later");
    } else if (status == 404) {
        error = make_error(ErrorCode::kNotFound, where + ": " + vendor);
    } else if (status == 409) {
        error = make_error(ErrorCode::kConflict, where + ": " + vendor);
    } else {
        error = make_error(ErrorCode::kRejected,
                           where + ": ShipStation refused the request: " + vendor);
    }
    error.http_status = status;
    return finish(std::move(error), context);
}

Error error_from_call(Error error, const ErrorContext& context) {
    if (error.code == ErrorCode::kUnauthorized) {
        error.code = ErrorCode::kAuthFailed;
        error.message = prefix(context) + ": HTTP 401, credentials refused: " + auth_fix(context);
    } else {
        // HttpClient's message already names the method and path.
        error.message = "connection '" + std::string(context.connection) + "': " + error.message;
    }
    return finish(std::move(error), context);
}

}  // namespace mlc::connectors::shipstation

#include "connectors/woocommerce/woocommerce_errors.hpp"

#include <charconv>
#include <chrono>
#include <optional>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mlc::connectors::woocommerce {
namespace json = boost::json;
namespace {

// Vendor text quoted in our messages is cut here: an error page can be a whole HTML document.
constexpr std::size_t kVendorMessageMax = 300;
constexpr std::size_t kParamsNamedMax = 8;            // Bad parameters quoted in one message.
constexpr std::int64_t kRetryAfterSecondsMax = 3600;  // Above an hour the header is garbage.

std::string cut(std::string_view text) {
    if (text.size() <= kVendorMessageMax) return std::string(text);
    return std::string(text.substr(0, kVendorMessageMax)) + "...";
}

std::string text(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string())
                                                  : std::string();
}

std::string prefix(const ErrorContext& context) {
    std::string out = "connection '" + std::string(context.connection) + "'";
    if (!context.what.empty()) out += ": " + std::string(context.what);
    return out;
}

std::string secret_fix(std::string_view role, std::string_view secret_name) {
    return "set the " + std::string(role) + " of this store's REST API key (WooCommerce > " +
           "Settings > Advanced > REST API) with `mlc secret set " + std::string(secret_name) + "`";
}

// WordPress' rest_invalid_param names each parameter and why: "per_page: must be between ...".
std::string params_text(const json::object& error) {
    const auto* data = error.if_contains("data");
    if (data == nullptr || !data->is_object()) return {};
    const auto* params = data->as_object().if_contains("params");
    if (params == nullptr) return {};
    std::string out;
    std::size_t named = 0;
    if (params->is_object()) {
        for (const auto& member : params->as_object()) {
            if (++named > kParamsNamedMax) break;
            out += (out.empty() ? "" : "; ") + std::string(member.key());
            if (member.value().is_string()) out += ": " + std::string(member.value().get_string());
        }
    } else if (params->is_array()) {
        for (const auto& name : params->as_array()) {
            if (++named > kParamsNamedMax) break;
            if (name.is_string()) out += (out.empty() ? "" : ", ") + std::string(name.get_string());
        }
    }
    return out;
}

Error auth_error(const std::string& code, const std::string& message, const std::string& where,
                 const ErrorContext& context) {
    if (code == "woocommerce_rest_authentication_error") {
        if (message.find("secret") != std::string::npos) {
            return make_error(
                ErrorCode::kAuthFailed,
                where + ": WooCommerce says the consumer secret is wrong (" + message +
                    "): " + secret_fix("consumer secret (cs_...)", context.secret_secret));
        }
        return make_error(ErrorCode::kAuthFailed,
                          where + ": WooCommerce says the consumer key is wrong (" + message +
                              "): " + secret_fix("consumer key (ck_...)", context.key_secret));
    }
    if (code.starts_with("woocommerce_rest_cannot_") && !context.query_auth) {
        return make_error(ErrorCode::kAuthFailed,
                          where + ": the store saw no credentials (" + message +
                              "): a server in front of WordPress strips the Authorization "
                              "header; set `auth: query` in the connection's options");
    }
    if (code.starts_with("woocommerce_rest_cannot_")) {
        return make_error(ErrorCode::kAuthFailed,
                          where + ": the store refused the key (" + message +
                              "): give the REST API key Read/Write permission (WooCommerce > "
                              "Settings > Advanced > REST API)");
    }
    return make_error(ErrorCode::kAuthFailed, where + ": credentials refused (" + message +
                                                  "): check " + std::string(context.key_secret) +
                                                  " and " + std::string(context.secret_secret) +
                                                  " (`mlc secret set ...`)");
}

std::optional<std::chrono::seconds> retry_after(const net::Headers& headers) {
    const auto value = net::find_header(headers, "Retry-After");
    if (!value) return std::nullopt;
    std::int64_t seconds = 0;
    const auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
    if (ec != std::errc() || ptr == value->data() || seconds < 0 ||
        seconds > kRetryAfterSecondsMax) {
        return std::nullopt;
    }
    return std::chrono::seconds(seconds);
}

Error finish(Error error, int status, const ErrorContext& context) {
    error.system = std::string(kSystem);
    error.http_status = status;
    if (error.record_key.empty()) error.record_key = std::string(context.record_key);
    return error;
}

}  // namespace

Error error_from_object(const json::object& error, int status, const ErrorContext& context) {
    const std::string code = text(error, "code");
    const std::string message = cut(text(error, "message"));
    if (const auto* data = error.if_contains("data"); data != nullptr && data->is_object()) {
        if (const auto* s = data->as_object().if_contains("status"); s && s->is_int64()) {
            if (status == 0) status = static_cast<int>(s->get_int64());
        }
    }
    std::string where = prefix(context);
    if (!context.record_key.empty()) where += " (" + std::string(context.record_key) + ")";
    where += ": HTTP " + std::to_string(status) + " " + code;
    const std::string vendor = message.empty() ? code : message;

    Error out;
    if (status == 401 || status == 403) {
        out = auth_error(code, vendor, where, context);
    } else if (code == "rest_no_route") {
        out = make_error(ErrorCode::kConfig,
                         where +
                             ": no such WooCommerce REST route: check that base_url is the "
                             "site root (the API is under /wp-json/wc/v3), that WooCommerce is "
                             "active and that permalinks are not \"Plain\"");
    } else if (status == 404 || code.ends_with("_invalid_id")) {
        out = make_error(ErrorCode::kNotFound, where + ": " + vendor);
    } else if (code == "registration-error-email-exists" ||
               code == "woocommerce_rest_customer_invalid_email") {
        out = make_error(ErrorCode::kConflict,
                         where + ": " + vendor +
                             " (Woo keeps one customer per email: find it by email and update it)");
    } else if (code == "product_invalid_sku") {
        out = make_error(ErrorCode::kConflict,
                         where + ": " + vendor +
                             " (a product with this SKU exists: find it by SKU and update it)");
    } else if (status == 413) {
        out = make_error(ErrorCode::kInternal,
                         where + ": " + vendor + " (the client sends at most 100 objects)");
    } else if (status == 429) {
        out = make_error(ErrorCode::kRateLimited,
                         where + ": the store's host limits requests; lower rate_per_minute");
    } else if (code == "woocommerce_rest_cannot_create_order_refund") {
        out = make_error(ErrorCode::kRejected,
                         where + ": " + vendor +
                             " (the payment gateway cannot refund: refund by hand in the gateway, "
                             "or create the refund with api_refund false)");
    } else if (status >= 500) {
        out = make_error(ErrorCode::kTransient, where + " (" + vendor + "): retry later");
    } else {
        std::string detail = where + ": WooCommerce refused the request: " + vendor;
        if (const auto params = params_text(error); !params.empty()) {
            detail += " (" + params + ")";
        }
        out = make_error(ErrorCode::kRejected, std::move(detail));
    }
    return finish(std::move(out), status, context);
}

Error error_from_response(const net::HttpResponse& response, const ErrorContext& context) {
    boost::system::error_code ec;
    const json::value body = json::parse(response.body, ec);
    json::object error;
    if (!ec && body.is_object()) {
        error = body.as_object();
    } else {
        // Not Woo's JSON (a proxy's HTML page): quote the start of it.
        error["code"] = "http_" + std::to_string(response.status);
        error["message"] = cut(response.body);
    }
    Error out = error_from_object(error, response.status, context);
    if (response.status == 429) {
        if (const auto wait = retry_after(response.headers)) out.retry_after = *wait;
    }
    return out;
}

Error error_from_call(Error error, const ErrorContext& context) {
    if (error.code == ErrorCode::kUnauthorized) {
        // HttpClient hands a 401 back untouched only as kUnauthorized; Woo has no token to
        // refresh, so a person fixes the key pair.
        error.code = ErrorCode::kAuthFailed;
        error.message = prefix(context) + ": HTTP 401, credentials refused: check " +
                        std::string(context.key_secret) + " and " +
                        std::string(context.secret_secret) + " (`mlc secret set ...`)";
    } else {
        // HttpClient's message already names the method and path.
        error.message = "connection '" + std::string(context.connection) + "': " + error.message;
    }
    error.system = std::string(kSystem);
    if (error.record_key.empty()) error.record_key = std::string(context.record_key);
    return error;
}

}  // namespace mlc::connectors::woocommerce

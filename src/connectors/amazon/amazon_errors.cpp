#include "connectors/amazon/amazon_errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mlc::connectors::amazon {
namespace {

namespace json = boost::json;

std::string who(const AmazonErrorContext& context) {
    return "connection '" + std::string(context.connection) + "', " +
           std::string(context.operation);
}

std::string quoted(const AmazonErrorDetail& detail, int status) {
    std::string out = "HTTP " + std::to_string(status);
    if (!detail.code.empty()) out += " " + detail.code;
    if (!detail.message.empty()) out += " \"" + detail.message + "\"";
    return out;
}

}  // namespace

AmazonErrorDetail read_amazon_error(std::string_view body) {
    AmazonErrorDetail out;
    json::error_code ec;
    const json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) return out;
    const json::value* errors = parsed.as_object().if_contains("errors");
    if (errors == nullptr || !errors->is_array() || errors->as_array().empty()) return out;
    const json::value& first = errors->as_array().front();
    if (!first.is_object()) return out;
    if (const auto* code = first.as_object().if_contains("code"); code && code->is_string()) {
        out.code = std::string(code->as_string());
    }
    if (const auto* text = first.as_object().if_contains("message"); text && text->is_string()) {
        out.message = std::string(text->as_string());
    }
    return out;
}

Error map_amazon_error(const net::HttpResponse& response, const AmazonErrorContext& context) {
    const AmazonErrorDetail detail = read_amazon_error(response.body);
    const int status = response.status;
    const std::string system(kSystem);
    Error error;
    if ((status == 401 || status == 403) && detail.code == "Unauthorized") {
        error = make_error(ErrorCode::kAuthFailed, system,
                           who(context) + ": Amazon refused the access token (" +
                               quoted(detail, status) +
                               "): check the LWA client id, client secret and refresh token "
                               "(`mlc secret set`), that the seller authorised the app for "
                               "this region, and the app's roles in Seller Central");
    } else if (status == 401 || status == 403) {
        error = make_error(ErrorCode::kConfig, system,
                           who(context) + ": Amazon refused the call (" + quoted(detail, status) +
                               "): check the app's roles for this API and the connection's "
                               "region (options.region)");
    } else if (status == 429) {
        error = make_error(ErrorCode::kRateLimited, system,
                           who(context) + ": Amazon's quota for the operation is spent (" +
                               quoted(detail, status) + "): the next run retries");
    } else if (status == 404) {
        error = make_error(ErrorCode::kNotFound, system,
                           who(context) + ": " + std::string(context.record_key) +
                               ": not found: " + quoted(detail, status));
    } else if (status >= 500) {
        error = make_error(
            ErrorCode::kTransient, system,
            who(context) + ": Amazon failed (" + quoted(detail, status) + "): retry later");
    } else {
        error =
            make_error(ErrorCode::kRejected, system,
                       who(context) + ": Amazon refused the request for " +
                           std::string(context.record_key) + " (" + quoted(detail, status) + ")");
    }
    error.http_status = status;
    error.record_key = std::string(context.record_key);
    return error;
}

Error map_call_error(Error error, const AmazonErrorContext& context) {
    if (error.system.empty()) error.system = std::string(kSystem);
    if (error.record_key.empty()) error.record_key = std::string(context.record_key);
    if (error.code == ErrorCode::kRateLimited &&
        error.message.find("connection '") == std::string::npos) {
        error.message = who(context) +
                        ": Amazon kept answering 429 QuotaExceeded: " + error.message +
                        "; the next run retries";
    }
    return error;
}

}  // namespace mlc::connectors::amazon

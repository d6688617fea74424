#include "connectors/ups/ups_errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mlc::connectors::ups {
namespace {

namespace json = boost::json;

constexpr std::size_t kErrorBodyBytesMax = 64 * 1024;  // A UPS error body is well under this.

std::string who(const UpsErrorContext& context) {
    return "connection '" + std::string(context.connection) + "'";
}

std::string quoted(const UpsErrorDetail& detail, int status) {
    if (detail.code.empty()) return "HTTP " + std::to_string(status);
    return "UPS " + detail.code + " \"" + detail.message + "\" (HTTP " + std::to_string(status) +
           ")";
}

bool mentions(const UpsErrorDetail& detail, std::string_view word) {
    return detail.message.find(word) != std::string::npos;
}

Error shipping_error(const UpsErrorDetail& detail, int status, const UpsErrorContext& context) {
    const std::string what = quoted(detail, status);
    const std::string& code = detail.code;
    if (code == "120100" || code == "120403") {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          who(context) + ": UPS refused the shipper account: " + what +
                              ": set options.account_number to the 6-character UPS account "
                              "the app is linked to");
    }
    if (mentions(detail, "Shipper") || mentions(detail, "ShipFrom")) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          who(context) + ": UPS refused the shipper's details: " + what +
                              ": fix the shipper options (shipper_name, shipper_street1, "
                              "shipper_city, shipper_state, shipper_postal_code, "
                              "shipper_country)");
    }
    std::string fix = "fix the record in the source system, then replay it";
    if (code == "120300") {
        fix =
            "map the source's ship-via to a UPS service code valid for this origin and "
            "destination (03 Ground, 02 2nd Day Air, 01 Next Day Air, ...), then replay it";
    } else if (code.starts_with("1207")) {
        fix = "fix the part weights (each package between 0.1 and 150 lb), then replay it";
    } else if (code.starts_with("1206")) {
        fix = "shorten the reference (1-35 characters), then replay it";
    } else if (mentions(detail, "ShipTo")) {
        fix =
            "fix the ship-to address (name, street, city, state, ZIP) in the source, then replay "
            "it";
    }
    return make_error(ErrorCode::kRejected, std::string(kSystem),
                      "UPS refused " + std::string(context.record_key) + ": " + what + ": " + fix);
}

Error void_error(const UpsErrorDetail& detail, int status, const UpsErrorContext& context) {
    const std::string what = quoted(detail, status);
    if (detail.code == "190117") {
        return make_error(
            ErrorCode::kNotFound, std::string(kSystem),
            std::string(context.record_key) + ": UPS has no shipment to void: " + what);
    }
    return make_error(ErrorCode::kRejected, std::string(kSystem),
                      "UPS cannot void " + std::string(context.record_key) + ": " + what +
                          ": UPS has the package already (voids are possible only before the "
                          "origin scan); return it through UPS instead, then resolve this letter");
}

Error track_alert_error(const UpsErrorDetail& detail, int status, const UpsErrorContext& context) {
    const std::string what = quoted(detail, status);
    if (detail.code == "VSS210") {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "UPS took none of " + std::string(context.record_key) + ": " + what);
    }
    if (detail.code == "VSS600" || detail.code == "VSS610" || detail.code == "VSS700" ||
        detail.code == "VSS800") {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          who(context) +
                              ": UPS has no Track Alert push URL or credential for "
                              "this app: " +
                              what +
                              ": set them under Manage Webhook Credentials on "
                              "developer.ups.com (the flow's README names both)");
    }
    return make_error(ErrorCode::kRejected, std::string(kSystem),
                      "UPS refused the Track Alert subscription of " +
                          std::string(context.record_key) + ": " + what);
}

Error client_error(const UpsErrorDetail& detail, int status, const UpsErrorContext& context) {
    switch (context.api) {
        case UpsApi::kTrackAlert:
            return track_alert_error(detail, status, context);
        case UpsApi::kShipping:
            return shipping_error(detail, status, context);
        case UpsApi::kVoid:
            return void_error(detail, status, context);
        case UpsApi::kLabelRecovery:
            return make_error(ErrorCode::kRejected, std::string(kSystem),
                              "UPS has no label to recover for " + std::string(context.record_key) +
                                  ": " + quoted(detail, status) +
                                  ": reprint it from ups.com (shipping history); a replay "
                                  "finds the shipment by its reference again (never a second "
                                  "one) and retries the recovery");
        case UpsApi::kAddressValidation:
            return make_error(ErrorCode::kRejected, std::string(kSystem),
                              "UPS cannot validate the address of " +
                                  std::string(context.record_key) + ": " + quoted(detail, status) +
                                  ": street-level validation covers US and PR addresses with one "
                                  "to three street lines; fix the ship-to, then replay it");
        default:
            break;
    }
    return make_error(ErrorCode::kRejected, std::string(kSystem),
                      "UPS refused the request for " + std::string(context.record_key) + ": " +
                          quoted(detail, status));
}

}  // namespace

UpsErrorDetail read_ups_error(std::string_view body) {
    if (body.size() > kErrorBodyBytesMax) return {};
    boost::system::error_code ec;
    const json::value root = json::parse(body, ec);
    if (ec || !root.is_object()) return {};
    const json::value* response = root.get_object().if_contains("response");
    const json::value* errors = response != nullptr && response->is_object()
                                    ? response->get_object().if_contains("errors")
                                    : nullptr;
    if (errors == nullptr || !errors->is_array() || errors->get_array().empty()) return {};
    const json::value& first = errors->get_array().front();
    if (!first.is_object()) return {};
    UpsErrorDetail detail;
    if (const auto* code = first.get_object().if_contains("code"); code && code->is_string()) {
        detail.code = std::string(code->get_string());
    }
    if (const auto* text = first.get_object().if_contains("message"); text && text->is_string()) {
        detail.message = std::string(text->get_string());
    }
    return detail;
}

Error map_ups_error(const net::HttpResponse& response, const UpsErrorContext& context) {
    const UpsErrorDetail detail = read_ups_error(response.body);
    const int status = response.status;
    Error error;
    if (status == 401) {
        error = make_error(ErrorCode::kAuthFailed, std::string(kSystem),
                           who(context) + ": UPS refused the token: " + quoted(detail, status) +
                               ": check the client id and secret (`mlc secret set`) and that the "
                               "app has this API's product enabled");
    } else if (status == 403) {
        error = make_error(ErrorCode::kConfig, std::string(kSystem),
                           who(context) + ": UPS refused the account: " + quoted(detail, status) +
                               ": check options.merchant_id (the 6-character account the app is "
                               "linked to) and the app's products on developer.ups.com");
    } else if (status == 429) {
        error = make_error(ErrorCode::kRateLimited, std::string(kSystem),
                           who(context) + ": UPS is throttling requests (" +
                               quoted(detail, status) + "): retry later");
    } else if (status == 404) {
        error =
            make_error(ErrorCode::kNotFound, std::string(kSystem),
                       who(context) + ": " + std::string(context.record_key) +
                           ": not found: " + quoted(detail, status) +
                           " (check base_url: the host root, e.g. https://onlinetools.ups.com)");
    } else if (status >= 500) {
        error =
            make_error(ErrorCode::kTransient, std::string(kSystem),
                       who(context) + ": UPS failed (" + quoted(detail, status) + "): retry later");
    } else {
        error = client_error(detail, status, context);
    }
    error.http_status = status;
    error.record_key = std::string(context.record_key);
    return error;
}

Error map_call_error(Error error, const UpsErrorContext& context) {
    if (error.system.empty()) error.system = std::string(kSystem);
    if (error.record_key.empty()) error.record_key = std::string(context.record_key);
    if (error.code == ErrorCode::kRateLimited &&
        error.message.find("connection '") == std::string::npos) {
        error.message = who(context) + ": UPS kept answering 429 (10429): " + error.message +
                        "; the next run retries";
    }
    return error;
}

}  // namespace mlc::connectors::ups

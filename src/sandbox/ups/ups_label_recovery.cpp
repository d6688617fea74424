// Label Recovery: POST /api/labels/{version}/recovery (Shipping.yaml, LabelRecoveryRequest).
// By TrackingNumber only: the label of that package, as made at ship time, in the format asked.
#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "sandbox/ups/ups_json.hpp"
#include "sandbox/ups/ups_labels.hpp"
#include "sandbox/ups/ups_timeline.hpp"
#include "sandbox/ups/ups_tracking_number.hpp"

namespace mlc::sandbox::ups {
namespace {

namespace json = boost::json;

// The path's version (v1 original, v1701 COD turn-in page, v1903, v2603 Roadie) and
// Request.SubVersion's supported values (Shipping.yaml).
constexpr std::array<std::string_view, 5> kVersions = {"v1", "v1701", "v1707", "v1903", "v2603"};
constexpr std::array<std::string_view, 4> kSubVersions = {"1701", "1707", "1903", "2603"};
constexpr std::array<std::string_view, 5> kFormats = {"GIF", "PDF", "ZPL", "EPL", "SPL"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

struct RecoveryInput {
    std::string tracking = {};
    std::string format = "GIF";  // LabelImageFormat absent: GIF (Shipping.yaml "Default is GIF").
};

// The request's checks, in UPS's order of containers; an error response or the input.
std::optional<net::HttpResponse> read_recovery(const json::object* root, RecoveryInput& input) {
    const json::object* request = object_at(root, "Request");
    if (root == nullptr || request == nullptr) {
        return ups_error(400, "121000", "Missing LabelRecoveryRequest or its Request container.");
    }
    const std::string sub = string_at(request, "SubVersion");
    if (has_key(request, "SubVersion") && !listed(kSubVersions, sub)) {
        return ups_error(400, "121007", "Invalid SubVersion: 1701, 1707, 1903 or 2603.");
    }
    if (has_key(root, "Translate") && has_key(root, "Locale")) {
        return ups_error(400, "121006", "Either Translate or Locale may be sent, not both.");
    }
    input.tracking = string_at(root, "TrackingNumber");
    if (input.tracking.empty()) {
        if (has_key(root, "ReferenceValues") || has_key(root, "TrackingNumbers") ||
            has_key(root, "MailInnovationsTrackingNumber")) {
            return ups_error(400, "121008",
                             "Recovery by ReferenceValues, Roadie TrackingNumbers or a Mail "
                             "Innovations number is not emulated: send TrackingNumber.");
        }
        return ups_error(400, "121001", "Missing TrackingNumber.");
    }
    if (!is_valid_tracking_number(input.tracking)) {
        return ups_error(400, "121002", "Invalid TrackingNumber '" + input.tracking + "'.");
    }
    // Required for a shipment without return service (every shipment the emulator makes).
    const json::object* spec = object_at(root, "LabelSpecification");
    if (spec == nullptr) return ups_error(400, "121004", "Missing LabelSpecification.");
    if (const json::object* format = object_at(spec, "LabelImageFormat")) {
        input.format = string_at(format, "Code");
    }
    if (!listed(kFormats, input.format)) {
        return ups_error(400, "121004",
                         "Invalid LabelImageFormat Code: use GIF, PDF, ZPL, EPL or SPL.");
    }
    // Thermal labels need a stock size, as on ship: 4x6 or 4x8 inches.
    if (input.format != "GIF" && input.format != "PDF") {
        const json::object* stock = object_at(spec, "LabelStockSize");
        const std::string height = string_at(stock, "Height");
        if (string_at(stock, "Width") != "4" || (height != "6" && height != "8")) {
            return ups_error(400, "121005", "LabelStockSize must be Width 4 and Height 6 or 8.");
        }
    }
    return std::nullopt;
}

}  // namespace

net::HttpResponse UpsEmulator::recover_label(const net::HttpRequest& request,
                                             std::string_view version) {
    if (!listed(kVersions, version)) return ups_error(400, "121000", "Invalid version.");
    boost::system::error_code ec;
    const json::value body = json::parse(request.body, ec);
    if (ec) return ups_error(400, "121000", "The request body is not valid JSON.");
    const json::object* root = object_at(body.if_object(), "LabelRecoveryRequest");
    RecoveryInput input;
    if (auto refused = read_recovery(root, input)) return std::move(*refused);
    // The account's packages only: the token's x-merchant-id account when it named one.
    const auto auth = net::find_header(request.headers, "Authorization");
    const auto token = tokens_.find(std::string(auth->substr(7)));  // check_bearer passed.
    const Package* package = find_package(input.tracking);
    const bool own = package != nullptr && (token->second.merchant_id.empty() ||
                                            token->second.merchant_id == package->shipper_number);
    if (!own || rolled_off(*package) || package->voided) {
        return ups_error(400, "121003",
                         "No label found for TrackingNumber '" + input.tracking +
                             "': unknown to this account, voided, or past its history.");
    }
    // As made at ship time: the very bytes in the format shipped, the same label redrawn in
    // another format.
    const std::string image =
        input.format == package->label_format
            ? package->label_base64
            : base64_encode(label_bytes(input.format, package->tracking, package->ship_to_name,
                                        service_description(package->plan.service_code)));
    json::object label{{"LabelImageFormat", json::object{{"Code", input.format}}},
                       {"GraphicImage", image}};
    if (input.format == "GIF") label["HTMLImage"] = base64_encode(label_html(package->tracking));
    json::object result{{"TrackingNumber", package->tracking}, {"LabelImage", std::move(label)}};
    return json_ok(
        json::object{{"LabelRecoveryResponse",
                      json::object{{"Response", success_response(object_at(root, "Request"))},
                                   {"ShipmentIdentificationNumber", package->shipment_id},
                                   {"LabelResults", json::array{std::move(result)}}}}});
}

}  // namespace mlc::sandbox::ups

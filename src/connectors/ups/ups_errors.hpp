#pragma once
// UPS answers -> ErrorCode, decided once here (STYLE.md rule 9). Every UPS API answers errors as
// {"response": {"errors": [{"code", "message"}]}} (ups.md); the status and the code decide:
//
//  * 401 (after the token manager's one refresh): kAuthFailed naming the client id/secret
//    secrets and the app's products (UJ0001 no token, 250002 unknown or revoked, 251004 expired).
//  * 403 (10403 "Blocked Merchant" and others): kConfig, check options.merchant_id and that the
//    app is linked to the account.
//  * 429 (10429): kRateLimited (the net client already retried it).
//  * 400 on Shipping: the shipper or bill-to account (120100, 120403) -> kConfig naming
//    options.account_number; the shipper's own address (Shipper ... messages) -> kConfig naming
//    the shipper options; the service (120300) -> kRejected naming the service code mapping; the
//    ship-to (ShipTo ... messages), weights (12070x) and references (1206xx) -> kRejected
//    naming the record and what to fix in the source.
//  * 400 on Void: 190102 (already in transit or voided) -> kRejected "UPS has the package";
//    190117 (no shipment within the void period) -> kNotFound.
//  * 400 on Label Recovery (no label for the number: unknown to the account, voided, or a
//    request UPS refuses) -> kRejected naming the package: reprint it from ups.com; a replay
//    retries the recovery.
//  * 400 on Address Validation (2640xx: not US/PR, bad lines) -> kRejected naming the address.
//  * 400 on Track Alert: VSS210 (no valid tracking number in the request) -> kInvalidInput (the
//    client answers it as every number invalid); VSS600/VSS610/VSS700/VSS800 (no push URL or
//    credential at UPS) -> kConfig naming the portal's webhook settings; others -> kRejected.
//  * 404 -> kNotFound; 5xx -> kTransient; anything else -> kRejected quoting UPS.
//
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::ups {

inline constexpr std::string_view kSystem = "ups";

enum class UpsApi {
    kToken,
    kAddressValidation,
    kShipping,
    kVoid,
    kLabelRecovery,
    kTracking,
    kQuantumView,
    kTrackAlert
};

struct UpsErrorContext {
    std::string_view connection = {};  // "ups-main"
    UpsApi api = UpsApi::kShipping;
    std::string_view record_key = {};  // "shipment 5012-1-1", "package 1Z..."
};

struct UpsErrorDetail {
    std::string code = {};     // "120300"; empty when the body is not UPS's error shape.
    std::string message = {};  // UPS's text.
};

// The first {code, message} of UPS's error shape; empty fields when the body is not it.
UpsErrorDetail read_ups_error(std::string_view body);

// A non-2xx answer -> Error.
Error map_ups_error(const net::HttpResponse& response, const UpsErrorContext& context);

// An Error from net::HttpClient or the token manager (no answer, 429 after retries, 401 after the
// refresh) -> the connector's Error, naming the connection and the record.
Error map_call_error(Error error, const UpsErrorContext& context);

}  // namespace mlc::connectors::ups

#pragma once
// Acumatica answers -> ErrorCode, decided once here (STYLE.md rule 9). Every message names the
// system, the connection or record, and the fix.
//
//  * 404 on an entity route: kNotFound ("No entity satisfies the condition" for a missing key; an
//    unserved endpoint/version is caught earlier by AcumaticaClient::check_version).
//  * 422: kRejected with each field's `error` ("CustomerID: 'Customer ID' cannot be found").
//  * 412: kConflict (a broken If-Match/If-None-Match precondition).
//  * 400: kRejected with exceptionMessage (a query or body the instance refused).
//  * 429 and "API Login Limit": kRateLimited. 401 after the re-login: kAuthFailed.
//  * 500 and other 5xx: kTransient with the vendor's message (an action's failure is a 500 too).
//
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::acumatica {

inline constexpr const char* kSystemName = "acumatica";
inline constexpr std::size_t kVendorMessageMax = 600;  // Characters of a vendor message kept.

struct ErrorContext {
    std::string_view connection = {};  // "acumatica-main".
    std::string_view what = {};        // "PUT SalesOrder": method and path, never the query.
    std::string_view record_key = {};  // "sales order SO/000123" when one record is concerned.
};

// The vendor's words from an error body: exceptionMessage or message, and every field `error` of
// a 422 entity ("Details/1/InventoryID: ..."); the body's start when it is not such JSON.
std::string vendor_message(std::string_view body);

// A non-2xx answer -> Error.
Error error_from_response(const net::HttpResponse& response, const ErrorContext& context);

}  // namespace mlc::connectors::acumatica

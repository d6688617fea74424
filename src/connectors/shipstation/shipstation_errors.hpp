#pragma once
// ShipStation V1 answers -> ErrorCode, decided once here (STYLE.md rule 9). Every message names
// the system, the connection or record, and the fix.
//
//  * 401 (and the client's kUnauthorized): kAuthFailed. V1 is plain Basic auth with no token to
//    refresh, so a refused key/secret pair needs a person: "check the API key and secret of
//    connection X".
//  * 403: kAuthFailed too (the key pair lacks the permission).
//  * 429: kRateLimited, retry_after from X-Rate-Limit-Reset (seconds until V1's 40 requests/minute
//    window resets; shipstation.md "Rate limit"), else Retry-After.
//  * 5xx: kTransient. 404: kNotFound. 409: kConflict.
//  * 400 and other 4xx: kRejected with the vendor's ASP.NET "Message" (and "ExceptionMessage",
//    which carries the detail, e.g. "orderId not found.").
//
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::shipstation {

inline constexpr std::string_view kSystem = "shipstation";

struct ErrorContext {
    std::string_view connection;  // The configured connection name ("shipstation-main").
    std::string_view what;        // "GET /orders": method and path, never the query.
    std::string_view record_key;  // "order 100123" when one record is concerned.
};

// The vendor's message from an ASP.NET error body: "Message: ExceptionMessage", or the start of
// the body when it is not such JSON. Never longer than kVendorMessageMax.
std::string vendor_message(std::string_view body);

// A non-2xx answer -> Error.
Error error_from_response(const net::HttpResponse& response, const ErrorContext& context);

// An Error from net::HttpClient (no answer, 401, 429 after retries) -> the connector's Error:
// kUnauthorized becomes kAuthFailed naming the connection; everything gets the context.
Error error_from_call(Error error, const ErrorContext& context);

}  // namespace mlc::connectors::shipstation

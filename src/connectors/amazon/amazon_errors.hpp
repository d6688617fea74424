#pragma once
// SP-API answers -> ErrorCode, decided once here (STYLE.md rule 9). Every SP-API operation answers
// errors as {"errors": [{"code", "message", "details"}]} (amazon-sp-api.md); the status and the
// code decide:
//
//  * 403 Unauthorized (after the token manager's one refresh): kAuthFailed naming the LWA secrets
//    and the app's roles; other 403s: kConfig (the app lacks the role, or the region is wrong).
//  * 429 QuotaExceeded: kRateLimited (the net client already waited and retried it).
//  * 400 InvalidInput: kRejected quoting Amazon (the request the connector built, or a record id
//    Amazon does not take); 404 NotFound: kNotFound; 5xx: kTransient.
//
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::amazon {

inline constexpr std::string_view kSystem = "amazon";

struct AmazonErrorContext {
    std::string_view connection = {};  // "amazon-us"
    std::string_view operation = {};   // "searchOrders", "getReport"
    std::string_view record_key = {};  // "order 113-...", "orders updated since ..."
};

struct AmazonErrorDetail {
    std::string code = {};     // "InvalidInput"; empty when the body is not SP-API's error shape.
    std::string message = {};  // Amazon's text.
};

// The first {code, message} of SP-API's error shape; empty fields when the body is not it.
AmazonErrorDetail read_amazon_error(std::string_view body);

// A non-2xx answer -> Error naming the connection, the operation and the record.
Error map_amazon_error(const net::HttpResponse& response, const AmazonErrorContext& context);

// An Error from net::HttpClient or the token manager (no answer, 429 after the retries, 403/401
// after the refresh) -> the connector's Error, naming the connection and the record.
Error map_call_error(Error error, const AmazonErrorContext& context);

}  // namespace mlc::connectors::amazon

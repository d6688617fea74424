#pragma once
// WooCommerce answers -> ErrorCode, decided once here (STYLE.md rule 9). Woo and WordPress answer
// errors as {"code", "message", "data": {"status"}} (woocommerce.md, Errors); the code decides:
//
//  * 401 woocommerce_rest_authentication_error "Consumer key is invalid." / "Consumer secret is
//    invalid.": kAuthFailed naming which vault secret to fix.
//  * 401 woocommerce_rest_cannot_view/create/edit/delete: the store saw no credentials at all,
//    which over Basic means a server in front stripped Authorization: kAuthFailed, "set
//    options.auth: query".
//  * 403 (woocommerce_rest_cannot_*, and 401 from net::HttpClient after retries as well): the key
//    lacks the permission: kAuthFailed naming the Read/Write setting.
//  * 404 rest_no_route: kConfig (base_url is not the site root, or the REST API is off).
//    404 *_invalid_id: kNotFound naming the record.
//  * 400 registration-error-email-exists, woocommerce_rest_customer_invalid_email (email taken),
//    product_invalid_sku (duplicate SKU): kConflict (look the record up by its key instead).
//  * 400 rest_invalid_param / rest_missing_callback_param and other 4xx: kRejected quoting Woo's
//    message and the bad parameters.
//  * 413 woocommerce_rest_request_entity_too_large: kInternal (the client caps batches).
//  * 429: kRateLimited with Retry-After. 500 woocommerce_rest_cannot_create_order_refund:
//    kRejected (the gateway cannot refund). Other 5xx: kTransient.
//
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/error.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::woocommerce {

inline constexpr std::string_view kSystem = "woocommerce";

struct ErrorContext {
    std::string_view connection;  // The configured connection name ("woo-main").
    std::string_view what;        // "GET /wp-json/wc/v3/orders": method and path, never the query.
    std::string_view record_key;  // "order 1234", "product SKU WOO-1" when one record is concerned.
    std::string_view key_secret;  // Vault secret names, to say which one to fix.
    std::string_view secret_secret;  // (The names only; never a value.)
    bool query_auth = false;         // Credentials sent as query parameters.
};

// A Woo error object {code, message, data.status} -> Error (the batch's per-item errors too).
Error error_from_object(const boost::json::object& error, int status, const ErrorContext& context);

// A non-2xx answer -> Error.
Error error_from_response(const net::HttpResponse& response, const ErrorContext& context);

// An Error from net::HttpClient (no answer, 401, 429 after retries) -> the connector's Error.
Error error_from_call(Error error, const ErrorContext& context);

}  // namespace mlc::connectors::woocommerce

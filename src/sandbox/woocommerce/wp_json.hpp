#pragma once
// WordPress JSON: the bytes wp_json_encode() writes (PHP json_encode with default flags), which
// is what the WooCommerce REST API answers and what a webhook delivery carries and is signed over
// (../shared/specs/woocommerce.md, "Webhooks": `/` escaped as `\/`, non-ASCII as `\uXXXX`).
// Pure functions over boost::json values.
//
// Boost.JSON keeps numbers as doubles; money must stay exact (Decimal), so a number that must be
// written as a JSON number with exact text (line_items[].price) is carried as a marked string made
// by raw_number() and written bare by wp_json_encode().

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/decimal.hpp"

namespace mlc::sandbox::woocommerce {

// A value wp_json_encode() writes as the bare number `text` ("12.3"). `text` must be a JSON number.
boost::json::value raw_number(std::string text);
// PHP writes a float with at least one fraction digit (10.0, 12.3): Woo's price is a float.
boost::json::value php_float(const Decimal& amount);
// Woo money field: a string with the store's 2 decimals ("29.35").
std::string money_text(const Decimal& amount);

// PHP json_encode with default flags: `/` -> `\/`, every code point above U+007F -> `\uxxxx`
// (lowercase hex, surrogate pairs above U+FFFF), control characters -> \b \f \n \r \t or \u00xx.
// Invalid UTF-8 bytes become \ufffd.
std::string wp_json_encode(const boost::json::value& value);

}  // namespace mlc::sandbox::woocommerce

#pragma once
// WooCommerce wc/v3 JSON <-> canonical model (woocommerce.md, Objects). Pure functions, no I/O.
//
//  * Money: Woo writes money as JSON strings ("29.35") and they become mlc::Decimal digit for
//    digit. The one numeric money field, line_items[].price, is a PHP float: parse_exact() keeps
//    every fractional number as its text (a JSON string) so nothing passes through a double, and
//    the line's unit price is computed from `subtotal / quantity` instead of read from `price`.
//  * Dates: Woo writes each date twice without an offset, site-local (`date_created`) and UTC
//    (`date_created_gmt`). Only the `_gmt` fields are read, as UTC.
//  * A record that cannot be mapped (bad money or date) is rejected on its own: a page lists it in
//    Page::rejected with its raw JSON instead of failing the whole page.
//
// Keys: an order's and a customer's SourceRef key and id are Woo's id; a product's key is its SKU
// (the no-duplicates key, ARCHITECTURE.md) and its id Woo's id.
//
// Thread-safe (no state).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"
#include "connectors/connector.hpp"
#include "model/model.hpp"

namespace mlc::connectors::woocommerce {

constexpr std::size_t kJsonBytesMax = 64 * 1024 * 1024;  // One answer: 100 full orders fit.
constexpr std::size_t kJsonDepthMax = 64;
constexpr std::size_t kRecordsPerAnswerMax = 1'000;  // A list answer holds at most 100 (per_page).

// ---- Exact JSON ------------------------------------------------------------------------------
// kInvalidInput naming `what` ("the GET /orders answer") when `text` is not JSON. Numbers with a
// fraction or an exponent become JSON strings holding their text; whole numbers stay int64.
Result<boost::json::value> parse_exact(std::string_view text, std::string_view what);
// An object's raw text as parse_exact() read it (fractional numbers appear as strings).
std::string to_raw(const boost::json::object& object);

// ---- Fields ----------------------------------------------------------------------------------
std::string text_of(const boost::json::object& object, std::string_view key);
std::int64_t int_of(const boost::json::object& object, std::string_view key);
// A Woo money string ("29.35", "" = 0) -> Decimal; kInvalidInput naming the field otherwise.
Result<Decimal> money_of(const boost::json::object& object, std::string_view key);
// "2024-03-15T10:20:30" in `key` + "_gmt" read as UTC; nullopt when null or empty.
Result<std::optional<UtcTime>> gmt_date_of(const boost::json::object& object, std::string_view key);
// A request date: "2024-03-15T10:20:30" (UTC wall digits, whole seconds: send with
// dates_are_gmt=true).
std::string gmt_request_time(UtcTime t);
// The value of the first meta_data entry named `key` as text (numbers as their text), or nullopt.
std::optional<std::string> meta_value(const boost::json::object& object, std::string_view key);

// ---- Records ---------------------------------------------------------------------------------
Result<model::OrderStatus> order_status_from_text(std::string_view status);

Result<model::Order> order_from_json(const boost::json::object& order);
// `order_id` is the refunded order's id (refund objects do not carry it).
Result<model::Refund> refund_from_json(const boost::json::object& refund, std::int64_t order_id,
                                       std::string_view currency);
Result<model::Item> item_from_json(const boost::json::object& product);
Result<model::Party> party_from_json(const boost::json::object& customer);

// The product fields a write sends: name (description), sku, regular_price (2 decimals), status
// (publish when active, else draft), manage_stock + stock_quantity (when quantity_on_hand is set),
// weight.
boost::json::object product_to_json(const model::Item& item);
// email, first_name / last_name (name split at its last space), billing, shipping; username
// (= code) only when `with_username` (Woo refuses to change it).
boost::json::object customer_to_json(const model::Party& party, bool with_username);

// A list answer (a JSON array) -> mapped records and rejected ones (paging fields left to the
// caller, who reads the headers).
Result<Page<model::Order>> orders_from_answer(const boost::json::value& answer);
Result<Page<model::Item>> products_from_answer(const boost::json::value& answer);
Result<Page<model::Party>> customers_from_answer(const boost::json::value& answer);

}  // namespace mlc::connectors::woocommerce

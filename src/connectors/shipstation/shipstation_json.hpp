#pragma once
// ShipStation V1 JSON <-> canonical model (shipstation.md). Pure functions, no I/O.
//
//  * Exact numbers: Boost.JSON reads numbers as double, and money must never pass through a
//    double. parse_exact() therefore turns every number token into a *marked* string (the
//    number's text behind kNumberMark) before Boost.JSON sees it; readers take the text and
//    Decimal::parse it, and serialize_exact() writes marked strings back as bare numbers. So
//    "12.30" arrives as Decimal 12.30 and goes out as 12.30, digit for digit.
//  * Times: V1 datetimes are US Pacific local time without an offset, 0-7 fraction digits, and
//    shipDate is a date only. They become UTC here, at the edge; the repeated fall-back hour
//    reads as its first (PDT) occurrence, which the caller's overlap window covers.
//  * A record that cannot be mapped (bad date, bad money) is rejected on its own: a page answer
//    lists it in Page::rejected with its raw JSON instead of failing the whole page.
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

namespace mlc::connectors::shipstation {

inline constexpr std::string_view kPacificZone = "America/Los_Angeles";  // V1 speaks Pacific.
inline constexpr char kNumberMark = '\x1f';     // Starts a marked number; never in vendor text.
constexpr std::uint32_t kPageRecordsMax = 500;  // V1 pageSize maximum: one answer lists no more.
constexpr std::size_t kJsonBytesMax = 64 * 1024 * 1024;  // One answer: 500 full orders fit.

// ---- Exact JSON ------------------------------------------------------------------------------
// kInvalidInput naming `what` ("GET /orders answer") when `text` is not JSON.
Result<boost::json::value> parse_exact(std::string_view text, std::string_view what);
std::string serialize_exact(const boost::json::value& value);
boost::json::value exact_number(const Decimal& amount);
boost::json::value exact_number(std::int64_t whole);
// A JSON number (marked) or numeric string -> its text; nullopt for anything else.
std::optional<std::string> number_text(const boost::json::value& value);

// ---- Times -----------------------------------------------------------------------------------
// "2015-06-29T08:46:27.0000000", "2015-08-17T09:24:14.78", "2015-04-25" (Pacific) -> UTC.
Result<UtcTime> parse_pacific(std::string_view text);
// A request parameter: "2016-11-29 23:59:59" in Pacific wall time (seconds truncated).
Result<std::string> pacific_request_time(UtcTime t);
// A body datetime in V1's own form: "2015-06-29T08:46:27.0000000" (Pacific, 7 fraction digits).
Result<std::string> pacific_body_time(UtcTime t);
// A date: "2015-04-25" (Pacific calendar date of `t`).
Result<std::string> pacific_date(UtcTime t);

// ---- Records ---------------------------------------------------------------------------------
Result<model::OrderStatus> order_status_from_text(std::string_view text);
std::string_view order_status_text(model::OrderStatus status);

Result<model::Order> order_from_json(const boost::json::object& order);
Result<model::Shipment> shipment_from_json(const boost::json::object& shipment);
// The voidDate of one shipment's JSON (a Record's raw), UTC; nullopt when it has none.
Result<std::optional<UtcTime>> shipment_void_date(std::string_view raw);

struct OrderWriteOptions {
    std::optional<std::int64_t> order_id;  // Update by id (else by orderKey = source.key).
    std::optional<std::int64_t> store_id;  // Only honoured on create (V1 locks storeId after).
};
// The full V1 order for POST /orders/createorder (an update replaces the whole order, so every
// field is always sent). orderKey is order.source.key.
Result<boost::json::object> order_to_json(const model::Order& order,
                                          const OrderWriteOptions& options);

// A list answer {"orders": [...], "total", "page", "pages"} / {"shipments": [...], ...}.
// `pages` 0 means no more (the V1 docs' samples answer 0 for a single page).
Result<Page<model::Order>> orders_page_from_json(std::string_view body);
Result<Page<model::Shipment>> shipments_page_from_json(std::string_view body);

}  // namespace mlc::connectors::shipstation

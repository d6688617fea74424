#pragma once
// Epicor JSON <-> canonical model (STYLE rule 9), and exact JSON text.
//
// Epicor sends decimals (UnitPrice, DocTotalOrder, quantities) as JSON numbers; Boost.JSON would
// read them as double, which money never passes through. parse_exact() reads every number with a
// fraction or exponent as its decimal text (a JSON string); whole numbers stay int64.
// write_exact() writes string members named in kDecimalFields back as bare JSON numbers.
//
// Epicor date-times travel as "2024-03-15T00:00:00" with no offset, in the server's local time
// (spec, Answers); `server_zone` (IANA name, "UTC" by default) converts them at this edge.
//
// Pure functions, no I/O.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/exact_json.hpp"
#include "common/result.hpp"
#include "model/model.hpp"

namespace mlc::connectors::epicor {

constexpr std::size_t kBodyBytesMax = 64 * 1024 * 1024;  // A page of 1,000 rows fits easily.
constexpr std::size_t kJsonDepthMax = 64;

using NameSet = JsonNameSet;

// Decimal fields of the tables this connector writes (Edm.Decimal in the vendor's metadata).
const NameSet& decimal_fields();

Result<boost::json::value> parse_exact(std::string_view text);
std::string write_exact(const boost::json::value& value);

// Field readers: missing or null fields read as empty/0/false. decimal_of() takes int64 or decimal
// text and answers kInvalidInput naming the field otherwise.
std::string text_of(const boost::json::object& row, std::string_view field);
std::int64_t int_of(const boost::json::object& row, std::string_view field);
bool bool_of(const boost::json::object& row, std::string_view field);
Result<Decimal> decimal_of(const boost::json::object& row, std::string_view field);

// "2024-03-15T00:00:00" (local in `zone`) <-> UTC. Null/empty reads as nullopt.
Result<std::optional<UtcTime>> date_of(const boost::json::object& row, std::string_view field,
                                       std::string_view zone);
Result<std::string> format_epicor_datetime(UtcTime t, std::string_view zone);
// Midnight of `t`'s local day in `zone`: Epicor's date-only fields (OrderDate, RequestDate).
Result<std::string> format_epicor_date(UtcTime t, std::string_view zone);

// Customer row -> Party (source.key CustID, source.id CustNum).
Result<model::Party> party_from_customer(const boost::json::object& row, std::string_view zone);
// Part row -> Item (revision = SysRevID).
Result<model::Item> item_from_part(const boost::json::object& row);
// OrderHed row + its OrderDtl rows -> Order (source.key OrderNum; line_key OrderLine; void lines
// are left out). `source_key_field` names the field holding the source system's key (PONum or a
// UD field) which becomes Order::number.
Result<model::Order> order_from_rows(const boost::json::object& head,
                                     const boost::json::array& lines,
                                     std::string_view source_key_field, std::string_view zone);

// The OrderHed fields an order sets besides the customer: the source key, dates and the one-time
// ship-to (OTS*). Dates are local dates in `zone`.
Result<boost::json::object> order_header_fields(const model::Order& order,
                                                std::string_view source_key_field,
                                                std::string_view zone);

}  // namespace mlc::connectors::epicor

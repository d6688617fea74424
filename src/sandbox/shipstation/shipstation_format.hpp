#pragma once
// ShipStation V1 wire formats for the emulator: Pacific local times without offset and exact JSON
// numbers. Pure functions. (../shared/specs/shipstation.md, "Times".)

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"

namespace mlc::sandbox::shipstation {

inline constexpr std::string_view kZone =
    "America/Los_Angeles";  // V1 speaks Pacific, DST included.

// "2015-06-29T08:46:27.0000000": orders, shipments.
std::string order_time(UtcTime t);
// "2015-08-17T09:24:14.78": items and products, 0-7 fraction digits (trailing zeros dropped).
std::string short_time(UtcTime t);
// "2015-04-25": shipDate.
std::string date_only(UtcTime t);
// A request time: "2016-11-29 23:59:59", or any text parse_local reads. The repeated fall-back hour
// reads as its first (PDT) occurrence for range starts, its second (PST) for range ends, so a
// range written in Pacific wall time keeps every record whose wall time lies inside it.
Result<UtcTime> parse_request_time(std::string_view text, bool range_end);

// Exact numbers: Boost.JSON holds doubles, so money is carried as a marked string and written as a
// bare number by serialize(). money() builds one; read_money() accepts a JSON number or marked
// string.
boost::json::value money(const Decimal& amount);
Result<Decimal> read_money(const boost::json::value& value);
// Every double inside `value` becomes an exact marked number (the shortest text that reads back
// as the same double: what the sender wrote for any amount with up to 15 significant digits).
void normalise_numbers(boost::json::value& value);
std::string serialize(const boost::json::value& value);

}  // namespace mlc::sandbox::shipstation

#pragma once
// Time: UTC instants inside (UtcTime, clock.hpp); vendor local times are converted at the
// connector edge with these functions.
//
// Local times without an offset in a named zone (ShipStation V1 speaks America/Los_Angeles):
//  * DST gap (spring forward, e.g. 02:30 on 2024-03-10 does not exist): the local time is read as
//    if the clock had not yet moved, i.e. shifted forward by the gap (02:30 -> 03:30 PDT =
//    10:30Z). Deterministic and never earlier than a real instant next to it.
//  * DST overlap (fall back, 01:30 on 2024-11-03 happens twice): `Ambiguity` chooses; the default
//    kEarliest takes the first (PDT) occurrence. Pollers use an overlap window wide enough to
//    cover the repeated hour and dedupe by key, so either choice loses nothing.

#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace mlc {

enum class Ambiguity { kEarliest, kLatest };

// ISO-8601 UTC: "2024-03-15T10:20:30Z", "2024-03-15T10:20:30.123456Z", with offsets "+02:00",
// and "2024-03-15" (midnight UTC). Errors name the text.
Result<UtcTime> parse_iso8601(std::string_view text);
// "2024-03-15T10:20:30Z", or with fraction digits when the instant has them
// ("2024-03-15T10:20:30.123Z": milliseconds when only millis are set, else micros).
std::string format_iso8601(UtcTime t);

// Vendor local text with no offset ("2015-06-29T08:46:27.0000000", 0-7 fraction digits,
// "2015-06-29 08:46:27", or date only "2015-04-25") in `zone` (IANA name) -> UTC.
Result<UtcTime> parse_local(std::string_view text, std::string_view zone,
                            Ambiguity ambiguity = Ambiguity::kEarliest);
// UTC -> local wall time text in `zone`, formatted with a strftime-like pattern understood by
// date::format ("%Y-%m-%d %H:%M:%S"). Fractions are written by `fraction_digits` (0-7).
Result<std::string> format_local(UtcTime t, std::string_view zone, std::string_view pattern,
                                 int fraction_digits = 0);

}  // namespace mlc

#pragma once
// Exact JSON: numbers never pass through double. Vendors (Epicor) send decimals such as
// UnitPrice or DocTotalOrder as JSON numbers; Boost.JSON would read those as double, which money
// must never pass through. parse_exact_json() reads every number with a fraction or exponent as
// its decimal text (a JSON string: "12.50"); whole numbers stay int64. write_exact_json() writes a
// string held in an object member named in `decimal_fields` back as the bare number it spells.
// Both sides of a vendor (its connector and its sandbox emulator) use the same pair.
//
// Pure functions, no I/O; thread safety: none needed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/result.hpp"

namespace mlc {

using JsonNameSet = std::set<std::string, std::less<>>;

inline constexpr std::size_t kExactJsonDepthMax = 64;  // Nesting accepted (outside input bound).

// kInvalidInput "<what> is not JSON: ..." or "<what> is larger than N bytes", from `system`.
Result<boost::json::value> parse_exact_json(std::string_view text, std::size_t bytes_max,
                                            std::string_view system, std::string_view what);
// Serialises `value`; members deeper than kExactJsonDepthMax are written as null.
std::string write_exact_json(const boost::json::value& value, const JsonNameSet& decimal_fields);

// `text` with each byte that starts no UTF-8 sequence (a stray continuation byte, a cut
// sequence, an overlong form, a surrogate, beyond U+10FFFF) replaced by U+FFFD. Boost.JSON writes
// a string's bytes as they are, so JSON holding outside bytes (a URL's percent-decoded id echoed
// in an error) is not JSON until this has run; JSON's structure is ASCII, so the result is the
// same JSON with valid strings.
std::string valid_utf8(std::string text);

// The code point of the UTF-8 sequence at `text[i]` (i < text.size()), advancing `i` past it;
// nullopt, `i` unchanged, when the bytes there are not one (stray continuation byte, cut
// sequence, overlong form, surrogate, beyond U+10FFFF).
std::optional<std::uint32_t> utf8_decode(std::string_view text, std::size_t& i);

}  // namespace mlc

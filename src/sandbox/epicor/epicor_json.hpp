#pragma once
// Exact JSON for the Epicor emulator. Epicor sends decimals (UnitPrice, DocTotalOrder, quantities)
// as JSON numbers; Boost.JSON would read those as double, which money must never pass through.
// parse_exact() reads every number with a fraction or exponent as its decimal text (a JSON
// string), whole numbers stay int64; write_exact() writes the fields named in `decimal_fields`
// back as bare JSON numbers from that text (common/exact_json.hpp, shared with the connector).
// Pure functions.

#include <set>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/exact_json.hpp"
#include "common/result.hpp"

namespace mlc::sandbox::epicor {

using NameSet = JsonNameSet;

constexpr std::size_t kBodyBytesMax = 4 * 1024 * 1024;  // Larger request bodies are refused.

// kInvalidInput when the text is not JSON (or longer than kBodyBytesMax).
Result<boost::json::value> parse_exact(std::string_view text);
// Serialises `value`; a string held in an object member named in `decimal_fields` that is a
// decimal ("12.5") is written as the number 12.5. Bytes that are not UTF-8 (a name echoed from a
// percent-encoded URL) are written as U+FFFD, as the vendor's .NET serializer does: the answer
// is always JSON.
std::string write_exact(const boost::json::value& value, const NameSet& decimal_fields);

}  // namespace mlc::sandbox::epicor

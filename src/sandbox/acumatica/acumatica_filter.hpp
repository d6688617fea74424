#pragma once
// parse_filter: the `$filter` text of Acumatica's contract-based REST API as a syntax tree. A pure
// function over outside input (a libFuzzer target can call it directly); evaluation against
// records is the emulator's job (acumatica_query.hpp), which knows the field types.
//
// The dialect (OData v3 style, as Acumatica's contract-based API takes it):
//   comparisons      Field eq|ne|gt|ge|lt|le <literal or field>
//   logic            and, or, not, parentheses (not binds tighter than and, and than or)
//   functions        substringof('text', Field), startswith(Field, 'text'), endswith(...)
//   literals         'text' ('' escapes a quote), datetimeoffset'2024-01-01T00:00:00Z',
//                    datetime'2024-01-01T00:00:00', guid'...', 12, -3.50, true, false, null
//   fields           CustomerID, or a path into a linked entity: ShipToAddress/City
// Keywords are lower case as in OData; field names are case sensitive.
//
// Thread safety: pure. Ownership: the tree owns its strings.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mlc::sandbox::acumatica {

constexpr std::size_t kFilterLengthMax = 4'096;  // Bytes of $filter text accepted.
constexpr std::size_t kFilterDepthMax = 32;      // Nesting of parentheses / not.
constexpr std::size_t kFilterTermsMax = 256;     // Comparisons and function calls.

struct FilterOperand {
    enum class Kind { kField, kString, kNumber, kBool, kNull, kDateTime, kDateTimeOffset, kGuid };
    Kind kind = Kind::kNull;
    std::string text = {};  // Field path, literal text (unquoted), or "true"/"false".
};

struct FilterNode {
    enum class Kind { kAnd, kOr, kNot, kCompare, kFunction };
    Kind kind = Kind::kCompare;
    std::string op = {};  // eq/ne/gt/ge/lt/le, or substringof/startswith/endswith.
    std::vector<FilterNode> children = {};     // kAnd/kOr: two; kNot: one.
    std::vector<FilterOperand> operands = {};  // kCompare/kFunction: two, in source order.
};

// The tree, or kInvalidInput naming the position and what was expected.
Result<FilterNode> parse_filter(std::string_view text);

}  // namespace mlc::sandbox::acumatica

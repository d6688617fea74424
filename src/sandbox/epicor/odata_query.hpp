#pragma once
// OData v4 system query options as Epicor Kinetic REST v2 accepts them ($filter, $select,
// $expand, $orderby, $top, $skip), parsed and evaluated against rows held as Boost.JSON objects.
// Pure: no I/O, no clock. Used by the Epicor emulator (epicor_emulator.hpp).
//
// Supported $filter grammar (../shared/specs/epicor-kinetic.md "Answers and errors"):
//   expr    := and_expr ('or' and_expr)*        ('and' binds tighter than 'or')
//   and_expr:= unary ('and' unary)*
//   unary   := 'not' unary | '(' expr ')' | operand cmp operand
//   cmp     := eq | ne | gt | ge | lt | le      (case-sensitive, like the `$` options)
//   operand := FieldName | 'string' ('' escapes a quote) | 12 | -3.5 | true | false | null
//            | 2024-01-01T00:00:00Z | 2024-01-01        (v2 date literals, unquoted)
// The v1 form datetime'...' is refused (v2 does not accept it). Types are checked against the
// entity's fields like the vendor's OData layer: an unknown field or comparing a string field
// with a number is a 400, not an empty answer.
//
// Thread safety: value types; functions are reentrant.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace mlc::sandbox::epicor {

// Field types of an Epicor row. Decimals are held in rows as exact decimal text (never double).
// Dates are held as "2024-03-15T00:00:00" (UTC, no offset) or null.
enum class FieldType { kString, kInt, kDecimal, kBool, kDate };
using FieldTypes = std::map<std::string, FieldType, std::less<>>;

// The OData type name of a field type ("Edm.Decimal").
const char* edm_type_name(FieldType type);

constexpr std::size_t kFilterLengthMax = 4096;  // Longer $filter texts are refused (400).
constexpr std::size_t kFilterDepthMax = 32;     // Nesting of parentheses / not.
constexpr std::size_t kFilterTermsMax = 256;    // Comparisons in one $filter.

struct Literal {
    enum class Kind { kString, kNumber, kBool, kDate, kNull };
    Kind kind = Kind::kNull;
    std::string text{};  // String value, number text, or normalised date "2024-01-01T00:00:00".
    bool flag = false;
};

struct Operand {
    bool is_field = false;
    std::string field{};
    Literal literal{};
};

enum class CompareOp { kEq, kNe, kGt, kGe, kLt, kLe };

// A filter tree held in a flat vector (no owning pointers); node 0 is the root when not empty.
struct FilterNode {
    enum class Kind { kCompare, kAnd, kOr, kNot };
    Kind kind = Kind::kCompare;
    CompareOp op = CompareOp::kEq;
    Operand left{};
    Operand right{};
    std::size_t child_a = 0;  // kAnd/kOr/kNot
    std::size_t child_b = 0;  // kAnd/kOr
};

struct Filter {
    std::vector<FilterNode> nodes{};
    std::size_t root = 0;
    bool empty() const { return nodes.empty(); }
};

struct OrderKey {
    std::string field{};
    bool descending = false;
};

struct ODataQuery {
    Filter filter;
    std::vector<std::string> select{};  // Empty: every field.
    std::vector<std::string> expand{};  // Navigation (child collection) names.
    std::vector<OrderKey> orderby{};
    std::optional<std::size_t> top{};
    std::size_t skip = 0;
};

// Epicor date-times travel without an offset ("2024-03-15T00:00:00") in server local time; the
// emulator's server runs on UTC (documented in README.md), so the text is UTC.
std::string format_epicor_datetime(UtcTime t);
// Accepts "2024-03-15", "2024-03-15T10:20:30" (no offset: UTC), with fractions, "Z" or an offset.
Result<UtcTime> parse_epicor_datetime(std::string_view text);

// Errors carry code kInvalidInput and the vendor-style message ("Syntax error at position 9 in
// 'PONum eq'."), which the emulator returns as a 400.
Result<Filter> parse_filter(std::string_view text);
Result<std::vector<OrderKey>> parse_orderby(std::string_view text);
Result<std::vector<std::string>> parse_name_list(std::string_view text, std::string_view option);
// All system options from a decoded query string. Unknown `$` options (and wrong case, "$Filter")
// are refused; other parameters are ignored (Epicor methods take them by name).
Result<ODataQuery> parse_odata_query(
    const std::vector<std::pair<std::string, std::string>>& params);

// Checks every field the filter, $select and $orderby name exists in `types` (`type_name` is the
// vendor's row type, "Erp.Tablesets.OrderHedRow", for messages) and comparisons are well typed.
Result<void> check_filter(const Filter& filter, const FieldTypes& types,
                          std::string_view type_name);
Result<void> check_fields(const std::vector<std::string>& fields, const FieldTypes& types,
                          std::string_view type_name);

// True when `row` passes. A missing or null field compares equal only to null.
bool matches(const Filter& filter, const boost::json::object& row, const FieldTypes& types);

struct StringEquality {
    std::string field;
    std::string value;
};
// A comparison `Field eq 'text'` on a string field that every matching row must satisfy (the
// root, or a term of an `and` chain from it), so rows can be looked up by it before the whole
// filter is applied; nullopt when the filter has none.
std::optional<StringEquality> required_string_equality(const Filter& filter,
                                                       const FieldTypes& types);
// Three-way comparison of two rows on `keys` (nulls first ascending); <0, 0, >0.
int compare_rows(const boost::json::object& a, const boost::json::object& b,
                 const std::vector<OrderKey>& keys, const FieldTypes& types);

}  // namespace mlc::sandbox::epicor

#pragma once
// OData v4 text for Epicor Kinetic REST v2 (epicor-kinetic.md, URLs and Answers): `$filter`
// literals with correct quoting, v2 date literals, entity keys, and the query string of a list
// call. Pure functions, no I/O.
//
//  * Strings are single-quoted and a quote inside doubles (`O'Brien` -> `'O''Brien'`): the only
//    escape OData has. Values from outside (a ShipStation order key, an e-mail) always go through
//    string_literal(), never pasted into a filter.
//  * Dates: v2 takes an unquoted `2024-01-01T00:00:00Z` (v1 used `datetime'...'`; the fact sheet
//    marks the v2 form "verify", and the emulator accepts exactly this form).
//  * Field names come from configuration (a UD field such as `ShipStationKey_c`), so they are
//    checked to be plain identifiers before they reach a URL.
//
// Thread safety: value types and reentrant functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace mlc::connectors::epicor::odata {

constexpr std::size_t kFieldNameLengthMax = 128;  // Longer names are refused as config errors.

// `'O''Brien'`.
std::string string_literal(std::string_view value);
// `2024-01-01T00:00:00Z` (whole seconds, UTC).
std::string date_literal(UtcTime t);

// True for `[A-Za-z_][A-Za-z0-9_]*` up to kFieldNameLengthMax: safe in $filter, $select, bodies.
bool is_field_name(std::string_view name);
// kConfig naming `what` ("the source-key field") when `name` is not a plain field name.
Result<void> check_field_name(std::string_view name, std::string_view what);

// `Field eq 'value'`, `Field eq 12`, `Field gt 12`, `Field ge 2024-01-01T00:00:00Z`.
std::string eq(std::string_view field, std::string_view value);
std::string eq(std::string_view field, std::int64_t value);
std::string gt(std::string_view field, std::int64_t value);
std::string ge(std::string_view field, UtcTime value);
// `(a) and (b)`.
std::string and_(std::string_view a, std::string_view b);

// An entity key: `('EPIC06',5001)`, `('EPIC06','P-100')`.
using KeyValue = std::variant<std::string, std::int64_t>;
std::string key(const std::vector<KeyValue>& values);

struct Query {
    std::string filter{};
    std::vector<std::string> select{};
    std::vector<std::string> expand{};
    std::string orderby{};  // "SysRevID,PartNum"
    std::optional<std::size_t> top{};
    std::size_t skip = 0;
};
// `?$filter=...&$top=...` (values percent-encoded; empty when nothing is set). OData `$` options
// are case-sensitive (spec).
std::string query_string(const Query& query);

}  // namespace mlc::connectors::epicor::odata

#pragma once
// Acumatica's JSON shapes: every field an object {"value": ...} ({} means no value), decimals as
// JSON numbers written from their exact text (never through double), date-times as
// "2024-03-15T10:20:30.123+00:00", and the HttpError body of failed calls.
//
// Stored records keep the wire shape with two differences the renderer undoes: a decimal value is
// its exact text ("12.5") and linked/detail members are always present.
//
// Thread safety: pure functions.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"
#include "net/http_types.hpp"
#include "sandbox/acumatica/acumatica_schema.hpp"

namespace mlc::sandbox::acumatica {

constexpr std::size_t kBodyBytesMax = 4 * 1024 * 1024;  // Request bodies accepted.

// Serialises a rendered value; strings made by decimal_marker() are written as bare numbers.
std::string write_json(const boost::json::value& value);
// A string that write_json() writes as the bare number `text` (a Decimal's exact text).
std::string decimal_marker(std::string_view text);

std::string format_time(UtcTime time);  // "2024-03-15T10:20:30.123+00:00"

// The stored value of a field ({"value": v}) or null when the field is absent, {} or null.
const boost::json::value* field_value(const boost::json::object& record, std::string_view name);
std::optional<std::string> field_string(const boost::json::object& record, std::string_view name);
Decimal field_decimal(const boost::json::object& record, std::string_view name);  // 0 if none.
bool field_bool(const boost::json::object& record, std::string_view name);        // false if none.
std::optional<UtcTime> field_time(const boost::json::object& record, std::string_view name);
void set_field(boost::json::object& record, std::string_view name, boost::json::value value);
void set_decimal(boost::json::object& record, std::string_view name, Decimal value);
void set_time(boost::json::object& record, std::string_view name, UtcTime value);

// A client's {"value": ...} for a field of `type`, as stored; an error message worded for the
// field's `error` member when the value does not fit the type. nullopt value: clear the field.
Result<boost::json::value> coerce_value(FieldType type, const boost::json::value& value);

// {"message", "exceptionMessage", "exceptionType", "stackTrace"} with `status`.
net::HttpResponse http_error(int status, std::string_view message,
                             std::string_view exception_message = {},
                             std::string_view exception_type = {});
net::HttpResponse json_answer(int status, const boost::json::value& body);

}  // namespace mlc::sandbox::acumatica

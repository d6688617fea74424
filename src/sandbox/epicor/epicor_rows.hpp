#pragma once
// Row helpers the Epicor emulator's routes share (epicor_emulator.cpp, update_ext.cpp): typed field
// reads, JSON -> field type coercion worded like the vendor's deserializer, ErrorDetails entries,
// and the ErrorTypes Epicor answers with. Pure functions.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/decimal.hpp"
#include "common/result.hpp"
#include "sandbox/epicor/epicor_schema.hpp"

namespace mlc::sandbox::epicor {

inline constexpr std::string_view kUnauthorizedType = "System.UnauthorizedAccessException";
inline constexpr std::string_view kBusinessType = "Ice.Common.BusinessObjectException";
inline constexpr std::string_view kBlType = "Ice.BLException";
inline constexpr std::string_view kODataType = "Microsoft.OData.ODataException";
inline constexpr std::string_view kDeserializeType =
    "System.Runtime.Serialization.SerializationException";
inline constexpr std::string_view kDeserializeMessage = "Unable to deserialize entity";

// Missing or mistyped fields read as "" / 0 / zero / false.
std::string_view str(const boost::json::object& row, std::string_view field);
std::int64_t num(const boost::json::object& row, std::string_view field);
Decimal dec(const boost::json::object& row, std::string_view field);
bool flag(const boost::json::object& row, std::string_view field);
const boost::json::object* object_at(const boost::json::object& o, std::string_view field);

// A JSON value converted to the field's stored form (decimal text, normalised date), or
// kInvalidInput worded as the vendor's deserializer words it.
Result<boost::json::value> coerce(FieldType type, const boost::json::value& v);
// Copies `input`'s fields into `row`, typed by the table. `tableset` rows (method `ds`) keep
// RowMod/SysRowID/SysRevID; entity bodies cannot set them (server-managed).
Result<void> coerce_into(const TableDef& def, const boost::json::object& input,
                         boost::json::object& row, bool tableset);

// One ErrorDetails entry: {Message, Type "Error", Table, Field, Program, Method}.
boost::json::object detail(std::string message, std::string table, std::string field,
                           std::string program, std::string method);
// "Erp.BO.SalesOrderSvc" -> "Erp.BO.SalesOrder.dll"
std::string program_of(const TableDef& def);

}  // namespace mlc::sandbox::epicor

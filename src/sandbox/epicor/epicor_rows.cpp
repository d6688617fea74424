#include "sandbox/epicor/epicor_rows.hpp"

#include <boost/json/serialize.hpp>

#include "sandbox/epicor/odata_query.hpp"

namespace mlc::sandbox::epicor {

namespace json = boost::json;

std::string_view str(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::int64_t num(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

Decimal dec(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    if (v == nullptr) return {};
    if (v->is_int64()) return Decimal::from_int(v->get_int64());
    if (v->is_string()) return Decimal::parse(v->get_string()).value_or(Decimal{});
    return {};
}

bool flag(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    return v != nullptr && v->is_bool() && v->get_bool();
}

// A JSON value converted to the field's stored form (decimal text, normalised date), or an error
// message as the vendor's deserializer words it.
Result<json::value> coerce(FieldType type, const json::value& v) {
    const auto bad = [&] {
        return make_error(ErrorCode::kInvalidInput, "epicor",
                          "Cannot convert the literal '" + json::serialize(v) +
                              "' to the expected type '" + edm_type_name(type) + "'.");
    };
    switch (type) {
        case FieldType::kString:
            if (v.is_null()) return json::value("");
            if (v.is_string()) return v;
            return bad();
        case FieldType::kInt:
            if (v.is_int64()) return v;
            if (v.is_uint64()) return bad();
            return bad();
        case FieldType::kDecimal:
            if (v.is_int64()) return json::value(Decimal::from_int(v.get_int64()).to_string());
            if (v.is_string()) {
                if (auto d = Decimal::parse(v.get_string())) return json::value(d->to_string());
            }
            return bad();
        case FieldType::kBool:
            if (v.is_bool()) return v;
            return bad();
        case FieldType::kDate:
            if (v.is_null()) return v;
            if (v.is_string()) {
                if (auto t = parse_epicor_datetime(v.get_string())) {
                    return json::value(format_epicor_datetime(*t));
                }
            }
            return bad();
    }
    return bad();
}

// Copies `input`'s fields into `row`, typed by the table. `tableset` rows (method `ds`) keep
// RowMod/SysRowID/SysRevID; entity bodies cannot set them (server-managed).
Result<void> coerce_into(const TableDef& def, const json::object& input, json::object& row,
                         bool tableset) {
    for (const auto& member : input) {
        const std::string_view name = member.key();
        if (name.starts_with("@odata")) continue;
        const bool managed = name == "RowMod" || name == "SysRowID" || name == "SysRevID";
        if (managed && !tableset) continue;
        const auto type = def.types.find(name);
        if (type == def.types.end()) {
            return make_error(ErrorCode::kInvalidInput, "epicor",
                              "The property '" + std::string(name) + "' does not exist on type '" +
                                  def.row_type() +
                                  "'. Make sure to only use property names that are defined by "
                                  "the type.");
        }
        MLC_TRY(json::value value, coerce(type->second, member.value()));
        row[name] = std::move(value);
    }
    return ok();
}

json::object detail(std::string message, std::string table, std::string field, std::string program,
                    std::string method) {
    return {{"Message", std::move(message)}, {"Type", "Error"},
            {"Table", std::move(table)},     {"Field", std::move(field)},
            {"Program", std::move(program)}, {"Method", std::move(method)}};
}

std::string program_of(const TableDef& def) {
    // "Erp.BO.SalesOrderSvc" -> "Erp.BO.SalesOrder.dll"
    std::string program = def.service;
    if (program.ends_with("Svc")) program.resize(program.size() - 3);
    return program + ".dll";
}

const json::object* object_at(const json::object& o, std::string_view field) {
    const json::value* v = o.if_contains(field);
    return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

}  // namespace mlc::sandbox::epicor

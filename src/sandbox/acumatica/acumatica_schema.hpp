#pragma once
// The entities of the Default endpoint this emulator serves, with the fields the ShipStation flow
// uses (names and value types from Default_24.200.001.openapi.json; 25.200.001 serves the same
// subset). Fields a PUT sends that are not listed here are ignored, as fields a contract has but
// the emulator does not keep.
//
// Thread safety: immutable tables. Ownership: static storage, never freed.

#include <span>
#include <string_view>

namespace mlc::sandbox::acumatica {

// The value schemas of the contract (StringValue, DecimalValue, ...), a linked entity (an object
// such as ShipToAddress) or a detail collection (an array such as Details).
enum class FieldType { kString, kDecimal, kBool, kDateTime, kInt, kGuid, kLinked, kDetail };

struct FieldSpec {
    std::string_view name = {};
    FieldType type = FieldType::kString;
    std::string_view entity = {};   // kLinked / kDetail: the schema of the object or row.
    bool read_only = false;         // Computed by the system; a PUT value is ignored.
    std::string_view display = {};  // The UI label errors name ("'Customer ID' cannot ...").
};

struct EntitySpec {
    std::string_view name = {};
    std::span<const FieldSpec> fields = {};
    std::span<const std::string_view> keys = {};  // Top-level entities: key fields in URL order.
    std::string_view modified_field = {};         // LastModified or LastModifiedDateTime.
    bool top_level = false;                       // Served at /entity/<ep>/<version>/<name>.
};

// Any schema (top-level or nested) by name; null when the emulator does not serve it.
const EntitySpec* find_entity(std::string_view name);
const FieldSpec* find_field(const EntitySpec& entity, std::string_view name);
// Top-level entity names in a stable order.
std::span<const std::string_view> top_level_entities();

}  // namespace mlc::sandbox::acumatica

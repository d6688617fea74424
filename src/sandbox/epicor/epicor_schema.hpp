#pragma once
// The Epicor tables the emulator holds, with the fields of ../shared/specs/epicor-kinetic.md
// ("Business objects"), their OData entity sets, keys and child collections. Value types.

#include <string>
#include <vector>

#include "sandbox/epicor/odata_query.hpp"

namespace mlc::sandbox::epicor {

// A child collection: rows of `table` whose `fields` equal the parent's (OrderDtls of OrderHed).
struct ChildLink {
    std::string nav{};    // OData navigation name ("OrderDtls")
    std::string table{};  // Child table ("OrderDtl")
    std::vector<std::string> fields{};
};

struct TableDef {
    std::string name{};               // Tableset table name ("OrderHed")
    std::string entity_set{};         // OData entity set ("SalesOrders")
    std::string service{};            // "Erp.BO.SalesOrderSvc"
    std::vector<std::string> keys{};  // OData key order, Company first
    FieldTypes types{};               // Every field, the common ones included
    std::vector<ChildLink> children{};
    bool change_stamp = false;  // Has ChangeDate/ChangeTime (Part does not: spec)
    std::string parent{};       // Parent table for child tables ("OrderHed" for "OrderDtl")

    std::string row_type() const { return "Erp.Tablesets." + name + "Row"; }
};

// All tables, parents before children.
std::vector<TableDef> make_epicor_tables();

}  // namespace mlc::sandbox::epicor

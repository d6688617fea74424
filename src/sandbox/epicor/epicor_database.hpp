#pragma once
// EpicorDatabase: the emulator's tables (epicor_schema.hpp) as rows of Boost.JSON objects, with
// what Epicor does on every write: SysRevID set from one database-wide counter (SQL Server
// rowversion: larger than every earlier write to any row), ChangeDate/ChangeTime stamped from the
// clock where the table has them, SysRowID assigned once. Rows are kept in key order.
//
// Lifecycle: owned by one EpicorEmulator; lives as long as it.
// Thread safety: none; the sandbox framework serialises calls to one emulator.
// Ownership: borrows the Clock, which must outlive it.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "sandbox/epicor/epicor_json.hpp"
#include "sandbox/epicor/epicor_schema.hpp"

namespace mlc::sandbox::epicor {

using Rows = std::map<std::string, boost::json::object>;  // key text -> row, in key order

class EpicorDatabase {
  public:
    EpicorDatabase(Clock& clock, std::string company, std::uint64_t seed);

    const std::string& company() const { return company_; }
    const std::vector<TableDef>& tables() const { return tables_; }
    const TableDef* table(std::string_view name) const;
    const TableDef* table_for_set(std::string_view service, std::string_view entity_set) const;
    const NameSet& decimal_fields() const { return decimal_fields_; }
    // A user field ("CarrierStatus_c") added to `table`, as Extended UD Table Maintenance and a
    // data model regeneration do: every row, stored or new, has it at its default from then on.
    // The reason when the table is unknown, the name does not end in "_c", or the field exists
    // with another type; adding the same field twice is fine.
    std::optional<std::string> add_user_field(std::string_view table, const std::string& field,
                                              FieldType type);

    // Key text of a row (or of key values): ordered like the vendor (numbers numerically).
    std::string key_of(const TableDef& def, const boost::json::object& row) const;
    const Rows& rows(const TableDef& def) const;
    boost::json::object* find(const TableDef& def, const boost::json::object& key_values);
    boost::json::object* find_by(const TableDef& def, std::string_view field,
                                 const boost::json::value& value);

    // A row with every field at its Epicor default ("" / 0 / false / null), Company set.
    boost::json::object new_row(const TableDef& def) const;
    // Stores a row whose key is not yet taken: the next SysRevID, a fresh SysRowID, stamps, RowMod
    // "".
    boost::json::object& insert(const TableDef& def, boost::json::object row);
    // Records a write on a stored row: the next database-wide SysRevID and the change stamp.
    void touch(const TableDef& def, boost::json::object& row);
    // Removes a row and, recursively, its child rows.
    void erase(const TableDef& def, const boost::json::object& key_values);

    // The rows of `def` whose string `field` may equal `value`, in key order: a superset (the
    // caller applies its whole filter), read from an index of (table, field) built on first use
    // and fed by insert() and touch(). Every write goes through one of them (that is how SysRevID
    // moves), so a row holding `value` now is always among them.
    std::vector<const boost::json::object*> rows_with(const TableDef& def, std::string_view field,
                                                      const std::string& value);
    std::vector<boost::json::object*> children(const ChildLink& link,
                                               const boost::json::object& parent);
    // 1 + the largest `field` among rows that share `scope`'s fields (0 rows: `first`).
    std::int64_t next_number(const TableDef& def, std::string_view field,
                             const boost::json::object& scope, std::int64_t first = 1) const;

    std::string new_guid();
    std::string today() const;  // "2024-03-15T00:00:00" of the clock's UTC date
    boost::json::object dump() const;

  private:
    // Key text of the first `fields` key fields taken from `values` (Company defaults to this
    // database's), ending in the separator; nullopt when `fields` is not a proper key prefix.
    std::optional<std::string> key_prefix(const TableDef& def,
                                          const std::vector<std::string>& fields,
                                          const boost::json::object& values) const;

    Clock& clock_;
    std::string company_;
    std::uint64_t guid_state_;
    std::int64_t last_rev_ = 0;  // The database's rowversion: the last SysRevID handed out.
    std::vector<TableDef> tables_;
    std::map<std::string, Rows, std::less<>> rows_;  // by table name
    // table -> field -> value -> keys of rows that held it at a write (stale keys are harmless).
    using KeysByValue = std::unordered_map<std::string, std::set<std::string>>;
    std::map<std::string, std::map<std::string, KeysByValue, std::less<>>, std::less<>> indexes_;
    void index_row(const TableDef& def, const std::string& key, const boost::json::object& row);
    NameSet decimal_fields_;
};

}  // namespace mlc::sandbox::epicor

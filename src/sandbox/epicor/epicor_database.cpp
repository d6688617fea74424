#include "sandbox/epicor/epicor_database.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "common/assert.hpp"

namespace mlc::sandbox::epicor {
namespace {

namespace json = boost::json;

constexpr std::uint64_t kGuidSalt = 0x5eed'ca11'e91c'0000ULL;  // Separates GUIDs from seed data

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

bool same_field(const json::object& a, const json::object& b, std::string_view field) {
    const json::value* x = a.if_contains(field);
    const json::value* y = b.if_contains(field);
    if (x == nullptr || y == nullptr) return x == y;
    return *x == *y;
}

}  // namespace

EpicorDatabase::EpicorDatabase(Clock& clock, std::string company, std::uint64_t seed)
    : clock_(clock),
      company_(std::move(company)),
      guid_state_(seed ^ kGuidSalt),
      tables_(make_epicor_tables()) {
    for (const TableDef& def : tables_) {
        rows_[def.name];
        for (const auto& [field, type] : def.types) {
            if (type == FieldType::kDecimal) decimal_fields_.insert(field);
        }
    }
}

const TableDef* EpicorDatabase::table(std::string_view name) const {
    for (const TableDef& def : tables_) {
        if (def.name == name) return &def;
    }
    return nullptr;
}

const TableDef* EpicorDatabase::table_for_set(std::string_view service,
                                              std::string_view entity_set) const {
    for (const TableDef& def : tables_) {
        if (def.service == service && def.entity_set == entity_set) return &def;
    }
    return nullptr;
}

namespace {

// One key field's text in a row key: numbers zero-padded so text order is numeric order.
void append_key_part(std::string& key, const json::value* v) {
    if (v == nullptr) return;
    if (v->is_int64()) {
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%020lld", static_cast<long long>(v->get_int64()));
        key += buffer;
    } else if (v->is_string()) {
        key += std::string_view(v->get_string());
    }
}

}  // namespace

std::string EpicorDatabase::key_of(const TableDef& def, const json::object& row) const {
    std::string key;
    for (const std::string& field : def.keys) {
        if (!key.empty()) key += '\x1f';
        append_key_part(key, row.if_contains(field));
    }
    return key;
}

std::optional<std::string> EpicorDatabase::key_prefix(const TableDef& def,
                                                      const std::vector<std::string>& fields,
                                                      const json::object& values) const {
    // Rows are kept in key order, so the rows sharing the first N key fields form one range:
    // lookups of an order's lines or of the next line number read that range, not the table
    // (a 5,000-order sandbox would otherwise scan every line of every order per call).
    if (fields.size() >= def.keys.size()) return std::nullopt;
    std::string prefix;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i] != def.keys[i]) return std::nullopt;
        const json::value* v = fields[i] == "Company" && !values.contains("Company")
                                   ? nullptr
                                   : values.if_contains(fields[i]);
        if (fields[i] == "Company" && v == nullptr) {
            prefix += company_;
        } else if (v != nullptr && (v->is_int64() || v->is_string())) {
            append_key_part(prefix, v);
        } else {
            return std::nullopt;
        }
        prefix += '\x1f';
    }
    return prefix;
}

const Rows& EpicorDatabase::rows(const TableDef& def) const { return rows_.find(def.name)->second; }

json::object* EpicorDatabase::find(const TableDef& def, const json::object& key_values) {
    Rows& rows = rows_[def.name];
    const auto it = rows.find(key_of(def, key_values));
    return it == rows.end() ? nullptr : &it->second;
}

json::object* EpicorDatabase::find_by(const TableDef& def, std::string_view field,
                                      const json::value& value) {
    for (auto& [key, row] : rows_[def.name]) {
        const json::value* v = row.if_contains(field);
        if (v != nullptr && *v == value) return &row;
    }
    return nullptr;
}

std::optional<std::string> EpicorDatabase::add_user_field(std::string_view table,
                                                          const std::string& field,
                                                          FieldType type) {
    auto def = std::find_if(tables_.begin(), tables_.end(),
                            [&](const TableDef& t) { return t.name == table; });
    if (def == tables_.end()) return "There is no table '" + std::string(table) + "'.";
    if (field.size() < 3 || !field.ends_with("_c")) {
        return "A user field's name ends in _c ('" + field + "' does not).";
    }
    if (const auto known = def->types.find(field); known != def->types.end()) {
        if (known->second == type) return std::nullopt;
        return "The field '" + field + "' already exists on " + def->name + " with another type.";
    }
    def->types.emplace(field, type);
    if (type == FieldType::kDecimal) decimal_fields_.insert(field);
    const json::object defaults = new_row(*def);
    for (auto& [key, row] : rows_[def->name]) row[field] = defaults.at(field);
    return std::nullopt;
}

json::object EpicorDatabase::new_row(const TableDef& def) const {
    json::object row;
    for (const auto& [field, type] : def.types) {
        switch (type) {
            case FieldType::kString:
                row[field] = "";
                break;
            case FieldType::kInt:
                row[field] = 0;
                break;
            case FieldType::kDecimal:
                row[field] = "0";
                break;
            case FieldType::kBool:
                row[field] = false;
                break;
            case FieldType::kDate:
                row[field] = nullptr;
                break;
        }
    }
    row["Company"] = company_;
    return row;
}

json::object& EpicorDatabase::insert(const TableDef& def, json::object row) {
    row["Company"] = company_;
    row["SysRevID"] = 0;
    if (!row.contains("SysRowID") || row["SysRowID"].as_string().empty() ||
        row["SysRowID"].as_string() == "00000000-0000-0000-0000-000000000000") {
        row["SysRowID"] = new_guid();
    }
    row["RowMod"] = "";
    const std::string key = key_of(def, row);
    auto [it, inserted] = rows_[def.name].emplace(key, std::move(row));
    MLC_ASSERT(inserted, "callers check the key is free first");
    touch(def, it->second);  // Indexes it too.
    return it->second;
}

void EpicorDatabase::touch(const TableDef& def, json::object& row) {
    // SysRevID is SQL Server's rowversion: one counter for the whole database, so every write
    // gets a number larger than any earlier write to any row (not a per-row count). A client that
    // reads "rows changed since N" must not assume consecutive values per row.
    row["SysRevID"] = ++last_rev_;
    if (indexes_.contains(def.name)) index_row(def, key_of(def, row), row);
    if (def.change_stamp) {
        const UtcTime now = clock_.now();
        const auto day = std::chrono::floor<std::chrono::days>(now);
        row["ChangeDate"] = format_epicor_datetime(day);
        row["ChangeTime"] =
            static_cast<std::int64_t>(std::chrono::floor<std::chrono::seconds>(now - day).count());
    }
}

void EpicorDatabase::erase(const TableDef& def, const json::object& key_values) {
    json::object* row = find(def, key_values);
    if (row == nullptr) return;
    const json::object parent = *row;
    for (const ChildLink& link : def.children) {
        const TableDef* child = table(link.table);
        MLC_ASSERT(child != nullptr, "child links name known tables");
        std::vector<json::object> doomed;
        for (json::object* c : children(link, parent)) doomed.push_back(*c);
        for (const json::object& c : doomed) erase(*child, c);
    }
    rows_[def.name].erase(key_of(def, parent));
}

void EpicorDatabase::index_row(const TableDef& def, const std::string& key,
                               const json::object& row) {
    auto table = indexes_.find(def.name);
    if (table == indexes_.end()) return;
    for (auto& [field, keys_by_value] : table->second) {
        const json::value* value = row.if_contains(field);
        if (value != nullptr && value->is_string()) {
            keys_by_value[std::string(value->get_string())].insert(key);
        }
    }
}

std::vector<const json::object*> EpicorDatabase::rows_with(const TableDef& def,
                                                           std::string_view field,
                                                           const std::string& value) {
    const Rows& table_rows = rows_[def.name];
    auto& by_field = indexes_[def.name];
    auto index = by_field.find(field);
    if (index == by_field.end()) {
        // First lookup on this field: index every row once; writes keep it up to date.
        index = by_field.emplace(std::string(field), KeysByValue{}).first;
        for (const auto& [key, row] : table_rows) {
            const json::value* held = row.if_contains(field);
            if (held != nullptr && held->is_string()) {
                index->second[std::string(held->get_string())].insert(key);
            }
        }
    }
    std::vector<const json::object*> out;
    auto keys = index->second.find(value);
    if (keys == index->second.end()) return out;
    for (const std::string& key : keys->second) {
        auto row = table_rows.find(key);
        if (row != table_rows.end()) out.push_back(&row->second);  // Erased rows drop out.
    }
    return out;
}

std::vector<json::object*> EpicorDatabase::children(const ChildLink& link,
                                                    const json::object& parent) {
    std::vector<json::object*> out;
    Rows& rows = rows_[link.table];
    const TableDef* child = table(link.table);
    if (child != nullptr) {
        // Links name the parent's fields without Company (one company per database).
        std::vector<std::string> fields;
        if (!child->keys.empty() && child->keys.front() == "Company" &&
            (link.fields.empty() || link.fields.front() != "Company")) {
            fields.push_back("Company");
        }
        fields.insert(fields.end(), link.fields.begin(), link.fields.end());
        if (auto prefix = key_prefix(*child, fields, parent)) {
            for (auto it = rows.lower_bound(*prefix);
                 it != rows.end() && it->first.starts_with(*prefix); ++it) {
                out.push_back(&it->second);
            }
            return out;
        }
    }
    for (auto& [key, row] : rows) {
        bool match = true;
        for (const std::string& field : link.fields)
            match = match && same_field(row, parent, field);
        if (match) out.push_back(&row);
    }
    return out;
}

std::int64_t EpicorDatabase::next_number(const TableDef& def, std::string_view field,
                                         const json::object& scope, std::int64_t first) const {
    // The scope fields (Company implied) followed by `field` as the next key field: the largest
    // number is the last row of the scope's key range.
    std::vector<std::string> fields;
    for (const std::string& key : def.keys) {
        if (key == field) break;
        fields.push_back(key);
    }
    const bool scope_is_prefix = fields.size() < def.keys.size() &&
                                 def.keys[fields.size()] == field &&
                                 std::all_of(scope.begin(), scope.end(), [&](const auto& member) {
                                     return std::find(fields.begin(), fields.end(),
                                                      std::string(member.key())) != fields.end();
                                 });
    if (scope_is_prefix) {
        if (auto prefix = key_prefix(def, fields, scope)) {
            const Rows& table_rows = rows(def);
            auto it = table_rows.lower_bound(*prefix + "\x7f");  // Past every key in the range.
            if (it == table_rows.begin()) return first;
            --it;
            if (!it->first.starts_with(*prefix)) return first;
            const json::value* v = it->second.if_contains(field);
            if (v != nullptr && v->is_int64()) return std::max(first, v->get_int64() + 1);
        }
    }
    std::int64_t next = first;
    for (const auto& [key, row] : rows(def)) {
        bool match = true;
        for (const auto& member : scope) match = match && same_field(row, scope, member.key());
        const json::value* v = row.if_contains(field);
        if (match && v != nullptr && v->is_int64() && v->get_int64() >= next) {
            next = v->get_int64() + 1;
        }
    }
    return next;
}

std::string EpicorDatabase::new_guid() {
    const std::uint64_t a = splitmix64(guid_state_);
    const std::uint64_t b = splitmix64(guid_state_);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%08x-%04x-4%03x-%04x-%012llx",
                  static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
                  static_cast<unsigned>(a & 0xfff),
                  static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buffer;
}

std::string EpicorDatabase::today() const {
    return format_epicor_datetime(std::chrono::floor<std::chrono::days>(clock_.now()));
}

json::object EpicorDatabase::dump() const {
    json::object out;
    for (const TableDef& def : tables_) {
        json::array rows;
        for (const auto& [key, row] : this->rows(def)) rows.push_back(row);
        out[def.name] = std::move(rows);
    }
    return out;
}

}  // namespace mlc::sandbox::epicor

// A mapping CSV as `mlc mappings import` reads it (common/mapping_csv.hpp: libcsv in strict mode,
// columns by header name, a check per row), then every accepted row's key looked up in the table
// the rows make (common/mapping.hpp: exact keys and `*` patterns).
//
// Input: the file's bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/mapping.hpp"
#include "common/mapping_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = mlc::parse_mapping_csv(text);
    if (!parsed) return 0;
    mlc::MappingTable table;
    for (const auto& row : parsed->rows) table.emplace(row.from, row.to);
    for (const auto& row : parsed->rows) (void)mlc::map_lookup(table, row.from);
    for (const auto& row : parsed->rows) (void)mlc::map_lookup(table, row.to);
    return 0;
}

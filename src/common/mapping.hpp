#pragma once
// Mapping tables (`mappings.parts`, `customers`, `carriers`, ...): how a key a vendor sent is
// looked up, exact or by a pattern, the same way in every flow.
//
//   {"SKU-100": "P-9", "SKU-*": "P*", "WIDGET-*": "W-100"}
//   map_lookup(table, "SKU-100")  -> "P-9"   (an exact key always wins)
//   map_lookup(table, "SKU-10042")-> "P10042" (the `*` of the target takes what the key's matched)
//   map_lookup(table, "WIDGET-RED")-> "W-100" (a target without `*` is taken as written)
//   map_lookup(table, "OTHER")    -> nullopt
//
// A pattern holds one `*`, which matches any text (also none). Of several matching patterns the
// one with the most literal characters wins; of equally long ones, the first in key order, so a
// lookup never depends on the order the file listed them. check_mapping() says what is wrong
// with an entry (two `*`, a `*` in the target only): config check and the importers use it.
// Pure functions: no state, thread safe.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mlc {

using MappingTable = std::map<std::string, std::string, std::less<>>;

inline constexpr char kMappingWildcard = '*';

std::optional<std::string> map_lookup(const MappingTable& table, std::string_view key);

// Empty when `from -> to` is a valid entry, else what is wrong and the fix.
std::string check_mapping(std::string_view from, std::string_view to);

}  // namespace mlc

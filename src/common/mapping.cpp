#include "common/mapping.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace mlc {
namespace {

std::size_t wildcards(std::string_view text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), kMappingWildcard));
}

// What the pattern's `*` matched in `key`, or nullopt when the pattern does not match.
std::optional<std::string_view> capture(std::string_view pattern, std::string_view key) {
    const std::size_t star = pattern.find(kMappingWildcard);
    const std::string_view head = pattern.substr(0, star);
    const std::string_view tail = pattern.substr(star + 1);
    if (key.size() < head.size() + tail.size()) return std::nullopt;
    if (!key.starts_with(head) || !key.ends_with(tail)) return std::nullopt;
    return key.substr(head.size(), key.size() - head.size() - tail.size());
}

std::string substitute(std::string_view target, std::string_view captured) {
    const std::size_t star = target.find(kMappingWildcard);
    if (star == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, star));
    out.append(captured);
    out.append(target.substr(star + 1));
    return out;
}

}  // namespace

std::optional<std::string> map_lookup(const MappingTable& table, std::string_view key) {
    if (auto exact = table.find(key); exact != table.end()) return exact->second;
    const MappingTable::value_type* best = nullptr;
    std::string_view best_capture;
    for (const auto& entry : table) {
        if (wildcards(entry.first) != 1) continue;
        auto captured = capture(entry.first, key);
        if (!captured) continue;
        if (best != nullptr && entry.first.size() <= best->first.size()) continue;
        best = &entry;
        best_capture = *captured;
    }
    if (best == nullptr) return std::nullopt;
    return substitute(best->second, best_capture);
}

std::string check_mapping(std::string_view from, std::string_view to) {
    if (from.empty()) return "an empty key maps nothing: give the value the vendor sends";
    if (to.empty()) return fmt::format("'{}' maps to nothing: give the target value", from);
    const std::size_t from_stars = wildcards(from);
    if (from_stars > 1) {
        return fmt::format("'{}' has more than one '*': a pattern holds one", from);
    }
    if (wildcards(to) > from_stars) {
        return fmt::format(
            "'{}' has a '*' but '{}' has none to fill it: add one to the key or remove it from the "
            "target",
            to, from);
    }
    return {};
}

}  // namespace mlc

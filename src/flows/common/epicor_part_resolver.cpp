#include "flows/common/epicor_part_resolver.hpp"

namespace mlc::flows {
namespace {

Error unresolved(std::string message) {
    return make_error(ErrorCode::kUnresolved, "epicor", std::move(message));
}

}  // namespace

Result<std::optional<std::string>> EpicorPartResolver::active_part(const std::string& part_num) {
    auto cached = parts_.find(part_num);
    if (cached == parts_.end()) {
        MLC_TRY(auto found, epicor_.find_part(part_num));
        std::optional<bool> active;
        if (found) active = found->active;
        cached = parts_.emplace(part_num, active).first;
    }
    if (!cached->second) return std::optional<std::string>{};
    if (!*cached->second) {
        // An inactive part is refused on order lines (sandbox/epicor/README.md): park it instead.
        return unresolved("part " + part_num +
                          " is inactive in Epicor: activate it or map the SKU to another part "
                          "under mappings.parts, then replay");
    }
    return std::optional<std::string>{part_num};
}

Result<std::string> EpicorPartResolver::resolve(const std::string& sku) {
    MLC_TRY(auto exact, active_part(sku));
    if (exact) return *exact;
    auto mapped = mappings_.find(sku);
    if (mapped == mappings_.end()) {
        return unresolved("SKU '" + sku + "' is not an Epicor PartNum: add mappings.parts: {\"" +
                          sku + "\": <PartNum>} or create part " + sku +
                          " in Epicor, then replay (mlc deadletters replay)");
    }
    MLC_TRY(auto target, active_part(mapped->second));
    if (!target) {
        return unresolved("SKU '" + sku + "' maps to PartNum '" + mapped->second +
                          "', which Epicor does not have: fix mappings.parts or create the "
                          "part, then replay");
    }
    return *target;
}

}  // namespace mlc::flows

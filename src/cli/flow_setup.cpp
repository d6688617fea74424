#include "cli/flow_setup.hpp"

#include "engine/heartbeat_runner.hpp"
#include "engine/stored_mappings.hpp"
#include "flows/all_recipes.hpp"

namespace mlc::cli {

engine::RecipeRegistry make_recipe_registry() {
    engine::RecipeRegistry registry;
    engine::add_heartbeat_recipe(registry);
    flows::add_all_recipes(registry);
    return registry;
}

Result<std::vector<BuiltFlow>> build_flows(const engine::Config& config,
                                           const engine::RecipeRegistry& registry,
                                           const engine::Dependencies& deps,
                                           const BuildFlowsRequest& request) {
    std::vector<BuiltFlow> flows;
    for (const auto& [name, flow] : config.flows) {
        if (!request.only.empty() && name != request.only) continue;
        if (!flow.enabled && !request.include_disabled) continue;
        // The mappings stored by the console or `mlc mappings import` over the file's.
        MLC_TRY(auto merged, engine::with_stored_mappings(flow, deps.store));
        auto held = std::make_shared<const engine::FlowConfig>(std::move(merged));
        MLC_TRY(auto runner, registry.create(*held, deps));
        flows.push_back(
            BuiltFlow{.config = &flow, .runner = std::move(runner), .merged = std::move(held)});
    }
    return flows;
}

}  // namespace mlc::cli

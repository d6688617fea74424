#include "cli/flow_setup.hpp"

#include "engine/heartbeat_runner.hpp"
#ifdef MLC_HAVE_FLOWS
#include "flows/all_recipes.hpp"
#endif

namespace mlc::cli {

engine::RecipeRegistry make_recipe_registry() {
    engine::RecipeRegistry registry;
    engine::add_heartbeat_recipe(registry);
#ifdef MLC_HAVE_FLOWS
    flows::add_all_recipes(registry);
#endif
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
        MLC_TRY(auto runner, registry.create(flow, deps));
        flows.push_back(BuiltFlow{.config = &flow, .runner = std::move(runner)});
    }
    return flows;
}

}  // namespace mlc::cli

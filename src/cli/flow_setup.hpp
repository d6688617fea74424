#pragma once
// Building runners from the config: the recipe registry of this binary (built-in recipes plus the
// flow recipes as they land) and one runner per configured flow. Shared by `run`, `sync` and
// `deadletters replay`.

#include <memory>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "engine/flow_runner.hpp"
#include "engine/recipe_registry.hpp"

namespace mlc::cli {

engine::RecipeRegistry make_recipe_registry();

struct BuiltFlow {
    const engine::FlowConfig* config = nullptr;  // As the file has it.
    std::unique_ptr<engine::FlowRunner> runner;
    // What the runner was built from: the file's flow with the stored mappings over its own
    // (engine/stored_mappings.hpp). Kept while the runner may still look at it.
    std::shared_ptr<const engine::FlowConfig> merged = {};
};

struct BuildFlowsRequest {
    bool include_disabled = false;
    std::string only;  // Build just this flow when set.
};

// One runner per flow (enabled ones unless asked), each built from the file's flow with the
// mappings stored in deps.store merged over its own; the first recipe error ends it.
Result<std::vector<BuiltFlow>> build_flows(const engine::Config& config,
                                           const engine::RecipeRegistry& registry,
                                           const engine::Dependencies& deps,
                                           const BuildFlowsRequest& request);

}  // namespace mlc::cli

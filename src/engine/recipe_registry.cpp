#include "engine/recipe_registry.hpp"

#include <fmt/format.h>

#include "common/assert.hpp"

namespace mlc::engine {

void RecipeRegistry::add(std::string name, RecipeFactory factory) {
    MLC_ASSERT(!factories_.contains(name), "recipe registered twice");
    MLC_ASSERT(factory != nullptr, "recipe factory is empty");
    factories_.emplace(std::move(name), std::move(factory));
}

void RecipeRegistry::add(std::string name, RecipeFactory factory, RecipeInfo info) {
    const std::string key = name;
    add(std::move(name), std::move(factory));
    describe(key, std::move(info));
}

void RecipeRegistry::describe(const std::string& name, RecipeInfo info) {
    MLC_ASSERT(factories_.contains(name), "describing a recipe that is not registered");
    MLC_ASSERT(info.name.empty() || info.name == name, "recipe descriptor of another recipe");
    info.name = name;
    infos_.insert_or_assign(name, std::move(info));
}

std::vector<RecipeInfo> RecipeRegistry::infos() const {
    std::vector<RecipeInfo> out;
    out.reserve(factories_.size());
    for (const auto& [name, factory] : factories_) {
        const auto it = infos_.find(name);
        out.push_back(it != infos_.end() ? it->second : RecipeInfo{.name = name});
    }
    return out;
}

bool RecipeRegistry::contains(const std::string& name) const { return factories_.contains(name); }

std::vector<std::string> RecipeRegistry::names() const {
    std::vector<std::string> out;
    out.reserve(factories_.size());
    for (const auto& [name, factory] : factories_) out.push_back(name);
    return out;
}

std::vector<ConfigIssue> RecipeRegistry::check_options(const FlowConfig& flow,
                                                       std::string_view file) const {
    const auto info = infos_.find(flow.recipe);
    if (info == infos_.end() || !info->second.declares_options) return {};
    return check_flow_options(flow, info->second.options, info->second.tables, file);
}

void RecipeRegistry::resolve_paths(FlowConfig& flow,
                                   const std::filesystem::path& config_file) const {
    const auto info = infos_.find(flow.recipe);
    if (info != infos_.end()) resolve_path_options(flow, info->second.options, config_file);
}

Result<std::unique_ptr<FlowRunner>> RecipeRegistry::create(const FlowConfig& flow,
                                                           const Dependencies& deps) const {
    const auto it = factories_.find(flow.recipe);
    if (it == factories_.end()) {
        return make_error(ErrorCode::kConfig,
                          fmt::format("flow '{}': unknown recipe '{}' (known: {}); fix the "
                                      "flow's recipe in the config",
                                      flow.name, flow.recipe, fmt::join(names(), ", ")));
    }
    if (auto issues = check_options(flow, deps.config != nullptr ? deps.config->file : "config");
        !issues.empty()) {
        return issues_error(issues);
    }
    auto runner = it->second(flow, deps);
    if (!runner) {
        return with_context(
            std::move(runner).error(),
            fmt::format("while building flow '{}' (recipe {})", flow.name, flow.recipe));
    }
    MLC_ASSERT(*runner != nullptr, "recipe factory returned no runner");
    return runner;
}

}  // namespace mlc::engine

#pragma once
// A flow's `connections:` block read the way every recipe reads it: the connection named under a
// role (source, target), checked to exist and to be of the system the recipe joins. Errors are
// kConfig and name the flow and the fix.
//
// Thread safety: pure functions. Ownership: the returned pointer borrows deps.config.

#include <string>
#include <string_view>
#include <type_traits>

#include "common/result.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"

namespace mlc::flows::connections {

// kConfig "flow <name>: <message>".
Error flow_config_error(const engine::FlowConfig& flow, std::string message);

// The config and the vault `recipe` opens its connections with, or kConfig saying how to get them.
Result<void> require_config_and_vault(const engine::FlowConfig& flow,
                                      const engine::Dependencies& deps, std::string_view recipe);

// The connection the flow names under `role`, which must be a `system` connection.
// Call require_config_and_vault first.
Result<const engine::ConnectionConfig*> flow_connection(const engine::FlowConfig& flow,
                                                        const engine::Dependencies& deps,
                                                        std::string_view role,
                                                        std::string_view system);

// The two ends every recipe opens: the config and vault are there, `source` names a
// `source_system` connection and `target` a `target_system` one.
struct FlowEnds {
    const engine::ConnectionConfig* source = nullptr;
    const engine::ConnectionConfig* target = nullptr;
};
Result<FlowEnds> flow_ends(const engine::FlowConfig& flow, const engine::Dependencies& deps,
                           std::string_view recipe, std::string_view source_system,
                           std::string_view target_system);

// Both ends opened: `open_source(ConnectionConfig)` on the source, `open_target` on the target
// (each answers Result<std::unique_ptr<Connection>>), errors naming the flow and the end.
template <typename Source, typename Target>
struct OpenedEnds {
    Source source;
    Target target;
};

template <typename OpenSource, typename OpenTarget>
auto open_ends(const engine::FlowConfig& flow, const engine::Dependencies& deps,
               std::string_view recipe, std::string_view source_system,
               std::string_view target_system, OpenSource open_source, OpenTarget open_target)
    -> Result<OpenedEnds<
        typename std::invoke_result_t<OpenSource, const engine::ConnectionConfig&>::value_type,
        typename std::invoke_result_t<OpenTarget, const engine::ConnectionConfig&>::value_type>> {
    MLC_TRY(const FlowEnds ends, flow_ends(flow, deps, recipe, source_system, target_system));
    MLC_TRY_CTX(auto source, open_source(*ends.source),
                "while opening the source of flow " + flow.name);
    MLC_TRY_CTX(auto target, open_target(*ends.target),
                "while opening the target of flow " + flow.name);
    return OpenedEnds<decltype(source), decltype(target)>{.source = std::move(source),
                                                          .target = std::move(target)};
}

}  // namespace mlc::flows::connections

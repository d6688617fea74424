#pragma once
// A flow's `connections:` block read the way every recipe reads it: the connection named under a
// role (source, target), checked to exist and to be of the system the recipe joins. Errors are
// kConfig and name the flow and the fix.
//
// Thread safety: pure functions. Ownership: the returned pointer borrows deps.config.

#include <string>
#include <string_view>

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

}  // namespace mlc::flows::connections

#include "flows/connections/flow_connections.hpp"

namespace mlc::flows::connections {

Error flow_config_error(const engine::FlowConfig& flow, std::string message) {
    return make_error(ErrorCode::kConfig, "flow " + flow.name + ": " + std::move(message));
}

Result<void> require_config_and_vault(const engine::FlowConfig& flow,
                                      const engine::Dependencies& deps, std::string_view recipe) {
    if (deps.config == nullptr || deps.vault == nullptr) {
        return flow_config_error(flow, "recipe " + std::string(recipe) +
                                           " needs the vault: run `mlc init`, then `mlc secret "
                                           "set` for each secret the connections name");
    }
    return ok();
}

Result<const engine::ConnectionConfig*> flow_connection(const engine::FlowConfig& flow,
                                                        const engine::Dependencies& deps,
                                                        std::string_view role,
                                                        std::string_view system) {
    auto named = flow.connections.find(role);
    if (named == flow.connections.end()) {
        return flow_config_error(flow, "connections." + std::string(role) + " is missing: name a " +
                                           std::string(system) + " connection");
    }
    auto found = deps.config->connections.find(named->second);
    if (found == deps.config->connections.end()) {
        return flow_config_error(flow, "connection '" + named->second + "' is not defined");
    }
    if (found->second.system != system) {
        return flow_config_error(flow, "connections." + std::string(role) + " must be a " +
                                           std::string(system) + " connection, '" + named->second +
                                           "' is " + found->second.system);
    }
    return &found->second;
}

Result<FlowEnds> flow_ends(const engine::FlowConfig& flow, const engine::Dependencies& deps,
                           std::string_view recipe, std::string_view source_system,
                           std::string_view target_system) {
    MLC_CHECK(require_config_and_vault(flow, deps, recipe));
    FlowEnds ends;
    MLC_TRY(ends.source, flow_connection(flow, deps, "source", source_system));
    MLC_TRY(ends.target, flow_connection(flow, deps, "target", target_system));
    return ends;
}

}  // namespace mlc::flows::connections

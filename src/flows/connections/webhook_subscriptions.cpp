#include "flows/connections/webhook_subscriptions.hpp"

#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/shipstation_connection.hpp"
#include "flows/connections/woocommerce_connection.hpp"

namespace mlc::flows::connections {

Result<OpenedSubscriptions> open_webhook_subscriptions(const engine::FlowConfig& flow,
                                                       const engine::Dependencies& deps) {
    MLC_CHECK(require_config_and_vault(flow, deps, flow.recipe));
    const auto named = flow.connections.find("source");
    if (named == flow.connections.end()) {
        return flow_config_error(flow, "names no source connection, so it receives no webhooks");
    }
    const auto found = deps.config->connections.find(named->second);
    if (found == deps.config->connections.end()) {
        return flow_config_error(
            flow, "its source connection '" + named->second + "' is not under connections:");
    }
    const engine::ConnectionConfig& connection = found->second;
    OpenedSubscriptions out;
    if (connection.system == "woocommerce") {
        MLC_TRY(std::shared_ptr<WooCommerceConnection> woo, open_woocommerce(connection, deps));
        out.subscriptions =
            std::make_unique<connectors::woocommerce::WooSubscriptions>(*woo->client);
        out.connection = std::move(woo);
        return out;
    }
    if (connection.system == "shipstation") {
        MLC_TRY(std::shared_ptr<ShipStationConnection> ss, open_shipstation(connection, deps));
        out.subscriptions =
            std::make_unique<connectors::shipstation::ShipStationSubscriptions>(*ss->client);
        out.connection = std::move(ss);
        return out;
    }
    return flow_config_error(flow, "its source is a " + connection.system +
                                       " connection, which sends no webhooks this build keeps");
}

}  // namespace mlc::flows::connections

#include "flows/shipstation_epicor/orders_recipe.hpp"

#include "flows/connections/flow_connections.hpp"
#include "flows/shipstation_epicor/orders_runner.hpp"

namespace mlc::flows::shipstation_epicor {
namespace ep = connectors::epicor;

Result<std::shared_ptr<ShipStationEpicorConnections>> build_connections(
    const engine::FlowConfig& flow, const OrdersOptions& options,
    const engine::Dependencies& deps) {
    MLC_CHECK(connections::require_config_and_vault(flow, deps, kOrdersRecipe));
    MLC_TRY(auto source, connections::flow_connection(flow, deps, "source", "shipstation"));
    MLC_TRY(auto target, connections::flow_connection(flow, deps, "target", "epicor"));
    auto out = std::make_shared<ShipStationEpicorConnections>();
    MLC_TRY_CTX(out->source, connections::open_shipstation(*source, deps),
                "while opening the source of flow " + flow.name);
    MLC_TRY_CTX(
        out->target,
        connections::open_epicor(*target, deps,
                                 {.source_key_field = options.source_key_field,
                                  .customer_lookup_field = options.customer_field,
                                  .create_route = options.create_route == CreateRoute::kEntitySets
                                                      ? ep::OrderCreateRoute::kEntitySets
                                                      : ep::OrderCreateRoute::kUiSequence,
                                  .retry = std::nullopt}),
        "while opening the target of flow " + flow.name);
    out->shipstation = out->source->client.get();
    out->epicor = out->target->client.get();
    return out;
}

Result<std::unique_ptr<engine::FlowRunner>> make_orders_runner(const engine::FlowConfig& flow,
                                                               const engine::Dependencies& deps) {
    MLC_TRY(OrdersOptions options, parse_orders_options(flow));
    MLC_TRY(auto connections, build_connections(flow, options, deps));
    auto& shipstation = *connections->shipstation;
    auto& epicor = *connections->epicor;
    // The factory captures the public base: a flow built by `mlc run` registers its webhooks.
    OrdersWebhooks webhooks{.public_base_url = deps.public_base_url, .vault = deps.vault};
    return std::unique_ptr<engine::FlowRunner>(std::make_unique<OrdersRunner>(
        std::move(options), shipstation, epicor, std::move(connections), std::move(webhooks)));
}

void add_shipstation_epicor_recipes(engine::RecipeRegistry& registry) {
    registry.add(kOrdersRecipe, make_orders_runner);
}

}  // namespace mlc::flows::shipstation_epicor

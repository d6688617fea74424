#include "flows/epicor_woocommerce/orders_recipe.hpp"

#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/woocommerce_connection.hpp"
#include "flows/epicor_woocommerce/orders_runner.hpp"

namespace mlc::flows::epicor_woocommerce {
WooEpicorOrdersConnections::~WooEpicorOrdersConnections() = default;

Result<std::shared_ptr<WooEpicorOrdersConnections>> open_woo_orders_connections(
    const engine::FlowConfig& flow, const WooOrdersOptions& options,
    const engine::Dependencies& deps) {
    MLC_CHECK(connections::require_config_and_vault(flow, deps, kWooOrdersRecipe));
    MLC_TRY(auto source, connections::flow_connection(flow, deps, "source", "woocommerce"));
    MLC_TRY(auto target, connections::flow_connection(flow, deps, "target", "epicor"));
    auto out = std::make_shared<WooEpicorOrdersConnections>();
    MLC_TRY_CTX(out->woo, connections::open_woocommerce(*source, deps),
                "while opening the WooCommerce connection of flow " + flow.name);
    connections::EpicorOpenOptions epicor_options{.source_key_field = options.source_key_field,
                                                  .customer_lookup_field = options.customer_field,
                                                  .create_route = options.create_route,
                                                  .retry = std::nullopt};
    MLC_TRY_CTX(out->epicor, connections::open_epicor(*target, deps, epicor_options),
                "while opening the Epicor connection of flow " + flow.name);
    return out;
}

Result<std::unique_ptr<engine::FlowRunner>> make_woo_orders_runner(
    const engine::FlowConfig& flow, const engine::Dependencies& deps) {
    MLC_TRY(WooOrdersOptions options, parse_woo_orders_options(flow));
    MLC_TRY(auto opened, open_woo_orders_connections(flow, options, deps));
    auto& woo = *opened->woo->client;
    auto& epicor = *opened->epicor->client;
    return std::unique_ptr<engine::FlowRunner>(std::make_unique<WooOrdersRunner>(
        std::move(options), WooOrdersWiring{.woo = woo,
                                            .epicor = epicor,
                                            .vault = deps.vault,
                                            .public_base_url = deps.public_base_url,
                                            .keep_alive = std::move(opened)}));
}

void add_woocommerce_epicor_orders_recipes(engine::RecipeRegistry& registry) {
    registry.add(kWooOrdersRecipe, make_woo_orders_runner);
}

}  // namespace mlc::flows::epicor_woocommerce

#include "flows/epicor_woocommerce/catalog_recipe.hpp"

#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/woocommerce_connection.hpp"
#include "flows/epicor_woocommerce/catalog_options.hpp"
#include "flows/epicor_woocommerce/catalog_runner.hpp"
#include "flows/epicor_woocommerce/catalog_woo_target.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

struct CatalogConnections {
    std::unique_ptr<connections::EpicorConnection> epicor;
    std::unique_ptr<connections::WooCommerceConnection> woocommerce;
    std::unique_ptr<WooCatalogTarget> target;
};

}  // namespace

Result<std::unique_ptr<engine::FlowRunner>> make_catalog_runner(const engine::FlowConfig& flow,
                                                                const engine::Dependencies& deps) {
    MLC_TRY(CatalogOptions options, parse_catalog_options(flow));
    MLC_CHECK(connections::require_config_and_vault(flow, deps, kCatalogRecipe));
    MLC_TRY(auto source, connections::flow_connection(flow, deps, "source", "epicor"));
    MLC_TRY(auto target, connections::flow_connection(flow, deps, "target", "woocommerce"));
    auto held = std::make_shared<CatalogConnections>();
    MLC_TRY_CTX(held->epicor, connections::open_epicor(*source, deps),
                "while opening the Epicor connection of flow " + flow.name);
    MLC_TRY_CTX(held->woocommerce, connections::open_woocommerce(*target, deps),
                "while opening the WooCommerce connection of flow " + flow.name);
    held->target = std::make_unique<WooCatalogTarget>(*held->woocommerce->client);
    auto& epicor = *held->epicor->client;
    auto& woo = *held->target;
    return std::unique_ptr<engine::FlowRunner>(
        std::make_unique<CatalogRunner>(std::move(options), epicor, woo, std::move(held)));
}

void add_epicor_woocommerce_catalog_recipes(engine::RecipeRegistry& registry) {
    registry.add(kCatalogRecipe, make_catalog_runner);
}

}  // namespace mlc::flows::epicor_woocommerce

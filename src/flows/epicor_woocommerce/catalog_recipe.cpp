#include "flows/epicor_woocommerce/catalog_recipe.hpp"

#include "flows/connections/epicor_connection.hpp"
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

Error config_error(const engine::FlowConfig& flow, std::string message) {
    return make_error(ErrorCode::kConfig, "flow " + flow.name + ": " + std::move(message));
}

Result<const engine::ConnectionConfig*> connection(const engine::FlowConfig& flow,
                                                   const engine::Dependencies& deps,
                                                   std::string_view role, std::string_view system) {
    auto named = flow.connections.find(role);
    if (named == flow.connections.end()) {
        return config_error(flow, "connections." + std::string(role) + " is missing: name a " +
                                      std::string(system) + " connection");
    }
    auto found = deps.config->connections.find(named->second);
    if (found == deps.config->connections.end()) {
        return config_error(flow, "connection '" + named->second + "' is not defined");
    }
    if (found->second.system != system) {
        return config_error(flow, "connections." + std::string(role) + " must be a " +
                                      std::string(system) + " connection, '" + named->second +
                                      "' is " + found->second.system);
    }
    return &found->second;
}

}  // namespace

Result<std::unique_ptr<engine::FlowRunner>> make_catalog_runner(const engine::FlowConfig& flow,
                                                                const engine::Dependencies& deps) {
    MLC_TRY(CatalogOptions options, parse_catalog_options(flow));
    if (deps.config == nullptr || deps.vault == nullptr) {
        return config_error(flow, "recipe " + std::string(kCatalogRecipe) +
                                      " needs the vault: run `mlc init`, then `mlc secret set` for "
                                      "each secret the connections name");
    }
    MLC_TRY(auto source, connection(flow, deps, "source", "epicor"));
    MLC_TRY(auto target, connection(flow, deps, "target", "woocommerce"));
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

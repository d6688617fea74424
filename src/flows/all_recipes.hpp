#pragma once
// Every flow recipe this build carries, registered in one call (the CLI's recipe registry), and
// what every connector can read and write (`mlc recipes`).

#include <vector>

#include "connectors/connector.hpp"
#include "engine/recipe_registry.hpp"

namespace mlc::flows {

// Adds each integration's recipes ("shipstation-to-epicor-orders", "woocommerce-to-epicor-orders",
// "epicor-to-woocommerce-catalog"), each described by recipe_infos.hpp.
void add_all_recipes(engine::RecipeRegistry& registry);

// Each connector's capabilities(), in the order ShipStation, Epicor, WooCommerce.
std::vector<connectors::Capability> all_capabilities();

}  // namespace mlc::flows

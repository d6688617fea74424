#pragma once
// Every flow recipe this build carries, registered in one call (the CLI's recipe registry).

#include "engine/recipe_registry.hpp"

namespace mlc::flows {

// Adds each integration's recipes: "shipstation-to-epicor-orders", "woocommerce-to-epicor-orders",
// "epicor-to-woocommerce-catalog".
void add_all_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows

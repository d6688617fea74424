#pragma once
// Every flow recipe this build carries, registered in one call (the CLI's recipe registry).

#include "engine/recipe_registry.hpp"

namespace mlc::flows {

// Adds each integration's recipes: "shipstation-to-epicor-orders" always; the WooCommerce
// recipes when the build has the WooCommerce connector (MLC_HAVE_WOOCOMMERCE_FLOWS).
void add_all_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows

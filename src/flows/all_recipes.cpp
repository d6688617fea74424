#include "flows/all_recipes.hpp"

#include "flows/epicor_woocommerce/catalog_recipe.hpp"
#include "flows/epicor_woocommerce/orders_recipe.hpp"
#include "flows/shipstation_epicor/orders_recipe.hpp"

namespace mlc::flows {

void add_all_recipes(engine::RecipeRegistry &registry) {
  shipstation_epicor::add_shipstation_epicor_recipes(registry);
  epicor_woocommerce::add_epicor_woocommerce_catalog_recipes(registry);
  epicor_woocommerce::add_woocommerce_epicor_orders_recipes(registry);
}

} // namespace mlc::flows

#include "flows/all_recipes.hpp"

#include "flows/shipstation_epicor/orders_recipe.hpp"

namespace mlc::flows {

void add_all_recipes(engine::RecipeRegistry& registry) {
    shipstation_epicor::add_shipstation_epicor_recipes(registry);
}

}  // namespace mlc::flows

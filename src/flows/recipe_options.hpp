#pragma once
// The option declaration table of each recipe of src/flows (recipe_options.cpp): what its flows
// may set under `options:` and `mappings:`. recipe_infos() attaches them to each RecipeInfo.

#include <vector>

#include "engine/recipe_options.hpp"

namespace mlc::flows {

struct RecipeOptions {
    std::vector<engine::OptionSpec> options = {};
    std::vector<engine::TableSpec> tables = {};
};

RecipeOptions shipstation_epicor_orders_options();
RecipeOptions woocommerce_epicor_orders_options();
RecipeOptions epicor_woocommerce_catalog_options();
RecipeOptions woocommerce_shipstation_orders_options();
RecipeOptions acumatica_shipstation_orders_options();
RecipeOptions epicor_ups_shipments_options();
RecipeOptions amazon_epicor_orders_options();
RecipeOptions amazon_epicor_settlements_options();

}  // namespace mlc::flows

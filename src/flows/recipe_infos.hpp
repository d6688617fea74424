#pragma once
// What each flow recipe moves (engine::RecipeInfo): its streams as source system/record -> target
// system/record, and its option declaration table (recipe_options.hpp), for `mlc recipes` and
// `mlc config check`. Kept in one file so the recipes' own files stay about
// building flows; add_all_recipes() attaches these by name after registering the recipes (a
// descriptor of a recipe that is not registered is a start-up bug: it asserts).

#include <vector>

#include "engine/recipe_registry.hpp"

namespace mlc::flows {

// One per recipe of src/flows, each with its registered name.
std::vector<engine::RecipeInfo> recipe_infos();

// registry.describe() for each of recipe_infos().
void describe_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows

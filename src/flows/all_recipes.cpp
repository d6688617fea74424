#include "flows/all_recipes.hpp"

#include <iterator>

#include "connectors/acumatica/acumatica_capabilities.hpp"
#include "connectors/amazon/amazon_capabilities.hpp"
#include "connectors/epicor/epicor_capabilities.hpp"
#include "connectors/shipstation/shipstation_capabilities.hpp"
#include "connectors/ups/ups_capabilities.hpp"
#include "connectors/woocommerce/woocommerce_capabilities.hpp"
#include "flows/acumatica_shipstation/orders_recipe.hpp"
#include "flows/amazon_epicor/orders_recipe.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "flows/epicor_woocommerce/catalog_recipe.hpp"
#include "flows/epicor_woocommerce/orders_recipe.hpp"
#include "flows/recipe_infos.hpp"
#include "flows/shipstation_epicor/orders_recipe.hpp"
#include "flows/woo_shipstation/orders_recipe.hpp"

namespace mlc::flows {

void add_all_recipes(engine::RecipeRegistry& registry) {
    shipstation_epicor::add_shipstation_epicor_recipes(registry);
    epicor_woocommerce::add_epicor_woocommerce_catalog_recipes(registry);
    epicor_woocommerce::add_woocommerce_epicor_orders_recipes(registry);
    woo_shipstation::add_woo_shipstation_recipes(registry);
    acumatica_shipstation::add_acumatica_shipstation_recipes(registry);
    epicor_ups::add_epicor_ups_recipes(registry);
    amazon_epicor::add_amazon_epicor_recipes(registry);
    amazon_epicor::add_amazon_settlements_recipe(registry);
    describe_recipes(registry);
}

std::vector<connectors::Capability> all_capabilities() {
    std::vector<connectors::Capability> out;
    for (auto part :
         {connectors::shipstation::capabilities(), connectors::epicor::capabilities(),
          connectors::woocommerce::capabilities(), connectors::acumatica::capabilities(),
          connectors::ups::capabilities(), connectors::amazon::capabilities()}) {
        out.insert(out.end(), std::make_move_iterator(part.begin()),
                   std::make_move_iterator(part.end()));
    }
    return out;
}

}  // namespace mlc::flows

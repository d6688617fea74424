#include "flows/recipe_infos.hpp"

#include "connectors/connector.hpp"
#include "flows/acumatica_shipstation/orders_recipe.hpp"
#include "flows/amazon_epicor/orders_options.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "flows/epicor_woocommerce/catalog_options.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"
#include "flows/recipe_options.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "flows/woo_shipstation/orders_recipe.hpp"

namespace mlc::flows {

namespace {

namespace rec = connectors::records;

constexpr const char* kShipStation = "shipstation";
constexpr const char* kEpicor = "epicor";
constexpr const char* kWooCommerce = "woocommerce";
constexpr const char* kAcumatica = "acumatica";
constexpr const char* kUps = "ups";
constexpr const char* kAmazon = "amazon";

engine::RecipeStream stream(const char* name, const char* source, const char* record,
                            const char* target, const char* note) {
    return {.name = name,
            .source_system = source,
            .source_record = record,
            .target_system = target,
            .target_record = record,
            .note = note};
}

engine::RecipeInfo shipstation_epicor_orders() {
    return {.name = shipstation_epicor::kOrdersRecipe,
            .summary =
                "ShipStation orders into Epicor sales orders (or UD01 rows staged for "
                "review); shipments back as tracking on them",
            .streams = {stream("orders", kShipStation, rec::kOrder, kEpicor,
                               "sales orders, or UD01 staged orders with `target: ud01`"),
                        stream("shipments", kShipStation, rec::kShipment, kEpicor,
                               "tracking (CustShip) on the order")}};
}

engine::RecipeInfo woocommerce_epicor_orders() {
    return {
        .name = epicor_woocommerce::kWooOrdersRecipe,
        .summary =
            "WooCommerce orders into Epicor sales orders; their refunds as UD01 credit "
            "rows for review",
        .streams = {stream("orders", kWooCommerce, rec::kOrder, kEpicor, "sales orders"),
                    stream("refunds", kWooCommerce, rec::kRefund, kEpicor, "UD01 credit rows")}};
}

engine::RecipeInfo epicor_woocommerce_catalog() {
    return {.name = epicor_woocommerce::kCatalogRecipe,
            .summary = "Epicor parts and customers out to WooCommerce products and customers",
            .streams = {
                stream("parts", kEpicor, rec::kItem, kWooCommerce, "products by SKU"),
                stream("customers", kEpicor, rec::kCustomer, kWooCommerce, "customers by email")}};
}

engine::RecipeInfo woocommerce_shipstation_orders() {
    return {.name = woo_shipstation::kRecipe,
            .summary =
                "WooCommerce orders out to ShipStation (cancels follow unless shipped); "
                "shipments back as completed Woo orders with a tracking note",
            .streams = {stream("orders", kWooCommerce, rec::kOrder, kShipStation,
                               "orders by orderKey WOO-<id>"),
                        stream("shipments", kShipStation, rec::kShipment, kWooCommerce,
                               "order completed + tracking note")}};
}

engine::RecipeInfo acumatica_shipstation_orders() {
    return {.name = acumatica_shipstation::kRecipe,
            .summary =
                "fulfillable Acumatica sales orders out to ShipStation (createorders, orderKey "
                "type + number); labels back as confirmed Acumatica shipments with the tracking "
                "number; stock items update the ShipStation products of their SKU",
            .streams = {stream("orders", kAcumatica, rec::kOrder, kShipStation,
                               "createorders by orderKey SO<number>, 100 a call"),
                        stream("shipments", kShipStation, rec::kShipment, kAcumatica,
                               "shipment from the order, package tracking, confirmed"),
                        stream("voids", kShipStation, rec::kShipment, kAcumatica,
                               "labels voided late (by voidDate): the confirmed shipment "
                               "corrected back to Open, tracking cleared, an alert"),
                        stream("items", kAcumatica, rec::kItem, kShipStation,
                               "existing products by SKU: name, price, weight, active (V1 "
                               "cannot create products)")}};
}

engine::RecipeInfo epicor_ups_shipments() {
    engine::RecipeStream shipments = stream("shipments", kEpicor, rec::kOrder, kUps,
                                            "one shipment per release (or order), label kept");
    shipments.target_record = rec::kShipment;
    return {.name = epicor_ups::kShipmentsRecipe,
            .summary =
                "Epicor order releases ready to ship out to UPS as shipments (address validated, "
                "part-master weights, labels kept); UPS tracking back as a CustShip on the order",
            .streams = {std::move(shipments),
                        stream("tracking", kUps, rec::kShipment, kEpicor,
                               "a CustShip with the tracking number, once per package")}};
}

engine::RecipeInfo amazon_epicor_orders() {
    return {.name = amazon_epicor::kOrdersRecipe,
            .summary =
                "Amazon Seller Central orders (Orders 2026-01-01, v0 as a fallback) into Epicor "
                "sales orders: customer per marketplace, SKU -> part, cancels close them",
            .streams = {stream("orders", kAmazon, rec::kOrder, kEpicor,
                               "sales orders by AmazonOrderId in PONum")}};
}

engine::RecipeInfo amazon_epicor_settlements() {
    engine::RecipeStream settlements =
        stream(amazon_epicor::kSettlementsStream, kAmazon, rec::kSettlement, kEpicor,
               "balanced GL journals per fiscal period, reconciled to the deposit");
    settlements.target_record = rec::kJournal;
    return {.name = amazon_epicor::kSettlementsRecipe,
            .summary =
                "Amazon settlement reports posted to Epicor as balanced GL journals "
                "(mapped by transaction/amount type, one per fiscal period, once per "
                "settlement); unmapped types hold the settlement with an alert",
            .streams = {std::move(settlements)}};
}

engine::RecipeInfo declared(engine::RecipeInfo info, RecipeOptions options) {
    info.declares_options = true;
    info.options = std::move(options.options);
    info.tables = std::move(options.tables);
    return info;
}

}  // namespace

std::vector<engine::RecipeInfo> recipe_infos() {
    return {declared(shipstation_epicor_orders(), shipstation_epicor_orders_options()),
            declared(woocommerce_epicor_orders(), woocommerce_epicor_orders_options()),
            declared(epicor_woocommerce_catalog(), epicor_woocommerce_catalog_options()),
            declared(woocommerce_shipstation_orders(), woocommerce_shipstation_orders_options()),
            declared(acumatica_shipstation_orders(), acumatica_shipstation_orders_options()),
            declared(epicor_ups_shipments(), epicor_ups_shipments_options()),
            declared(amazon_epicor_orders(), amazon_epicor_orders_options()),
            declared(amazon_epicor_settlements(), amazon_epicor_settlements_options())};
}

void describe_recipes(engine::RecipeRegistry& registry) {
    for (auto& info : recipe_infos()) {
        const std::string name = info.name;
        registry.describe(name, std::move(info));
    }
}

}  // namespace mlc::flows

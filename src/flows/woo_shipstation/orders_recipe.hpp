#pragma once
// The recipe "woocommerce-to-shipstation-orders": the first pair no integration page names, built
// from existing connectors and the pipeline only (issue 10: pairs are free).
//
//   orders:    WooCommerce OrdersSource (date_modified_gmt) and order deliveries in the inbox ->
//              ShipStation OrdersTarget: orderKey "<order_key_prefix><Woo id>", so a re-send
//              updates the same order; a cancelled (refunded, failed, trashed) Woo order cancels
//              the ShipStation order unless it already shipped (then it is parked for a person:
//              handle the return). Statuses outside `statuses` wait until paid.
//   shipments: ShipStation ShipmentsSource (createDate), only orders this flow sent (orderKey
//              prefix), parent link to the order's binding -> WooCommerce Fulfilments: the Woo
//              order completed and an order note with carrier and tracking number, once per
//              shipment (`customer_note: true` shows the note to the customer).
//
//   options: start, overlap (10m), shipments_overlap (2h: ShipStation's Pacific times),
//            per_page (100), pages_per_run (50), statuses (processing,on-hold),
//            order_key_prefix (WOO-), shipments (true), customer_note (false), webhooks (true)
//   connections: source (woocommerce), target (shipstation)
//   webhooks:  with a public URL (`mlc run`), Woo's order.created/order.updated are kept pointing
//              at the flow's intake (pipeline::WebhookUpkeep over WooSubscriptions) and drained
//              before the poll; shipments come by the poll alone.
//
// Lifecycle: the flow (pipeline::Flow) owns what it borrows. Thread safety: see the clients.

#include <memory>

#include "engine/recipe_registry.hpp"

namespace mlc::flows::woo_shipstation {

inline constexpr const char* kRecipe = "woocommerce-to-shipstation-orders";

Result<std::unique_ptr<engine::FlowRunner>> make_runner(const engine::FlowConfig& flow,
                                                        const engine::Dependencies& deps);

void add_woo_shipstation_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::woo_shipstation

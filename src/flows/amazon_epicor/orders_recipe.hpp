#pragma once
// The recipe "amazon-to-epicor-orders" (integration 3, orders half): Amazon orders into Epicor
// sales orders. A recipe only: the record protocol is src/pipeline's; Amazon's orders source is
// connectors/amazon's, Epicor's SalesOrders target and OrderResolver connectors/epicor's (the
// ones "shipstation-to-epicor-orders" uses). What this file chooses:
//
//   orders: Amazon OrdersSource (Orders 2026-01-01 searchOrders, or v0 with the connection's
//           `orders_api: v0`; lastUpdatedAfter cursor, `options.overlap`) -> Epicor
//           OrderResolver (customer per marketplace by `mappings.customers`, SKU -> PartNum by
//           exact match then `mappings.parts`; an unknown one parks the order naming it and the
//           fix) -> Epicor SalesOrders, idempotent by the AmazonOrderId in `source_key_field`
//           (PONum). A changed order updates its Epicor order; Canceled closes it; Pending
//           (payment not yet authorised) waits until Amazon moves it on.
//
//   shipments (options.confirm_shipments, off by default): Epicor packs shipped for these orders
//           -> Amazon confirmShipment with carrier and tracking (confirmations.hpp).
//
//   connections.<source>: system amazon (flows/connections/amazon_connection.hpp)
//   connections.<target>: system epicor (flows/connections/epicor_connection.hpp)
//
// Lifecycle: the flow (pipeline::Flow) owns the connections, source and target it borrows.
// Thread safety: see the clients. Ownership: the connection holders borrow the transport, clock,
// store and vault from engine::Dependencies, which outlive the scheduler.

#include <memory>

#include "engine/recipe_registry.hpp"

namespace mlc::flows::amazon_epicor {

// Binding system and stream (tests and the demo read bindings by these names).
inline constexpr const char* kSourceSystem = "amazon";
inline constexpr const char* kOrdersStream = "orders";
inline constexpr const char* kDirection = "amazon->epicor";

Result<std::unique_ptr<engine::FlowRunner>> make_orders_runner(const engine::FlowConfig& flow,
                                                               const engine::Dependencies& deps);

// Registers "amazon-to-epicor-orders" in `registry`.
void add_amazon_epicor_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::amazon_epicor

#pragma once
// The recipe factory of "woocommerce-to-epicor-orders": opens the flow's `source` (woocommerce)
// and `target` (epicor) connections from mlc.yaml (flows/connections/) and builds a
// WooOrdersRunner over them, with the process's public base URL (webhooks) and vault (their
// secret).
//
// Lifecycle: WooEpicorOrdersConnections is built once per flow and owned by the runner (through
// its keep_alive). Thread safety: see the clients. Ownership: borrows the transport, clock, store
// and vault from engine::Dependencies, which outlive the scheduler.

#include <memory>

#include "engine/recipe_registry.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"

namespace mlc::flows::connections {
struct WooCommerceConnection;
struct EpicorConnection;
}  // namespace mlc::flows::connections

namespace mlc::flows::epicor_woocommerce {

struct WooEpicorOrdersConnections {
    std::unique_ptr<connections::WooCommerceConnection> woo;
    std::unique_ptr<connections::EpicorConnection> epicor;
    ~WooEpicorOrdersConnections();
};

// kConfig naming the flow, the connection and the fix when a connection is missing or of the
// wrong system; the builders' errors otherwise.
Result<std::shared_ptr<WooEpicorOrdersConnections>> open_woo_orders_connections(
    const engine::FlowConfig& flow, const WooOrdersOptions& options,
    const engine::Dependencies& deps);

Result<std::unique_ptr<engine::FlowRunner>> make_woo_orders_runner(
    const engine::FlowConfig& flow, const engine::Dependencies& deps);

// Registers "woocommerce-to-epicor-orders" in `registry`.
void add_woocommerce_epicor_orders_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::epicor_woocommerce

#pragma once
// The recipe factory of "epicor-to-woocommerce-catalog": opens the flow's `source` (an epicor
// connection) and `target` (a woocommerce connection) from mlc.yaml through the shared
// connection builders (flows/connections/) and builds a CatalogRunner over them.
//
//   flows:
//     catalog:
//       recipe: epicor-to-woocommerce-catalog
//       connections: {source: epicor-main, target: store}
//       schedule: {every: 15m}
//       options: {parts: true, customers: true, page_size: 500}   # catalog_options.hpp
//
// Lifecycle: CatalogConnections is built once per flow and owned by the runner (keep_alive).
// Thread safety: see the clients. Ownership: borrows the clock, store, vault, transport, limiters
// and metrics from engine::Dependencies, which outlive the scheduler.

#include <memory>

#include "engine/recipe_registry.hpp"

namespace mlc::flows::epicor_woocommerce {

// kConfig naming the flow, the role and the fix when a connection is missing, undefined or of
// the wrong system; the options' or the connection builders' errors otherwise.
Result<std::unique_ptr<engine::FlowRunner>> make_catalog_runner(const engine::FlowConfig& flow,
                                                                const engine::Dependencies& deps);

// Registers "epicor-to-woocommerce-catalog" in `registry`.
void add_epicor_woocommerce_catalog_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::epicor_woocommerce

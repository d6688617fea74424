#pragma once
// The recipe "epicor-to-woocommerce-catalog" (integration 4, outbound half): Epicor parts and
// customers into WooCommerce products and customers. A recipe only: the record protocol and its
// batched writes are src/pipeline's (batch.hpp); Epicor's keyset sources and Woo's batch targets
// are their connectors' (epicor_catalog.hpp, woocommerce_catalog.hpp). What this file chooses:
//
//   parts:     Epicor PartsSource (SysRevID keyset, or `changes: full`; price and stock fields
//              from the options) -> the price in the store currency -> Woo Products by SKU, 100 a
//              call (POST /products/batch); bindings under "epicor-part".
//   customers: Epicor CustomersSource -> a customer without an e-mail is parked ("add an email in
//              Epicor"), the country mapped through mappings.countries -> Woo Customers by e-mail
//              (a shop account with that e-mail is taken over; a second Epicor customer with it is
//              parked naming the first); bindings under "epicor-customer".
//   Epicor pages of `page_size` rows are committed 100 rows at a time, so a run can stop between.
//
//   flows:
//     catalog:
//       recipe: epicor-to-woocommerce-catalog
//       connections: {source: epicor-main, target: store}   # an epicor and a woocommerce one
//       schedule: {every: 15m}
//       options: {parts: true, customers: true, page_size: 500}   # catalog_options.hpp
//
// Lifecycle: the flow (pipeline::Flow) owns the connections, sources and targets it borrows.
// Thread safety: see the clients. Ownership: the connections borrow the clock, store, vault,
// transport and limiters from engine::Dependencies, which outlive the scheduler.

#include <memory>

#include "engine/recipe_registry.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kPartsStream = "parts";
inline constexpr const char* kCustomersStream = "customers";
inline constexpr const char* kPartSystem = "epicor-part";          // Binding/dead-letter system
inline constexpr const char* kCustomerSystem = "epicor-customer";  // Binding/dead-letter system
inline constexpr const char* kCatalogDirection = "epicor->woocommerce";

// kConfig naming the flow, the role and the fix when a connection is missing, undefined or of
// the wrong system; the options' or the connection builders' errors otherwise.
Result<std::unique_ptr<engine::FlowRunner>> make_catalog_runner(const engine::FlowConfig& flow,
                                                                const engine::Dependencies& deps);

// Registers "epicor-to-woocommerce-catalog" in `registry`.
void add_epicor_woocommerce_catalog_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::epicor_woocommerce

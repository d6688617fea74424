#pragma once
// WooOrdersOptions: the options and mapping tables of one "woocommerce-to-epicor-orders" flow,
// parsed once from its FlowConfig (mlc.yaml `flows.<name>.options` / `mappings`). Pure: no I/O.
//
//   connections: {source: <woocommerce connection>, target: <epicor connection>}
//   options:
//     overlap: 10m                # The poll re-reads this much before its cursor.
//     start: 2024-01-01T00:00:00Z # Where a first poll (no cursor yet) starts reading.
//     per_page: 100               # Woo per_page (100 at most).
//     pages_per_run: 50           # Poll pages one run reads before it yields (more_pending).
//     inbox_batch: 100            # Webhook deliveries leased and committed together.
//     inbox_batches_per_run: 100  # Inbox batches one run processes before the poll.
//     inbox_lease: 5m             # A delivery leased by a run that died (a SIGKILLed worker)
//                                 # is taken by another run after this (1s at least).
//     customer: WEB01             # One Epicor CustID for every order (a "web orders" account),
//     customer_field: EMailAddress  # else the billing email matched on this Customer field.
//     source_key_field: PONum     # Epicor OrderHed field holding "<prefix><Woo order id>".
//     source_key_prefix: WOO-     # So a person searching Epicor for "WOO-1234" finds the order.
//     create_route: update_ext    # update_ext (one UpdateExt tableset write) | ui (GetNewOrderHed
//                                 # ... MasterUpdate) | entity_sets
//     statuses: processing,on-hold,completed   # Woo statuses that create an Epicor order.
//     webhooks: true              # Register order.created/order.updated when a server runs.
//     refunds: true               # Woo refunds -> UD01 credit rows for review.
//   mappings:
//     customers: {"a@b.com": "C0001"}  # billing email -> CustID, checked first.
//     parts: {"WOO-SKU": "P10001"}     # Woo SKU -> Epicor PartNum, after an exact match.
//
// Value type; thread safety: none needed.

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "engine/config.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kWooOrdersRecipe = "woocommerce-to-epicor-orders";
inline constexpr std::uint32_t kWooPerPageMax = 100;         // wc/v3 per_page maximum.
inline constexpr std::uint32_t kWooPagesPerRunMax = 10'000;  // 1,000,000 orders a run.
inline constexpr std::uint32_t kInboxBatchMax = 1'000;       // Deliveries in one page commit.
inline constexpr std::uint32_t kInboxBatchesPerRunMax = 10'000;
// Woo's `_gmt` dates are UTC (woocommerce.md), so no DST hour to cover: the overlap only absorbs
// orders saved while the previous poll was reading (same second, slow writes).
inline constexpr std::chrono::seconds kWooDefaultOverlap{10 * 60};

struct WooOrdersOptions {
    std::chrono::seconds overlap = kWooDefaultOverlap;
    UtcTime start{};  // Set by parse: 2000-01-01T00:00:00Z unless configured.
    std::uint32_t per_page = kWooPerPageMax;
    std::uint32_t pages_per_run = 50;
    std::uint32_t inbox_batch = 100;
    std::uint32_t inbox_batches_per_run = 100;
    std::chrono::seconds inbox_lease{300};
    std::string fixed_customer;  // CustID for every order when set.
    std::string customer_field = "EMailAddress";
    std::string source_key_field = "PONum";
    std::string source_key_prefix = "WOO-";
    connectors::epicor::OrderCreateRoute create_route =
        connectors::epicor::OrderCreateRoute::kUpdateExt;
    std::set<std::string, std::less<>> statuses = {"processing", "on-hold", "completed"};
    bool webhooks = true;
    bool refunds = true;
    engine::ScalarMap customers;  // Woo billing email -> CustID
    engine::ScalarMap parts;      // Woo SKU -> PartNum
};

// kConfig naming the flow, the option and the accepted values for anything not understood.
Result<WooOrdersOptions> parse_woo_orders_options(const engine::FlowConfig& flow);

// The Woo order statuses that end an order: a bound Epicor order is closed/voided.
bool is_closing_status(std::string_view woo_status);

}  // namespace mlc::flows::epicor_woocommerce

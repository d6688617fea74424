#pragma once
// AmazonOrdersOptions: the options and mapping tables of one "amazon-to-epicor-orders" flow,
// parsed once from its FlowConfig (mlc.yaml `flows.<name>.options` / `mappings`). Pure: no I/O.
//
//   options:
//     start: 2026-01-01T00:00:00Z # Where a first run (no cursor yet) reads from
//     (lastUpdatedAfter);
//                                 # default 30 days before the flow is built. Refused when more
//                                 # than two years ago: Amazon never returns older orders.
//     overlap: 15m                # Re-read this much before the cursor.
//     page_size: 100              # searchOrders maxResultsPerPage (100 at most).
//     pages_per_run: 50           # Pages one run reads before it yields (more_pending).
//     source_key_field: PONum     # Epicor OrderHed field holding the AmazonOrderId.
//     create_route: update_ext    # update_ext | ui | entity_sets (as shipstation-to-epicor-orders)
//     confirm_shipments: false    # true: Epicor packs shipped for these orders are confirmed to
//                                 # Amazon (confirmShipment), with their tracking numbers.
//   mappings:
//     customers: {ATVPDKIKX0DER: C00001}  # Marketplace id -> Epicor CustID (required per
//                                         # marketplace: an unmapped one parks its orders).
//     parts: {"MLC-SKU-001": "P10001"}    # Seller SKU -> Epicor PartNum, after exact match.
//     carriers: {UPSG: UPS, FDXG: FedEx}  # Epicor ShipViaCode -> Amazon carrierCode; an
//                                         # unmapped code is sent as Other with its name.
//
// The Orders API version (2026-01-01 or the v0 fallback) is the connection's `orders_api`.
//
// Value type; thread safety: none needed.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "engine/config.hpp"

namespace mlc::flows::amazon_epicor {

inline constexpr const char* kOrdersRecipe = "amazon-to-epicor-orders";
inline constexpr std::uint32_t kPageSizeMax = 100;  // searchOrders maxResultsPerPage.
inline constexpr std::uint32_t kPagesPerRunMax = 10'000;
inline constexpr std::chrono::seconds kDefaultOverlap{15 * 60};
inline constexpr std::chrono::hours kDefaultStartBack{24 * 30};

struct AmazonOrdersOptions {
    UtcTime start{};  // Set by parse: `now` - 30 days unless configured.
    std::chrono::seconds overlap = kDefaultOverlap;
    std::uint32_t page_size = kPageSizeMax;
    std::uint32_t pages_per_run = 50;
    std::string source_key_field = "PONum";
    connectors::epicor::OrderCreateRoute create_route =
        connectors::epicor::OrderCreateRoute::kUpdateExt;
    bool confirm_shipments = false;
    engine::ScalarMap customers;  // Marketplace id -> CustID
    engine::ScalarMap parts;      // Seller SKU -> PartNum
    engine::ScalarMap carriers;   // Epicor ShipViaCode -> Amazon carrierCode
};

// kConfig naming the flow, the option and the accepted values for anything not understood.
Result<AmazonOrdersOptions> parse_orders_options(const engine::FlowConfig& flow, UtcTime now);

}  // namespace mlc::flows::amazon_epicor

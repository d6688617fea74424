#pragma once
// OrdersOptions: the options and mapping tables of one "shipstation-to-epicor-orders" flow, parsed
// once from its FlowConfig (mlc.yaml `flows.<name>.options` / `mappings`). Pure: no I/O.
//
//   options:
//     overlap: 2h                 # Re-read this much before the cursor (V1 times are Pacific
//                                 # wall time: the DST fall-back hour repeats).
//     start: 2024-01-01T00:00:00Z # Where a first run (no cursor yet) starts reading.
//     page_size: 500              # ShipStation V1 pageSize (500 at most).
//     pages_per_run: 200          # Pages one run reads before it yields (more_pending).
//     customer: C0001             # One Epicor CustID for every order (a "web orders" account),
//     customer_match: username    # or exact match of the ShipStation customerUsername | email
//     customer_field: CustID      #   to this Epicor Customer field (EMailAddress for email).
//     source_key_field: PONum     # Epicor OrderHed field holding the ShipStation orderKey.
//     create_route: update_ext    # update_ext (one UpdateExt tableset write) | ui (GetNewOrderHed
//                                 # ... MasterUpdate) | entity_sets
//     shipments: true             # Also write ShipStation tracking back to the bound orders
//                                 # (SHIP_NOTIFY webhooks and the shipments poll).
//     target: sales_order         # sales_order (Epicor backlog) | ud01 (one staged UD01 row per
//                                 # order for review, Key1 = orderKey; no tracking then).
//     webhooks: true              # Subscribe ORDER_NOTIFY/SHIP_NOTIFY when the daemon has a
//                                 # public URL (server.public_url); false: poll only.
//   mappings:
//     customers: {"web-store": "C0001"}  # customerUsername (or email) -> CustID, checked first.
//     parts: {"SKU-1": "P10001"}         # ShipStation SKU -> Epicor PartNum, after exact match.
//     carriers: {"ups": "UPSG"}          # ShipStation carrierCode -> Epicor ShipViaCode.
//
// Value type; thread safety: none needed.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "engine/config.hpp"

namespace mlc::flows::shipstation_epicor {

inline constexpr const char* kOrdersRecipe = "shipstation-to-epicor-orders";
inline constexpr std::uint32_t kOrdersPageSizeMax = 500;  // ShipStation V1 pageSize maximum.
inline constexpr std::uint32_t kPagesPerRunMax = 10'000;  // 5,000,000 orders at the maximum page.
// The DST fall-back hour repeats Pacific wall times (V1 speaks Pacific, shipstation.md): re-read
// two hours so an order modified in the repeated hour is never behind the cursor.
inline constexpr std::chrono::seconds kDefaultOverlap{2 * 3600};

enum class CustomerMatch { kUsername, kEmail };
enum class OrderTarget { kSalesOrder, kStagingRow };

struct OrdersOptions {
    std::chrono::seconds overlap = kDefaultOverlap;
    UtcTime start{};  // Set by parse: 2000-01-01T00:00:00Z unless configured.
    std::uint32_t page_size = kOrdersPageSizeMax;
    std::uint32_t pages_per_run = 200;
    std::string fixed_customer;  // CustID for every order when set.
    CustomerMatch customer_match = CustomerMatch::kUsername;
    std::string customer_field = "CustID";
    std::string source_key_field = "PONum";
    connectors::epicor::OrderCreateRoute create_route =
        connectors::epicor::OrderCreateRoute::kUpdateExt;
    engine::ScalarMap customers;  // ShipStation username/email -> CustID
    engine::ScalarMap parts;      // ShipStation SKU -> PartNum
    engine::ScalarMap carriers;   // ShipStation carrierCode -> Epicor ShipViaCode
    bool shipments = true;        // Default false for target ud01: tracking needs a sales order.
    OrderTarget target = OrderTarget::kSalesOrder;
    bool webhooks = true;
};

// kConfig naming the flow, the option and the accepted values for anything not understood.
Result<OrdersOptions> parse_orders_options(const engine::FlowConfig& flow);

}  // namespace mlc::flows::shipstation_epicor

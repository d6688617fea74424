#pragma once
// The options of the recipe "epicor-to-ups-shipments" (flow `options:` and `mappings:`), read once
// through pipeline::OptionReader (unknown names refused with the flow's line):
//
//   start: 2025-01-01T00:00:00Z   # Releases changed since then (default: the first run's time)
//   overlap: 10m                  # How far back each poll looks again
//   page_size: 100                # Orders per Epicor request
//   pages_per_run: 50
//   per_order: false              # true: one shipment per order instead of per release
//   ship_vias: UPSG,UPS2          # Only releases shipping via these Epicor codes (default: all)
//   default_service: "03"         # UPS service for an unmapped ShipVia ("" parks instead)
//   label_format: ZPL             # ZPL | GIF | EPL | SPL
//   labels_dir: ""                # default <state database folder>/labels/<flow>
//   address_check: true           # UPS Address Validation before shipping
//   declared_value: true
//   tracking: true                # UPS tracking back into Epicor (a CustShip per package)
//   tracking_via: quantum_view     # quantum_view: UPS Quantum View polled every run;
//                                 # track_alert: UPS pushes each package's events (Track Alert,
//                                 # track_alert.hpp; URL /hooks/<flow>/ups and its credential set
//                                 # in UPS's portal and as vault secret webhook.<flow>.ups), every
//                                 # package subscribed once and renewed before 14 days, Quantum
//                                 # View polled every quantum_view_every as the safety net
//   track_alert_renew_after: 13d  # A subscription is renewed this long after it was made (<14d)
//   quantum_view_every: 1h        # The Quantum View poll's interval (default: every run with
//                                 # quantum_view, 1h with track_alert)
//   status_field: CarrierStatus_c          # UD text field: UPS's status ("" not written)
//   delivered_field: DeliveredDate_c       # UD date field: the day UPS delivered
//   estimated_delivery_field: EstDelivery_c  # UD date field: UPS's estimated delivery
//   status_on: pack,release       # Where those fields are: the CustShip (ShipHead) and/or the
//                                 # order release (OrderRel); each written once per change
//   mappings: {services: {UPSG: "03", UPS2: "02", UPSN: "01"}}   # Epicor ShipVia -> UPS code
//
// Thread safety: value types and pure functions.

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "flows/epicor_ups/track_alert.hpp"

namespace mlc::flows::epicor_ups {

struct ShipmentsOptions {
    std::optional<UtcTime> start = {};
    std::chrono::seconds overlap{10 * 60};
    std::uint32_t page_size = 100;
    std::uint32_t pages_per_run = 50;
    bool per_order = false;
    std::set<std::string, std::less<>> ship_vias = {};  // Empty: every ShipVia.
    std::string default_service = "03";
    std::string label_format = "ZPL";
    std::string labels_dir = {};
    bool address_check = true;
    bool declared_value = true;
    bool tracking = true;
    std::string status_field = "CarrierStatus_c";
    std::string delivered_field = "DeliveredDate_c";
    std::string estimated_delivery_field = "EstDelivery_c";
    std::set<std::string, std::less<>> status_on = {"pack", "release"};
    engine::ScalarMap services = {};
    TrackAlertOptions track_alert = {};  // tracking_via and its options (track_alert.hpp)
};

Result<ShipmentsOptions> parse_shipments_options(const engine::FlowConfig& flow);

}  // namespace mlc::flows::epicor_ups

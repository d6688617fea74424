#pragma once
// The recipe "acumatica-to-shipstation-orders" (issue 13), built from connectors and the pipeline
// only:
//
//   orders:    Acumatica SalesOrdersSource (LastModified) -> ShipStation OrdersBatchTarget
//              (createorders, 100 a call): orderKey = order type + number ("SO000123"), so a
//              re-send updates the same order. An order is sent once fulfillable (its Status in
//              `statuses`, default Open: not on hold, approved); before that it waits (kNotYet),
//              and one already sent that goes on hold is sent on hold. Cancelled cancels it in
//              ShipStation unless shipped (then parked); Completed orders are left. An order with
//              no customer, no ship-to address or a line without an Inventory ID parks, naming
//              the fix. An edit ShipStation refuses because the order is shipped or cancelled there
//              (locked) is a difference (`mlc differences`, alert locked:<flow>), never retried
//              nor overwritten; an order on an open Acumatica shipment (Shipping) is left.
//   shipments: ShipStation ShipmentsSource (createDate poll; the V2 LabelsSource, created_at,
//              when the target connection gives an api_key_v2) and SHIP_NOTIFY (followed, V1), only
//              orderKeys of `order_types`, parent link to the order's binding -> Acumatica
//              ShipmentsTarget: the order's shipment created (or the open one found), its package
//              given the tracking number (and the Ship Via of the `carriers` mapping), confirmed.
//              A label voided once confirmed is reversed there (CorrectShipment, the tracking
//              number off the package) with an alert saying what a person must do.
//
//   options: start, overlap (10m), shipments_overlap (2h: ShipStation's Pacific times),
//            per_page (100), pages_per_run (100), statuses (Open), order_types (SO),
//            shipments (true), webhooks (true); mappings: carriers (ShipStation carrierCode ->
//            Acumatica Ship Via)
//   connections: source (acumatica), target (shipstation)
//   sessions: one Acumatica login per run, logged out after every run and replay
//             (pipeline::Flow::finally); a login past the licence's seats waits for one within
//             the run (connection option login_wait, 5 minutes).
//
// Lifecycle: the flow (pipeline::Flow) owns what it borrows. Thread safety: see the clients.

#include <memory>

#include "engine/recipe_registry.hpp"

namespace mlc::flows::acumatica_shipstation {

inline constexpr const char* kRecipe = "acumatica-to-shipstation-orders";
// The streams' binding source systems: orders by order type + number, shipments by ShipStation
// shipmentId (the demo reads both).
inline constexpr const char* kOrderSystem = "acumatica";
inline constexpr const char* kShipmentSystem = "shipstation-shipment";

Result<std::unique_ptr<engine::FlowRunner>> make_runner(const engine::FlowConfig& flow,
                                                        const engine::Dependencies& deps);

void add_acumatica_shipstation_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::acumatica_shipstation

#pragma once
// The recipe "epicor-to-ups-shipments" (integration 2): Epicor's releases that are ready to ship
// become UPS shipments with validated addresses and part-master weights, their labels are kept
// for printing, and UPS tracking comes back into Epicor. A recipe only: the record protocol is
// src/pipeline's, Epicor's release source and tracking target and UPS's shipments target and
// tracking source are their connectors'. What this file chooses:
//
//   shipments: Epicor ReleasesSource (ChangeDate+ChangeTime, overlap `options.overlap`; one
//              record per release, or per order with `per_order`) -> ReleaseResolver (ship-to,
//              exact weights, ShipVia -> UPS service, address validation first) -> UPS
//              ShipmentsTarget (the release key is the shipment's reference: a ship whose answer
//              was lost is found by it, never shipped twice). A held order waits; a voided
//              order or line voids its label; a closed release is left alone. Labels go to the
//              flow's LabelFolder (`mlc labels get ORDER`). Only releases shipping via
//              `ship_vias` (every one when empty) are this flow's.
//   tracking:  UPS TrackingSource (Quantum View, then each moved package's details) -> parent
//              link to the release's shipment -> Epicor Tracking (a CustShip with the tracking
//              number on the order, once per package). Off with `tracking: false`. With
//              `tracking_via: track_alert` (track_alert.hpp) UPS pushes the events instead: each
//              labelled package is subscribed once and renewed before its 14 days lapse, the
//              pushes (/hooks/<flow>/ups, verified by the portal credential the vault holds as
//              "webhook.<flow>.ups") are drained into this stream first, and Quantum View is
//              polled every `quantum_view_every` (1 h) as the safety net.
//
//   connections.<source>: system epicor (see shipstation_epicor/orders_recipe.hpp)
//   connections.<target>: system ups (connections/ups_connection.hpp: account, shipper address,
//                         secrets client_id and client_secret)
//
// Lifecycle: the flow (pipeline::Flow) owns what it borrows. Thread safety: see the clients.

#include <filesystem>
#include <memory>

#include "engine/recipe_registry.hpp"

namespace mlc::flows::epicor_ups {

inline constexpr const char* kShipmentsRecipe = "epicor-to-ups-shipments";
inline constexpr const char* kShipmentsStream = "shipments";
inline constexpr const char* kTrackingStream = "tracking";
inline constexpr const char* kReleaseSystem = "epicor-release";  // Bindings of the releases.
inline constexpr const char* kPackageSystem = "ups-package";     // Bindings of the packages.

// Where the flow keeps its labels: options.labels_dir, else <state database folder>/labels/<flow>.
// kConfig when the flow's options do not parse.
Result<std::filesystem::path> labels_dir_of(const engine::FlowConfig& flow,
                                            const engine::Config& config);

Result<std::unique_ptr<engine::FlowRunner>> make_shipments_runner(const engine::FlowConfig& flow,
                                                                  const engine::Dependencies& deps);

void add_epicor_ups_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::epicor_ups

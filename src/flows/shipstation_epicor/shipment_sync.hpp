#pragma once
// ShipmentSync: the shipments half of "shipstation-to-epicor-orders". Reads ShipStation shipments
// created since `cursor - overlap` (stream "shipments"), page by page, and writes each label's
// tracking number, carrier (as an Epicor ShipViaCode through `mappings.carriers`, else the
// order's own) and ship date to the Epicor order bound to the shipment's orderKey (a CustShip with
// a CartonTrkDtl, EpicorClient::write_tracking, which finds and reuses its own earlier write).
//   * Voided labels are skipped (audited): the tracking already written stays for a person.
//   * A shipment whose order is not in Epicor yet (parked, or cancelled before it got there) is
//     parked naming the order; replay it once the order has moved.
//   * SHIP_NOTIFY webhooks (webhook_inbox.hpp) hand the batch their resource_url lists to
//     write_batch(): the same path, so a shipment is written once whichever way it arrives.
//   * Each written shipment gets a binding (source "shipstation-shipment", key shipmentId ->
//     PackNum): a shipment listed again is skipped.
//
// Lifecycle: owned by OrdersRunner. Thread safety: none (the engine serialises runs). Ownership:
// borrows both clients and the options.

#include <vector>

#include "connectors/epicor/epicor_client.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "engine/flow_runner.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"

namespace mlc::flows::shipstation_epicor {

inline constexpr const char* kShipmentsStream = "shipments";
inline constexpr const char* kShipmentSourceSystem = "shipstation-shipment";

class ShipmentSync {
  public:
    ShipmentSync(const OrdersOptions& options,
                 connectors::shipstation::ShipStationClient& shipstation,
                 connectors::epicor::EpicorClient& epicor)
        : options_(options), shipstation_(shipstation), epicor_(epicor) {}

    // Adds its counts to `summary`; an Error ends the run (the cursor stays before it).
    Result<void> run(engine::RunContext& ctx, engine::RunSummary& summary);
    // A parked shipment: fetched again by listing its order's shipments, then written.
    Result<void> replay(const store::DeadLetter& letter, engine::RunContext& ctx);
    // Writes the shipments a SHIP_NOTIFY's resource_url listed (kResourcePagesMax pages at most,
    // the client's bound), exactly as the poll would: bound ones are skipped, unwritable ones
    // parked into `commit`. The caller commits (with the inbox event's done mark). An Error ends
    // the batch; what `commit` holds so far was written.
    Result<void> write_batch(const std::vector<connectors::Record<model::Shipment>>& batch,
                             engine::RunContext& ctx, store::PageCommit& commit,
                             engine::RunSummary& summary);

  private:
    enum class Outcome { kCreated, kSkipped };
    // process() plus parking; counts into `summary`.
    Result<void> handle(const connectors::Record<model::Shipment>& record, engine::RunContext& ctx,
                        store::PageCommit& commit, engine::RunSummary& summary);
    Result<Outcome> process(const connectors::Record<model::Shipment>& record,
                            engine::RunContext& ctx, store::PageCommit& commit);

    const OrdersOptions& options_;
    connectors::shipstation::ShipStationClient& shipstation_;
    connectors::epicor::EpicorClient& epicor_;
};

}  // namespace mlc::flows::shipstation_epicor

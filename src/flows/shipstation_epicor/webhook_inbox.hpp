#pragma once
// WebhookInbox: what "shipstation-to-epicor-orders" does with the ShipStation webhook events the
// daemon's intake stored in the flow's inbox (net/webhook_intake.hpp verified their URL token,
// appended them and woke the flow). ShipStation payloads carry no data, only
// {"resource_url", "resource_type"}, and deliveries are at most once (shipstation.md, Webhooks),
// so every event is a hint and the polls stay the source of truth: a lost event loses nothing.
//
//  * ORDER_NOTIFY: only wakes the flow. The orders poll reads the details (ORDER_NOTIFY fires for
//    new orders only; edits and cancels surface through modifyDate alone), and the event is marked
//    done in the commit of the poll's last page: acknowledged once the poll has caught up.
//  * SHIP_NOTIFY: its resource_url (a batchId selecting exactly the new labels) is followed with
//    the connection's credentials (the client refuses hosts other than ShipStation's) and the
//    shipments are written like the shipments poll writes them (pipeline::write_all over the
//    flow's shipments stream); the bindings, audit and the event's done mark land in one commit.
//  * A SHIP_NOTIFY whose resource_url cannot be read is retried by later runs (the lease expires)
//    up to kInboxAttemptsMax leases, then marked done with an audit kFail: the shipments poll
//    still writes that tracking. An unreadable payload, a refused host, any other topic, or
//    SHIP_NOTIFY with `shipments: false` is marked done at once, audited.
//
// Lifecycle: owned by the flow (orders_recipe.cpp). Thread safety: none (the engine serialises
// runs of a flow). Ownership: borrows the options and the ShipStation client.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "connectors/shipstation/shipstation_client.hpp"
#include "engine/flow_runner.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "pipeline/page.hpp"

namespace mlc::flows::shipstation_epicor {

inline constexpr const char* kOrderNotify = "ORDER_NOTIFY";
inline constexpr const char* kShipNotify = "SHIP_NOTIFY";
// Events one run leases. One ORDER_NOTIFY covers a whole import batch (shipstation.md), so a
// backlog this deep is already many batches; the rest waits for the next run.
inline constexpr std::size_t kInboxEventsPerRunMax = 200;
// How long a leased event stays ours: a run that stops early (page budget, crash) leaves its
// events to the next run after this.
inline constexpr std::chrono::seconds kInboxLease{5 * 60};
// Leases of one SHIP_NOTIFY before it is given up to the shipments poll.
inline constexpr int kInboxAttemptsMax = 5;

// The events leased by one run, sorted by what must happen to them.
struct LeasedEvents {
    // Done once the orders poll has caught up: ORDER_NOTIFY and events needing no work.
    std::vector<std::int64_t> settle_with_poll;
    std::vector<store::AuditEvent> settle_audit;  // Goes in the same commit.
    std::vector<store::InboxEvent> ship_notify;   // Followed by follow_shipments().
};

// Writes a batch of shipments into a page, as the shipments poll would.
using ShipmentsWriter = std::function<Result<void>(
    const std::vector<connectors::Record<model::Shipment>>&, pipeline::Page&, engine::RunSummary&)>;

class WebhookInbox {
  public:
    WebhookInbox(const OrdersOptions& options,
                 connectors::shipstation::ShipStationClient& shipstation, ShipmentsWriter write)
        : options_(options), shipstation_(shipstation), write_(std::move(write)) {}

    // Leases the flow's pending events as `owner` (unique per runner: several workers may share
    // a store). None in a dry run: the inbox is left as it is.
    Result<LeasedEvents> lease(engine::RunContext& ctx, const std::string& owner);

    // Follows each SHIP_NOTIFY's resource_url and writes its shipments; one commit per event.
    // A store failure or an Epicor error that is not the record's ends the run (the event stays
    // leased and is retried); ShipStation read failures are retried as described above.
    Result<void> follow_shipments(const std::vector<store::InboxEvent>& events,
                                  engine::RunContext& ctx, engine::RunSummary& summary);

  private:
    Result<void> follow(const store::InboxEvent& event, engine::RunContext& ctx,
                        engine::RunSummary& summary);
    // Marks `event` done with an audit saying why nothing more is done with it.
    Result<void> settle(const store::InboxEvent& event, engine::RunContext& ctx,
                        store::AuditAction action, std::string outcome, std::string detail);

    const OrdersOptions& options_;
    connectors::shipstation::ShipStationClient& shipstation_;
    ShipmentsWriter write_;
};

// The event's topic: the stored topic (the intake reads resource_type), else the body's.
std::string inbox_topic(const store::InboxEvent& event);
// The body's resource_url; empty when the body is not a ShipStation payload.
std::string inbox_resource_url(const store::InboxEvent& event);

}  // namespace mlc::flows::shipstation_epicor

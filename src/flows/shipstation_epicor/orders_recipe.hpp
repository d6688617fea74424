#pragma once
// The recipe "shipstation-to-epicor-orders" (integration 1): ShipStation orders into Epicor sales
// orders (or UD01 rows staged for review), and ShipStation shipments back as tracking on them.
// A recipe only: the record protocol is src/pipeline's; ShipStation's source and Epicor's
// targets and resolver are their connectors'. What this file chooses:
//
//   orders:    ShipStation OrdersSource (modifyDate, overlap `options.overlap`) -> Epicor
//              OrderResolver (customer by username or email, SKU -> PartNum) -> Epicor
//              SalesOrders (source key in `source_key_field`), or StagedOrders for `target: ud01`
//              (bindings then under "shipstation-staged", so switching to sales_order later moves
//              the reviewed orders into the backlog). A ShipStation cancel closes the Epicor order.
//   shipments: ShipStation ShipmentsSource (createDate), parent link to the order's binding ->
//              Epicor Tracking (carriers mapped by `mappings.carriers`), once per shipmentId; a
//              voided label writes nothing. Off with `shipments: false` (and for ud01).
//   webhooks:  with a public URL (`mlc run`), ORDER_NOTIFY wakes the flow and is settled with the
//              orders poll's last page; SHIP_NOTIFY's resource_url is followed and its shipments
//              written like the poll's (ShipStationEvents, pipeline::follow); subscriptions are
//              ensured on the first run, then every pipeline::kWebhookRecheck
//              (ShipStationSubscriptions under pipeline::WebhookUpkeep); a failure raises an
//              alert and never stops the poll.
//
//   connections.<source>: system shipstation, base_url, secrets {api_key, api_secret},
//                         options {rate_per_minute (below 40 slows it further: V1 allows 40)}
//   connections.<target>: system epicor, base_url (tenant base, e.g. https://host/EpicorERP),
//                         options {company (required), auth: basic | bearer (default basic),
//                                  token_form: service | resource (bearer only), user,
//                                  rate_per_minute, server_zone},
//                         secrets {api_key, password, username (when options.user is absent)}
//
// Lifecycle: the flow (pipeline::Flow) owns the connections, sources and targets it borrows.
// Thread safety: see the clients. Ownership: the connection holders borrow the transport, clock,
// store and vault from engine::Dependencies, which outlive the scheduler.

#include <memory>

#include "connectors/epicor/epicor_client.hpp"
#include "connectors/epicor/epicor_resolver.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/shipstation_connection.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"

namespace mlc::flows::shipstation_epicor {

// Binding systems and streams (the demo reads bindings by these names).
inline constexpr const char* kSourceSystem = "shipstation";
inline constexpr const char* kStagedSourceSystem = "shipstation-staged";
inline constexpr const char* kShipmentSourceSystem = "shipstation-shipment";
inline constexpr const char* kOrdersStream = "orders";
inline constexpr const char* kShipmentsStream = "shipments";
inline constexpr const char* kDirection = "shipstation->epicor";

struct ShipStationEpicorConnections {
    std::unique_ptr<connections::ShipStationConnection> source;
    std::unique_ptr<connections::EpicorConnection> target;
    connectors::shipstation::ShipStationClient* shipstation = nullptr;  // source->client
    connectors::epicor::EpicorClient* epicor = nullptr;                 // target->client
};

// How the flow's orders resolve in Epicor (customer, SKU -> part); borrows `options`' mappings.
connectors::epicor::OrderResolverConfig order_resolving(const OrdersOptions& options);

// kConfig naming the flow, the connection and the fix when a connection is missing, of the wrong
// system, or lacks a required option or secret name; the vault's error for an unreadable user.
Result<std::shared_ptr<ShipStationEpicorConnections>> build_connections(
    const engine::FlowConfig& flow, const OrdersOptions& options, const engine::Dependencies& deps);

Result<std::unique_ptr<engine::FlowRunner>> make_orders_runner(const engine::FlowConfig& flow,
                                                               const engine::Dependencies& deps);

// Registers "shipstation-to-epicor-orders" in `registry`.
void add_shipstation_epicor_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::shipstation_epicor

#pragma once
// The recipe factory of "shipstation-to-epicor-orders": opens the flow's `source` (shipstation) and
// `target` (epicor) connections with the shared builders of flows/connections (the same clients
// `mlc ping` checks) and builds an OrdersRunner over them.
//
//   connections.<source>: system shipstation, base_url, secrets {api_key, api_secret},
//                         options {rate_per_minute (below 40 slows it further: V1 allows 40)}
//   connections.<target>: system epicor, base_url (tenant base, e.g. https://host/EpicorERP),
//                         options {company (required), auth: basic | bearer (default basic),
//                                  token_form: service | resource (bearer only), user,
//                                  rate_per_minute, server_zone},
//                         secrets {api_key, password, username (when options.user is absent)}
// Bearer gets tokens from Epicor's token resource with the same user and password
// (auth::EpicorToken) through the connection's TokenManager: cached sealed in the store, renewed
// before the hour runs out and once on 401 (flows/connections/epicor_connection.hpp). The runner
// also gets engine::Dependencies::public_base_url and the vault, so a flow built by `mlc run`
// subscribes its ShipStation webhooks (webhook_registrar.hpp).
//
// Lifecycle: ShipStationEpicorConnections is built once per flow and owned by the runner (through
// OrdersRunner's keep_alive). Thread safety: see the clients. Ownership: the connection holders
// borrow the transport, clock, store and vault from engine::Dependencies, which outlive the
// scheduler (each makes its own CurlTransport when the dependencies carry none).

#include <memory>

#include "connectors/epicor/epicor_client.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/shipstation_connection.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"

namespace mlc::flows::shipstation_epicor {

struct ShipStationEpicorConnections {
    std::unique_ptr<connections::ShipStationConnection> source;
    std::unique_ptr<connections::EpicorConnection> target;
    connectors::shipstation::ShipStationClient* shipstation = nullptr;  // source->client
    connectors::epicor::EpicorClient* epicor = nullptr;                 // target->client
};

// kConfig naming the flow, the connection and the fix when a connection is missing, of the wrong
// system, or lacks a required option or secret name; the vault's error for an unreadable user.
Result<std::shared_ptr<ShipStationEpicorConnections>> build_connections(
    const engine::FlowConfig& flow, const OrdersOptions& options, const engine::Dependencies& deps);

Result<std::unique_ptr<engine::FlowRunner>> make_orders_runner(const engine::FlowConfig& flow,
                                                               const engine::Dependencies& deps);

// Registers "shipstation-to-epicor-orders" in `registry`.
void add_shipstation_epicor_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::shipstation_epicor

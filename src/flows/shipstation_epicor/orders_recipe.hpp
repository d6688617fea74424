#pragma once
// The recipe factory of "shipstation-to-epicor-orders": builds the ShipStation and Epicor clients
// of a flow's `source` and `target` connections (mlc.yaml) and an OrdersRunner over them.
//
//   connections.<source>: system shipstation, base_url, secrets {api_key, api_secret},
//                         options {rate_per_minute (default 39: V1 allows 40 a minute)}
//   connections.<target>: system epicor, base_url (tenant base, e.g. https://host/EpicorERP),
//                         options {company (required), auth: basic | bearer (default basic),
//                                  token_form: service | resource, token_url (bearer only),
//                                  user, rate_per_minute},
//                         secrets {api_key, password, username (when options.user is absent)}
// Bearer fetches tokens with the same user and password (auth::EpicorToken) through the
// connection's TokenManager: cached sealed in the store, renewed before the hour runs out and
// once on 401. The runner gets engine::Dependencies::public_base_url and the vault, so a flow
// built by `mlc run` subscribes its ShipStation webhooks (webhook_registrar.hpp).
//
// Lifecycle: ShipStationEpicorConnections is built once per flow and owned by the runner (through
// OrdersRunner's keep_alive). Without a transport in engine::Dependencies the holder makes its own
// CurlTransport (system CA store). Thread safety: see the clients. Ownership: borrows the
// transport, clock, store and vault from engine::Dependencies, which outlive the scheduler.

#include <memory>

#include "auth/token_manager.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "net/client_metrics.hpp"
#include "net/rate_limiter.hpp"

namespace mlc::flows::shipstation_epicor {

struct ShipStationEpicorConnections {
    // Set only when engine::Dependencies carried no transport (the CLI does not pass one yet).
    std::unique_ptr<net::HttpTransport> own_transport;
    net::RateLimiterRegistry own_limiters;  // Used when the process shares none.
    net::RateLimiterRegistry* limiters = &own_limiters;
    // Outbound traffic per system on the daemon's /metrics; null when the process has no metrics.
    std::unique_ptr<net::ClientMetrics> shipstation_metrics;
    std::unique_ptr<net::ClientMetrics> epicor_metrics;
    std::unique_ptr<connectors::shipstation::ShipStationClient> shipstation;
    std::unique_ptr<auth::TokenManager> epicor_credentials;
    std::unique_ptr<connectors::epicor::EpicorClient> epicor;
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

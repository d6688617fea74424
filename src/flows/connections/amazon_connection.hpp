#pragma once
// An Amazon SP-API client built from one mlc.yaml seller connection, for any recipe (and
// `mlc ping`):
//
//   connections.<name>: system amazon, base_url (optional: the regional host; default from
//     options.region), options {
//       region (na | eu | fe, default na), sandbox (true: the sandbox. host of the region),
//       marketplace_ids (comma-separated; default ATVPDKIKX0DER in na, required elsewhere),
//       lwa_token_url (default https://api.amazon.com/auth/o2/token),
//       orders_api (2026-01-01, the default, or v0: the fallback, refused from 2027-03-27),
//       client_secret_rotate_by (YYYY-MM-DD: when the LWA secret's 180 days end; an alert
//         rotation_warning_days before it, default 14)},
//     secrets {client_id, client_secret (the LWA app's), refresh_token (the seller's)}
//
// The access token is one per seller connection, through auth::TokenManager
// (make_amazon_credentials): cached sealed in the state store, refreshed before its hour ends;
// the limiter holds every operation's usage plan (amazon_rate_limits()).
//
// ping_amazon() checks, one line each: the vault secrets, reaching the host, obtaining an access
// token (and the rotation date), and one read: searchOrders (or v0 getOrders) of the last day,
// one order.
//
// Lifecycle: open once per flow (or ping); the holder owns the client, its TokenManager and what
// the process did not provide. Thread safety: see AmazonClient. Ownership: borrows the clock,
// store, vault, transport, limiters and metrics from engine::Dependencies.

#include <memory>
#include <optional>
#include <string>

#include "auth/token_manager.hpp"
#include "common/result.hpp"
#include "connectors/amazon/amazon_client.hpp"
#include "connectors/amazon/amazon_orders.hpp"
#include "connectors/ping.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/client_plumbing.hpp"
#include "net/retry_policy.hpp"

namespace mlc::flows::connections {

struct AmazonConnection : ClientPlumbing {
    std::unique_ptr<auth::TokenManager> credentials;
    std::unique_ptr<connectors::amazon::AmazonClient> client;
    connectors::amazon::OrdersApi orders_api = connectors::amazon::OrdersApi::k2026;
    // What was configured, for messages: never a secret value.
    std::string endpoint = {};
    std::string client_secret_secret = {};
    std::string refresh_token_secret = {};
};

struct AmazonOpenOptions {
    std::optional<net::RetryOptions> retry = {};  // Nullopt: operation_retry() per operation.
};

// kConfig naming the connection and the fix when it is not an amazon connection, the vault is
// missing, a secret name is missing, or an option is not one of its values.
Result<std::unique_ptr<AmazonConnection>> open_amazon(const engine::ConnectionConfig& connection,
                                                      const engine::Dependencies& deps,
                                                      const AmazonOpenOptions& options = {});

// Never throws, never writes to Amazon (the token lands in the store's token cache).
connectors::PingReport ping_amazon(const engine::ConnectionConfig& connection,
                                   const engine::Dependencies& deps);

}  // namespace mlc::flows::connections

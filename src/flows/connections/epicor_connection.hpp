#pragma once
// An Epicor Kinetic v2 client built from one mlc.yaml connection, for any recipe (and `mlc ping`):
//
//   connections.<name>: system epicor, base_url (tenant base, e.g. https://host/EpicorERP),
//     options {company (required: the v2 URL's Company segment),
//              auth: basic | bearer (default basic),
//              token_form: service | resource (bearer only; default service: Ice.LIB.
//                TokenServiceSvc/GetAccessToken, or the legacy TokenResource.svc),
//              user (else secrets.username), rate_per_minute (default 600), server_zone},
//     secrets {api_key (x-api-key, every request), password, username (when no options.user)}
//
// Basic sends x-api-key + Basic on every call; Bearer gets a token from Epicor's token resource
// through auth::TokenManager (renewed before it runs out and once on 401: Epicor has no refresh
// tokens) and sends x-api-key + Bearer. Either way a 401 names which of Epicor's three causes it
// is: wrong user/password, wrong API key for the company, or access denied (epicor-kinetic.md).
//
// ping_epicor() checks, one line each: the vault secrets, reaching the host, the credentials and
// reading one customer (Erp.BO.CustomerSvc/Customers?$top=1), and the bearer token's expiry.
//
// Lifecycle: open once per flow (or ping); the holder owns the client, its TokenManager and
// whatever the process did not provide (transport, limiter registry). Thread safety: see
// EpicorClient and TokenManager (both safe from several threads). Ownership: borrows the clock,
// store (token cache), vault, transport, limiters and metrics from engine::Dependencies, which
// must outlive it.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/token_manager.hpp"
#include "common/result.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/ping.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/client_plumbing.hpp"
#include "net/client_metrics.hpp"
#include "net/rate_limiter.hpp"
#include "net/retry_policy.hpp"

namespace mlc::flows::connections {

// Epicor publishes no request limit (epicor-kinetic.md); be gentle with a shared tenant.
inline constexpr double kEpicorDefaultPerMinute = 600.0;

struct EpicorConnection : ClientPlumbing {
    std::unique_ptr<auth::TokenManager> credentials;
    std::unique_ptr<connectors::epicor::EpicorClient> client;
    // What was configured, for messages: never a secret value.
    bool bearer = false;
    std::string user;
    std::string company;
    std::string base_url;  // Without a trailing slash.
    std::string api_key_secret;
    std::string password_secret;
};

// What a recipe chooses for the client (orders_options.hpp); defaults are the client's own.
struct EpicorOpenOptions {
    std::string source_key_field = "PONum";
    std::string customer_lookup_field = "CustID";
    connectors::epicor::OrderCreateRoute create_route =
        connectors::epicor::OrderCreateRoute::kUpdateExt;
    std::optional<net::RetryOptions> retry{};  // Nullopt: the client's defaults.
};

// kConfig naming the connection and the fix when it is not an epicor connection, the vault is
// missing, options.company, auth or token_form is wrong, or a secret name is not configured; the
// vault's error when the user secret cannot be read; the client's check_config() error.
Result<std::unique_ptr<EpicorConnection>> open_epicor(const engine::ConnectionConfig& connection,
                                                      const engine::Dependencies& deps,
                                                      const EpicorOpenOptions& options = {});

// Never throws, never writes to Epicor (the bearer token lands in the store's token cache).
connectors::PingReport ping_epicor(const engine::ConnectionConfig& connection,
                                   const engine::Dependencies& deps);

// A flow's `create_route` option: update_ext (the default: one UpdateExt tableset write), ui
// (GetNewOrderHed ... MasterUpdate, as the UI does) or entity_sets; nullopt for anything else.
inline std::optional<connectors::epicor::OrderCreateRoute> parse_create_route(
    std::string_view text) {
    using Route = connectors::epicor::OrderCreateRoute;
    if (text == "update_ext") return Route::kUpdateExt;
    if (text == "ui") return Route::kUiSequence;
    if (text == "entity_sets") return Route::kEntitySets;
    return std::nullopt;
}

}  // namespace mlc::flows::connections

#pragma once
// A UPS client built from one mlc.yaml connection, for any recipe (and `mlc ping`):
//
//   connections.<name>: system ups, base_url (the host root: https://onlinetools.ups.com, or
//     https://wwwcie.ups.com to test), options {
//       account_number (required: the 6-character UPS account, shipper and bill-to),
//       shipper_name, shipper_street1, shipper_city, shipper_state, shipper_postal_code
//         (required: where packages leave), shipper_street2, shipper_country (default US),
//         shipper_attention, shipper_phone,
//       merchant_id (x-merchant-id on the token request: which linked account, optional),
//       daily_token_budget (token requests per UTC day, default 250),
//       rate_per_minute (local pacing; UPS publishes none, default 300)},
//     secrets {client_id, client_secret} (the app's credentials from developer.ups.com)
//
// The token is obtained through auth::TokenManager (make_ups_credentials): cached sealed in the
// state store for its whole life and shared by every flow on the connection; a warning alert at
// 80 % of the daily budget, an error alert and no more requests past it.
//
// ping_ups() checks, one line each: the vault secrets, reaching the host, obtaining a token (its
// lifetime and today's token requests against the budget), and one read: the shipper's own
// address through Address Validation (which also proves the app has that product).
//
// Lifecycle: open once per flow (or ping); the holder owns the client, its TokenManager and what
// the process did not provide (transport, limiter registry). Thread safety: see UpsClient and
// TokenManager. Ownership: borrows the clock, store, vault, transport, limiters and metrics from
// engine::Dependencies, which must outlive it.

#include <memory>
#include <optional>
#include <string>

#include "auth/token_manager.hpp"
#include "common/result.hpp"
#include "connectors/ping.hpp"
#include "connectors/ups/ups_client.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/client_plumbing.hpp"
#include "net/retry_policy.hpp"

namespace mlc::flows::connections {

// UPS publishes no rate limit (ups.md): a polite default, configurable.
inline constexpr double kUpsDefaultPerMinute = 300.0;

struct UpsConnection : ClientPlumbing {
    std::unique_ptr<auth::TokenManager> credentials;
    std::unique_ptr<connectors::ups::UpsClient> client;
    connectors::ups::UpsShipper shipper = {};  // From the connection's options.
    // What was configured, for messages: never a secret value.
    std::string base_url = {};
    std::string client_id_secret = {};
    std::string client_secret_secret = {};
    std::string merchant_id = {};
    int daily_token_budget = auth::kUpsDailyTokenBudget;
};

struct UpsOpenOptions {
    std::optional<net::RetryOptions> retry = {};  // Nullopt: the client's defaults.
};

// kConfig naming the connection and the fix when it is not a ups connection, the vault is
// missing, a secret name or a required option is missing, or daily_token_budget is not a
// positive whole number; the vault's error when the client id cannot be read.
Result<std::unique_ptr<UpsConnection>> open_ups(const engine::ConnectionConfig& connection,
                                                const engine::Dependencies& deps,
                                                const UpsOpenOptions& options = {});

// Never throws, never writes to UPS (the token lands in the store's token cache and counts
// against the day's budget).
connectors::PingReport ping_ups(const engine::ConnectionConfig& connection,
                                const engine::Dependencies& deps);

}  // namespace mlc::flows::connections

#pragma once
// A WooCommerce wc/v3 client built from one mlc.yaml connection, for any recipe (and `mlc ping`):
//
//   connections.<name>: system woocommerce, base_url (the site root, https://shop.example),
//     options {auth: basic | query (default basic: consumer key/secret as HTTP Basic; query sends
//              them as consumer_key/consumer_secret parameters for hosts that strip
//              Authorization), rate_per_minute (default 300), per_page (1..100, default 100)},
//     secrets {consumer_key, consumer_secret} (vault secret names)
//
// ping_woocommerce() checks, one line each: the vault secrets, reaching the host, the key pair
// (which half is wrong, and the fix), reading one record (GET products?per_page=1) and the
// store's webhooks with their status (a `disabled` one is a warning naming the fix: Woo disabled
// it after failed deliveries and never retries them).
//
// Lifecycle: open once per flow (or ping); the holder owns the client and whatever it needed
// that the process did not provide (transport, limiter registry). Thread safety: see
// WooCommerceClient (every method is safe from several threads). Ownership: borrows the clock,
// vault, transport, limiters and metrics from engine::Dependencies, which must outlive it.

#include <memory>
#include <optional>

#include "common/result.hpp"
#include "connectors/ping.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/client_plumbing.hpp"
#include "net/client_metrics.hpp"
#include "net/rate_limiter.hpp"
#include "net/retry_policy.hpp"

namespace mlc::flows::connections {

struct WooCommerceConnection : ClientPlumbing {
    std::unique_ptr<connectors::woocommerce::WooCommerceClient> client;
};

struct WooCommerceOpenOptions {
    std::optional<net::RetryOptions> retry{};  // Nullopt: the client's defaults.
};

// kConfig naming the connection and the fix when it is not a woocommerce connection, the vault is
// missing, a secret name is not configured, or an option is not understood. Reads no secret value
// (the client reads them at each call, so a rotated secret takes effect at once).
Result<std::unique_ptr<WooCommerceConnection>> open_woocommerce(
    const engine::ConnectionConfig& connection, const engine::Dependencies& deps,
    const WooCommerceOpenOptions& options = {});

// Never throws, never writes to WooCommerce.
connectors::PingReport ping_woocommerce(const engine::ConnectionConfig& connection,
                                        const engine::Dependencies& deps);

}  // namespace mlc::flows::connections

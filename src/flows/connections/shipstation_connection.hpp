#pragma once
// A ShipStation V1 client built from one mlc.yaml connection, for any recipe (and `mlc ping`):
//
//   connections.<name>: system shipstation, base_url (https://ssapi.shipstation.com),
//                       secrets {api_key, api_secret} (vault secret names), and optionally
//                       api_key_v2 (a V2 API key: label reads go through V2, see `v2` below),
//                       options {rate_per_minute: below 40 slows the connection further,
//                                v2_base_url (https://api.shipstation.com)}
//
// ping_shipstation() checks, one line each: the vault secrets, reaching the host, the key pair
// (GET /orders?pageSize=1), reading one order, and the rate-limit headroom from the answer's
// X-Rate-Limit-Limit/Remaining/Reset headers (V1: 40 requests a minute per key pair).
//
// Lifecycle: open once per flow (or ping); the holder owns the client and whatever it needed
// that the process did not provide (transport, limiter registry). Thread safety: see
// ShipStationClient (every method is safe from several threads). Ownership: borrows the clock,
// vault, transport, limiters and metrics from engine::Dependencies, which must outlive it.

#include <memory>
#include <optional>

#include "common/result.hpp"
#include "connectors/ping.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "connectors/shipstation/shipstation_v2.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/client_plumbing.hpp"
#include "net/client_metrics.hpp"
#include "net/rate_limiter.hpp"
#include "net/retry_policy.hpp"

namespace mlc::flows::connections {

struct ShipStationConnection : ClientPlumbing {
    std::unique_ptr<connectors::shipstation::ShipStationClient> client;
    // The V2 client when the connection names an api_key_v2 secret; null otherwise (V1 only).
    std::unique_ptr<connectors::shipstation::ShipStationV2Client> v2;
};

struct ShipStationOpenOptions {
    std::optional<net::RetryOptions> retry{};  // Nullopt: the client's defaults.
};

// kConfig naming the connection and the fix when it is not a shipstation connection, the vault is
// missing, or a secret name is not configured. Reads no secret value (the client reads them at
// each call, so a rotated secret takes effect at once).
Result<std::unique_ptr<ShipStationConnection>> open_shipstation(
    const engine::ConnectionConfig& connection, const engine::Dependencies& deps,
    const ShipStationOpenOptions& options = {});

// Never throws, never writes to ShipStation.
connectors::PingReport ping_shipstation(const engine::ConnectionConfig& connection,
                                        const engine::Dependencies& deps);

}  // namespace mlc::flows::connections

#pragma once
// ClientPlumbing: what every connector client built from a connection takes from the process,
// or owns when the process has none: the HTTP transport (else a CurlTransport with the system's
// CAs), the rate-limiter registry (shared by all connections of a process, else its own) and the
// client metrics on the daemon's /metrics (none when the process has no metrics).
//
// Lifecycle: a base of each <system>Connection holder; wire() once, before the client is built.
// The client, a member of the derived holder, is destroyed before these. Thread safety: none
// needed (set up once). Ownership: borrows what engine::Dependencies carries.

#include <memory>
#include <string_view>

#include "engine/recipe_registry.hpp"
#include "net/client_metrics.hpp"
#include "net/http_transport.hpp"
#include "net/rate_limiter.hpp"

namespace mlc::flows::connections {

struct ClientPlumbing {
    ClientPlumbing() = default;
    ClientPlumbing(const ClientPlumbing&) = delete;  // `limiters` may point at own_limiters.
    ClientPlumbing& operator=(const ClientPlumbing&) = delete;

    // Takes the process's transport, limiters and metrics from `deps`, or makes its own;
    // `system` labels the metrics. Returns the transport the client must use.
    net::HttpTransport& wire(const engine::Dependencies& deps, std::string_view system);

    std::unique_ptr<net::HttpTransport> own_transport;  // Set only when deps carried none.
    net::RateLimiterRegistry own_limiters;              // Used when the process shares none.
    net::RateLimiterRegistry* limiters = &own_limiters;
    std::unique_ptr<net::ClientMetrics> metrics;  // Null when the process has no metrics.
};

}  // namespace mlc::flows::connections

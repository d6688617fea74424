#include "flows/connections/client_plumbing.hpp"

#include <string>

#include "net/curl_transport.hpp"

namespace mlc::flows::connections {

net::HttpTransport& ClientPlumbing::wire(const engine::Dependencies& deps,
                                         std::string_view system) {
    if (deps.limiters != nullptr) limiters = deps.limiters;
    if (deps.metrics != nullptr) {
        metrics = std::make_unique<net::ClientMetrics>(*deps.metrics, std::string(system));
    }
    if (deps.transport != nullptr) return *deps.transport;
    own_transport = std::make_unique<net::CurlTransport>();
    return *own_transport;
}

}  // namespace mlc::flows::connections

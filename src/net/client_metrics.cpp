#include "net/client_metrics.hpp"

namespace mlc::net {

ClientMetrics::ClientMetrics(Metrics& metrics, std::string system)
    : metrics_(metrics), system_(std::move(system)) {}

MetricLabels ClientMetrics::labels(std::string_view connection) const {
    return {{"system", system_}, {"connection", std::string(connection)}};
}

void ClientMetrics::on_attempt(std::string_view connection, std::string_view /*operation*/,
                               int status, std::chrono::nanoseconds elapsed) {
    MetricLabels with_status = labels(connection);
    with_status.emplace_back("status", std::to_string(status));
    metrics_.increment(kOutboundRequestsTotal, with_status);
    metrics_.observe(kOutboundRequestDurationSeconds, labels(connection),
                     std::chrono::duration<double>(elapsed).count());
}

void ClientMetrics::on_retry(std::string_view connection, std::string_view /*operation*/,
                             std::chrono::milliseconds /*delay*/) {
    metrics_.increment(kOutboundRetriesTotal, labels(connection));
}

void ClientMetrics::on_rate_limited(std::string_view connection, std::string_view /*operation*/) {
    metrics_.increment(kOutboundRateLimitedTotal, labels(connection));
}

}  // namespace mlc::net

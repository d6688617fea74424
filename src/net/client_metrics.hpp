#pragma once
// ClientMetrics: the ClientObserver that records an HttpClient's traffic into the Prometheus
// registry (Metrics), so /metrics shows outbound requests by status, their latency, retries and
// the vendor's 429 answers, per target system and connection.
//
//   mlc_outbound_requests_total{system,connection,status}   one per attempt; status "0" = no answer
//   mlc_outbound_request_duration_seconds{system,connection} histogram of attempt time
//   mlc_outbound_retries_total{system,connection}           waits before another attempt
//   mlc_outbound_rate_limited_total{system,connection}      vendor answered 429
//
// Labels are config names (system, connection), never URLs or record ids: bounded cardinality.
//
// Lifecycle: built by the composition root next to each HttpClient (one per system) and handed to
// it as its observer; must outlive the client. Thread safety: safe from several threads (Metrics
// locks). Ownership: borrows the Metrics registry.

#include <string>

#include "net/http_client.hpp"
#include "net/metrics.hpp"

namespace mlc::net {

class ClientMetrics final : public ClientObserver {
  public:
    ClientMetrics(Metrics& metrics, std::string system);

    void on_attempt(std::string_view connection, std::string_view operation, int status,
                    std::chrono::nanoseconds elapsed) override;
    void on_retry(std::string_view connection, std::string_view operation,
                  std::chrono::milliseconds delay) override;
    void on_rate_limited(std::string_view connection, std::string_view operation) override;

  private:
    MetricLabels labels(std::string_view connection) const;

    Metrics& metrics_;
    std::string system_;
};

}  // namespace mlc::net

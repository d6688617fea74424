#pragma once
// Metrics: a registry of counters, gauges and histograms keyed by name and labels, rendered in the
// Prometheus text exposition format (version 0.0.4) for GET /metrics. One object is created by
// the composition root (cli) and passed by reference to whatever records into it: no globals.
//
// Lifecycle: lives as long as everything holding a reference to it.
// Thread safety: every member function is safe to call from several threads at once.
// Ownership: owns its series; callers keep nothing.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_types.hpp"

namespace mlc::net {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

enum class MetricType { kCounter, kGauge, kHistogram };

// The metric families ml-connector records. Labels are listed with each name.
inline constexpr std::string_view kHttpRequestsTotal =
    "mlc_http_requests_total";  // route,method,status
inline constexpr std::string_view kHttpRequestDurationSeconds =
    "mlc_http_request_duration_seconds";  // route
inline constexpr std::string_view kOutboundRequestsTotal =
    "mlc_outbound_requests_total";  // system,connection,status ("0": no answer)
inline constexpr std::string_view kOutboundRequestDurationSeconds =
    "mlc_outbound_request_duration_seconds";  // system,connection
inline constexpr std::string_view kOutboundRetriesTotal =
    "mlc_outbound_retries_total";  // system,connection
inline constexpr std::string_view kOutboundRateLimitedTotal =
    "mlc_outbound_rate_limited_total";  // system,connection (vendor 429 answers)
inline constexpr std::string_view kRecordsMovedTotal = "mlc_records_moved_total";  // flow,outcome
inline constexpr std::string_view kDeadLettersTotal = "mlc_dead_letters_total";    // flow
inline constexpr std::string_view kDeadLettersOpen = "mlc_dead_letters_open";      // flow (gauge)
inline constexpr std::string_view kWebhookEventsTotal =
    "mlc_webhook_events_total";  // flow,source,outcome

// A label set per family beyond this is dropped (and counted): an unbounded label such as a
// record id must never grow the registry without limit.
inline constexpr std::size_t kMetricSeriesPerFamilyMax = 10'000;

// Default histogram buckets for latencies in seconds (Prometheus client defaults).
std::vector<double> default_latency_buckets_seconds();

class Metrics {
  public:
    // Registers the families above with their HELP text.
    Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // Declares a family (optional for counters and gauges; histograms get the default latency
    // buckets unless declared with others). Declaring twice keeps the first declaration. Using a
    // name with two different types is a bug and asserts.
    void describe(std::string_view name, MetricType type, std::string_view help,
                  std::vector<double> buckets = {});

    void increment(std::string_view name, const MetricLabels& labels = {}, std::uint64_t delta = 1);
    void set_gauge(std::string_view name, const MetricLabels& labels, double value);
    void add_gauge(std::string_view name, const MetricLabels& labels, double delta);
    void observe(std::string_view name, const MetricLabels& labels, double value);

    // Reading back (tests, the console). 0 when the series does not exist.
    std::uint64_t counter_value(std::string_view name, const MetricLabels& labels = {}) const;
    double gauge_value(std::string_view name, const MetricLabels& labels = {}) const;
    std::uint64_t histogram_count(std::string_view name, const MetricLabels& labels = {}) const;
    std::uint64_t dropped_series() const;

    // The whole registry in Prometheus text format, families and series sorted by name.
    std::string render_prometheus() const;

  private:
    struct Series {
        std::uint64_t counter = 0;
        double gauge = 0;
        std::vector<std::uint64_t> bucket_counts;  // Not cumulative; one per bucket.
        double sum = 0;
        std::uint64_t count = 0;
    };
    struct Family {
        MetricType type = MetricType::kCounter;
        std::string help;
        std::vector<double> buckets;
        std::map<std::string, Series> series;  // Key: rendered label set `a="1",b="2"`.
    };
    Family& family_locked(std::string_view name, MetricType type);
    Series* series_locked(std::string_view name, MetricType type, const MetricLabels& labels);
    const Series* find_locked(std::string_view name, const MetricLabels& labels) const;

    mutable std::mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;
    std::uint64_t dropped_series_ = 0;
};

// GET /metrics answer: 200, text/plain; version=0.0.4.
HttpResponse metrics_response(const Metrics& metrics);

}  // namespace mlc::net

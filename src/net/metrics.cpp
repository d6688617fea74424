#include "net/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/assert.hpp"

namespace mlc::net {
namespace {

// Prometheus text format: label values escape backslash, double quote and newline.
std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

// Help text escapes backslash and newline.
std::string escape_help(std::string_view help) {
    std::string out;
    for (const char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string label_key(const MetricLabels& labels) {
    MetricLabels sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (const auto& [name, value] : sorted) {
        if (!out.empty()) out.push_back(',');
        out += name;
        out += "=\"";
        out += escape_label_value(value);
        out.push_back('"');
    }
    return out;
}

std::string format_number(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (std::isnan(value)) return "NaN";
    return fmt::format("{}", value);
}

std::string series_name(std::string_view name, std::string_view suffix, const std::string& key,
                        std::string_view extra = {}) {
    std::string labels = key;
    if (!extra.empty()) {
        if (!labels.empty()) labels.push_back(',');
        labels += extra;
    }
    if (labels.empty()) return fmt::format("{}{}", name, suffix);
    return fmt::format("{}{}{{{}}}", name, suffix, labels);
}

std::string_view type_name(MetricType type) {
    switch (type) {
        case MetricType::kCounter:
            return "counter";
        case MetricType::kGauge:
            return "gauge";
        case MetricType::kHistogram:
            return "histogram";
    }
    return "untyped";
}

}  // namespace

std::vector<double> default_latency_buckets_seconds() {
    return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Metrics::Metrics() {
    describe(kHttpRequestsTotal, MetricType::kCounter,
             "HTTP requests served, by route and status.");
    describe(kHttpRequestDurationSeconds, MetricType::kHistogram,
             "HTTP request handling time in seconds, by route.");
    describe(kOutboundRequestsTotal, MetricType::kCounter,
             "Outbound HTTP attempts, by target system, connection and status (0: no answer).");
    describe(kOutboundRequestDurationSeconds, MetricType::kHistogram,
             "Outbound HTTP attempt time in seconds, by target system and connection.");
    describe(kOutboundRetriesTotal, MetricType::kCounter,
             "Outbound HTTP calls retried, by target system.");
    describe(kOutboundRateLimitedTotal, MetricType::kCounter,
             "Outbound HTTP answers 429 Too Many Requests, by target system.");
    describe(kRecordsMovedTotal, MetricType::kCounter, "Records moved by a flow, by outcome.");
    describe(kDeadLettersTotal, MetricType::kCounter, "Records parked as dead letters, by flow.");
    describe(kDeadLettersOpen, MetricType::kGauge, "Dead letters currently open, by flow.");
    describe(kWebhookEventsTotal, MetricType::kCounter,
             "Webhook deliveries received, by flow, source and outcome.");
}

void Metrics::describe(std::string_view name, MetricType type, std::string_view help,
                       std::vector<double> buckets) {
    std::lock_guard lock(mutex_);
    auto it = families_.find(name);
    if (it != families_.end()) {
        MLC_ASSERT(it->second.type == type, "a metric name is used with two different types");
        return;
    }
    Family family;
    family.type = type;
    family.help = std::string(help);
    if (type == MetricType::kHistogram) {
        family.buckets = buckets.empty() ? default_latency_buckets_seconds() : std::move(buckets);
        std::sort(family.buckets.begin(), family.buckets.end());
    }
    families_.emplace(std::string(name), std::move(family));
}

Metrics::Family& Metrics::family_locked(std::string_view name, MetricType type) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        Family family;
        family.type = type;
        if (type == MetricType::kHistogram) family.buckets = default_latency_buckets_seconds();
        it = families_.emplace(std::string(name), std::move(family)).first;
    }
    MLC_ASSERT(it->second.type == type, "a metric name is used with two different types");
    return it->second;
}

Metrics::Series* Metrics::series_locked(std::string_view name, MetricType type,
                                        const MetricLabels& labels) {
    Family& family = family_locked(name, type);
    const std::string key = label_key(labels);
    auto it = family.series.find(key);
    if (it == family.series.end()) {
        if (family.series.size() >= kMetricSeriesPerFamilyMax) {
            ++dropped_series_;
            return nullptr;
        }
        Series series;
        series.bucket_counts.assign(family.buckets.size(), 0);
        it = family.series.emplace(key, std::move(series)).first;
    }
    return &it->second;
}

const Metrics::Series* Metrics::find_locked(std::string_view name,
                                            const MetricLabels& labels) const {
    auto family = families_.find(name);
    if (family == families_.end()) return nullptr;
    auto series = family->second.series.find(label_key(labels));
    return series == family->second.series.end() ? nullptr : &series->second;
}

void Metrics::increment(std::string_view name, const MetricLabels& labels, std::uint64_t delta) {
    std::lock_guard lock(mutex_);
    if (Series* series = series_locked(name, MetricType::kCounter, labels))
        series->counter += delta;
}

void Metrics::set_gauge(std::string_view name, const MetricLabels& labels, double value) {
    std::lock_guard lock(mutex_);
    if (Series* series = series_locked(name, MetricType::kGauge, labels)) series->gauge = value;
}

void Metrics::add_gauge(std::string_view name, const MetricLabels& labels, double delta) {
    std::lock_guard lock(mutex_);
    if (Series* series = series_locked(name, MetricType::kGauge, labels)) series->gauge += delta;
}

void Metrics::observe(std::string_view name, const MetricLabels& labels, double value) {
    std::lock_guard lock(mutex_);
    Series* series = series_locked(name, MetricType::kHistogram, labels);
    if (series == nullptr) return;
    const auto& buckets = families_.find(name)->second.buckets;
    const auto bucket = std::lower_bound(buckets.begin(), buckets.end(), value);
    if (bucket != buckets.end()) ++series->bucket_counts[bucket - buckets.begin()];
    series->sum += value;
    ++series->count;
}

std::uint64_t Metrics::counter_value(std::string_view name, const MetricLabels& labels) const {
    std::lock_guard lock(mutex_);
    const Series* series = find_locked(name, labels);
    return series == nullptr ? 0 : series->counter;
}

double Metrics::gauge_value(std::string_view name, const MetricLabels& labels) const {
    std::lock_guard lock(mutex_);
    const Series* series = find_locked(name, labels);
    return series == nullptr ? 0 : series->gauge;
}

std::uint64_t Metrics::histogram_count(std::string_view name, const MetricLabels& labels) const {
    std::lock_guard lock(mutex_);
    const Series* series = find_locked(name, labels);
    return series == nullptr ? 0 : series->count;
}

std::uint64_t Metrics::dropped_series() const {
    std::lock_guard lock(mutex_);
    return dropped_series_;
}

std::string Metrics::render_prometheus() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, family] : families_) {
        if (!family.help.empty())
            out += fmt::format("# HELP {} {}\n", name, escape_help(family.help));
        out += fmt::format("# TYPE {} {}\n", name, type_name(family.type));
        for (const auto& [key, series] : family.series) {
            switch (family.type) {
                case MetricType::kCounter:
                    out += fmt::format("{} {}\n", series_name(name, "", key), series.counter);
                    break;
                case MetricType::kGauge:
                    out += fmt::format("{} {}\n", series_name(name, "", key),
                                       format_number(series.gauge));
                    break;
                case MetricType::kHistogram: {
                    std::uint64_t cumulative = 0;
                    for (std::size_t i = 0; i < family.buckets.size(); ++i) {
                        cumulative += series.bucket_counts[i];
                        const std::string le =
                            fmt::format("le=\"{}\"", format_number(family.buckets[i]));
                        out += fmt::format("{} {}\n", series_name(name, "_bucket", key, le),
                                           cumulative);
                    }
                    out += fmt::format("{} {}\n", series_name(name, "_bucket", key, "le=\"+Inf\""),
                                       series.count);
                    out += fmt::format("{} {}\n", series_name(name, "_sum", key),
                                       format_number(series.sum));
                    out += fmt::format("{} {}\n", series_name(name, "_count", key), series.count);
                    break;
                }
            }
        }
    }
    out += fmt::format(
        "# TYPE mlc_metrics_dropped_series_total counter\n"
        "mlc_metrics_dropped_series_total {}\n",
        dropped_series_);
    return out;
}

HttpResponse metrics_response(const Metrics& metrics) {
    HttpResponse response;
    response.status = 200;
    response.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.body = metrics.render_prometheus();
    return response;
}

}  // namespace mlc::net

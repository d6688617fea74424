#include "net/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace mlc::net {
namespace {

TEST(MetricsRender, CountersCarrySortedEscapedLabels) {
    Metrics metrics;
    metrics.increment("mlc_test_total", {{"z", "1"}, {"a", "say \"hi\"\\\n"}}, 2);
    const std::string text = metrics.render_prometheus();
    EXPECT_NE(text.find("# TYPE mlc_test_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("mlc_test_total{a=\"say \\\"hi\\\"\\\\\\n\",z=\"1\"} 2\n"),
              std::string::npos);
}

TEST(MetricsRender, HistogramBucketsAreCumulativeWithSumAndCount) {
    Metrics metrics;
    metrics.describe("mlc_size", MetricType::kHistogram, "Sizes.", {1, 10});
    metrics.observe("mlc_size", {}, 0.5);
    metrics.observe("mlc_size", {}, 5);
    metrics.observe("mlc_size", {}, 50);
    const std::string text = metrics.render_prometheus();
    EXPECT_NE(text.find("# HELP mlc_size Sizes.\n# TYPE mlc_size histogram\n"), std::string::npos);
    EXPECT_NE(text.find("mlc_size_bucket{le=\"1\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("mlc_size_bucket{le=\"10\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("mlc_size_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("mlc_size_sum 55.5\n"), std::string::npos);
    EXPECT_NE(text.find("mlc_size_count 3\n"), std::string::npos);
}

TEST(MetricsRender, GaugesGoUpAndDown) {
    Metrics metrics;
    metrics.set_gauge(kDeadLettersOpen, {{"flow", "f"}}, 3);
    metrics.add_gauge(kDeadLettersOpen, {{"flow", "f"}}, -1);
    EXPECT_EQ(metrics.gauge_value(kDeadLettersOpen, {{"flow", "f"}}), 2);
    EXPECT_NE(metrics.render_prometheus().find("mlc_dead_letters_open{flow=\"f\"} 2\n"),
              std::string::npos);
}

TEST(MetricsBounds, SeriesPastTheLimitAreDroppedAndCounted) {
    Metrics metrics;
    for (std::size_t i = 0; i <= kMetricSeriesPerFamilyMax; ++i) {
        metrics.increment("mlc_wide_total", {{"id", std::to_string(i)}});
    }
    EXPECT_EQ(metrics.dropped_series(), 1u);
    EXPECT_EQ(metrics.counter_value("mlc_wide_total", {{"id", "0"}}), 1u);
    EXPECT_EQ(metrics.counter_value("mlc_wide_total",
                                    {{"id", std::to_string(kMetricSeriesPerFamilyMax)}}),
              0u);
    EXPECT_NE(metrics.render_prometheus().find("mlc_metrics_dropped_series_total 1\n"),
              std::string::npos);
}

TEST(MetricsThreads, ConcurrentIncrementsAreAllCounted) {
    Metrics metrics;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 10'000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&metrics] {
            for (int i = 0; i < kPerThread; ++i) metrics.increment("mlc_hits_total");
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(metrics.counter_value("mlc_hits_total"),
              static_cast<std::uint64_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace mlc::net

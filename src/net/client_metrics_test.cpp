#include "net/client_metrics.hpp"

#include <gtest/gtest.h>

#include "net/router.hpp"
#include "net/testing/scripted_transport.hpp"

namespace mlc::net {
namespace {

using std::chrono::milliseconds;

HttpResponse answer(int status, Headers headers = {}) {
    HttpResponse response;
    response.status = status;
    response.headers = std::move(headers);
    return response;
}

// What an operator sees on /metrics after a ShipStation call that was throttled once, hit a
// gateway error once and then succeeded: every attempt, its latency, the retries and the 429.
TEST(ClientMetrics, MetricsPageShowsAttemptsLatencyRetriesAnd429s) {
    ManualClock clock;
    testing::ScriptedTransport transport;
    int served = 0;
    transport.route("/orders", [&](const HttpRequest&) -> Result<HttpResponse> {
        clock.advance(milliseconds(250));  // The vendor takes a quarter of a second.
        switch (served++) {
            case 0:
                return answer(429, {{"Retry-After", "2"}});
            case 1:
                return answer(503);
            default:
                return answer(200);
        }
    });
    RateLimiterRegistry limiters;
    Metrics metrics;
    ClientMetrics observer(metrics, "shipstation");
    HttpClient client(HttpClientOptions{.system = "shipstation"}, transport, clock, limiters,
                      /*seed=*/7, nullptr, &observer);
    CallRequest call;
    call.request.url = "https://ssapi.shipstation.com/orders?page=1";
    call.connection = "ss-main";
    const auto result = client.call(call);
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->status, 200);

    const MetricLabels where{{"system", "shipstation"}, {"connection", "ss-main"}};
    auto with_status = [&](const char* status) {
        MetricLabels labels = where;
        labels.emplace_back("status", status);
        return labels;
    };
    EXPECT_EQ(metrics.counter_value(kOutboundRequestsTotal, with_status("429")), 1u);
    EXPECT_EQ(metrics.counter_value(kOutboundRequestsTotal, with_status("503")), 1u);
    EXPECT_EQ(metrics.counter_value(kOutboundRequestsTotal, with_status("200")), 1u);
    EXPECT_EQ(metrics.counter_value(kOutboundRetriesTotal, where), 2u);
    EXPECT_EQ(metrics.counter_value(kOutboundRateLimitedTotal, where), 1u);
    EXPECT_EQ(metrics.histogram_count(kOutboundRequestDurationSeconds, where), 3u);

    const std::string page = metrics_response(metrics).body;
    EXPECT_NE(
        page.find(R"(mlc_outbound_retries_total{connection="ss-main",system="shipstation"} 2)"),
        std::string::npos)
        << page;
    EXPECT_NE(
        page.find(
            R"(mlc_outbound_request_duration_seconds_sum{connection="ss-main",system="shipstation"} 0.75)"),
        std::string::npos)
        << page;
}

TEST(ClientMetrics, AnAttemptWithoutAnswerCountsAsStatusZero) {
    ManualClock clock;
    testing::ScriptedTransport transport;
    transport.fail("/items", make_error(ErrorCode::kTransient, "test", "connection refused"));
    RateLimiterRegistry limiters;
    Metrics metrics;
    ClientMetrics observer(metrics, "epicor");
    HttpClient client(HttpClientOptions{.system = "epicor", .retry = {.max_attempts = 1}},
                      transport, clock, limiters, /*seed=*/7, nullptr, &observer);
    CallRequest call;
    call.request.url = "https://erp.example.com/api/v2/items";
    call.connection = "epicor-prod";
    EXPECT_FALSE(client.call(call));
    EXPECT_EQ(metrics.counter_value(
                  kOutboundRequestsTotal,
                  {{"system", "epicor"}, {"connection", "epicor-prod"}, {"status", "0"}}),
              1u);
}

}  // namespace
}  // namespace mlc::net

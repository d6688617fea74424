// Measurements for the issue's note, printed (no timing assertions):
//  * webhook-to-Epicor latency: from the moment the WooCommerce emulator starts delivering a
//    checkout's webhooks (over real HTTP to net::WebhookIntake on a loopback HttpServer, SQLite
//    inbox) until the order is committed in the Epicor emulator by the flow's inbox drain;
//    median and p99 over kLatencySamples checkouts. Woo's own queueing delay (Action Scheduler,
//    1-30 s in the emulator) is not included: it is the vendor's, not ours.
//  * intake throughput: signed deliveries per second the receiver (HttpServer + WebhookIntake +
//    SQLite file store) accepts from kClients concurrent HTTP clients.
// Run: build/<dir>/src/flows/mlc_flows_woo_orders_test --gtest_filter='WooOrdersMeasure*'
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "flows/epicor_woocommerce/orders_test_fixture.hpp"
#include "net/curl_transport.hpp"
#include "net/http_server.hpp"
#include "sandbox/woocommerce/webhook_crypto.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;
using testing::kFlow;

constexpr int kLatencySamples = 60;
constexpr int kClients = 4;
constexpr int kDeliveriesPerClient = 500;

double ms(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; }

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

class WooOrdersMeasure : public ::testing::Test, public testing::WooOrdersFixture {
  protected:
    // The intake on a real loopback server.
    void serve_intake() {
        server_ = std::make_unique<net::HttpServer>(
            net::HttpServerOptions{
                .address = "127.0.0.1", .port = 0, .threads = 2, .name = "intake"},
            router_.handler());
        ASSERT_TRUE(server_->start());
    }
    SystemClock wall_;
    net::CurlTransport curl_;
    std::unique_ptr<net::HttpServer> server_;
};

TEST_F(WooOrdersMeasure, WebhookToEpicorLatencyOverHttp) {
    serve_intake();
    const std::string base = server_->base_url();
    // The emulator's deliveries to `base` go out through curl, over the loopback socket.
    transport_.add_route(base, [this, base](const net::HttpRequest& request) {
        net::HttpRequest out = request;
        out.url = base + request.url;
        auto sent = curl_.send(out, {});
        net::HttpResponse response;
        response.status = sent ? sent->status : 502;
        return response;
    });
    auto flow = runner(base);
    ASSERT_TRUE(run(*flow));  // Registers the webhooks at `base` (pinged over HTTP).
    std::vector<double> latencies;
    for (int i = 0; i < kLatencySamples; ++i) {
        const std::int64_t id = checkout({{sku(i % 9), 1}});
        clock_.advance(testing::kDeliveryWait);
        const SteadyTime start = wall_.steady_now();
        host_.tick_all();
        engine::RunContext ctx = context();
        auto summary = flow->run_once(ctx);  // The inbox, then the poll (the safety net).
        ASSERT_TRUE(summary) << summary.error().describe();
        latencies.push_back(ms(wall_.steady_now() - start));
        ASSERT_EQ(summary->created, 1) << "order " << id;
    }
    std::cout << "[ measure ] webhook-to-Epicor latency over " << kLatencySamples
              << " checkouts: median " << percentile(latencies, 0.5) << " ms, p99 "
              << percentile(latencies, 0.99) << " ms, max "
              << *std::max_element(latencies.begin(), latencies.end()) << " ms\n";
}

TEST_F(WooOrdersMeasure, IntakeAcceptsSignedDeliveriesPerSecond) {
    serve_intake();
    const std::string secret = "measure-secret";
    ASSERT_TRUE(vault_.put(engine::webhook_secret_name(kFlow, "woocommerce"), secret));
    const std::string url = server_->base_url() + "/hooks/" + std::string(kFlow) + "/woocommerce";
    std::atomic<int> accepted{0};
    std::atomic<int> refused{0};
    const SteadyTime start = wall_.steady_now();
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            net::CurlTransport transport;
            for (int i = 0; i < kDeliveriesPerClient; ++i) {
                const std::int64_t id = 100'000 + c * kDeliveriesPerClient + i;
                const std::string body =
                    R"({"id":)" + std::to_string(id) +
                    R"(,"status":"processing","date_modified_gmt":"2025-06-02T16:00:00",)"
                    R"("line_items":[{"id":1,"sku":"WOO-10001","quantity":1,"total":"9.99"}]})";
                net::HttpRequest request;
                request.method = "POST";
                request.url = url;
                request.headers = {{"Content-Type", "application/json"},
                                   {"X-WC-Webhook-Topic", "order.updated"},
                                   {"X-WC-Webhook-Resource", "order"},
                                   {"X-WC-Webhook-Event", "updated"},
                                   {"X-WC-Webhook-ID", "1"},
                                   {"X-WC-Webhook-Delivery-ID", "m-" + std::to_string(id)},
                                   {"X-WC-Webhook-Signature",
                                    sandbox::woocommerce::webhook_signature(body, secret)}};
                request.body = body;
                auto sent = transport.send(request, {});
                (sent && sent->status == 200 ? accepted : refused)++;
            }
        });
    }
    for (auto& client : clients) client.join();
    const double seconds = ms(wall_.steady_now() - start) / 1000.0;
    EXPECT_EQ(refused.load(), 0);
    EXPECT_EQ(store_->count_inbox(std::string(kFlow), false).value(), accepted.load());
    std::cout << "[ measure ] intake accepted " << accepted.load() << " signed deliveries from "
              << kClients << " HTTP clients in " << seconds
              << " s: " << static_cast<double>(accepted.load()) / seconds << " deliveries/s\n";
}

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce

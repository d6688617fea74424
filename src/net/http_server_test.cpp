#include "net/http_server.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "net/http_server_test_client.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"

namespace mlc::net {
namespace {

using testing::http_call;
using testing::TestConnection;

// Bound on polling loops that wait for another thread (no sleeping, no timing assertions).
constexpr int kPollIterationsMax = 5'000'000;

std::shared_ptr<spdlog::logger> quiet_logger() {
    return std::make_shared<spdlog::logger>("test",
                                            std::make_shared<spdlog::sinks::null_sink_mt>());
}

class ServerFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        add_health_routes(router_, metrics_);
        router_.add("GET", "/orders/{id}", [](const HttpRequest&, const RouteParams& params) {
            return json_response(200, R"({"id":")" + params.at("id") + "\"}");
        });
        router_.add("POST", "/echo", [](const HttpRequest& request, const RouteParams&) {
            HttpResponse response;
            response.body = request.body;
            response.headers.emplace_back("X-Remote", request.remote_address);
            return response;
        });
        router_.add("GET", "/drop", [](const HttpRequest&, const RouteParams&) {
            HttpResponse response;
            response.drop_connection = true;
            return response;
        });
    }

    void start(HttpServerOptions options = {}) {
        server_ =
            std::make_unique<HttpServer>(std::move(options), router_.handler(), quiet_logger());
        ASSERT_TRUE(server_->start().has_value());
        ASSERT_NE(server_->port(), 0);
    }

    ManualClock clock_;
    Metrics metrics_;
    Router router_{RouterObservers{.metrics = &metrics_, .clock = &clock_}};
    std::unique_ptr<HttpServer> server_;
};

TEST_F(ServerFixture, RoutesPathParametersOverHttp) {
    start();
    auto response = http_call(server_->port(), "GET", "/orders/SS-1001");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, R"({"id":"SS-1001"})");
}

TEST_F(ServerFixture, UnknownPathAnswers404InJson) {
    start();
    auto response = http_call(server_->port(), "GET", "/nowhere");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 404);
    EXPECT_NE(response->body.find(R"("status":404)"), std::string::npos);
    EXPECT_EQ(find_header(response->headers, "Content-Type").value_or(""),
              "application/json; charset=utf-8");
}

TEST_F(ServerFixture, WrongMethodAnswers405WithAllow) {
    start();
    auto response = http_call(server_->port(), "DELETE", "/orders/1");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 405);
    EXPECT_EQ(find_header(response->headers, "Allow").value_or(""), "GET");
    EXPECT_NE(response->body.find(R"("status":405)"), std::string::npos);
}

TEST_F(ServerFixture, OversizeBodyAnswers413AndNeverReachesTheHandler) {
    std::atomic<int> calls{0};
    router_.add("POST", "/count", [&](const HttpRequest&, const RouteParams&) {
        ++calls;
        return json_response(200, "{}");
    });
    start({.body_limit_bytes = 1024});
    auto response = http_call(server_->port(), "POST", "/count", std::string(64 * 1024, 'x'));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_EQ(calls.load(), 0);

    auto small = http_call(server_->port(), "POST", "/count", std::string(1024, 'x'));
    ASSERT_TRUE(small);
    EXPECT_EQ(small->status, 200);
    EXPECT_EQ(calls.load(), 1);
}

TEST_F(ServerFixture, KeepAliveServesTwoRequestsOnOneConnection) {
    start();
    TestConnection connection(server_->port());
    ASSERT_TRUE(connection.connected());
    ASSERT_TRUE(connection.send("POST", "/echo", "first"));
    auto first = connection.read_response();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->body, "first");
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(find_header(first->headers, "X-Remote").value_or(""), "127.0.0.1");
    ASSERT_TRUE(connection.send("POST", "/echo", "second"));
    auto second = connection.read_response();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->body, "second");
}

TEST_F(ServerFixture, ExpectContinueGetsAnInterim100BeforeTheBody) {
    start();
    TestConnection connection(server_->port());
    ASSERT_TRUE(connection.send_raw(
        "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
    auto interim = connection.read_response();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(connection.send_raw("body"));
    auto final_answer = connection.read_response();
    ASSERT_TRUE(final_answer);
    EXPECT_EQ(final_answer->status, 200);
    EXPECT_EQ(final_answer->body, "body");
}

TEST_F(ServerFixture, SilentOrStalledClientsAreDisconnectedByTheTimeouts) {
    start({.header_timeout = std::chrono::milliseconds(100),
           .idle_timeout = std::chrono::milliseconds(100)});
    TestConnection silent(server_->port());
    EXPECT_TRUE(silent.closed_by_server());

    TestConnection stalled(server_->port());
    ASSERT_TRUE(stalled.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
    EXPECT_TRUE(stalled.closed_by_server());

    TestConnection idle(server_->port());
    ASSERT_TRUE(idle.send("GET", "/healthz"));
    ASSERT_TRUE(idle.read_response());
    EXPECT_TRUE(idle.closed_by_server());
}

TEST_F(ServerFixture, ConnectionCloseIsHonoured) {
    start();
    TestConnection connection(server_->port());
    ASSERT_TRUE(connection.send("GET", "/healthz", "", {}, /*keep_alive=*/false));
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(ServerFixture, HealthzAnswers200) {
    start();
    auto response = http_call(server_->port(), "GET", "/healthz");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, R"({"status":"ok"})");
}

TEST_F(ServerFixture, MetricsTextCountsRequestsByRouteAndStatus) {
    start();
    ASSERT_TRUE(http_call(server_->port(), "GET", "/orders/1"));
    ASSERT_TRUE(http_call(server_->port(), "GET", "/orders/2"));
    ASSERT_TRUE(http_call(server_->port(), "GET", "/missing"));
    metrics_.increment(kOutboundRetriesTotal, {{"system", "ups"}});
    metrics_.increment(kOutboundRateLimitedTotal, {{"system", "shipstation"}});
    metrics_.increment(kRecordsMovedTotal, {{"flow", "ss-epicor"}, {"outcome", "created"}}, 3);
    metrics_.set_gauge(kDeadLettersOpen, {{"flow", "ss-epicor"}}, 2);

    auto response = http_call(server_->port(), "GET", "/metrics");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(find_header(response->headers, "Content-Type").value_or(""),
              "text/plain; version=0.0.4; charset=utf-8");
    const std::string& text = response->body;
    EXPECT_NE(text.find("# TYPE mlc_http_requests_total counter"), std::string::npos);
    EXPECT_NE(
        text.find(R"(mlc_http_requests_total{method="GET",route="/orders/{id}",status="200"} 2)"),
        std::string::npos);
    EXPECT_NE(
        text.find(R"(mlc_http_requests_total{method="GET",route="unmatched",status="404"} 1)"),
        std::string::npos);
    EXPECT_NE(text.find(R"(mlc_http_request_duration_seconds_count{route="/orders/{id}"} 2)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(mlc_outbound_retries_total{system="ups"} 1)"), std::string::npos);
    EXPECT_NE(text.find(R"(mlc_outbound_rate_limited_total{system="shipstation"} 1)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(mlc_records_moved_total{flow="ss-epicor",outcome="created"} 3)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(mlc_dead_letters_open{flow="ss-epicor"} 2)"), std::string::npos);
}

TEST_F(ServerFixture, DropConnectionClosesWithoutAnAnswer) {
    start();
    TestConnection connection(server_->port());
    ASSERT_TRUE(connection.send("GET", "/drop"));
    EXPECT_FALSE(connection.read_response().has_value());
}

TEST_F(ServerFixture, GracefulStopFinishesTheRequestInFlight) {
    std::promise<void> entered;
    std::promise<void> release;
    auto release_future = release.get_future().share();
    router_.add("GET", "/slow", [&](const HttpRequest&, const RouteParams&) {
        entered.set_value();
        release_future.wait();
        return json_response(200, R"({"slow":true})");
    });
    start();
    const auto port = server_->port();
    auto client =
        std::async(std::launch::async, [port] { return http_call(port, "GET", "/slow"); });
    entered.get_future().wait();

    auto stopping = std::async(std::launch::async, [this] { server_->stop(); });
    // Wait (bounded) until the server no longer accepts: stop() is under way.
    bool refused = false;
    for (int i = 0; i < kPollIterationsMax && !refused; ++i) {
        TestConnection probe(port);
        refused = !probe.connected();
        if (!refused) std::this_thread::yield();
    }
    EXPECT_TRUE(refused);
    release.set_value();

    auto response = client.get();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, R"({"slow":true})");
    stopping.get();
}

TEST_F(ServerFixture, StopClosesIdleKeepAliveConnections) {
    start();
    TestConnection connection(server_->port());
    ASSERT_TRUE(connection.send("GET", "/healthz"));
    ASSERT_TRUE(connection.read_response());
    server_->stop();  // Returns: the idle connection does not hold it up.
    EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(ServerFixture, HandlerExceptionAnswers500) {
    router_.add("GET", "/throw", [](const HttpRequest&, const RouteParams&) -> HttpResponse {
        throw std::runtime_error("bug");
    });
    start();
    auto response = http_call(server_->port(), "GET", "/throw");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
}

// A stream route: refused without "?let=1"; otherwise the stream says "ready" and is kept.
class StreamFixture : public ServerFixture {
  protected:
    void SetUp() override {
        ServerFixture::SetUp();
        router_.add_stream("/events", [this](const HttpRequest& request, const RouteParams&) {
            if (!query_param(request.url, "let")) return StreamAnswer{json_error(401, "log in")};
            return StreamAnswer{.open = [this](std::shared_ptr<EventStream> stream) {
                std::lock_guard lock(mutex_);  // Kept before the client can read "ready".
                streams_.push_back(stream);
                stream->send("ready", "{}");
            }};
        });
    }
    // Stopped before the members its streams' `open` (on a worker) may still touch.
    void TearDown() override {
        if (server_) server_->stop();
    }
    void start_streams(std::size_t max, std::chrono::milliseconds heartbeat) {
        start({.streams = router_.stream_handler(),
               .streams_max = max,
               .stream_heartbeat = heartbeat});
    }
    std::shared_ptr<EventStream> stream(std::size_t i) {
        std::lock_guard lock(mutex_);
        return streams_.at(i);
    }

    std::mutex mutex_;
    std::vector<std::shared_ptr<EventStream>> streams_;
};

TEST_F(StreamFixture, AStreamCarriesEventsAndHeartbeatsUntilTheServerStops) {
    start_streams(1, std::chrono::milliseconds(20));
    TestConnection connection(server_->port());
    ASSERT_TRUE(connection.send("GET", "/events?let=1"));
    auto head = connection.read_response();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(find_header(head->headers, "Content-Type"), "text/event-stream; charset=utf-8");
    EXPECT_EQ(find_header(head->headers, "Content-Length"), std::nullopt);
    EXPECT_EQ(connection.read_until("\n\n"), "event: ready\ndata: {}\n\n");

    EXPECT_TRUE(stream(0)->send("change", "{\"what\":\"flows\"}\nsecond line"));
    auto event = connection.read_until("data: second line\n\n");
    ASSERT_TRUE(event);
    EXPECT_NE(event->find("event: change\ndata: {\"what\":\"flows\"}\n"), std::string::npos);
    EXPECT_TRUE(connection.read_until(": heartbeat\n\n"));  // Every 20 ms while nothing happens.

    // One stream at most here: a second one is told to come back later; a refusal is an answer.
    auto busy = http_call(server_->port(), "GET", "/events?let=1");
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->status, 503);
    EXPECT_TRUE(find_header(busy->headers, "Retry-After"));
    auto refused = http_call(server_->port(), "GET", "/events");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);

    server_->stop();  // Returns: the open stream does not hold it up.
    while (connection.read_until("\n\n")) {
    }
    EXPECT_FALSE(stream(0)->is_open());
    EXPECT_FALSE(stream(0)->send("change", "{}"));
}

TEST_F(StreamFixture, AStreamIsClosedWhenItsClientLeavesAndFreesItsPlace) {
    start_streams(1, std::chrono::milliseconds(15'000));
    {
        TestConnection connection(server_->port());
        ASSERT_TRUE(connection.send("GET", "/events?let=1"));
        ASSERT_TRUE(connection.read_response());
        ASSERT_TRUE(connection.read_until("\n\n"));
    }
    bool closed = false;
    for (int i = 0; i < kPollIterationsMax && !closed; ++i) {
        closed = !stream(0)->is_open();
        if (!closed) std::this_thread::yield();
    }
    EXPECT_TRUE(closed);
    // Its place is free again (the session ends after the close; bounded retries).
    std::optional<int> status;
    for (int i = 0; i < 1000 && status != 200; ++i) {
        TestConnection again(server_->port());
        ASSERT_TRUE(again.send("GET", "/events?let=1"));
        auto head = again.read_response();
        status = head ? std::optional<int>(head->status) : std::nullopt;
    }
    EXPECT_EQ(status, 200);
}

TEST(HttpServerStart, RejectsAnAddressThatIsNotAnIp) {
    HttpServer server(
        {.address = "not-an-address"}, [](const HttpRequest&) { return HttpResponse{}; },
        quiet_logger());
    auto started = server.start();
    ASSERT_FALSE(started.has_value());
    EXPECT_EQ(started.error().code, ErrorCode::kConfig);
}

TEST(HttpServerStart, BindsLoopbackByDefaultAndLogsTheAddress) {
    std::ostringstream log_lines;  // Declared first: it outlives the server's last log line.
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_lines);
    HttpServer server(
        {.name = "console"}, [](const HttpRequest&) { return HttpResponse{}; },
        std::make_shared<spdlog::logger>("start", sink));
    ASSERT_TRUE(server.start().has_value());
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
    EXPECT_EQ(server.base_url(), url);
    EXPECT_NE(log_lines.str().find("console listening on " + url), std::string::npos)
        << log_lines.str();
}

}  // namespace
}  // namespace mlc::net

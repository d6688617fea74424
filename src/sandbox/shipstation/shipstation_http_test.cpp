// The ShipStation emulator over real sockets (HttpServer) with the project's real client
// (CurlTransport): what a connector sees, headers and status codes included.
#include <gtest/gtest.h>

#include "common/base64.hpp"

#include <mutex>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "net/curl_transport.hpp"
#include "net/http_server.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"

namespace mlc::sandbox::shipstation {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

net::HttpServerOptions server_options(std::string name) {
    net::HttpServerOptions options;
    options.name = std::move(name);  // Port 0: an ephemeral loopback port.
    return options;
}

class ShipStationHttpTest : public ::testing::Test {
  protected:
    ShipStationHttpTest()
        : host_(clock_, outbound_, SandboxHostOptions{.seed = 11, .volume = 120}),
          server_(server_options("sandbox shipstation"),
                  [this](const net::HttpRequest& request) {
                      return host_.handle("shipstation", request);
                  }),
          receiver_(server_options("receiver"), [this](const net::HttpRequest& request) {
              std::lock_guard lock(mutex_);
              received_.push_back(request);
              return net::json_response(200, "{}");
          }) {}

    void SetUp() override {
        host_.add("shipstation", make_shipstation_emulator);
        ASSERT_TRUE(server_.start());
        ASSERT_TRUE(receiver_.start());
        base_ = server_.base_url();
        host_.set_base_url("shipstation", base_);
        const auto info = host_.ports().at("shipstation").as_object();
        auth_ = "Basic " + mlc::base64_encode(std::string(info.at("api_key").as_string()) + ":" +
                                              std::string(info.at("api_secret").as_string()));
    }
    void TearDown() override {
        server_.stop();
        receiver_.stop();
    }

    net::HttpResponse send(std::string method, std::string target, std::string body = {},
                           bool with_auth = true) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = target.starts_with("http") ? target : base_ + target;
        request.body = std::move(body);
        if (with_auth) request.headers.emplace_back("Authorization", auth_);
        if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
        auto response = client_.send(request);
        EXPECT_TRUE(response) << response.error().message;
        if (response) return *response;
        net::HttpResponse failed;
        failed.status = 0;
        return failed;
    }
    std::string header(const net::HttpResponse& response, std::string_view name) {
        const auto value = net::find_header(response.headers, name);
        return value ? std::string(*value) : std::string("<missing>");
    }

    ManualClock clock_;
    net::CurlTransport outbound_;
    net::CurlTransport client_;
    SandboxHost host_;
    net::HttpServer server_;
    net::HttpServer receiver_;
    std::string base_;
    std::string auth_;
    std::mutex mutex_;
    std::vector<net::HttpRequest> received_;
};

TEST_F(ShipStationHttpTest, WrongCredentialsAre401WithAnAspNetBody) {
    const auto response = send("GET", "/orders", {}, false);
    EXPECT_EQ(response.status, 401);
    EXPECT_TRUE(json::parse(response.body).as_object().contains("Message")) << response.body;
}

TEST_F(ShipStationHttpTest, RateLimitHeadersCountDownAndThe41stRequestIs429UntilTheReset) {
    const auto first = send("GET", "/orders?pageSize=1");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(header(first, "X-Rate-Limit-Limit"), "40");
    EXPECT_EQ(header(first, "X-Rate-Limit-Remaining"), "39");
    EXPECT_EQ(header(first, "X-Rate-Limit-Reset"), "60");
    for (int i = 2; i <= ShipStationEmulator::kRequestsPerWindow; ++i) {
        ASSERT_EQ(send("GET", "/orders?pageSize=1").status, 200) << i;
    }
    const auto over = send("GET", "/orders?pageSize=1");
    EXPECT_EQ(over.status, 429);
    EXPECT_EQ(header(over, "X-Rate-Limit-Remaining"), "0");
    clock_.advance(61s);
    EXPECT_EQ(send("GET", "/orders?pageSize=1").status, 200);
}

TEST_F(ShipStationHttpTest, PageSize501IsA400AndPagingCoversEveryOrderOnce) {
    EXPECT_EQ(send("GET", "/orders?pageSize=501").status, 400);
    const auto all = json::parse(send("GET", "/orders?pageSize=500").body);
    const auto total = all.at("total").as_int64();
    ASSERT_GT(total, 0);
    std::int64_t seen = 0;
    for (std::int64_t page = 1; page <= 10; ++page) {
        const auto answer =
            json::parse(send("GET", "/orders?sortBy=ModifyDate&sortDir=ASC&pageSize=50&page=" +
                                        std::to_string(page))
                            .body);
        seen += static_cast<std::int64_t>(answer.at("orders").as_array().size());
        if (page >= answer.at("pages").as_int64()) break;
    }
    EXPECT_EQ(seen, total);
}

TEST_F(ShipStationHttpTest, OrderNotifyReachesAReceiverAndItsResourceUrlListsTheNewOrders) {
    const auto subscribed =
        send("POST", "/webhooks/subscribe",
             json::serialize(json::object{{"target_url", receiver_.base_url() + "/hook"},
                                          {"event", "ORDER_NOTIFY"}}));
    ASSERT_EQ(subscribed.status, 201) << subscribed.body;
    const auto imported = send("POST", "/__sandbox/orders", R"({"count": 3})", false);
    ASSERT_EQ(imported.status, 200) << imported.body;
    host_.tick_all();
    host_.tick_all();  // Delivered once: a second tick sends nothing.
    std::vector<net::HttpRequest> received;
    {
        std::lock_guard lock(mutex_);
        received = received_;
    }
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "POST");
    const auto payload = json::parse(received[0].body);
    EXPECT_EQ(payload.at("resource_type"), "ORDER_NOTIFY");
    const std::string url(payload.at("resource_url").as_string());
    EXPECT_TRUE(url.starts_with(base_ + "/orders?importBatch=")) << url;
    const auto batch = json::parse(send("GET", url).body);
    EXPECT_EQ(batch.at("total").as_int64(), 3);
    EXPECT_EQ(batch.at("orders").as_array().size(), 3u);
}

TEST_F(ShipStationHttpTest, DroppedConnectionFaultIsATransportErrorForTheClient) {
    ASSERT_EQ(
        send("POST", "/__sandbox/faults", R"({"route_prefix":"/orders","drop_rate":1})", false)
            .status,
        200);
    net::HttpRequest request;
    request.url = base_ + "/orders";
    request.headers.emplace_back("Authorization", auth_);
    const auto response = client_.send(request);
    EXPECT_FALSE(response);
    // Other routes are untouched.
    EXPECT_EQ(send("GET", "/customers").status, 200);
}

}  // namespace
}  // namespace mlc::sandbox::shipstation

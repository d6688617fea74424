#include "sandbox/sandbox_host.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "sandbox/testing/echo_emulator.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::sandbox {
namespace {

std::unique_ptr<Emulator> make_echo(EmulatorContext context) {
    return std::make_unique<testing::EchoEmulator>(context);
}

net::HttpRequest request(std::string method, std::string url, std::string body = {}) {
    net::HttpRequest r;
    r.method = std::move(method);
    r.url = std::move(url);
    r.body = std::move(body);
    return r;
}

boost::json::value json_of(const net::HttpResponse& response) {
    return boost::json::parse(response.body);
}

class SandboxHostTest : public ::testing::Test {
  protected:
    SandboxHostTest()
        : transport_(), host_(clock_, transport_, SandboxHostOptions{.seed = 42, .volume = 300}) {
        host_.add("echo", make_echo);
        serve_in_process(host_, transport_);
    }
    ManualClock clock_;
    InProcessTransport transport_;
    SandboxHost host_;
};

TEST_F(SandboxHostTest, RequestLogMasksSecretsAndClears) {
    auto r = request("GET", "/orders?consumer_key=ck_1&page=2");
    r.headers = {{"Authorization", "Basic c2VjcmV0"}, {"X-API-Key", "k"}, {"Accept", "json"}};
    EXPECT_EQ(host_.handle("echo", r).status, 200);
    const auto log = json_of(host_.handle("echo", request("GET", "/__sandbox/requests")));
    ASSERT_EQ(log.as_array().size(), 1u);
    const auto& entry = log.as_array()[0].as_object();
    EXPECT_EQ(entry.at("path").as_string(), "/orders");
    EXPECT_EQ(entry.at("url").as_string(), "/orders?consumer_key=***&page=2");
    EXPECT_EQ(entry.at("headers").at("Authorization").as_string(), "***");
    EXPECT_EQ(entry.at("headers").at("X-API-Key").as_string(), "***");
    EXPECT_EQ(entry.at("headers").at("Accept").as_string(), "json");
    EXPECT_EQ(host_.handle("echo", request("DELETE", "/__sandbox/requests")).status, 200);
    EXPECT_TRUE(
        json_of(host_.handle("echo", request("GET", "/__sandbox/requests"))).as_array().empty());
}

TEST_F(SandboxHostTest, FaultPlanAnswers503WithoutReachingTheEmulator) {
    const auto added = host_.handle(
        "echo", request("POST", "/__sandbox/faults", R"({"route_prefix":"/orders","rate_503":1})"));
    ASSERT_EQ(added.status, 200);
    EXPECT_EQ(host_.handle("echo", request("GET", "/orders")).status, 503);
    EXPECT_EQ(host_.handle("echo", request("GET", "/products")).status, 200);
    const auto listed = json_of(host_.handle("echo", request("GET", "/__sandbox/faults")));
    EXPECT_EQ(listed.as_array().size(), 1u);
    EXPECT_EQ(host_.handle("echo", request("DELETE", "/__sandbox/faults")).status, 200);
    EXPECT_EQ(host_.handle("echo", request("GET", "/orders")).status, 200);
    const auto state = json_of(host_.handle("echo", request("GET", "/__sandbox/state")));
    EXPECT_EQ(state.at("requests").as_int64(), 2);  // The 503 never reached the emulator.
}

TEST_F(SandboxHostTest, InvalidFaultPlanIsRefused) {
    EXPECT_EQ(
        host_.handle("echo", request("POST", "/__sandbox/faults", R"({"rate_429":2})")).status,
        400);
    EXPECT_EQ(host_.handle("echo", request("POST", "/__sandbox/faults", "not json")).status, 400);
}

TEST_F(SandboxHostTest, LatencyFaultSleepsOnTheClock) {
    ASSERT_EQ(
        host_.handle("echo", request("POST", "/__sandbox/faults", R"({"latency_ms":1500})")).status,
        200);
    EXPECT_EQ(host_.handle("echo", request("GET", "/x")).status, 200);
    EXPECT_EQ(clock_.total_slept(), std::chrono::milliseconds{1500});
}

TEST_F(SandboxHostTest, DroppedConnectionIsATransportErrorInProcess) {
    ASSERT_EQ(
        host_.handle("echo", request("POST", "/__sandbox/faults", R"({"drop_rate":1})")).status,
        200);
    const auto sent = transport_.send(request("GET", "http://echo.sandbox.test/orders"));
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, ErrorCode::kTransient);
}

TEST_F(SandboxHostTest, FaultSequenceRepeatsForTheSameSeed) {
    auto run = [](std::uint64_t seed) {
        ManualClock clock;
        InProcessTransport transport;
        SandboxHost host(clock, transport, SandboxHostOptions{.seed = seed, .volume = 300});
        host.add("echo", make_echo);
        EXPECT_EQ(host.handle("echo", request("POST", "/__sandbox/faults",
                                              R"({"rate_500":0.3,"truncated_rate":0.3})"))
                      .status,
                  200);
        std::string trace;
        for (int i = 0; i < 60; ++i) {
            const auto response = host.handle("echo", request("GET", "/orders"));
            trace +=
                std::to_string(response.status) + ":" + std::to_string(response.body.size()) + ",";
        }
        return trace;
    };
    EXPECT_EQ(run(5), run(5));
    EXPECT_NE(run(5), run(6));
}

TEST_F(SandboxHostTest, ClockControlAdvancesOnlyThisEmulator) {
    const auto before = json_of(host_.handle("echo", request("GET", "/__sandbox/state")));
    EXPECT_EQ(
        host_.handle("echo", request("POST", "/__sandbox/clock", R"({"advance_seconds":3600})"))
            .status,
        200);
    const auto after = json_of(host_.handle("echo", request("GET", "/__sandbox/state")));
    EXPECT_EQ(after.at("now_unix_s").as_int64() - before.at("now_unix_s").as_int64(), 3600);
    EXPECT_EQ(host_.handle("echo", request("POST", "/__sandbox/clock", R"({"advance":1})")).status,
              400);
}

TEST_F(SandboxHostTest, UnknownControlRouteAndSystemAre404) {
    EXPECT_EQ(host_.handle("echo", request("GET", "/__sandbox/nope")).status, 404);
    EXPECT_EQ(host_.handle("nope", request("GET", "/orders")).status, 404);
}

TEST_F(SandboxHostTest, TickAllReachesEveryEmulator) {
    host_.tick_all();
    host_.tick_all();
    const auto state = json_of(host_.handle("echo", request("GET", "/__sandbox/state")));
    EXPECT_EQ(state.at("ticks").as_int64(), 2);
}

TEST_F(SandboxHostTest, PortsFileHoldsBaseUrlAndCredentialsPerSystem) {
    char pattern[] = "/tmp/mlc_sandbox_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    const std::filesystem::path dir(pattern);
    const auto path = (dir / "ports.json").string();
    ASSERT_TRUE(host_.write_ports_file(path));
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    const auto ports = boost::json::parse(text.str());
    EXPECT_EQ(ports.at("echo").at("base_url").as_string(), "http://echo.sandbox.test");
    EXPECT_EQ(ports.at("echo").at("api_key").as_string(), "echo-key");
    std::filesystem::remove_all(dir);
}

TEST(InProcessTransport, UnroutedUrlGoesToFallback) {
    InProcessTransport fallback;
    fallback.add_route("http://other.test",
                       [](const net::HttpRequest& r) { return net::json_response(201, r.url); });
    InProcessTransport transport(&fallback);
    const auto sent = transport.send(request("GET", "http://other.test/a?b=1"));
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->status, 201);
    EXPECT_EQ(sent->body, "/a?b=1");
    InProcessTransport lonely;
    EXPECT_FALSE(lonely.send(request("GET", "http://other.test/a")));
}

}  // namespace
}  // namespace mlc::sandbox

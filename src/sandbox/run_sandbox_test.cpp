// run_sandbox over real sockets: HttpServer per emulator, CurlTransport as the client.
#include "sandbox/run_sandbox.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <boost/json.hpp>

#include "net/curl_transport.hpp"
#include "sandbox/standard_emulators.hpp"
#include "sandbox/testing/echo_emulator.hpp"

namespace mlc::sandbox {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Emulator> make_echo(EmulatorContext context) {
    return std::make_unique<testing::EchoEmulator>(context);
}

// Runs run_sandbox on a thread; ready() waits for the ports object, the destructor stops it.
class RunningSandbox {
  public:
    RunningSandbox(const EmulatorRegistry& registry, SandboxOptions options)
        : environment_{
              .registry = registry,
              .clock = clock_,
              .outbound = outbound_,
              .out = out_,
              .on_ready = [this](const boost::json::object& ports) { ready_.set_value(ports); }} {
        auto ready = ready_.get_future();
        thread_ =
            std::thread([this, options] { result_ = run_sandbox(options, environment_, stop_); });
        ports_ = ready.get();
    }
    ~RunningSandbox() {
        stop_ = true;
        thread_.join();
    }
    const boost::json::object& ports() const { return ports_; }
    std::string out() const { return out_.str(); }
    net::HttpTransport& client() { return client_; }

  private:
    SystemClock clock_;  // Real time: the servers' threads and the ticker run for real.
    net::CurlTransport outbound_;
    net::CurlTransport client_;
    std::ostringstream out_;
    SandboxEnvironment environment_;
    std::promise<boost::json::object> ready_;
    std::atomic<bool> stop_{false};
    Result<void> result_ = ok();
    std::thread thread_;
    boost::json::object ports_;
};

class RunSandboxTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-run-sandbox-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        registry_.add("echo", make_echo);
        registry_.add("echo2", make_echo);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
    EmulatorRegistry registry_;
};

net::HttpRequest get(std::string url) {
    net::HttpRequest request;
    request.url = std::move(url);
    return request;
}

TEST_F(RunSandboxTest, ServesEachSystemOnItsOwnPortAndWritesThePortsFile) {
    const std::string ports_file = (dir_ / "ports.json").string();
    RunningSandbox sandbox(
        registry_,
        SandboxOptions{
            .systems = {"echo", "echo2"}, .seed = 3, .volume = 10, .ports_file = ports_file});
    std::ifstream in(ports_file);
    std::stringstream text;
    text << in.rdbuf();
    const auto file = boost::json::parse(text.str()).as_object();
    EXPECT_EQ(file, sandbox.ports());
    const std::string base = std::string(file.at("echo").at("base_url").as_string());
    const std::string base2 = std::string(file.at("echo2").at("base_url").as_string());
    EXPECT_TRUE(base.starts_with("http://127.0.0.1:")) << base;
    EXPECT_NE(base, base2);
    EXPECT_EQ(file.at("echo").at("api_key"), "echo-key");

    auto answer = sandbox.client().send(get(base + "/orders?page=1"));
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(boost::json::parse(answer->body).at("path"), "/orders");
    // The control API is served on the same port, and each system keeps its own log.
    auto log = sandbox.client().send(get(base + "/__sandbox/requests"));
    ASSERT_TRUE(log);
    EXPECT_EQ(boost::json::parse(log->body).as_array().size(), 1u);
    auto log2 = sandbox.client().send(get(base2 + "/__sandbox/requests"));
    ASSERT_TRUE(log2);
    EXPECT_EQ(boost::json::parse(log2->body).as_array().size(), 0u);
    // Start-up lines name every system with its base URL.
    EXPECT_NE(sandbox.out().find("echo: "), std::string::npos);
    EXPECT_NE(sandbox.out().find(base), std::string::npos);
}

TEST_F(RunSandboxTest, UnknownSystemIsAConfigErrorNamingTheKnownOnes) {
    SystemClock clock;
    net::CurlTransport outbound;
    std::ostringstream out;
    const std::atomic<bool> stop{true};
    const auto result = run_sandbox(
        SandboxOptions{.systems = {"echo", "sap"}, .ports_file = ""},
        SandboxEnvironment{.registry = registry_, .clock = clock, .outbound = outbound, .out = out},
        stop);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_NE(result.error().message.find("sap"), std::string::npos);
    EXPECT_NE(result.error().message.find("echo2"), std::string::npos);
}

TEST(StandardEmulators, RegistersTheBuiltVendorEmulators) {
    EmulatorRegistry registry;
    add_standard_emulators(registry);
    EXPECT_NE(registry.find("shipstation"), nullptr);
    EXPECT_NE(registry.find("epicor"), nullptr);
}

}  // namespace
}  // namespace mlc::sandbox

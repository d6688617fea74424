// ping_connection() dispatch, the shared probes (secrets, reach, unreachable-host wording) and
// ping_flow() with the fit check, against the ShipStation and Epicor emulators in process.
#include "flows/connections/ping.hpp"
#include "flows/testing/sandboxes.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "net/curl_transport.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::connections {
namespace {

namespace json = boost::json;
using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;

// The sandboxes share one catalog (ShipStation SKU = Epicor PartNum); its unknown SKU is sold on
// one seeded ShipStation order and is no Epicor part.
constexpr std::string_view kMissingSku = sandbox::catalog::kUnknownSku;

const PingCheck* named(const std::vector<PingCheck>& checks, std::string_view name) {
    for (const auto& check : checks) {
        if (check.name == name) return &check;
    }
    return nullptr;
}

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return 1;
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

// Counts requests that could change something at a vendor (anything but GET).
class WriteCounter final : public net::HttpTransport {
  public:
    explicit WriteCounter(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        if (request.method != "GET") ++writes_;
        return inner_.send(request, options);
    }
    int writes() const { return writes_; }

  private:
    net::HttpTransport& inner_;
    std::atomic<int> writes_{0};
};

class PingTest : public ::testing::Test {
  protected:
    PingTest()
        : transport_(&curl_),
          host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 7, .volume = 40}),
          counter_(transport_) {
        testing::serve_sandboxes(host_, transport_, {"shipstation", "epicor"});
        const json::object ports = host_.ports();
        store_ = store::SqliteStateStore::open(":memory:").value();
        testing::connect_sandbox(config_, vault_, ports, "shipstation", "ss");
        testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        flow_.name = "orders";
        flow_.recipe = shipstation_epicor::kOrdersRecipe;
        flow_.connections = {{"source", "ss"}, {"target", "ep"}};
        flow_.options = {{"customer", "WEB01"}};
    }

    engine::Dependencies deps() {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = &counter_};
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    net::CurlTransport curl_;  // Only for URLs no emulator serves (the unreachable host).
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    WriteCounter counter_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    engine::Config config_;
    engine::FlowConfig flow_;
};

TEST_F(PingTest, ConnectionPingDispatchesOnTheSystem) {
    const PingReport ss = ping_connection(config_.connections.at("ss"), deps());
    EXPECT_EQ(ss.system, "shipstation");
    EXPECT_TRUE(ss.ok());
    const PingReport ep = ping_connection(config_.connections.at("ep"), deps());
    EXPECT_EQ(ep.system, "epicor");
    EXPECT_TRUE(ep.ok());
}

TEST_F(PingTest, ConnectionOfASystemWithoutPingSaysSoWithoutFailing) {
    // Every system of this build has a ping now; a system it does not know stands in.
    const engine::ConnectionConfig other{.name = "erp",
                                         .system = "sap",
                                         .base_url = {},
                                         .options = {},
                                         .secrets = {},
                                         .secret_lines = {}};
    const PingReport report = ping_connection(other, deps());
    ASSERT_EQ(report.checks.size(), 1u);
    EXPECT_EQ(report.checks[0].status, PingStatus::kSkipped);
    EXPECT_NE(report.checks[0].detail.find("not supported in this build"), std::string::npos);
    EXPECT_TRUE(report.ok());
}

TEST_F(PingTest, UnreachableHostNamesTheHostAndSkipsTheRest) {
    auto& ss = config_.connections.at("ss");
    const std::string host = "127.0.0.1:" + std::to_string(closed_port());
    ss.base_url = "http://" + host;
    const PingReport report = ping_connection(ss, deps());
    EXPECT_FALSE(report.ok());
    const auto* reach = named(report.checks, kCheckReach);
    ASSERT_NE(reach, nullptr);
    EXPECT_EQ(reach->status, PingStatus::kFail);
    EXPECT_NE(reach->detail.find("cannot connect to " + host), std::string::npos) << reach->detail;
    EXPECT_NE(reach->detail.find("connections.ss.base_url"), std::string::npos) << reach->detail;
    EXPECT_EQ(named(report.checks, kCheckAuth)->status, PingStatus::kSkipped);
}

TEST_F(PingTest, UnreachableWordingTellsDnsTlsAndTimeoutApart) {
    const auto dns = describe_unreachable(
        "erp.example.invalid", "ep",
        make_error(ErrorCode::kTransient,
                   "GET erp.example.invalid/: Could not resolve host: erp.example.invalid"));
    EXPECT_NE(dns.find("cannot resolve host erp.example.invalid (DNS)"), std::string::npos) << dns;
    const auto tls = describe_unreachable(
        "erp.example.com", "ep",
        make_error(ErrorCode::kTransient,
                   "GET erp.example.com/: SSL certificate problem: self-signed certificate"));
    EXPECT_NE(tls.find("TLS with erp.example.com failed"), std::string::npos) << tls;
    EXPECT_NE(tls.find("CA store"), std::string::npos) << tls;
    const auto slow = describe_unreachable(
        "erp.example.com", "ep",
        make_error(ErrorCode::kTransient, "GET erp.example.com/: connect timeout (10000 ms)"));
    EXPECT_NE(slow.find("did not answer in time"), std::string::npos) << slow;
}

TEST_F(PingTest, BaseUrlWithoutSchemeIsReportedAsNotAnAbsoluteUrl) {
    auto& ep = config_.connections.at("ep");
    ep.base_url = "erp.example.com/EpicorERP";
    const PingReport report = ping_connection(ep, deps());
    const auto* reach = named(report.checks, kCheckReach);
    ASSERT_NE(reach, nullptr);
    EXPECT_EQ(reach->status, PingStatus::kFail);
    EXPECT_NE(reach->detail.find("not an absolute URL"), std::string::npos) << reach->detail;
}

TEST_F(PingTest, MissingVaultSaysToRunInitThenSetEachSecret) {
    auto no_vault = deps();
    no_vault.vault = nullptr;
    const PingReport report = ping_connection(config_.connections.at("ss"), no_vault);
    const auto* secrets = named(report.checks, kCheckSecrets);
    ASSERT_NE(secrets, nullptr);
    EXPECT_EQ(secrets->status, PingStatus::kFail);
    EXPECT_NE(secrets->detail.find("run `mlc init`, then `mlc secret set ss.api_key`"),
              std::string::npos)
        << secrets->detail;
}

TEST_F(PingTest, FlowFitCountsResolvedSkusNamesTheUnresolvedOneWithItsMappingAndWritesNothing) {
    const FlowPingReport report = ping_flow(
        flow_, deps(), {.since = parse_iso8601("2000-01-01T00:00:00Z").value(), .sample = 100});
    ASSERT_EQ(report.connections.size(), 2u);
    EXPECT_TRUE(report.connections[0].ok());
    EXPECT_TRUE(report.connections[1].ok());
    const auto* fit = named(report.checks, kCheckFit);
    ASSERT_NE(fit, nullptr);
    EXPECT_EQ(fit->status, PingStatus::kWarn) << fit->detail;
    EXPECT_NE(fit->detail.find("40 ShipStation orders modified since 2000-01-01"),
              std::string::npos)
        << fit->detail;
    // The catalog's two misfits, each on one order: the unknown SKU and the inactive part.
    EXPECT_NE(fit->detail.find("38 ready to write"), std::string::npos) << fit->detail;
    EXPECT_NE(fit->detail.find("SKUs 19 resolve, 2 do not"), std::string::npos) << fit->detail;
    const auto* unresolved = named(report.checks, kCheckUnresolved);
    ASSERT_NE(unresolved, nullptr);
    EXPECT_NE(unresolved->detail.find("mappings.parts: {\"" + std::string(kMissingSku) + "\""),
              std::string::npos)
        << unresolved->detail;
    EXPECT_TRUE(report.ok());  // Unresolved references warn: the flow would park, not fail.
    EXPECT_EQ(counter_.writes(), 0);
}

TEST_F(PingTest, FlowFitWithNoRecentOrdersSaysToWidenSince) {
    const FlowPingReport report = ping_flow(flow_, deps(), {.since = clock_.now(), .sample = 10});
    const auto* fit = named(report.checks, kCheckFit);
    ASSERT_NE(fit, nullptr);
    EXPECT_EQ(fit->status, PingStatus::kWarn) << fit->detail;
    EXPECT_NE(fit->detail.find("widen --since"), std::string::npos) << fit->detail;
}

TEST_F(PingTest, FlowWithAFailedConnectionSkipsTheFitCheck) {
    ASSERT_TRUE(vault_.put("ss.api_secret", "wrong"));
    const FlowPingReport report = ping_flow(flow_, deps(), {.since = clock_.now(), .sample = 10});
    EXPECT_FALSE(report.ok());
    const auto* fit = named(report.checks, kCheckFit);
    ASSERT_NE(fit, nullptr);
    EXPECT_EQ(fit->status, PingStatus::kSkipped);
    EXPECT_NE(fit->detail.find("fix the connections above first"), std::string::npos);
}

TEST_F(PingTest, FlowOfAnotherRecipePingsItsConnectionsOnlyAndSaysSo) {
    flow_.recipe = "epicor-to-woocommerce-parts";
    flow_.connections = {{"source", "ep"}};
    const FlowPingReport report = ping_flow(flow_, deps(), {.since = clock_.now(), .sample = 10});
    ASSERT_EQ(report.connections.size(), 1u);
    EXPECT_EQ(report.connections[0].connection, "ep");
    const auto* fit = named(report.checks, kCheckFit);
    ASSERT_NE(fit, nullptr);
    EXPECT_EQ(fit->status, PingStatus::kSkipped);
    EXPECT_NE(fit->detail.find("connections only"), std::string::npos);
}

TEST_F(PingTest, FlowNamingAnUndefinedConnectionFailsNamingIt) {
    flow_.connections = {{"source", "ss"}, {"target", "nowhere"}};
    const FlowPingReport report = ping_flow(flow_, deps(), {.since = clock_.now(), .sample = 10});
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.connections.size(), 2u);
    const auto& missing = report.connections[0].connection == "nowhere" ? report.connections[0]
                                                                        : report.connections[1];
    ASSERT_FALSE(missing.checks.empty());
    EXPECT_NE(missing.checks[0].detail.find("'nowhere', which mlc.yaml does not define"),
              std::string::npos);
}

}  // namespace
}  // namespace mlc::flows::connections

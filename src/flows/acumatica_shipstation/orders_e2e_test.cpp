// "acumatica-to-shipstation-orders" end to end against the Acumatica and ShipStation emulators in
// process: fulfillable sales orders land in ShipStation once each (createorders, orderKey
// SO<number>) within ShipStation's 40 requests a minute, an edit updates, a cancel cancels, a
// label comes back as a confirmed Acumatica shipment once, every Acumatica session opened is
// closed, and the failures a user meets (wrong version, login limit, an order without ship-to)
// are clear.
#include "flows/acumatica_shipstation/orders_recipe.hpp"

#include <gtest/gtest.h>

#include <map>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/testing/sandboxes.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;
constexpr int kRunsMax = 50;  // A backfill drains within this many runs.

// Counts the requests sent to each host ("shipstation.sandbox.test").
class CountingTransport final : public net::HttpTransport {
  public:
    explicit CountingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        const auto scheme = request.url.find("://");
        const auto start = scheme == std::string::npos ? 0 : scheme + 3;
        ++sent[request.url.substr(start, request.url.find('/', start) - start)];
        return inner_.send(request, options);
    }
    std::map<std::string, int> sent;

  private:
    net::HttpTransport& inner_;
};

class AcumaticaToShipStationTest : public ::testing::Test {
  protected:
    explicit AcumaticaToShipStationTest(std::size_t volume = 30)
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 11, .volume = volume}) {
        testing::serve_sandboxes(host_, transport_, {"acumatica", "shipstation"});
        const json::object ports = host_.ports();
        store_ = store::SqliteStateStore::open(":memory:").value();
        testing::connect_sandbox(config_, vault_, ports, "acumatica", "acu");
        testing::connect_sandbox(config_, vault_, ports, "shipstation", "ss");
        flow_.name = "acu-to-ss";
        flow_.recipe = kRecipe;
        flow_.connections = {{"source", "acu"}, {"target", "ss"}};
        clock_.advance(std::chrono::seconds(5));
    }

    std::unique_ptr<engine::FlowRunner> runner() {
        engine::RecipeRegistry registry;
        add_acumatica_shipstation_recipes(registry);
        auto built = registry.create(flow_, engine::Dependencies{.clock = clock_,
                                                                 .store = *store_,
                                                                 .config = &config_,
                                                                 .vault = &vault_,
                                                                 .transport = &counting_});
        EXPECT_TRUE(built) << built.error().describe();
        return built ? std::move(*built) : nullptr;
    }
    Result<engine::RunSummary> run(engine::FlowRunner& flow) {
        clock_.advance(std::chrono::minutes(2));
        return testing::run_once(flow, clock_, *store_, *log_, flow_.name);
    }
    net::HttpResponse control(const std::string& system, std::string method, std::string route,
                              std::string body = {}) {
        return testing::control(host_, system, std::move(method), std::move(route),
                                std::move(body));
    }
    json::object acumatica() {
        return json::parse(control("acumatica", "GET", "state").body).as_object();
    }
    // ShipStation orders made by the flow: orderKey -> the order.
    std::map<std::string, json::object> shipstation_orders() {
        const json::object state =
            json::parse(control("shipstation", "GET", "state").body).as_object();
        std::map<std::string, json::object> out;
        for (const auto& order : state.at("orders").as_array()) {
            const std::string key(order.as_object().at("orderKey").as_string());
            if (key.starts_with("SO")) out[key] = order.as_object();
        }
        return out;
    }
    std::string new_order(int quantity = 1) {
        const auto answer =
            control("acumatica", "POST", "orders",
                    json::serialize(json::object{
                        {"CustomerID", "C000001"},
                        {"lines", json::array{json::object{{"InventoryID", "ITEM-0001"},
                                                           {"OrderQty", quantity}}}}}));
        EXPECT_EQ(answer.status, 200) << answer.body;
        return std::string(json::parse(answer.body).at("OrderNbr").at("value").as_string());
    }
    json::object acumatica_order(const std::string& nbr) {
        const json::object state = acumatica();
        for (const auto& order : state.at("SalesOrder").as_array()) {
            if (order.at("OrderNbr").at("value").as_string() == nbr) return order.as_object();
        }
        ADD_FAILURE() << "no Acumatica order " << nbr;
        return {};
    }
    void expect_every_session_closed() {
        const json::object sessions = acumatica().at("sessions").as_object();
        EXPECT_EQ(sessions.at("open").as_int64(), 0);
        EXPECT_EQ(sessions.at("opened_total").as_int64(), sessions.at("closed_total").as_int64());
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    CountingTransport counting_{transport_};
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::StateStore> store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
};

class BackfillTest : public AcumaticaToShipStationTest {
  protected:
    BackfillTest() : AcumaticaToShipStationTest(400) {}
};

TEST_F(BackfillTest, EveryFulfillableOrderLandsOnceWithinShipStationsRateAndSessionsClose) {
    std::size_t open = 0;
    const json::object seeded = acumatica();
    for (const auto& order : seeded.at("SalesOrder").as_array()) {
        open += order.at("Status").at("value").as_string() == "Open";
    }
    ASSERT_GT(open, 200u);
    auto flow = runner();
    ASSERT_TRUE(flow);
    const SteadyTime began = clock_.steady_now();
    const int runs_before = counting_.sent["shipstation.sandbox.test"];
    int runs = 0;
    for (; runs < kRunsMax; ++runs) {
        auto summary = run(*flow);
        ASSERT_TRUE(summary) << summary.error().describe();
        if (!summary->more_pending && summary->created == 0) break;
    }
    const auto orders = shipstation_orders();
    EXPECT_EQ(orders.size(), open);
    const int calls = counting_.sent["shipstation.sandbox.test"] - runs_before;
    // createorders carries 100 orders a call; each run adds one shipments poll.
    EXPECT_LE(calls, static_cast<int>(open / 100 + 1) + 2 * (runs + 1));
    std::cout
        << "backfill: " << open << " orders, " << calls << " ShipStation calls ("
        << static_cast<double>(calls) / static_cast<double>(open) << " a order), "
        << counting_.sent["acumatica.sandbox.test"] << " Acumatica calls, " << runs + 1 << " runs, "
        << std::chrono::duration_cast<std::chrono::seconds>(clock_.steady_now() - began).count()
        << " s of clock\n";
    expect_every_session_closed();
    auto again = run(*flow);  // Nothing new: nothing sent twice.
    ASSERT_TRUE(again);
    EXPECT_EQ(again->created + again->updated, 0);
    EXPECT_EQ(shipstation_orders().size(), open);
}

TEST_F(AcumaticaToShipStationTest, AnEditUpdatesTheOrderAndACancelCancelsIt) {
    auto flow = runner();
    const std::string edited = new_order(1);
    const std::string cancelled = new_order(2);
    ASSERT_TRUE(run(*flow));
    ASSERT_TRUE(shipstation_orders().contains("SO" + edited));
    ASSERT_EQ(control("acumatica", "POST", "records/SalesOrder",
                      json::serialize(json::object{{"OrderType", {{"value", "SO"}}},
                                                   {"OrderNbr", {{"value", edited}}},
                                                   {"Hold", {{"value", true}}}}))
                  .status,
              200);
    ASSERT_EQ(control("acumatica", "POST", "orders/cancel",
                      json::serialize(json::object{{"OrderNbr", cancelled}}))
                  .status,
              200);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->streams.at("orders").updated, 2);  // The hold sent, the cancel closed.
    const auto orders = shipstation_orders();
    EXPECT_EQ(orders.at("SO" + edited).at("orderStatus").as_string(), "on_hold");
    EXPECT_EQ(orders.at("SO" + cancelled).at("orderStatus").as_string(), "cancelled");
    expect_every_session_closed();
}

TEST_F(AcumaticaToShipStationTest, ALabelConfirmsTheAcumaticaShipmentOnce) {
    auto flow = runner();
    const std::string nbr = new_order(3);
    ASSERT_TRUE(run(*flow));
    const std::string order_id =
        std::to_string(shipstation_orders().at("SO" + nbr).at("orderId").to_number<std::int64_t>());
    ASSERT_EQ(control("shipstation", "POST", "orders/" + order_id + "/label",
                      R"({"carrierCode": "ups", "trackingNumber": "1ZACUFLOW1"})")
                  .status,
              200);
    auto shipped = run(*flow);
    ASSERT_TRUE(shipped) << shipped.error().describe();
    EXPECT_EQ(shipped->streams.at("shipments").created, 1);
    const json::object order = acumatica_order(nbr);
    EXPECT_EQ(order.at("Status").at("value").as_string(), "Completed");
    ASSERT_EQ(order.at("Shipments").as_array().size(), 1u);
    // Read again by the overlap and the completed order: nothing written twice.
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated + again->parked, 0);
    EXPECT_EQ(acumatica_order(nbr).at("Shipments").as_array().size(), 1u);
    expect_every_session_closed();
}

TEST_F(AcumaticaToShipStationTest, AnUnservedVersionFailsTheRunNamingTheServedOnes) {
    config_.connections.at("acu").options["version"] = "23.100.001";
    auto flow = runner();
    auto summary = run(*flow);
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().code, ErrorCode::kConfig);
    EXPECT_NE(summary.error().message.find("Default 24.200.001, Default 25.200.001"),
              std::string::npos)
        << summary.error().message;
    EXPECT_TRUE(shipstation_orders().empty());
}

TEST_F(AcumaticaToShipStationTest, ALoginPastTheLicenceFailsTheRunAndTheNextOneRecovers) {
    new_order(1);
    ASSERT_EQ(control("acumatica", "POST", "limits", R"({"sessions_max": 0})").status, 200);
    auto flow = runner();
    auto refused = run(*flow);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRateLimited);
    EXPECT_NE(refused.error().message.find("API Login Limit"), std::string::npos)
        << refused.error().message;
    ASSERT_EQ(control("acumatica", "POST", "limits", R"({"sessions_max": 2})").status, 200);
    auto recovered = run(*flow);
    ASSERT_TRUE(recovered) << recovered.error().describe();
    EXPECT_FALSE(shipstation_orders().empty());
    expect_every_session_closed();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

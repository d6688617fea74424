#pragma once
// The world the "acumatica-to-shipstation-orders" end-to-end tests run in: the Acumatica and
// ShipStation emulators in process on a ManualClock, the store (SQLite in memory, or PostgreSQL in
// a schema of its own: the StoreKind given; testing::OnEachStore runs a suite on both), the recipe
// built from a config as `mlc run` builds it, and the helpers a test reads the emulators with. Two
// worlds can live in one test (a clean and a faulty one).
//
// Test-only. Lifecycle: one per test (or two). Thread safety: none needed. Ownership: owns all.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/acumatica_shipstation/orders_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "flows/testing/test_store.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::flows::acumatica_shipstation {

// Counts the requests sent to each host ("shipstation.sandbox.test"), notes when each was sent
// (on `clock`) and how many answered 429.
class CountingTransport final : public net::HttpTransport {
  public:
    CountingTransport(net::HttpTransport& inner, const Clock& clock)
        : inner_(inner), clock_(clock) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        const auto scheme = request.url.find("://");
        const auto start = scheme == std::string::npos ? 0 : scheme + 3;
        const std::string host = request.url.substr(start, request.url.find('/', start) - start);
        ++sent[host];
        ++calls[request.method + " " + net::url_path(request.url)];
        at[host].push_back(clock_.now());
        auto answer = inner_.send(request, options);
        if (answer && answer->status == 429) ++refused[host];
        return answer;
    }
    // The most requests to `host` inside any 60 s of the clock (a sliding window).
    int busiest_minute(const std::string& host) const {
        const auto found = at.find(host);
        if (found == at.end()) return 0;
        const std::vector<UtcTime>& times = found->second;
        int most = 0;
        for (std::size_t first = 0, last = 0; last < times.size(); ++last) {
            while (times[last] - times[first] >= std::chrono::seconds(60)) ++first;
            most = std::max(most, static_cast<int>(last - first + 1));
        }
        return most;
    }
    std::map<std::string, int> sent;
    std::map<std::string, int> calls;  // "GET /v2/labels" -> how many.
    std::map<std::string, int> refused;
    std::map<std::string, std::vector<UtcTime>> at;

  private:
    net::HttpTransport& inner_;
    const Clock& clock_;
};

class AcumaticaWorld {
  public:
    explicit AcumaticaWorld(std::size_t volume = 30,
                            testing::StoreKind store = testing::StoreKind::sqlite)
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 11, .volume = volume}) {
        if (!testing::store_unavailable(store).empty()) return;  // OnEachStore's SetUp skips.
        testing::serve_sandboxes(host_, transport_, {"acumatica", "shipstation"});
        const boost::json::object ports = host_.ports();
        store_ = testing::TestStore::open(store).value();
        testing::connect_sandbox(config_, vault_, ports, "acumatica", "acu");
        testing::connect_sandbox(config_, vault_, ports, "shipstation", "ss");
        flow_.name = "acu-to-ss";
        flow_.recipe = kRecipe;
        flow_.connections = {{"source", "acu"}, {"target", "ss"}};
        clock_.advance(std::chrono::seconds(5));
    }
    AcumaticaWorld(const AcumaticaWorld&) = delete;
    AcumaticaWorld& operator=(const AcumaticaWorld&) = delete;

    std::unique_ptr<engine::FlowRunner> runner() {
        engine::RecipeRegistry registry;
        add_acumatica_shipstation_recipes(registry);
        auto built = registry.create(flow_, engine::Dependencies{.clock = clock_,
                                                                 .store = *store_,
                                                                 .config = &config_,
                                                                 .vault = &vault_,
                                                                 .transport = &counting_,
                                                                 .public_base_url = public_base_});
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
    // Gives the ShipStation connection a V2 API key (the sandbox's, or `key`): labels are then read
    // through V2.
    void use_shipstation_v2(const std::string& key = {}) {
        const boost::json::object ports = host_.ports();
        const boost::json::object& info = ports.at("shipstation").as_object();
        (void)vault_.put("ss.api_key_v2",
                         key.empty() ? std::string(info.at("api_key_v2").as_string()) : key);
        engine::ConnectionConfig& ss = config_.connections.at("ss");
        ss.secrets["api_key_v2"] = "ss.api_key_v2";
        ss.options["v2_base_url"] = std::string(info.at("v2_base_url").as_string());
    }
    boost::json::object acumatica() {
        return boost::json::parse(control("acumatica", "GET", "state").body).as_object();
    }
    // ShipStation orders made by the flow: orderKey -> the order. Counts every row of a key in
    // `rows_per_key` when given (a duplicate would show there).
    std::map<std::string, boost::json::object> shipstation_orders(
        std::map<std::string, int>* rows_per_key = nullptr) {
        const boost::json::object state =
            boost::json::parse(control("shipstation", "GET", "state").body).as_object();
        std::map<std::string, boost::json::object> out;
        for (const auto& order : state.at("orders").as_array()) {
            const std::string key(order.as_object().at("orderKey").as_string());
            if (!key.starts_with("SO")) continue;
            out[key] = order.as_object();
            if (rows_per_key != nullptr) ++(*rows_per_key)[key];
        }
        return out;
    }
    std::string new_order(int quantity = 1, const std::string& customer = "C000001") {
        const auto answer =
            control("acumatica", "POST", "orders",
                    boost::json::serialize(boost::json::object{
                        {"CustomerID", customer},
                        {"lines", boost::json::array{boost::json::object{
                                      {"InventoryID", "ITEM-0001"}, {"OrderQty", quantity}}}}}));
        EXPECT_EQ(answer.status, 200) << answer.body;
        if (answer.status != 200) return {};
        return std::string(boost::json::parse(answer.body).at("OrderNbr").at("value").as_string());
    }
    boost::json::object acumatica_order(const std::string& nbr) {
        const boost::json::object state = acumatica();
        for (const auto& order : state.at("SalesOrder").as_array()) {
            if (order.at("OrderNbr").at("value").as_string() == nbr) return order.as_object();
        }
        ADD_FAILURE() << "no Acumatica order " << nbr;
        return {};
    }
    // A label for ShipStation order `order_key` (its orderId looked up): 200 or the failure.
    int label(const std::string& order_key, const std::string& tracking) {
        const auto orders = shipstation_orders();
        const auto found = orders.find(order_key);
        EXPECT_NE(found, orders.end()) << order_key;
        if (found == orders.end()) return 0;
        const std::string id =
            std::to_string(found->second.at("orderId").to_number<std::int64_t>());
        return control("shipstation", "POST", "orders/" + id + "/label",
                       boost::json::serialize(boost::json::object{{"carrierCode", "ups"},
                                                                  {"trackingNumber", tracking}}))
            .status;
    }
    // Every Acumatica shipment package's tracking number -> how many packages hold it (a package
    // added twice shows as 2).
    std::map<std::string, int> acumatica_tracking() {
        std::map<std::string, int> out;
        const boost::json::object state = acumatica();
        for (const auto& shipment : state.at("Shipment").as_array()) {
            const auto* packages = shipment.as_object().if_contains("Packages");
            if (packages == nullptr || !packages->is_array()) continue;
            for (const auto& package : packages->as_array()) {
                const auto* number = package.as_object().if_contains("TrackingNbr");
                if (number == nullptr) continue;
                ++out[std::string(number->at("value").as_string())];
            }
        }
        return out;
    }
    void expect_every_session_closed() {
        const boost::json::object sessions = acumatica().at("sessions").as_object();
        EXPECT_EQ(sessions.at("open").as_int64(), 0);
        EXPECT_EQ(sessions.at("opened_total").as_int64(), sessions.at("closed_total").as_int64());
    }
    std::vector<store::DeadLetter> open_letters() {
        auto letters = store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 1000);
        EXPECT_TRUE(letters) << letters.error().describe();
        return letters ? std::move(*letters) : std::vector<store::DeadLetter>{};
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    CountingTransport counting_{transport_, clock_};
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    testing::TestStore store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::string public_base_;  // Empty: no server, no webhooks (`mlc sync`).
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
};

// The world as a gtest fixture.
class AcumaticaToShipStationTest : public ::testing::Test, public AcumaticaWorld {
  protected:
    explicit AcumaticaToShipStationTest(std::size_t volume = 30) : AcumaticaWorld(volume) {}
    explicit AcumaticaToShipStationTest(testing::StoreKind store) : AcumaticaWorld(30, store) {}
};

}  // namespace mlc::flows::acumatica_shipstation

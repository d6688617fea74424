#pragma once
// The world of the "epicor-to-ups-shipments" end-to-end tests: the Epicor and UPS emulators in
// process on a manual clock, a state store (SQLite in memory, or PostgreSQL in a schema of its own:
// the StoreKind the constructor takes; testing::OnEachStore runs a suite on both), the flow's
// connections in the config and their secrets in a fake vault, weighted parts (LB, KG, OZ and one
// without a weight) and the carrier status user fields on ShipHead and OrderRel, as a tenant's
// administrator adds them; helpers to enter confirmed Epicor orders, run the flow and read what UPS
// and the store hold.
//
// Lifecycle: one per test (a gtest fixture). Thread safety: none.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "flows/testing/test_store.hpp"

namespace mlc::flows::epicor_ups {

namespace json = boost::json;

inline model::Address address(std::string street, std::string city, std::string state,
                              std::string zip) {
    return model::Address{.name = "Dock 4",
                          .company = {},
                          .street1 = std::move(street),
                          .street2 = {},
                          .street3 = {},
                          .city = std::move(city),
                          .state = std::move(state),
                          .postal_code = std::move(zip),
                          .country = "US",
                          .phone = "2135550100",
                          .email = {},
                          .residential = false};
}

inline const model::Address kValid = address("100 MAIN ST", "LOS ANGELES", "CA", "90012");
inline const model::Address kCorrectable = address("100 main street", "Los Angeles", "CA", "90012");
inline const model::Address kAmbiguous = address("200 OAK AVE", "NEW YORK", "NY", "10001");
inline const model::Address kUnknown = address("9 NOWHERE RD", "LOS ANGELES", "CA", "90012");

class EpicorToUpsTest : public ::testing::Test {
  protected:
    explicit EpicorToUpsTest(testing::StoreKind store = testing::StoreKind::sqlite)
        : host_(clock_, transport_, {.seed = 3, .volume = 40}) {
        if (!testing::store_unavailable(store).empty()) return;  // OnEachStore's SetUp skips.
        testing::serve_sandboxes(host_, transport_, {"epicor", "ups"});
        const json::object ports = host_.ports();
        store_ = testing::TestStore::open(store).value();
        testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        testing::connect_sandbox(config_, vault_, ports, "ups", "ups");
        std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::replace(test.begin(), test.end(), '/', '-');  // "Name/postgres" of OnEachStore.
        labels_ = std::filesystem::temp_directory_path() /
                  ("mlc-labels-" + std::to_string(::getpid()) + "-" + test);
        std::filesystem::remove_all(labels_);
        flow_.name = "ship";
        flow_.recipe = kShipmentsRecipe;
        flow_.connections = {{"source", "ep"}, {"target", "ups"}};
        // The seeded Epicor orders were changed at start-up: the flow starts an hour later, past
        // its overlap, and ships only the orders each test makes.
        clock_.advance(std::chrono::hours(1));
        flow_.options = {{"start", format_iso8601(clock_.now())}, {"labels_dir", labels_.string()}};
        epicor_ = connections::open_epicor(config_.connections.at("ep"), deps()).value();
        part("LB-PART", "1.5", "LB");
        part("KG-PART", "0.5", "KG");
        part("OZ-PART", "4", "OZ");
        part("NO-WEIGHT", "0", "LB");
        // The tenant's carrier status fields, as its administrator adds them (README).
        for (const char* table : {"ShipHead", "OrderRel"}) {
            user_field(table, "CarrierStatus_c", "string");
            user_field(table, "DeliveredDate_c", "date");
            user_field(table, "EstDelivery_c", "date");
        }
    }
    void user_field(const std::string& table, const std::string& field, const std::string& type) {
        const auto answer = testing::control(
            host_, "epicor", "POST", "ud-fields",
            json::serialize(json::object{{"table", table}, {"field", field}, {"type", type}}));
        ASSERT_EQ(answer.status, 200) << answer.body;
    }
    ~EpicorToUpsTest() override {
        if (!labels_.empty()) std::filesystem::remove_all(labels_);
    }

    engine::Dependencies deps() {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = &transport_};
    }
    std::unique_ptr<engine::FlowRunner> runner() {
        auto built = make_shipments_runner(flow_, deps());
        EXPECT_TRUE(built) << built.error().describe();
        return built ? std::move(*built) : nullptr;
    }
    Result<engine::RunSummary> run(engine::FlowRunner& flow) {
        clock_.advance(std::chrono::minutes(1));
        return testing::run_once(flow, clock_, *store_, *log_, flow_.name);
    }
    void part(const std::string& num, const std::string& weight, const std::string& unit) {
        const auto answer =
            testing::control(host_, "epicor", "POST", "parts",
                             json::serialize(json::object{{"PartNum", num},
                                                          {"PartDescription", "Part " + num},
                                                          {"IUM", "EA"},
                                                          {"SalesUM", "EA"},
                                                          {"TypeCode", "P"},
                                                          {"UnitPrice", "10"},
                                                          {"NetWeight", weight},
                                                          {"NetWeightUOM", unit}}));
        ASSERT_LT(answer.status, 300) << answer.body;
    }
    // An order confirmed in Epicor, shipping to `to`; its OrderNum.
    std::int64_t order(const model::Address& to,
                       std::vector<std::pair<std::string, int>> lines = {{"LB-PART", 1}}) {
        model::Order o;
        o.source = {.system = "test", .key = "T-" + std::to_string(++orders_), .id = {}};
        o.ship_to = to;
        for (const auto& [sku, quantity] : lines) {
            model::OrderLine line;
            line.sku = sku;
            line.quantity = Decimal::from_int(quantity);
            line.unit_price = Decimal::from_int(10);
            o.lines.push_back(line);
        }
        clock_.advance(order_spacing_);
        auto made = epicor_->client->create_order({.order = o, .customer_id = "C00002"});
        EXPECT_TRUE(made) << made.error().describe();
        return made ? made->order_num : 0;
    }
    // UPS packages made for releases of this test: reference -> the package as the state shows.
    std::map<std::string, json::object> ups_packages() {
        const auto state = json::parse(testing::control(host_, "ups", "GET", "state").body);
        std::map<std::string, json::object> out;
        for (const auto& package : state.at("packages").as_array()) {
            const auto& refs = package.at("references").as_array();
            if (refs.empty()) continue;
            const std::string ref(refs[0].as_string());
            if (!ref.starts_with("SEED-")) out[ref] = package.as_object();
        }
        return out;
    }
    // UPS packages made for this test's releases, voided ones included: a second label counts.
    std::size_t ups_package_count() {
        const auto state = json::parse(testing::control(host_, "ups", "GET", "state").body);
        std::size_t count = 0;
        for (const auto& package : state.at("packages").as_array()) {
            const auto& refs = package.at("references").as_array();
            if (!refs.empty() && !refs[0].as_string().starts_with("SEED-")) ++count;
        }
        return count;
    }
    // Every CustShip's tracking number -> how many CustShips hold it, and the last one's
    // CarrierStatus_c.
    std::map<std::string, std::pair<int, std::string>> carrier_packs() {
        const auto state = json::parse(testing::control(host_, "epicor", "GET", "state").body);
        std::map<std::string, std::pair<int, std::string>> out;
        for (const auto& row : state.at("tables").at("ShipHead").as_array()) {
            auto& [count, status] = out[std::string(row.at("TrackingNumber").as_string())];
            ++count;
            status = row.at("CarrierStatus_c").as_string();
        }
        return out;
    }
    std::vector<store::DeadLetter> letters() {
        return store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 100).value();
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    testing::TestStore store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::filesystem::path labels_;
    std::unique_ptr<connections::EpicorConnection> epicor_;
    int orders_ = 0;
    std::chrono::seconds order_spacing_{2};  // The clock moves this much before each order.
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
};

}  // namespace mlc::flows::epicor_ups

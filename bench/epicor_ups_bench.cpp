// Figures for issue 11's note: "epicor-to-ups-shipments" over the Epicor and UPS emulators in
// process, SQLite file store, ManualClock. Confirmed Epicor orders (two releases each: a part in
// LB and one in OZ) are entered, then one run ships every release (address validation, ship, the
// ZPL label to the flow's folder) and brings the tracking back into Epicor with its status.
// Counters:
//   shipments_per_real_min   UPS shipments made per real minute here (shown as ".../s": the rate
//                            counter is the count x 60 over the real seconds) (CPU: emulators,
//                            JSON, SQLite, label files): the flow's own ceiling, UPS answering
//                            instantly;
//   ups_calls_per_shipment   UPS requests per shipment, the token and tracking included;
//   epicor_calls_per_shipment
// Args: {orders}.
#include <unistd.h>

#include <filesystem>

#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace testing = mlc::flows::testing;

bool post(mlc::sandbox::SandboxHost& host, const std::string& route, const json::object& body) {
    return testing::control(host, "epicor", "POST", route, json::serialize(body)).status < 300;
}

// The world's Epicor: weighted parts and the carrier status fields.
bool prepare_epicor(mlc::sandbox::SandboxHost& host) {
    for (const auto& [part, unit] : {std::pair{"LB-PART", "LB"}, std::pair{"OZ-PART", "OZ"}}) {
        if (!post(host, "parts",
                  {{"PartNum", part},
                   {"IUM", "EA"},
                   {"SalesUM", "EA"},
                   {"TypeCode", "P"},
                   {"UnitPrice", "10"},
                   {"NetWeight", "2.5"},
                   {"NetWeightUOM", unit}})) {
            return false;
        }
    }
    for (const char* table : {"ShipHead", "OrderRel"}) {
        for (const auto& [field, type] :
             {std::pair{"CarrierStatus_c", "string"}, std::pair{"DeliveredDate_c", "date"},
              std::pair{"EstDelivery_c", "date"}}) {
            if (!post(host, "ud-fields", {{"table", table}, {"field", field}, {"type", type}})) {
                return false;
            }
        }
    }
    return true;
}

mlc::model::Order release_order(int n) {
    mlc::model::Order o;
    o.source = {.system = "bench", .key = "B-" + std::to_string(n), .id = {}};
    o.ship_to = {.name = "Dock 4",
                 .company = {},
                 .street1 = "100 MAIN ST",
                 .street2 = {},
                 .street3 = {},
                 .city = "LOS ANGELES",
                 .state = "CA",
                 .postal_code = "90012",
                 .country = "US",
                 .phone = "2135550100",
                 .email = {},
                 .residential = false};
    for (const char* sku : {"LB-PART", "OZ-PART"}) {
        mlc::model::OrderLine line;
        line.sku = sku;
        line.quantity = mlc::Decimal::from_int(1 + n % 3);
        line.unit_price = mlc::Decimal::from_int(10);
        o.lines.push_back(line);
    }
    return o;
}

std::size_t requests(mlc::sandbox::SandboxHost& host, const char* system) {
    return json::parse(testing::control(host, system, "GET", "requests").body).as_array().size();
}

void ship_orders(benchmark::State& state) {
    const int orders = static_cast<int>(state.range(0));
    std::string pattern = (fs::temp_directory_path() / "mlc-bench-ups-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return state.SkipWithError("mkdtemp failed");
    const fs::path dir = pattern;
    mlc::ManualClock clock{mlc::parse_iso8601("2025-06-02T16:00:00Z").value()};
    mlc::sandbox::InProcessTransport transport;
    mlc::sandbox::SandboxHost host(clock, transport, {.seed = 3, .volume = 40});
    testing::serve_sandboxes(host, transport, {"epicor", "ups"});
    mlc::auth::testing::FakeVault vault;
    mlc::engine::Config config;
    testing::connect_sandbox(config, vault, host.ports(), "epicor", "ep");
    testing::connect_sandbox(config, vault, host.ports(), "ups", "ups");
    auto store = mlc::store::SqliteStateStore::open((dir / "state.db").string()).value();
    const mlc::engine::Dependencies deps{.clock = clock,
                                         .store = *store,
                                         .config = &config,
                                         .vault = &vault,
                                         .transport = &transport};
    clock.advance(std::chrono::hours(1));  // Past the seeded orders.
    mlc::engine::FlowConfig flow;
    flow.name = "ship";
    flow.recipe = mlc::flows::epicor_ups::kShipmentsRecipe;
    flow.connections = {{"source", "ep"}, {"target", "ups"}};
    flow.options = {{"start", mlc::format_iso8601(clock.now())},
                    {"labels_dir", (dir / "labels").string()},
                    {"pages_per_run", "10000"}};
    auto epicor = mlc::flows::connections::open_epicor(config.connections.at("ep"), deps);
    if (!epicor || !prepare_epicor(host)) return state.SkipWithError("Epicor sandbox setup failed");
    for (int i = 0; i < orders; ++i) {
        clock.advance(std::chrono::seconds(1));
        auto made =
            (*epicor)->client->create_order({.order = release_order(i), .customer_id = "C00002"});
        if (!made) return state.SkipWithError(made.error().describe().c_str());
    }
    auto runner = mlc::flows::epicor_ups::make_shipments_runner(flow, deps);
    if (!runner) return state.SkipWithError(runner.error().describe().c_str());
    testing::control(host, "epicor", "DELETE", "requests");
    testing::control(host, "ups", "DELETE", "requests");
    auto log =
        std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
    std::int64_t shipped = 0;
    for (auto _ : state) {
        clock.advance(std::chrono::minutes(1));
        auto summary = testing::run_once(**runner, clock, *store, *log, flow.name);
        if (!summary) return state.SkipWithError(summary.error().describe().c_str());
        shipped = summary->streams["shipments"].created;
    }
    const double per_shipment = shipped > 0 ? 1.0 / static_cast<double>(shipped) : 0.0;
    state.counters["shipments"] = static_cast<double>(shipped);
    state.counters["shipments_per_real_min"] =
        benchmark::Counter(static_cast<double>(shipped) * 60.0, benchmark::Counter::kIsRate);
    state.counters["ups_calls_per_shipment"] =
        static_cast<double>(requests(host, "ups")) * per_shipment;
    state.counters["epicor_calls_per_shipment"] =
        static_cast<double>(requests(host, "epicor")) * per_shipment;
    std::error_code ec;
    fs::remove_all(dir, ec);
}

BENCHMARK(ship_orders)
    ->Arg(100)
    ->Arg(500)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

// Figures for issue 12's note: Amazon settlement lines per second.
//   settlement_parse_group  the connector's reader (header names, exact amounts, dates) and the
//                           flow's ledger (group, GL account by the US table, journals per
//                           period, the check) over one flat file of N lines made by the Amazon
//                           emulator's writer: lines_per_s (real time, one core).
//   settlement_post         the whole "amazon-settlements-to-epicor" run over the emulators in
//                           process (getReports, getReportDocument, the GZIP download, parse,
//                           fold, ledger, the Epicor journal POSTs, SQLite in memory) for one
//                           settlement of N lines: lines_per_s.
// Args: {lines}.
#include <benchmark/benchmark.h>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/amazon/amazon_settlement.hpp"
#include "flows/amazon_epicor/settlements_ledger.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "sandbox/amazon/amazon_settlement.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace {

namespace emu = mlc::sandbox::amazon;
namespace amz = mlc::connectors::amazon;
namespace ae = mlc::flows::amazon_epicor;

mlc::Decimal money(std::string_view text) { return *mlc::Decimal::parse(text); }

// About `lines` rows: orders of one item (6 rows each: principal, tax, facilitator tax,
// promotion, commission, FBA fee), posted across the settlement's two weeks.
std::string flat_file(std::size_t lines) {
    emu::Settlement s{.id = "23456789001",
                      .start = *mlc::parse_iso8601("2026-02-01T00:00:00Z"),
                      .end = *mlc::parse_iso8601("2026-02-15T00:00:00Z"),
                      .deposit = *mlc::parse_iso8601("2026-02-16T00:00:00Z")};
    for (std::size_t n = 0; s.rows.size() < lines; ++n) {
        emu::Order order{.id = "112-" + std::to_string(1000000 + n) + "-7654321",
                         .seller_order_id = "MLC-" + std::to_string(n),
                         .amazon_fulfilled = true,
                         .items = {emu::OrderItem{.order_item_id = std::to_string(10000000 + n),
                                                  .sku = "MLC-SKU-00" + std::to_string(n % 9 + 1),
                                                  .quantity = static_cast<std::int64_t>(n % 3 + 1),
                                                  .unit_price = money("29.99"),
                                                  .unit_tax = money("2.47"),
                                                  .promotion = money("1.00")}},
                         .shipped = s.start + std::chrono::minutes(n % 20000)};
        for (auto& row : emu::order_rows(order, false)) s.rows.push_back(std::move(row));
    }
    return emu::settlement_flat_file(s);
}

void settlement_parse_group(benchmark::State& state) {
    const std::string text = flat_file(static_cast<std::size_t>(state.range(0)));
    const ae::LedgerOptions options{.rules = ae::default_us_rules()};
    std::size_t lines = 0;
    for (auto _ : state) {
        auto file = amz::parse_settlement(text, {});
        if (!file) state.SkipWithError(file.error().message.c_str());
        auto ledger = ae::settlement_ledger(file->summary, file->lines, options);
        if (!ledger || !ledger->check.ok()) state.SkipWithError("ledger");
        lines += file->lines.size();
        benchmark::DoNotOptimize(ledger);
    }
    state.counters["lines_per_s"] =
        benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
}

void settlement_post(benchmark::State& state) {
    const auto extra = static_cast<std::size_t>(state.range(0));
    std::size_t lines = 0;
    for (auto _ : state) {
        state.PauseTiming();
        mlc::ManualClock clock(mlc::parse_iso8601("2026-06-20T12:00:00Z").value());
        mlc::sandbox::InProcessTransport transport;
        mlc::sandbox::SandboxHost host(clock, transport, {.seed = 11, .volume = 20});
        mlc::flows::testing::serve_sandboxes(host, transport, {"amazon", "epicor"});
        auto store = mlc::store::SqliteStateStore::open(":memory:").value();
        mlc::auth::testing::FakeVault vault;
        mlc::engine::Config config;
        const auto ports = host.ports();
        mlc::flows::testing::connect_sandbox(config, vault, ports, "amazon", "amz");
        mlc::flows::testing::connect_sandbox(config, vault, ports, "epicor", "ep");
        mlc::engine::FlowConfig flow;
        flow.name = "bench";
        flow.recipe = ae::kSettlementsRecipe;
        flow.connections = {{"source", "amz"}, {"target", "ep"}};
        flow.options = {{"start", mlc::format_iso8601(clock.now() - std::chrono::minutes(1))}};
        boost::json::array rows;
        for (std::size_t i = 0; i < extra; ++i) {
            rows.push_back(boost::json::object{{"transaction_type", "Order"},
                                               {"amount_type", "ItemPrice"},
                                               {"amount_description", "Principal"},
                                               {"amount", "19.99"}});
        }
        mlc::flows::testing::control(host, "amazon", "POST", "settlements/close",
                                     boost::json::serialize(boost::json::object{{"rows", rows}}));
        mlc::engine::Dependencies deps{.clock = clock,
                                       .store = *store,
                                       .config = &config,
                                       .vault = &vault,
                                       .transport = &transport};
        auto log = std::make_shared<spdlog::logger>(
            "bench", std::make_shared<spdlog::sinks::null_sink_mt>());
        state.ResumeTiming();
        auto runner = ae::make_settlements_runner(flow, deps);
        if (!runner) state.SkipWithError(runner.error().message.c_str());
        auto run = mlc::flows::testing::run_once(**runner, clock, *store, *log, flow.name);
        if (!run || run->created != 1) state.SkipWithError("not posted");
        lines += extra;
    }
    state.counters["lines_per_s"] =
        benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(settlement_parse_group)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(settlement_post)->Arg(1'000)->Arg(50'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

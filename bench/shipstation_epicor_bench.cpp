// Figures for issue 5's note: the "shipstation-to-epicor-orders" backfill over both emulators in
// process, SQLite file store, ManualClock (so ShipStation's 40 requests a minute cost simulated
// time, not real time). Each benchmark reports:
//   sim_orders_per_min   orders created per simulated minute: the rate a real ShipStation's
//                        40/min budget allows when Epicor answers instantly;
//   moved, sim_moved_per_min   records settled (created, updated, unchanged, parked; orders and
//                        shipments) and per simulated minute;
//   ceiling_per_min      40 requests/min x pageSize orders per listing call (the read side);
//   ss_calls, ss_per_order, epicor_calls, epicor_per_order   API calls (retries included);
//   real_orders_per_min  orders per real minute here (CPU: emulators, JSON, SQLite);
//   rss_before_mb, rss_peak_mb   getrusage ru_maxrss (process peak, emulators included) after
//                        seeding and after the run. ru_maxrss never goes down: run the
//                        100,000-order case alone (--benchmark_filter) for its own peak.
// Args: {orders, pageSize, shipments (0/1)}.
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>

#include <benchmark/benchmark.h>

#include "common/clock.hpp"
#include "flows/shipstation_epicor/e2e/e2e_world.hpp"

namespace {

namespace e2e = mlc::flows::shipstation_epicor::e2e;
namespace fs = std::filesystem;

constexpr const char* kFixedCustomer = "C00001";  // A seeded Epicor customer (epicor README).

double peak_rss_mb() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes.
}

void backfill(benchmark::State& state) {
    const auto orders = static_cast<std::size_t>(state.range(0));
    const auto page_size = static_cast<std::uint32_t>(state.range(1));
    const bool shipments = state.range(2) != 0;
    std::string pattern = (fs::temp_directory_path() / "mlc-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        state.SkipWithError("mkdtemp failed");
        return;
    }
    mlc::SystemClock real;  // Real elapsed time of the run, for real_orders_per_min only.
    for (auto _ : state) {
        state.PauseTiming();
        e2e::E2eWorld world({.volume = orders,
                             .store_path = (fs::path(pattern) / "state.db").string(),
                             .shipments = shipments,
                             .page_size = page_size,
                             .fixed_customer = kFixedCustomer});
        if (auto prepared = world.prepare_epicor(); !prepared) {
            state.SkipWithError(prepared.error().describe().c_str());
            break;
        }
        auto flow = world.runner();
        if (!flow) {
            state.SkipWithError(flow.error().describe().c_str());
            break;
        }
        world.traffic().reset();
        const double rss_before = peak_rss_mb();
        const mlc::SteadyTime sim_start = world.clock().steady_now();
        const mlc::SteadyTime real_start = real.steady_now();
        state.ResumeTiming();

        const e2e::DriveResult result = world.run_until_done(**flow);

        state.PauseTiming();
        const double real_s = std::chrono::duration<double>(real.steady_now() - real_start).count();
        const double sim_min =
            std::chrono::duration<double>(world.clock().steady_now() - sim_start).count() / 60.0;
        const e2e::Traffic traffic = world.traffic().traffic();
        const auto created = static_cast<double>(result.total.created);
        if (!result.done) state.SkipWithError(result.last_error.c_str());
        state.counters["created"] = created;
        // Records moved (issue 15's budget figure): every record read and settled, whatever its
        // outcome (created, updated, unchanged, parked).
        const auto moved = static_cast<double>(result.total.created + result.total.updated +
                                               result.total.skipped + result.total.parked);
        state.counters["moved"] = moved;
        state.counters["sim_moved_per_min"] = sim_min > 0 ? moved / sim_min : 0;
        state.counters["runs"] = result.runs;
        state.counters["sim_minutes"] = sim_min;
        state.counters["sim_orders_per_min"] = sim_min > 0 ? created / sim_min : 0;
        state.counters["ceiling_per_min"] =
            static_cast<double>(e2e::kShipStationPerMinuteMax * page_size);
        state.counters["ss_calls"] = static_cast<double>(traffic.shipstation);
        state.counters["ss_per_order"] = created > 0 ? traffic.shipstation / created : 0;
        state.counters["epicor_calls"] = static_cast<double>(traffic.epicor);
        state.counters["epicor_per_order"] = created > 0 ? traffic.epicor / created : 0;
        state.counters["ss_peak_per_60s"] =
            static_cast<double>(world.traffic().shipstation_peak_per_minute());
        state.counters["real_orders_per_min"] = real_s > 0 ? created / real_s * 60.0 : 0;
        state.counters["rss_before_mb"] = rss_before;
        state.counters["rss_peak_mb"] = peak_rss_mb();
        state.ResumeTiming();
    }
    std::error_code ec;
    fs::remove_all(pattern, ec);
}

BENCHMARK(backfill)
    ->ArgNames({"orders", "page", "shipments"})
    ->Args({50, 50, 0})
    ->Args({50, 50, 1})
    ->Args({5'000, 500, 0})
    ->Args({5'000, 500, 1})
    ->Args({5'000, 100, 1})
    // Issue 15's budget figure: long enough that the last, partial pages count little.
    ->Args({20'000, 500, 1})
    ->Args({100'000, 500, 1})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

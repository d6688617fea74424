#pragma once
// E2eWorld: the "shipstation-to-epicor-orders" flow end to end in one process, for the issue-5
// end-to-end tests and the benchmarks: the ShipStation and Epicor emulators (SandboxHost, served
// through an InProcessTransport), the flow's transport wrapped in a RecordingTransport, a state
// store (SQLite: a file, or ":memory:"; or PostgreSQL: a schema of its own), a FakeVault holding
// the sandbox credentials, and a ManualClock driving everything (the 40-a-minute pacing and retry
// backoff sleep instantly).
//
// prepare_epicor() makes Epicor able to take every ShipStation order: one part per SKU (PartNum =
// SKU, so the flow's exact match resolves it) and one customer per ShipStation customer e-mail
// (CustID "SS<n>", EMailAddress = the e-mail; the flow matches `customer_match: email`).
//
// Lifecycle: construct (seeds both emulators from options.seed/volume), prepare_epicor(), then
// build runners and run them; destroy. Thread safety: none (one test thread). Ownership: owns
// everything it builds; runners borrow it and must not outlive it.

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "auth/testing/fake_vault.hpp"
#include "common/clock.hpp"
#include "engine/config.hpp"
#include "engine/flow_runner.hpp"
#include "flows/shipstation_epicor/e2e/recording_transport.hpp"
#include "flows/shipstation_epicor/e2e/sandbox_views.hpp"
#include "flows/testing/test_store.hpp"
#include "sandbox/fault_injector.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace spdlog {
class logger;
}

namespace mlc::flows::shipstation_epicor::e2e {

inline constexpr const char* kFlowName = "orders";
inline constexpr int kRunsMax = 1'000;  // Runs run_until_done() makes before it gives up.
// ShipStation's 40-a-minute window (shipstation.md): moving the clock past it resets the
// emulator's count after the test's own reads.
inline constexpr std::chrono::seconds kRateWindow{61};

struct WorldOptions {
    std::uint64_t seed = 11;
    std::size_t volume = 300;  // Seeded ShipStation orders (and the Epicor seed's size).
    UtcTime start{};           // The clock's start; zero: 2025-06-02T16:00:00Z.
    testing::StoreKind store = testing::StoreKind::sqlite;
    std::string store_path = ":memory:";  // SQLite's.
    bool shipments = false;               // The flow's shipments stream.
    std::uint32_t page_size = 500;        // The flow's ShipStation pageSize.
    std::string overlap{};                // The flow's overlap option; empty: its default.
    // Set: every order goes to this Epicor CustID (`customer:`), no per-e-mail customers. The
    // emulator finds customers by a linear scan, which would dominate a 100,000-order benchmark.
    std::string fixed_customer{};
};

struct DriveResult {
    engine::RunSummary total;  // Sums over every run.
    int runs = 0;
    int failed_runs = 0;  // Runs that ended in an Error (faults, an uncertain write).
    std::string last_error;
    bool done = false;  // The last run succeeded with nothing more pending.
};

// Expected Epicor content of the ShipStation orders (cancelled ones never reach Epicor).
struct Expected {
    std::map<std::string, EpicorOrder> by_key;
    std::size_t lines = 0;
};

// Makes Epicor able to take `orders`: a part per SKU, a customer per e-mail (see E2eWorld).
// `customers` (e-mail -> CustID) and `parts` remember what was added across calls.
struct EpicorPreparation {
    std::map<std::string, std::string> customers;
    std::set<std::string> parts;
    std::string fixed_customer{};  // Set: no customers are added; every order expects this one.
};
Result<void> prepare_epicor_for(sandbox::SandboxHost& host,
                                const std::vector<ShipStationOrder>& orders,
                                EpicorPreparation& prepared);
Expected expected_for(const std::vector<ShipStationOrder>& orders,
                      const EpicorPreparation& prepared,
                      const std::map<std::string, std::vector<std::string>>& tracking = {});

// Differences between what Epicor should hold and what it holds: missing, unexpected and
// duplicated orders, wrong customer, ship-to name, lines or tracking; at most `limit` of them.
std::vector<std::string> differences(const Expected& want, const EpicorView& got,
                                     std::size_t limit = 20);

class E2eWorld {
  public:
    explicit E2eWorld(WorldOptions options);
    ~E2eWorld();
    E2eWorld(const E2eWorld&) = delete;
    E2eWorld& operator=(const E2eWorld&) = delete;

    // Parts and customers for every current ShipStation order; remembers Epicor's seeded orders.
    // `move_clock`: step past ShipStation's rate window after reading (false inside a timeline
    // the test controls minute by minute).
    Result<void> prepare_epicor(bool move_clock = true);

    Result<std::unique_ptr<engine::FlowRunner>> runner();
    Result<engine::RunSummary> run(engine::FlowRunner& flow);
    // Runs until a run succeeds with nothing pending, at most `runs_max` runs; the clock moves
    // `between` after a failed run (the scheduler's retry delay).
    DriveResult run_until_done(engine::FlowRunner& flow, int runs_max = kRunsMax,
                               std::chrono::seconds between = std::chrono::seconds{60});

    // A control request to one emulator (/__sandbox/<route>).
    net::HttpResponse control(const std::string& system, std::string method, std::string route,
                              std::string body = {});
    Result<void> add_faults(const std::string& system, const sandbox::FaultPlan& plan);
    Result<void> clear_faults(const std::string& system);

    // The views (sandbox_views.hpp); the ShipStation read moves the clock past its rate window.
    Result<std::vector<ShipStationOrder>> shipstation_orders();
    Result<EpicorView> epicor_view();
    Result<std::map<std::string, std::vector<std::string>>> shipstation_tracking();
    // What Epicor should hold for the ShipStation orders now; `tracking` (orderKey -> tracking
    // numbers) when the shipments stream runs.
    Expected expected(const std::vector<ShipStationOrder>& orders,
                      const std::map<std::string, std::vector<std::string>>& tracking = {}) const;
    const std::map<std::string, std::string>& customers() const { return prepared_.customers; }

    ManualClock& clock() { return clock_; }
    sandbox::SandboxHost& host() { return host_; }
    RecordingTransport& traffic() { return *recording_; }
    store::StateStore& store() { return *store_; }
    engine::FlowConfig& flow() { return flow_; }
    engine::Config& config() { return config_; }

  private:
    WorldOptions options_;
    ManualClock clock_;
    sandbox::InProcessTransport in_process_;
    sandbox::SandboxHost host_;
    std::unique_ptr<RecordingTransport> recording_;  // Over in_process_, once URLs are known.
    auth::testing::FakeVault vault_;
    testing::TestStore store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::set<std::int64_t> baseline_;  // Epicor's seeded OrderNums.
    EpicorPreparation prepared_;
    std::shared_ptr<spdlog::logger> log_;
    std::atomic<bool> stop_{false};
};

}  // namespace mlc::flows::shipstation_epicor::e2e

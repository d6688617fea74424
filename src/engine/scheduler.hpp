#pragma once
// Scheduler: runs each configured flow every `every` (+- a seeded random `jitter`), never two runs
// of one flow at once (in this process: a running flag; across processes: the store lease
// "flow:<name>", renewed between pages), runs a flow soon after trigger(), and stops gracefully.
//
// Timing rules (all on the Clock's steady time, so ManualClock tests are exact):
//  * The first run of every flow is due at once when the scheduler starts.
//  * The next run is due `delay` after the previous run *finished* (a long run never causes a
//    burst of catch-up runs). delay = every + j, j drawn uniformly in [-jitter, +jitter] from a
//    generator seeded by SchedulerOptions::seed (same seed, same draws), and never below
//    kMinimumDelay.
//  * Consecutive failures back off exponentially: the n-th failure in a row waits
//    every * 2^(n-1), capped at max(every, backoff_max) (+ jitter). One success resets it.
//  * A run that reports more_pending (stopped at a page budget) is due again after
//    kMorePendingDelay.
//  * When another worker holds the flow's lease, the flow is retried after
//    min(every, kLeaseBusyRetry); that is not a failure.
//  * trigger(flow) makes the flow due now; repeated triggers before it starts coalesce into one
//    run; a trigger during a run causes exactly one more run after it.
//  * pause(flow): neither the schedule nor trigger() starts it (a trigger while paused is kept and
//    runs once it is resumed; webhook deliveries still land in the inbox); a run in progress ends
//    normally; run_flow() (an explicit one-off run) is not refused. The pause is the store
//    setting "paused:<flow>", read by add_flow(), so it outlives a restart.
//  * request_stop(): no new run starts; the running one sees RunContext::checkpoint() == false
//    before its next page and returns; run() then returns.
//
// A failed run is logged, recorded as an audit event (action kFail, outcome = the error code) and
// in the flow's last-run record (setting "run:<flow>", last_run.hpp).
//
// Lifecycle: construct, add_flow() for every flow, then either run() on one thread (daemon) or
// run_due() from a test / run_flow() for `mlc sync --once`. Thread safety: trigger(),
// request_stop(), status() and run_flow() may be called from any thread while run() runs;
// add_flow() only before. Ownership: owns the runners; borrows clock, store and logger, which
// must outlive it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/flow_lease.hpp"
#include "engine/flow_runner.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::engine {

inline constexpr std::chrono::seconds kMinimumDelay{1};
inline constexpr std::chrono::seconds kMorePendingDelay{1};
inline constexpr std::chrono::seconds kLeaseBusyRetry{30};
inline constexpr std::chrono::seconds kDefaultBackoffMax{3600};
// run() never sleeps longer than this at once, so trigger() and request_stop() from other threads
// are seen within it (Clock has no interruptible wait).
inline constexpr std::chrono::milliseconds kIdleSliceMax{500};
// Error text kept in audit details and last-run records.
inline constexpr std::size_t kErrorDetailMax = 500;

struct FlowSchedule {
    std::string name;
    std::chrono::seconds every{300};
    std::chrono::seconds jitter{0};
};

struct SchedulerOptions {
    std::string owner = "mlc";  // Lease owner: unique per process ("host:pid").
    std::uint64_t seed = 1;     // Jitter draws.
    std::chrono::seconds lease_ttl{300};
    // Whether a lease's holder is known dead, so its lease is taken at once (flow_lease.hpp).
    HolderGone lease_holder_gone = {};
    std::chrono::seconds backoff_max = kDefaultBackoffMax;
    // Called on the running thread after every run that took place (not for lease refusals):
    // the composition root records metrics here. May be empty.
    std::function<void(const std::string& flow, const Result<RunSummary>& result)> on_run_finished =
        {};
};

// The delay before the next run, before jitter (see the timing rules above).
std::chrono::seconds failure_backoff(std::chrono::seconds every, int consecutive_failures,
                                     std::chrono::seconds backoff_max);

// The store setting that keeps a flow paused ("1") across restarts.
inline std::string paused_setting_key(const std::string& flow) { return "paused:" + flow; }

struct FlowStatus {
    std::string name;
    bool running = false;
    bool paused = false;
    bool triggered = false;
    int consecutive_failures = 0;
    std::int64_t runs = 0;
    SteadyTime next_due{};
    std::optional<UtcTime> last_started;
    std::optional<UtcTime> last_finished;
    std::optional<RunSummary> last_summary;
    std::optional<Error> last_error;
};

struct RunFlowOptions {
    bool dry_run = false;
    // RunContext::on_page of this run (progress on the terminal); may be empty.
    std::function<void(const RunSummary& so_far)> on_page = {};
};

class Scheduler {
  public:
    Scheduler(Clock& clock, store::StateStore& store, spdlog::logger& log,
              SchedulerOptions options);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Before run(). A flow name appears once.
    void add_flow(FlowSchedule schedule, std::unique_ptr<FlowRunner> runner);

    // False when no flow has this name.
    bool trigger(const std::string& flow);
    // See the timing rules. kNotFound for an unknown flow; kStorage when the setting cannot be
    // written (the flow is then left as it was). Pausing a paused flow is no error.
    Result<void> pause(const std::string& flow);
    Result<void> resume(const std::string& flow);
    void request_stop();
    bool stop_requested() const { return stop_.load(); }
    const std::atomic<bool>& stop_flag() const { return stop_; }

    // Starts every flow due at clock.steady_now() (or triggered), one after the other, on this
    // thread. Returns how many runs were started (lease refusals not counted).
    std::size_t run_due();
    // The earliest steady time at which some flow is due (now when one is triggered); nullopt
    // with no flows.
    std::optional<SteadyTime> next_wake() const;
    // Daemon loop: run_due(), wait with clock.sleep_until() until the next wake (at most
    // kIdleSliceMax at once), until request_stop(). Returns after the current run ends.
    void run();

    // One run now, outside the schedule (`mlc sync FLOW --once`), under the same lease and
    // no-overlap rules. kNotFound for an unknown flow; kConflict when it is running (here or in
    // another worker).
    Result<RunSummary> run_flow(const std::string& flow, RunFlowOptions options = {});

    // The runner of a flow, for replay (nullptr when unknown). Owned by the scheduler; a runner
    // replaced since stays alive until the scheduler ends, so a replay holding it finishes.
    FlowRunner* runner(const std::string& flow) const;
    // A reload (SIGHUP, a mapping changed in the console): the flow's next runs use `runner`.
    // Taken at once when the flow is not running, else when its run ends: a run never changes
    // runner halfway. May be called from any thread. kNotFound for an unknown flow.
    Result<void> replace_runner(const std::string& flow, std::unique_ptr<FlowRunner> runner);
    std::vector<FlowStatus> status() const;

  private:
    struct FlowState;

    FlowState* find(const std::string& flow) const;
    // Runs one flow under its lease, then updates its state and schedule. The caller has set
    // state.running. *lease_busy is set when another worker holds the flow.
    Result<RunSummary> execute(FlowState& state, const RunFlowOptions& options, bool* lease_busy);
    Result<RunSummary> run_under_lease(FlowState& state, const RunFlowOptions& options,
                                       UtcTime started, bool* lease_busy);
    void finish(FlowState& state, const Result<RunSummary>& result, UtcTime started, bool dry_run,
                bool lease_busy);
    void record_failure(const FlowState& state, const Error& error);
    // The setting "run:<flow>" (last_run.hpp), carrying the failure streak over.
    void record_last_run(const std::string& name, const Result<RunSummary>& result, UtcTime started,
                         UtcTime finished);
    Result<void> set_paused(const std::string& flow, bool paused);
    std::chrono::milliseconds draw_delay(std::chrono::seconds base, std::chrono::seconds jitter);

    Clock& clock_;
    store::StateStore& store_;
    spdlog::logger& log_;
    SchedulerOptions options_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;  // Guards flows_' mutable fields and rng_.
    std::vector<std::unique_ptr<FlowState>> flows_;
    std::vector<std::unique_ptr<FlowRunner>> retired_;  // Replaced runners (see runner()).
    std::mt19937_64 rng_;
};

}  // namespace mlc::engine

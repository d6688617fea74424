#pragma once
// FlowRunner: the interface every flow recipe implements, and what the engine hands it for one
// run. The scheduler (scheduler.hpp) decides *when* a flow runs and guarantees that one flow never
// runs twice at once; the runner decides *what* a run does (source stream -> resolve references
// -> target write), page by page, committing each page through StateStore::commit_page().
//
// Between pages a runner calls RunContext::checkpoint(): it renews the run's lease and returns
// false when the run must end now (a stop was requested, or the lease was lost to another worker).
// The page already committed stays committed; the next run resumes from the cursor.
//
// Lifecycle: a runner is built once per flow by its recipe factory (recipe_registry.hpp) and lives
// as long as the scheduler. Thread safety: the engine never calls one runner from two threads at
// once (run_once and replay of one flow are serialised by the flow's lease), so a runner needs no
// locking of its own. Ownership: the runner does not own anything in RunContext.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::engine {

struct RunSummary;

struct RunContext {
    Clock& clock;
    store::StateStore& store;
    spdlog::logger& log;
    const std::atomic<bool>& stop_requested;
    std::string flow;  // The flow's name from the config ("shipstation-orders").
    // Which run this is, on every log line the run writes about a record ("orders@2026-12-04T
    // 15:00:00Z", the flow and the run's start; the run's last line carries the same). Empty when
    // a test drives a runner directly.
    std::string run_id = {};
    bool dry_run = false;  // Read and map, but write nothing to targets or to the store.
    int attempt = 1;       // 1 for a scheduled run; replays count their own attempts.
    // Renews the run lease; false when the run must stop before its next page. Empty in tests
    // that drive a runner directly: then only stop_requested is consulted.
    std::function<bool()> renew;
    // Told after every committed page with the run's counts so far (`mlc sync --progress`).
    // Empty: nobody listens.
    std::function<void(const RunSummary& so_far)> on_page = {};

    // Call between pages. True: go on with the next page. False: return now (the summary so far
    // is the run's result; set more_pending if there was more to do).
    bool checkpoint() const {
        if (stop_requested.load()) return false;
        return renew ? renew() : true;
    }
};

// What one stream of a run did ("orders", "shipments"): counted apart in summaries.
struct StreamCounts {
    std::int64_t created = 0;
    std::int64_t updated = 0;  // Closed (cancelled) records count here too.
    std::int64_t skipped = 0;
    std::int64_t parked = 0;
    std::int64_t still_parked = 0;
    std::int64_t differ = 0;  // Refused by a target that keeps them locked: new differences.
    bool operator==(const StreamCounts&) const = default;
};

// What one run did, for the log, `mlc status` and metrics.
struct RunSummary {
    std::int64_t created = 0;
    std::int64_t updated = 0;
    std::int64_t skipped = 0;  // Unchanged since the last write (same content hash).
    std::int64_t parked = 0;   // Became dead letters; the run still counts as done ("partial").
    // Failed again exactly as their open letter says (same record, same error): not parked
    // again, not logged again; their letters wait for a fix and a replay.
    std::int64_t still_parked = 0;
    std::int64_t failed = 0;  // Could not be written nor parked.
    // Refused by a target that keeps them locked (a shipped order): recorded as differences
    // (store::Difference), neither parked nor retried.
    std::int64_t differ = 0;
    std::int64_t pages = 0;
    bool more_pending = false;  // The run stopped early (stop, page budget): run again soon.
    std::map<std::string, StreamCounts> streams = {};  // The counts above, per stream.
    // A dry run's plan, one line per record it would create, update, close or park (at most
    // kPlanLinesMax; `mlc sync --dry-run` prints it): "orders: create ShipStation order 1001".
    std::vector<std::string> planned = {};
    static constexpr std::size_t kPlanLinesMax = 500;

    // "orders: 3 created, 1 parked; shipments: 2 created" (streams with nothing done left out).
    std::string describe_streams() const;
};

class FlowRunner {
  public:
    virtual ~FlowRunner() = default;

    // One pass over the flow's sources, page by page, calling ctx.checkpoint() between pages.
    // An Error means the run as a whole failed (source unreachable, store down); records that
    // fail one by one are parked as dead letters and counted in the summary instead.
    virtual Result<RunSummary> run_once(RunContext& ctx) = 0;

    // Processes one parked record again (after a person fixed a mapping or the target). The
    // engine marks the dead letter replayed on success and records the new error on failure;
    // the runner writes only the target and the binding.
    virtual Result<void> replay(const store::DeadLetter& letter, RunContext& ctx) = 0;
};

}  // namespace mlc::engine

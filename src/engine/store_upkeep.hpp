#pragma once
// StoreUpkeep: the state store's care in the background of `mlc run`, once every `every`:
//
//  * audit events older than `store.retention.audit` (default 90 days) are retired into the
//    per-day summary (StateStore::retire_audit: counts per day, flow, action and outcome), in
//    batches of `batch_rows` so no transaction holds the writer long, at most
//    `batches_per_pass` a pass (the next pass goes on);
//  * then up to `reclaim_pages` free pages go back to the file system (StateStore::
//    reclaim_space: SQLite files made with incremental auto-vacuum; PostgreSQL's autovacuum
//    needs nothing from us).
//
// Settled webhook inbox rows have their own retention, in the intake's commit queue
// (store/inbox_commit_queue.hpp, `store.inbox_retention`).
//
// Lifecycle: start() runs passes on a thread of its own (periodic.hpp) until stop() (or
// destruction); the first pass one interval after start. Thread safety: pass() from one thread
// at a time (the loop's, or a test's). Borrows clock, store and logger.

#include <chrono>
#include <cstdint>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/periodic.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::engine {

struct StoreUpkeepOptions {
    std::chrono::seconds audit_retention{std::chrono::hours(90 * 24)};
    std::chrono::seconds every{std::chrono::hours(1)};
    std::size_t batch_rows = 10'000;
    int batches_per_pass = 20;
    std::int64_t reclaim_pages = 2'000;  // 8 MiB of 4 KiB pages a pass.
};

struct UpkeepPass {
    std::int64_t audit_retired = 0;
    std::int64_t pages_reclaimed = 0;
};

class StoreUpkeep {
  public:
    StoreUpkeep(Clock& clock, store::StateStore& store, spdlog::logger& log,
                StoreUpkeepOptions options);
    StoreUpkeep(const StoreUpkeep&) = delete;
    StoreUpkeep& operator=(const StoreUpkeep&) = delete;

    // One pass; what it did is logged when it did anything. A store error ends the pass (the
    // next one retries).
    Result<UpkeepPass> pass();

    void start() { periodic_.start(); }
    void stop() { periodic_.stop(); }  // Returns once the current pass ended.

  private:
    Clock& clock_;
    store::StateStore& store_;
    spdlog::logger& log_;
    StoreUpkeepOptions options_;
    Periodic periodic_;  // Last: its thread stops before the members it uses go.
};

}  // namespace mlc::engine

#pragma once
// What the pipeline's tests run a stream with: a manual clock, the SQLite store in memory, a
// silent logger, and the run context of flow "f". Test-only.

#include <atomic>
#include <memory>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "engine/flow_runner.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::pipeline::testing {

struct TestRun {
    ManualClock clock;
    std::unique_ptr<store::StateStore> store = store::SqliteStateStore::open(":memory:").value();
    std::shared_ptr<spdlog::logger> log =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    std::atomic<bool> stop{false};

    engine::RunContext context(bool dry_run = false, int attempt = 1) {
        return engine::RunContext{.clock = clock,
                                  .store = *store,
                                  .log = *log,
                                  .stop_requested = stop,
                                  .flow = "f",
                                  .dry_run = dry_run,
                                  .attempt = attempt,
                                  .renew = {}};
    }
};

}  // namespace mlc::pipeline::testing

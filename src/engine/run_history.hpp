#pragma once
// Run history: the last runs of a flow (newest first, at most kRunHistoryMax) with their counts
// and errors, kept in the store as the setting "runs:<flow>" (a JSON array). The daemon appends
// after every run (SchedulerOptions::on_run_finished, src/cli/daemon.cpp); the console shows it.
// last_run.hpp keeps the last run only (for `mlc status` and alerts).
// Several workers appending at the same moment may lose one entry (read, then write): it is a
// view for people, not a record (the audit trail is).
// Pure functions over the store; thread safe as the store is.

#include <cstddef>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/flow_runner.hpp"
#include "store/state_store.hpp"

namespace mlc::engine {

inline constexpr std::size_t kRunHistoryMax = 20;

struct RunRecord {
    UtcTime finished{};
    std::string outcome;  // "ok", "partial" (records parked or failed), "cancelled", or the code
    RunSummary summary{};
    std::string error{};  // Error::describe(), shortened; empty on success
};

std::string run_history_setting_key(const std::string& flow);  // "runs:<flow>"

// Puts the run in front of the flow's history, keeping kRunHistoryMax.
Result<void> append_run_history(store::StateStore& store, const std::string& flow, UtcTime finished,
                                const Result<RunSummary>& result);
// Newest first; empty when the flow has not run (or its setting is unreadable).
Result<std::vector<RunRecord>> read_run_history(store::StateStore& store, const std::string& flow);

}  // namespace mlc::engine

#pragma once
// LastRun: what the last run of a flow did, kept in the store as the setting "run:<flow>" (JSON)
// so that `mlc status` in another process can show it. Value type; pure functions.

#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/flow_runner.hpp"

namespace boost::json {
class object;
}

namespace mlc::engine {

// A run's counts as JSON members (created, updated, skipped, parked, failed) and back: the one
// shape of last-run records, the run history and the console's answers. Absent members read 0.
void put_counts(boost::json::object& out, const RunSummary& summary);
RunSummary counts_from(const boost::json::object& in);

struct LastRun {
    UtcTime started{};
    UtcTime finished{};
    std::string outcome;  // "ok", "partial" (records parked), or the error code ("kTransient")
    RunSummary summary{};
    std::string error{};  // Error::describe(), shortened; empty on success
    // Carried from run to run (carry_over()): when the current streak of failed runs began
    // (nullopt after a run that did not fail), and when the last run that did not fail finished.
    std::optional<UtcTime> failing_since = {};
    std::optional<UtcTime> last_ok = {};

    bool failed() const { return outcome != "ok" && outcome != "partial"; }
};

// `next` with failing_since and last_ok filled from `previous` (the record it replaces, if any):
// a failed run keeps the streak's start (or starts one), a run that did not fail ends it.
LastRun carry_over(LastRun next, const std::optional<LastRun>& previous);

std::string last_run_setting_key(const std::string& flow);  // "run:<flow>"
std::string to_json(const LastRun& run);
Result<LastRun> parse_last_run(const std::string& json);

}  // namespace mlc::engine

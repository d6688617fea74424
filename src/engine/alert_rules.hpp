#pragma once
// AlertRules: the alerts the daemon raises about its own flows, evaluated on the clock (every
// `alerts.check_every`, config.hpp) from what the store already holds. Each rule has one dedupe
// key per flow; while its condition holds the alert is raised once and then updated (message,
// count, last_seen: store/state_store.hpp), and it is resolved (resolve_alert) when it ends:
//
//  * "flow_failing:<flow>": every run since `failing_since` (the last-run record, last_run.hpp)
//    failed, for at least `flow_failing_after`. Severity error.
//  * "flow_lagging:<flow>": a scheduled flow had no good run (ok or partial) for
//    `flow_lagging_intervals` x its interval (counted from the evaluator's start at the earliest,
//    so time the daemon was down is no lag), while it is not failing (that alert says it already)
//    nor paused (Scheduler::pause(), the setting "paused:<flow>"): a run that hangs, a lease held
//    elsewhere. Severity warning.
//  * "dead_letters:<flow>": more than `dead_letters_max` open dead letters. Severity warning.
//
// An acknowledged alert whose condition still holds is left as it is (a person has seen it) and
// resolved when the condition ends; the next occurrence is a new alert. Notifications are the
// dispatcher's (alert_notifier.hpp), which reads the store: rules never send anything.
//
// Lifecycle: one per daemon, built with the flows it watches. Thread safety: evaluate() from one
// thread at a time. Borrows clock, store and logger.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::engine {

struct WatchedFlow {
    std::string name = {};
    std::optional<std::chrono::seconds> every = {};  // None: not scheduled (no lag rule).
};

struct AlertEvaluation {
    int raised = 0;    // New alerts.
    int updated = 0;   // Open alerts raised again.
    int resolved = 0;  // Alerts whose condition ended.
};

// "flow_failing:orders"; the other rules' keys alike.
std::string flow_failing_key(const std::string& flow);
std::string flow_lagging_key(const std::string& flow);
std::string dead_letters_key(const std::string& flow);

// "45s", "18m", "2h 5m", "3d 4h".
std::string describe_span(std::chrono::seconds span);

class AlertRules {
  public:
    AlertRules(Clock& clock, store::StateStore& store, spdlog::logger& log, AlertsConfig config,
               std::vector<WatchedFlow> flows);

    // One pass over every flow and rule. A store error stops the pass (the next one retries).
    Result<AlertEvaluation> evaluate();

  private:
    struct Finding;
    Result<void> evaluate_flow(const WatchedFlow& flow, AlertEvaluation& out);
    Result<void> apply(const std::string& key, const std::string& flow,
                       const std::optional<Finding>& finding, AlertEvaluation& out);

    Clock& clock_;
    store::StateStore& store_;
    spdlog::logger& log_;
    AlertsConfig config_;
    std::vector<WatchedFlow> flows_;
    UtcTime started_;
    std::vector<store::Alert> current_;  // Open and acknowledged alerts at the start of a pass.
};

}  // namespace mlc::engine

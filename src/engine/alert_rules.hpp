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
//  * "connection_failing:<flow>": the flow's connections, checked every
//    `connection_check_every` (the first pass checks at once) with WatchedFlow::check_connections
//    (the daemon's: the connection part of `mlc ping`, flows/connections/ping.hpp), answered a
//    problem. Not checked while the flow is paused (the alert, if any, stays as it was). Severity
//    error.
//  * "webhook_silent:<flow>": a flow with `webhook_silent_after` received no webhook delivery
//    (WebhookActivity, fed by the daemon's intake) for that long, counted from the evaluator's
//    start at the earliest; not while paused. The next delivery clears it. Severity warning.
//  * "secret_expiring:<name>": a vault secret with an expiry (`mlc secret set NAME --expires`,
//    auth/vault.hpp) ends within `secrets_expire_within` (or has ended). Setting the secret again
//    (a new value, a new date) clears it. Severity warning (error once expired). No flow.
//
// An acknowledged alert whose condition still holds is left as it is (a person has seen it) and
// resolved when the condition ends; the next occurrence is a new alert. Notifications are the
// dispatcher's (alert_notifier.hpp), which reads the store: rules never send anything.
//
// Lifecycle: one per daemon, built with the flows it watches. Thread safety: evaluate() from one
// thread at a time. Borrows clock, store and logger.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
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

namespace mlc::auth {
class Vault;
}

namespace mlc::engine {

// What is wrong with a flow's connections, one line naming the connection, the check and the fix;
// nullopt when every check passed.
using ConnectionCheck = std::function<std::optional<std::string>()>;

struct WatchedFlow {
    std::string name = {};
    std::optional<std::chrono::seconds> every = {};  // None: not scheduled (no lag rule).
    ConnectionCheck check_connections = {};          // Empty: no connection rule.
    // The flow option `webhook_silent_after`; none: no silence rule.
    std::optional<std::chrono::seconds> webhook_silent_after = {};
};

// The flow option that enables the "webhook_silent" rule, as a duration (off when absent or 0);
// a value that is not a duration is kConfig naming the flow (config check says it first).
inline constexpr const char* kWebhookSilentAfterOption = "webhook_silent_after";
Result<std::optional<std::chrono::seconds>> webhook_silent_after(const FlowConfig& flow);

// When each flow last received a webhook delivery in this process (the daemon's intake notes
// every stored one). Thread safe: delivered() from the server's threads, last() from the rules.
class WebhookActivity {
  public:
    void delivered(const std::string& flow, UtcTime at);
    std::optional<UtcTime> last(const std::string& flow) const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, UtcTime> last_;
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
std::string connection_failing_key(const std::string& flow);
std::string webhook_silent_key(const std::string& flow);
std::string secret_expiring_key(const std::string& secret);

// "45s", "18m", "2h 5m", "3d 4h".
std::string describe_span(std::chrono::seconds span);

class AlertRules {
  public:
    AlertRules(Clock& clock, store::StateStore& store, spdlog::logger& log, AlertsConfig config,
               std::vector<WatchedFlow> flows);

    // The secrets whose expiry to watch (none: no secret rule) and the deliveries to time the
    // silence rule on (none: the rule sees no delivery). Both borrowed; set before evaluate().
    void watch_secrets(const auth::Vault* vault) { vault_ = vault; }
    void watch_webhooks(const WebhookActivity* activity) { webhooks_ = activity; }

    // One pass over every flow and rule. A store error stops the pass (the next one retries).
    Result<AlertEvaluation> evaluate();

  private:
    struct Finding;
    Result<void> evaluate_flow(const WatchedFlow& flow, AlertEvaluation& out);
    Result<void> evaluate_connections(const WatchedFlow& flow, bool paused, AlertEvaluation& out);
    Result<void> evaluate_silence(const WatchedFlow& flow, bool paused, AlertEvaluation& out);
    Result<void> evaluate_secrets(AlertEvaluation& out);
    Result<void> apply(const std::string& key, const std::string& flow,
                       const std::optional<Finding>& finding, AlertEvaluation& out);

    Clock& clock_;
    store::StateStore& store_;
    spdlog::logger& log_;
    AlertsConfig config_;
    std::vector<WatchedFlow> flows_;
    UtcTime started_;
    std::vector<store::Alert> current_;  // Open and acknowledged alerts at the start of a pass.
    const auth::Vault* vault_ = nullptr;
    const WebhookActivity* webhooks_ = nullptr;
    std::map<std::string, UtcTime> connections_checked_;  // Flow -> its last connection check.
};

}  // namespace mlc::engine

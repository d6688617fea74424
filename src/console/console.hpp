#pragma once
// Console: the operator's web console, served by the daemon (`mlc run`, `mlc demo`) beside
// /healthz and /metrics. One static page (GET /) over a small JSON API, so operations and
// finance staff see every flow and every failure and fix it themselves, without a shell, behind
// a login (console/auth.hpp: users, sessions, CSRF, roles, lockout):
//
//   POST /api/login                    {"user", "password"} -> session cookie and CSRF token
//   POST /api/logout                   ends the session
//   GET  /api/session                  who is logged in, their role and CSRF token
//   GET  /api/overview                 flows (schedule, last run and its counts, last error,
//                                      open dead letters), open alerts
//   GET  /api/deadletters?flow=&status=open|replayed|resolved&limit=
//   POST /api/deadletters/{id}/replay  replays one parked record (engine/dead_letter_replayer.hpp,
//                                      under the flow's lease: never beside a run of that flow)
//   POST /api/deadletters/{id}/resolve {"reason"} closes an open letter without replaying it
//   GET  /api/deadletters/groups?flow= open letters grouped by (flow, cause): the cause is the
//                                      error's code, system and message without the record
//                                      (engine/dead_letter_cause.hpp), so one unknown SKU across
//                                      40 orders is one group; each with its count, first and last
//                                      seen, letter ids, a sample record as the vendor sent it
//                                      and `unresolved` {table, value}: the mapping the cause
//                                      names (null when it names none)
//   POST /api/deadletters/groups/replay  {"flow", "cause"} replays every letter of the group
//   POST /api/deadletters/groups/resolve {"flow", "cause", "reason"} resolves every letter of it
//   POST /api/deadletters/replay-all   {"flow"} or {} (every flow): every open letter after a
//                                      fix, as `mlc deadletters replay --all` (its summary)
//   POST /api/mappings                 {"flow", "table", "from", "to"}: the fix in place (an
//                                      unknown SKU, customer, GL account) stored where the flows
//                                      read it, then the daemon reloads and replays what waited
//   POST /api/flows/{name}/pause|resume  the scheduler's pause (kept across restarts)
//   POST /api/flows/{name}/run         runs the flow soon (Scheduler::trigger); 409 when paused
//   GET  /api/flows/{name}/runs        the flow's last runs, newest first (engine/run_history.hpp)
//   GET  /api/activity?hours=24        per flow, records moved (audit create/update) and parked
//                                      per hour over the last `hours` (1..168), oldest first;
//                                      the page draws them as SVG bars
//   GET  /api/audit?flow=&key=&limit=  the audit trail of a record (its source or target key)
//   GET  /api/trail?key=               a record's whole path across systems, oldest step first,
//                                      found by any key a person has (console/trail.hpp)
//   GET  /api/events                   Server-Sent Events: "ready" once, then "change"
//                                      {"what": flows|runs|deadletters|alerts} whenever what the
//                                      page shows changed (console/live_events.hpp); the server
//                                      must serve the router's stream_handler()
//   GET  /api/connections              per flow: its connections (system, role, the stored
//                                      token's expiry, the configured rate, the budget spent now:
//                                      ConsoleDeps::rate_use) and its cursors with
//                                      how far behind they are (a cursor that is a time)
//   POST /api/connections/{name}/ping  the checks of `mlc ping <name>` (ConsoleDeps::ping),
//                                      audited with the user
//   GET  /api/alerts                   every alert, newest first
//   POST /api/alerts/{id}/ack          acknowledges one alert
//
// Every /api/ path but /api/login answers 401 without a session (with how to create the first
// user while there is none); writes (POST) need the session's CSRF token (X-MLC-CSRF) and a
// same-origin request, and an operator or admin (403 otherwise). Each write is an audit event of
// flow "console" naming the user.
// Errors answer {"error": "..."} with 400 (bad input), 401 (no session), 403 (refused), 404
// (unknown id), 409 (conflict: the flow is running, the letter is not open), 429 (login locked),
// 500 (store trouble).
//
// A fix made from a group (map the unknown SKU, then replay the group) belongs beside
// groups/replay: the group already names its flow, code, system and message.
//
// Lifecycle: construct after the scheduler, mount() on the daemon's router before serving.
// Thread safety: handlers may run on several server threads; the store, the scheduler's status(),
// the replayer and Auth are thread safe. Ownership: borrows everything in ConsoleDeps.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "connectors/ping.hpp"
#include "console/auth.hpp"
#include "console/live_events.hpp"
#include "engine/config.hpp"
#include "engine/dead_letter_replayer.hpp"
#include "engine/recipe_registry.hpp"
#include "engine/scheduler.hpp"
#include "net/http_types.hpp"
#include "net/rate_limiter.hpp"
#include "net/router.hpp"
#include "store/state_store.hpp"

namespace mlc::console {

inline constexpr std::size_t kListLimitDefault = 100;
inline constexpr std::size_t kListLimitMax = 1000;      // Rows one API call returns at most.
inline constexpr std::size_t kGroupLettersMax = 10000;  // Open letters read to group them.
inline constexpr std::size_t kBodyMax = 16 * 1024;      // Bytes of a JSON request body.
inline constexpr std::size_t kReasonMax = 500;          // Characters of a resolve reason.
// Audit events read per flow for the activity chart; past it the answer says "truncated" (the
// oldest hours then count too few).
inline constexpr std::size_t kActivityEventsMax = 50000;
inline constexpr int kActivityHoursMax = 168;

enum class FlowAction { kPause, kResume, kRun };

struct ConsoleDeps {
    Clock& clock;
    store::StateStore& store;
    engine::Scheduler& scheduler;
    engine::DeadLetterReplayer& replayer;
    const engine::Config& config;
    const std::atomic<bool>& stop;  // Ends a replay early when the daemon stops.
    AuthOptions auth = {};
    // A mapping fixed from an error (POST /api/mappings): the recipes judge the table, and the
    // daemon's reload (cli/flow_reload.hpp) applies it and replays the records that waited for
    // it. Null / empty: the mapping is stored and applies at the next reload or restart.
    const engine::RecipeRegistry* registry = nullptr;
    std::function<Result<std::string>(std::string_view why)> reload = {};
    // Where changes are published to the page's event streams; null: the console's own (then
    // only the console's writes are pushed).
    LiveEvents* live = nullptr;
    // The checks `mlc ping <connection>` runs (flows/connections/ping.hpp, with the daemon's
    // limiters and token cache). Empty: a ping from the page answers 501.
    std::function<connectors::PingReport(const engine::ConnectionConfig&)> ping = {};
    // How much of a connection's request budget this worker has spent now (the daemon's
    // limiters, net::RateLimiter::use). Empty, or nullopt for a connection: not shown.
    std::function<std::optional<net::RateLimiter::Use>(const std::string& connection)> rate_use =
        {};
};

// Cursor streams the console shows (the recipes name their streams after the record kind; the
// same list as `mlc status`).
inline constexpr const char* kCursorStreams[] = {"orders",    "shipments", "tracking",   "parts",
                                                 "customers", "refunds",   "settlements"};

class Console {
  public:
    explicit Console(ConsoleDeps deps);

    // GET /, GET /api/..., POST /api/... on `router`; this console must outlive the router's use.
    void mount(net::Router& router);

    // The event streams' hub (GET /api/events): the daemon publishes runs and alerts here.
    LiveEvents& live() { return live_; }

    net::HttpResponse page() const;
    net::HttpResponse overview() const;
    net::HttpResponse dead_letters(const net::HttpRequest& request) const;
    net::HttpResponse replay(const Caller& caller, const std::string& id);
    net::HttpResponse resolve(const Caller& caller, const std::string& id,
                              const net::HttpRequest& request);
    net::HttpResponse dead_letter_groups(const net::HttpRequest& request) const;
    net::HttpResponse replay_group(const Caller& caller, const net::HttpRequest& request);
    net::HttpResponse replay_all(const Caller& caller, const net::HttpRequest& request);
    net::HttpResponse resolve_group(const Caller& caller, const net::HttpRequest& request);
    net::HttpResponse flow_action(const Caller& caller, const std::string& flow, FlowAction action);
    // {"flow", "table", "from", "to"}: stores the mapping where the flows read it
    // (engine/stored_mappings.hpp), audited with the user's name, then reloads (which replays
    // the flow's records parked for want of a mapping); answers what the reload did and how
    // many letters of that cause are still open.
    net::HttpResponse map_fix(const Caller& caller, const net::HttpRequest& request);
    net::HttpResponse activity(const net::HttpRequest& request) const;
    net::HttpResponse runs(const std::string& flow) const;
    net::HttpResponse audit(const net::HttpRequest& request) const;
    net::HttpResponse trail(const net::HttpRequest& request) const;
    net::HttpResponse connections() const;
    net::HttpResponse ping(const Caller& caller, const std::string& connection);
    net::HttpResponse alerts() const;
    net::HttpResponse acknowledge(const Caller& caller, const std::string& id);

  private:
    // A route handler that needs a session with `need`: handler(request, params, caller), or the
    // refusal (401, 403).
    template <typename Handler>
    net::RouteHandler guarded(Need need, Handler handler);
    // Error groups, resolve, flow actions, activity and run history.
    void mount_errors_and_flows(net::Router& router);
    // Marks an open letter resolved, audited with the user and the reason.
    Result<void> close_letter(const Caller& caller, const store::DeadLetter& letter,
                              const std::string& reason);
    // Scheduler::trigger, refused (kConflict) while the flow is paused.
    Result<void> run_now(const std::string& flow);

    ConsoleDeps deps_;
    Auth auth_;
    LiveEvents own_live_;
    LiveEvents& live_;
};

}  // namespace mlc::console

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
//   GET  /api/audit?flow=&key=&limit=  the audit trail of a record (its source or target key)
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
// Lifecycle: construct after the scheduler, mount() on the daemon's router before serving.
// Thread safety: handlers may run on several server threads; the store, the scheduler's status(),
// the replayer and Auth are thread safe. Ownership: borrows everything in ConsoleDeps.

#include <atomic>
#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "console/auth.hpp"
#include "engine/config.hpp"
#include "engine/dead_letter_replayer.hpp"
#include "engine/scheduler.hpp"
#include "net/http_types.hpp"
#include "net/router.hpp"
#include "store/state_store.hpp"

namespace mlc::console {

inline constexpr std::size_t kListLimitDefault = 100;
inline constexpr std::size_t kListLimitMax = 1000;  // Rows one API call returns at most.

struct ConsoleDeps {
    Clock& clock;
    store::StateStore& store;
    engine::Scheduler& scheduler;
    engine::DeadLetterReplayer& replayer;
    const engine::Config& config;
    const std::atomic<bool>& stop;  // Ends a replay early when the daemon stops.
    AuthOptions auth = {};
};

class Console {
  public:
    explicit Console(ConsoleDeps deps);

    // GET /, GET /api/..., POST /api/... on `router`; this console must outlive the router's use.
    void mount(net::Router& router);

    net::HttpResponse page() const;
    net::HttpResponse overview() const;
    net::HttpResponse dead_letters(const net::HttpRequest& request) const;
    net::HttpResponse replay(const Caller& caller, const std::string& id);
    net::HttpResponse audit(const net::HttpRequest& request) const;
    net::HttpResponse alerts() const;
    net::HttpResponse acknowledge(const Caller& caller, const std::string& id);

  private:
    ConsoleDeps deps_;
    Auth auth_;
};

}  // namespace mlc::console

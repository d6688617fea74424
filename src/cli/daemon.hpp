#pragma once
// The daemon shared by `mlc run` and `mlc demo`: every enabled flow on its schedule, and one HTTP
// server carrying the web console (GET /, /api/..., console/console.hpp), /healthz, /metrics and
// the webhook intake (POST /hooks/{flow}/{source},
// net/webhook_intake.hpp). A verified delivery is stored in the inbox and wakes its flow at once
// (Scheduler::trigger); the flow reads the inbox on that run. Webhook secrets are the vault's
// "webhook.<flow>.<source>" (engine/webhooks.hpp), written by the flow that registers the hook.
//
// Start-up order: store and vault, scheduler, server (so the port is known), then the flows are
// built with Dependencies::public_base_url = server.public_url or the listening address, so a flow
// registering webhooks can name its own URL even on port 0. A delivery that arrives before its
// flow is scheduled is kept in the inbox and read by the flow's first run.
//
// Lifecycle: one call per process; returns the exit code once SIGINT/SIGTERM (or the companion)
// stopped the scheduler and the current page was committed.
// Thread safety: the companion runs on a thread of its own and may call the scheduler's
// thread-safe members (trigger, request_stop, status) and the store.

#include <atomic>
#include <functional>
#include <string>

#include "cli/cli_context.hpp"
#include "engine/config.hpp"
#include "engine/scheduler.hpp"
#include "net/metrics.hpp"
#include "store/state_store.hpp"

namespace mlc::cli {

struct DaemonView {
    std::string base_url;  // Where this server listens, "http://127.0.0.1:8787".
    engine::Scheduler& scheduler;
    store::StateStore& store;
    net::Metrics& metrics;
    const engine::Config& config;
};

struct DaemonHooks {
    // Runs on its own thread once the server listens and every flow is scheduled; must return
    // soon after `stop` becomes true. May end the daemon with view.scheduler.request_stop().
    std::function<void(const DaemonView& view, const std::atomic<bool>& stop)> companion = {};
};

// Runs the daemon on `config` (loaded by the caller; the logger is initialised from it here).
int run_daemon(CliContext& ctx, const engine::Config& config, const DaemonHooks& hooks = {});

}  // namespace mlc::cli

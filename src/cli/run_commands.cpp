// `mlc run` (the daemon: scheduler for every enabled flow + HTTP server with /healthz and
// /metrics) and `mlc sync FLOW --once` (one run now, in the foreground).
#include <signal.h>

#include <iostream>
#include <random>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/flow_setup.hpp"
#include "cli/signal_watcher.hpp"
#include "common/assert.hpp"
#include "engine/flow_lease.hpp"
#include "engine/scheduler.hpp"
#include "net/http_server.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"

namespace mlc::cli {

namespace {

// What run and sync both open: config, logger, store, vault (optional), recipe registry.
struct Runtime {
    engine::Config config;
    std::unique_ptr<store::StateStore> store;
    std::unique_ptr<auth::SodiumVault> vault;
    engine::RecipeRegistry registry;
};

Result<Runtime> open_runtime(CliContext& ctx) {
    Runtime rt;
    MLC_TRY(rt.config, ctx.load_config());
    MLC_CHECK(ctx.init_logger(&rt.config));
    MLC_TRY(rt.store, ctx.open_store(rt.config));
    auto vault = ctx.open_vault();
    if (vault) {
        auto names = (*vault)->list();
        if (names) MLC_CHECK(engine::validate_secrets(rt.config, *names));
        rt.vault = std::move(*vault);
    } else {
        // Flows without secrets (heartbeat) still run; connectors report the missing vault.
        ctx.log().warn("no vault: {}", vault.error().describe());
    }
    rt.registry = make_recipe_registry();
    return rt;
}

int fail(const Error& error) {
    print_error(error);
    return exit_code_for(error);
}

net::HttpResponse serve(const net::HttpRequest& request, const net::Metrics& metrics) {
    const std::string path = net::url_path(request.url);
    if (path == "/healthz") return net::json_response(200, R"({"status":"ok"})");
    if (path == "/metrics") {
        net::HttpResponse response;
        response.headers.emplace_back("Content-Type", "text/plain; version=0.0.4");
        response.body = metrics.render_prometheus();
        return response;
    }
    return net::json_response(404, R"({"error":"not found"})");
}

// The open dead letters gauge counts at most this many per flow (a list, not a COUNT, in the
// store's interface); past it the gauge reads the bound, which is alarm enough.
constexpr std::size_t kOpenDeadLettersCountedMax = 10'000;

// Open dead letters of `flow` as a gauge, so an alert rule sees what `mlc deadletters list` shows.
void record_open_dead_letters(net::Metrics& metrics, store::StateStore& store,
                              const std::string& flow) {
    auto open =
        store.list_dead_letters(flow, store::DeadLetterStatus::kOpen, kOpenDeadLettersCountedMax);
    if (!open) return;  // The run's own error path reports store trouble; a gauge may lag.
    metrics.set_gauge(net::kDeadLettersOpen, {{"flow", flow}}, static_cast<double>(open->size()));
}

// Records per flow and outcome (net/metrics.hpp: mlc_records_moved_total{flow,outcome}), records
// parked as dead letters (mlc_dead_letters_total{flow}).
void record_run(net::Metrics& metrics, const std::string& flow,
                const Result<engine::RunSummary>& result) {
    if (!result) {
        metrics.increment("mlc_flow_runs_failed_total", {{"flow", flow}});
        return;
    }
    const std::pair<const char*, std::int64_t> counts[] = {{"created", result->created},
                                                           {"updated", result->updated},
                                                           {"skipped", result->skipped},
                                                           {"parked", result->parked},
                                                           {"failed", result->failed}};
    for (const auto& [outcome, count] : counts) {
        if (count <= 0) continue;
        metrics.increment(net::kRecordsMovedTotal, {{"flow", flow}, {"outcome", outcome}},
                          static_cast<std::uint64_t>(count));
    }
    if (result->parked > 0) {
        metrics.increment(net::kDeadLettersTotal, {{"flow", flow}},
                          static_cast<std::uint64_t>(result->parked));
    }
}

int run_daemon(CliContext& ctx) {
    auto rt = open_runtime(ctx);
    if (!rt) return fail(rt.error());
    engine::Dependencies deps{.clock = ctx.clock(), .store = *rt->store};
    deps.config = &rt->config;
    deps.vault = rt->vault.get();
    net::RateLimiterRegistry limiters;  // Shared by every flow: one budget per connection.
    deps.limiters = &limiters;
    net::Metrics metrics;  // Before the flows: their clients record outbound traffic here.
    deps.metrics = &metrics;
    auto flows = build_flows(rt->config, rt->registry, deps, {});
    if (!flows) return fail(flows.error());

    engine::SchedulerOptions scheduler_options;
    scheduler_options.owner = ctx.worker_id();
    scheduler_options.seed = std::random_device{}();
    store::StateStore& store = *rt->store;
    scheduler_options.on_run_finished =
        [&metrics, &store](const std::string& flow, const Result<engine::RunSummary>& result) {
            record_run(metrics, flow, result);
            record_open_dead_letters(metrics, store, flow);
        };
    engine::Scheduler scheduler(ctx.clock(), *rt->store, ctx.log(), scheduler_options);
    std::size_t scheduled = 0;
    for (auto& flow : *flows) {
        // Every flow's gauge exists from the start (0 is news too); runs keep it current.
        record_open_dead_letters(metrics, *rt->store, flow.config->name);
        if (!flow.config->schedule) continue;  // Event- or hand-driven only.
        scheduler.add_flow({.name = flow.config->name,
                            .every = flow.config->schedule->every,
                            .jitter = flow.config->schedule->jitter},
                           std::move(flow.runner));
        ++scheduled;
    }

    SignalWatcher signals;  // Before any thread starts, so they all inherit the blocked mask.
    signals.start([&scheduler, &ctx](int signal) {
        ctx.log().info("received {}: finishing the current page, then stopping",
                       signal == SIGINT ? "SIGINT" : "SIGTERM");
        scheduler.request_stop();
    });

    net::HttpServer server(
        {.address = rt->config.server.address, .port = rt->config.server.port, .name = "mlc"},
        [&metrics](const net::HttpRequest& request) { return serve(request, metrics); },
        ctx.log_ptr());
    if (auto started = server.start(); !started) {
        signals.stop();
        return fail(started.error());
    }
    ctx.log().info("mlc listening on {} (/healthz, /metrics); {} scheduled flow(s)",
                   server.base_url(), scheduled);
    scheduler.run();
    server.stop();
    signals.stop();
    ctx.log().info("mlc stopped");
    return signals.received() == SIGINT ? kExitInterrupted : kExitOk;
}

int run_sync(CliContext& ctx, const std::string& flow_name, bool once, bool dry_run) {
    if (!once) {
        std::cerr << "mlc: sync needs --once (the schedule is `mlc run`)\n";
        return kExitUsage;
    }
    auto rt = open_runtime(ctx);
    if (!rt) return fail(rt.error());
    if (!rt->config.flows.contains(flow_name)) {
        std::cerr << "mlc: no flow named '" << flow_name << "' in " << rt->config.file << "\n";
        return kExitUsage;
    }
    engine::Dependencies deps{.clock = ctx.clock(), .store = *rt->store};
    deps.config = &rt->config;
    deps.vault = rt->vault.get();
    net::RateLimiterRegistry limiters;
    deps.limiters = &limiters;
    auto flows =
        build_flows(rt->config, rt->registry, deps, {.include_disabled = true, .only = flow_name});
    if (!flows) return fail(flows.error());
    MLC_ASSERT(flows->size() == 1, "the flow exists");
    engine::Scheduler scheduler(ctx.clock(), *rt->store, ctx.log(),
                                {.owner = ctx.worker_id(),
                                 .seed = 1,
                                 .lease_ttl = engine::kFlowLeaseTtl,
                                 .backoff_max = engine::kDefaultBackoffMax});
    scheduler.add_flow({.name = flow_name, .every = std::chrono::seconds(300), .jitter = {}},
                       std::move(flows->front().runner));
    SignalWatcher signals;
    signals.start([&scheduler](int) { scheduler.request_stop(); });
    auto summary = scheduler.run_flow(flow_name, {.dry_run = dry_run});
    signals.stop();
    if (!summary) return fail(summary.error());
    std::cout << "flow " << flow_name << (dry_run ? " (dry run)" : "") << ": created "
              << summary->created << ", updated " << summary->updated << ", skipped "
              << summary->skipped << ", parked " << summary->parked << ", failed "
              << summary->failed << ", pages " << summary->pages
              << (summary->more_pending ? ", more pending" : "") << "\n";
    if (signals.received() != 0) return kExitInterrupted;
    if (summary->failed > 0) return kExitFailure;
    if (summary->parked > 0) return kExitPartial;
    return kExitOk;
}

}  // namespace

void add_run_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* run = app.add_subcommand(
        "run",
        "Run the daemon: every enabled flow on its schedule, plus the HTTP server "
        "(/healthz, /metrics); SIGINT/SIGTERM stop it gracefully");
    run->callback([&ctx, &exit_code] { exit_code = run_daemon(ctx); });

    struct SyncOptions {
        std::string flow;
        bool once = false;
        bool dry_run = false;
    };
    auto options = std::make_shared<SyncOptions>();
    auto* sync = app.add_subcommand("sync", "Run one flow now, in the foreground");
    sync->add_option("FLOW", options->flow, "Flow name from the config")->required();
    sync->add_flag("--once", options->once, "Run once and exit (required)");
    sync->add_flag("--dry-run", options->dry_run, "Read and map, but write nothing");
    sync->callback([&ctx, &exit_code, options] {
        exit_code = run_sync(ctx, options->flow, options->once, options->dry_run);
    });
}

}  // namespace mlc::cli

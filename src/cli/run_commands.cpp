// `mlc run` (the daemon: scheduler for every enabled flow + HTTP server with /healthz and
// /metrics) and `mlc sync FLOW --once` (one run now, in the foreground).
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <random>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/daemon.hpp"
#include "cli/flow_setup.hpp"
#include "cli/signal_watcher.hpp"
#include "common/assert.hpp"
#include "engine/flow_lease.hpp"
#include "engine/scheduler.hpp"
#include "net/curl_transport.hpp"
#include "net/rate_limiter.hpp"
#include "net/tracing_transport.hpp"

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

int run_daemon_command(CliContext& ctx) {
    auto config = ctx.load_config();
    if (!config) return fail(config.error());
    return run_daemon(ctx, *config);
}

// `mlc sync --progress` (the default on a terminal): after every committed page, the pages, the
// records so far and the rate, on stderr: rewritten in place on a terminal, one line a page
// otherwise (a log file). Vendors give no total for an incremental read, so there is no ETA.
class ProgressLine {
  public:
    ProgressLine(Clock& clock, std::string flow, bool wanted)
        : clock_(clock),
          flow_(std::move(flow)),
          wanted_(wanted),
          terminal_(::isatty(STDERR_FILENO) == 1),
          started_(clock.steady_now()) {}

    void page(const engine::RunSummary& s) {
        if (!wanted_) return;
        const std::int64_t records =
            s.created + s.updated + s.skipped + s.parked + s.still_parked + s.failed;
        const double seconds =
            std::chrono::duration<double>(clock_.steady_now() - started_).count();
        const std::string line = fmt::format(
            "{}: {} page(s), {} record(s): created {}, updated {}, skipped {}, parked {}; {:.0f}/s",
            flow_, s.pages, records, s.created, s.updated, s.skipped, s.parked + s.still_parked,
            seconds > 0 ? static_cast<double>(records) / seconds : 0.0);
        std::cerr << (terminal_ ? "\r\033[K" : "") << line << (terminal_ ? "" : "\n") << std::flush;
        drawn_ = true;
    }
    void done() {
        if (drawn_ && terminal_) std::cerr << "\n";
    }

  private:
    Clock& clock_;
    std::string flow_;
    bool wanted_;
    bool terminal_;
    SteadyTime started_;
    bool drawn_ = false;
};

int run_sync(CliContext& ctx, const std::string& flow_name, bool once, bool dry_run,
             bool progress_wanted) {
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
    // `log.level: debug`: one trace line per request (net/tracing_transport.hpp).
    net::CurlTransport curl;
    net::TracingTransport traced(curl, ctx.clock(), ctx.log_ptr());
    if (ctx.log().should_log(spdlog::level::debug)) deps.transport = &traced;
    auto flows =
        build_flows(rt->config, rt->registry, deps, {.include_disabled = true, .only = flow_name});
    if (!flows) return fail(flows.error());
    MLC_ASSERT(flows->size() == 1, "the flow exists");
    engine::Scheduler scheduler(ctx.clock(), *rt->store, ctx.log(),
                                {.owner = ctx.worker_id(),
                                 .seed = 1,
                                 .lease_ttl = engine::kFlowLeaseTtl,
                                 .lease_holder_gone = ctx.worker_gone(),
                                 .backoff_max = engine::kDefaultBackoffMax});
    scheduler.add_flow({.name = flow_name, .every = std::chrono::seconds(300), .jitter = {}},
                       std::move(flows->front().runner));
    SignalWatcher signals;
    signals.start([&scheduler](int) { scheduler.request_stop(); });
    ProgressLine progress(ctx.clock(), flow_name, progress_wanted);
    auto summary = scheduler.run_flow(
        flow_name, {.dry_run = dry_run, .on_page = [&progress](const engine::RunSummary& so_far) {
                        progress.page(so_far);
                    }});
    progress.done();
    signals.stop();
    if (!summary) return fail(summary.error());
    std::cout << "flow " << flow_name << (dry_run ? " (dry run)" : "") << ": created "
              << summary->created << ", updated " << summary->updated << ", skipped "
              << summary->skipped << ", parked " << summary->parked << ", failed "
              << summary->failed << ", pages " << summary->pages
              << (summary->more_pending ? ", more pending" : "") << "\n";
    if (!summary->streams.empty()) std::cout << "  " << summary->describe_streams() << "\n";
    for (const std::string& line : summary->planned) std::cout << "  would " << line << "\n";
    if (summary->planned.size() >= engine::RunSummary::kPlanLinesMax) {
        std::cout << "  (the plan lists the first " << engine::RunSummary::kPlanLinesMax
                  << " records)\n";
    }
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
        "(web console at /, /healthz, /metrics, webhooks at /hooks/<flow>/<source>); "
        "SIGINT/SIGTERM stop it gracefully");
    run->callback([&ctx, &exit_code] { exit_code = run_daemon_command(ctx); });

    struct SyncOptions {
        std::string flow;
        bool once = false;
        bool dry_run = false;
        bool progress = false;
        bool quiet = false;
    };
    auto options = std::make_shared<SyncOptions>();
    auto* sync = app.add_subcommand("sync", "Run one flow now, in the foreground");
    sync->add_option("FLOW", options->flow, "Flow name from the config")->required();
    sync->add_flag("--once", options->once, "Run once and exit (required)");
    sync->add_flag("--dry-run", options->dry_run, "Read and map, but write nothing");
    sync->add_flag("--progress", options->progress,
                   "A progress line per page on stderr (the default on a terminal)");
    sync->add_flag("--quiet", options->quiet, "No progress line");
    sync->callback([&ctx, &exit_code, options] {
        const bool progress =
            !options->quiet && (options->progress || ::isatty(STDERR_FILENO) == 1);
        exit_code = run_sync(ctx, options->flow, options->once, options->dry_run, progress);
    });
}

}  // namespace mlc::cli

#include "cli/daemon.hpp"

#include <signal.h>

#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "cli/alerts_setup.hpp"
#include "cli/flow_reload.hpp"
#include "cli/flow_setup.hpp"
#include "cli/shared_request_budget.hpp"
#include "cli/signal_watcher.hpp"
#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "connectors/ups/ups_track_alert.hpp"
#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "console/console.hpp"
#include "engine/dead_letter_replayer.hpp"
#include "engine/run_history.hpp"
#include "engine/store_upkeep.hpp"
#include "flows/connections/ping.hpp"
#include "net/curl_transport.hpp"
#include "net/hmac.hpp"
#include "net/http_server.hpp"
#include "net/rate_limiter.hpp"
#include "net/router.hpp"
#include "net/tracing_transport.hpp"
#include "net/webhook_intake.hpp"
#include "net/webhook_secret_cache.hpp"
#include "pipeline/webhooks.hpp"
#include "store/sqlite/sqlite_backup.hpp"

namespace mlc::cli {

namespace {

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

// The vendors whose webhooks /hooks/<flow>/<source> receives, one channel each.
net::WebhookChannels webhook_channels() {
    net::WebhookChannels channels;
    net::add_channel(channels, std::make_shared<connectors::woocommerce::WooWebhookChannel>());
    net::add_channel(channels,
                     std::make_shared<connectors::shipstation::ShipStationWebhookChannel>());
    net::add_channel(channels, std::make_shared<connectors::ups::TrackAlertChannel>());
    return channels;
}

// "https://mlc.example.com" of "https://mlc.example.com/base": the console also takes writes
// whose Origin is the public address (a proxy in front that rewrites Host).
std::string origin_of(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return "";
    return url.substr(0, url.find('/', scheme + 3));
}

// The value a scraper must send to read /metrics (server.metrics_token_secret), empty when
// /metrics is open; kConfig naming the fix when the secret cannot be read.
Result<std::string> metrics_token(const engine::Config& config, const auth::Vault* vault) {
    const std::string& name = config.server.metrics_token_secret;
    if (name.empty()) return std::string();
    if (vault == nullptr) {
        return make_error(ErrorCode::kConfig, "config",
                          "server.metrics_token_secret names '" + name +
                              "' but the vault cannot be opened: run `mlc init`, then `mlc "
                              "secret set " +
                              name + "`");
    }
    auto value = vault->get(name);
    if (!value || value->empty()) {
        return make_error(ErrorCode::kConfig, "config",
                          "server.metrics_token_secret: the vault has no secret '" + name +
                              "': run `mlc secret set " + name + "`");
    }
    return std::move(*value);
}

bool bearer_matches(const net::HttpRequest& request, const std::string& token) {
    const auto header = net::find_header(request.headers, "Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (!header || !header->starts_with(kScheme)) return false;
    return net::constant_time_equal(header->substr(kScheme.size()), token);
}

// A damaged page of the SQLite file (what opening it does not notice) stops the start with what to
// do, before any flow writes more on top of it. PRAGMA quick_check: O(pages), milliseconds here.
Result<void> check_state_file(const engine::Config& config) {
    if (!config.store.url.empty()) return ok();  // PostgreSQL checks its own pages.
    MLC_TRY(auto checked, store::check_sqlite(config.store.path, /*quick=*/true));
    if (checked.integrity == "ok") return ok();
    return make_error(ErrorCode::kStorage, "store",
                      "the state file " + config.store.path + " is damaged (" + checked.integrity +
                          "): " + store::damaged_state_advice(config.store.path));
}

// What the alert rules watch of each flow: its schedule, its connections (the connection part
// of `mlc ping`, with the daemon's limiters and token cache) and its webhook silence option.
std::vector<engine::WatchedFlow> watched_flows(const std::vector<BuiltFlow>& flows,
                                               const engine::Dependencies& deps) {
    std::vector<engine::WatchedFlow> watched;
    for (const auto& flow : flows) {
        engine::WatchedFlow w{.name = flow.config->name};
        if (flow.config->schedule) w.every = flow.config->schedule->every;
        w.check_connections = [&deps, config = *flow.config] {
            return flows::connections::connection_problems(config, deps);
        };
        // create() has checked the option, so an error here cannot be; off if it were.
        w.webhook_silent_after = engine::webhook_silent_after(*flow.config).value_or(std::nullopt);
        watched.push_back(std::move(w));
    }
    return watched;
}

}  // namespace

int run_daemon(CliContext& ctx, const engine::Config& config, const DaemonHooks& hooks) {
    if (auto logger = ctx.init_logger(&config); !logger) return fail(logger.error());
    auto opened = ctx.open_store(config);
    if (!opened) return fail(opened.error());
    std::unique_ptr<store::StateStore> store = std::move(*opened);
    if (auto sound = check_state_file(config); !sound) return fail(sound.error());
    std::unique_ptr<auth::SodiumVault> vault;
    if (auto found = ctx.open_vault(); found) {
        auto names = (*found)->list();
        if (names) {
            if (auto valid = engine::validate_secrets(config, *names); !valid) {
                return fail(valid.error());
            }
        }
        vault = std::move(*found);
    } else {
        // Flows without secrets (heartbeat) still run; connectors report the missing vault.
        ctx.log().warn("no vault: {}", found.error().describe());
    }
    const engine::RecipeRegistry registry = make_recipe_registry();

    net::Metrics metrics;  // Before the flows: their clients record outbound traffic here.
    net::RateLimiterRegistry limiters;  // Shared by every flow: one budget per connection.
    // On PostgreSQL, every worker's requests count against one budget per connection.
    std::optional<StoreRequestBudget> shared_budget;
    if (auto* postgres = dynamic_cast<store::PostgresStateStore*>(store.get())) {
        shared_budget.emplace(*postgres);
        limiters.share_with(&*shared_budget);
    }

    engine::SchedulerOptions scheduler_options;
    scheduler_options.owner = ctx.worker_id();
    scheduler_options.lease_holder_gone = ctx.worker_gone();
    scheduler_options.seed = std::random_device{}();
    store::StateStore& store_ref = *store;
    // The console page's event streams: each finished run, alert change and console write.
    console::LiveEvents live;
    scheduler_options.on_run_finished = [&metrics, &store_ref, &ctx, &live](
                                            const std::string& flow,
                                            const Result<engine::RunSummary>& result) {
        record_run(metrics, flow, result);
        record_open_dead_letters(metrics, store_ref, flow);
        if (auto kept = engine::append_run_history(store_ref, flow, ctx.clock().now(), result);
            !kept) {
            ctx.log().warn("flow {}: run history not kept: {}", flow, kept.error().describe());
        }
        live.publish("runs");
    };
    engine::Scheduler scheduler(ctx.clock(), *store, ctx.log(), scheduler_options);

    engine::WebhookActivity webhook_activity;  // For the "webhook_silent" alert.
    net::WebhookIntake intake(
        {.store = *store,
         .clock = ctx.clock(),
         // Read and decrypted once per (flow, source) until the vault file changes.
         .secrets = net::cached_webhook_secrets(
             pipeline::webhook_secrets(vault.get()),
             [v = vault.get()]() -> std::optional<std::string> {
                 return v != nullptr ? v->revision() : std::optional<std::string>("no vault");
             }),
         .channels = webhook_channels(),
         .notify =
             [&scheduler, &webhook_activity, &ctx](const std::string& flow, std::int64_t) {
                 webhook_activity.delivered(flow, ctx.clock().now());
                 scheduler.trigger(flow);
             },
         .metrics = &metrics,
         .logger = ctx.log_ptr(),
         .inbox = {.retention = config.store.inbox_retention,
                   .duplicate_window = config.store.duplicate_window}});
    net::Router router({.metrics = &metrics, .clock = &ctx.clock()});
    router.add("GET", "/healthz", [](const net::HttpRequest&, const net::RouteParams&) {
        return net::json_response(200, R"({"status":"ok"})");
    });
    auto token = metrics_token(config, vault.get());
    if (!token) return fail(token.error());
    router.add(
        "GET", "/metrics",
        [&metrics, token = *token](const net::HttpRequest& request, const net::RouteParams&) {
            if (!token.empty() && !bearer_matches(request, token)) {
                net::HttpResponse refused = net::json_response(
                    401, R"({"error":"send the metrics token: Authorization: Bearer <token>"})");
                refused.headers.emplace_back("WWW-Authenticate", "Bearer");
                return refused;
            }
            net::HttpResponse response;
            response.headers.emplace_back("Content-Type", "text/plain; version=0.0.4");
            response.body = metrics.render_prometheus();
            return response;
        });
    intake.mount(router);
    // The console's replay button goes through the same replayer as `mlc deadletters replay`,
    // under the flow's lease, so it never overlaps a run of that flow.
    engine::DeadLetterReplayer replayer(
        ctx.clock(), *store, ctx.log(),
        [&scheduler](const std::string& flow) { return scheduler.runner(flow); },
        {.owner = ctx.worker_id(), .lease_holder_gone = ctx.worker_gone()});
    // SIGHUP (`systemctl reload mlc`) and a mapping fixed in the console: the config file and the
    // stored mappings read again.
    FlowReloader reloader(ctx, registry, scheduler, replayer, config);
    // A ping from the console runs `mlc ping`'s checks with the flows' dependencies (limiters,
    // vault, token cache), set below once they exist.
    std::atomic<const engine::Dependencies*> ping_deps{nullptr};
    console::Console console(
        {.clock = ctx.clock(),
         .store = *store,
         .scheduler = scheduler,
         .replayer = replayer,
         .config = config,
         .stop = scheduler.stop_flag(),
         .auth = {.public_origin = origin_of(config.server.public_url)},
         .registry = &registry,
         .reload = [&reloader](std::string_view why) { return reloader.reload(why); },
         .live = &live,
         .ping =
             [&ping_deps](const engine::ConnectionConfig& connection) {
                 const engine::Dependencies* deps = ping_deps.load();
                 if (deps == nullptr) {
                     return connectors::PingReport{
                         .connection = connection.name,
                         .system = connection.system,
                         .checks = {
                             {.name = "config",
                              .status = connectors::PingStatus::kSkipped,
                              .detail = "the daemon is still starting; ping again shortly"}}};
                 }
                 return flows::connections::ping_connection(connection, *deps);
             },
         .rate_use =
             [&limiters, &clock = ctx.clock()](const std::string& connection) {
                 return limiters.use(connection, clock.steady_now());
             }});
    console.mount(router);
    if (auto users = store->list_console_users(); users && users->empty()) {
        ctx.log().warn(
            "the web console has no user and lets nobody in: create one with `mlc -c {} console "
            "user add NAME --role admin` (the password is read from a prompt or stdin)",
            ctx.options().config_path);
    }

    SignalWatcher signals;  // Before any thread starts, so they all inherit the blocked mask.
    signals.start(
        [&scheduler, &ctx, &reloader](int signal) {
            if (signal == SIGHUP) {
                (void)reloader.reload("SIGHUP");  // Logged and audited there.
                return;
            }
            ctx.log().info("received {}: finishing the current page, then stopping",
                           signal == SIGINT ? "SIGINT" : "SIGTERM");
            scheduler.request_stop();
        },
        /*hangup=*/true);
    net::HttpServer server({.address = config.server.address,
                            .port = config.server.port,
                            .workers = config.server.threads,
                            .name = "mlc",
                            .streams = router.stream_handler()},
                           router.handler(), ctx.log_ptr());
    if (auto started = server.start(); !started) {
        signals.stop();
        return fail(started.error());
    }

    engine::Dependencies deps{.clock = ctx.clock(), .store = *store};
    deps.config = &config;
    deps.vault = vault.get();
    deps.limiters = &limiters;
    deps.metrics = &metrics;
    deps.public_base_url =
        config.server.public_url.empty() ? server.base_url() : config.server.public_url;
    ping_deps.store(&deps);
    // `log.level: debug`: one trace line per request (net/tracing_transport.hpp).
    net::CurlTransport traced_curl;
    net::TracingTransport traced(traced_curl, ctx.clock(), ctx.log_ptr());
    if (ctx.log().should_log(spdlog::level::debug)) deps.transport = &traced;
    auto flows = build_flows(config, registry, deps, {});
    if (!flows) {
        server.stop();
        signals.stop();
        return fail(flows.error());
    }
    // Alerts: the rules and the notifications every alerts.check_every (cli/alerts_setup.hpp).
    engine::AlertRules alert_rules(ctx.clock(), *store, ctx.log(), config.alerts,
                                   watched_flows(*flows, deps));
    alert_rules.watch_secrets(vault.get());
    alert_rules.watch_webhooks(&webhook_activity);
    net::CurlTransport alert_transport;
    auto alert_dispatcher =
        make_alert_dispatcher(ctx.clock(), config, *store, vault.get(), alert_transport, ctx.log());
    if (!alert_dispatcher) {
        server.stop();
        signals.stop();
        return fail(alert_dispatcher.error());
    }
    AlertLoop alerts(ctx.clock(), alert_rules, **alert_dispatcher, ctx.log(),
                     config.alerts.check_every);
    alerts.on_change([&live] { live.publish("alerts"); });
    std::size_t scheduled = 0;
    for (auto& flow : *flows) {
        // Every flow's gauge exists from the start (0 is news too); runs keep it current.
        record_open_dead_letters(metrics, *store, flow.config->name);
        if (!flow.config->schedule) continue;  // Event- or hand-driven only.
        scheduler.add_flow({.name = flow.config->name,
                            .every = flow.config->schedule->every,
                            .jitter = flow.config->schedule->jitter},
                           std::move(flow.runner));
        ++scheduled;
    }
    reloader.arm(deps);
    // HttpServer has logged "mlc listening on <url>"; this line says what is there.
    ctx.log().info(
        "mlc ready: web console at {}/, webhooks at {}/hooks/<flow>/<source>, {} "
        "scheduled flow(s)",
        server.base_url(), deps.public_base_url, scheduled);

    std::atomic<bool> companion_stop{false};
    std::thread companion;
    if (hooks.companion) {
        companion = std::thread([&] {
            const DaemonView view{.base_url = server.base_url(),
                                  .scheduler = scheduler,
                                  .store = *store,
                                  .metrics = metrics,
                                  .config = config};
            hooks.companion(view, companion_stop);
        });
    }
    // Audit retention and free pages given back, every hour (engine/store_upkeep.hpp).
    engine::StoreUpkeep upkeep(ctx.clock(), *store, ctx.log(),
                               {.audit_retention = config.store.audit_retention});
    upkeep.start();
    alerts.start();
    scheduler.run();
    alerts.stop();
    upkeep.stop();
    companion_stop.store(true);
    if (companion.joinable()) companion.join();
    server.stop();
    signals.stop();
    ctx.log().info("mlc stopped");
    return signals.received() == SIGINT ? kExitInterrupted : kExitOk;
}

}  // namespace mlc::cli

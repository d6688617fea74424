// `mlc ping [NAME] [--sample N] [--since DATE] [--json]`: checks connections (reach the host,
// authenticate, read one record, rate-limit headroom, token expiry, missing secrets), one line
// per check saying what is wrong and how to fix it. NAME is a connection or a flow; a flow also
// gets its recipe's fit check over a sample of recent source records, which fails when none of
// them would go through, and the `mappings:` block to paste for what did not resolve. Writes
// nothing to vendors. Exit 0 when no check failed (warnings included), 1 when one did, 2 for a
// bad name or config.
#include <iostream>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "common/time.hpp"
#include "engine/stored_mappings.hpp"
#include "flows/connections/ping.hpp"
#include "net/rate_limiter.hpp"

namespace mlc::cli {

namespace {

constexpr const char* kPingDescription =
    "Check connections: reach each host, authenticate, read one record, report rate-limit "
    "headroom and token expiry, one line per check with the fix. NAME may be a connection "
    "(mlc.yaml connections) or a flow: a flow's connections are pinged, then (recipe "
    "shipstation-to-epicor-orders) a sample of recent orders is checked for customers and SKUs "
    "that do not resolve in Epicor, writing nothing; it fails when none of them would go "
    "through, and prints the mappings: block to paste for what did not resolve. Without NAME "
    "every connection is pinged. "
    "Exit 0 when every check passed or only warned, 1 when one failed, 2 for a bad name or config.";

struct PingOptions {
    std::string name;
    std::uint32_t sample = 100;
    std::string since;  // ISO date; empty: 30 days back.
    bool json = false;
};

namespace fc = flows::connections;
using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;

constexpr std::chrono::hours kDefaultSinceAge{24 * 30};  // The fit sample's default window.

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

void print_checks(const std::vector<PingCheck>& checks) {
    for (const PingCheck& check : checks) {
        std::cout << "  " << padded(to_string(check.status), 8) << padded(check.name, 11)
                  << check.detail << "\n";
    }
}

void print_report(const PingReport& report) {
    std::cout << "connection " << report.connection << " (" << report.system << ")\n";
    print_checks(report.checks);
}

// What to paste into mlc.yaml for the references that did not resolve.
void print_mappings(const fc::FlowPingReport& flow) {
    if (flow.mappings.empty()) return;
    std::cout << "paste under flows." << flow.flow
              << ": in the config, each placeholder replaced by the Epicor ID it stands for "
                 "(merge with any mappings: the flow already has):\n"
              << flow.mappings;
}

boost::json::array checks_json(const std::vector<PingCheck>& checks) {
    boost::json::array out;
    for (const PingCheck& check : checks) {
        out.push_back(boost::json::object{
            {"name", check.name}, {"status", to_string(check.status)}, {"detail", check.detail}});
    }
    return out;
}

boost::json::object report_json(const PingReport& report) {
    return {{"connection", report.connection},
            {"system", report.system},
            {"ok", report.ok()},
            {"checks", checks_json(report.checks)}};
}

std::size_t failed_count(const std::vector<PingCheck>& checks) {
    std::size_t failed = 0;
    for (const auto& check : checks) failed += check.status == PingStatus::kFail ? 1 : 0;
    return failed;
}

// Every connection, or the one named, or a flow's; prints and answers the exit code.
struct Outcome {
    std::vector<PingReport> connections;
    std::optional<fc::FlowPingReport> flow;
};

int print_outcome(const Outcome& outcome, bool json) {
    std::size_t failed = 0;
    for (const auto& report : outcome.connections) failed += failed_count(report.checks);
    if (outcome.flow) {
        for (const auto& report : outcome.flow->connections) failed += failed_count(report.checks);
        failed += failed_count(outcome.flow->checks);
    }
    if (json) {
        boost::json::object out{{"ok", failed == 0}};
        boost::json::array connections;
        for (const auto& report : outcome.connections) connections.push_back(report_json(report));
        if (outcome.flow) {
            for (const auto& report : outcome.flow->connections) {
                connections.push_back(report_json(report));
            }
            out["flow"] = boost::json::object{{"name", outcome.flow->flow},
                                              {"recipe", outcome.flow->recipe},
                                              {"checks", checks_json(outcome.flow->checks)},
                                              {"mappings", outcome.flow->mappings}};
        }
        out["connections"] = std::move(connections);
        std::cout << boost::json::serialize(out) << "\n";
    } else {
        for (const auto& report : outcome.connections) print_report(report);
        if (outcome.flow) {
            for (const auto& report : outcome.flow->connections) print_report(report);
            std::cout << "flow " << outcome.flow->flow << " (" << outcome.flow->recipe << ")\n";
            print_checks(outcome.flow->checks);
            print_mappings(*outcome.flow);
        }
        std::cout << (failed == 0 ? std::string("ping: every check passed")
                                  : "ping: " + std::to_string(failed) + " check" +
                                        (failed == 1 ? "" : "s") + " failed")
                  << "\n";
    }
    return failed == 0 ? kExitOk : kExitFailure;
}

std::string known_names(const engine::Config& config) {
    std::string connections;
    for (const auto& [name, c] : config.connections)
        connections += (connections.empty() ? "" : ", ") + name;
    std::string flows;
    for (const auto& [name, f] : config.flows) flows += (flows.empty() ? "" : ", ") + name;
    return "connections: " + (connections.empty() ? std::string("none") : connections) +
           "; flows: " + (flows.empty() ? std::string("none") : flows);
}

int run_ping(CliContext& ctx, const PingOptions& options) {
    auto config = ctx.load_config();
    if (!config) return fail(config.error());
    if (auto logger = ctx.init_logger(&*config); !logger) return fail(logger.error());
    UtcTime since = ctx.clock().now() - kDefaultSinceAge;
    if (!options.since.empty()) {
        auto parsed = parse_iso8601(options.since);
        if (!parsed) {
            std::cerr << "mlc: --since '" << options.since
                      << "' is not an ISO date (2024-03-15 or 2024-03-15T10:00:00Z)\n";
            return kExitUsage;
        }
        since = *parsed;
    }
    const bool is_connection = config->connections.contains(options.name);
    const bool is_flow = !is_connection && config->flows.contains(options.name);
    if (!options.name.empty() && !is_connection && !is_flow) {
        std::cerr << "mlc: no connection or flow named '" << options.name << "' in " << config->file
                  << " (" << known_names(*config) << ")\n";
        return kExitUsage;
    }
    if (options.name.empty() && config->connections.empty()) {
        std::cerr
            << "mlc: " << config->file
            << " defines no connections: add one under connections: (see examples/mlc.yaml)\n";
        return kExitOk;
    }
    auto store = ctx.open_store(*config);  // The bearer token cache, shared with the daemon.
    if (!store) return fail(store.error());
    auto vault = ctx.open_vault();
    if (!vault) std::cerr << "mlc: warning: " << vault.error().describe() << "\n";
    net::RateLimiterRegistry limiters;
    engine::Dependencies deps{.clock = ctx.clock(), .store = **store};
    deps.config = &*config;
    deps.vault = vault ? vault->get() : nullptr;
    deps.limiters = &limiters;

    Outcome outcome;
    if (is_flow) {
        // Judged with the mappings the flow runs with: the stored ones over the file's.
        auto flow = engine::with_stored_mappings(config->flows.at(options.name), **store);
        if (!flow) return fail(flow.error());
        outcome.flow = fc::ping_flow(*flow, deps, {.since = since, .sample = options.sample});
    } else {
        for (const auto& [name, connection] : config->connections) {
            if (!options.name.empty() && name != options.name) continue;
            outcome.connections.push_back(fc::ping_connection(connection, deps));
        }
    }
    return print_outcome(outcome, options.json);
}

}  // namespace

void add_ping_command(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto options = std::make_shared<PingOptions>();
    auto* ping = app.add_subcommand("ping", kPingDescription);
    ping->add_option("NAME", options->name, "A connection or a flow (default: every connection)");
    ping->add_option("--sample", options->sample,
                     "Flow fit check: recent source orders to read (1-500, default 100)")
        ->check(CLI::Range(1, 500));
    ping->add_option("--since", options->since,
                     "Flow fit check: orders modified since this ISO date (default 30 days ago)");
    ping->add_flag("--json", options->json, "One JSON object instead of lines");
    ping->callback([&ctx, &exit_code, options] { exit_code = run_ping(ctx, *options); });
}

}  // namespace mlc::cli

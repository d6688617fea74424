// `mlc status` (flows, last run, cursors, pending inbox, open dead letters and differences, open
// alerts) and `mlc audit --key K | --flow F [--since ISO] [--json]`.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "common/time.hpp"
#include "engine/last_run.hpp"

namespace mlc::cli {

namespace {

// Streams whose cursor status shows; the recipes name their streams after the record kind.
constexpr const char* kStatusStreams[] = {"orders",    "shipments", "tracking",   "parts",
                                          "customers", "refunds",   "settlements"};
constexpr std::size_t kStatusLettersMax = 10'000;  // Counted up to this many per flow.
constexpr std::size_t kAuditLimitMax = 10'000;

void print_flow_status(store::StateStore& store, const engine::FlowConfig& flow) {
    std::cout << flow.name << " (" << flow.recipe << ")" << (flow.enabled ? "" : " [disabled]");
    if (flow.schedule) std::cout << " every " << flow.schedule->every.count() << "s";
    std::cout << "\n";
    auto setting = store.get_setting(engine::last_run_setting_key(flow.name));
    if (setting && *setting) {
        if (auto last = engine::parse_last_run(**setting)) {
            const auto& s = last->summary;
            std::cout << fmt::format(
                "  last run: {} {} (created {}, updated {}, skipped {}, parked {}, failed {})\n",
                format_iso8601(last->finished), last->outcome, s.created, s.updated, s.skipped,
                s.parked, s.failed);
            if (!last->error.empty()) std::cout << "  last error: " << last->error << "\n";
        }
    } else {
        std::cout << "  last run: never\n";
    }
    for (const char* stream : kStatusStreams) {
        auto cursor = store.get_cursor(flow.name, stream);
        if (cursor && *cursor)
            std::cout << "  cursor " << stream << ": " << (*cursor)->value << "\n";
    }
    auto inbox = store.count_inbox(flow.name, false);
    auto letters =
        store.list_dead_letters(flow.name, store::DeadLetterStatus::kOpen, kStatusLettersMax);
    auto differences =
        store.list_differences(flow.name, store::DifferenceStatus::kOpen, kStatusLettersMax);
    std::cout << "  pending inbox: " << (inbox ? std::to_string(*inbox) : "?")
              << ", open dead letters: " << (letters ? std::to_string(letters->size()) : "?")
              << ", open differences: " << (differences ? std::to_string(differences->size()) : "?")
              << "\n";
    // What audit retention (store.retention.audit) took out, as the daily summary keeps it.
    if (auto summary = store.audit_summary(flow.name, 1000); summary && !summary->empty()) {
        std::int64_t events = 0;
        for (const auto& row : *summary) events += row.count;
        std::cout << "  retired audit events: " << events << " from " << summary->back().day
                  << " to " << summary->front().day << " (counts per day and outcome kept)\n";
    }
}

int run_status(CliContext& ctx) {
    auto config = ctx.load_config();
    if (!config) return fail(config.error());
    auto store = ctx.open_store(*config);
    if (!store) return fail(store.error());
    if (config->flows.empty()) std::cout << "no flows configured in " << config->file << "\n";
    for (const auto& [name, flow] : config->flows) print_flow_status(**store, flow);
    auto alerts = (*store)->list_alerts(store::AlertStatus::kOpen);
    if (!alerts) return fail(alerts.error());
    std::cout << "open alerts: " << alerts->size() << "\n";
    for (const auto& alert : *alerts) {
        std::cout << "  [" << alert.severity << "] " << alert.flow << ": " << alert.message << "\n";
    }
    return kExitOk;
}

struct AuditOptions {
    std::string key;
    std::string flow;
    std::string since;
    bool json = false;
    std::size_t limit = 100;
};

boost::json::object to_json(const store::AuditEvent& event) {
    return {{"id", event.id},
            {"at", format_iso8601(event.at)},
            {"flow", event.flow},
            {"direction", event.direction},
            {"source_ref", event.source_ref},
            {"target_ref", event.target_ref},
            {"action", store::to_string(event.action)},
            {"outcome", event.outcome},
            {"attempt", event.attempt},
            {"detail", event.detail}};
}

int run_audit(CliContext& ctx, const AuditOptions& options) {
    if (options.key.empty() && options.flow.empty()) {
        std::cerr << "mlc: audit needs --key K or --flow F\n";
        return kExitUsage;
    }
    store::AuditQuery query;
    query.limit = std::min(options.limit, kAuditLimitMax);
    if (!options.flow.empty()) query.flow = options.flow;
    if (!options.since.empty()) {
        auto since = parse_iso8601(options.since);
        if (!since) {
            std::cerr << "mlc: --since: " << since.error().describe()
                      << " (use e.g. 2024-03-15T10:00:00Z)\n";
            return kExitUsage;
        }
        query.from = *since;
    }
    auto config = ctx.load_config();
    if (!config) return fail(config.error());
    auto store = ctx.open_store(*config);
    if (!store) return fail(store.error());
    std::vector<store::AuditEvent> events;
    if (options.key.empty()) {
        auto found = (*store)->query_audit(query);
        if (!found) return fail(found.error());
        events = std::move(*found);
    } else {
        // The key may be a source key or a target id: both, merged.
        for (int side = 0; side < 2; ++side) {
            store::AuditQuery by_key = query;
            (side == 0 ? by_key.source_key : by_key.target_id) = options.key;
            auto found = (*store)->query_audit(by_key);
            if (!found) return fail(found.error());
            for (auto& event : *found) {
                const bool seen = std::any_of(events.begin(), events.end(),
                                              [&](const auto& e) { return e.id == event.id; });
                if (!seen) events.push_back(std::move(event));
            }
        }
    }
    std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
        return a.at != b.at ? a.at < b.at : a.id < b.id;
    });
    if (options.json) {
        boost::json::array out;
        for (const auto& event : events) out.push_back(to_json(event));
        std::cout << boost::json::serialize(out) << "\n";
        return kExitOk;
    }
    if (events.empty()) std::cerr << "no audit events match\n";
    for (const auto& event : events) {
        std::cout << fmt::format("{} {} {} {} {}{}{} {}\n", format_iso8601(event.at), event.flow,
                                 store::to_string(event.action), event.outcome, event.source_ref,
                                 event.target_ref.empty() ? "" : " -> ", event.target_ref,
                                 event.detail);
    }
    return kExitOk;
}

}  // namespace

void add_status_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* status = app.add_subcommand(
        "status", "Flows, last runs, cursors, pending inbox, open dead letters, open alerts");
    status->callback([&ctx, &exit_code] { exit_code = run_status(ctx); });

    auto options = std::make_shared<AuditOptions>();
    auto* audit = app.add_subcommand("audit", "Show the audit trail of a record or a flow");
    audit->add_option("--key", options->key, "Source key or target id of a record");
    audit->add_option("--flow", options->flow, "Flow name");
    audit->add_option("--since", options->since, "Only events at or after this ISO-8601 time");
    audit->add_option("--limit", options->limit, "Most recent events to show (default 100)");
    audit->add_flag("--json", options->json, "Print a JSON array");
    audit->callback([&ctx, &exit_code, options] { exit_code = run_audit(ctx, *options); });
}

}  // namespace mlc::cli

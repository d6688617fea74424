// `mlc differences list|show KEY|dismiss KEY`: the records a flow's target keeps locked while the
// source changed them (a shipped ShipStation order edited later in Acumatica): never retried nor
// overwritten, listed here until the two agree again or a person dismisses them.
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "common/time.hpp"
#include "pipeline/flow.hpp"

namespace mlc::cli {

namespace {

constexpr std::size_t kListMax = 1000;

struct Options {
    std::string flow;
    std::string key;
    bool all = false;
};

std::optional<std::string> flow_of(const Options& options) {
    if (options.flow.empty()) return std::nullopt;
    return options.flow;
}

int run_list(CliContext& ctx, const Options& options) {
    auto store = ctx.open_configured_store();
    if (!store) return fail(store.error());
    std::optional<store::DifferenceStatus> status;
    if (!options.all) status = store::DifferenceStatus::kOpen;
    auto differences = (*store)->list_differences(flow_of(options), status, kListMax);
    if (!differences) return fail(differences.error());
    if (differences->empty()) {
        std::cout << (options.all ? "no differences\n" : "no open differences\n");
        return kExitOk;
    }
    for (const auto& d : *differences) {
        std::cout << fmt::format("{} {} {}:{} {} edits={} since {}: {}\n", d.id, d.flow,
                                 d.source_system, d.source_key, store::to_string(d.status), d.edits,
                                 format_iso8601(d.first_seen), d.detail);
    }
    return kExitOk;
}

// The differences of `key` (open ones only unless `all`), newest first.
Result<std::vector<store::Difference>> of_key(store::StateStore& store, const Options& options,
                                              bool all) {
    std::optional<store::DifferenceStatus> status;
    if (!all) status = store::DifferenceStatus::kOpen;
    MLC_TRY(auto listed, store.list_differences(flow_of(options), status, kListMax));
    std::erase_if(listed, [&](const store::Difference& d) { return d.source_key != options.key; });
    return listed;
}

int run_show(CliContext& ctx, const Options& options) {
    auto store = ctx.open_configured_store();
    if (!store) return fail(store.error());
    auto found = of_key(**store, options, true);
    if (!found) return fail(found.error());
    if (found->empty()) {
        std::cerr << "mlc: no difference for " << options.key << "\n";
        return kExitFailure;
    }
    for (const auto& d : *found) {
        std::cout << "id: " << d.id << "\nflow: " << d.flow << "\nsource: " << d.source_system
                  << ":" << d.source_key << " (" << d.source_ref << ")\ntarget: " << d.target_ref
                  << "\nstatus: " << store::to_string(d.status) << "\nedits: " << d.edits
                  << "\nfirst seen: " << format_iso8601(d.first_seen)
                  << "\nlast seen: " << format_iso8601(d.last_seen) << "\n"
                  << (d.closed_at ? "closed: " + format_iso8601(*d.closed_at) + "\n" : "")
                  << "what differs: " << d.detail << "\n\n";
    }
    return kExitOk;
}

int run_dismiss(CliContext& ctx, const Options& options) {
    auto store = ctx.open_configured_store();
    if (!store) return fail(store.error());
    auto found = of_key(**store, options, false);
    if (!found) return fail(found.error());
    if (found->empty()) {
        std::cerr << "mlc: no open difference for " << options.key << "\n";
        return kExitFailure;
    }
    if (found->size() > 1) {
        std::cerr << "mlc: " << options.key << " differs in " << found->size()
                  << " flows: name one with --flow\n";
        return kExitUsage;
    }
    const store::Difference& d = found->front();
    const UtcTime now = ctx.clock().now();
    auto dismissed =
        (*store)->set_difference_status(d.id, store::DifferenceStatus::kDismissed, now);
    if (!dismissed) return fail(dismissed.error());
    auto alerted = pipeline::sync_differences_alert(**store, d.flow, now);
    if (!alerted) return fail(alerted.error());
    std::cout << "difference " << d.id << " (" << d.flow << " " << d.source_key << ") dismissed\n";
    return kExitOk;
}

}  // namespace

void add_difference_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand(
        "differences",
        "Records a target keeps locked (a shipped order edited later at the source): list, show, "
        "dismiss");
    group->require_subcommand(1);

    auto list_options = std::make_shared<Options>();
    auto* list = group->add_subcommand("list", "List open differences, newest first");
    list->add_option("--flow", list_options->flow, "Only this flow");
    list->add_flag("--all", list_options->all, "Include cleared and dismissed ones");
    list->callback([&ctx, &exit_code, list_options] { exit_code = run_list(ctx, *list_options); });

    auto show_options = std::make_shared<Options>();
    auto* show = group->add_subcommand("show", "Show every difference of one record");
    show->add_option("KEY", show_options->key, "The source key (SO000123)")->required();
    show->add_option("--flow", show_options->flow, "Only this flow");
    show->callback([&ctx, &exit_code, show_options] { exit_code = run_show(ctx, *show_options); });

    auto dismiss_options = std::make_shared<Options>();
    auto* dismiss = group->add_subcommand(
        "dismiss", "Close a record's open difference once a person settled it by hand");
    dismiss->add_option("KEY", dismiss_options->key, "The source key (SO000123)")->required();
    dismiss->add_option("--flow", dismiss_options->flow, "The flow (when the key is in several)");
    dismiss->callback(
        [&ctx, &exit_code, dismiss_options] { exit_code = run_dismiss(ctx, *dismiss_options); });
}

}  // namespace mlc::cli

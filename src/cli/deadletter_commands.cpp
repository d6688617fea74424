// `mlc deadletters list|show ID|replay ID|replay --all`.
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/flow_setup.hpp"
#include "cli/signal_watcher.hpp"
#include "common/time.hpp"
#include "engine/dead_letter_replayer.hpp"

namespace mlc::cli {

namespace {

constexpr std::size_t kListMax = 1000;

struct Opened {
    engine::Config config;
    std::unique_ptr<store::StateStore> store;
};

Result<Opened> open(CliContext& ctx) {
    Opened opened;
    MLC_TRY(opened.config, ctx.load_config());
    MLC_CHECK(ctx.init_logger(&opened.config));
    MLC_TRY(opened.store, ctx.open_store(opened.config));
    return opened;
}

struct ListOptions {
    std::string flow;
    bool all = false;
};

int run_list(CliContext& ctx, const ListOptions& options) {
    auto opened = open(ctx);
    if (!opened) return fail(opened.error());
    std::optional<std::string> flow;
    if (!options.flow.empty()) flow = options.flow;
    std::optional<store::DeadLetterStatus> status;
    if (!options.all) status = store::DeadLetterStatus::kOpen;
    auto letters = opened->store->list_dead_letters(flow, status, kListMax);
    if (!letters) return fail(letters.error());
    if (letters->empty()) {
        std::cout << (options.all ? "no dead letters\n" : "no open dead letters\n");
        return kExitOk;
    }
    for (const auto& letter : *letters) {
        std::cout << fmt::format("{} {} {}:{} {} attempts={} {}: {}\n", letter.id, letter.flow,
                                 letter.source_system, letter.source_key,
                                 store::to_string(letter.status), letter.attempts,
                                 letter.error_code, letter.error_message);
    }
    return kExitOk;
}

int run_show(CliContext& ctx, std::int64_t id) {
    auto opened = open(ctx);
    if (!opened) return fail(opened.error());
    auto letter = opened->store->get_dead_letter(id);
    if (!letter) return fail(letter.error());
    if (!*letter) {
        std::cerr << "mlc: dead letter " << id << " does not exist\n";
        return kExitFailure;
    }
    const auto& l = **letter;
    std::cout << "id: " << l.id << "\nflow: " << l.flow << "\nsource: " << l.source_system << ":"
              << l.source_key << "\nstatus: " << store::to_string(l.status)
              << "\nattempts: " << l.attempts << "\nfirst seen: " << format_iso8601(l.first_seen)
              << "\nlast seen: " << format_iso8601(l.last_seen) << "\nerror: " << l.error_code
              << ": " << l.error_message << "\nrecord: " << l.record_json
              << "\nreplay: " << l.replay_json << "\n";
    return kExitOk;
}

struct ReplayOptions {
    std::int64_t id = 0;
    bool all = false;
    bool yes = false;
    std::string flow;
};

int run_replay(CliContext& ctx, const ReplayOptions& options) {
    if ((options.id == 0) == !options.all) {
        std::cerr << "mlc: give a dead letter ID or --all\n";
        return kExitUsage;
    }
    auto opened = open(ctx);
    if (!opened) return fail(opened.error());
    auto vault = ctx.open_vault();
    if (!vault) ctx.log().warn("no vault: {}", vault.error().describe());
    engine::Dependencies deps{.clock = ctx.clock(), .store = *opened->store};
    deps.config = &opened->config;
    deps.vault = vault ? vault->get() : nullptr;
    const auto registry = make_recipe_registry();
    auto flows = build_flows(opened->config, registry, deps, {});
    if (!flows) return fail(flows.error());
    engine::DeadLetterReplayer replayer(ctx.clock(), *opened->store, ctx.log(),
                                        [&flows](const std::string& name) -> engine::FlowRunner* {
                                            for (auto& flow : *flows) {
                                                if (flow.config->name == name)
                                                    return flow.runner.get();
                                            }
                                            return nullptr;
                                        },
                                        {.owner = ctx.worker_id(),
                                         .lease_ttl = engine::kFlowLeaseTtl,
                                         .lease_holder_gone = ctx.worker_gone()});
    std::atomic<bool> stop{false};
    SignalWatcher signals;
    signals.start([&stop](int) { stop.store(true); });
    if (!options.all) {
        auto replayed = replayer.replay(options.id, stop);
        signals.stop();
        if (!replayed) return fail(replayed.error());
        std::cout << "dead letter " << options.id << " replayed\n";
        return kExitOk;
    }
    if (!options.yes && !confirm("replay every open dead letter" +
                                 (options.flow.empty() ? "" : " of " + options.flow) + "?")) {
        signals.stop();
        std::cerr << "nothing replayed\n";
        return kExitFailure;
    }
    std::optional<std::string> flow;
    if (!options.flow.empty()) flow = options.flow;
    auto summary = replayer.replay_all(flow, stop);
    signals.stop();
    if (!summary) return fail(summary.error());
    std::cout << fmt::format("replayed {}, failed again {}, skipped {}{}\n", summary->replayed,
                             summary->failed, summary->skipped,
                             summary->more_pending ? " (more left: run it again)" : "");
    if (signals.received() != 0) return kExitInterrupted;
    return summary->failed + summary->skipped > 0 ? kExitPartial : kExitOk;
}

}  // namespace

void add_deadletter_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand("deadletters", "List, show and replay parked records");
    group->require_subcommand(1);

    auto list_options = std::make_shared<ListOptions>();
    auto* list = group->add_subcommand("list", "List open dead letters");
    list->add_option("--flow", list_options->flow, "Only this flow");
    list->add_flag("--all", list_options->all, "Include replayed and resolved ones");
    list->callback([&ctx, &exit_code, list_options] { exit_code = run_list(ctx, *list_options); });

    auto show_id = std::make_shared<std::int64_t>(0);
    auto* show = group->add_subcommand("show", "Show one dead letter with its record");
    show->add_option("ID", *show_id, "Dead letter id")->required();
    show->callback([&ctx, &exit_code, show_id] { exit_code = run_show(ctx, *show_id); });

    auto replay_options = std::make_shared<ReplayOptions>();
    auto* replay = group->add_subcommand(
        "replay", "Process a dead letter again (after fixing its cause); --all for every open one");
    replay->add_option("ID", replay_options->id, "Dead letter id");
    replay->add_flag("--all", replay_options->all, "Every open dead letter (asks first)");
    replay->add_option("--flow", replay_options->flow, "With --all: only this flow");
    replay->add_flag("--yes,-y", replay_options->yes, "Do not ask for confirmation");
    replay->callback(
        [&ctx, &exit_code, replay_options] { exit_code = run_replay(ctx, *replay_options); });
}

}  // namespace mlc::cli

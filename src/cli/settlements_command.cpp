// `mlc settlements list [--flow FLOW]` and `mlc settlements show ID [--flow FLOW]`: the Amazon
// settlements of the "amazon-settlements-to-epicor" flows. list: each settlement posted (its
// Epicor journals, when) and each one held (the hold's reason: the unmapped types or the
// mismatch), from the state store. show: the settlement read again from Amazon through the flow's
// connection and put through the flow's ledger: the grouping, the GL accounts, the journals (one
// per fiscal period) and the check lines == total-amount == journal net == deposit; then what the
// store knows of it. Exit codes: 0 shown, 1 not found or held, 2 a bad flow name or config.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "common/time.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"

namespace mlc::cli {
namespace {

namespace ae = flows::amazon_epicor;

struct SettlementOptions {
    std::string id;
    std::string flow;
};

// The settlement flows: `only`, or every amazon-settlements-to-epicor flow.
Result<std::vector<const engine::FlowConfig*>> settlement_flows(const engine::Config& config,
                                                                const std::string& only) {
    std::vector<const engine::FlowConfig*> out;
    for (const auto& [name, flow] : config.flows) {
        if (!only.empty() && name != only) continue;
        if (flow.recipe != ae::kSettlementsRecipe) {
            if (!only.empty()) {
                return make_error(ErrorCode::kConfig, "flow '" + only + "' uses recipe " +
                                                          flow.recipe +
                                                          ", which posts no settlements");
            }
            continue;
        }
        out.push_back(&flow);
    }
    if (!only.empty() && out.empty()) {
        return make_error(ErrorCode::kConfig, "no flow named '" + only + "' in " + config.file);
    }
    return out;
}

Result<void> list_flow(store::StateStore& store, const engine::FlowConfig& flow) {
    MLC_TRY(auto bindings, store.list_bindings(flow.name, store::BindingState::kConfirmed, 1000));
    for (const auto& b : bindings) {
        if (b.source_system != ae::kSettlementSystem) continue;
        std::cout << fmt::format("{}  settlement {}  posted {}  journals {}\n", flow.name,
                                 b.source_key, format_iso8601(b.updated_at), b.target_id);
    }
    MLC_TRY(auto letters, store.list_dead_letters(flow.name, store::DeadLetterStatus::kOpen, 1000));
    for (const auto& l : letters) {
        if (l.source_system != ae::kSettlementSystem) continue;
        std::cout << fmt::format("{}  settlement {}  HELD since {} (dead letter {}): {}\n",
                                 flow.name, l.source_key, format_iso8601(l.first_seen), l.id,
                                 l.error_message);
    }
    return ok();
}

int run_list(CliContext& ctx, const SettlementOptions& options) {
    auto config = ctx.load_config();
    if (!config) return fail(config.error());
    auto flows = settlement_flows(*config, options.flow);
    if (!flows) return fail(flows.error());
    auto store = ctx.open_store(*config);
    if (!store) return fail(store.error());
    for (const engine::FlowConfig* flow : *flows) {
        if (auto listed = list_flow(**store, *flow); !listed) return fail(listed.error());
    }
    return kExitOk;
}

int run_show(CliContext& ctx, const SettlementOptions& options) {
    auto config = ctx.load_config();
    if (!config) return fail(config.error());
    if (auto logger = ctx.init_logger(&*config); !logger) return fail(logger.error());
    auto flows = settlement_flows(*config, options.flow);
    if (!flows) return fail(flows.error());
    auto store = ctx.open_store(*config);
    if (!store) return fail(store.error());
    auto vault = ctx.open_vault();
    if (!vault) ctx.log().warn("no vault: {}", vault.error().describe());
    engine::Dependencies deps{.clock = ctx.clock(), .store = **store};
    deps.config = &*config;
    deps.vault = vault ? vault->get() : nullptr;
    std::optional<Error> last;
    for (const engine::FlowConfig* flow : *flows) {
        auto ledger = ae::read_settlement_ledger(*flow, deps, options.id);
        if (!ledger && ledger.error().code == ErrorCode::kNotFound) {
            last = ledger.error();
            continue;
        }
        std::cout << "flow " << flow->name << "\n";
        if (!ledger) {
            std::cout << "  HELD, not posted: " << ledger.error().message << "\n";
            return kExitFailure;
        }
        std::cout << ae::describe_ledger(*ledger);
        auto binding = (*store)->get_binding(flow->name, ae::kSettlementSystem, options.id);
        if (binding && *binding && (*binding)->state == store::BindingState::kConfirmed) {
            std::cout << "  posted to Epicor: journals " << (*binding)->target_id << " at "
                      << format_iso8601((*binding)->updated_at) << "\n";
        } else {
            std::cout << "  not posted yet (the flow's next run posts it)\n";
        }
        return ledger->check.ok() ? kExitOk : kExitFailure;
    }
    if (last) return fail(*last);
    std::cerr << "mlc: no amazon-settlements-to-epicor flow in the config\n";
    return kExitUsage;
}

}  // namespace

void add_settlement_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand(
        "settlements", "Amazon settlements the amazon-settlements-to-epicor flows post to Epicor");
    group->require_subcommand(1);
    auto options = std::make_shared<SettlementOptions>();
    auto* list = group->add_subcommand("list", "Settlements posted (their journals) and held");
    list->add_option("--flow", options->flow, "Only this flow");
    list->callback([&ctx, &exit_code, options] { exit_code = run_list(ctx, *options); });
    auto* show = group->add_subcommand(
        "show", "One settlement: its grouping, GL accounts, journals and reconciliation");
    show->add_option("ID", options->id, "The Amazon settlement id")->required();
    show->add_option("--flow", options->flow, "Only this flow");
    show->callback([&ctx, &exit_code, options] { exit_code = run_show(ctx, *options); });
}

}  // namespace mlc::cli

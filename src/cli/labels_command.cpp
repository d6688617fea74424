// `mlc labels get ORDER [--flow FLOW] [--out DIR]`: the UPS labels an "epicor-to-ups-shipments"
// flow printed for an Epicor order (flows/epicor_ups/label_folder.hpp), to reprint them: each
// file is listed, and copied into DIR with --out. Exit codes: 0 labels found, 1 none (or a copy
// failed), 2 a bad flow name or config.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "flows/epicor_ups/label_folder.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"

namespace mlc::cli {
namespace {

namespace eu = flows::epicor_ups;

struct LabelOptions {
    std::string order;
    std::string flow;
    std::string out;
};

// The flows that print labels: `only`, or every epicor-to-ups-shipments flow.
Result<std::vector<const engine::FlowConfig*>> label_flows(const engine::Config& config,
                                                           const std::string& only) {
    std::vector<const engine::FlowConfig*> out;
    for (const auto& [name, flow] : config.flows) {
        if (!only.empty() && name != only) continue;
        if (flow.recipe != eu::kShipmentsRecipe) {
            if (!only.empty()) {
                return make_error(ErrorCode::kConfig, "flow '" + only + "' uses recipe " +
                                                          flow.recipe + ", which prints no labels");
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

int copy_out(const std::vector<std::filesystem::path>& files, const std::string& out) {
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    for (const auto& file : files) {
        std::filesystem::copy_file(file, std::filesystem::path(out) / file.filename(),
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) {
            std::cerr << "mlc: cannot copy " << file.string() << " to " << out << ": "
                      << ec.message() << "\n";
            return kExitFailure;
        }
    }
    std::cout << "copied " << files.size() << " label(s) to " << out << "\n";
    return kExitOk;
}

int get_labels(CliContext& ctx, const LabelOptions& options) {
    auto config = ctx.load_config();
    if (!config) {
        print_error(config.error());
        return exit_code_for(config.error());
    }
    auto flows = label_flows(*config, options.flow);
    if (!flows) {
        print_error(flows.error());
        return exit_code_for(flows.error());
    }
    std::vector<std::filesystem::path> found;
    for (const engine::FlowConfig* flow : *flows) {
        auto dir = eu::labels_dir_of(*flow, *config);
        if (!dir) {
            print_error(dir.error());
            return exit_code_for(dir.error());
        }
        for (auto& file : eu::LabelFolder(*dir).of_order(options.order)) {
            std::cout << flow->name << "  " << file.string() << "\n";
            found.push_back(std::move(file));
        }
    }
    if (found.empty()) {
        std::cerr << "mlc: no labels for order " << options.order
                  << " (a label is kept when the flow ships the order; check `mlc audit --key "
                  << options.order << "`)\n";
        return kExitFailure;
    }
    return options.out.empty() ? kExitOk : copy_out(found, options.out);
}

}  // namespace

void add_label_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand(
        "labels", "Shipping labels the epicor-to-ups-shipments flows printed, to reprint them");
    group->require_subcommand(1);
    auto options = std::make_shared<LabelOptions>();
    auto* get = group->add_subcommand("get", "List an Epicor order's label files (and copy them)");
    get->add_option("ORDER", options->order, "The Epicor order number")->required();
    get->add_option("--flow", options->flow, "Only this flow");
    get->add_option("--out", options->out, "Copy the label files into this folder");
    get->callback([&ctx, &exit_code, options] { exit_code = get_labels(ctx, *options); });
}

}  // namespace mlc::cli

// `mlc config check`: every problem in the config at once, each as file:line: field: message
// (hint), plus secrets the vault lacks and recipes this binary does not know. Exit 2 if any.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/flow_setup.hpp"

namespace mlc::cli {

namespace {

constexpr std::size_t kConfigBytesMax = 4 * 1024 * 1024;  // A config is a few KiB.

int run_check(CliContext& ctx) {
    const std::string& path = ctx.options().config_path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "mlc: cannot read config " << path
                  << " (pass --config PATH or set MLC_CONFIG; examples/mlc.yaml is a start)\n";
        return kExitUsage;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > kConfigBytesMax) {
        std::cerr << "mlc: " << path << " is larger than 4 MiB; is it the right file?\n";
        return kExitUsage;
    }
    auto parsed = engine::parse_config(text.str(), path);
    std::vector<engine::ConfigIssue> issues = parsed.issues;
    if (issues.empty()) {
        const auto registry = make_recipe_registry();
        for (const auto& [name, flow] : parsed.config.flows) {
            if (registry.contains(flow.recipe)) continue;
            std::string known;
            for (const auto& recipe : registry.names())
                known += (known.empty() ? "" : ", ") + recipe;
            issues.push_back({.file = path,
                              .line = flow.line,
                              .field = "flows." + name + ".recipe",
                              .message = "unknown recipe \"" + flow.recipe + "\"",
                              .hint = "recipes in this build: " + known});
        }
        auto vault = ctx.open_vault();
        if (vault) {
            auto names = (*vault)->list();
            if (names) {
                auto missing = engine::check_secrets(parsed.config, *names);
                issues.insert(issues.end(), missing.begin(), missing.end());
            }
        } else {
            std::cerr << "warning: secrets not checked: " << vault.error().describe() << "\n";
        }
    }
    for (const auto& issue : issues) std::cout << issue.describe() << "\n";
    if (!issues.empty()) {
        std::cout << issues.size() << " problem(s) in " << path << "\n";
        return kExitUsage;
    }
    std::cout << path << ": OK (" << parsed.config.connections.size() << " connection(s), "
              << parsed.config.flows.size() << " flow(s))\n";
    return kExitOk;
}

}  // namespace

void add_config_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* config = app.add_subcommand("config", "Work with the configuration file");
    config->require_subcommand(1);
    auto* check = config->add_subcommand(
        "check", "Validate the config and its secret references; exit 2 when invalid");
    check->callback([&ctx, &exit_code] { exit_code = run_check(ctx); });
}

}  // namespace mlc::cli

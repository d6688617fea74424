// `mlc config check`: every problem in the config at once, each as file:line: field: message
// (hint): the YAML's, recipes this binary does not know, flow options and mapping tables against
// their recipe's declarations (did you mean, allowed values, durations), secrets the vault lacks
// and a vault that cannot be opened. Exit 2 (config error) if any.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/flow_setup.hpp"

namespace mlc::cli {

namespace {

constexpr std::size_t kConfigBytesMax = 4 * 1024 * 1024;  // A config is a few KiB.

// Unknown recipes and, for known ones, every option and mapping table against its declarations.
void check_flows(const engine::Config& config, const std::string& path,
                 std::vector<engine::ConfigIssue>& issues) {
    const auto registry = make_recipe_registry();
    for (const auto& [name, flow] : config.flows) {
        if (flow.recipe.empty()) continue;  // Missing or invalid: reported by the parse.
        if (!registry.contains(flow.recipe)) {
            std::string known;
            for (const auto& recipe : registry.names())
                known += (known.empty() ? "" : ", ") + recipe;
            issues.push_back({.file = path,
                              .line = flow.line,
                              .field = "flows." + name + ".recipe",
                              .message = "unknown recipe \"" + flow.recipe + "\"",
                              .hint = "recipes in this build: " + known});
            continue;
        }
        auto found = registry.check_options(flow, path);
        issues.insert(issues.end(), found.begin(), found.end());
    }
}

// Secrets the vault lacks; a vault that cannot be opened (no `mlc init`, a wrong master key) is a
// problem of its own when anything names a secret (a connection, the metrics token, an alert
// channel, the PostgreSQL password).
void check_vault(CliContext& ctx, const engine::Config& config, const std::string& path,
                 std::vector<engine::ConfigIssue>& issues) {
    int first_line = 0;
    const auto names_secret = [&first_line](const std::string& secret, int line) {
        if (secret.empty()) return;
        if (first_line == 0 || line < first_line) first_line = std::max(line, 1);
    };
    for (const auto& [name, connection] : config.connections) {
        for (const auto& [role, line] : connection.secret_lines) names_secret(role, line);
    }
    names_secret(config.server.metrics_token_secret, config.server.metrics_token_line);
    names_secret(config.store.password_secret, config.store.password_secret_line);
    if (const auto& email = config.alerts.email) names_secret(email->password_secret, email->line);
    if (const auto& hook = config.alerts.webhook) names_secret(hook->signing_secret, hook->line);
    if (first_line == 0) return;  // Nothing names a secret.
    auto vault = ctx.open_vault();
    if (!vault) {
        issues.push_back({.file = path,
                          .line = first_line,
                          .field = "secrets",
                          .message = "the vault cannot be opened, so no secret was checked: " +
                                     vault.error().message,
                          .hint = ""});  // The vault's message names the fix.
        return;
    }
    auto names = (*vault)->list();
    if (!names) {
        issues.push_back({.file = path,
                          .line = first_line,
                          .field = "secrets",
                          .message = "the vault cannot be read: " + names.error().message,
                          .hint = "restore vault.json from a backup or run `mlc init` again"});
        return;
    }
    auto missing = engine::check_secrets(config, *names);
    issues.insert(issues.end(), missing.begin(), missing.end());
}

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
    // Best effort past the first problems: the parse keeps what it could read, so the recipe,
    // option and secret checks still run and one pass reports everything.
    auto parsed = engine::parse_config(text.str(), path);
    std::vector<engine::ConfigIssue> issues = parsed.issues;
    check_flows(parsed.config, path, issues);
    check_vault(ctx, parsed.config, path, issues);
    std::stable_sort(issues.begin(), issues.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
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
    auto* check =
        config->add_subcommand("check",
                               "Validate the config, its flows' options and its secret references; "
                               "every problem in one pass with its line; exit 2 when invalid");
    check->callback([&ctx, &exit_code] { exit_code = run_check(ctx); });
}

}  // namespace mlc::cli

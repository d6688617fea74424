#pragma once
// One function per command group; each adds its sub-commands to `app`. A command's callback runs
// after parsing and stores its exit code in `exit_code` (cli_context.hpp lists the codes).

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace mlc::cli {

void add_init_command(CLI::App& app, CliContext& ctx, int& exit_code);         // init
void add_secret_commands(CLI::App& app, CliContext& ctx, int& exit_code);      // secret ...
void add_config_commands(CLI::App& app, CliContext& ctx, int& exit_code);      // config check
void add_run_commands(CLI::App& app, CliContext& ctx, int& exit_code);         // run, sync
void add_status_commands(CLI::App& app, CliContext& ctx, int& exit_code);      // status, audit
void add_alerts_commands(CLI::App& app, CliContext& ctx, int& exit_code);      // alerts ...
void add_deadletter_commands(CLI::App& app, CliContext& ctx, int& exit_code);  // deadletters ...
void add_difference_commands(CLI::App& app, CliContext& ctx, int& exit_code);  // differences ...
void add_sandbox_command(CLI::App& app, CliContext& ctx, int& exit_code);      // sandbox
void add_ping_command(CLI::App& app, CliContext& ctx, int& exit_code);         // ping
void add_demo_command(CLI::App& app, CliContext& ctx, int& exit_code);         // demo
void add_webhook_commands(CLI::App& app, CliContext& ctx, int& exit_code);     // webhooks ...
void add_label_commands(CLI::App& app, CliContext& ctx, int& exit_code);       // labels get
void add_settlement_commands(CLI::App& app, CliContext& ctx, int& exit_code);  // settlements ...
void add_recipes_command(CLI::App& app, CliContext& ctx, int& exit_code);      // recipes
void add_console_commands(CLI::App& app, CliContext& ctx, int& exit_code);     // console user ...
void add_mappings_commands(CLI::App& app, CliContext& ctx, int& exit_code);    // mappings ...
void add_store_commands(CLI::App& app, CliContext& ctx, int& exit_code);       // store migrate
// backup, restore, store check
void add_backup_commands(CLI::App& app, CliContext& ctx, int& exit_code);

// The command group `name` of `app` (needing a sub-command), added by whichever command file
// comes first: several files add commands to one group (`mlc store check`, `mlc store migrate`).
inline CLI::App* command_group(CLI::App& app, const std::string& name,
                               const std::string& description) {
    const auto existing =
        app.get_subcommands([&name](const CLI::App* sub) { return sub->get_name() == name; });
    if (!existing.empty()) return existing.front();
    CLI::App* group = app.add_subcommand(name, description);
    group->require_subcommand(1);
    return group;
}

// Reads a secret from a prompt with echo off on a terminal, else all of stdin minus one trailing
// newline (so `echo value | mlc secret set NAME` works); `what` names it in the prompt and the
// errors ("value for secret NAME"). kConfig when empty, kInvalidInput past 64 KiB.
Result<std::string> read_hidden_value(const std::string& what);

}  // namespace mlc::cli

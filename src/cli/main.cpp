// mlc: the command line. The composition root: the only place that reads the environment
// (MLC_CONFIG, MLC_DATA_DIR, MLC_MASTER_KEY) and picks the real clock.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"

#ifndef MLC_VERSION
#define MLC_VERSION "0.0.0"
#endif

namespace {

constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok, 1 failure, 2 usage or config error, 3 partial (some records parked as "
    "dead letters), 130 interrupted.\n"
    "Environment: MLC_CONFIG (config path), MLC_DATA_DIR (data directory), MLC_MASTER_KEY "
    "(base64 master key, instead of <data-dir>/master.key).";

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace mlc::cli;
    mlc::SystemClock clock;
    GlobalOptions options;
    if (auto path = env("MLC_CONFIG")) options.config_path = *path;
    if (auto dir = env("MLC_DATA_DIR")) options.data_dir = *dir;
    CliContext ctx(options, Environment{.master_key = env("MLC_MASTER_KEY")}, clock);

    CLI::App app{
        "ml-connector: moves orders, shipments, parts and money between ERPs and "
        "commerce/shipping systems",
        "mlc"};
    app.footer(kExitCodesHelp);
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--config,-c", options.config_path,
                   "Config file (default ./mlc.yaml, env "
                   "MLC_CONFIG)");
    app.add_option("--data-dir", options.data_dir,
                   "Master key and vault directory (default ./.mlc, env MLC_DATA_DIR)");
    app.add_option("--log-format", options.log_format, "text | json (default: the config's)")
        ->check(CLI::IsMember({"text", "json"}));
    app.add_option("--log-level", options.log_level,
                   "trace | debug | info | warn | error | critical | off");

    int exit_code = kExitOk;
    add_init_command(app, ctx, exit_code);
    add_secret_commands(app, ctx, exit_code);
    add_config_commands(app, ctx, exit_code);
    add_run_commands(app, ctx, exit_code);
    add_status_commands(app, ctx, exit_code);
    add_alerts_commands(app, ctx, exit_code);
    add_deadletter_commands(app, ctx, exit_code);
    add_difference_commands(app, ctx, exit_code);
    add_sandbox_command(app, ctx, exit_code);
    add_ping_command(app, ctx, exit_code);
    add_demo_command(app, ctx, exit_code);
    add_webhook_commands(app, ctx, exit_code);
    add_label_commands(app, ctx, exit_code);
    add_settlement_commands(app, ctx, exit_code);
    add_recipes_command(app, ctx, exit_code);
    add_console_commands(app, ctx, exit_code);
    add_mappings_commands(app, ctx, exit_code);
    add_store_commands(app, ctx, exit_code);
    add_backup_commands(app, ctx, exit_code);
    app.add_subcommand("version", "Print the version")->callback([] {
        std::cout << "mlc " << MLC_VERSION << "\n";
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 answers --help before it looks at words it did not understand, so `mlc nonsense
        // --help` would print the top help and exit 0: an unknown word is an error first.
        const bool help = dynamic_cast<const CLI::CallForHelp*>(&e) != nullptr ||
                          dynamic_cast<const CLI::CallForAllHelp*>(&e) != nullptr;
        if (const auto unknown = app.remaining(true); help && !unknown.empty()) {
            std::cerr << "mlc: unknown command or argument '" << unknown.front()
                      << "' (run `mlc --help` for the commands)\n";
            return kExitUsage;
        }
        const int code = app.exit(e);  // Prints help or the parse error.
        return code == 0 ? kExitOk : kExitUsage;
    }
    return exit_code;
}

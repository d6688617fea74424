// `mlc backup FILE`, `mlc restore FILE [--yes]` and `mlc store check`: the SQLite state file
// cared for through SQLite's online backup API (store/sqlite/sqlite_backup.hpp). A backup may be
// taken while `mlc run` works (one consistent snapshot); a restore needs the daemon stopped (it is
// refused while a live worker holds a flow lease), asks first, and keeps the state it replaces as
// <state>.before-restore-<UTC time>. A PostgreSQL store (store.url) is backed up with PostgreSQL's
// own tools (pg_dump / pg_restore): these commands say so. Exit codes: 0 done, 1 failure (a
// damaged file, a store error), 2 a bad argument or a PostgreSQL store.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "common/time.hpp"
#include "engine/flow_lease.hpp"
#include "store/sqlite/sqlite_backup.hpp"

namespace mlc::cli {
namespace {

struct BackupOptions {
    std::string file;
    bool yes = false;
    bool full = false;
};

// The SQLite path of the configured store; kConfig for a PostgreSQL one.
Result<engine::Config> sqlite_config(CliContext& ctx) {
    MLC_TRY(auto config, ctx.load_config());
    if (!config.store.url.empty()) {
        return make_error(ErrorCode::kConfig, "backup",
                          "the store is PostgreSQL (store.url): back it up with pg_dump and "
                          "restore it with pg_restore, PostgreSQL's own tools");
    }
    return config;
}

std::string describe(const store::SqliteFileReport& report) {
    return fmt::format("{} bytes, schema {}, integrity {}", report.bytes, report.schema_version,
                       report.integrity);
}

int run_backup(CliContext& ctx, const BackupOptions& options) {
    auto config = sqlite_config(ctx);
    if (!config) return fail(config.error());
    auto done = store::backup_sqlite(config->store.path, options.file);
    if (!done) return fail(done.error());
    std::cout << fmt::format("backup of {} written to {} ({})\n", config->store.path, options.file,
                             describe(*done));
    return kExitOk;
}

// kConflict naming the worker when a live one holds a flow's lease.
Result<void> no_live_worker(CliContext& ctx, const engine::Config& config) {
    if (!std::filesystem::exists(config.store.path)) return ok();  // Nothing runs on it yet.
    auto opened = ctx.open_store(config);
    if (!opened) return ok();  // A damaged state file: nothing can hold a lease in it.
    const auto gone = ctx.worker_gone();
    for (const auto& [name, flow] : config.flows) {
        MLC_TRY(auto holder, (*opened)->lease_holder(engine::flow_lease_name(name)));
        if (!holder || holder->until < ctx.clock().now() || gone(holder->owner)) continue;
        return make_error(ErrorCode::kConflict, "restore",
                          "flow " + name + " is held by the running worker " + holder->owner +
                              ": stop mlc run first (systemctl stop mlc), then restore");
    }
    return ok();
}

int run_restore(CliContext& ctx, const BackupOptions& options) {
    auto config = sqlite_config(ctx);
    if (!config) return fail(config.error());
    if (auto free = no_live_worker(ctx, *config); !free) return fail(free.error());
    const std::string& live = config->store.path;
    if (!options.yes && !confirm("replace the state in " + live + " with " + options.file +
                                 "? (the current state is kept beside it)")) {
        std::cerr << "mlc: nothing restored\n";
        return kExitFailure;
    }
    std::string kept;
    if (std::filesystem::exists(live)) {
        kept = live + ".before-restore-" + format_iso8601(ctx.clock().now());
        if (auto saved = store::backup_sqlite(live, kept); !saved) {
            std::cerr << "mlc: the current state could not be kept (" << saved.error().describe()
                      << "); restoring anyway\n";
            kept.clear();
        }
    }
    auto restored = store::restore_sqlite(options.file, live);
    if (!restored) return fail(restored.error());
    std::cout << fmt::format("restored {} into {} ({})\n", options.file, live, describe(*restored));
    if (!kept.empty()) std::cout << "the state it replaced is in " << kept << "\n";
    return kExitOk;
}

int run_check(CliContext& ctx, const BackupOptions& options) {
    auto config = sqlite_config(ctx);
    if (!config) return fail(config.error());
    auto checked = store::check_sqlite(config->store.path, !options.full);
    if (!checked) return fail(checked.error());
    if (checked->integrity != "ok") {
        std::cout << fmt::format("{} is damaged: {}\nwhat to do: {}\n", config->store.path,
                                 checked->integrity,
                                 store::damaged_state_advice(config->store.path));
        return kExitFailure;
    }
    std::cout << fmt::format("{}: {}\n", config->store.path, describe(*checked));
    return kExitOk;
}

}  // namespace

void add_backup_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto options = std::make_shared<BackupOptions>();
    auto* backup = app.add_subcommand(
        "backup", "Copy the state database to FILE (safe while mlc run works; never overwrites)");
    backup->add_option("FILE", options->file, "The new backup file")->required();
    backup->callback([&ctx, &exit_code, options] { exit_code = run_backup(ctx, *options); });

    auto* restore = app.add_subcommand(
        "restore", "Replace the state database with a backup (mlc run stopped; asks first)");
    restore->add_option("FILE", options->file, "A file written by mlc backup")->required();
    restore->add_flag("--yes,-y", options->yes, "Do not ask");
    restore->callback([&ctx, &exit_code, options] { exit_code = run_restore(ctx, *options); });

    CLI::App* store = command_group(app, "store", "The state database");
    auto* check = store->add_subcommand(
        "check", "Check the state database for damage (quick; --full reads every row)");
    check->add_flag("--full", options->full, "PRAGMA integrity_check instead of quick_check");
    check->callback([&ctx, &exit_code, options] { exit_code = run_check(ctx, *options); });
}

}  // namespace mlc::cli

// `mlc store migrate --from sqlite:PATH --to postgresql://...`: an installation's SQLite state
// copied into PostgreSQL (store/migrate/sqlite_to_postgres.hpp), in one transaction, verified by
// per-table row counts and SHA-256 checksums computed on both sides and printed at the end.
// Progress lines (stderr) on long tables. Refuses a target that already holds mlc state unless
// --force. Exit codes: 0 migrated and verified, 1 refused or failed (nothing committed), 2 a bad
// argument. The target URL's password is never printed.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "store/migrate/sqlite_to_postgres.hpp"
#include "store/postgres/postgres_state_store.hpp"

namespace mlc::cli {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::int64_t kProgressEvery = 10'000;

struct MigrateOptions {
    std::string from;
    std::string to;
    bool force = false;
};

// The SQLite path of --from, or kConfig saying how to write it.
Result<std::string> sqlite_path(const std::string& from) {
    if (from.rfind(kSqlitePrefix, 0) != 0 || from.size() == kSqlitePrefix.size()) {
        return make_error(ErrorCode::kConfig, "store migrate",
                          "--from must be sqlite:PATH, the state file mlc run uses (e.g. "
                          "--from sqlite:/var/lib/mlc/mlc-state.db)");
    }
    return from.substr(kSqlitePrefix.size());
}

Result<void> check_target(const MigrateOptions& options) {
    if (!store::is_postgres_url(options.to)) {
        return make_error(ErrorCode::kConfig, "store migrate",
                          "--to must be a postgresql://user:password@host:port/database URL");
    }
    return ok();
}

void print_report(const std::string& from, const std::string& to,
                  const store::StoreMigrationReport& report) {
    std::cout << fmt::format("migrated {} -> {}{}\n", from, store::redact_postgres_url(to),
                             report.replaced ? " (its earlier mlc state replaced)" : "");
    std::cout << fmt::format("{:<20} {:>10}  {}\n", "table", "rows", "sha256");
    for (const auto& table : report.tables) {
        std::cout << fmt::format("{:<20} {:>10}  {}\n", table.name, table.rows, table.checksum);
    }
    std::cout << "verified: every table's row count and SHA-256 are the same in both stores\n"
                 "next: set store.url in mlc.yaml to the PostgreSQL URL, then start mlc run\n";
}

int run_migrate(const MigrateOptions& options) {
    auto path = sqlite_path(options.from);
    if (!path) return fail(path.error());
    if (auto target = check_target(options); !target) return fail(target.error());
    store::StoreMigrationOptions migration;
    migration.force = options.force;
    migration.progress_every = kProgressEvery;
    migration.progress = [](std::string_view table, std::int64_t done, std::int64_t total) {
        if (total < kProgressEvery) return;  // Short tables: the summary says enough.
        std::cerr << fmt::format("copying {}: {}/{} rows\n", table, done, total);
    };
    auto report = store::migrate_sqlite_to_postgres(*path, options.to, migration);
    if (!report) return fail(report.error());
    print_report(options.from, options.to, *report);
    return kExitOk;
}

}  // namespace

void add_store_commands(CLI::App& app, CliContext& /*ctx*/, int& exit_code) {
    CLI::App* store = command_group(app, "store", "The state database");
    auto options = std::make_shared<MigrateOptions>();
    auto* migrate = store->add_subcommand(
        "migrate",
        "Copy an SQLite state file into PostgreSQL, verified by row counts and checksums (stop "
        "mlc run first: later writes to the file are not copied)");
    migrate->add_option("--from", options->from, "sqlite:PATH, the state file to copy")->required();
    migrate->add_option("--to", options->to, "postgresql://user:password@host:port/database")
        ->required();
    migrate->add_flag("--force", options->force,
                      "Replace the mlc state the target already holds (refused otherwise)");
    migrate->callback([&exit_code, options] { exit_code = run_migrate(*options); });
}

}  // namespace mlc::cli

// `mlc init`: the data directory (0700), its master key file (0600) and an empty vault.
#include <sys/stat.h>

#include <fstream>
#include <iostream>

#include "cli/commands.hpp"

namespace mlc::cli {

namespace {

Result<void> create_data_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return make_error(ErrorCode::kConfig, "cannot create the data directory " + dir.string() +
                                                  ": " + ec.message() + "; check --data-dir");
    }
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    return ok();
}

// An empty vault file, readable by the owner only (SodiumVault keeps that mode on rewrites).
Result<void> create_empty_vault(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return ok();
    {
        std::ofstream out(path, std::ios::binary);
        out << "{}\n";
        if (!out) return make_error(ErrorCode::kConfig, "cannot write " + path.string());
    }
    ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
    return ok();
}

int run_init(CliContext& ctx) {
    const auto dir = ctx.data_dir();
    const auto key_path = dir / kMasterKeyFile;
    std::error_code ec;
    if (std::filesystem::exists(key_path, ec)) {
        std::cerr << "mlc: " << key_path.string()
                  << " already exists; refusing to replace it (that would lock the vault "
                     "it opens). Nothing changed.\n";
        return kExitFailure;
    }
    if (auto made = create_data_dir(dir); !made) {
        print_error(made.error());
        return kExitFailure;
    }
    auto key = auth::generate_master_key_file(key_path);
    if (!key) {
        print_error(key.error());
        return kExitFailure;
    }
    if (auto vault = create_empty_vault(dir / kVaultFile); !vault) {
        print_error(vault.error());
        return kExitFailure;
    }
    std::cout << "initialized " << dir.string() << ": master key " << key_path.string()
              << " (mode 0600; back it up, the vault cannot be opened without it), empty vault "
              << (dir / kVaultFile).string() << "\n"
              << "next: `mlc secret set NAME` for each secret your config names, then "
                 "`mlc config check`\n";
    return kExitOk;
}

}  // namespace

void add_init_command(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* init = app.add_subcommand(
        "init", "Create the data directory, its master key file (mode 0600) and an empty vault");
    init->callback([&ctx, &exit_code] { exit_code = run_init(ctx); });
}

}  // namespace mlc::cli

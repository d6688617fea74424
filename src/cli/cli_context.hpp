#pragma once
// CliContext: what every `mlc` command shares: the global options, the environment values main.cpp
// read (the only place that reads the environment), the logger, and helpers that open the
// config, the vault and the store with messages a user can act on.
//
// Lifecycle: one per process, built in main.cpp after parsing. Thread safety: used by the main
// thread only. Ownership: owns the logger and whatever the open_* helpers return to it.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "auth/sodium_vault.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "engine/flow_lease.hpp"
#include "store/state_store.hpp"

namespace mlc::cli {

// Exit codes (README.md, `mlc --help`).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;    // Bad command line or invalid config.
inline constexpr int kExitPartial = 3;  // Done, but some records were parked as dead letters.
inline constexpr int kExitInterrupted = 130;

inline constexpr const char* kMasterKeyFile = "master.key";
inline constexpr const char* kVaultFile = "vault.json";

struct GlobalOptions {
    std::string config_path = "./mlc.yaml";
    std::string data_dir = "./.mlc";
    std::string log_format;  // Empty: the config's (or text).
    std::string log_level;   // Empty: the config's (or info).
};

// Values main.cpp read from the environment.
struct Environment {
    std::optional<std::string> master_key;  // MLC_MASTER_KEY (base64). Never logged.
};

class CliContext {
  public:
    // `options` is filled by the command-line parser; it must outlive the context.
    CliContext(const GlobalOptions& options, Environment env, Clock& clock);

    const GlobalOptions& options() const { return options_; }
    Clock& clock() { return clock_; }
    std::filesystem::path data_dir() const { return options_.data_dir; }

    // Builds the logger from the flags, falling back to `config` (when loaded), then defaults.
    // kConfig for an unknown format or level word.
    Result<void> init_logger(const engine::Config* config);
    spdlog::logger& log();
    std::shared_ptr<spdlog::logger> log_ptr();

    // The --config file, its relative paths (store.path, path options such as labels_dir)
    // resolved against the file's folder.
    Result<engine::Config> load_config() const;
    // The master key from MLC_MASTER_KEY, else <data-dir>/master.key; kConfig naming the fix.
    Result<auth::MasterKey> master_key() const;
    // The vault in <data-dir>/vault.json under the master key, verified.
    Result<std::unique_ptr<auth::SodiumVault>> open_vault() const;
    // store.password_secret's value from the vault; empty when the config names none.
    Result<std::string> store_password(const engine::Config& config) const;
    Result<std::unique_ptr<store::StateStore>> open_store(const engine::Config& config) const;
    // The config loaded, the logger built from it, and its state store: what a command that only
    // reads or edits the store needs.
    Result<std::unique_ptr<store::StateStore>> open_configured_store();
    // "host:pid": the lease owner of this process.
    std::string worker_id() const;
    // Whether a lease owner ("host:pid", "host:pid/replay") is a worker of this host whose process
    // is gone (SIGKILL, crash): its flow leases are then taken over at once. Never true for a
    // live process, another host's worker or an owner it cannot read.
    engine::HolderGone worker_gone() const;

  private:
    const GlobalOptions& options_;
    Environment env_;
    Clock& clock_;
    std::shared_ptr<spdlog::logger> log_;
};

// Prints an error for the user on stderr ("mlc: <describe>").
void print_error(const Error& error);
// Exit code for an error: kConfig -> 2, kCancelled -> 130, anything else -> 1.
int exit_code_for(const Error& error);
// print_error, then the exit code for it: every command's way to end on an error.
int fail(const Error& error);
// Asks "<question> [y/N] " on stderr and reads a line from stdin; true for y/yes.
bool confirm(const std::string& question);

}  // namespace mlc::cli

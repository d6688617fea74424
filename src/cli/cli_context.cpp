#include "cli/cli_context.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <iostream>

#include <fmt/format.h>

#include "cli/flow_setup.hpp"
#include "store/postgres/postgres_state_store.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::cli {

namespace {
constexpr std::size_t kHostNameMax = 256;
}

CliContext::CliContext(const GlobalOptions& options, Environment env, Clock& clock)
    : options_(options), env_(std::move(env)), clock_(clock) {}

Result<void> CliContext::init_logger(const engine::Config* config) {
    LogOptions log_options;
    if (config != nullptr) {
        log_options.format = config->log.format;
        log_options.level = config->log.level;
    }
    if (!options_.log_format.empty()) {
        MLC_TRY(log_options.format, parse_log_format(options_.log_format));
    }
    if (!options_.log_level.empty()) {
        MLC_TRY(log_options.level, parse_log_level(options_.log_level));
    }
    log_ = make_logger(log_options);
    return ok();
}

spdlog::logger& CliContext::log() { return *log_ptr(); }

std::shared_ptr<spdlog::logger> CliContext::log_ptr() {
    if (!log_) log_ = make_logger(LogOptions{});
    return log_;
}

Result<engine::Config> CliContext::load_config() const {
    // store.path is resolved by engine::load_config; the flows' path options (labels_dir) by the
    // recipe that declares them: both against the config file's folder, not the current one.
    MLC_TRY(engine::Config config, engine::load_config(options_.config_path));
    const auto registry = make_recipe_registry();
    for (auto& [name, flow] : config.flows) registry.resolve_paths(flow, options_.config_path);
    return config;
}

Result<auth::MasterKey> CliContext::master_key() const {
    if (env_.master_key) {
        auto key = auth::parse_master_key(*env_.master_key);
        if (!key) return with_context(std::move(key).error(), "while reading MLC_MASTER_KEY");
        return key;
    }
    const auto path = data_dir() / kMasterKeyFile;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return make_error(ErrorCode::kConfig,
                          fmt::format("no master key: {} does not exist and MLC_MASTER_KEY is not "
                                      "set; run `mlc init` (or pass --data-dir)",
                                      path.string()));
    }
    return auth::read_master_key_file(path);
}

Result<std::unique_ptr<auth::SodiumVault>> CliContext::open_vault() const {
    MLC_TRY(const auto key, master_key());
    // With MLC_MASTER_KEY and no `mlc init`, the data directory may not exist yet.
    std::error_code ec;
    if (!std::filesystem::exists(data_dir(), ec)) {
        std::filesystem::create_directories(data_dir(), ec);
        if (ec) {
            return make_error(ErrorCode::kConfig, "cannot create the data directory " +
                                                      data_dir().string() + ": " + ec.message());
        }
        std::filesystem::permissions(data_dir(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
    }
    auto vault = std::make_unique<auth::SodiumVault>(data_dir() / kVaultFile, key);
    MLC_CHECK(vault->verify());
    return vault;
}

Result<std::unique_ptr<store::StateStore>> CliContext::open_configured_store() {
    MLC_TRY(engine::Config config, load_config());
    MLC_CHECK(init_logger(&config));
    return open_store(config);
}

// The PostgreSQL password from the vault (store.password_secret); empty when none is named.
Result<std::string> CliContext::store_password(const engine::Config& config) const {
    const std::string& name = config.store.password_secret;
    if (name.empty()) return std::string();
    auto vault = open_vault();
    if (!vault) {
        return make_error(ErrorCode::kConfig, "config",
                          "store.password_secret names '" + name +
                              "' but the vault cannot be opened (" + vault.error().message +
                              "): run `mlc init`, then `mlc secret set " + name + "`");
    }
    auto password = (*vault)->get(name);
    if (!password || password->empty()) {
        return make_error(ErrorCode::kConfig, "config",
                          "store.password_secret: the vault has no secret '" + name +
                              "': run `mlc secret set " + name + "`");
    }
    return std::move(*password);
}

Result<std::unique_ptr<store::StateStore>> CliContext::open_store(
    const engine::Config& config) const {
    if (!config.store.url.empty()) {  // PostgreSQL: several workers on one database.
        store::PostgresStoreOptions options;
        options.clock = &clock_;
        MLC_TRY(options.password, store_password(config));
        auto opened = store::PostgresStateStore::open(config.store.url, options);
        if (!opened) {
            return with_context(
                std::move(opened).error(),
                "while opening the state store " + store::redact_postgres_url(config.store.url));
        }
        return std::unique_ptr<store::StateStore>(std::move(*opened));
    }
    store::SqliteStoreOptions store_options;
    store_options.clock = &clock_;
    auto opened = store::SqliteStateStore::open(config.store.path, store_options);
    if (!opened) {
        return with_context(std::move(opened).error(),
                            "while opening the state store " + config.store.path);
    }
    return std::unique_ptr<store::StateStore>(std::move(*opened));
}

engine::HolderGone CliContext::worker_gone() const {
    std::array<char, kHostNameMax> host{};
    if (gethostname(host.data(), host.size() - 1) != 0) return {};
    return [this_host = std::string(host.data())](const std::string& owner) {
        const std::string worker = owner.substr(0, owner.find('/'));  // "host:pid"
        const auto colon = worker.rfind(':');
        if (colon == std::string::npos || worker.substr(0, colon) != this_host) return false;
        long pid = 0;
        const char* digits = worker.c_str() + colon + 1;
        const auto [end, ec] = std::from_chars(digits, worker.c_str() + worker.size(), pid);
        if (ec != std::errc() || end != worker.c_str() + worker.size() || pid <= 0) return false;
        return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    };
}

std::string CliContext::worker_id() const {
    std::array<char, kHostNameMax> host{};
    if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
    return fmt::format("{}:{}", host.data(), static_cast<long>(getpid()));
}

void print_error(const Error& error) { std::cerr << "mlc: " << error.describe() << "\n"; }

int fail(const Error& error) {
    print_error(error);
    return exit_code_for(error);
}

int exit_code_for(const Error& error) {
    switch (error.code) {
        case ErrorCode::kConfig:
            return kExitUsage;
        case ErrorCode::kCancelled:
            return kExitInterrupted;
        default:
            return kExitFailure;
    }
}

bool confirm(const std::string& question) {
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace mlc::cli

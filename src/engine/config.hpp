#pragma once
// The YAML configuration (mlc.yaml) loaded into plain structs, with validation that reports every
// problem at once, each with file, line, field path and a hint:
//
//   version: 1
//   store: {path: ./mlc-state.db}
//   server: {address: 127.0.0.1, port: 8787}
//   log: {format: text, level: info}
//   connections:
//     ss: {system: shipstation, base_url: https://ssapi.shipstation.com,
//          options: {rate_per_minute: 40}, secrets: {api_key: ss_key, api_secret: ss_secret}}
//   flows:
//     orders: {recipe: shipstation_epicor_orders, connections: {source: ss, target: epicor},
//              schedule: {every: 5m, jitter: 10%}, enabled: true, options: {...},
//              mappings: {customers: {"ACME-WEB": "C0001"}}}
//
// Unknown keys are errors (with a did-you-mean hint), so a typo never silently disables a setting.
// Connection references from flows must exist; secret references are checked against the vault's
// names by validate_secrets(), which needs the vault and so runs after loading.
//
// Pure functions over text; load_config() only reads the one file. Values are plain data
// (copyable, no I/O); thread safety: none needed.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "common/result.hpp"

namespace mlc::engine {

// Option values are scalars kept as their YAML text; the component that owns an option parses it.
using ScalarMap = std::map<std::string, std::string, std::less<>>;

struct StoreConfig {
    // SQLite file. load_config() resolves a relative path against the config file's folder, so
    // `mlc -c /etc/mlc/mlc.yaml status` run anywhere opens the same database.
    std::string path = "./mlc-state.db";
    // "postgresql://user:password@host:5432/db": the PostgreSQL store (store/postgres/) instead
    // of the SQLite file, for several workers on one database. Empty: SQLite at `path`. The
    // password belongs in the vault (`password_secret`); one written in the URL still works.
    // Neither is ever logged.
    std::string url = {};
    // The vault name of the PostgreSQL password (`mlc secret set NAME`), given to libpq as its
    // `password` parameter (it wins over a password in the URL). Empty: none from the vault.
    std::string password_secret = {};
    int password_secret_line = 0;
    // Processed webhook inbox events are deleted this long after they arrived (their delivery id
    // and body hash stay for `duplicate_window`, so a redelivery is still a duplicate).
    std::chrono::seconds inbox_retention{std::chrono::hours(7 * 24)};
    std::chrono::seconds duplicate_window{std::chrono::hours(30 * 24)};  // >= inbox_retention
    // `store.retention.audit`: audit events older than this are deleted in the background, their
    // counts kept per day, flow, action and outcome (engine/store_upkeep.hpp, store/README.md).
    // At least one day.
    std::chrono::seconds audit_retention{std::chrono::hours(90 * 24)};
};

struct ServerConfig {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8787;  // 0 = any free port (tests).
    // Request handler threads. A webhook delivery holds one until its group commit is durable, so
    // this bounds how many deliveries share one commit (store/inbox_commit_queue.hpp).
    int threads = 16;
    // Where vendors deliver webhooks (a TLS proxy in front of this server), without a trailing
    // slash; empty: http://<address>:<port>. See engine/webhooks.hpp.
    std::string public_url;
    // The vault secret a scraper must send as `Authorization: Bearer <value>` to read /metrics;
    // empty: /metrics is open (like /healthz). Only the name is in the config.
    std::string metrics_token_secret = {};
    int metrics_token_line = 0;
};

struct LogConfig {
    LogFormat format = LogFormat::kText;
    LogLevel level = LogLevel::kInfo;
};

struct ConnectionConfig {
    std::string name;
    std::string system;    // shipstation|epicor|woocommerce|ups|amazon|acumatica|sandbox
    std::string base_url;  // Required except for system sandbox.
    ScalarMap options;     // company, instance, auth (basic|bearer), rate_per_minute, burst, ...
    ScalarMap secrets;     // role -> vault secret name ("api_key" -> "ss_key")
    std::map<std::string, int, std::less<>> secret_lines;  // role -> line of its secret name
    int line = 0;  // Where the connection is defined (1-based).
};

struct ScheduleConfig {
    std::chrono::seconds every{300};
    std::chrono::seconds jitter{0};  // Resolved: "10%" of 5m is 30s.
    int jitter_percent = 0;          // As written when given as a percentage, else 0.
};

struct FlowConfig {
    std::string name;
    std::string recipe;
    std::map<std::string, std::string, std::less<>> connections;  // role -> connection name
    std::optional<ScheduleConfig> schedule;  // None: the flow runs only on events or by hand.
    bool enabled = true;
    ScalarMap options;
    std::map<std::string, ScalarMap, std::less<>> mappings;  // table -> {from: to}
    int line = 0;
    std::map<std::string, int, std::less<>> option_lines;   // option -> line of its value
    std::map<std::string, int, std::less<>> mapping_lines;  // table -> line of its name
};

// Where alert notifications go (engine/alert_notifier.hpp). Secrets are vault names.
struct AlertEmailConfig {
    // smtp://host:587 (STARTTLS is required) or smtps://host:465 (TLS from the first byte).
    std::string smtp_url = {};
    std::string from = {};
    std::vector<std::string> to = {};
    std::string username = {};         // Empty: no login.
    std::string password_secret = {};  // Vault name of the SMTP password.
    std::string ca_file = {};          // A private CA for the mail server; empty: the system's.
    int line = 0;
};

struct AlertWebhookConfig {
    std::string url = {};  // Slack-compatible incoming webhook (http or https).
    // Vault name of the HMAC-SHA256 key that signs each delivery; empty: unsigned.
    std::string signing_secret = {};
    int line = 0;
};

// The `alerts:` section: the rules engine/alert_rules.hpp evaluates and the channels it notifies.
struct AlertsConfig {
    std::chrono::seconds check_every{60};
    std::chrono::seconds flow_failing_after{std::chrono::minutes(15)};  // Failing this long.
    int flow_lagging_intervals = 3;  // No good run for this many schedule intervals.
    int dead_letters_max = 25;       // Open dead letters of a flow above this.
    std::chrono::seconds retry_backoff_max{std::chrono::hours(1)};  // Failed notifications.
    // How often the daemon pings each running flow's connections (authenticate, reach the API).
    std::chrono::seconds connection_check_every{std::chrono::minutes(15)};
    // A vault secret with an expiry (`mlc secret set NAME --expires DATE`) is raised this long
    // before it.
    std::chrono::seconds secrets_expire_within{std::chrono::hours(14 * 24)};
    std::optional<AlertEmailConfig> email = {};
    std::optional<AlertWebhookConfig> webhook = {};
};

struct Config {
    int version = 1;
    std::string file;  // Where it was loaded from (for messages).
    StoreConfig store;
    ServerConfig server;
    LogConfig log;
    AlertsConfig alerts;
    std::map<std::string, ConnectionConfig, std::less<>> connections;
    std::map<std::string, FlowConfig, std::less<>> flows;
};

// One problem found in a config file.
struct ConfigIssue {
    std::string file;
    int line = 0;       // 1-based; 0 when the problem is not at one place.
    std::string field;  // "flows.orders.schedule.every"
    std::string message;
    std::string hint;  // "durations look like 30s, 5m, 1h"; may be empty.

    // "mlc.yaml:12: flows.orders.schedule.every: not a duration: "5 minutes" (hint: ...)"
    std::string describe() const;
};

struct ConfigParse {
    Config config;  // Valid only when issues is empty (otherwise best effort).
    std::vector<ConfigIssue> issues;
};

// Parses YAML text; `file` only names the source in issues.
ConfigParse parse_config(std::string_view yaml_text, std::string_view file);
// Reads and parses a file. Any issue -> one kConfig error whose message lists all of them, one
// per line. A relative store.path is resolved against the folder of `path`.
Result<Config> load_config(const std::filesystem::path& path);

// `relative` against the folder of `config_file` ("" or "mlc.yaml": the working directory);
// absolute paths, ":memory:" and "file:" URIs are returned unchanged.
std::string resolve_config_path(const std::filesystem::path& config_file,
                                const std::string& relative);

// "did you mean 'schedule'?" for a word within two edits of a choice, else the list of choices.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& choices);

// Secret references that the vault does not hold (names from Vault::list()).
std::vector<ConfigIssue> check_secrets(const Config& config,
                                       const std::vector<std::string>& vault_names);
Result<void> validate_secrets(const Config& config, const std::vector<std::string>& vault_names);

// A kConfig error listing `issues` (which must not be empty).
Error issues_error(const std::vector<ConfigIssue>& issues);

// "500ms", "30s", "5m", "1h", "1d": a positive whole number and one unit.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace mlc::engine

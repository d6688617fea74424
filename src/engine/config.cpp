#include "engine/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace mlc::engine {
namespace {

constexpr std::size_t kConfigFileBytesMax = 4 * 1024 * 1024;  // A config is kilobytes.
constexpr std::size_t kEntriesMax = 1000;         // Bound on connections, flows, options, mappings.
constexpr std::size_t kMappingRowsMax = 100'000;  // Bound on rows of one mapping table.
constexpr std::size_t kNameLengthMax = 64;
constexpr int kServerThreadsMax = 256;  // server.threads
constexpr int kSupportedVersion = 1;
constexpr std::string_view kDurationHint = "durations look like 30s, 5m, 1h";

const std::vector<std::string> kSystems = {"shipstation", "epicor",    "woocommerce", "ups",
                                           "amazon",      "acumatica", "sandbox"};

// Levenshtein distance, for did-you-mean hints (keys are short: the loops are tiny).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
    return out;
}

// "did you mean 'schedule'?" or the list of accepted words.
std::string suggest(std::string_view word, const std::vector<std::string>& choices) {
    std::string best;
    std::size_t best_distance = 3;  // Farther than two edits is not a typo.
    for (const auto& choice : choices) {
        const std::size_t distance = edit_distance(word, choice);
        if (distance < best_distance) {
            best = choice;
            best_distance = distance;
        }
    }
    if (!best.empty()) return "did you mean '" + best + "'?";
    if (choices.empty()) return "";
    return "expected one of: " + join(choices);
}

bool is_name(std::string_view name) {
    return !name.empty() && name.size() <= kNameLengthMax &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
           });
}

int line_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? 0 : mark.line + 1;
}

// Walks the YAML tree, filling Config and collecting every issue on the way.
class Reader {
  public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    std::vector<ConfigIssue>& issues() { return issues_; }

    void issue(const YAML::Node& node, std::string field, std::string message,
               std::string hint = "") {
        issues_.push_back(
            {file_, line_of(node), std::move(field), std::move(message), std::move(hint)});
    }
    void issue_at(int line, std::string field, std::string message, std::string hint = "") {
        issues_.push_back({file_, line, std::move(field), std::move(message), std::move(hint)});
    }

    // Keys of a mapping, reporting unknown and duplicate ones. False when `node` is not a map.
    bool check_map(const YAML::Node& node, const std::string& field,
                   const std::vector<std::string>& allowed) {
        if (!node.IsMap()) {
            issue(node, field, "expected a mapping (key: value)");
            return false;
        }
        std::set<std::string> seen;
        std::size_t count = 0;
        for (const auto& entry : node) {
            if (++count > kEntriesMax) {
                issue(node, field, "more than 1000 entries");
                break;
            }
            const std::string key = entry.first.Scalar();
            const std::string path = field.empty() ? key : field + "." + key;
            if (!seen.insert(key).second) {
                issue(entry.first, path, "duplicate key '" + key + "'");
            } else if (!allowed.empty() &&
                       std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                issue(entry.first, path, "unknown key '" + key + "'", suggest(key, allowed));
            }
        }
        return true;
    }

    std::optional<std::string> scalar(const YAML::Node& node, const std::string& field) {
        if (!node.IsScalar()) {
            issue(node, field, "expected a single value");
            return std::nullopt;
        }
        return node.Scalar();
    }

    // A scalar that is a name (letters, digits, '_', '-').
    std::optional<std::string> name(const YAML::Node& node, const std::string& field) {
        auto text = scalar(node, field);
        if (text && !is_name(*text)) {
            issue(node, field, "'" + *text + "' is not a valid name",
                  "use up to 64 letters, digits, '_' or '-'");
            return std::nullopt;
        }
        return text;
    }

    std::optional<bool> boolean(const YAML::Node& node, const std::string& field) {
        auto text = scalar(node, field);
        if (!text) return std::nullopt;
        if (*text == "true") return true;
        if (*text == "false") return false;
        issue(node, field, "'" + *text + "' is not true or false");
        return std::nullopt;
    }

    std::optional<long long> integer(const YAML::Node& node, const std::string& field,
                                     long long low, long long high) {
        auto text = scalar(node, field);
        if (!text) return std::nullopt;
        const bool digits =
            !text->empty() && text->size() <= 18 &&
            std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; });
        const long long value = digits ? std::stoll(*text) : -1;
        if (!digits || value < low || value > high) {
            issue(node, field,
                  "'" + *text + "' is not a whole number from " + std::to_string(low) + " to " +
                      std::to_string(high));
            return std::nullopt;
        }
        return value;
    }

    ScalarMap scalars(const YAML::Node& node, const std::string& field, std::size_t max) {
        ScalarMap out;
        if (!check_map(node, field, {})) return out;
        for (const auto& entry : node) {
            if (out.size() >= max) break;
            const std::string key = entry.first.Scalar();
            if (auto value = scalar(entry.second, field + "." + key)) out[key] = *value;
        }
        return out;
    }

  private:
    std::string file_;
    std::vector<ConfigIssue> issues_;
};

// A duration in whole seconds ("7d", "36h") at node[key], into `out` when valid.
void read_whole_seconds(Reader& r, const YAML::Node& node, const char* key,
                        const std::string& field, std::chrono::seconds& out) {
    if (!node[key]) return;
    auto text = r.scalar(node[key], field);
    if (!text) return;
    auto duration = parse_duration(*text);
    if (!duration || duration->count() % 1000 != 0) {
        r.issue(node[key], field, "'" + *text + "' is not a duration in whole seconds",
                std::string(kDurationHint));
        return;
    }
    out = std::chrono::duration_cast<std::chrono::seconds>(*duration);
}

// store.password_secret: the vault name of the PostgreSQL password (never the password itself).
void read_store_password(Reader& r, const YAML::Node& node, StoreConfig& out) {
    const YAML::Node secret = node["password_secret"];
    if (!secret) return;
    auto name = r.scalar(secret, "store.password_secret");
    if (!name) return;
    if (!is_name(*name)) {
        r.issue(secret, "store.password_secret", "'" + *name + "' is not a secret name",
                "name the vault secret, e.g. pg_password; never put the password itself here");
        return;
    }
    if (!node["url"]) {
        r.issue(secret, "store.password_secret", "a password without store.url",
                "the password is PostgreSQL's: set store.url too, or remove it (SQLite has none)");
        return;
    }
    out.password_secret = *name;
    out.password_secret_line = line_of(secret);
}

void read_store(Reader& r, const YAML::Node& node, StoreConfig& out) {
    if (!r.check_map(node, "store",
                     {"path", "url", "password_secret", "inbox_retention", "duplicate_window",
                      "retention"})) {
        return;
    }
    read_store_password(r, node, out);
    if (const YAML::Node retention = node["retention"]; retention) {
        if (r.check_map(retention, "store.retention", {"audit"})) {
            read_whole_seconds(r, retention, "audit", "store.retention.audit", out.audit_retention);
            if (out.audit_retention < std::chrono::hours(24)) {
                r.issue(retention["audit"], "store.retention.audit", "shorter than one day",
                        "audit events are the record of what moved: keep them days (90d)");
            }
        }
    }
    if (node["url"]) {
        if (auto url = r.scalar(node["url"], "store.url")) {
            if (!url->starts_with("postgresql://") && !url->starts_with("postgres://")) {
                // Not echoed: the URL may hold a password.
                r.issue(node["url"], "store.url", "not a postgresql:// URL",
                        "e.g. postgresql://mlc:PASSWORD@db.example.com:5432/mlc; for SQLite use "
                        "store.path");
            } else {
                out.url = *url;
            }
        }
        if (node["path"]) {
            r.issue(node["path"], "store.path", "store.path and store.url both set",
                    "keep store.url (PostgreSQL) or store.path (SQLite), not both");
        }
    }
    if (node["path"]) {
        if (auto path = r.scalar(node["path"], "store.path")) {
            if (path->empty()) {
                r.issue(node["path"], "store.path", "empty path", "e.g. ./mlc-state.db");
            } else {
                out.path = *path;
            }
        }
    }
    read_whole_seconds(r, node, "inbox_retention", "store.inbox_retention", out.inbox_retention);
    read_whole_seconds(r, node, "duplicate_window", "store.duplicate_window", out.duplicate_window);
    if (out.duplicate_window < out.inbox_retention) {
        r.issue(node, "store.duplicate_window", "shorter than store.inbox_retention",
                "the duplicate window must cover the retention (default 30d, retention 7d)");
    }
}

void read_server(Reader& r, const YAML::Node& node, ServerConfig& out) {
    if (!r.check_map(node, "server",
                     {"address", "port", "public_url", "threads", "metrics_token_secret"})) {
        return;
    }
    if (node["metrics_token_secret"]) {
        if (auto name = r.scalar(node["metrics_token_secret"], "server.metrics_token_secret")) {
            out.metrics_token_secret = *name;
            out.metrics_token_line = line_of(node["metrics_token_secret"]);
        }
    }
    if (node["threads"]) {
        if (auto threads = r.integer(node["threads"], "server.threads", 1, kServerThreadsMax)) {
            out.threads = static_cast<int>(*threads);
        }
    }
    if (node["address"]) {
        if (auto address = r.scalar(node["address"], "server.address")) out.address = *address;
    }
    if (node["port"]) {
        if (auto port = r.integer(node["port"], "server.port", 0, 65535)) {
            out.port = static_cast<std::uint16_t>(*port);
        }
    }
    if (node["public_url"]) {
        if (auto url = r.scalar(node["public_url"], "server.public_url")) {
            if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
                r.issue(node["public_url"], "server.public_url",
                        "'" + *url + "' is not an http(s) URL",
                        "the address vendors reach this server at, e.g. https://mlc.example.com");
            } else {
                while (!url->empty() && url->back() == '/') url->pop_back();
                out.public_url = *url;
            }
        }
    }
}

void read_log(Reader& r, const YAML::Node& node, LogConfig& out) {
    if (!r.check_map(node, "log", {"format", "level"})) return;
    if (node["format"]) {
        if (auto text = r.scalar(node["format"], "log.format")) {
            auto format = parse_log_format(*text);
            if (format) {
                out.format = *format;
            } else {
                r.issue(node["format"], "log.format", "unknown log format '" + *text + "'",
                        suggest(*text, {"text", "json"}));
            }
        }
    }
    if (node["level"]) {
        if (auto text = r.scalar(node["level"], "log.level")) {
            auto level = parse_log_level(*text);
            if (level) {
                out.level = *level;
            } else {
                r.issue(
                    node["level"], "log.level", "unknown log level '" + *text + "'",
                    suggest(*text, {"trace", "debug", "info", "warn", "error", "critical", "off"}));
            }
        }
    }
}

// A non-empty scalar at node[key] into `out`.
void read_text(Reader& r, const YAML::Node& node, const char* key, const std::string& field,
               std::string& out) {
    if (!node[key]) return;
    if (auto text = r.scalar(node[key], field + "." + key)) {
        if (text->empty()) {
            r.issue(node[key], field + "." + key, "empty value");
        } else {
            out = *text;
        }
    }
}

// alerts.email: where, from whom and to whom alert mails go.
void read_alert_email(Reader& r, const YAML::Node& node, AlertEmailConfig& out) {
    const std::string field = "alerts.email";
    out.line = line_of(node);
    if (!r.check_map(node, field,
                     {"smtp_url", "from", "to", "username", "password_secret", "ca_file"})) {
        return;
    }
    for (const char* key : {"smtp_url", "from"}) {
        if (!node[key]) r.issue(node, field + "." + key, std::string("missing ") + key);
    }
    read_text(r, node, "smtp_url", field, out.smtp_url);
    if (!out.smtp_url.empty() && !out.smtp_url.starts_with("smtp://") &&
        !out.smtp_url.starts_with("smtps://")) {
        r.issue(node["smtp_url"], field + ".smtp_url",
                "'" + out.smtp_url + "' is not an smtp:// or smtps:// URL",
                "e.g. smtp://mail.example.com:587 (STARTTLS) or smtps://mail.example.com:465");
    }
    read_text(r, node, "from", field, out.from);
    read_text(r, node, "username", field, out.username);
    read_text(r, node, "password_secret", field, out.password_secret);
    read_text(r, node, "ca_file", field, out.ca_file);
    const YAML::Node to = node["to"];
    if (to && to.IsSequence()) {
        for (std::size_t i = 0; i < to.size() && i < kEntriesMax; ++i) {
            if (auto address = r.scalar(to[i], field + ".to")) out.to.push_back(*address);
        }
    } else if (to) {
        if (auto address = r.scalar(to, field + ".to")) out.to.push_back(*address);
    }
    if (out.to.empty()) {
        r.issue(to ? to : node, field + ".to", "no recipient", "to: [ops@example.com]");
    }
    if (!out.username.empty() && out.password_secret.empty()) {
        r.issue(node, field + ".password_secret", "a username needs a password_secret",
                "the vault name of the SMTP password: `mlc secret set smtp_password`");
    }
}

void read_alert_webhook(Reader& r, const YAML::Node& node, AlertWebhookConfig& out) {
    const std::string field = "alerts.webhook";
    out.line = line_of(node);
    if (!r.check_map(node, field, {"url", "signing_secret"})) return;
    if (!node["url"]) r.issue(node, field + ".url", "missing url");
    read_text(r, node, "url", field, out.url);
    if (!out.url.empty() && !out.url.starts_with("https://") && !out.url.starts_with("http://")) {
        r.issue(node["url"], field + ".url", "'" + out.url + "' is not an http(s) URL",
                "e.g. https://hooks.slack.com/services/...");
    }
    read_text(r, node, "signing_secret", field, out.signing_secret);
}

void read_alerts(Reader& r, const YAML::Node& node, AlertsConfig& out) {
    if (!r.check_map(node, "alerts",
                     {"check_every", "flow_failing_after", "flow_lagging_intervals",
                      "dead_letters_max", "retry_backoff_max", "connection_check_every",
                      "secrets_expire_within", "email", "webhook"})) {
        return;
    }
    read_whole_seconds(r, node, "check_every", "alerts.check_every", out.check_every);
    read_whole_seconds(r, node, "flow_failing_after", "alerts.flow_failing_after",
                       out.flow_failing_after);
    read_whole_seconds(r, node, "retry_backoff_max", "alerts.retry_backoff_max",
                       out.retry_backoff_max);
    read_whole_seconds(r, node, "connection_check_every", "alerts.connection_check_every",
                       out.connection_check_every);
    read_whole_seconds(r, node, "secrets_expire_within", "alerts.secrets_expire_within",
                       out.secrets_expire_within);
    if (node["flow_lagging_intervals"]) {
        if (auto n = r.integer(node["flow_lagging_intervals"], "alerts.flow_lagging_intervals", 1,
                               1000)) {
            out.flow_lagging_intervals = static_cast<int>(*n);
        }
    }
    if (node["dead_letters_max"]) {
        if (auto n = r.integer(node["dead_letters_max"], "alerts.dead_letters_max", 0, 1'000'000)) {
            out.dead_letters_max = static_cast<int>(*n);
        }
    }
    if (node["email"]) read_alert_email(r, node["email"], out.email.emplace());
    if (node["webhook"]) read_alert_webhook(r, node["webhook"], out.webhook.emplace());
}

// Options every connector shares; other option keys belong to the connector and pass through.
void check_connection_options(Reader& r, const YAML::Node& node, const std::string& field) {
    if (!node.IsMap()) return;
    if (node["auth"] && node["auth"].IsScalar()) {
        const std::string auth = node["auth"].Scalar();
        if (auth != "basic" && auth != "bearer") {
            r.issue(node["auth"], field + ".auth", "unknown auth scheme '" + auth + "'",
                    suggest(auth, {"basic", "bearer"}));
        }
    }
    for (const char* key : {"rate_per_minute", "burst"}) {
        if (node[key]) r.integer(node[key], field + "." + key, 1, 1'000'000);
    }
}

void read_connection(Reader& r, const std::string& name, const YAML::Node& key,
                     const YAML::Node& node, ConnectionConfig& out) {
    const std::string field = "connections." + name;
    out.name = name;
    out.line = line_of(key);
    if (!is_name(name)) {
        r.issue(key, field, "'" + name + "' is not a valid connection name",
                "use up to 64 letters, digits, '_' or '-'");
    }
    if (!r.check_map(node, field, {"system", "base_url", "options", "secrets"})) return;
    if (!node["system"]) {
        r.issue(node, field + ".system", "missing system", "expected one of: " + join(kSystems));
    } else if (auto system = r.scalar(node["system"], field + ".system")) {
        if (std::find(kSystems.begin(), kSystems.end(), *system) == kSystems.end()) {
            r.issue(node["system"], field + ".system", "unknown system '" + *system + "'",
                    suggest(*system, kSystems));
        } else {
            out.system = *system;
        }
    }
    if (node["base_url"]) {
        if (auto url = r.scalar(node["base_url"], field + ".base_url")) {
            if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
                r.issue(node["base_url"], field + ".base_url",
                        "'" + *url + "' is not an http(s) URL",
                        "e.g. https://ssapi.shipstation.com");
            } else {
                out.base_url = *url;
            }
        }
    } else if (out.system != "sandbox" && !out.system.empty()) {
        r.issue(node, field + ".base_url", "missing base_url",
                "the vendor's API root, e.g. https://ssapi.shipstation.com");
    }
    if (node["options"]) {
        out.options = r.scalars(node["options"], field + ".options", kEntriesMax);
        check_connection_options(r, node["options"], field + ".options");
    }
    if (node["secrets"]) {
        const YAML::Node secrets = node["secrets"];
        out.secrets = r.scalars(secrets, field + ".secrets", kEntriesMax);
        for (const auto& entry : secrets) {
            const std::string role = entry.first.Scalar();
            out.secret_lines[role] = line_of(entry.second);
            if (entry.second.IsScalar() && !is_name(entry.second.Scalar())) {
                r.issue(entry.second, field + ".secrets." + role,
                        "'" + entry.second.Scalar() + "' is not a secret name",
                        "name the vault secret, e.g. ss_key; never put the secret itself here");
            }
        }
    }
}

void read_schedule(Reader& r, const YAML::Node& node, const std::string& field,
                   std::optional<ScheduleConfig>& out) {
    if (!r.check_map(node, field, {"every", "jitter"})) return;
    ScheduleConfig schedule;
    bool valid = true;
    if (!node["every"]) {
        r.issue(node, field + ".every", "missing every", std::string(kDurationHint));
        valid = false;
    } else if (auto text = r.scalar(node["every"], field + ".every")) {
        auto every = parse_duration(*text);
        if (!every || every->count() % 1000 != 0) {
            r.issue(node["every"], field + ".every",
                    "'" + *text + "' is not a duration in whole seconds",
                    std::string(kDurationHint));
            valid = false;
        } else {
            schedule.every = std::chrono::duration_cast<std::chrono::seconds>(*every);
        }
    } else {
        valid = false;
    }
    if (node["jitter"]) {
        if (auto text = r.scalar(node["jitter"], field + ".jitter")) {
            if (!text->empty() && text->back() == '%') {
                const std::string number = text->substr(0, text->size() - 1);
                const bool digits = !number.empty() && number.size() <= 3 &&
                                    std::all_of(number.begin(), number.end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
                if (!digits || std::stoi(number) > 100) {
                    r.issue(node["jitter"], field + ".jitter",
                            "'" + *text + "' is not a percentage from 0% to 100%",
                            "jitter looks like 10% or 30s");
                } else {
                    schedule.jitter_percent = std::stoi(number);
                    schedule.jitter = schedule.every * schedule.jitter_percent / 100;
                }
            } else {
                auto jitter = parse_duration(*text);
                if (!jitter || jitter->count() % 1000 != 0) {
                    r.issue(node["jitter"], field + ".jitter",
                            "'" + *text + "' is not a percentage or a duration in whole seconds",
                            "jitter looks like 10% or 30s");
                } else {
                    schedule.jitter = std::chrono::duration_cast<std::chrono::seconds>(*jitter);
                    if (valid && schedule.jitter >= schedule.every) {
                        r.issue(node["jitter"], field + ".jitter",
                                "jitter " + *text + " is not shorter than every",
                                "keep jitter below the interval, e.g. 10%");
                    }
                }
            }
        }
    }
    if (valid) out = schedule;
}

void read_mappings(Reader& r, const YAML::Node& node, const std::string& field, FlowConfig& out) {
    if (!r.check_map(node, field, {})) return;
    for (const auto& table : node) {
        const std::string name = table.first.Scalar();
        const std::string table_field = field + "." + name;
        out.mapping_lines[name] = line_of(table.first);
        if (!table.second.IsNull()) {
            out.mappings[name] = r.scalars(table.second, table_field, kMappingRowsMax);
        } else {
            out.mappings[name] = {};
        }
    }
}

void read_flow(Reader& r, const std::string& name, const YAML::Node& key, const YAML::Node& node,
               FlowConfig& out) {
    const std::string field = "flows." + name;
    out.name = name;
    out.line = line_of(key);
    if (!is_name(name)) {
        r.issue(key, field, "'" + name + "' is not a valid flow name",
                "use up to 64 letters, digits, '_' or '-'");
    }
    if (!r.check_map(node, field,
                     {"recipe", "connections", "schedule", "enabled", "options", "mappings"})) {
        return;
    }
    if (!node["recipe"]) {
        r.issue(node, field + ".recipe", "missing recipe", "e.g. recipe: heartbeat");
    } else if (auto recipe = r.name(node["recipe"], field + ".recipe")) {
        out.recipe = *recipe;
    }
    if (node["connections"]) {
        const YAML::Node connections = node["connections"];
        if (r.check_map(connections, field + ".connections", {})) {
            for (const auto& entry : connections) {
                const std::string role = entry.first.Scalar();
                if (auto target = r.scalar(entry.second, field + ".connections." + role)) {
                    out.connections[role] = *target;
                }
            }
        }
    }
    if (node["schedule"]) read_schedule(r, node["schedule"], field + ".schedule", out.schedule);
    if (node["enabled"]) {
        if (auto enabled = r.boolean(node["enabled"], field + ".enabled")) out.enabled = *enabled;
    }
    if (node["options"]) {
        out.options = r.scalars(node["options"], field + ".options", kEntriesMax);
        if (node["options"].IsMap()) {
            for (const auto& entry : node["options"]) {
                out.option_lines[entry.first.Scalar()] = line_of(entry.second);
            }
        }
    }
    if (node["mappings"]) read_mappings(r, node["mappings"], field + ".mappings", out);
}

// Flow -> connection references, once every connection is known.
void check_references(Reader& r, const YAML::Node& flows, const Config& config) {
    std::vector<std::string> names;
    for (const auto& [name, connection] : config.connections) names.push_back(name);
    for (const auto& flow_entry : flows) {
        const YAML::Node connections = flow_entry.second["connections"];
        if (!flow_entry.second.IsMap() || !connections || !connections.IsMap()) continue;
        const std::string flow = flow_entry.first.Scalar();
        for (const auto& entry : connections) {
            if (!entry.second.IsScalar()) continue;
            const std::string target = entry.second.Scalar();
            if (config.connections.find(target) != config.connections.end()) continue;
            r.issue(entry.second, "flows." + flow + ".connections." + entry.first.Scalar(),
                    "no connection named '" + target + "'",
                    names.empty() ? "define it under connections:" : suggest(target, names));
        }
    }
}

void read_root(Reader& r, const YAML::Node& root, Config& config) {
    if (!r.check_map(root, "",
                     {"version", "store", "server", "log", "alerts", "connections", "flows"})) {
        return;
    }
    if (!root["version"]) {
        r.issue(root, "version", "missing version", "start the file with: version: 1");
    } else if (auto version =
                   r.integer(root["version"], "version", kSupportedVersion, kSupportedVersion)) {
        config.version = static_cast<int>(*version);
    }
    if (root["store"]) read_store(r, root["store"], config.store);
    if (root["server"]) read_server(r, root["server"], config.server);
    if (root["log"]) read_log(r, root["log"], config.log);
    if (root["alerts"]) read_alerts(r, root["alerts"], config.alerts);
    const YAML::Node connections = root["connections"];
    if (connections && !connections.IsNull() && r.check_map(connections, "connections", {})) {
        for (const auto& entry : connections) {
            const std::string name = entry.first.Scalar();
            if (config.connections.count(name) != 0) continue;  // Duplicate: already reported.
            read_connection(r, name, entry.first, entry.second, config.connections[name]);
        }
    }
    const YAML::Node flows = root["flows"];
    if (flows && !flows.IsNull() && r.check_map(flows, "flows", {})) {
        for (const auto& entry : flows) {
            const std::string name = entry.first.Scalar();
            if (config.flows.count(name) != 0) continue;
            read_flow(r, name, entry.first, entry.second, config.flows[name]);
        }
        check_references(r, flows, config);
    }
}

}  // namespace

std::string ConfigIssue::describe() const {
    std::string out = file;
    if (line > 0) {
        out += ':';  // Not `":" + std::to_string(...)`: GCC 12's false -Wrestrict (bug 105651).
        out += std::to_string(line);
    }
    out += ": ";
    if (!field.empty()) out += field + ": ";
    out += message;
    if (!hint.empty()) out += " (" + hint + ")";
    return out;
}

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
    const auto bad = [&] {
        return make_error(ErrorCode::kConfig, "not a duration: '" +
                                                  std::string(text.substr(0, kNameLengthMax)) +
                                                  "' (" + std::string(kDurationHint) + ")");
    };
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 9) return bad();
    const long long value = std::stoll(std::string(text.substr(0, digits)));
    const std::string_view unit = text.substr(digits);
    long long ms_per_unit = 0;
    if (unit == "ms") {
        ms_per_unit = 1;
    } else if (unit == "s") {
        ms_per_unit = 1000;
    } else if (unit == "m") {
        ms_per_unit = 60'000;
    } else if (unit == "h") {
        ms_per_unit = 3'600'000;
    } else if (unit == "d") {
        ms_per_unit = 86'400'000;
    } else {
        return bad();
    }
    if (value == 0) return bad();
    return std::chrono::milliseconds{value * ms_per_unit};
}

ConfigParse parse_config(std::string_view yaml_text, std::string_view file) {
    ConfigParse result;
    result.config.file = std::string(file);
    Reader reader{std::string(file)};
    try {
        const YAML::Node root = YAML::Load(std::string(yaml_text));
        if (root.IsNull()) {
            reader.issue_at(0, "", "the file is empty", "start the file with: version: 1");
        } else {
            read_root(reader, root, result.config);
        }
    } catch (const YAML::Exception& e) {
        // yaml-cpp throws on syntax errors; its mark is 0-based.
        reader.issue_at(e.mark.is_null() ? 0 : e.mark.line + 1, "", "YAML syntax error: " + e.msg,
                        "check indentation (spaces, not tabs) and quoting");
    }
    std::stable_sort(reader.issues().begin(), reader.issues().end(),
                     [](const ConfigIssue& a, const ConfigIssue& b) { return a.line < b.line; });
    result.issues = std::move(reader.issues());
    return result;
}

Error issues_error(const std::vector<ConfigIssue>& issues) {
    std::string message = std::to_string(issues.size()) +
                          (issues.size() == 1 ? " problem" : " problems") + " in the config:";
    for (const auto& issue : issues) message += "\n  " + issue.describe();
    return make_error(ErrorCode::kConfig, "config", std::move(message));
}

Result<Config> load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(ErrorCode::kConfig, "config",
                          "cannot read the config file " + path.string() +
                              ": pass --config PATH (examples/mlc.yaml is a start)");
    }
    std::string text(kConfigFileBytesMax + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kConfigFileBytesMax) {
        return make_error(ErrorCode::kConfig, "config",
                          path.string() + " is larger than 4 MiB: is it the right file?");
    }
    ConfigParse parsed = parse_config(text, path.string());
    if (!parsed.issues.empty()) return issues_error(parsed.issues);
    parsed.config.store.path = resolve_config_path(path, parsed.config.store.path);
    return std::move(parsed.config);
}

std::string resolve_config_path(const std::filesystem::path& config_file,
                                const std::string& relative) {
    if (relative.empty() || relative == ":memory:" || relative.rfind("file:", 0) == 0) {
        return relative;
    }
    const std::filesystem::path path(relative);
    const std::filesystem::path folder = config_file.parent_path();
    if (path.is_absolute() || folder.empty()) return relative;
    return (folder / path).lexically_normal().string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& choices) {
    return suggest(word, choices);
}

std::vector<ConfigIssue> check_secrets(const Config& config,
                                       const std::vector<std::string>& vault_names) {
    std::vector<ConfigIssue> issues;
    for (const auto& [name, connection] : config.connections) {
        for (const auto& [role, secret] : connection.secrets) {
            if (std::find(vault_names.begin(), vault_names.end(), secret) != vault_names.end()) {
                continue;
            }
            const auto line = connection.secret_lines.find(role);
            issues.push_back(
                {config.file,
                 line == connection.secret_lines.end() ? connection.line : line->second,
                 "connections." + name + ".secrets." + role,
                 "the vault has no secret named '" + secret + "'",
                 "run `mlc secret set " + secret + "`"});
        }
    }
    const auto check = [&](const std::string& secret, int line, const std::string& field) {
        if (secret.empty()) return;
        if (std::find(vault_names.begin(), vault_names.end(), secret) != vault_names.end()) return;
        issues.push_back({config.file, line, field,
                          "the vault has no secret named '" + secret + "'",
                          "run `mlc secret set " + secret + "`"});
    };
    check(config.server.metrics_token_secret, config.server.metrics_token_line,
          "server.metrics_token_secret");
    check(config.store.password_secret, config.store.password_secret_line, "store.password_secret");
    if (const auto& email = config.alerts.email) {
        check(email->password_secret, email->line, "alerts.email.password_secret");
    }
    if (const auto& webhook = config.alerts.webhook) {
        check(webhook->signing_secret, webhook->line, "alerts.webhook.signing_secret");
    }
    return issues;
}

Result<void> validate_secrets(const Config& config, const std::vector<std::string>& vault_names) {
    auto issues = check_secrets(config, vault_names);
    if (!issues.empty()) return issues_error(issues);
    return ok();
}

}  // namespace mlc::engine

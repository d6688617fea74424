#include "engine/config.hpp"
#include "engine/recipe_options.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace mlc::engine {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kGood = R"(version: 1
store:
  path: /var/lib/mlc/state.db
server:
  address: 0.0.0.0
  port: 9090
log:
  format: json
  level: debug
connections:
  ss:
    system: shipstation
    base_url: https://ssapi.shipstation.com
    options:
      auth: basic
      rate_per_minute: 40
      burst: 5
    secrets:
      api_key: ss_key
      api_secret: ss_secret
  epicor:
    system: epicor
    base_url: https://erp.example.com/SaaS5333/
    options: {company: EPIC06, auth: bearer}
    secrets: {api_key: epicor_api_key}
flows:
  orders:
    recipe: shipstation-to-epicor-orders
    connections: {source: ss, target: epicor}
    schedule: {every: 5m, jitter: 10%}
    options: {overlap: 2h}
    mappings:
      customers:
        web-store: C0001
        "ACME WEB": C0002
  heartbeat:
    recipe: heartbeat
    schedule: {every: 30s, jitter: 3s}
    enabled: false
)";

ConfigParse parse(std::string_view text) { return parse_config(text, "mlc.yaml"); }

std::string all(const std::vector<ConfigIssue>& issues) {
    std::string out;
    for (const auto& issue : issues) out += issue.describe() + "\n";
    return out;
}

// The single issue about `field`, failing the test when there is not exactly one.
ConfigIssue only_issue(const ConfigParse& parsed, std::string_view field) {
    std::vector<ConfigIssue> matching;
    for (const auto& issue : parsed.issues) {
        if (issue.field == field) matching.push_back(issue);
    }
    EXPECT_EQ(matching.size(), 1u) << "field " << field << " in:\n" << all(parsed.issues);
    return matching.empty() ? ConfigIssue{} : matching.front();
}

TEST(ConfigLoad, ReadsEverySection) {
    const ConfigParse parsed = parse(kGood);
    ASSERT_TRUE(parsed.issues.empty()) << all(parsed.issues);
    const Config& config = parsed.config;
    EXPECT_EQ(config.version, 1);
    EXPECT_EQ(config.store.path, "/var/lib/mlc/state.db");
    EXPECT_EQ(config.server.address, "0.0.0.0");
    EXPECT_EQ(config.server.port, 9090);
    EXPECT_EQ(config.log.format, LogFormat::kJson);
    EXPECT_EQ(config.log.level, LogLevel::kDebug);

    const ConnectionConfig& ss = config.connections.at("ss");
    EXPECT_EQ(ss.system, "shipstation");
    EXPECT_EQ(ss.base_url, "https://ssapi.shipstation.com");
    EXPECT_EQ(ss.options.at("rate_per_minute"), "40");
    EXPECT_EQ(ss.secrets.at("api_secret"), "ss_secret");
    EXPECT_EQ(ss.line, 11);
    EXPECT_EQ(config.connections.at("epicor").options.at("company"), "EPIC06");

    const FlowConfig& orders = config.flows.at("orders");
    EXPECT_EQ(orders.recipe, "shipstation-to-epicor-orders");
    EXPECT_EQ(orders.connections.at("target"), "epicor");
    ASSERT_TRUE(orders.schedule.has_value());
    EXPECT_EQ(orders.schedule->every, 5min);
    EXPECT_EQ(orders.schedule->jitter, 30s);
    EXPECT_EQ(orders.schedule->jitter_percent, 10);
    EXPECT_TRUE(orders.enabled);
    EXPECT_EQ(orders.options.at("overlap"), "2h");
    EXPECT_EQ(orders.mappings.at("customers").at("ACME WEB"), "C0002");

    const FlowConfig& heartbeat = config.flows.at("heartbeat");
    EXPECT_FALSE(heartbeat.enabled);
    EXPECT_EQ(heartbeat.schedule->every, 30s);
    EXPECT_EQ(heartbeat.schedule->jitter, 3s);
    EXPECT_FALSE(heartbeat.connections.size());
}

TEST(ConfigLoad, DefaultsApplyWhenSectionsAreAbsent) {
    const ConfigParse parsed = parse("version: 1\n");
    ASSERT_TRUE(parsed.issues.empty()) << all(parsed.issues);
    EXPECT_EQ(parsed.config.store.path, "./mlc-state.db");
    EXPECT_EQ(parsed.config.server.port, 8787);
    EXPECT_EQ(parsed.config.log.format, LogFormat::kText);
    EXPECT_TRUE(parsed.config.flows.empty());
}

// Issue 16: store.url selects the PostgreSQL store; a wrong scheme is refused without echoing the
// URL (it may hold a password), and path and url together are a mistake.
TEST(ConfigLoad, StoreUrlSelectsPostgresql) {
    const ConfigParse sqlite = parse("version: 1\n");
    ASSERT_TRUE(sqlite.issues.empty()) << all(sqlite.issues);
    EXPECT_EQ(sqlite.config.store.url, "");
    const ConfigParse pg = parse("version: 1\nstore: {url: 'postgresql://mlc:pw@db:5432/mlc'}\n");
    ASSERT_TRUE(pg.issues.empty()) << all(pg.issues);
    EXPECT_EQ(pg.config.store.url, "postgresql://mlc:pw@db:5432/mlc");
    const ConfigParse wrong = parse("version: 1\nstore: {url: 'mysql://mlc:s3cret@db/mlc'}\n");
    const ConfigIssue issue = only_issue(wrong, "store.url");
    EXPECT_EQ(issue.message, "not a postgresql:// URL");
    EXPECT_EQ(issue.describe().find("s3cret"), std::string::npos) << issue.describe();
    const ConfigParse both = parse("version: 1\nstore: {path: ./a.db, url: 'postgres://db/mlc'}\n");
    EXPECT_EQ(only_issue(both, "store.path").message, "store.path and store.url both set");
}

// Issue 16: store.password_secret names the PostgreSQL password in the vault (never the password
// itself); it needs store.url, and config check reports it missing from the vault at its line.
TEST(ConfigLoad, StorePasswordSecretNamesTheVaultSecret) {
    const ConfigParse pg = parse(
        "version: 1\nstore:\n  url: 'postgresql://mlc@db:5432/mlc'\n  password_secret: pg_pw\n");
    ASSERT_TRUE(pg.issues.empty()) << all(pg.issues);
    EXPECT_EQ(pg.config.store.password_secret, "pg_pw");
    const auto missing = check_secrets(pg.config, {"other"});
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].field, "store.password_secret");
    EXPECT_EQ(missing[0].line, 4);
    EXPECT_EQ(missing[0].hint, "run `mlc secret set pg_pw`");
    EXPECT_TRUE(check_secrets(pg.config, {"pg_pw"}).empty());

    const ConfigParse sqlite = parse("version: 1\nstore: {password_secret: pg_pw}\n");
    EXPECT_EQ(only_issue(sqlite, "store.password_secret").message, "a password without store.url");
    const ConfigParse literal =
        parse("version: 1\nstore: {url: 'postgresql://db/mlc', password_secret: 'hunter2 !'}\n");
    EXPECT_EQ(only_issue(literal, "store.password_secret").message,
              "'hunter2 !' is not a secret name");
    const ConfigParse typo =
        parse("version: 1\nstore: {url: 'postgresql://db/mlc', password: x}\n");
    EXPECT_EQ(typo.issues.size(), 1u) << all(typo.issues);
}

// Issue 15: the intake's server threads and the inbox retention, with their defaults.
TEST(ConfigLoad, ServerThreadsAndInboxRetention) {
    const ConfigParse defaults = parse("version: 1\n");
    ASSERT_TRUE(defaults.issues.empty()) << all(defaults.issues);
    EXPECT_EQ(defaults.config.server.threads, 16);
    EXPECT_EQ(defaults.config.store.inbox_retention, std::chrono::hours(7 * 24));
    EXPECT_EQ(defaults.config.store.duplicate_window, std::chrono::hours(30 * 24));
    const ConfigParse set = parse(R"(version: 1
store:
  inbox_retention: 2d
  duplicate_window: 14d
server:
  threads: 64
)");
    ASSERT_TRUE(set.issues.empty()) << all(set.issues);
    EXPECT_EQ(set.config.server.threads, 64);
    EXPECT_EQ(set.config.store.inbox_retention, std::chrono::hours(48));
    EXPECT_EQ(set.config.store.duplicate_window, std::chrono::hours(14 * 24));
    const ConfigParse bad = parse(R"(version: 1
store:
  inbox_retention: 30d
  duplicate_window: 1d
server:
  threads: 0
)");
    EXPECT_EQ(only_issue(bad, "store.duplicate_window").hint,
              "the duplicate window must cover the retention (default 30d, retention 7d)");
    EXPECT_EQ(only_issue(bad, "server.threads").line, 6);
}

TEST(ConfigErrors, BadDurationNamesLineFieldAndHint) {
    const ConfigParse parsed = parse(R"(version: 1
flows:
  orders:
    recipe: heartbeat
    schedule:
      every: 5 minutes
)");
    const ConfigIssue issue = only_issue(parsed, "flows.orders.schedule.every");
    EXPECT_EQ(issue.line, 6);
    EXPECT_EQ(issue.file, "mlc.yaml");
    EXPECT_EQ(issue.hint, "durations look like 30s, 5m, 1h");
    EXPECT_EQ(issue.describe(),
              "mlc.yaml:6: flows.orders.schedule.every: '5 minutes' is not a duration in whole "
              "seconds (durations look like 30s, 5m, 1h)");
}

TEST(ConfigErrors, ReportsEveryProblemNotJustTheFirst) {
    const ConfigParse parsed = parse(R"(version: 2
server:
  port: 99999
log:
  level: loud
connections:
  ss:
    system: shipstaton
    base_url: ftp://x
flows:
  orders:
    recipe: heartbeat
    enabled: maybe
    schedule: {every: 0s, jitter: 150%}
)");
    EXPECT_EQ(only_issue(parsed, "version").line, 1);
    EXPECT_EQ(only_issue(parsed, "server.port").line, 3);
    EXPECT_EQ(only_issue(parsed, "log.level").line, 5);
    const ConfigIssue system = only_issue(parsed, "connections.ss.system");
    EXPECT_EQ(system.line, 8);
    EXPECT_EQ(system.hint, "did you mean 'shipstation'?");
    EXPECT_EQ(only_issue(parsed, "connections.ss.base_url").line, 9);
    EXPECT_EQ(only_issue(parsed, "flows.orders.enabled").line, 13);
    EXPECT_EQ(only_issue(parsed, "flows.orders.schedule.every").line, 14);
    EXPECT_EQ(only_issue(parsed, "flows.orders.schedule.jitter").line, 14);
    EXPECT_EQ(parsed.issues.size(), 8u) << all(parsed.issues);
    // Sorted by line, as a person reads the file.
    for (std::size_t i = 1; i < parsed.issues.size(); ++i) {
        EXPECT_LE(parsed.issues[i - 1].line, parsed.issues[i].line);
    }
}

TEST(ConfigErrors, UnknownKeyGetsDidYouMean) {
    const ConfigParse parsed = parse(R"(version: 1
flows:
  orders:
    recipe: heartbeat
    schedual:
      every: 5m
)");
    const ConfigIssue issue = only_issue(parsed, "flows.orders.schedual");
    EXPECT_EQ(issue.line, 5);
    EXPECT_EQ(issue.message, "unknown key 'schedual'");
    EXPECT_EQ(issue.hint, "did you mean 'schedule'?");
}

TEST(ConfigErrors, UnknownTopLevelKeyListsChoicesWhenNothingIsClose) {
    const ConfigParse parsed = parse("version: 1\nwebhooks: {}\n");
    const ConfigIssue issue = only_issue(parsed, "webhooks");
    EXPECT_EQ(issue.line, 2);
    EXPECT_NE(issue.hint.find("expected one of: version, store, server"), std::string::npos);
}

TEST(ConfigErrors, DanglingConnectionReference) {
    const ConfigParse parsed = parse(R"(version: 1
connections:
  ss: {system: shipstation, base_url: https://ssapi.shipstation.com}
flows:
  orders:
    recipe: shipstation-to-epicor-orders
    connections:
      source: ss
      target: epicr
)");
    const ConfigIssue issue = only_issue(parsed, "flows.orders.connections.target");
    EXPECT_EQ(issue.line, 9);
    EXPECT_EQ(issue.message, "no connection named 'epicr'");
    EXPECT_EQ(parsed.issues.size(), 1u) << all(parsed.issues);
}

TEST(ConfigErrors, MissingRequiredFields) {
    const ConfigParse parsed = parse(R"(flows:
  orders:
    schedule: {jitter: 5s}
connections:
  ss: {system: ups}
)");
    EXPECT_EQ(only_issue(parsed, "version").line, 1);
    EXPECT_EQ(only_issue(parsed, "flows.orders.recipe").line, 3);
    EXPECT_EQ(only_issue(parsed, "flows.orders.schedule.every").line, 3);
    EXPECT_EQ(only_issue(parsed, "connections.ss.base_url").line, 5);
}

TEST(ConfigErrors, DuplicateKeysAreReported) {
    const ConfigParse parsed = parse(R"(version: 1
flows:
  orders: {recipe: heartbeat}
  orders: {recipe: heartbeat}
)");
    EXPECT_EQ(only_issue(parsed, "flows.orders").line, 4);
}

TEST(ConfigErrors, YamlSyntaxErrorHasItsLine) {
    const ConfigParse parsed = parse("version: 1\nflows:\n  orders: [unclosed\n");
    ASSERT_EQ(parsed.issues.size(), 1u);
    EXPECT_GE(parsed.issues[0].line, 3);
    EXPECT_NE(parsed.issues[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(ConfigErrors, SecretValuePastedInsteadOfANameIsRefused) {
    const ConfigParse parsed = parse(R"(version: 1
connections:
  ss:
    system: shipstation
    base_url: https://ssapi.shipstation.com
    secrets: {api_key: "abc def/123=="}
)");
    const ConfigIssue issue = only_issue(parsed, "connections.ss.secrets.api_key");
    EXPECT_EQ(issue.line, 6);
    // The message quotes what was written so the person finds it; it is their own config file.
    EXPECT_NE(issue.hint.find("never put the secret itself here"), std::string::npos);
}

TEST(ConfigErrors, EmptyFileIsAnError) {
    const ConfigParse parsed = parse("");
    ASSERT_EQ(parsed.issues.size(), 1u);
    EXPECT_EQ(parsed.issues[0].message, "the file is empty");
}

TEST(ConfigSecrets, MissingVaultSecretsAreReportedWithTheirLines) {
    const ConfigParse parsed = parse(kGood);
    ASSERT_TRUE(parsed.issues.empty());
    const auto issues = check_secrets(parsed.config, {"ss_key", "epicor_api_key"});
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].field, "connections.ss.secrets.api_secret");
    EXPECT_EQ(issues[0].line, 20);
    EXPECT_EQ(issues[0].hint, "run `mlc secret set ss_secret`");

    const auto result = validate_secrets(parsed.config, {});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_NE(result.error().message.find("3 problems"), std::string::npos);
    EXPECT_TRUE(validate_secrets(parsed.config, {"ss_key", "ss_secret", "epicor_api_key"}));
}

TEST(ConfigFile, LoadListsAllProblemsInOneError) {
    char pattern[] = "/tmp/mlc-config-XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(pattern);
    const auto path = dir / "bad.yaml";
    std::ofstream(path) << "version: 1\nlog: {format: xml, level: loud}\n";
    const auto result = load_config(path);
    std::filesystem::remove_all(dir);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_NE(result.error().message.find(path.string() + ":2: log.format"), std::string::npos);
    EXPECT_NE(result.error().message.find(path.string() + ":2: log.level"), std::string::npos);
    EXPECT_FALSE(load_config(dir / "absent.yaml"));
}

TEST(ConfigFile, ShippedExampleIsValid) {
    const char* source_dir = std::getenv("MLC_SOURCE_DIR");  // Set by ctest (cmake/mlc.cmake).
    const std::filesystem::path root = source_dir != nullptr ? source_dir : MLC_TEST_SOURCE_DIR;
    const auto config = load_config(root / "examples" / "mlc.yaml");
    ASSERT_TRUE(config) << config.error().describe();
    const FlowConfig& heartbeat = config->flows.at("heartbeat");
    EXPECT_EQ(heartbeat.recipe, "heartbeat");
    EXPECT_EQ(heartbeat.schedule->every, 30s);
    EXPECT_TRUE(heartbeat.enabled);
    EXPECT_TRUE(validate_secrets(*config, {}));
}

TEST(Durations, ParseUnits) {
    EXPECT_EQ(parse_duration("500ms").value(), 500ms);
    EXPECT_EQ(parse_duration("30s").value(), 30s);
    EXPECT_EQ(parse_duration("5m").value(), 5min);
    EXPECT_EQ(parse_duration("1h").value(), 1h);
    EXPECT_EQ(parse_duration("2d").value(), 48h);
    for (const char* bad : {"", "5", "m", "0s", "-5s", "5 m", "1.5h", "5min", "9999999999s"}) {
        EXPECT_FALSE(parse_duration(bad)) << bad;
    }
}

// One recipe's declarations, as a recipe's table in src/flows/recipe_options.cpp would give them.
std::vector<OptionSpec> demo_options() {
    return {{.name = "overlap", .type = OptionType::kDuration, .default_value = "2h"},
            {.name = "customer_match",
             .type = OptionType::kChoice,
             .choices = {"username", "email"},
             .default_value = "username"},
            {.name = "create_route",
             .type = OptionType::kChoice,
             .choices = {"update_ext", "ui", "entity_sets"},
             .default_value = "update_ext"},
            {.name = "page_size", .type = OptionType::kCount, .default_value = "500", .max = 500},
            {.name = "webhooks", .type = OptionType::kFlag, .default_value = "true"},
            {.name = "status_on",
             .type = OptionType::kList,
             .choices = {"pack", "release"},
             .default_value = "pack,release"},
            {.name = "start", .type = OptionType::kTime},
            {.name = "labels_dir", .type = OptionType::kPath}};
}

constexpr std::string_view kBadOptions = R"(version: 1
flows:
  orders:
    recipe: demo
    options:
      customer_mach: email
      create_route: uii
      overlap: 2 hours
      page_size: 501
      webhooks: yes
      status_on: pack,box
      start: yesterday
    mappings:
      prats: {"SKU-1": "P1"}
      parts: {"SKU-2": "P2", "A*B*": "P*"}
)";

TEST(RecipeOptions, EveryBadOptionIsReportedWithItsLineAndTheFix) {
    const auto parsed = parse_config(kBadOptions, "mlc.yaml");
    ASSERT_TRUE(parsed.issues.empty()) << parsed.issues.front().describe();
    const std::vector<TableSpec> tables = {{.name = "parts", .doc = "SKU -> PartNum"}};
    const auto issues =
        check_flow_options(parsed.config.flows.at("orders"), demo_options(), tables, "mlc.yaml");
    std::string all;
    for (const auto& issue : issues) all += issue.describe() + "\n";
    EXPECT_EQ(issues.size(), 9u) << all;
    for (const char* expected :
         {"mlc.yaml:6: flows.orders.options.customer_mach: unknown option of recipe demo (did you "
          "mean 'customer_match'?)",
          "mlc.yaml:7: flows.orders.options.create_route: \"uii\" is not an allowed value (did "
          "you mean 'ui'?)",
          "mlc.yaml:8: flows.orders.options.overlap: not a duration: \"2 hours\" (durations look "
          "like 30s, 10m, 2h)",
          "mlc.yaml:9: flows.orders.options.page_size: expected a whole number from 1 to 500",
          "mlc.yaml:10: flows.orders.options.webhooks: expected true or false, got \"yes\"",
          "mlc.yaml:11: flows.orders.options.status_on: \"box\" is not one of pack or release",
          "mlc.yaml:12: flows.orders.options.start: expected an ISO 8601 UTC time",
          "mlc.yaml:14: flows.orders.mappings.prats: unknown mapping table of recipe demo (did "
          "you mean 'parts'?)",
          "mlc.yaml:15: flows.orders.mappings.parts: 'A*B*' has more than one '*': a pattern "
          "holds one (patterns look like \"SKU-*\": \"P*\")"}) {
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
    }
}

TEST(RecipeOptions, GoodValuesPassAndEachDefaultFitsItsOwnType) {
    const auto parsed = parse_config(R"(version: 1
flows:
  orders:
    recipe: demo
    options: {overlap: 90m, customer_match: email, page_size: 1, webhooks: false,
              status_on: "release", start: 2024-01-01T00:00:00Z, labels_dir: labels}
)",
                                     "mlc.yaml");
    ASSERT_TRUE(parsed.issues.empty());
    EXPECT_TRUE(check_flow_options(parsed.config.flows.at("orders"), demo_options(), {}, "mlc.yaml")
                    .empty());
    for (const auto& spec : demo_options()) {
        if (spec.default_value.empty()) continue;
        EXPECT_FALSE(option_value_problem(spec, spec.default_value)) << spec.name;
    }
}

TEST(RecipeOptions, RelativePathsResolveAgainstTheConfigFolder) {
    EXPECT_EQ(resolve_config_path("/etc/mlc/mlc.yaml", "./state.db"), "/etc/mlc/state.db");
    EXPECT_EQ(resolve_config_path("/etc/mlc/mlc.yaml", "../data/state.db"), "/etc/data/state.db");
    EXPECT_EQ(resolve_config_path("/etc/mlc/mlc.yaml", "/var/lib/mlc.db"), "/var/lib/mlc.db");
    EXPECT_EQ(resolve_config_path("/etc/mlc/mlc.yaml", ":memory:"), ":memory:");
    EXPECT_EQ(resolve_config_path("mlc.yaml", "./state.db"), "./state.db");  // The cwd's own.
    FlowConfig flow;
    flow.options["labels_dir"] = "labels";
    flow.options["overlap"] = "2h";
    resolve_path_options(flow, demo_options(), "/srv/mlc/mlc.yaml");
    EXPECT_EQ(flow.options.at("labels_dir"), "/srv/mlc/labels");
    EXPECT_EQ(flow.options.at("overlap"), "2h");
}

TEST(ConfigFile, StorePathIsResolvedAgainstTheConfigFolder) {
    const auto dir = std::filesystem::temp_directory_path() / "mlc-config-store-path";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "mlc.yaml") << "version: 1\nstore: {path: ./state/mlc.db}\n";
    const auto config = load_config(dir / "mlc.yaml");
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(config) << config.error().describe();
    EXPECT_EQ(config->store.path, (dir / "state" / "mlc.db").string());
}

}  // namespace
}  // namespace mlc::engine

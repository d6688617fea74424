// Runs the built `mlc` binary (MLC_BINARY) in a fresh temporary directory, as a user would.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "cli/testing/cli_child.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::size_t kDataDirFilesMax = 1000;       // Files scanned for a leaked secret.
constexpr std::size_t kDaemonLogBytesMax = 1 << 20;  // Daemon stderr read before giving up.

using Outcome = mlc::cli::testing::MlcRun;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

class MlcCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-cli-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // Runs `mlc args` in dir_ with `input` on stdin; MLC_* variables from the test's own
    // environment are cleared so the run is hermetic.
    Outcome mlc(const std::string& args, const std::string& input = "",
                const std::string& env = "") {
        const Outcome outcome = mlc::cli::testing::run_mlc(dir_, MLC_BINARY, args, input, env);
        fs::remove(dir_ / "stdout.txt");
        fs::remove(dir_ / "stderr.txt");
        fs::remove(dir_ / "stdin.txt");
        return outcome;
    }

    void use_example_config() { fs::copy_file(MLC_EXAMPLE_CONFIG, dir_ / "mlc.yaml"); }

    fs::path dir_;
};

TEST_F(MlcCli, InitCreatesAKeyFileReadableOnlyByItsOwnerAndRefusesToRunTwice) {
    const auto first = mlc("init");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    struct stat info {};
    ASSERT_EQ(::stat((dir_ / ".mlc/master.key").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    const std::string key = read_file(dir_ / ".mlc/master.key");
    EXPECT_FALSE(key.empty());
    EXPECT_TRUE(fs::exists(dir_ / ".mlc/vault.json"));

    const auto second = mlc("init");
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_NE(second.err.find("already exists"), std::string::npos);
    EXPECT_EQ(read_file(dir_ / ".mlc/master.key"), key);
}

TEST_F(MlcCli, SecretSetFromStdinIsListedByNameAndItsValueIsNowhere) {
    ASSERT_EQ(mlc("init").exit_code, 0);
    const std::string value = "s3cr3t-VALUE-4242";
    const auto set = mlc("secret set ss_key", value + "\n");
    ASSERT_EQ(set.exit_code, 0) << set.err;
    EXPECT_EQ(set.out.find(value), std::string::npos);
    EXPECT_EQ(set.err.find(value), std::string::npos);

    const auto list = mlc("secret list");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("ss_key"), std::string::npos);
    EXPECT_EQ(list.out.find(value), std::string::npos);
    EXPECT_EQ(list.err.find(value), std::string::npos);

    std::size_t scanned = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
        ASSERT_LT(++scanned, kDataDirFilesMax);
        if (!entry.is_regular_file()) continue;
        EXPECT_EQ(read_file(entry.path()).find(value), std::string::npos) << entry.path();
    }
}

TEST_F(MlcCli, MasterKeyFromTheEnvironmentOpensTheVaultAndAWrongOneIsRefused) {
    ASSERT_EQ(mlc("init --data-dir first").exit_code, 0);
    std::string key = read_file(dir_ / "first/master.key");
    while (!key.empty() && (key.back() == '\n' || key.back() == ' ')) key.pop_back();
    const std::string with_key = "MLC_MASTER_KEY=" + quote(key);
    ASSERT_EQ(mlc("secret set token --data-dir second", "abc", with_key).exit_code, 0);
    EXPECT_FALSE(fs::exists(dir_ / "second/master.key"));
    EXPECT_NE(mlc("secret list --data-dir second", "", with_key).out.find("token"),
              std::string::npos);
    // Another key does not open that vault: a config error naming no secret value.
    ASSERT_EQ(mlc("init --data-dir third").exit_code, 0);
    std::string other = read_file(dir_ / "third/master.key");
    while (!other.empty() && (other.back() == '\n' || other.back() == ' ')) other.pop_back();
    const auto wrong = mlc("secret list --data-dir second", "", "MLC_MASTER_KEY=" + quote(other));
    EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
    EXPECT_EQ(wrong.err.find("abc"), std::string::npos);
}

TEST_F(MlcCli, SecretRemoveNeedsConfirmationUnlessYes) {
    ASSERT_EQ(mlc("init").exit_code, 0);
    ASSERT_EQ(mlc("secret set a", "x").exit_code, 0);
    EXPECT_EQ(mlc("secret rm a", "n\n").exit_code, 1);
    EXPECT_NE(mlc("secret list").out.find("a"), std::string::npos);
    EXPECT_EQ(mlc("secret rm a --yes").exit_code, 0);
    EXPECT_EQ(mlc("secret list").out.find("a\n"), std::string::npos);
}

TEST_F(MlcCli, SecretCommandsWithoutInitNameTheFix) {
    const auto list = mlc("secret list");
    EXPECT_EQ(list.exit_code, 2);
    EXPECT_NE(list.err.find("mlc init"), std::string::npos);
}

TEST_F(MlcCli, ConfigCheckOnABrokenConfigPrintsTheLineAndExitsTwo) {
    write_file(dir_ / "mlc.yaml",
               "version: 1\n"
               "flows:\n"
               "  heartbeat:\n"
               "    recipe: heartbeat\n"
               "    schedule:\n"
               "      every: 5 minutes\n");
    const auto check = mlc("config check");
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_NE(check.out.find("mlc.yaml:6:"), std::string::npos) << check.out << check.err;
    EXPECT_NE(check.out.find("flows.heartbeat.schedule.every"), std::string::npos) << check.out;
}

TEST_F(MlcCli, ConfigCheckReportsAnUnknownRecipeAndAMissingSecret) {
    ASSERT_EQ(mlc("init").exit_code, 0);
    write_file(dir_ / "mlc.yaml",
               "version: 1\n"
               "connections:\n"
               "  ss:\n"
               "    system: shipstation\n"
               "    base_url: https://ssapi.shipstation.com\n"
               "    secrets: {api_key: ss_key}\n"
               "flows:\n"
               "  orders:\n"
               "    recipe: no-such-recipe\n"
               "    connections: {source: ss}\n");
    const auto check = mlc("-c mlc.yaml config check");
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_NE(check.out.find("no-such-recipe"), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("ss_key"), std::string::npos) << check.out;
}

// The mistakes of issue 17, all in one file: each reported in the same run with its line.
TEST_F(MlcCli, ConfigCheckReportsEveryMistakeInOnePassWithItsLine) {
    ASSERT_EQ(mlc("init --data-dir right").exit_code, 0);
    ASSERT_EQ(mlc("secret set ss_key --data-dir right", "k").exit_code, 0);
    ASSERT_EQ(mlc("init --data-dir wrong").exit_code, 0);
    write_file(dir_ / "mlc.yaml",
               "version: 1\n"                                             // 1
               "connections:\n"                                           // 2
               "  ss:\n"                                                  // 3
               "    system: shipstation\n"                                // 4
               "    base_url: https://ssapi.shipstation.com\n"            // 5
               "    secrets: {api_key: ss_key, api_secret: ss_secret}\n"  // 6
               "flows:\n"                                                 // 7
               "  orders:\n"                                              // 8
               "    recipe: shipstation-to-epicor-orders\n"               // 9
               "    connections: {source: ss, target: epicor-main}\n"     // 10
               "    options:\n"                                           // 11
               "      customer_mach: email\n"                             // 12
               "      create_route: uii\n"                                // 13
               "      overlap: 2 hours\n"                                 // 14
               "    mappings:\n"                                          // 15
               "      prats: {SKU-1: P1}\n");                             // 16
    // The vault of `right` under the key of `wrong`: it cannot be opened.
    std::string key = read_file(dir_ / "wrong/master.key");
    while (!key.empty() && (key.back() == '\n' || key.back() == ' ')) key.pop_back();
    const auto check = mlc("config check --data-dir right", "", "MLC_MASTER_KEY=" + quote(key));
    EXPECT_EQ(check.exit_code, 2) << check.out << check.err;
    for (const char* expected :
         {"mlc.yaml:6: secrets: the vault cannot be opened",
          "mlc.yaml:10: flows.orders.connections.target: no connection named 'epicor-main'",
          "mlc.yaml:12: flows.orders.options.customer_mach: unknown option of recipe "
          "shipstation-to-epicor-orders (did you mean 'customer_match'?)",
          "mlc.yaml:13: flows.orders.options.create_route: \"uii\" is not an allowed value (did "
          "you mean 'ui'?)",
          "mlc.yaml:14: flows.orders.options.overlap: not a duration: \"2 hours\"",
          "mlc.yaml:16: flows.orders.mappings.prats: unknown mapping table of recipe "
          "shipstation-to-epicor-orders (did you mean 'parts'?)",
          "6 problem(s) in ./mlc.yaml"}) {
        EXPECT_NE(check.out.find(expected), std::string::npos) << expected << "\n" << check.out;
    }
    EXPECT_EQ(check.out.find(" OK"), std::string::npos) << check.out;
}

TEST_F(MlcCli, ConfigCheckWithoutAVaultIsAnErrorWhenTheConfigNamesSecrets) {
    write_file(dir_ / "mlc.yaml",
               "version: 1\n"
               "connections:\n"
               "  ss:\n"
               "    system: shipstation\n"
               "    base_url: https://ssapi.shipstation.com\n"
               "    secrets: {api_key: ss_key}\n");
    const auto check = mlc("config check");
    EXPECT_EQ(check.exit_code, 2) << check.out << check.err;
    EXPECT_NE(check.out.find("mlc.yaml:6: secrets: the vault cannot be opened"), std::string::npos)
        << check.out;
    EXPECT_NE(check.out.find("mlc init"), std::string::npos) << check.out;
}

// `mlc -c /elsewhere/mlc.yaml status` from another folder uses the database beside the config
// and leaves no stray file where it ran.
TEST_F(MlcCli, RelativeStorePathIsTheConfigFoldersFromAnyWorkingDirectory) {
    fs::create_directories(dir_ / "etc");
    fs::create_directories(dir_ / "elsewhere");
    write_file(dir_ / "etc/mlc.yaml",
               "version: 1\n"
               "store: {path: ./state/mlc-state.db}\n"
               "flows:\n"
               "  heartbeat: {recipe: heartbeat}\n");
    fs::create_directories(dir_ / "etc/state");
    const std::string config = quote((dir_ / "etc/mlc.yaml").string());
    const auto sync = mlc("-c " + config + " sync heartbeat --once");
    ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
    EXPECT_TRUE(fs::exists(dir_ / "etc/state/mlc-state.db"));
    const auto status = mlc::cli::testing::run_mlc(dir_ / "elsewhere", MLC_BINARY,
                                                   "-c " + config + " status", "", "");
    EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
    EXPECT_EQ(status.out.find("last run: never"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find(" ok "), std::string::npos) << status.out;
    for (const auto& entry : fs::directory_iterator(dir_ / "elsewhere")) {
        const std::string name = entry.path().filename().string();
        EXPECT_TRUE(name == "stdout.txt" || name == "stderr.txt" || name == "stdin.txt")
            << "stray file " << name;
    }
    EXPECT_FALSE(fs::exists(dir_ / "state")) << "a database where the test ran";
    EXPECT_FALSE(fs::exists(dir_ / "mlc-state.db"));
}

TEST_F(MlcCli, ConfigCheckAcceptsTheExampleConfig) {
    ASSERT_EQ(mlc("init").exit_code, 0);
    use_example_config();
    const auto check = mlc("config check");
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(MlcCli, ConfigCheckAcceptsTheRealSystemExamplesAndNamesTheirMissingSecrets) {
    ASSERT_EQ(mlc("init").exit_code, 0);
    const fs::path examples = fs::path(MLC_EXAMPLE_CONFIG).parent_path();
    for (const char* name : {"shipstation-epicor.yaml", "epicor-woocommerce.yaml"}) {
        const auto check = mlc("config check -c " + quote((examples / name).string()));
        // Structurally valid; the empty vault lacks the secrets they name, which is reported.
        EXPECT_EQ(check.err.find("unknown"), std::string::npos) << name << check.err;
        EXPECT_NE((check.out + check.err).find("epicor_api_key"), std::string::npos)
            << name << check.out << check.err;
    }
}

TEST_F(MlcCli, MappingsImportStoresASpreadsheetsRowsOrNoneNamingEveryBadRow) {
    const fs::path examples = fs::path(MLC_EXAMPLE_CONFIG).parent_path();
    fs::copy_file(examples / "shipstation-epicor.yaml", dir_ / "mlc.yaml");
    // As Excel writes it in many locales: a byte-order mark, semicolons, CRLF, quotes.
    write_file(dir_ / "parts.csv",
               "\xEF\xBB\xBF"
               "From;To;Note\r\nSKU-10003;P10003;\"missing; in Epicor\"\r\n"
               "SKU-2*;P2*;\r\n");
    const auto imported = mlc("mappings import parts.csv --flow shipstation-orders --table parts");
    ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
    EXPECT_NE(imported.out.find("shipstation-orders.parts: 2 added"), std::string::npos);
    EXPECT_NE(imported.out.find("SIGHUP"), std::string::npos) << "says how a daemon applies it";
    const auto listed = mlc("mappings list shipstation-orders");
    EXPECT_NE(listed.out.find("SKU-2* -> P2*  (stored)"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("ups -> UPSG  (mlc.yaml)"), std::string::npos) << listed.out;

    write_file(dir_ / "bad.csv", "from,to\nSKU-9,P9\nA*B*,P*\nSKU-8,\n");
    const auto bad = mlc("mappings import bad.csv --flow shipstation-orders --table parts");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("row 3: 'A*B*' has more than one '*'"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("row 4: 'SKU-8' maps to nothing"), std::string::npos);
    const auto typo = mlc("mappings import parts.csv --flow shipstation-orders --table prats");
    EXPECT_EQ(typo.exit_code, 2);
    EXPECT_NE(typo.err.find("did you mean 'parts'?"), std::string::npos) << typo.err;
    EXPECT_EQ(mlc("mappings list shipstation-orders").out.find("SKU-9"), std::string::npos)
        << "nothing of a refused file is stored";
    EXPECT_NE(mlc("audit --flow shipstation-orders").out.find("imported 2 from parts.csv"),
              std::string::npos);
}

TEST_F(MlcCli, ABackupRestoredElsewhereReproducesStatusAndNeverOverwrites) {
    use_example_config();
    ASSERT_EQ(mlc("init").exit_code, 0);
    ASSERT_EQ(mlc("sync heartbeat --once").exit_code, 0);
    const auto status = mlc("status");
    ASSERT_EQ(status.exit_code, 0) << status.err;
    const auto backup = mlc("backup state.bak");
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
    EXPECT_NE(backup.out.find("integrity ok"), std::string::npos) << backup.out;
    EXPECT_EQ(mlc("backup state.bak").exit_code, 1) << "a backup is never overwritten";

    fs::create_directory(dir_ / "elsewhere");
    fs::copy_file(dir_ / "mlc.yaml", dir_ / "elsewhere" / "mlc.yaml");
    const auto asked = mlc("-c elsewhere/mlc.yaml restore state.bak");  // No answer: no.
    EXPECT_EQ(asked.exit_code, 1);
    EXPECT_NE(asked.err.find("nothing restored"), std::string::npos) << asked.err;
    const auto restored = mlc("-c elsewhere/mlc.yaml restore state.bak --yes");
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    EXPECT_EQ(mlc("-c elsewhere/mlc.yaml status").out, status.out);
    EXPECT_EQ(mlc("store check").exit_code, 0);

    // A damaged state file is named with what to do.
    write_file(dir_ / "mlc-state.db", std::string(8192, 'x'));
    const auto damaged = mlc("status");
    EXPECT_NE(damaged.exit_code, 0);
    EXPECT_NE(damaged.err.find("mlc restore FILE"), std::string::npos) << damaged.err;
}

TEST_F(MlcCli, SyncHeartbeatOnceWritesAnAuditEventThatAuditShows) {
    use_example_config();
    const auto sync = mlc("sync heartbeat --once");
    ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
    EXPECT_NE(sync.out.find("skipped 1"), std::string::npos) << sync.out;

    const auto audit = mlc("audit --flow heartbeat");
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    EXPECT_NE(audit.out.find("heartbeat skip ok"), std::string::npos) << audit.out;

    const auto json = mlc("audit --flow heartbeat --json");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_NE(json.out.find("\"action\":\"skip\""), std::string::npos) << json.out;

    const auto status = mlc("status");
    ASSERT_EQ(status.exit_code, 0) << status.err;
    EXPECT_NE(status.out.find("last run:"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find(" ok "), std::string::npos) << status.out;
}

TEST_F(MlcCli, SyncDryRunWritesNoAuditEvent) {
    use_example_config();
    ASSERT_EQ(mlc("sync heartbeat --once --dry-run").exit_code, 0);
    const auto audit = mlc("audit --flow heartbeat");
    ASSERT_EQ(audit.exit_code, 0);
    EXPECT_EQ(audit.out, "");
}

TEST_F(MlcCli, SyncOfAnUnknownFlowOrWithoutOnceIsAUsageError) {
    use_example_config();
    EXPECT_EQ(mlc("sync nope --once").exit_code, 2);
    EXPECT_EQ(mlc("sync heartbeat").exit_code, 2);
}

TEST_F(MlcCli, DeadlettersListOnAnEmptyStoreSaysSo) {
    use_example_config();
    const auto list = mlc("deadletters list");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("no open dead letters"), std::string::npos) << list.out;
    const auto replay = mlc("deadletters replay 7");
    EXPECT_EQ(replay.exit_code, 1);
    EXPECT_NE(replay.err.find("does not exist"), std::string::npos) << replay.err;
}

TEST_F(MlcCli, DifferencesListOnAnEmptyStoreSaysSoAndShowOrDismissNameTheMissingKey) {
    use_example_config();
    const auto list = mlc("differences list --all");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("no differences"), std::string::npos) << list.out;
    const auto show = mlc("differences show SO000123");
    EXPECT_EQ(show.exit_code, 1);
    EXPECT_NE(show.err.find("no difference for SO000123"), std::string::npos) << show.err;
    const auto dismiss = mlc("differences dismiss SO000123 --flow heartbeat");
    EXPECT_EQ(dismiss.exit_code, 1);
    EXPECT_NE(dismiss.err.find("no open difference for SO000123"), std::string::npos)
        << dismiss.err;
    EXPECT_NE(mlc("status").out.find("open differences: 0"), std::string::npos);
}

TEST_F(MlcCli, AlertsListAckAndTestSayWhatThereIsAndWhatHappenedPerChannel) {
    use_example_config();
    const auto list = mlc("alerts list");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("no open alerts"), std::string::npos) << list.out;
    const auto ack = mlc("alerts ack 7");
    EXPECT_EQ(ack.exit_code, 1);
    EXPECT_NE(ack.err.find("7"), std::string::npos) << ack.err;
    const auto none = mlc("alerts test");
    EXPECT_EQ(none.exit_code, 1);
    EXPECT_NE(none.err.find("no alert channel configured"), std::string::npos) << none.err;
    // A webhook channel nobody listens on: the test says so for that channel, exit 1.
    std::ofstream(dir_ / "mlc.yaml", std::ios::app)
        << "alerts:\n  webhook: {url: \"http://127.0.0.1:1/hook\"}\n";
    const auto refused = mlc("alerts test");
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    EXPECT_NE(refused.out.find("webhook: FAILED"), std::string::npos) << refused.out;
}

TEST_F(MlcCli, HelpWorksForEveryCommand) {
    const std::vector<std::string> commands = {"",
                                               "init",
                                               "secret",
                                               "secret set",
                                               "secret list",
                                               "secret rm",
                                               "config",
                                               "config check",
                                               "run",
                                               "sync",
                                               "status",
                                               "audit",
                                               "deadletters",
                                               "deadletters list",
                                               "deadletters show",
                                               "deadletters replay",
                                               "differences",
                                               "differences list",
                                               "differences show",
                                               "differences dismiss",
                                               "alerts",
                                               "alerts list",
                                               "alerts ack",
                                               "alerts test",
                                               "recipes",
                                               "mappings",
                                               "mappings list",
                                               "mappings set",
                                               "mappings remove",
                                               "mappings import",
                                               "backup",
                                               "restore",
                                               "store check",
                                               "version"};
    for (const auto& command : commands) {
        const auto help = mlc(command + " --help");
        EXPECT_EQ(help.exit_code, 0) << command << ": " << help.err;
        EXPECT_NE(help.out.find("Usage"), std::string::npos) << command << ": " << help.out;
    }
    EXPECT_NE(mlc("--help").out.find("130 interrupted"), std::string::npos);
}

// GET over a plain socket; the whole answer ("HTTP/1.1 200 OK ... body").
// One HTTP/1.1 exchange on loopback; the whole answer (status line, headers, body) or "".
std::string http_request(int port, const std::string& method, const std::string& path,
                         const std::string& body = "", const std::string& headers = "") {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return {};
    }
    std::string request =
        method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
    if (!body.empty() || method == "POST") {
        request +=
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n";
    }
    request += "\r\n" + body;
    (void)::write(fd, request.data(), request.size());
    std::string answer;
    char buffer[4096];
    for (ssize_t n = 0; (n = ::read(fd, buffer, sizeof buffer)) > 0 && answer.size() < (1 << 20);) {
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

std::string http_get(int port, const std::string& path) { return http_request(port, "GET", path); }

// `mlc run` started in `dir` as a child, its stderr on a pipe; the port it listens on.
struct Daemon {
    pid_t pid = -1;
    int err_fd = -1;
    int port = 0;
    std::string log;

    // SIGTERM, then the rest of its log and its exit status.
    int stop() {
        char buffer[1024];
        if (::kill(pid, SIGTERM) != 0) return -1;
        for (ssize_t n = 0;
             (n = ::read(err_fd, buffer, sizeof buffer)) > 0 && log.size() < kDaemonLogBytesMax;) {
            log.append(buffer, static_cast<std::size_t>(n));
        }
        ::close(err_fd);
        int status = 0;
        if (::waitpid(pid, &status, 0) != pid) return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
};

Daemon start_daemon(const fs::path& dir) {
    Daemon daemon;
    int err_pipe[2];
    if (::pipe(err_pipe) != 0) return daemon;
    daemon.pid = ::fork();
    if (daemon.pid < 0) return daemon;
    if (daemon.pid == 0) {
        ::dup2(err_pipe[1], STDERR_FILENO);
        ::close(err_pipe[0]);
        ::close(err_pipe[1]);
        if (::chdir(dir.c_str()) != 0) ::_exit(127);
        ::unsetenv("MLC_MASTER_KEY");
        ::unsetenv("MLC_CONFIG");
        ::unsetenv("MLC_DATA_DIR");
        ::execl(MLC_BINARY, MLC_BINARY, "run", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(err_pipe[1]);
    daemon.err_fd = err_pipe[0];
    // Blocking reads until the daemon says where it listens (no sleeping, bounded by size).
    const std::string marker = "listening on http://127.0.0.1:";
    std::size_t url_at = std::string::npos;
    char buffer[1024];
    while (daemon.log.size() < kDaemonLogBytesMax) {
        url_at = daemon.log.find(marker);
        if (url_at != std::string::npos && daemon.log.find('\n', url_at) != std::string::npos)
            break;
        const ssize_t n = ::read(daemon.err_fd, buffer, sizeof buffer);
        if (n <= 0) break;
        daemon.log.append(buffer, static_cast<std::size_t>(n));
    }
    if (url_at != std::string::npos)
        daemon.port = std::stoi(daemon.log.substr(url_at + marker.size()));
    return daemon;
}

TEST_F(MlcCli, RunServesHealthzLogsItsAddressAndStopsGracefullyOnSigterm) {
    std::string config = read_file(MLC_EXAMPLE_CONFIG);
    const auto port_at = config.find("port: 8787");
    ASSERT_NE(port_at, std::string::npos);
    config.replace(port_at, 10, "port: 0");
    write_file(dir_ / "mlc.yaml", config);
    ASSERT_EQ(mlc("console user add olga --role viewer", "correct horse battery\n").exit_code, 0);

    Daemon daemon = start_daemon(dir_);
    ASSERT_GT(daemon.pid, 0);
    ASSERT_GT(daemon.port, 0) << daemon.log;
    const auto health = http_get(daemon.port, "/healthz");
    EXPECT_NE(health.find("200"), std::string::npos) << health;
    EXPECT_NE(health.find("\"ok\""), std::string::npos) << health;
    // The family is always listed; its heartbeat series appears once the first run is done.
    // The first run may still be going (an ASan build on busy cores): ask again until it shows.
    std::string metrics = http_get(daemon.port, "/metrics");
    for (int i = 0; i < 20'000 &&
                    metrics.find("mlc_dead_letters_open{flow=\"heartbeat\"}") == std::string::npos;
         ++i) {
        metrics = http_get(daemon.port, "/metrics");
    }
    EXPECT_NE(metrics.find("200"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("mlc_records_moved_total"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("mlc_dead_letters_open{flow=\"heartbeat\"} 0"), std::string::npos)
        << metrics;
    // The web console and its API share the port.
    const auto console = http_get(daemon.port, "/");
    EXPECT_NE(console.find("text/html"), std::string::npos) << console.substr(0, 300);
    // Behind a login: the API answers 401 until a console user logs in.
    EXPECT_EQ(http_get(daemon.port, "/api/overview").rfind("HTTP/1.1 401", 0), 0u);
    const auto login = http_request(daemon.port, "POST", "/api/login",
                                    R"({"user":"olga","password":"correct horse battery"})");
    const auto cookie_at = login.find("mlc_session=");
    ASSERT_NE(cookie_at, std::string::npos) << login;
    const std::string cookie = login.substr(cookie_at, login.find(';', cookie_at) - cookie_at);
    const auto overview =
        http_request(daemon.port, "GET", "/api/overview", "", "Cookie: " + cookie + "\r\n");
    EXPECT_NE(overview.find("\"name\":\"heartbeat\""), std::string::npos) << overview;

    EXPECT_EQ(daemon.stop(), 0) << daemon.log;
    EXPECT_NE(daemon.log.find("mlc stopped"), std::string::npos) << daemon.log;
    // The heartbeat ran once at start-up.
    EXPECT_NE(mlc("audit --flow heartbeat").out.find("heartbeat skip ok"), std::string::npos);
}

TEST_F(MlcCli, MetricsCanBeMadeToNeedATokenFromTheVault) {
    std::string config = read_file(MLC_EXAMPLE_CONFIG);
    const auto port_at = config.find("port: 8787");
    ASSERT_NE(port_at, std::string::npos);
    config.replace(port_at, 10, "port: 0\n  metrics_token_secret: scrape_token");
    write_file(dir_ / "mlc.yaml", config);
    ASSERT_EQ(mlc("init").exit_code, 0);
    const auto missing = mlc("config check");
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE((missing.out + missing.err).find("mlc secret set scrape_token"), std::string::npos)
        << missing.out << missing.err;
    ASSERT_EQ(mlc("secret set scrape_token", "s3cret-scrape\n").exit_code, 0);

    Daemon daemon = start_daemon(dir_);
    ASSERT_GT(daemon.port, 0) << daemon.log;
    EXPECT_EQ(http_get(daemon.port, "/metrics").rfind("HTTP/1.1 401", 0), 0u);
    EXPECT_EQ(http_request(daemon.port, "GET", "/metrics", "", "Authorization: Bearer wrong\r\n")
                  .rfind("HTTP/1.1 401", 0),
              0u);
    const auto scraped =
        http_request(daemon.port, "GET", "/metrics", "", "Authorization: Bearer s3cret-scrape\r\n");
    EXPECT_EQ(scraped.rfind("HTTP/1.1 200", 0), 0u) << scraped.substr(0, 200);
    EXPECT_NE(scraped.find("mlc_records_moved_total"), std::string::npos);
    EXPECT_EQ(http_get(daemon.port, "/healthz").rfind("HTTP/1.1 200", 0), 0u) << "stays open";
    EXPECT_EQ(daemon.stop(), 0) << daemon.log;
    EXPECT_EQ(daemon.log.find("s3cret-scrape"), std::string::npos) << "the token is never logged";
}

TEST_F(MlcCli, RunAcceptsAWebhookOnlyWithTheFlowsSecretAndAuditsTheRejection) {
    std::string config = read_file(MLC_EXAMPLE_CONFIG);
    const auto port_at = config.find("port: 8787");
    ASSERT_NE(port_at, std::string::npos);
    config.replace(port_at, 10, "port: 0");
    write_file(dir_ / "mlc.yaml", config);
    ASSERT_EQ(mlc("init").exit_code, 0);
    // The secret a flow stores when it registers its ShipStation webhooks (engine/webhooks.hpp).
    ASSERT_EQ(mlc("secret set webhook.heartbeat.shipstation", "s3cret-token\n").exit_code, 0);

    Daemon daemon = start_daemon(dir_);
    ASSERT_GT(daemon.port, 0) << daemon.log;
    const std::string event =
        R"({"resource_url":"https://ssapi.shipstation.com/orders?importBatch=1",)"
        R"("resource_type":"ORDER_NOTIFY"})";
    const auto stored =
        http_request(daemon.port, "POST", "/hooks/heartbeat/shipstation?token=s3cret-token", event);
    EXPECT_NE(stored.find(" 200 "), std::string::npos) << stored;
    const auto forged =
        http_request(daemon.port, "POST", "/hooks/heartbeat/shipstation?token=guess", event);
    EXPECT_NE(forged.find(" 401 "), std::string::npos) << forged;
    const auto unknown = http_request(daemon.port, "POST", "/hooks/heartbeat/nowhere", event);
    EXPECT_NE(unknown.find(" 404 "), std::string::npos) << unknown;
    // The first run may still be going (an ASan build on busy cores): ask again until it shows.
    std::string metrics = http_get(daemon.port, "/metrics");
    for (int i = 0; i < 20'000 &&
                    metrics.find("mlc_dead_letters_open{flow=\"heartbeat\"}") == std::string::npos;
         ++i) {
        metrics = http_get(daemon.port, "/metrics");
    }
    EXPECT_NE(metrics.find("mlc_webhook_events_total"), std::string::npos) << metrics;
    EXPECT_EQ(daemon.stop(), 0) << daemon.log;
    // Never the token in the daemon's log.
    EXPECT_EQ(daemon.log.find("s3cret-token"), std::string::npos) << daemon.log;
    const auto audit = mlc("audit --flow heartbeat");
    EXPECT_NE(audit.out.find("reject"), std::string::npos) << audit.out << audit.err;
}

// `mlc recipes`: reads no config; names each system, recipe and stream; --json parses.
constexpr const char* kSystems[] = {"shipstation", "epicor", "woocommerce"};
constexpr const char* kRecipes[] = {"heartbeat", "shipstation-to-epicor-orders",
                                    "woocommerce-to-epicor-orders",
                                    "epicor-to-woocommerce-catalog"};

TEST_F(MlcCli, RecipesNamesEverySystemRecipeAndStreamWithoutAConfig) {
    const auto run = mlc("recipes");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    for (const char* system : kSystems)
        EXPECT_NE(run.out.find(system), std::string::npos) << system;
    for (const char* recipe : kRecipes)
        EXPECT_NE(run.out.find(recipe), std::string::npos) << recipe;
    EXPECT_NE(run.out.find("shipstation order -> epicor order"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("shipstation shipment -> epicor shipment"), std::string::npos);
    EXPECT_NE(run.out.find("woocommerce refund -> epicor refund"), std::string::npos);
    EXPECT_NE(run.out.find("epicor item -> woocommerce item"), std::string::npos);
    EXPECT_NE(run.out.find("epicor customer -> woocommerce customer"), std::string::npos);
    EXPECT_NE(run.out.find("Any readable record can feed any writable one of the same record type"),
              std::string::npos);
}

TEST_F(MlcCli, RecipesJsonParsesAndEachStreamJoinsAReadableAndAWritableRecord) {
    const auto run = mlc("recipes --json");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    boost::system::error_code ec;
    const json::value doc = json::parse(run.out, ec);
    ASSERT_FALSE(ec) << run.out;
    const json::object& root = doc.as_object();
    for (const char* system : kSystems) {
        const auto& systems = root.at("systems").as_array();
        EXPECT_NE(std::find(systems.begin(), systems.end(), json::value(system)), systems.end())
            << system;
    }
    const auto can = [&](const json::value& end, const char* direction) {
        for (const auto& c : root.at("capabilities").as_array()) {
            const auto& o = c.as_object();
            if (o.at("system") == end.at("system") && o.at("record") == end.at("record") &&
                o.at(direction).as_bool()) {
                return true;
            }
        }
        return false;
    };
    std::size_t streams = 0;
    for (const auto& recipe : root.at("recipes").as_array()) {
        for (const auto& stream : recipe.at("streams").as_array()) {
            EXPECT_TRUE(can(stream.at("source"), "read")) << json::serialize(stream);
            EXPECT_TRUE(can(stream.at("target"), "write")) << json::serialize(stream);
            ++streams;
        }
    }
    EXPECT_GE(streams, 6u);  // The three flow recipes have two streams each; more may join.
    EXPECT_FALSE(root.at("rule").as_string().empty());
}

TEST_F(MlcCli, RecipesAnswersHelpWithItsJsonFlag) {
    const auto run = mlc("recipes --help");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("Usage"), std::string::npos);
    EXPECT_NE(run.out.find("--json"), std::string::npos);
}

TEST_F(MlcCli, UnknownCommandIsAUsageError) { EXPECT_EQ(mlc("frobnicate").exit_code, 2); }

TEST_F(MlcCli, UnknownCommandIsAnErrorEvenWithHelp) {
    for (const char* args : {"nonsense --help", "--help nonsense", "config nonsense --help"}) {
        const auto help = mlc(args);
        EXPECT_EQ(help.exit_code, 2) << args << ": " << help.out << help.err;
        EXPECT_NE(help.err.find("unknown command or argument 'nonsense'"), std::string::npos)
            << args << ": " << help.err;
    }
}

TEST_F(MlcCli, VersionPrintsTheVersion) {
    const auto version = mlc("version");
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.out.rfind("mlc ", 0), 0u);
}

}  // namespace

// `mlc ping` as a user runs it: `mlc sandbox` (ShipStation + Epicor) as a child process, an
// mlc.yaml naming its connections, the credentials from its ports file in the vault (`mlc init`,
// `mlc secret set` from stdin), then the built binary (MLC_BINARY) pings them.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::size_t kSandboxOutputBytesMax = 1 << 20;  // Read before giving up on "ready".

struct MlcRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

class MlcPingCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-ping-cli-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        start_sandbox();
        ASSERT_TRUE(read_until("sandbox ready")) << sandbox_output_;
        ports_ = json::parse(slurp(dir_ / "ports.json")).as_object();
        ASSERT_EQ(mlc("init").exit_code, 0);
        const auto& ss = ports_.at("shipstation").as_object();
        const auto& ep = ports_.at("epicor").as_object();
        set_secret("ss_key", ss.at("api_key"));
        set_secret("ss_secret", ss.at("api_secret"));
        set_secret("ep_key", ep.at("api_key"));
        set_secret("ep_user", ep.at("username"));
        set_secret("ep_password", ep.at("password"));
        write_config(std::string(ep.at("company").as_string()));
    }
    void TearDown() override {
        if (sandbox_pid_ > 0) {
            ::kill(sandbox_pid_, SIGTERM);
            ::waitpid(sandbox_pid_, nullptr, 0);
        }
        if (sandbox_out_ >= 0) ::close(sandbox_out_);
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    void start_sandbox() {
        int out_pipe[2];
        ASSERT_EQ(::pipe(out_pipe), 0);
        std::vector<std::string> args{
            MLC_BINARY, "sandbox",  "--systems", "shipstation,epicor", "--seed",
            "9",        "--volume", "40",        "--ports-file",       "ports.json"};
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        sandbox_pid_ = ::fork();
        ASSERT_GE(sandbox_pid_, 0);
        if (sandbox_pid_ == 0) {
            ::dup2(out_pipe[1], STDOUT_FILENO);
            ::close(out_pipe[0]);
            ::close(out_pipe[1]);
            if (::chdir(dir_.c_str()) != 0) ::_exit(127);
            ::execv(MLC_BINARY, argv.data());
            ::_exit(127);
        }
        ::close(out_pipe[1]);
        sandbox_out_ = out_pipe[0];
    }
    // Blocking reads of the sandbox's stdout until `marker` and the end of its line.
    bool read_until(const std::string& marker) {
        char buffer[1024];
        while (sandbox_output_.size() < kSandboxOutputBytesMax) {
            const auto at = sandbox_output_.find(marker);
            if (at != std::string::npos && sandbox_output_.find('\n', at) != std::string::npos) {
                return true;
            }
            const ssize_t n = ::read(sandbox_out_, buffer, sizeof buffer);
            if (n <= 0) return false;
            sandbox_output_.append(buffer, static_cast<std::size_t>(n));
        }
        return false;
    }

    // `mlc args` in dir_ with `input` on stdin and no MLC_* variables from the test's environment.
    MlcRun mlc(const std::string& args, const std::string& input = "") {
        std::ofstream(dir_ / "stdin.txt", std::ios::binary) << input;
        const std::string command = "cd " + single_quoted(dir_.string()) +
                                    " && env -u MLC_CONFIG -u MLC_DATA_DIR -u MLC_MASTER_KEY " +
                                    single_quoted(MLC_BINARY) + " " + args +
                                    " < stdin.txt > stdout.txt 2> stderr.txt";
        const int status = std::system(command.c_str());
        MlcRun outcome;
        outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        outcome.out = slurp(dir_ / "stdout.txt");
        outcome.err = slurp(dir_ / "stderr.txt");
        return outcome;
    }
    void set_secret(const std::string& name, const json::value& value) {
        const auto set = mlc("secret set " + name, std::string(value.as_string()) + "\n");
        ASSERT_EQ(set.exit_code, 0) << set.err;
    }
    void write_config(const std::string& company) {
        const auto& ss = ports_.at("shipstation").as_object();
        const auto& ep = ports_.at("epicor").as_object();
        std::ofstream(dir_ / "mlc.yaml")
            << "version: 1\n"
               "store: {path: ./mlc-state.db}\n"
               "connections:\n"
               "  ss:\n"
               "    system: shipstation\n"
               "    base_url: "
            << std::string(ss.at("base_url").as_string())
            << "\n"
               "    secrets: {api_key: ss_key, api_secret: ss_secret}\n"
               "  ep:\n"
               "    system: epicor\n"
               "    base_url: "
            << std::string(ep.at("base_url").as_string())
            << "\n"
               "    options: {company: "
            << company
            << ", auth: bearer}\n"
               "    secrets: {api_key: ep_key, username: ep_user, password: ep_password}\n"
               "flows:\n"
               "  orders:\n"
               "    recipe: shipstation-to-epicor-orders\n"
               "    connections: {source: ss, target: ep}\n"
               "    options: {customer_match: username}\n"
               "  beat:\n"
               "    recipe: heartbeat\n";
    }

    fs::path dir_;
    pid_t sandbox_pid_ = -1;
    int sandbox_out_ = -1;
    std::string sandbox_output_;
    json::object ports_;
};

TEST_F(MlcPingCli, PingsEveryConnectionWithOneOkLinePerCheck) {
    const auto ping = mlc("ping");
    EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("connection ss (shipstation)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("connection ep (epicor)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("  ok      auth       API key and secret accepted"), std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("requests left in this minute"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("  ok      token      bearer token expires in"), std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("ping: every check passed"), std::string::npos) << ping.out;
    EXPECT_EQ(ping.out.find("FAIL"), std::string::npos) << ping.out;
}

TEST_F(MlcPingCli, PingOfTheOrdersFlowReportsItsConnectionsAndTheFit) {
    const auto ping = mlc("ping orders --since 2000-01-01 --sample 20");
    EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("connection ss (shipstation)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("connection ep (epicor)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("flow orders (shipstation-to-epicor-orders)"), std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("fit        20 ShipStation orders modified since 2000-01-01"),
              std::string::npos)
        << ping.out;
}

TEST_F(MlcPingCli, PingOfAnotherRecipeSaysConnectionsOnly) {
    const auto ping = mlc("ping beat");
    EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("recipe heartbeat has no fit check: connections only"),
              std::string::npos)
        << ping.out;
}

TEST_F(MlcPingCli, WrongShipStationSecretNamesTheProblemAndExitsOne) {
    ASSERT_EQ(mlc("secret set ss_secret", "not-the-secret\n").exit_code, 0);
    const auto ping = mlc("ping ss");
    EXPECT_EQ(ping.exit_code, 1) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("  FAIL    auth       ShipStation refused the API key and secret"),
              std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("mlc secret set ss_secret"), std::string::npos) << ping.out;
    EXPECT_EQ(ping.out.find("not-the-secret"), std::string::npos) << "the secret leaked";
    EXPECT_NE(ping.out.find("ping: 1 check failed"), std::string::npos) << ping.out;
    EXPECT_EQ(ping.out.find("connection ep"), std::string::npos) << "only the named connection";
}

TEST_F(MlcPingCli, WrongEpicorApiKeyIsToldApartFromAWrongPasswordInJson) {
    ASSERT_EQ(mlc("secret set ep_key", "0000000000000000\n").exit_code, 0);
    const auto ping = mlc("ping ep --json");
    EXPECT_EQ(ping.exit_code, 1) << ping.out << ping.err;
    const json::object report = json::parse(ping.out).as_object();
    EXPECT_FALSE(report.at("ok").as_bool());
    const auto& checks = report.at("connections").as_array().at(0).as_object().at("checks");
    bool found = false;
    for (const auto& check : checks.as_array()) {
        if (check.at("name").as_string() != "auth") continue;
        found = true;
        EXPECT_EQ(check.at("status").as_string(), "FAIL");
        const std::string detail(check.at("detail").as_string());
        EXPECT_NE(detail.find("Invalid API Key"), std::string::npos) << detail;
        EXPECT_NE(detail.find("mlc secret set ep_key"), std::string::npos) << detail;
    }
    EXPECT_TRUE(found) << ping.out;
}

TEST_F(MlcPingCli, MissingSecretNamesTheSetCommand) {
    ASSERT_EQ(mlc("secret rm ep_password --yes").exit_code, 0);
    const auto ping = mlc("ping ep");
    EXPECT_EQ(ping.exit_code, 1) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("run `mlc secret set ep_password`"), std::string::npos) << ping.out;
}

TEST_F(MlcPingCli, UnknownNameIsAUsageErrorListingTheKnownOnes) {
    const auto ping = mlc("ping nowhere");
    EXPECT_EQ(ping.exit_code, 2);
    EXPECT_NE(ping.err.find("no connection or flow named 'nowhere'"), std::string::npos)
        << ping.err;
    EXPECT_NE(ping.err.find("connections: ep, ss; flows: beat, orders"), std::string::npos)
        << ping.err;
}

TEST_F(MlcPingCli, HelpDescribesNameAndOptions) {
    const auto help = mlc("ping --help");
    EXPECT_EQ(help.exit_code, 0);
    for (const char* word : {"NAME", "--sample", "--since", "--json", "fit"}) {
        EXPECT_NE(help.out.find(word), std::string::npos) << word << "\n" << help.out;
    }
}

}  // namespace

// Crash safety of "shipstation-to-epicor-orders" (issue 5): the built `mlc` binary runs
// `mlc sync orders --once` in a child process against the ShipStation and Epicor emulators, which
// this test process hosts on loopback ports (so their state survives the child). The Epicor
// handler SIGKILLs the child at its N-th request (N drawn from a fixed seed), either before the
// request is applied (the write never happened) or after (the write landed, its answer is lost).
// After 20 kills a last run finishes the sync, and Epicor must hold every ShipStation order once,
// with all its lines and its customer, and every label's tracking once. Nothing releases a killed
// run's flow lease by hand: the next run sees its process is gone and takes the lease over.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "flows/shipstation_epicor/e2e/e2e_world.hpp"
#include "flows/testing/kill_switch.hpp"
#include "net/http_server.hpp"
#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"

namespace mlc::flows::shipstation_epicor::e2e {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr int kKills = 20;                   // The count.
constexpr int kChildRunsMax = 80;            // Runs (killed or not) before the test gives up.
constexpr int kFinishRunsMax = 5;            // Clean runs to finish the sync after the kills.
constexpr long kKillAfterRequestsMax = 250;  // ~20 orders of UI-sequence creates.
constexpr std::size_t kVolume = 400;         // ShipStation orders (~8 pages of 50).

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

class KillRestart : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-e2e-kill-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        host_.add("shipstation", sandbox::shipstation::make_shipstation_emulator);
        host_.add("epicor", [](sandbox::EmulatorContext context) {
            return std::unique_ptr<sandbox::Emulator>(
                std::make_unique<sandbox::epicor::EpicorEmulator>(context));
        });
        shipstation_server_ = std::make_unique<net::HttpServer>(
            net::HttpServerOptions{.name = "shipstation"}, host_.handler("shipstation"));
        epicor_server_ = std::make_unique<flows::testing::KillingServer>(host_, "epicor");
        ASSERT_TRUE(shipstation_server_->start());
        ASSERT_TRUE(epicor_server_->start());
        host_.set_base_url("shipstation", shipstation_server_->base_url());
        host_.set_base_url("epicor", epicor_server_->base_url());
    }
    void TearDown() override {
        epicor_server_.reset();
        shipstation_server_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // Runs `mlc args...` in dir_ with stdin from `input`; returns the exit status (or -signal).
    int mlc(const std::vector<std::string>& args, const std::string& input = "",
            bool killable = false) {
        write_text(dir_ / "stdin.txt", input);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::setpgid(0, 0);
            const int in = ::open((dir_ / "stdin.txt").c_str(), O_RDONLY);
            const int out =
                ::open((dir_ / "stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            const int err =
                ::open((dir_ / "stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(in, 0);
            ::dup2(out, 1);
            ::dup2(err, 2);
            if (::chdir(dir_.c_str()) != 0) ::_exit(126);
            ::unsetenv("MLC_CONFIG");
            ::unsetenv("MLC_DATA_DIR");
            ::unsetenv("MLC_MASTER_KEY");
            std::vector<char*> argv;
            std::string binary = MLC_BINARY;
            argv.push_back(binary.data());
            std::vector<std::string> copies = args;
            for (auto& arg : copies) argv.push_back(arg.data());
            argv.push_back(nullptr);
            ::execv(binary.c_str(), argv.data());
            ::_exit(127);
        }
        if (killable && kill_at_ > 0) epicor_server_->arm(pid, kill_at_, kill_after_applying_);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        epicor_server_->disarm();
        if (WIFSIGNALED(status)) return -WTERMSIG(status);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::string child_output() {
        return read_text(dir_ / "stdout.txt") + read_text(dir_ / "stderr.txt");
    }

    void write_config_and_vault() {
        const json::object ports = host_.ports();
        const auto& ss = ports.at("shipstation").as_object();
        const auto& ep = ports.at("epicor").as_object();
        ASSERT_EQ(mlc({"init", "--data-dir", "vault"}), 0) << child_output();
        const std::vector<std::pair<std::string, std::string>> secrets = {
            {"ss_key", std::string(ss.at("api_key").as_string())},
            {"ss_secret", std::string(ss.at("api_secret").as_string())},
            {"ep_key", std::string(ep.at("api_key").as_string())},
            {"ep_user", std::string(ep.at("username").as_string())},
            {"ep_password", std::string(ep.at("password").as_string())}};
        for (const auto& [name, value] : secrets) {
            ASSERT_EQ(mlc({"secret", "set", name, "--data-dir", "vault"}, value), 0)
                << child_output();
        }
        write_text(dir_ / "mlc.yaml",
                   "version: 1\n"
                   "store:\n"
                   "  path: ./state.db\n"
                   "log:\n"
                   "  level: warn\n"
                   "connections:\n"
                   "  ss:\n"
                   "    system: shipstation\n"
                   "    base_url: " +
                       std::string(ss.at("base_url").as_string()) +
                       "\n"
                       "    secrets: {api_key: ss_key, api_secret: ss_secret}\n"
                       "  ep:\n"
                       "    system: epicor\n"
                       "    base_url: " +
                       std::string(ep.at("base_url").as_string()) +
                       "\n"
                       "    options: {company: " +
                       std::string(ep.at("company").as_string()) +
                       ", rate_per_minute: 1000000}\n"
                       "    secrets: {api_key: ep_key, username: ep_user, password: ep_password}\n"
                       "flows:\n"
                       "  orders:\n"
                       "    recipe: shipstation-to-epicor-orders\n"
                       "    connections: {source: ss, target: ep}\n"
                       "    options:\n"
                       "      customer_match: email\n"
                       "      customer_field: EMailAddress\n"
                       "      page_size: 50\n"
                       "      shipments: true\n");
    }

    int sync_once(bool killable) {
        // ShipStation's 40-a-minute window is counted on the host clock: a new minute per run.
        clock_.advance(kRateWindow);
        return mlc({"-c", "mlc.yaml", "--data-dir", "vault", "sync", "orders", "--once"}, "",
                   killable);
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport unused_outbound_;
    sandbox::SandboxHost host_{clock_, unused_outbound_, {.seed = 5, .volume = kVolume}};
    std::unique_ptr<net::HttpServer> shipstation_server_;
    std::unique_ptr<flows::testing::KillingServer> epicor_server_;  // Kills the `mlc` child.
    long kill_at_ = 0;  // The Epicor request the next killable child dies at (0: none).
    bool kill_after_applying_ = false;
    fs::path dir_;
};

TEST_F(KillRestart, TwentyKillsDuringASyncLeaveNoDuplicateAndNoMissingOrder) {
    auto orders = shipstation_orders(host_);
    ASSERT_TRUE(orders) << orders.error().describe();
    auto baseline = epicor_order_nums(host_);
    ASSERT_TRUE(baseline) << baseline.error().describe();
    EpicorPreparation prepared;
    ASSERT_TRUE(prepare_epicor_for(host_, *orders, prepared));
    ASSERT_NO_FATAL_FAILURE(write_config_and_vault());

    std::mt19937_64 random(20251102);  // Fixed: the same kill points on every run of the test.
    std::uniform_int_distribution<long> requests(1, kKillAfterRequestsMax);
    int runs = 0;
    int completed = 0;
    while (epicor_server_->kills() < kKills && runs < kChildRunsMax) {
        ++runs;
        kill_after_applying_ = random() % 2 == 0;
        kill_at_ = requests(random);
        const int status = sync_once(/*killable=*/true);
        kill_at_ = 0;
        if (status >= 0) {
            ++completed;
            EXPECT_EQ(status, 0) << child_output();
        } else {
            EXPECT_EQ(status, -SIGKILL) << child_output();
        }
        // A killed run leaves its flow lease behind; the next `mlc sync` sees that the lease's
        // process is gone and takes it over at once (cli_context.cpp worker_gone).
    }
    ASSERT_EQ(epicor_server_->kills(), kKills)
        << "the sync finished before 20 kills: " << completed << " runs completed";
    int status = -1;
    for (int run = 0; run < kFinishRunsMax && status != 0; ++run) status = sync_once(false);
    ASSERT_EQ(status, 0) << child_output();

    auto tracking = shipstation_tracking(host_);
    ASSERT_TRUE(tracking) << tracking.error().describe();
    auto view = epicor_view(host_, *baseline);
    ASSERT_TRUE(view) << view.error().describe();
    const Expected want = expected_for(*orders, prepared, *tracking);
    EXPECT_TRUE(view->duplicated_keys.empty());
    EXPECT_EQ(view->orders, want.by_key.size());
    const auto diff = differences(want, *view);
    std::string text;
    for (const auto& line : diff) text += line + "\n";
    EXPECT_TRUE(diff.empty()) << text;
}

}  // namespace
}  // namespace mlc::flows::shipstation_epicor::e2e

// `mlc demo` as a user runs it: the built binary (MLC_BINARY) in a fresh temporary directory, with
// the real sandboxes and daemon on loopback ports chosen by the system.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace {

namespace fs = std::filesystem;

// Waits on a real child process only: polls for its output, at most this many times.
constexpr std::size_t kOutputBytesMax = 1 << 20;  // Demo stdout read before giving up.

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

class MlcDemo : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-demo-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // The shell line that runs `mlc args` in dir_, MLC_* variables cleared (hermetic).
    std::string command(const std::string& args) const {
        return "cd " + quote(dir_.string()) +
               " && exec env -u MLC_CONFIG -u MLC_DATA_DIR -u MLC_MASTER_KEY " + quote(MLC_BINARY) +
               " " + args + " < /dev/null > stdout.txt 2> stderr.txt";
    }

    Outcome mlc(const std::string& args) {
        const int status = std::system(command(args).c_str());
        Outcome outcome;
        outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        outcome.out = read_file(dir_ / "stdout.txt");
        outcome.err = read_file(dir_ / "stderr.txt");
        return outcome;
    }

    fs::path dir_;
};

TEST_F(MlcDemo, HelpNamesEveryOption) {
    const auto help = mlc("demo --help");
    ASSERT_EQ(help.exit_code, 0) << help.err;
    for (const char* option : {"--ports-file", "--port", "--seed", "--orders-per-minute",
                               "--orders", "--exit-when-done"}) {
        EXPECT_NE(help.out.find(option), std::string::npos) << option << "\n" << help.out;
    }
    const auto top = mlc("--help");
    EXPECT_NE(top.out.find("  demo"), std::string::npos) << top.out;
}

TEST_F(MlcDemo, ExitWhenDoneWithoutOrdersIsAUsageError) {
    const auto run = mlc("demo --exit-when-done --port 0 --data-dir demo");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("--orders"), std::string::npos) << run.err;
}

TEST_F(MlcDemo, TwentyOrdersLandInEpicorWithTrackingOnTheShippedOnes) {
    const auto run = mlc("demo --orders 20 --exit-when-done --port 0 --seed 7 --data-dir demo");
    ASSERT_EQ(run.exit_code, 0) << run.out << "\n" << run.err;
    EXPECT_NE(run.out.find("demo done: 20 of 20 orders landed in Epicor"), std::string::npos)
        << run.out;
    // The console is behind a login: the demo makes a user and prints its password once.
    EXPECT_NE(run.out.find("demo: console login: user demo, password "), std::string::npos)
        << run.out;
    // "tracking on X of Y shipped orders" (no <regex>: GCC 12 warns inside it under ASan).
    const auto at = run.out.find("tracking on ", run.out.find("demo done:"));
    ASSERT_NE(at, std::string::npos) << run.out;
    int tracked = -1;
    int shipped = -2;
    ASSERT_EQ(std::sscanf(run.out.c_str() + at, "tracking on %d of %d shipped orders", &tracked,
                          &shipped),
              2)
        << run.out;
    EXPECT_EQ(tracked, shipped);
    EXPECT_GT(shipped, 0);
    // The Acumatica flow: as many Acumatica sales orders reach ShipStation (orderKey SO<number>),
    // and every one labelled there comes back as a confirmed Acumatica shipment.
    const auto acu = run.out.find("acumatica: ", run.out.find("demo done:"));
    ASSERT_NE(acu, std::string::npos) << run.out;
    int in_shipstation = -1;
    int entered = -2;
    int back_shipped = -3;
    int labelled = -4;
    ASSERT_EQ(std::sscanf(run.out.c_str() + acu,
                          "acumatica: %d of %d sales orders in ShipStation; %d of %d labelled",
                          &in_shipstation, &entered, &back_shipped, &labelled),
              4)
        << run.out;
    EXPECT_EQ(entered, 20);
    EXPECT_EQ(in_shipstation, 20);
    EXPECT_GT(labelled, 0);
    EXPECT_EQ(back_shipped, labelled);
    // The Epicor -> UPS flow: 20 confirmed Epicor orders shipping via UPSG; every one with an
    // address UPS knows becomes UPS shipments whose tracking comes back into Epicor, and the ones
    // to the ambiguous "200 OAK AVE" park with UPS's candidates in the summary.
    const auto ups = run.out.find("ups: ", run.out.find("demo done:"));
    ASSERT_NE(ups, std::string::npos) << run.out;
    int ups_shipped = -1;
    int ups_expected = -2;
    int ups_tracked = -3;
    int ups_of = -4;
    ASSERT_EQ(std::sscanf(run.out.c_str() + ups,
                          "ups: %d of %d Epicor orders shipped by UPS; tracking back on %d of %d",
                          &ups_shipped, &ups_expected, &ups_tracked, &ups_of),
              4)
        << run.out;
    EXPECT_EQ(ups_expected, 17);  // Orders 3, 10 and 17 ship to the ambiguous address.
    EXPECT_EQ(ups_shipped, ups_expected);
    EXPECT_EQ(ups_tracked, ups_shipped);
    EXPECT_EQ(ups_of, ups_shipped);
    const auto parked_at = run.out.find("delivered; ", ups);
    ASSERT_NE(parked_at, std::string::npos) << run.out;
    int ups_parked = -1;
    int ups_ambiguous = -2;
    ASSERT_EQ(std::sscanf(run.out.c_str() + parked_at, "delivered; %d of %d ambiguous", &ups_parked,
                          &ups_ambiguous),
              2)
        << run.out;
    EXPECT_EQ(ups_ambiguous, 3);
    EXPECT_EQ(ups_parked, ups_ambiguous);
    EXPECT_NE(run.out.find("200 N OAK AVE"), std::string::npos) << run.out;
    // Only the orders shipping via UPSG went to UPS: the web orders in Epicor never did.
    EXPECT_NE(run.out.find("other Epicor orders shipped by UPS: 0\n"), std::string::npos)
        << run.out;
    // Each shipment's label is in the demo's label folder (mlc labels get ORDER reprints it).
    std::size_t labels = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / "demo" / "labels")) {
        labels += entry.is_regular_file() && entry.path().extension() == ".zpl" ? 1 : 0;
    }
    EXPECT_GE(labels, static_cast<std::size_t>(ups_shipped));
    // The Amazon flows: 20 Amazon orders (searchOrders reads them two minutes after they were
    // placed) land in Epicor on the marketplace's customer and are shipped; Amazon closes a
    // settlement, which posts to Epicor as journals whose net equals the deposit.
    const auto amz = run.out.find("amazon: ", run.out.find("demo done:"));
    ASSERT_NE(amz, std::string::npos) << run.out;
    int amz_in_epicor = -1;
    int amz_placed = -2;
    int amz_shipped = -3;
    int closed = -4;
    int posted = -5;
    int held = -6;
    ASSERT_EQ(std::sscanf(run.out.c_str() + amz,
                          "amazon: %d of %d orders in Epicor, %d shipped; settlements: %d closed, "
                          "%d posted, %d held",
                          &amz_in_epicor, &amz_placed, &amz_shipped, &closed, &posted, &held),
              6)
        << run.out;
    EXPECT_EQ(amz_placed, 20);
    EXPECT_EQ(amz_in_epicor, 20);
    EXPECT_EQ(amz_shipped, 20);
    EXPECT_GE(closed, 1);
    EXPECT_EQ(posted, closed);
    EXPECT_EQ(held, 0);
    const auto net_at = run.out.find("journal net ", amz);
    ASSERT_NE(net_at, std::string::npos) << run.out;
    char net[32] = {};
    char deposit[32] = {};
    ASSERT_EQ(
        std::sscanf(run.out.c_str() + net_at, "journal net %31s = deposit %31[^,],", net, deposit),
        2)
        << run.out;
    EXPECT_STREQ(net, deposit);
    EXPECT_NE(std::string(net), "0") << run.out;  // The settlement holds the shipped orders.
    EXPECT_NE(run.out.find("check ok", net_at), std::string::npos) << run.out;

    // The order selling a SKU Epicor lacks is parked, and the summary says how to fix it.
    EXPECT_NE(run.out.find("WB-2041-DISC"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("deadletters replay"), std::string::npos) << run.out;

    // The ports file names every sandbox the demo ran.
    const fs::path ports_file = dir_ / "demo" / "ports.json";
    ASSERT_TRUE(fs::exists(ports_file));
    const auto ports = boost::json::parse(read_file(ports_file)).as_object();
    for (const char* system : {"shipstation", "epicor", "acumatica", "ups", "amazon"}) {
        ASSERT_TRUE(ports.contains(system)) << system;
        EXPECT_TRUE(ports.at(system).as_object().contains("base_url"));
    }
    // The config is an ordinary one the user can check and reuse, and holds no secret values.
    const fs::path config = dir_ / "demo" / "mlc.yaml";
    ASSERT_TRUE(fs::exists(config));
    const std::string yaml = read_file(config);
    const std::string secret(ports.at("shipstation").at("api_secret").as_string());
    EXPECT_EQ(yaml.find(secret), std::string::npos);
    EXPECT_EQ(run.out.find(secret), std::string::npos);
    EXPECT_EQ(run.err.find(secret), std::string::npos);
    const std::string lwa_secret(ports.at("amazon").at("client_secret").as_string());
    EXPECT_EQ(yaml.find(lwa_secret), std::string::npos);
    EXPECT_EQ(run.out.find(lwa_secret), std::string::npos);
    const auto check = mlc("--data-dir demo -c demo/mlc.yaml config check");
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(MlcDemo, SigtermStopsTheContinuousDemoGracefully) {
    // Its stdout on a pipe: blocking reads wait for the start line (no sleeping), bounded by size.
    int out_pipe[2];
    ASSERT_EQ(::pipe(out_pipe), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        if (::chdir(dir_.c_str()) != 0) ::_exit(127);
        const int err = ::open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (err >= 0) ::dup2(err, STDERR_FILENO);
        ::unsetenv("MLC_CONFIG");
        ::unsetenv("MLC_DATA_DIR");
        ::unsetenv("MLC_MASTER_KEY");
        ::execl(MLC_BINARY, MLC_BINARY, "demo", "--port", "0", "--orders-per-minute", "60",
                "--data-dir", "demo", "--ports-file", "ports.json", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    std::string out;
    char buffer[4096];
    while (out.find("flows running") == std::string::npos && out.size() < kOutputBytesMax) {
        const ssize_t n = ::read(out_pipe[0], buffer, sizeof buffer);
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    EXPECT_NE(out.find("flows running"), std::string::npos)
        << out << read_file(dir_ / "stderr.txt");
    EXPECT_TRUE(fs::exists(dir_ / "ports.json"));
    ::kill(child, SIGTERM);
    // The demo closes its stdout when it exits: read to the end, then reap it.
    for (ssize_t n = 0;
         (n = ::read(out_pipe[0], buffer, sizeof buffer)) > 0 && out.size() < kOutputBytesMax;) {
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out_pipe[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << read_file(dir_ / "stderr.txt");
    EXPECT_NE(out.find("ShipStation"), std::string::npos) << out;  // The summary at stop.
    EXPECT_NE(out.find("Acumatica     "), std::string::npos) << out;
    EXPECT_NE(out.find("UPS           "), std::string::npos) << out;
    EXPECT_NE(out.find("Amazon        "), std::string::npos) << out;
    EXPECT_NE(out.find("demo stopped"), std::string::npos) << out;
}

}  // namespace

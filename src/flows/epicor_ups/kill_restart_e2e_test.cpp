// SIGKILL during a run loses and doubles nothing (issue 11): the built `mlc` binary runs
// `mlc sync ship --once` as a child process against the Epicor and UPS emulators, which this test
// serves on loopback ports (their state outlives the child), on one SQLite store. The servers kill
// the child at a random request, before the emulator applied it (the write never happened) or
// after (the shipment or CustShip exists, its answer is lost): first while releases ship (new
// orders arrive before each run), then while deliveries come back (packages delivered before each
// run). Clean runs then finish, and every release has exactly one live UPS shipment (no second
// label, no void) and its label file, every package one CustShip with its delivered status.
// The child runs on the real clock, so the emulators' clock follows it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include <boost/json.hpp>

#include "flows/epicor_ups/e2e_fixture.hpp"
#include "flows/epicor_ups/label_folder.hpp"
#include "flows/testing/kill_switch.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::epicor_ups {
namespace {

namespace fs = std::filesystem;
using testing::KillingServer;

constexpr int kOrders = 8;              // Two releases each: 16 UPS shipments.
constexpr int kKillsPerPhase = 8;       // Runs killed while shipping, then while tracking.
constexpr int kChildRunsMax = 60;       // Runs (killed or not) a phase may take.
constexpr int kCleanRunsMax = 5;        // Clean runs to finish a phase.
constexpr long kShipRequestsMax = 40;   // A shipping run's requests to one system (about).
constexpr long kTrackRequestsMax = 60;  // ... and a tracking run's.

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class EpicorToUpsKillTest : public EpicorToUpsTest {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-ups-kill-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        for (const char* name : {"MLC_CONFIG", "MLC_DATA_DIR", "MLC_MASTER_KEY"}) ::unsetenv(name);
        order_spacing_ = std::chrono::seconds(0);  // The clock is the real one's.
        follow_real_time();
        for (KillingServer* server : {&epicor_server_, &ups_server_}) {
            server->on_request([this](const net::HttpRequest&) { follow_real_time(); });
        }
        ASSERT_TRUE(epicor_server_.start());
        ASSERT_TRUE(ups_server_.start());
        host_.set_base_url("epicor", epicor_server_.base_url());
        host_.set_base_url("ups", ups_server_.base_url());
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // The emulators' clock: the real one's at each request the child makes. A control call made
    // here (a delivery) does not pass the killing servers, so the test moves the clock itself
    // first: an event filed at a stale time would be older than the position the last run stored
    // (Quantum View is read from that time on), as if UPS had filed it late.
    void follow_real_time() {
        const UtcTime now = real_.now();
        if (now > clock_.now()) clock_.set(now);
    }
    // `mlc args...` with stdin from `input`: its exit status, or minus the signal that ended it.
    int mlc(std::vector<std::string> args, const std::string& input = {},
            KillingServer* killer = nullptr, long after = 0, bool after_applying = false) {
        std::ofstream(dir_ / "stdin.txt", std::ios::binary) << input;
        args.insert(args.begin(), MLC_BINARY);
        const int status = testing::run_child(std::move(args), (dir_ / "stdin.txt").string(),
                                              (dir_ / "out.txt").string(), [&](pid_t child) {
                                                  if (killer != nullptr)
                                                      killer->arm(child, after, after_applying);
                                              });
        epicor_server_.disarm();
        ups_server_.disarm();
        return status;
    }
    std::string data_dir() const { return (dir_ / "data").string(); }
    void write_config_and_vault(UtcTime start) {
        const json::object ports = host_.ports();
        const auto text = [&](const char* system, const char* field) {
            return std::string(ports.at(system).at(field).as_string());
        };
        ASSERT_EQ(mlc({"init", "--data-dir", data_dir()}), 0) << read_text(dir_ / "out.txt");
        const std::vector<std::pair<std::string, std::string>> secrets = {
            {"ep_key", text("epicor", "api_key")},
            {"ep_user", text("epicor", "username")},
            {"ep_password", text("epicor", "password")},
            {"ups_id", text("ups", "client_id")},
            {"ups_secret", text("ups", "client_secret")}};
        for (const auto& [name, value] : secrets) {
            ASSERT_EQ(mlc({"secret", "set", name, "--data-dir", data_dir()}, value), 0)
                << read_text(dir_ / "out.txt");
        }
        std::ofstream(dir_ / "mlc.yaml")
            << "version: 1\nstore:\n  path: " << (dir_ / "state.db").string()
            << "\nlog:\n  level: warn\nconnections:\n"
            << "  ep:\n    system: epicor\n    base_url: " << text("epicor", "base_url")
            << "\n    options: {company: " << text("epicor", "company")
            << ", rate_per_minute: 1000000}\n"
            << "    secrets: {api_key: ep_key, username: ep_user, password: ep_password}\n"
            << "  ups:\n    system: ups\n    base_url: " << text("ups", "base_url")
            << "\n    options: {account_number: \"" << text("ups", "account_number")
            << "\", shipper_name: WAREHOUSE, shipper_phone: \"2135550100\", shipper_street1: "
               "100 MAIN ST, shipper_city: LOS ANGELES, shipper_state: CA, "
               "shipper_postal_code: \"90012\", shipper_country: US, rate_per_minute: 100000}\n"
            << "    secrets: {client_id: ups_id, client_secret: ups_secret}\n"
            << "flows:\n  ship:\n    recipe: " << kShipmentsRecipe
            << "\n    connections: {source: ep, target: ups}\n"
            << "    options: {start: \"" << format_iso8601(start) << "\", labels_dir: \""
            << labels_.string() << "\"}\n";
    }
    // Before each run `feed` makes new work; the run has a kill armed at a random request (within
    // what an unkilled run makes: KillPoints), until kKillsPerPhase runs were killed; then clean
    // runs until one succeeds.
    void phase(std::mt19937_64& random, long requests_max, const std::function<void()>& feed) {
        testing::KillPoints points(requests_max);
        const std::vector<std::string> sync = {
            "-c", (dir_ / "mlc.yaml").string(), "--data-dir", data_dir(), "sync", "ship", "--once"};
        int killed = 0;
        for (int run = 0; run < kChildRunsMax && killed < kKillsPerPhase; ++run) {
            feed();
            KillingServer& server = random() % 2 == 0 ? epicor_server_ : ups_server_;
            const long before = server.requests();
            const long at = points.draw(server, random);
            const int status = mlc(sync, {}, &server, at, random() % 2 == 0);
            if (status == -SIGKILL) {
                ++killed;
                continue;
            }
            EXPECT_EQ(status, 0) << read_text(dir_ / "out.txt");
            points.unkilled(server, server.requests() - before);
        }
        EXPECT_EQ(killed, kKillsPerPhase) << "the runs finished before the kills";
        int status = -1;
        for (int run = 0; run < kCleanRunsMax && status != 0; ++run) status = mlc(sync);
        ASSERT_EQ(status, 0) << read_text(dir_ / "out.txt");
    }

    SystemClock real_;
    fs::path dir_;
    KillingServer epicor_server_{host_, "epicor"};
    KillingServer ups_server_{host_, "ups"};
};

TEST_F(EpicorToUpsKillTest, KillsWhileShippingAndTrackingLoseAndDoubleNothing) {
    ASSERT_NO_FATAL_FAILURE(write_config_and_vault(clock_.now()));
    std::mt19937_64 random(20261203);  // Fixed: the same kill points on every run of the test.
    std::set<std::string> releases;
    int orders = 0;
    ASSERT_NO_FATAL_FAILURE(phase(random, kShipRequestsMax, [&] {
        for (int i = 0; i < 2; ++i, ++orders) {
            const std::int64_t num = order(kValid, {{"LB-PART", 1 + orders % 3}, {"KG-PART", 1}});
            releases.insert(std::to_string(num) + "-1-1");
            releases.insert(std::to_string(num) + "-2-1");
        }
    }));
    std::map<std::string, std::string> tracking;  // Release -> its package.
    for (const auto& [reference, package] : ups_packages()) {
        EXPECT_FALSE(package.at("voided").as_bool()) << reference;
        tracking[reference] = package.at("tracking_number").as_string();
    }
    EXPECT_EQ(ups_package_count(), releases.size()) << "no second label, ever";
    std::set<std::string> shipped;
    for (const auto& [reference, number] : tracking) {
        shipped.insert(reference);
        EXPECT_FALSE(
            LabelFolder(labels_).of_order(reference.substr(0, reference.find('-'))).empty())
            << reference << ": its label, recovered if its answer was lost";
    }
    EXPECT_EQ(shipped, releases);
    auto next = tracking.begin();
    ASSERT_NO_FATAL_FAILURE(phase(random, kTrackRequestsMax, [&] {
        for (int i = 0; i < 2 && next != tracking.end(); ++i, ++next) {
            follow_real_time();  // The delivery is filed at the time the next run sees.
            ASSERT_EQ(
                testing::control(host_, "ups", "POST", "packages/" + next->second + "/deliver")
                    .status,
                200);
        }
    }));
    for (; next != tracking.end(); ++next) {
        follow_real_time();
        testing::control(host_, "ups", "POST", "packages/" + next->second + "/deliver");
    }
    std::vector<std::string> sync = {
        "-c", (dir_ / "mlc.yaml").string(), "--data-dir", data_dir(), "sync", "ship", "--once"};
    // UPS times are whole seconds and a scan reads its own second again the next time
    // (ups_tracking.hpp): a delivery filed in the second a run read may show only in the next
    // run. The child runs on the real clock, so each checking run starts in a later second than
    // everything before it, until every package is delivered in Epicor (a few runs at most).
    std::map<std::string, std::pair<int, std::string>> in_epicor;
    for (int run = 0; run < kCleanRunsMax; ++run) {
        const UtcTime latest = std::max(real_.now(), clock_.now());
        Clock& wall_clock = real_;
        wall_clock.sleep_for(std::chrono::ceil<std::chrono::seconds>(latest) - real_.now() +
                             std::chrono::milliseconds(10));
        ASSERT_EQ(mlc(sync), 0) << read_text(dir_ / "out.txt");
        in_epicor = carrier_packs();
        if (std::all_of(tracking.begin(), tracking.end(), [&](const auto& package) {
                auto found = in_epicor.find(package.second);
                return found != in_epicor.end() && found->second.second == "Delivered";
            })) {
            break;
        }
    }
    for (const auto& [reference, number] : tracking) {
        ASSERT_TRUE(in_epicor.contains(number)) << reference;
        EXPECT_EQ(in_epicor.at(number).first, 1) << number << ": one CustShip per package";
        EXPECT_EQ(in_epicor.at(number).second, "Delivered") << number;
    }
    EXPECT_EQ(ups_package_count(), releases.size()) << "nothing shipped again while tracking";
    auto state = store::SqliteStateStore::open((dir_ / "state.db").string());
    ASSERT_TRUE(state) << state.error().describe();
    auto open = (*state)->list_dead_letters("ship", store::DeadLetterStatus::kOpen, 10);
    ASSERT_TRUE(open);
    EXPECT_TRUE(open->empty()) << open->front().error_message;
}

}  // namespace
}  // namespace mlc::flows::epicor_ups

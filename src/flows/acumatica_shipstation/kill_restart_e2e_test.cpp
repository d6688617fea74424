// SIGKILL loses and doubles nothing (issue 13): a worker process (kill_worker.cpp) runs
// "acumatica-to-shipstation-orders" against the Acumatica and ShipStation emulators this test
// serves on loopback ports (their state outlives the worker), on one SQLite file. The servers kill
// the worker at a random request, before the emulator applied it or after (its answer lost),
// first while orders go out, then while labels come back; clean runs then finish. Every open
// order is in ShipStation once, every label's tracking number on one confirmed Acumatica
// shipment once.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"
#include "flows/testing/kill_switch.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::KillingServer;

constexpr int kOrders = 150;        // New orders, besides the seeded open ones.
constexpr int kLabels = 60;         // Of them labelled in ShipStation.
constexpr int kKillsPerPhase = 8;   // Runs killed while orders go out, then labels come back.
constexpr int kKillsLandedMin = 4;  // Of them at least this many before the work was done.
constexpr int kRunsMax = 60;        // Runs (killed or not) in a phase before the test gives up.
// Small pages: a run commits after every 5 orders, kills land among the commits.
constexpr int kPerPage = 5;
constexpr long kRequestsPerLabel = 8;  // Acumatica: find, create, poll, package, confirm, poll.
// Between two workers: a killed worker's Acumatica session expires (20 minutes idle) and
// ShipStation's minute starts over.
constexpr std::chrono::minutes kBetweenRuns{30};

class KillRestartTest : public AcumaticaToShipStationTest {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-acu-kill-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        for (KillingServer* server : {&acumatica_server_, &shipstation_server_}) {
            // The worker's clock is the emulators' clock, as in process.
            server->on_request([this](const net::HttpRequest& request) {
                const auto now = net::find_header(request.headers, "X-Test-Now");
                const auto at = now ? parse_iso8601(*now) : Result<UtcTime>(clock_.now());
                if (at && *at > clock_.now()) clock_.set(*at);
            });
            ASSERT_TRUE(server->start());
        }
        host_.set_base_url("acumatica", acumatica_server_.base_url());
        host_.set_base_url("shipstation", shipstation_server_.base_url());
        ASSERT_TRUE(host_.write_ports_file((dir_ / "ports.json").string()));
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    // One worker run, killed at the `at`-th request of `server` when given: its exit (or -signal).
    int worker(KillingServer* server = nullptr, long at = 0, bool after_applying = false) {
        clock_.advance(kBetweenRuns);
        const pid_t child = testing::spawn_child(
            {MLC_ACU_ORDERS_WORKER, "--store", (dir_ / "state.db").string(), "--ports",
             (dir_ / "ports.json").string(), "--now", format_iso8601(clock_.now()), "--per-page",
             std::to_string(kPerPage)});
        EXPECT_GT(child, 0);
        if (server != nullptr) server->arm(child, at, after_applying);
        const int status = testing::wait_child(child);
        if (server != nullptr) server->disarm();
        return status;
    }
    // Runs workers while `left()` (the Acumatica requests the work left needs, about) is not 0:
    // `kills` of them killed at a random request in the first half of that work (a third at one
    // of ShipStation's next requests instead), before or after the emulator applied it; then
    // unkilled runs finish.
    void phase(const std::function<long()>& left, int kills) {
        const int before = killed();
        for (int run = 0; left() > 0 && run < kRunsMax; ++run) {
            const bool kill = killed() - before < kills;
            const bool at_shipstation = random_() % 3 == 0;
            KillingServer* server = at_shipstation ? &shipstation_server_ : &acumatica_server_;
            const long upto = at_shipstation ? 3 : left() / 2 + 1;  // Inside the work left.
            const long at = std::uniform_int_distribution<long>(1, upto)(random_);
            const int status = kill ? worker(server, at, random_() % 2 == 0) : worker();
            EXPECT_TRUE(status == 0 || (kill && status == -SIGKILL)) << "worker exit " << status;
        }
        EXPECT_EQ(left(), 0) << "the work was not done in " << kRunsMax << " runs";
        EXPECT_GE(killed() - before, kKillsLandedMin)
            << "the work was done before the kills landed";
        std::cout << "[ info ] " << killed() - before << " kills in the phase\n";
        ASSERT_EQ(worker(), 0);  // One more: nothing left to do, nothing done twice.
    }
    int killed() const { return acumatica_server_.kills() + shipstation_server_.kills(); }

    fs::path dir_;
    KillingServer acumatica_server_{host_, "acumatica"};
    KillingServer shipstation_server_{host_, "shipstation"};
    std::mt19937_64 random_{20261203};  // Fixed: the same kill points every time.
};

TEST_F(KillRestartTest, SigkillWhileOrdersGoOutAndLabelsComeBackLosesAndDoublesNothing) {
    for (int i = 0; i < kOrders; ++i) ASSERT_FALSE(new_order(1 + i % 3).empty());
    std::set<std::string> open;
    const json::object seeded = acumatica();
    for (const auto& order : seeded.at("SalesOrder").as_array()) {
        if (order.at("Status").at("value").as_string() == "Open")
            open.insert("SO" + std::string(order.at("OrderNbr").at("value").as_string()));
    }
    phase(
        [&] {
            // A run resumes the pass where the last one stopped: the pages of the unsent orders.
            const auto unsent = static_cast<long>(open.size() - shipstation_orders().size());
            return unsent > 0 ? 4 + unsent / kPerPage + 1 : 0;
        },
        kKillsPerPhase);
    std::map<std::string, int> rows;
    const auto orders = shipstation_orders(&rows);
    for (const std::string& key : open) {
        EXPECT_TRUE(orders.contains(key)) << key << " lost";
        EXPECT_EQ(rows[key], 1) << key << " doubled";
    }
    EXPECT_EQ(orders.size(), open.size());

    std::vector<std::string> labelled(open.begin(), open.end());
    labelled.resize(std::min<std::size_t>(labelled.size(), kLabels));
    for (std::size_t i = 0; i < labelled.size(); ++i) {
        ASSERT_EQ(label(labelled[i], "1ZKILL" + std::to_string(1000 + i)), 200);
    }
    phase(
        [&] {
            const auto tracked = acumatica_tracking();
            long missing = 0;
            for (std::size_t i = 0; i < labelled.size(); ++i)
                missing += tracked.contains("1ZKILL" + std::to_string(1000 + i)) ? 0 : 1;
            return missing == 0 ? 0 : 4 + missing * kRequestsPerLabel;
        },
        kKillsPerPhase);
    const auto tracking = acumatica_tracking();
    for (std::size_t i = 0; i < labelled.size(); ++i) {
        const std::string number = "1ZKILL" + std::to_string(1000 + i);
        EXPECT_EQ(tracking.contains(number) ? tracking.at(number) : 0, 1) << number;
        const json::object order = acumatica_order(labelled[i].substr(2));
        EXPECT_EQ(order.at("Status").at("value").as_string(), "Completed") << labelled[i];
        EXPECT_EQ(order.at("Shipments").as_array().size(), 1u) << labelled[i];
    }
    EXPECT_EQ(shipstation_orders().size(), open.size());
    std::cout << "[ info ] worker SIGKILLed " << killed() << " times (Acumatica "
              << acumatica_server_.kills() << ", ShipStation " << shipstation_server_.kills()
              << ")\n";
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

// SIGKILL during a run loses and doubles nothing (issue 12): the built `mlc` binary runs
// `mlc sync amazon-orders --once` as a child process against the Amazon and Epicor emulators,
// which this test serves on loopback ports (their state outlives the child), on one SQLite store.
// The servers (flows/testing/kill_switch.hpp) kill the child at a random request, before the
// emulator applied it or after (the Epicor order exists, its answer is lost). Clean runs then
// finish, and Epicor holds every Amazon order once, with all its lines; the cancelled ones
// closed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "flows/amazon_epicor/e2e_world.hpp"
#include "flows/testing/kill_switch.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::KillingServer;

constexpr int kOrders = 24;
constexpr int kChildRunsMax = 60;       // Runs (killed or not) a phase may take.
constexpr int kCleanRunsMax = 5;        // Clean runs to finish a phase after its kills.
constexpr long kAmazonRequestsMax = 4;  // A run's requests to Amazon: a token and a few pages.

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class AmazonToEpicorKillTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-amazon-kill-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        for (const char* name : {"MLC_CONFIG", "MLC_DATA_DIR", "MLC_MASTER_KEY"}) ::unsetenv(name);
        // The child waits on the wall clock, Amazon's buckets refill on the emulators' clock:
        // each Amazon request moves it 200 s (searchOrders earns a token every 179 s), so a
        // child never waits out a bucket that cannot refill.
        amazon_server_.on_request(
            [this](const net::HttpRequest&) { w_.clock_.advance(std::chrono::seconds(200)); });
        ASSERT_TRUE(amazon_server_.start());
        ASSERT_TRUE(epicor_server_.start());
        w_.host_.set_base_url("amazon", amazon_server_.base_url());
        w_.host_.set_base_url("epicor", epicor_server_.base_url());
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
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
        amazon_server_.disarm();
        epicor_server_.disarm();
        return status;
    }
    std::string data_dir() const { return (dir_ / "data").string(); }

    void write_config_and_vault() {
        const json::object ports = w_.host_.ports();
        const auto text = [&](const char* system, const char* field) {
            return std::string(ports.at(system).at(field).as_string());
        };
        ASSERT_EQ(mlc({"init", "--data-dir", data_dir()}), 0) << read_text(dir_ / "out.txt");
        const std::vector<std::pair<std::string, std::string>> secrets = {
            {"amz_id", text("amazon", "client_id")},
            {"amz_secret", text("amazon", "client_secret")},
            {"amz_refresh", text("amazon", "refresh_token")},
            {"ep_key", text("epicor", "api_key")},
            {"ep_user", text("epicor", "username")},
            {"ep_password", text("epicor", "password")}};
        for (const auto& [name, value] : secrets) {
            ASSERT_EQ(mlc({"secret", "set", name, "--data-dir", data_dir()}, value), 0)
                << read_text(dir_ / "out.txt");
        }
        std::ofstream(dir_ / "mlc.yaml")
            << "version: 1\nstore:\n  path: " << (dir_ / "state.db").string()
            << "\nlog:\n  level: warn\nconnections:\n"
            << "  amz:\n    system: amazon\n    base_url: " << text("amazon", "base_url")
            << "\n    options: {lwa_token_url: \"" << text("amazon", "lwa_token_url")
            << "\", marketplace_ids: " << kMarketplace << "}\n"
            << "    secrets: {client_id: amz_id, client_secret: amz_secret, refresh_token: "
               "amz_refresh}\n"
            << "  ep:\n    system: epicor\n    base_url: " << text("epicor", "base_url")
            << "\n    options: {company: " << text("epicor", "company")
            << ", rate_per_minute: 1000000}\n"
            << "    secrets: {api_key: ep_key, username: ep_user, password: ep_password}\n"
            << "flows:\n  amazon-orders:\n    recipe: " << kOrdersRecipe
            << "\n    connections: {source: amz, target: ep}\n"
            << "    options: {start: \"" << w_.flow_.options.at("start")
            << "\", overlap: 10m, page_size: 5}\n"
            << "    mappings:\n      customers: {" << kMarketplace << ": " << kAmazonCustomer
            << "}\n      parts: {" << kMissingSku << ": P-007}\n";
    }

    // Runs with a kill armed at a random request (of the next `epicor_max` to Epicor, or of the
    // next kAmazonRequestsMax to Amazon; within what an unkilled run makes: KillPoints) until
    // `kills` runs were killed, then clean runs until one succeeds.
    void phase(std::mt19937_64& random, int kills, long epicor_max) {
        const std::vector<std::string> sync = {"-c",         (dir_ / "mlc.yaml").string(),
                                               "--data-dir", data_dir(),
                                               "sync",       "amazon-orders",
                                               "--once"};
        testing::KillPoints amazon_points(kAmazonRequestsMax);
        testing::KillPoints epicor_points(epicor_max);
        int killed = 0;
        for (int run = 0; run < kChildRunsMax && killed < kills; ++run) {
            const bool amazon = random() % 3 == 0;
            KillingServer& server = amazon ? amazon_server_ : epicor_server_;
            testing::KillPoints& points = amazon ? amazon_points : epicor_points;
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
        EXPECT_EQ(killed, kills) << "the runs finished before the kills";
        kills_ += killed;
        int status = -1;
        for (int run = 0; run < kCleanRunsMax && status != 0; ++run) status = mlc(sync);
        ASSERT_EQ(status, 0) << read_text(dir_ / "out.txt");
    }

    AmazonWorld w_;
    fs::path dir_;
    int kills_ = 0;
    KillingServer amazon_server_{w_.host_, "amazon"};
    KillingServer epicor_server_{w_.host_, "epicor"};
};

TEST_F(AmazonToEpicorKillTest, KillsWhileOrdersLandLoseAndDoubleNothing) {
    ASSERT_LT(testing::add_epicor_part(w_.host_, "P-007").status, 300);
    const auto ids = w_.new_orders(kOrders);
    w_.clock_.advance(std::chrono::minutes(3));
    ASSERT_NO_FATAL_FAILURE(write_config_and_vault());
    std::mt19937_64 random(20261203);  // Fixed: the same kill points on every run of the test.
    ASSERT_NO_FATAL_FAILURE(phase(random, 10, 60));
    // Then a cancel and a change land through more kills.
    ASSERT_EQ(
        w_.control("amazon", "POST", "orders/" + ids[0] + "/status", R"({"status": "Canceled"})")
            .status,
        200);
    const auto& item = w_.amazon_order(ids[1]).items.front();
    ASSERT_EQ(w_.control("amazon", "POST", "orders/" + ids[1] + "/items/" + item.order_item_id,
                         R"({"quantity": 7})")
                  .status,
              200);
    w_.clock_.advance(std::chrono::minutes(3));
    ASSERT_NO_FATAL_FAILURE(phase(random, 4, 8));
    std::cout << "[ info ] mlc SIGKILLed " << kills_ << " times\n";

    const auto orders = w_.epicor_orders();
    EXPECT_EQ(orders.size(), ids.size());
    for (const auto& id : ids) {
        ASSERT_TRUE(orders.contains(id)) << id << " lost";
        ASSERT_EQ(orders.at(id).size(), 1u) << id << " duplicated";
        if (id == ids[0]) continue;  // Cancelled: closed below.
        const auto epicor = w_.epicor_order(orders.at(id).front());
        ASSERT_EQ(epicor.order.lines.size(), w_.amazon_order(id).items.size()) << id;
        for (std::size_t i = 0; i < epicor.order.lines.size(); ++i) {
            EXPECT_EQ(epicor.order.lines[i].quantity,
                      Decimal::from_int(w_.amazon_order(id).items[i].quantity))
                << id;
        }
    }
    EXPECT_FALSE(w_.open(orders.at(ids[0]).front()));
    auto state = store::SqliteStateStore::open((dir_ / "state.db").string());
    ASSERT_TRUE(state) << state.error().describe();
    auto open = (*state)->list_dead_letters("amazon-orders", store::DeadLetterStatus::kOpen, 10);
    ASSERT_TRUE(open);
    EXPECT_TRUE(open->empty()) << open->front().error_message;
}

}  // namespace
}  // namespace mlc::flows::amazon_epicor

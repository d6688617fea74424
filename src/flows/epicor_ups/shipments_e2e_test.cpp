// "epicor-to-ups-shipments" end to end against the Epicor and UPS emulators in process: Epicor
// orders confirmed for shipping become UPS shipments with validated addresses and exact
// part-master weights, each once (a lost ship answer is found by its reference), labels land in
// the flow's folder, a cancelled order voids its label, addresses UPS cannot place and parts
// without a weight park naming the fix, and UPS tracking comes back as a CustShip on the order.
#include "flows/epicor_ups/shipments_recipe.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/epicor_ups/label_folder.hpp"
#include "flows/testing/sandboxes.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::epicor_ups {
namespace {

namespace json = boost::json;

model::Address address(std::string street, std::string city, std::string state, std::string zip) {
    return model::Address{.name = "Dock 4",
                          .company = {},
                          .street1 = std::move(street),
                          .street2 = {},
                          .street3 = {},
                          .city = std::move(city),
                          .state = std::move(state),
                          .postal_code = std::move(zip),
                          .country = "US",
                          .phone = "2135550100",
                          .email = {},
                          .residential = false};
}

const model::Address kValid = address("100 MAIN ST", "LOS ANGELES", "CA", "90012");
const model::Address kCorrectable = address("100 main street", "Los Angeles", "CA", "90012");
const model::Address kAmbiguous = address("200 OAK AVE", "NEW YORK", "NY", "10001");
const model::Address kUnknown = address("9 NOWHERE RD", "LOS ANGELES", "CA", "90012");

class EpicorToUpsTest : public ::testing::Test {
  protected:
    EpicorToUpsTest() : host_(clock_, transport_, {.seed = 3, .volume = 40}) {
        testing::serve_sandboxes(host_, transport_, {"epicor", "ups"});
        const json::object ports = host_.ports();
        store_ = store::SqliteStateStore::open(":memory:").value();
        testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        testing::connect_sandbox(config_, vault_, ports, "ups", "ups");
        labels_ = std::filesystem::temp_directory_path() /
                  ("mlc-labels-" + std::to_string(::getpid()) + "-" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(labels_);
        flow_.name = "ship";
        flow_.recipe = kShipmentsRecipe;
        flow_.connections = {{"source", "ep"}, {"target", "ups"}};
        // The seeded Epicor orders were changed at start-up: the flow starts an hour later, past
        // its overlap, and ships only the orders each test makes.
        clock_.advance(std::chrono::hours(1));
        flow_.options = {{"start", format_iso8601(clock_.now())}, {"labels_dir", labels_.string()}};
        epicor_ = connections::open_epicor(config_.connections.at("ep"), deps()).value();
        part("LB-PART", "1.5", "LB");
        part("KG-PART", "0.5", "KG");
        part("OZ-PART", "4", "OZ");
        part("NO-WEIGHT", "0", "LB");
    }
    ~EpicorToUpsTest() override { std::filesystem::remove_all(labels_); }

    engine::Dependencies deps() {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = &transport_};
    }
    std::unique_ptr<engine::FlowRunner> runner() {
        auto built = make_shipments_runner(flow_, deps());
        EXPECT_TRUE(built) << built.error().describe();
        return built ? std::move(*built) : nullptr;
    }
    Result<engine::RunSummary> run(engine::FlowRunner& flow) {
        clock_.advance(std::chrono::minutes(1));
        return testing::run_once(flow, clock_, *store_, *log_, flow_.name);
    }
    void part(const std::string& num, const std::string& weight, const std::string& unit) {
        const auto answer =
            testing::control(host_, "epicor", "POST", "parts",
                             json::serialize(json::object{{"PartNum", num},
                                                          {"PartDescription", "Part " + num},
                                                          {"IUM", "EA"},
                                                          {"SalesUM", "EA"},
                                                          {"TypeCode", "P"},
                                                          {"UnitPrice", "10"},
                                                          {"NetWeight", weight},
                                                          {"NetWeightUOM", unit}}));
        ASSERT_LT(answer.status, 300) << answer.body;
    }
    // An order confirmed in Epicor, shipping to `to`; its OrderNum.
    std::int64_t order(const model::Address& to,
                       std::vector<std::pair<std::string, int>> lines = {{"LB-PART", 1}}) {
        model::Order o;
        o.source = {.system = "test", .key = "T-" + std::to_string(++orders_), .id = {}};
        o.ship_to = to;
        for (const auto& [sku, quantity] : lines) {
            model::OrderLine line;
            line.sku = sku;
            line.quantity = Decimal::from_int(quantity);
            line.unit_price = Decimal::from_int(10);
            o.lines.push_back(line);
        }
        clock_.advance(std::chrono::seconds(2));
        auto made = epicor_->client->create_order({.order = o, .customer_id = "C00002"});
        EXPECT_TRUE(made) << made.error().describe();
        return made ? made->order_num : 0;
    }
    // UPS packages made for releases of this test: reference -> the package as the state shows.
    std::map<std::string, json::object> ups_packages() {
        const auto state = json::parse(testing::control(host_, "ups", "GET", "state").body);
        std::map<std::string, json::object> out;
        for (const auto& package : state.at("packages").as_array()) {
            const auto& refs = package.at("references").as_array();
            if (refs.empty()) continue;
            const std::string ref(refs[0].as_string());
            if (!ref.starts_with("SEED-")) out[ref] = package.as_object();
        }
        return out;
    }
    std::vector<store::DeadLetter> letters() {
        return store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 100).value();
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::StateStore> store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::filesystem::path labels_;
    std::unique_ptr<connections::EpicorConnection> epicor_;
    int orders_ = 0;
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
};

TEST_F(EpicorToUpsTest, EachReadyReleaseShipsOnceWithItsLabelAndExactWeight) {
    auto flow = runner();
    ASSERT_TRUE(flow);
    const std::int64_t mixed = order(kValid, {{"LB-PART", 3}, {"KG-PART", 2}, {"OZ-PART", 4}});
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->streams["shipments"].created, 3) << "one shipment per release";
    const auto packages = ups_packages();
    const std::string lb_key = std::to_string(mixed) + "-1-1";
    ASSERT_TRUE(packages.contains(lb_key));
    EXPECT_EQ(packages.at(lb_key).at("weight_lbs").as_string(), "4.5");  // 3 x 1.5 lb
    EXPECT_EQ(packages.at(std::to_string(mixed) + "-2-1").at("weight_lbs").as_string(),
              "2.3");  // 2 x 0.5 kg = 2.204623 lb, rounded up
    EXPECT_EQ(packages.at(std::to_string(mixed) + "-3-1").at("weight_lbs").as_string(),
              "1.0");  // 4 x 4 oz
    const auto files = LabelFolder(labels_).of_order(std::to_string(mixed));
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].extension(), ".zpl");

    auto again = run(*flow);  // Read again: nothing shipped twice.
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->streams["shipments"].created, 0);
    EXPECT_EQ(ups_packages().size(), 3u);
}

TEST_F(EpicorToUpsTest, PerOrderTheReleasesShareOneShipmentWithTheirWeightsSummed) {
    flow_.options["per_order"] = "true";
    auto flow = runner();
    const std::int64_t mixed = order(kValid, {{"LB-PART", 3}, {"KG-PART", 2}, {"OZ-PART", 4}});
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->streams["shipments"].created, 1);
    const auto packages = ups_packages();
    ASSERT_TRUE(packages.contains(std::to_string(mixed)));
    // 4.5 lb + 2.204623 lb + 1 lb = 7.704623 lb, declared as 7.8 (never under).
    EXPECT_EQ(packages.at(std::to_string(mixed)).at("weight_lbs").as_string(), "7.8");
}

TEST_F(EpicorToUpsTest, AddressesValidCorrectedAmbiguousAndUnknownEachReachTheirOutcome) {
    auto flow = runner();
    const std::int64_t valid = order(kValid);
    const std::int64_t corrected = order(kCorrectable);
    const std::int64_t ambiguous = order(kAmbiguous);
    const std::int64_t unknown = order(kUnknown);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->streams["shipments"].created, 2);
    EXPECT_EQ(summary->streams["shipments"].parked, 2);
    const auto packages = ups_packages();
    EXPECT_TRUE(packages.contains(std::to_string(valid) + "-1-1"));
    EXPECT_TRUE(packages.contains(std::to_string(corrected) + "-1-1"));
    std::map<std::string, std::string> why;
    for (const auto& letter : letters()) why[letter.source_key] = letter.error_message;
    const std::string two = std::to_string(ambiguous) + "-1-1";
    ASSERT_TRUE(why.contains(two));
    EXPECT_NE(why[two].find("UPS finds 2 addresses"), std::string::npos) << why[two];
    EXPECT_NE(why[two].find("200 N OAK AVE"), std::string::npos) << why[two];
    EXPECT_NE(why[two].find("200 S OAK AVE"), std::string::npos) << why[two];
    const std::string none = std::to_string(unknown) + "-1-1";
    ASSERT_TRUE(why.contains(none));
    EXPECT_NE(why[none].find("UPS knows no address like 9 NOWHERE RD"), std::string::npos)
        << why[none];
}

TEST_F(EpicorToUpsTest, ALostShipAnswerIsFoundByItsReferenceNeverShippedTwice) {
    testing::LosingTransport losing(transport_);
    auto built = make_shipments_runner(flow_, engine::Dependencies{.clock = clock_,
                                                                   .store = *store_,
                                                                   .config = &config_,
                                                                   .vault = &vault_,
                                                                   .transport = &losing});
    ASSERT_TRUE(built) << built.error().describe();
    const std::int64_t num = order(kValid);
    losing.lose("/ship", 1);
    EXPECT_FALSE(run(**built)) << "the answer was lost: the run stops, the binding is pending";
    auto again = run(**built);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->streams["shipments"].created, 1) << "found by its reference and confirmed";
    EXPECT_EQ(ups_packages().size(), 1u);
    const std::string key = std::to_string(num) + "-1-1";
    ASSERT_TRUE(ups_packages().contains(key));
    // Its label, lost with the answer, was recovered from UPS into the flow's folder.
    const std::string number(ups_packages().at(key).at("tracking_number").as_string());
    const auto files = LabelFolder(labels_).of_order(std::to_string(num));
    ASSERT_EQ(files.size(), 1u) << "the recovered label, listed for the order";
    EXPECT_EQ(files[0].filename().string(), key + "-1-" + number + ".zpl");
    EXPECT_GT(std::filesystem::file_size(files[0]), 0u);
}

TEST_F(EpicorToUpsTest, AMissingWeightParksNamingThePartAndItsReplayShipsOnceFixed) {
    auto flow = runner();
    const std::int64_t light = order(kValid, {{"NO-WEIGHT", 1}});
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    ASSERT_EQ(letters().size(), 1u);
    EXPECT_NE(letters()[0].error_message.find("part 'NO-WEIGHT'"), std::string::npos);
    EXPECT_NE(letters()[0].error_message.find("set NetWeight"), std::string::npos);
    part("NO-WEIGHT", "2", "LB");  // The fix, then the letter's replay ships it.
    const std::atomic<bool> no_stop{false};
    engine::RunContext ctx{.clock = clock_,
                           .store = *store_,
                           .log = *log_,
                           .stop_requested = no_stop,
                           .flow = flow_.name,
                           .dry_run = false,
                           .attempt = 2,
                           .renew = {}};
    auto replayed = flow->replay(letters()[0], ctx);
    ASSERT_TRUE(replayed) << replayed.error().describe();
    EXPECT_TRUE(ups_packages().contains(std::to_string(light) + "-1-1"));
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(ups_packages().size(), 1u);
}

TEST_F(EpicorToUpsTest, AnOrderCancelledInEpicorVoidsItsLabelOnce) {
    auto flow = runner();
    const std::int64_t num = order(kValid);
    ASSERT_TRUE(run(*flow));
    clock_.advance(std::chrono::seconds(2));
    ASSERT_TRUE(epicor_->client->cancel_order(num));
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->streams["shipments"].updated, 1) << "closed: the label voided";
    const auto packages = ups_packages();
    ASSERT_EQ(packages.size(), 1u);
    EXPECT_TRUE(packages.begin()->second.at("voided").as_bool());
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(ups_packages().size(), 1u) << "nothing shipped again";
}

TEST_F(EpicorToUpsTest, TrackingComesBackAsACustShipOnTheOrderOncePerPackage) {
    auto flow = runner();
    const std::int64_t num = order(kValid);
    auto first = run(*flow);  // Ships, and Quantum View already shows the label (manifest).
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->streams["tracking"].created, 1);
    const auto packages = ups_packages();
    ASSERT_EQ(packages.size(), 1u);
    const std::string tracking(packages.begin()->second.at("tracking_number").as_string());
    const auto packs = [&] {
        const auto state = json::parse(testing::control(host_, "epicor", "GET", "state").body);
        std::vector<std::int64_t> orders;
        for (const auto& row : state.at("tables").at("ShipHead").as_array()) {
            if (row.at("TrackingNumber").as_string() == tracking) {
                orders.push_back(row.at("OrderNum").to_number<std::int64_t>());
            }
        }
        return orders;
    };
    EXPECT_EQ(packs(), std::vector<std::int64_t>{num});
    // The package moves on (origin scan, then delivered): the pack is not written again.
    for (const char* step : {"advance", "deliver"}) {
        ASSERT_EQ(
            testing::control(host_, "ups", "POST", "packages/" + tracking + "/" + step).status,
            200);
        auto later = run(*flow);
        ASSERT_TRUE(later) << later.error().describe();
        EXPECT_EQ(later->streams["tracking"].created, 0) << step;
    }
    EXPECT_EQ(packs(), std::vector<std::int64_t>{num});
}

TEST_F(EpicorToUpsTest, TwentyReleasesCostOneTokenAndTwoUpsCallsEachToShip) {
    auto flow = runner();
    for (int i = 0; i < 10; ++i) order(kValid, {{"LB-PART", 1}, {"OZ-PART", 2}});
    ASSERT_TRUE(testing::control(host_, "ups", "DELETE", "requests").status == 200);
    ASSERT_TRUE(testing::control(host_, "epicor", "DELETE", "requests").status == 200);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    ASSERT_EQ(summary->streams["shipments"].created, 20);
    std::map<std::string, int> ups;
    const json::value sent = json::parse(testing::control(host_, "ups", "GET", "requests").body);
    for (const auto& r : sent.as_array()) {
        std::string path(r.at("path").as_string());
        if (path.find("/addressvalidation/") != std::string::npos) path = "address validation";
        if (path.find("/ship") != std::string::npos) path = "ship";
        if (path.find("/oauth/") != std::string::npos) path = "token";
        ++ups[path];
    }
    EXPECT_EQ(ups["token"], 1) << "one token for the whole run (and the next four hours)";
    EXPECT_EQ(ups["address validation"], 20);
    EXPECT_EQ(ups["ship"], 20);
    const json::value epicor =
        json::parse(testing::control(host_, "epicor", "GET", "requests").body);
    // One page of releases, one read per distinct part, one CustShip (2 calls) per package.
    EXPECT_LE(epicor.as_array().size(), 1u + 2u + 2u * 20u) << json::serialize(epicor);
}

}  // namespace
}  // namespace mlc::flows::epicor_ups

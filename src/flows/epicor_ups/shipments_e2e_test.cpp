// "epicor-to-ups-shipments" end to end against the Epicor and UPS emulators in process: Epicor
// orders confirmed for shipping become UPS shipments with validated addresses and exact
// part-master weights, each once (a lost ship answer is found by its reference), labels land in
// the flow's folder, a cancelled order voids its label, addresses UPS cannot place and parts
// without a weight park naming the fix, and UPS tracking comes back as a CustShip on the order.
// Every test runs on SQLite and on PostgreSQL (testing::OnEachStore; that instance skips without
// MLC_TEST_POSTGRES_URL).
#include "flows/epicor_ups/shipments_recipe.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "flows/epicor_ups/e2e_fixture.hpp"
#include "flows/epicor_ups/label_folder.hpp"
#include "flows/testing/store_param.hpp"

namespace mlc::flows::epicor_ups {
namespace {

namespace json = boost::json;
using EpicorToUpsOnEachStore = testing::OnEachStore<EpicorToUpsTest>;

TEST_P(EpicorToUpsOnEachStore, EachReadyReleaseShipsOnceWithItsLabelAndExactWeight) {
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

TEST_P(EpicorToUpsOnEachStore, PerOrderTheReleasesShareOneShipmentWithTheirWeightsSummed) {
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

TEST_P(EpicorToUpsOnEachStore, AddressesValidCorrectedAmbiguousAndUnknownEachReachTheirOutcome) {
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

TEST_P(EpicorToUpsOnEachStore, ALostShipAnswerIsFoundByItsReferenceNeverShippedTwice) {
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

TEST_P(EpicorToUpsOnEachStore, AMissingWeightParksNamingThePartAndItsReplayShipsOnceFixed) {
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

TEST_P(EpicorToUpsOnEachStore, AnOrderCancelledInEpicorVoidsItsLabelOnce) {
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

TEST_P(EpicorToUpsOnEachStore, TrackingComesBackAsACustShipOnTheOrderOncePerPackage) {
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

// The Epicor rows of the pack with `tracking` and of release `num`-1-1, as the emulator holds them.
struct StatusRows {
    json::object pack;
    json::object release;
};

TEST_P(EpicorToUpsOnEachStore, StatusDeliveryAndEstimateLandOnThePackAndReleaseOncePerChange) {
    auto flow = runner();
    const std::int64_t num = order(kValid);
    ASSERT_TRUE(run(*flow));
    const auto packages = ups_packages();
    ASSERT_EQ(packages.size(), 1u);
    const std::string tracking(packages.begin()->second.at("tracking_number").as_string());
    const auto rows = [&] {
        const auto state = json::parse(testing::control(host_, "epicor", "GET", "state").body);
        StatusRows out;
        for (const auto& row : state.at("tables").at("ShipHead").as_array()) {
            if (row.at("TrackingNumber").as_string() == tracking) out.pack = row.as_object();
        }
        for (const auto& row : state.at("tables").at("OrderRel").as_array()) {
            if (row.at("OrderNum").to_number<std::int64_t>() == num) out.release = row.as_object();
        }
        return out;
    };
    StatusRows shipped = rows();
    ASSERT_FALSE(shipped.pack.empty());
    EXPECT_NE(shipped.pack.at("CarrierStatus_c").as_string(), "");
    EXPECT_EQ(shipped.release.at("CarrierStatus_c"), shipped.pack.at("CarrierStatus_c"));
    EXPECT_TRUE(shipped.pack.at("DeliveredDate_c").is_null());
    clock_.advance(std::chrono::hours(2));  // UPS scans the package later that day.
    ASSERT_EQ(testing::control(host_, "ups", "POST", "packages/" + tracking + "/advance").status,
              200);
    auto moving = run(*flow);
    ASSERT_TRUE(moving) << moving.error().describe();
    EXPECT_EQ(moving->streams["tracking"].updated, 1) << "in transit: one write";
    const StatusRows in_transit = rows();
    EXPECT_NE(in_transit.pack.at("CarrierStatus_c"), shipped.pack.at("CarrierStatus_c"));
    EXPECT_FALSE(in_transit.pack.at("EstDelivery_c").is_null()) << json::serialize(in_transit.pack);
    EXPECT_EQ(in_transit.release.at("EstDelivery_c"), in_transit.pack.at("EstDelivery_c"));
    auto same = run(*flow);
    ASSERT_TRUE(same) << same.error().describe();
    EXPECT_EQ(same->streams["tracking"].updated, 0) << "nothing changed: nothing written";
    clock_.advance(std::chrono::hours(2));
    ASSERT_EQ(testing::control(host_, "ups", "POST", "packages/" + tracking + "/deliver").status,
              200);
    auto delivered = run(*flow);
    ASSERT_TRUE(delivered) << delivered.error().describe();
    EXPECT_EQ(delivered->streams["tracking"].updated, 1);
    const StatusRows done = rows();
    EXPECT_FALSE(done.pack.at("DeliveredDate_c").is_null()) << json::serialize(done.pack);
    EXPECT_EQ(done.release.at("DeliveredDate_c"), done.pack.at("DeliveredDate_c"));
    EXPECT_GT(done.pack.at("SysRevID").to_number<std::int64_t>(),
              in_transit.pack.at("SysRevID").to_number<std::int64_t>());
}

// UPS times are whole seconds: two scans may share a second (a package "loaded on the delivery
// vehicle" and "out for delivery" at one time), and a run may read between them. The second scan
// still lands, though the package's newest activity time (its version) did not move.
TEST_P(EpicorToUpsOnEachStore, AScanInTheSameSecondAsTheStatusAlreadyWrittenStillLands) {
    auto flow = runner();
    order(kValid);
    auto shipped = run(*flow);  // Ships; the label is tracked with this second as its version.
    ASSERT_TRUE(shipped) << shipped.error().describe();
    ASSERT_EQ(shipped->streams["tracking"].created, 1);
    const auto packages = ups_packages();
    ASSERT_EQ(packages.size(), 1u);
    const std::string tracking(packages.begin()->second.at("tracking_number").as_string());
    const auto status = [&] {
        const auto state = json::parse(testing::control(host_, "epicor", "GET", "state").body);
        for (const auto& row : state.at("tables").at("ShipHead").as_array()) {
            if (row.at("TrackingNumber").as_string() == tracking) {
                return std::string(row.at("CarrierStatus_c").as_string());
            }
        }
        return std::string();
    };
    const std::string labelled = status();
    // The origin scan is filed in the very second of the label, and read again in that second.
    ASSERT_EQ(testing::control(host_, "ups", "POST", "packages/" + tracking + "/advance").status,
              200);
    auto same_second = testing::run_once(*flow, clock_, *store_, *log_, flow_.name);
    ASSERT_TRUE(same_second) << same_second.error().describe();
    EXPECT_EQ(same_second->streams["tracking"].updated, 1);
    EXPECT_NE(status(), labelled) << "the origin scan reached Epicor";
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->streams["tracking"].updated, 0) << "written once";
}

TEST_P(EpicorToUpsOnEachStore, ATenantWithoutTheStatusFieldsStopsTheRunNamingTheFieldAndTheFix) {
    flow_.options["status_field"] = "UpsState_c";  // Not added to this tenant.
    auto flow = runner();
    const std::int64_t num = order(kValid);
    // A configuration problem concerns every package: the run stops (an alert, not a letter per
    // package), the shipments already made stay made.
    auto failed = run(*flow);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kConfig);
    EXPECT_NE(failed.error().message.find("UpsState_c"), std::string::npos)
        << failed.error().message;
    EXPECT_NE(failed.error().message.find("Extended UD Table Maintenance"), std::string::npos)
        << failed.error().message;
    EXPECT_EQ(ups_package_count(), 1u);
    user_field("ShipHead", "UpsState_c", "string");  // The fix; the next run goes on.
    user_field("OrderRel", "UpsState_c", "string");
    auto fixed = run(*flow);
    ASSERT_TRUE(fixed) << fixed.error().describe();
    EXPECT_TRUE(letters().empty());
    EXPECT_EQ(ups_package_count(), 1u) << "nothing shipped twice";
    const auto state = json::parse(testing::control(host_, "epicor", "GET", "state").body);
    int packs = 0;
    for (const auto& row : state.at("tables").at("ShipHead").as_array()) {
        if (row.at("OrderNum").to_number<std::int64_t>() == num) {
            ++packs;
            EXPECT_NE(row.at("UpsState_c").as_string(), "") << "the status, on the same pack";
        }
    }
    EXPECT_EQ(packs, 1) << "the second run found the pack the first one made";
}

TEST_P(EpicorToUpsOnEachStore, TwentyReleasesCostOneTokenAndTwoUpsCallsEachToShip) {
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
    // One page of releases, one read per distinct part, one CustShip (2 calls) per package and
    // its status on the CustShip and the release (2 PATCHes).
    EXPECT_LE(epicor.as_array().size(), 1u + 2u + 4u * 20u) << json::serialize(epicor);
}

INSTANTIATE_TEST_SUITE_P(Stores, EpicorToUpsOnEachStore, ::testing::ValuesIn(testing::kStoreKinds),
                         testing::StoreKindName{});

}  // namespace
}  // namespace mlc::flows::epicor_ups

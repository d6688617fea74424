// "shipstation-to-epicor-orders" end to end under vendor faults and across daylight-saving changes
// (issue 5, "Tests that must exist"): the flow over both emulators in process, ManualClock. The
// faults test runs on SQLite and on PostgreSQL (a create cut by a fault is found again through the
// store either way); the DST cases, about wall-clock times, on SQLite.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "flows/shipstation_epicor/e2e/e2e_world.hpp"

namespace mlc::flows::shipstation_epicor::e2e {
namespace {

namespace json = boost::json;

constexpr int kFaultyRunsMax = 5'000;  // Runs the faulty world may take to finish.

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

// One world to completion, its Epicor view and the expectation from its ShipStation.
struct Outcome {
    DriveResult drive;
    EpicorView view;
    Expected want;
    Traffic traffic;
    std::size_t peak_per_minute = 0;
};

void sync_world(E2eWorld& world, bool faults, Outcome& out) {
    ASSERT_TRUE(world.prepare_epicor());
    if (faults) {
        // 20% of every vendor request fails: 7% 429, 7% 500, 6% 503 (fixed seed: replayable).
        const sandbox::FaultPlan plan{
            .route_prefix = "/", .rate_429 = 0.07, .rate_500 = 0.07, .rate_503 = 0.06};
        ASSERT_TRUE(world.add_faults("shipstation", plan));
        ASSERT_TRUE(world.add_faults("epicor", plan));
    }
    world.traffic().reset();
    auto flow = world.runner();
    ASSERT_TRUE(flow) << flow.error().describe();
    out.drive = world.run_until_done(**flow, kFaultyRunsMax);
    out.traffic = world.traffic().traffic();
    out.peak_per_minute = world.traffic().shipstation_peak_per_minute();
    ASSERT_TRUE(out.drive.done) << out.drive.runs << " runs, last: " << out.drive.last_error;
    ASSERT_TRUE(world.clear_faults("shipstation"));
    ASSERT_TRUE(world.clear_faults("epicor"));
    auto orders = world.shipstation_orders();
    ASSERT_TRUE(orders) << orders.error().describe();
    auto tracking = world.shipstation_tracking();
    ASSERT_TRUE(tracking) << tracking.error().describe();
    out.want = world.expected(*orders, *tracking);
    auto view = world.epicor_view();
    ASSERT_TRUE(view) << view.error().describe();
    out.view = std::move(*view);
}

// 20% of the requests to both vendors fail. The net client repeats 429s (refused unapplied) and
// the 5xx of reads; a create cut by a 5xx is looked up by orderKey in a later run, never sent
// twice. Runs that failed are run again, as the scheduler does.
class ShipStationToEpicorFaults : public ::testing::TestWithParam<testing::StoreKind> {
  protected:
    void SetUp() override { MLC_SKIP_WITHOUT_STORE(GetParam()); }
};

TEST_P(ShipStationToEpicorFaults, TwentyPercentFaultsGiveTheFaultFreeResultWithinTheRateLimit) {
    const WorldOptions options{
        .volume = 200, .store = GetParam(), .shipments = true, .page_size = 50};
    E2eWorld clean_world(options);
    E2eWorld faulty_world(options);
    Outcome clean, faulty;
    ASSERT_NO_FATAL_FAILURE(sync_world(clean_world, false, clean));
    ASSERT_NO_FATAL_FAILURE(sync_world(faulty_world, true, faulty));

    EXPECT_EQ(clean.drive.failed_runs, 0) << clean.drive.last_error;
    EXPECT_TRUE(differences(clean.want, clean.view).empty())
        << join(differences(clean.want, clean.view));
    // The faults happened, the runs they broke were retried, and the end state is the same.
    EXPECT_GT(faulty.traffic.injected_faults, 20);
    EXPECT_TRUE(differences(faulty.want, faulty.view).empty())
        << join(differences(faulty.want, faulty.view));
    ASSERT_EQ(faulty.view.by_key.size(), clean.view.by_key.size());
    for (const auto& [key, orders] : clean.view.by_key) {
        auto found = faulty.view.by_key.find(key);
        ASSERT_NE(found, faulty.view.by_key.end()) << key;
        ASSERT_EQ(found->second.size(), 1u) << key;
        EXPECT_TRUE(found->second.front().same_content(orders.front())) << key;
    }
    // ShipStation's own limiter never had to refuse, and no 60 s held more than 40 requests.
    EXPECT_EQ(faulty.traffic.shipstation_vendor_429, 0);
    EXPECT_LE(faulty.peak_per_minute, kShipStationPerMinuteMax);
    EXPECT_LE(clean.peak_per_minute, kShipStationPerMinuteMax);
    RecordProperty("faulty_runs", faulty.drive.runs);
    RecordProperty("faulty_failed_runs", faulty.drive.failed_runs);
    RecordProperty("injected_faults", static_cast<int>(faulty.traffic.injected_faults));
    RecordProperty("shipstation_peak_per_minute", static_cast<int>(faulty.peak_per_minute));
}

// Orders created and edited every few minutes while Pacific time changes (ShipStation V1 speaks
// Pacific wall time, shipstation.md): each must land in Epicor once, and the edit made in the
// repeated 1 a.m. hour must reach Epicor although its wall time reads earlier than the create.
struct DstCase {
    const char* name;
    const char* start;    // UTC, an hour or two before the change
    const char* overlap;  // The flow's overlap option ("" for its default)
    bool check_edit;      // Whether the edit made in the repeated hour must reach Epicor.
};

class ShipStationToEpicorDst : public ::testing::TestWithParam<DstCase> {};

constexpr std::chrono::minutes kStep{10};
constexpr int kSteps = 30;  // Five hours of simulated time across the change.

TEST_P(ShipStationToEpicorDst, OrdersAroundTheChangeAreNeitherMissedNorDoubled) {
    const DstCase& param = GetParam();
    E2eWorld world(
        {.volume = 20, .start = parse_iso8601(param.start).value(), .overlap = param.overlap});
    ASSERT_TRUE(world.prepare_epicor());
    auto flow = world.runner();
    ASSERT_TRUE(flow) << flow.error().describe();
    std::string edited_id;
    std::string edited_key;
    for (int step = 0; step < kSteps; ++step) {
        world.clock().advance(kStep);
        const auto imported = world.control("shipstation", "POST", "orders", R"({"count": 2})");
        ASSERT_EQ(imported.status, 200) << imported.body;
        if (step == kSteps / 3) {
            edited_id = std::to_string(json::parse(imported.body)
                                           .at("order_ids")
                                           .as_array()
                                           .front()
                                           .to_number<std::int64_t>());
        }
        if (step == kSteps / 3 + 4 && !edited_id.empty()) {
            // 40 minutes later: across the fall-back change this wall time reads earlier.
            const auto edited = world.control(
                "shipstation", "POST", "orders/" + edited_id + "/update",
                json::serialize(json::object{{"shipTo", json::object{{"name", "Edited Across DST"},
                                                                     {"street1", "1 Test Way"},
                                                                     {"city", "Portland"},
                                                                     {"state", "OR"},
                                                                     {"postalCode", "97201"},
                                                                     {"country", "US"}}}}));
            ASSERT_EQ(edited.status, 200) << edited.body;
        }
        // New customers and SKUs of the import exist in Epicor before the flow looks.
        ASSERT_TRUE(world.prepare_epicor(/*move_clock=*/false));
        const DriveResult run = world.run_until_done(**flow, 3);
        ASSERT_TRUE(run.done) << "at " << format_iso8601(world.clock().now()) << ": "
                              << run.last_error;
    }
    auto orders = shipstation_orders(world.host());
    ASSERT_TRUE(orders) << orders.error().describe();
    ASSERT_GE(orders->size(), 20u + 2 * kSteps);
    for (const auto& order : *orders) {
        if (order.id == edited_id) edited_key = order.key;
    }
    auto view = world.epicor_view();
    ASSERT_TRUE(view) << view.error().describe();
    Expected want = world.expected(*orders);
    ASSERT_FALSE(edited_key.empty());
    ASSERT_TRUE(view->by_key.contains(edited_key));
    if (!param.check_edit) {
        want.by_key.at(edited_key).ship_to_name = view->by_key.at(edited_key).front().ship_to_name;
    }
    EXPECT_TRUE(differences(want, *view).empty()) << join(differences(want, *view));
    if (param.check_edit) {
        EXPECT_EQ(view->by_key.at(edited_key).front().ship_to_name, "Edited Across DST");
    }
}

INSTANTIATE_TEST_SUITE_P(Stores, ShipStationToEpicorFaults,
                         ::testing::ValuesIn(testing::kStoreKinds), testing::StoreKindName{});

INSTANTIATE_TEST_SUITE_P(
    PacificChanges, ShipStationToEpicorDst,
    ::testing::Values(
        // 2024-11-03 02:00 PDT -> 01:00 PST (09:00Z): the 1 a.m. hour happens twice.
        // An order created at 01:50 PDT and edited at 01:30 PST (40 minutes later): V1's
        // offset-free wall time reads the edit as earlier; it must still reach Epicor.
        DstCase{"FallBackDefaultOverlap", "2024-11-03T07:00:00Z", "", true},
        DstCase{"FallBackOneMinuteOverlap", "2024-11-03T07:00:00Z", "1m", true},
        // 2025-03-09 02:00 PST -> 03:00 PDT (10:00Z): the 2 a.m. hour never happens.
        DstCase{"SpringForwardDefaultOverlap", "2025-03-09T08:00:00Z", "", true},
        DstCase{"SpringForwardOneMinuteOverlap", "2025-03-09T08:00:00Z", "1m", true}),
    [](const ::testing::TestParamInfo<DstCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace mlc::flows::shipstation_epicor::e2e

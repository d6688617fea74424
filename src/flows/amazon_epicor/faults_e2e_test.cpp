// "amazon-to-epicor-orders" under vendor faults (issue 12, "orders idempotent across 20 %
// faults"): the same seeded world run clean and with a fifth of every request to Amazon and Epicor
// failing (429, 500, or the connection dropped after the vendor did the work) ends in the same
// place: every order in Epicor once with the same lines, the cancelled ones closed, the same
// orders parked (their SKU is unknown) and nothing else.
#include <gtest/gtest.h>

#include "flows/amazon_epicor/e2e_world.hpp"
#include "sandbox/fault_injector.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr int kOrders = 60;
constexpr int kRunsMax = 400;  // Runs a faulty world may take to settle.

struct Drive {
    int runs = 0;
    int failed_runs = 0;
    std::string last_error;
};

// Runs the flow, again after a failed run as the scheduler does, until a run succeeds with
// nothing left to write.
bool drive_until_quiet(AmazonWorld& w, engine::FlowRunner& flow, Drive& drive) {
    for (int i = 0; i < kRunsMax; ++i) {
        ++drive.runs;
        w.clock_.advance(1min);
        auto summary = w.run(flow);
        if (!summary) {
            ++drive.failed_runs;
            drive.last_error = summary.error().describe();
            continue;
        }
        if (summary->created + summary->updated == 0 && !summary->more_pending) return true;
    }
    return false;
}

struct Outcome {
    std::map<std::string, std::string> orders;  // AmazonOrderId -> lines and open/closed.
    std::map<std::string, std::size_t> copies;  // AmazonOrderId -> Epicor orders holding it.
    std::set<std::string> parked;
};

void settle(AmazonWorld& w, bool faults, Outcome& out, Drive& drive) {
    const auto ids = w.new_orders(kOrders);
    w.clock_.advance(3min);
    if (faults) {
        const sandbox::FaultPlan plan{
            .route_prefix = "/", .rate_429 = 0.07, .rate_500 = 0.07, .drop_rate = 0.06};
        for (const char* system : {"amazon", "epicor"}) {
            ASSERT_EQ(w.control(system, "POST", "faults",
                                json::serialize(sandbox::fault_plan_to_json(plan)))
                          .status,
                      200);
        }
    }
    auto flow = w.runner();
    ASSERT_TRUE(flow);
    ASSERT_TRUE(drive_until_quiet(w, *flow, drive)) << drive.last_error;
    // Changes while the faults go on: a quantity, and two cancels.
    std::vector<std::string> landed;
    for (const auto& id : ids) {
        if (!w.has_missing_sku(id)) landed.push_back(id);
    }
    ASSERT_GE(landed.size(), 3u);
    const auto& item = w.amazon_order(landed[0]).items.front();
    ASSERT_EQ(w.control("amazon", "POST", "orders/" + landed[0] + "/items/" + item.order_item_id,
                        R"({"quantity": 9})")
                  .status,
              200);
    for (std::size_t i = 1; i <= 2; ++i) {
        ASSERT_EQ(w.control("amazon", "POST", "orders/" + landed[i] + "/status",
                            R"({"status": "Canceled"})")
                      .status,
                  200);
    }
    w.clock_.advance(3min);
    ASSERT_TRUE(drive_until_quiet(w, *flow, drive)) << drive.last_error;
    for (const char* system : {"amazon", "epicor"}) {
        ASSERT_EQ(w.control(system, "DELETE", "faults").status, 200);
    }
    for (const auto& [id, nums] : w.epicor_orders()) {
        out.copies[id] = nums.size();
        const auto order = w.epicor_order(nums.front()).order;
        std::string text = w.open(nums.front()) ? "open" : "closed";
        for (const auto& line : order.lines) {
            text += " " + line.sku + " x" + line.quantity.to_string() + " @" +
                    line.unit_price.to_string();
        }
        out.orders[id] = text;
    }
    for (const auto& letter : w.open_letters()) out.parked.insert(letter.source_key);
}

TEST(AmazonToEpicorFaults, TwentyPercentFaultsGiveTheFaultFreeResult) {
    AmazonWorld clean_world, faulty_world;
    Outcome clean, faulty;
    Drive clean_drive, faulty_drive;
    ASSERT_NO_FATAL_FAILURE(settle(clean_world, false, clean, clean_drive));
    ASSERT_NO_FATAL_FAILURE(settle(faulty_world, true, faulty, faulty_drive));

    EXPECT_EQ(clean_drive.failed_runs, 0) << clean_drive.last_error;
    EXPECT_GT(faulty_drive.failed_runs, 0);  // The faults happened and broke runs.
    EXPECT_GT(clean.orders.size(), 30u);
    EXPECT_EQ(faulty.orders, clean.orders);  // Every order, with the same lines and state.
    for (const auto& [id, count] : faulty.copies) EXPECT_EQ(count, 1u) << id << " duplicated";
    EXPECT_EQ(faulty.parked, clean.parked);  // Only the unknown SKU's orders.
    RecordProperty("faulty_runs", faulty_drive.runs);
    RecordProperty("faulty_failed_runs", faulty_drive.failed_runs);
}

}  // namespace
}  // namespace mlc::flows::amazon_epicor

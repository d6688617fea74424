// "epicor-to-ups-shipments" under vendor faults (issue 11, "20 % faults give the fault-free
// result"): a fifth of every request to Epicor and UPS fails (429, 500, or the connection dropped
// after the vendor did the work, the token endpoint included) while confirmed orders ship and
// their packages move to delivered. The flow, run again after each failed run as the scheduler
// does, ends where a fault-free run ends: one live UPS shipment per release (no second label),
// one CustShip per package with its delivered status, one label file per package, no letter.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/epicor_ups/e2e_fixture.hpp"
#include "sandbox/fault_injector.hpp"

namespace mlc::flows::epicor_ups {
namespace {

constexpr int kOrders = 12;
constexpr int kRunsMax = 400;  // Runs a faulty world may take to settle.

class EpicorToUpsFaultsTest : public EpicorToUpsTest {
  protected:
    void faults(double share) {
        const sandbox::FaultPlan plan{.route_prefix = "/",
                                      .rate_429 = share * 0.35,
                                      .rate_500 = share * 0.35,
                                      .drop_rate = share * 0.3};
        for (const char* system : {"epicor", "ups"}) {
            ASSERT_EQ(testing::control(host_, system, "POST", "faults",
                                       json::serialize(sandbox::fault_plan_to_json(plan)))
                          .status,
                      200);
        }
    }
    // Runs until a run succeeds with nothing written and nothing pending; the failed runs.
    int settle(engine::FlowRunner& flow) {
        int failed = 0;
        for (int i = 0; i < kRunsMax; ++i) {
            auto summary = run(flow);
            if (!summary) {
                ++failed;
                continue;
            }
            if (summary->created + summary->updated == 0 && !summary->more_pending) return failed;
        }
        ADD_FAILURE() << "the flow did not settle in " << kRunsMax << " runs";
        return failed;
    }
};

TEST_F(EpicorToUpsFaultsTest, AFifthOfAllRequestsFailingGivesTheFaultFreeResult) {
    auto flow = runner();
    ASSERT_TRUE(flow);
    std::set<std::string> releases;
    for (int i = 0; i < kOrders; ++i) {
        const std::int64_t num =
            order(i % 3 == 0 ? kCorrectable : kValid, {{"LB-PART", 1 + i % 2}, {"OZ-PART", 2}});
        releases.insert(std::to_string(num) + "-1-1");
        releases.insert(std::to_string(num) + "-2-1");
    }
    faults(0.2);
    const int failed_shipping = settle(*flow);
    std::map<std::string, std::string> tracking;  // Release -> its one live package.
    for (const auto& [reference, package] : ups_packages()) {
        EXPECT_FALSE(package.at("voided").as_bool()) << reference << ": nothing shipped twice";
        tracking[reference] = package.at("tracking_number").as_string();
    }
    std::set<std::string> shipped;
    for (const auto& [reference, number] : tracking) shipped.insert(reference);
    EXPECT_EQ(shipped, releases) << "every release shipped, once";
    EXPECT_EQ(ups_package_count(), releases.size()) << "no second label, ever";
    // Every package reaches delivered, under the same faults.
    for (const auto& [reference, number] : tracking) {
        for (const char* step : {"advance", "deliver"}) {
            testing::control(host_, "ups", "DELETE", "faults");
            ASSERT_EQ(
                testing::control(host_, "ups", "POST", "packages/" + number + "/" + step).status,
                200);
            faults(0.2);
        }
    }
    const int failed_tracking = settle(*flow);
    const auto in_epicor = carrier_packs();
    for (const auto& [reference, number] : tracking) {
        ASSERT_TRUE(in_epicor.contains(number)) << reference;
        EXPECT_EQ(in_epicor.at(number).first, 1) << number << ": one CustShip per package";
        EXPECT_EQ(in_epicor.at(number).second, "Delivered") << number;
    }
    std::size_t labels = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(labels_)) {
        labels += entry.is_regular_file() ? 1 : 0;
    }
    EXPECT_EQ(labels, releases.size()) << "one label file per package";
    EXPECT_TRUE(letters().empty()) << letters().front().error_message;
    EXPECT_GT(failed_shipping + failed_tracking, 0) << "the faults were felt";
}

}  // namespace
}  // namespace mlc::flows::epicor_ups

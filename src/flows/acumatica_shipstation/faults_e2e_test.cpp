// "acumatica-to-shipstation-orders" under vendor faults (issue 13, "20 % faults lose and double
// nothing"): the same seeded world run clean and with a fifth of every request to Acumatica and
// ShipStation failing (429, 500, or the connection dropped after the vendor did the work) ends in
// the same place: every fulfillable order in ShipStation once, every label back in Acumatica as
// one confirmed shipment.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"
#include "sandbox/fault_injector.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

constexpr std::size_t kVolume = 80;  // About forty open orders.
constexpr int kRunsMax = 600;        // Runs a faulty world may take to settle.

struct Drive {
    int runs = 0;
    int failed_runs = 0;
    std::string last_error;
};

// Runs the flow, again after a failed run as the scheduler does, until a run succeeds with
// nothing left to write. False when kRunsMax runs did not get there.
bool drive_until_quiet(AcumaticaWorld& world, engine::FlowRunner& flow, Drive& drive) {
    for (int i = 0; i < kRunsMax; ++i) {
        ++drive.runs;
        auto summary = world.run(flow);
        if (!summary) {
            ++drive.failed_runs;
            drive.last_error = summary.error().describe();
            continue;
        }
        if (summary->created + summary->updated == 0 && !summary->more_pending) return true;
    }
    return false;
}

// What a world ended with, comparable across worlds.
struct Outcome {
    std::map<std::string, std::string> orders;  // orderKey -> status, ship-to and items.
    std::map<std::string, int> rows;            // orderKey -> ShipStation rows holding it.
    std::map<std::string, int> tracking;        // Labelled tracking number -> Acumatica shipments.
    std::map<std::string, std::string> acumatica_status;  // Labelled order -> its status.
    std::size_t open_letters = 0;
};

// An order's status, ship-to and lines (SKU, quantity, price): not ShipStation's own ids.
std::string content(const json::object& order) {
    std::string out = std::string(order.at("orderStatus").as_string()) + " " +
                      json::serialize(order.at("shipTo"));
    for (const auto& item : order.at("items").as_array()) {
        out += " " + json::serialize(item.at("sku")) + " x" + json::serialize(item.at("quantity")) +
               " @" + json::serialize(item.at("unitPrice"));
    }
    return out;
}

void settle(AcumaticaWorld& world, bool faults, Outcome& out, Drive& drive) {
    if (faults) {
        const sandbox::FaultPlan plan{
            .route_prefix = "/", .rate_429 = 0.07, .rate_500 = 0.07, .drop_rate = 0.06};
        for (const char* system : {"acumatica", "shipstation"}) {
            ASSERT_EQ(world
                          .control(system, "POST", "faults",
                                   json::serialize(sandbox::fault_plan_to_json(plan)))
                          .status,
                      200);
        }
    }
    auto flow = world.runner();
    ASSERT_TRUE(flow);
    ASSERT_TRUE(drive_until_quiet(world, *flow, drive)) << drive.last_error;
    // A warehouse labels every other order; the labels come back.
    std::vector<std::string> labelled;
    int index = 0;
    for (const auto& [key, order] : world.shipstation_orders()) {
        if (index++ % 2 != 0 || order.at("orderStatus").as_string() != "awaiting_shipment") {
            continue;
        }
        ASSERT_EQ(world.label(key, "1ZF" + key), 200);
        labelled.push_back(key);
    }
    ASSERT_FALSE(labelled.empty());
    ASSERT_TRUE(drive_until_quiet(world, *flow, drive)) << drive.last_error;
    for (const char* system : {"acumatica", "shipstation"}) {
        ASSERT_EQ(world.control(system, "DELETE", "faults").status, 200);
    }
    for (const auto& [key, order] : world.shipstation_orders(&out.rows)) {
        out.orders[key] = content(order);
    }
    const auto tracking = world.acumatica_tracking();
    for (const std::string& key : labelled) {
        const auto found = tracking.find("1ZF" + key);
        out.tracking[key] = found == tracking.end() ? 0 : found->second;
        out.acumatica_status[key] =
            world.acumatica_order(key.substr(2)).at("Status").at("value").as_string();
    }
    out.open_letters = world.open_letters().size();
}

TEST(AcumaticaToShipStationFaults, TwentyPercentFaultsGiveTheFaultFreeResult) {
    AcumaticaWorld clean_world(kVolume);
    AcumaticaWorld faulty_world(kVolume);
    Outcome clean, faulty;
    Drive clean_drive, faulty_drive;
    ASSERT_NO_FATAL_FAILURE(settle(clean_world, false, clean, clean_drive));
    ASSERT_NO_FATAL_FAILURE(settle(faulty_world, true, faulty, faulty_drive));

    EXPECT_EQ(clean_drive.failed_runs, 0) << clean_drive.last_error;
    EXPECT_GT(faulty_drive.failed_runs, 0);  // The faults happened and broke runs.
    EXPECT_GT(clean.orders.size(), 20u);
    EXPECT_EQ(faulty.orders, clean.orders);  // Every order, with the same content.
    for (const auto& [key, count] : faulty.rows) EXPECT_EQ(count, 1) << key;
    EXPECT_EQ(faulty.tracking, clean.tracking);
    for (const auto& [key, count] : faulty.tracking) EXPECT_EQ(count, 1) << key;
    EXPECT_EQ(faulty.acumatica_status, clean.acumatica_status);
    for (const auto& [key, status] : faulty.acumatica_status) EXPECT_EQ(status, "Completed") << key;
    EXPECT_EQ(clean.open_letters, 0u);
    EXPECT_EQ(faulty.open_letters, 0u);
    RecordProperty("faulty_runs", faulty_drive.runs);
    RecordProperty("faulty_failed_runs", faulty_drive.failed_runs);
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

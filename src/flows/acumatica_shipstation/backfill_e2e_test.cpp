// "acumatica-to-shipstation-orders" backfill (issue 13): 2,000 Acumatica sales orders entered
// before the flow's first run land in ShipStation once each, and ShipStation never sees more than
// its 40 requests in any minute of the test clock (createorders carries 100 orders a call).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;
constexpr int kBackfill = 2'000;  // The figure.
constexpr int kRunsMax = 20;      // A backfill drains within this many runs.
constexpr const char* kShipStation = "shipstation.sandbox.test";
constexpr const char* kAcumatica = "acumatica.sandbox.test";

TEST_F(AcumaticaToShipStationTest, ABackfillOf2000OrdersLandsOnceEachWithin40RequestsAMinute) {
    for (int i = 0; i < kBackfill; ++i) {
        ASSERT_FALSE(new_order(1 + i % 3).empty());
    }
    std::size_t open = 0;
    const json::object seeded = acumatica();
    for (const auto& order : seeded.at("SalesOrder").as_array()) {
        open += order.at("Status").at("value").as_string() == "Open";
    }
    ASSERT_GE(open, static_cast<std::size_t>(kBackfill));
    auto flow = runner();
    ASSERT_TRUE(flow);
    int runs = 0;
    for (bool more = true; more && runs < kRunsMax; ++runs) {
        auto summary = run(*flow);
        ASSERT_TRUE(summary) << summary.error().describe();
        more = summary->more_pending || summary->created > 0;
    }
    std::map<std::string, int> rows;
    const auto orders = shipstation_orders(&rows);
    EXPECT_EQ(orders.size(), open);
    for (const auto& [key, count] : rows) EXPECT_EQ(count, 1) << key << " is in ShipStation twice";
    const int calls = counting_.sent[kShipStation];
    // Orders: 100 a createorders call; each run adds two shipments polls (by createDate and by
    // voidDate). The rest is the items stream (the product list, then a PUT per product).
    const int order_calls =
        counting_.calls["POST /orders/createorders"] + counting_.calls["GET /shipments"];
    EXPECT_LE(order_calls, static_cast<int>(open / 100 + 1) + 2 * runs);
    EXPECT_LE(counting_.busiest_minute(kShipStation), 40);
    EXPECT_EQ(counting_.refused[kShipStation], 0);
    std::cout << "backfill: " << open << " orders, " << order_calls
              << " ShipStation calls for them ("
              << static_cast<double>(order_calls) / static_cast<double>(open) << " an order), "
              << calls << " ShipStation calls in all with the items stream, at most "
              << counting_.busiest_minute(kShipStation) << " in any minute, "
              << counting_.refused[kShipStation] << " refused; " << counting_.sent[kAcumatica]
              << " Acumatica calls, " << runs << " runs\n";
    expect_every_session_closed();
    auto again = run(*flow);  // Nothing new: nothing sent twice.
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated, 0);
    EXPECT_EQ(shipstation_orders().size(), open);
}

// A window larger than one run's pages (per_page x pages_per_run) is read to its end over runs:
// each run resumes the pass where the last one stopped.
TEST_F(AcumaticaToShipStationTest, AWindowLargerThanARunsPagesIsReadToItsEndOverRuns) {
    for (int i = 0; i < 40; ++i) ASSERT_FALSE(new_order(1).empty());
    std::size_t open = 0;
    const json::object seeded = acumatica();
    for (const auto& order : seeded.at("SalesOrder").as_array()) {
        open += order.at("Status").at("value").as_string() == "Open";
    }
    flow_.options["per_page"] = "5";
    flow_.options["pages_per_run"] = "2";
    auto flow = runner();
    ASSERT_TRUE(flow);
    for (int runs = 0; runs < kRunsMax && shipstation_orders().size() < open; ++runs) {
        auto summary = run(*flow);
        ASSERT_TRUE(summary) << summary.error().describe();
    }
    std::map<std::string, int> rows;
    EXPECT_EQ(shipstation_orders(&rows).size(), open);
    for (const auto& [key, count] : rows) EXPECT_EQ(count, 1) << key;
    auto again = run(*flow);  // The items stream may still be on its way; the orders are done.
    ASSERT_TRUE(again) << again.error().describe();
    const auto orders = again->streams.find("orders");  // Absent: nothing happened to them.
    if (orders != again->streams.end()) {
        EXPECT_EQ(orders->second.created + orders->second.updated, 0);
    }
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

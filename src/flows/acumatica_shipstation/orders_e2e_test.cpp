// "acumatica-to-shipstation-orders" end to end against the Acumatica and ShipStation emulators in
// process (the 2,000-order backfill is backfill_e2e_test.cpp): an edit updates, a cancel
// cancels, a label comes back as a confirmed Acumatica shipment once, every Acumatica session
// opened is closed, and the failures a user meets (wrong version, login limit) are clear. Each
// test runs on SQLite and on PostgreSQL (testing::OnEachStore; that one skips without
// MLC_TEST_POSTGRES_URL).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"
#include "flows/testing/store_param.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;
using AcumaticaToShipStationOnEachStore = testing::OnEachStore<AcumaticaToShipStationTest>;

TEST_P(AcumaticaToShipStationOnEachStore, AnEditUpdatesTheOrderAndACancelCancelsIt) {
    auto flow = runner();
    const std::string edited = new_order(1);
    const std::string cancelled = new_order(2);
    ASSERT_TRUE(run(*flow));
    ASSERT_TRUE(shipstation_orders().contains("SO" + edited));
    ASSERT_EQ(control("acumatica", "POST", "records/SalesOrder",
                      json::serialize(json::object{{"OrderType", {{"value", "SO"}}},
                                                   {"OrderNbr", {{"value", edited}}},
                                                   {"Hold", {{"value", true}}}}))
                  .status,
              200);
    ASSERT_EQ(control("acumatica", "POST", "orders/cancel",
                      json::serialize(json::object{{"OrderNbr", cancelled}}))
                  .status,
              200);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->streams.at("orders").updated, 2);  // The hold sent, the cancel closed.
    const auto orders = shipstation_orders();
    EXPECT_EQ(orders.at("SO" + edited).at("orderStatus").as_string(), "on_hold");
    EXPECT_EQ(orders.at("SO" + cancelled).at("orderStatus").as_string(), "cancelled");
    expect_every_session_closed();
}

TEST_P(AcumaticaToShipStationOnEachStore, ALabelConfirmsTheAcumaticaShipmentOnce) {
    auto flow = runner();
    const std::string nbr = new_order(3);
    ASSERT_TRUE(run(*flow));
    const std::string order_id =
        std::to_string(shipstation_orders().at("SO" + nbr).at("orderId").to_number<std::int64_t>());
    ASSERT_EQ(control("shipstation", "POST", "orders/" + order_id + "/label",
                      R"({"carrierCode": "ups", "trackingNumber": "1ZACUFLOW1"})")
                  .status,
              200);
    auto shipped = run(*flow);
    ASSERT_TRUE(shipped) << shipped.error().describe();
    EXPECT_EQ(shipped->streams.at("shipments").created, 1);
    const json::object order = acumatica_order(nbr);
    EXPECT_EQ(order.at("Status").at("value").as_string(), "Completed");
    ASSERT_EQ(order.at("Shipments").as_array().size(), 1u);
    // Read again by the overlap and the completed order: nothing written twice.
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated + again->parked, 0);
    EXPECT_EQ(acumatica_order(nbr).at("Shipments").as_array().size(), 1u);
    expect_every_session_closed();
}

TEST_P(AcumaticaToShipStationOnEachStore, AnUnservedVersionFailsTheRunNamingTheServedOnes) {
    config_.connections.at("acu").options["version"] = "23.100.001";
    auto flow = runner();
    auto summary = run(*flow);
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().code, ErrorCode::kConfig);
    EXPECT_NE(summary.error().message.find("Default 24.200.001, Default 25.200.001"),
              std::string::npos)
        << summary.error().message;
    EXPECT_TRUE(shipstation_orders().empty());
}

TEST_P(AcumaticaToShipStationOnEachStore, ALoginPastTheLicenceFailsTheRunAndTheNextOneRecovers) {
    new_order(1);
    ASSERT_EQ(control("acumatica", "POST", "limits", R"({"sessions_max": 0})").status, 200);
    auto flow = runner();
    auto refused = run(*flow);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRateLimited);
    EXPECT_NE(refused.error().message.find("API Login Limit"), std::string::npos)
        << refused.error().message;
    ASSERT_EQ(control("acumatica", "POST", "limits", R"({"sessions_max": 2})").status, 200);
    auto recovered = run(*flow);
    ASSERT_TRUE(recovered) << recovered.error().describe();
    EXPECT_FALSE(shipstation_orders().empty());
    expect_every_session_closed();
}

INSTANTIATE_TEST_SUITE_P(Stores, AcumaticaToShipStationOnEachStore,
                         ::testing::ValuesIn(testing::kStoreKinds), testing::StoreKindName{});

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

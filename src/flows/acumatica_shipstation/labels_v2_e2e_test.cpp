// "acumatica-to-shipstation-orders" reads labels through ShipStation V2 when its connection gives
// a V2 API key, and through V1 otherwise (issue 13): a label made in ShipStation (V1 data) is
// listed by V2 and confirms the Acumatica shipment once; a switch from V1 to V2 writes nothing
// twice (both key a label by the V1 shipmentId); a voided label is not applied; a refused V2 key
// fails the run naming the fix.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

int v2_calls(const CountingTransport& counting) {
    int n = 0;
    for (const auto& [call, count] : counting.calls)
        n += call.find(" /v2/") != std::string::npos ? count : 0;
    return n;
}

TEST_F(AcumaticaToShipStationTest, WithAV2KeyALabelIsReadThroughV2AndConfirmsTheShipmentOnce) {
    use_shipstation_v2();
    auto flow = runner();
    ASSERT_TRUE(flow);
    const std::string nbr = new_order(2);
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(label("SO" + nbr, "1ZVTWO0001"), 200);  // Made in ShipStation (V1 data).
    auto shipped = run(*flow);
    ASSERT_TRUE(shipped) << shipped.error().describe();
    EXPECT_EQ(shipped->streams.at("shipments").created, 1);
    EXPECT_GE(counting_.calls["GET /v2/labels"], 2);
    // No V1 label read by createDate: the only V1 listing is the voidDate poll, once a run (V2
    // labels cannot be filtered by void time).
    EXPECT_EQ(counting_.calls["GET /shipments"], 2);
    const json::object order = acumatica_order(nbr);
    EXPECT_EQ(order.at("Status").at("value").as_string(), "Completed");
    EXPECT_EQ(acumatica_tracking()["1ZVTWO0001"], 1);
    auto again = run(*flow);  // The overlap reads it again: nothing written twice.
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated + again->parked, 0);
    EXPECT_EQ(acumatica_tracking()["1ZVTWO0001"], 1);
    expect_every_session_closed();
}

TEST_F(AcumaticaToShipStationTest, WithoutAV2KeyLabelsAreReadThroughV1) {
    auto flow = runner();
    const std::string nbr = new_order(1);
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(label("SO" + nbr, "1ZVONE0001"), 200);
    auto shipped = run(*flow);
    ASSERT_TRUE(shipped) << shipped.error().describe();
    EXPECT_EQ(shipped->streams.at("shipments").created, 1);
    EXPECT_GE(counting_.calls["GET /shipments"], 2);
    EXPECT_EQ(v2_calls(counting_), 0);
    EXPECT_EQ(acumatica_tracking()["1ZVONE0001"], 1);
}

TEST_F(AcumaticaToShipStationTest, AV2KeyAddedLaterRereadsV1LabelsWithoutWritingThemAgain) {
    auto v1 = runner();
    const std::string nbr = new_order(1);
    ASSERT_TRUE(run(*v1));
    ASSERT_EQ(label("SO" + nbr, "1ZSWITCH01"), 200);
    auto through_v1 = run(*v1);
    ASSERT_TRUE(through_v1) << through_v1.error().describe();
    ASSERT_EQ(through_v1->streams.at("shipments").created, 1);
    use_shipstation_v2();
    auto v2 = runner();  // Same store, same bindings: the label keeps its key (V1 shipmentId).
    auto through_v2 = run(*v2);
    ASSERT_TRUE(through_v2) << through_v2.error().describe();
    EXPECT_GE(counting_.calls["GET /v2/labels"], 1);
    EXPECT_EQ(through_v2->created + through_v2->updated + through_v2->parked, 0);
    EXPECT_EQ(acumatica_tracking()["1ZSWITCH01"], 1);
}

TEST_F(AcumaticaToShipStationTest, AVoidedLabelReadThroughV2IsNotApplied) {
    use_shipstation_v2();
    auto flow = runner();
    const std::string nbr = new_order(1);
    ASSERT_TRUE(run(*flow));
    const auto order_id =
        shipstation_orders().at("SO" + nbr).at("orderId").to_number<std::int64_t>();
    const auto made =
        control("shipstation", "POST", "orders/" + std::to_string(order_id) + "/label",
                R"({"carrierCode": "ups", "trackingNumber": "1ZVOIDV201"})");
    ASSERT_EQ(made.status, 200);
    const auto shipment_id = json::parse(made.body).at("shipmentId").to_number<std::int64_t>();
    ASSERT_EQ(
        control("shipstation", "POST", "shipments/" + std::to_string(shipment_id) + "/void").status,
        200);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->streams.at("shipments").created, 0);
    EXPECT_FALSE(acumatica_tracking().contains("1ZVOIDV201"));
    EXPECT_EQ(acumatica_order(nbr).at("Shipments").as_array().size(), 0u);
}

TEST_F(AcumaticaToShipStationTest, ARefusedV2KeyFailsTheRunNamingTheConnectionAndTheFix) {
    use_shipstation_v2("not-the-key");
    auto flow = runner();
    new_order(1);
    auto refused = run(*flow);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(refused.error().message.find("V2 API key"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("'ss'"), std::string::npos) << refused.error().message;
    expect_every_session_closed();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

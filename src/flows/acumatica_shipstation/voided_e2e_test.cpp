// "acumatica-to-shipstation-orders": a ShipStation label voided after its Acumatica shipment was
// confirmed reverses what Acumatica's API can (CorrectShipment: the shipment Open again and its
// quantities open on the order; the voided tracking number off the package) and raises an alert
// naming the order, the shipment and what a person must do; once, however often it is read. A
// label voided before it reached Acumatica changes nothing there. A label voided days later (out of
// the shipments poll's window, and SHIP_NOTIFY does not fire on a void) comes back through the
// poll of voided shipments by void date.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

class VoidedLabelTest : public AcumaticaToShipStationTest {
  protected:
    // Voids the ShipStation label with `tracking`; its shipmentId.
    std::string void_label(const std::string& tracking) {
        const json::object state =
            json::parse(control("shipstation", "GET", "state").body).as_object();
        for (const auto& shipment : state.at("shipments").as_array()) {
            if (shipment.at("trackingNumber").as_string() != tracking) continue;
            const std::string id =
                std::to_string(shipment.at("shipmentId").to_number<std::int64_t>());
            EXPECT_EQ(control("shipstation", "POST", "shipments/" + id + "/void").status, 200);
            return id;
        }
        ADD_FAILURE() << "no ShipStation label " << tracking;
        return {};
    }
    json::object acumatica_shipment(const std::string& nbr) {
        const json::object state = acumatica();
        for (const auto& shipment : state.at("Shipment").as_array()) {
            if (shipment.at("ShipmentNbr").at("value").as_string() == nbr) {
                return shipment.as_object();
            }
        }
        ADD_FAILURE() << "no Acumatica shipment " << nbr;
        return {};
    }
    std::vector<store::Alert> open_alerts() {
        auto alerts = store_->list_alerts(store::AlertStatus::kOpen);
        EXPECT_TRUE(alerts);
        return alerts ? std::move(*alerts) : std::vector<store::Alert>{};
    }
};

TEST_F(VoidedLabelTest, ALabelVoidedAfterConfirmationCorrectsTheShipmentAndRaisesOneAlert) {
    auto flow = runner();
    const std::string nbr = new_order(2);
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(label("SO" + nbr, "1ZVOIDED01"), 200);
    auto shipped = run(*flow);
    ASSERT_TRUE(shipped) << shipped.error().describe();
    ASSERT_EQ(acumatica_order(nbr).at("Status").at("value").as_string(), "Completed");
    const json::array links = acumatica_order(nbr).at("Shipments").as_array();
    ASSERT_EQ(links.size(), 1u);
    const std::string shipment(links.front().at("ShipmentNbr").at("value").as_string());
    ASSERT_EQ(acumatica_tracking()["1ZVOIDED01"], 1);

    const std::string label_id = void_label("1ZVOIDED01");
    auto reversed = run(*flow);
    ASSERT_TRUE(reversed) << reversed.error().describe();
    EXPECT_EQ(reversed->streams.at("shipments").updated, 1);
    EXPECT_EQ(reversed->updated, 1);  // The voids poll read it too: not reversed again.
    EXPECT_EQ(reversed->parked, 0);
    // In Acumatica: the shipment is Open again, the tracking number gone, the order not shipped.
    EXPECT_EQ(acumatica_shipment(shipment).at("Status").at("value").as_string(), "Open");
    EXPECT_EQ(acumatica_tracking().count("1ZVOIDED01"), 0u);
    EXPECT_EQ(acumatica_order(nbr).at("Status").at("value").as_string(), "Shipping");
    // One alert naming the order, the shipment and what to do.
    std::vector<store::Alert> alerts = open_alerts();
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts.front().key, "shipments:" + flow_.name + ":" + label_id);
    EXPECT_EQ(alerts.front().severity, "error");
    for (const std::string& said : std::vector<std::string>{
             "SO" + nbr, "acumatica:Shipment:" + shipment, "1ZVOIDED01", "print a new label"}) {
        EXPECT_NE(alerts.front().message.find(said), std::string::npos)
            << said << " in " << alerts.front().message;
    }

    // Read again (the overlap): nothing reversed twice, the same one alert, nothing parked, and
    // the order's own change in Acumatica sends nothing to ShipStation.
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated + again->parked + again->differ, 0);
    EXPECT_EQ(open_alerts().size(), 1u);
    EXPECT_TRUE(open_letters().empty());
    EXPECT_EQ(shipstation_orders().at("SO" + nbr).at("orderStatus").as_string(), "shipped");
    expect_every_session_closed();
}

// The shipments poll re-reads labels only within 2 hours of the newest label made, and
// SHIP_NOTIFY does not fire on a void: a label voided two days after its shipment was confirmed
// (other labels made since) comes back through the poll of voided shipments by void date.
TEST_F(VoidedLabelTest, ALabelVoidedTwoDaysAfterConfirmationIsReversedOnceWithOneAlert) {
    auto flow = runner();
    const std::string nbr = new_order(1);
    const std::string later = new_order(1);
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(label("SO" + nbr, "1ZLATEVOID1"), 200);
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(acumatica_order(nbr).at("Status").at("value").as_string(), "Completed");
    const std::string shipment(
        acumatica_order(nbr).at("Shipments").at(0).at("ShipmentNbr").at("value").as_string());
    clock_.advance(std::chrono::hours(24));  // Another label a day later moves the poll on.
    ASSERT_EQ(label("SO" + later, "1ZLATEVOID2"), 200);
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(acumatica_tracking()["1ZLATEVOID2"], 1);

    clock_.advance(std::chrono::hours(24));
    const UtcTime voided_at = clock_.now();
    const std::string label_id = void_label("1ZLATEVOID1");
    auto reversed = run(*flow);
    ASSERT_TRUE(reversed) << reversed.error().describe();
    // The voids poll stands at the newest void it read (ShipStation's Pacific voidDate, in UTC).
    auto cursor = store_->get_cursor(flow_.name, "voids");
    ASSERT_TRUE(cursor && *cursor);
    EXPECT_EQ((*cursor)->value, format_iso8601(voided_at));
    EXPECT_EQ(reversed->streams.count("shipments") ? reversed->streams.at("shipments").updated : 0,
              0);  // Out of the shipments poll's window: the voids poll brought it.
    EXPECT_EQ(reversed->streams.at("voids").updated, 1);
    EXPECT_EQ(reversed->updated, 1);
    EXPECT_EQ(reversed->parked, 0);
    EXPECT_EQ(acumatica_shipment(shipment).at("Status").at("value").as_string(), "Open");
    EXPECT_EQ(acumatica_tracking().count("1ZLATEVOID1"), 0u);
    EXPECT_EQ(acumatica_tracking()["1ZLATEVOID2"], 1);  // The other shipment untouched.
    EXPECT_EQ(acumatica_order(nbr).at("Status").at("value").as_string(), "Shipping");
    std::vector<store::Alert> alerts = open_alerts();
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts.front().key, "voids:" + flow_.name + ":" + label_id);
    for (const std::string& said : std::vector<std::string>{
             "SO" + nbr, "acumatica:Shipment:" + shipment, "1ZLATEVOID1", "print a new label"}) {
        EXPECT_NE(alerts.front().message.find(said), std::string::npos)
            << said << " in " << alerts.front().message;
    }

    // Read again (the void poll's overlap), and again a day later: nothing changes.
    for (int i = 0; i < 2; ++i) {
        auto again = run(*flow);
        ASSERT_TRUE(again) << again.error().describe();
        EXPECT_EQ(again->created + again->updated + again->parked + again->differ, 0);
        clock_.advance(std::chrono::hours(24));
    }
    EXPECT_EQ(open_alerts().size(), 1u);
    EXPECT_TRUE(open_letters().empty());
    EXPECT_EQ(acumatica_shipment(shipment).at("Status").at("value").as_string(), "Open");
    expect_every_session_closed();
}

TEST_F(VoidedLabelTest, ALabelVoidedBeforeItReachedAcumaticaChangesNothingThere) {
    auto flow = runner();
    const std::string nbr = new_order(1);
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(label("SO" + nbr, "1ZVOIDED02"), 200);
    void_label("1ZVOIDED02");
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created + summary->updated + summary->parked, 0);
    const json::object order = acumatica_order(nbr);
    const json::value* links = order.if_contains("Shipments");
    EXPECT_TRUE(links == nullptr || links->as_array().empty());
    EXPECT_TRUE(open_alerts().empty());
    EXPECT_TRUE(open_letters().empty());
    expect_every_session_closed();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

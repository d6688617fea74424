// "acumatica-to-shipstation-orders": ShipStation keeps shipped and cancelled orders locked. A
// later Acumatica edit of such an order is reconciled: an audit event naming the order, what
// differs and the fix, one open difference (`mlc differences`), one alert with the count; never
// parked, retried or overwritten. The same edit again is not sent and adds nothing; the difference
// clears when the orders agree again, or when a person dismisses it.
#include <gtest/gtest.h>

#include <functional>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"
#include "pipeline/flow.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

json::object value(std::string_view text) { return {{"value", json::string(text)}}; }

class LockedOrderTest : public AcumaticaToShipStationTest {
  protected:
    // A person changes the order's ship-to street in Acumatica.
    void move_ship_to(const std::string& nbr, const std::string& street) {
        ASSERT_EQ(control("acumatica", "POST", "records/SalesOrder",
                          json::serialize(json::object{
                              {"OrderType", value("SO")},
                              {"OrderNbr", value(nbr)},
                              {"ShipToAddress", json::object{{"AddressLine1", value(street)}}}}))
                      .status,
                  200);
    }
    std::vector<store::Difference> differences(bool open_only = true) {
        auto listed = store_->list_differences(
            flow_.name, open_only ? std::optional(store::DifferenceStatus::kOpen) : std::nullopt,
            100);
        EXPECT_TRUE(listed) << listed.error().describe();
        return listed ? std::move(*listed) : std::vector<store::Difference>{};
    }
    std::optional<store::Alert> locked_alert() {
        auto alerts = store_->list_alerts(store::AlertStatus::kOpen);
        EXPECT_TRUE(alerts);
        for (const store::Alert& alert : *alerts) {
            if (alert.key == pipeline::differences_alert_key(flow_.name)) return alert;
        }
        return std::nullopt;
    }
    std::vector<store::AuditEvent> locked_audit(const std::string& key) {
        store::AuditQuery query;
        query.flow = flow_.name;
        auto events = store_->query_audit(query);
        EXPECT_TRUE(events);
        std::vector<store::AuditEvent> out;
        for (const auto& event : *events) {
            if (event.outcome == "locked" && event.detail.find(key) != std::string::npos) {
                out.push_back(event);
            }
        }
        return out;
    }
    std::string street_in_shipstation(const std::string& nbr) {
        return std::string(
            shipstation_orders().at("SO" + nbr).at("shipTo").at("street1").as_string());
    }
    std::string status_in_shipstation(const std::string& nbr) {
        return std::string(shipstation_orders().at("SO" + nbr).at("orderStatus").as_string());
    }
};

TEST_F(LockedOrderTest, AnEditAfterShippingIsReconciledOnceNotRetriedAndDismissedByAPerson) {
    auto flow = runner();
    const std::string nbr = new_order(1);
    ASSERT_TRUE(run(*flow));
    const std::string street = street_in_shipstation(nbr);
    ASSERT_EQ(label("SO" + nbr, "1ZLOCKED01"), 200);  // Shipped in ShipStation...
    move_ship_to(nbr, "77 Late Change Ave");          // ...then edited in Acumatica.

    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->streams.at("orders").differ, 1);
    EXPECT_EQ(first->parked, 0);
    EXPECT_TRUE(open_letters().empty());  // Not parked for a retry...
    EXPECT_EQ(status_in_shipstation(nbr), "shipped");
    EXPECT_EQ(street_in_shipstation(nbr), street);  // ...nor overwritten.
    // The label still comes back: the Acumatica shipment is confirmed in the same run.
    EXPECT_EQ(acumatica_tracking()["1ZLOCKED01"], 1);

    // The report: one entry naming the order, what differs and the fix.
    auto open = differences();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open.front().source_key, "SO" + nbr);
    EXPECT_NE(open.front().detail.find("is shipped"), std::string::npos) << open.front().detail;
    EXPECT_NE(open.front().detail.find("ship-to street: 77 Late Change Ave in the source, " +
                                       street + " in ShipStation"),
              std::string::npos)
        << open.front().detail;
    EXPECT_NE(open.front().detail.find("Fix: "), std::string::npos) << open.front().detail;
    // The audit event says the same, naming the Acumatica order and the ShipStation one.
    auto audit = locked_audit("SO" + nbr);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit.front().action, store::AuditAction::kReject);
    EXPECT_NE(audit.front().detail.find("SO" + nbr), std::string::npos) << audit.front().detail;
    EXPECT_NE(audit.front().target_ref.find("shipstation:order:"), std::string::npos);
    // The alert, once, with the count.
    auto alert = locked_alert();
    ASSERT_TRUE(alert);
    EXPECT_TRUE(alert->message.starts_with("1 record differs")) << alert->message;
    EXPECT_NE(alert->message.find("mlc differences list --flow " + flow_.name), std::string::npos);

    // Read again (the overlap; Completed in Acumatica by now): nothing added twice.
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->differ + again->parked, 0);
    EXPECT_EQ(differences().size(), 1u);
    EXPECT_EQ(differences().front().edits, 1);
    EXPECT_EQ(locked_audit("SO" + nbr).size(), 1u);
    ASSERT_TRUE(locked_alert());
    EXPECT_EQ(locked_alert()->id, alert->id);
    EXPECT_TRUE(open_letters().empty());

    // A person settles it in ShipStation and dismisses it (what `mlc differences dismiss` does).
    ASSERT_TRUE(store_->set_difference_status(open.front().id, store::DifferenceStatus::kDismissed,
                                              clock_.now()));
    ASSERT_TRUE(pipeline::sync_differences_alert(*store_, flow_.name, clock_.now()));
    EXPECT_TRUE(differences().empty());
    EXPECT_FALSE(locked_alert());
    auto after = run(*flow);
    ASSERT_TRUE(after) << after.error().describe();
    EXPECT_EQ(after->differ, 0);
    EXPECT_TRUE(differences().empty());
    expect_every_session_closed();
}

TEST_F(LockedOrderTest, AnEditOfAnOrderCancelledInShipStationClearsWhenTheOrdersAgreeAgain) {
    auto flow = runner();
    const std::string kept = new_order(1);
    const std::string other = new_order(2);
    ASSERT_TRUE(run(*flow));
    const std::string street = street_in_shipstation(kept);
    for (const std::string& nbr : {kept, other}) {  // Cancelled by a person in ShipStation.
        const auto id = shipstation_orders().at("SO" + nbr).at("orderId").to_number<std::int64_t>();
        ASSERT_EQ(control("shipstation", "POST", "orders/" + std::to_string(id) + "/cancel").status,
                  200);
    }
    move_ship_to(kept, "1 Wrong Turn");
    move_ship_to(other, "2 Wrong Turn");
    auto differ = run(*flow);
    ASSERT_TRUE(differ) << differ.error().describe();
    EXPECT_EQ(differ->differ, 2);
    auto open = differences();
    ASSERT_EQ(open.size(), 2u);
    EXPECT_NE(open.front().detail.find("is cancelled"), std::string::npos) << open.front().detail;
    ASSERT_TRUE(locked_alert());
    EXPECT_TRUE(locked_alert()->message.starts_with("2 records differ")) << locked_alert()->message;

    // Saved again identically in Acumatica: not sent again (a run costs ShipStation the calls of
    // a run with nothing new), nothing recorded twice.
    const auto shipstation_calls = [&](const std::function<void()>& before) {
        before();
        const int calls = counting_.sent["shipstation.sandbox.test"];
        auto summary = run(*flow);
        EXPECT_TRUE(summary) << summary.error().describe();
        if (summary) {
            EXPECT_EQ(summary->differ + summary->parked + summary->updated, 0);
        }
        return counting_.sent["shipstation.sandbox.test"] - calls;
    };
    const int idle = shipstation_calls([] {});
    EXPECT_EQ(shipstation_calls([&] { move_ship_to(other, "2 Wrong Turn"); }), idle);
    EXPECT_EQ(differences().size(), 2u);
    for (const auto& d : differences()) EXPECT_EQ(d.edits, 1) << d.source_key;
    EXPECT_EQ(locked_audit("SO" + other).size(), 1u);

    // The Acumatica order is put back as ShipStation holds it: the orders agree again.
    move_ship_to(kept, street);
    auto agreed = run(*flow);
    ASSERT_TRUE(agreed) << agreed.error().describe();
    EXPECT_EQ(agreed->created + agreed->updated + agreed->differ + agreed->parked, 0);
    open = differences();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open.front().source_key, "SO" + other);
    auto all = differences(false);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all.front().status == store::DifferenceStatus::kCleared ? all.front().source_key
                                                                      : all.back().source_key,
              "SO" + kept);
    ASSERT_TRUE(locked_alert());  // The count follows: one left.
    EXPECT_TRUE(locked_alert()->message.starts_with("1 record differs")) << locked_alert()->message;
    EXPECT_EQ(status_in_shipstation(kept), "cancelled");
    EXPECT_TRUE(open_letters().empty());
    expect_every_session_closed();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

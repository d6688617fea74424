// "acumatica-to-shipstation-orders": an order the flow cannot send parks alone with a dead letter
// that names the order and the fix; replaying it before the fix changes nothing, after the fix
// (made in Acumatica) it heals, and no later run sends it twice.
#include <gtest/gtest.h>

#include <atomic>

#include <boost/json.hpp>

#include "engine/dead_letter_replayer.hpp"
#include "flows/acumatica_shipstation/e2e_world.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

json::object value(std::string_view text) { return {{"value", json::string(text)}}; }

TEST_F(AcumaticaToShipStationTest, AnOrderWithoutShipToParksNamingTheFixAndHealsByReplayAfterIt) {
    // A customer booked without a shipping contact: its orders carry no ship-to address.
    ASSERT_EQ(control("acumatica", "POST", "records/Customer",
                      json::serialize(json::object{{"CustomerID", value("NOADDR")},
                                                   {"CustomerName", value("No Address Ltd")}}))
                  .status,
              200);
    auto flow = runner();
    ASSERT_TRUE(flow);
    const std::string stuck = new_order(2, "NOADDR");
    const std::string fine = new_order(1);
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->parked, 1);
    auto letters = open_letters();
    ASSERT_EQ(letters.size(), 1u);
    const store::DeadLetter letter = letters.front();
    EXPECT_EQ(letter.source_key, "SO" + stuck);
    EXPECT_NE(letter.error_message.find(stuck), std::string::npos) << letter.error_message;
    EXPECT_NE(letter.error_message.find("ship-to address"), std::string::npos)
        << letter.error_message;
    EXPECT_NE(letter.error_message.find("fix the order in Acumatica"), std::string::npos)
        << letter.error_message;
    EXPECT_TRUE(shipstation_orders().contains("SO" + fine));  // Parked alone.
    EXPECT_FALSE(shipstation_orders().contains("SO" + stuck));

    // Replay before the fix: still parked, nothing sent.
    const std::atomic<bool> stop{false};
    engine::DeadLetterReplayer replayer(clock_, *store_, *log_,
                                        [&](const std::string&) { return flow.get(); });
    EXPECT_FALSE(replayer.replay(letter.id, stop));
    EXPECT_EQ(open_letters().size(), 1u);
    EXPECT_FALSE(shipstation_orders().contains("SO" + stuck));

    // The fix: a person types the ship-to address on the order in Acumatica.
    const json::object address{{"AddressLine1", value("9 Harbour Rd")},
                               {"City", value("Tacoma")},
                               {"State", value("WA")},
                               {"PostalCode", value("98402")},
                               {"Country", value("US")}};
    ASSERT_EQ(control("acumatica", "POST", "records/SalesOrder",
                      json::serialize(json::object{{"OrderType", value("SO")},
                                                   {"OrderNbr", value(stuck)},
                                                   {"ShipToAddress", address}}))
                  .status,
              200);
    auto healed = replayer.replay(letter.id, stop);
    ASSERT_TRUE(healed) << healed.error().describe();
    EXPECT_TRUE(open_letters().empty());
    const auto orders = shipstation_orders();
    ASSERT_TRUE(orders.contains("SO" + stuck));
    EXPECT_EQ(orders.at("SO" + stuck).at("shipTo").at("street1").as_string(), "9 Harbour Rd");

    // The next run reads the edited order again: nothing sent twice, nothing parked again.
    auto next = run(*flow);
    ASSERT_TRUE(next) << next.error().describe();
    EXPECT_EQ(next->created + next->updated + next->parked, 0);
    std::map<std::string, int> rows;
    (void)shipstation_orders(&rows);
    EXPECT_EQ(rows.at("SO" + stuck), 1);
    EXPECT_TRUE(open_letters().empty());
    expect_every_session_closed();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

// "acumatica-to-shipstation-orders" and Acumatica's licence seats: a login refused with "API Login
// Limit" (another integration holds every seat) waits within the run, on the test clock with
// jitter, and the run completes once a seat frees up; a seat held past the wait fails the run
// cleanly and the next run recovers. The emulator counts every session opened and closed.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/acumatica_shipstation/e2e_world.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

class SessionLimitTest : public AcumaticaToShipStationTest {
  protected:
    // The licence allows one API user, and another integration holds it for `seconds`.
    void seat_held_for(int seconds) {
        ASSERT_EQ(control("acumatica", "POST", "limits", R"({"sessions_max": 1})").status, 200);
        ASSERT_EQ(control("acumatica", "POST", "sessions",
                          json::serialize(json::object{{"user", "warehouse-app"},
                                                       {"logout_after_seconds", seconds}}))
                      .status,
                  200);
    }
    json::object sessions() { return acumatica().at("sessions").as_object(); }
};

TEST_F(SessionLimitTest, TheRunWaitsForALicenceSeatAndCompletesOnceOneFreesUp) {
    const std::string nbr = new_order(1);
    seat_held_for(200);  // A run starts 2 minutes on (e2e_world.hpp): it waits about 80 s.
    auto flow = runner();
    ASSERT_TRUE(flow);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_TRUE(shipstation_orders().contains("SO" + nbr));
    const json::object counted = sessions();
    EXPECT_GE(counted.at("logins_refused").as_int64(), 1);  // It did meet the limit...
    EXPECT_EQ(counted.at("expired_total").as_int64(), 0);   // ...and left no session behind.
    expect_every_session_closed();
    EXPECT_EQ(counted.at("opened_total").as_int64(), 2);  // The other integration's and ours.
}

TEST_F(SessionLimitTest, ASeatHeldPastTheWaitFailsTheRunCleanlyAndTheNextRunRecovers) {
    const std::string nbr = new_order(1);
    config_.connections.at("acu").options["login_wait"] = "2m";
    seat_held_for(3600);
    auto flow = runner();
    auto refused = run(*flow);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRateLimited);
    EXPECT_NE(refused.error().describe().find("API Login Limit"), std::string::npos)
        << refused.error().describe();
    EXPECT_NE(refused.error().describe().find("for a licence seat (connection option login_wait)"),
              std::string::npos)
        << refused.error().describe();
    EXPECT_FALSE(shipstation_orders().contains("SO" + nbr));
    clock_.advance(std::chrono::hours(1));  // The other integration signs out.
    auto recovered = run(*flow);
    ASSERT_TRUE(recovered) << recovered.error().describe();
    EXPECT_TRUE(shipstation_orders().contains("SO" + nbr));
    expect_every_session_closed();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation

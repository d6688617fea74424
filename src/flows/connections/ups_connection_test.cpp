// open_ups() and ping_ups() against the UPS emulator in process (no sockets), with a ManualClock
// and the SQLite store.
#include "flows/connections/ups_connection.hpp"

#include <gtest/gtest.h>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/connections/ping.hpp"
#include "flows/testing/sandboxes.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::connections {
namespace {

using connectors::PingReport;
using connectors::PingStatus;

std::string dump(const PingReport& report) {
    std::string out;
    for (const auto& check : report.checks) {
        out += check.name + ": " + connectors::to_string(check.status) + " " + check.detail + "\n";
    }
    return out;
}

const connectors::PingCheck* find_check(const PingReport& report, std::string_view name) {
    for (const auto& check : report.checks) {
        if (check.name == name) return &check;
    }
    return nullptr;
}

class UpsConnectionTest : public ::testing::Test {
  protected:
    UpsConnectionTest()
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 3, .volume = 10}) {
        testing::serve_sandboxes(host_, transport_, {"ups"});
        store_ = store::SqliteStateStore::open(":memory:").value();
        connection_ = &testing::connect_sandbox(config_, vault_, host_.ports(), "ups", "ups-main");
    }

    engine::Dependencies deps() {
        return engine::Dependencies{
            .clock = clock_, .store = *store_, .vault = &vault_, .transport = &transport_};
    }

    ManualClock clock_{parse_iso8601("2025-06-02T14:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    engine::Config config_;
    engine::ConnectionConfig* connection_ = nullptr;
};

TEST_F(UpsConnectionTest, OpensAClientThatValidatesAndShipsFromTheConfiguredShipper) {
    auto ups = open_ups(*connection_, deps());
    ASSERT_TRUE(ups) << ups.error().describe();
    EXPECT_EQ((*ups)->shipper.address.city, "LOS ANGELES");
    EXPECT_EQ((*ups)->daily_token_budget, 250);
    auto check = (*ups)->client->validate((*ups)->shipper.address);
    ASSERT_TRUE(check) << check.error().describe();
}

TEST_F(UpsConnectionTest, PingChecksSecretsReachTokenAndOneAddressValidation) {
    const PingReport report = ping_connection(*connection_, deps());

    EXPECT_TRUE(report.ok()) << dump(report);
    EXPECT_EQ(report.system, "ups");
    for (const char* name : {kCheckSecrets, kCheckReach, kCheckToken, kCheckRead}) {
        const auto* check = find_check(report, name);
        ASSERT_NE(check, nullptr) << name << "\n" << dump(report);
        EXPECT_EQ(check->status, PingStatus::kOk) << dump(report);
    }
    EXPECT_NE(find_check(report, kCheckToken)->detail.find("1 of 250 token requests"),
              std::string::npos)
        << dump(report);
    // The token is cached: a second ping asks UPS for none.
    const PingReport again = ping_connection(*connection_, deps());
    EXPECT_NE(find_check(again, kCheckToken)->detail.find("1 of 250"), std::string::npos)
        << dump(again);
}

TEST_F(UpsConnectionTest, AWrongClientSecretFailsTheTokenCheckNamingTheSecrets) {
    ASSERT_TRUE(vault_.put("ups-main.client_secret", "not-the-secret"));

    const PingReport report = ping_ups(*connection_, deps());

    EXPECT_FALSE(report.ok());
    const auto* token = find_check(report, kCheckToken);
    ASSERT_NE(token, nullptr) << dump(report);
    EXPECT_EQ(token->status, PingStatus::kFail);
    EXPECT_NE(token->detail.find("ups-main.client_secret"), std::string::npos) << dump(report);
    EXPECT_EQ(find_check(report, kCheckRead)->status, PingStatus::kSkipped);
}

TEST_F(UpsConnectionTest, MissingShipperOptionsAreNamedInOneConfigError) {
    connection_->options.erase("shipper_street1");
    connection_->options.erase("account_number");

    auto ups = open_ups(*connection_, deps());

    ASSERT_FALSE(ups);
    EXPECT_EQ(ups.error().code, ErrorCode::kConfig);
    EXPECT_NE(ups.error().message.find("options.account_number"), std::string::npos);
    EXPECT_NE(ups.error().message.find("options.shipper_street1"), std::string::npos);
    const PingReport report = ping_ups(*connection_, deps());
    EXPECT_EQ(find_check(report, kCheckConfig)->status, PingStatus::kFail) << dump(report);
}

TEST_F(UpsConnectionTest, DailyTokenBudgetIsReadAndAWrongOneRefused) {
    connection_->options["daily_token_budget"] = "40";
    auto ups = open_ups(*connection_, deps());
    ASSERT_TRUE(ups);
    EXPECT_EQ((*ups)->daily_token_budget, 40);

    connection_->options["daily_token_budget"] = "lots";
    auto refused = open_ups(*connection_, deps());
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("daily_token_budget"), std::string::npos);
}

}  // namespace
}  // namespace mlc::flows::connections

// open_amazon() and ping_amazon() against the Amazon emulator in process (no sockets), with a
// ManualClock and the SQLite store.
#include "flows/connections/amazon_connection.hpp"

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

class AmazonConnectionTest : public ::testing::Test {
  protected:
    AmazonConnectionTest()
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 3, .volume = 40}) {
        testing::serve_sandboxes(host_, transport_, {"amazon"});
        store_ = store::SqliteStateStore::open(":memory:").value();
        connection_ = &testing::connect_sandbox(config_, vault_, host_.ports(), "amazon", "amz");
    }
    engine::Dependencies deps() {
        return engine::Dependencies{
            .clock = clock_, .store = *store_, .vault = &vault_, .transport = &transport_};
    }

    ManualClock clock_{parse_iso8601("2026-06-01T12:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    engine::Config config_;
    engine::ConnectionConfig* connection_ = nullptr;
};

TEST_F(AmazonConnectionTest, PingChecksSecretsReachTokenAndOneOrdersRead) {
    connection_->options["client_secret_rotate_by"] = "2026-11-01";
    const PingReport report = ping_connection(*connection_, deps());
    EXPECT_TRUE(report.ok()) << dump(report);
    EXPECT_EQ(report.system, "amazon");
    for (const char* name : {kCheckSecrets, kCheckReach, kCheckToken, kCheckRead}) {
        const auto* check = find_check(report, name);
        ASSERT_NE(check, nullptr) << name << "\n" << dump(report);
        EXPECT_EQ(check->status, PingStatus::kOk) << dump(report);
    }
    EXPECT_NE(find_check(report, kCheckToken)->detail.find("due for rotation in 152 days"),
              std::string::npos)
        << dump(report);
    EXPECT_NE(find_check(report, kCheckRead)->detail.find("searchOrders answered"),
              std::string::npos)
        << dump(report);
}

TEST_F(AmazonConnectionTest, PingWarnsWithoutARotationDateAndOnV0) {
    connection_->options["orders_api"] = "v0";
    const PingReport report = ping_connection(*connection_, deps());
    EXPECT_TRUE(report.ok()) << dump(report);  // Warnings, no failure.
    EXPECT_EQ(find_check(report, kCheckToken)->status, PingStatus::kWarn);
    EXPECT_NE(find_check(report, kCheckToken)->detail.find("client_secret_rotate_by"),
              std::string::npos);
    EXPECT_EQ(find_check(report, kCheckRead)->status, PingStatus::kWarn);
    EXPECT_NE(find_check(report, kCheckRead)->detail.find("2027-03-27"), std::string::npos);
}

TEST_F(AmazonConnectionTest, PingNamesARotatedSecretAndItsFix) {
    testing::control(host_, "amazon", "POST", "client-secret/rotate");
    const PingReport report = ping_connection(*connection_, deps());
    EXPECT_FALSE(report.ok());
    const auto* token = find_check(report, kCheckToken);
    ASSERT_NE(token, nullptr) << dump(report);
    EXPECT_EQ(token->status, PingStatus::kFail);
    EXPECT_NE(token->detail.find("invalid_client"), std::string::npos) << dump(report);
    EXPECT_NE(token->detail.find("mlc secret set amz.client_secret"), std::string::npos);
    EXPECT_EQ(find_check(report, kCheckRead)->status, PingStatus::kSkipped);
}

TEST_F(AmazonConnectionTest, RefusesAWrongOption) {
    connection_->options["orders_api"] = "v1";
    auto opened = open_amazon(*connection_, deps());
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::kConfig);
    EXPECT_NE(opened.error().message.find("orders_api must be 2026-01-01"), std::string::npos);
    connection_->options["orders_api"] = "2026-01-01";
    connection_->options["client_secret_rotate_by"] = "next spring";
    opened = open_amazon(*connection_, deps());
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("YYYY-MM-DD"), std::string::npos);
}

}  // namespace
}  // namespace mlc::flows::connections

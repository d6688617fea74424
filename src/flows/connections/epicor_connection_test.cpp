// open_epicor() and ping_epicor() against the Epicor emulator in process (no sockets), Basic and
// Bearer, with a ManualClock and the SQLite store (the bearer token cache).
#include "flows/connections/epicor_connection.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/connections/ping.hpp"
#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::connections {
namespace {

namespace json = boost::json;
using connectors::PingReport;
using connectors::PingStatus;

const connectors::PingCheck* check_named(const PingReport& report, std::string_view name) {
    for (const auto& check : report.checks) {
        if (check.name == name) return &check;
    }
    return nullptr;
}

class EpicorConnectionTest : public ::testing::Test {
  protected:
    EpicorConnectionTest()
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 5, .volume = 40}) {
        host_.add("epicor", [](sandbox::EmulatorContext context) {
            return std::unique_ptr<sandbox::Emulator>(
                std::make_unique<sandbox::epicor::EpicorEmulator>(context));
        });
        sandbox::serve_in_process(host_, transport_);
        const json::object ep = host_.ports().at("epicor").as_object();
        (void)vault_.put("ep.key", std::string(ep.at("api_key").as_string()));
        (void)vault_.put("ep.user", std::string(ep.at("username").as_string()));
        (void)vault_.put("ep.password", std::string(ep.at("password").as_string()));
        company_ = std::string(ep.at("company").as_string());
        store_ = store::SqliteStateStore::open(":memory:").value();
        connection_ = {.name = "ep",
                       .system = "epicor",
                       .base_url = std::string(ep.at("base_url").as_string()) + "/",
                       .options = {{"company", company_}},
                       .secrets = {{"api_key", "ep.key"},
                                   {"username", "ep.user"},
                                   {"password", "ep.password"}},
                       .secret_lines = {}};
    }

    engine::Dependencies deps() {
        return engine::Dependencies{
            .clock = clock_, .store = *store_, .vault = &vault_, .transport = &transport_};
    }

    void add_user(const std::string& name, const std::string& password,
                  const json::array& companies) {
        net::HttpRequest request{.method = "POST", .url = "/__sandbox/users"};
        request.body = json::serialize(
            json::object{{"username", name}, {"password", password}, {"companies", companies}});
        ASSERT_LT(host_.handle("epicor", request).status, 300);
    }

    const connectors::PingCheck& auth_check(const PingReport& report) {
        const auto* auth = check_named(report, kCheckAuth);
        EXPECT_NE(auth, nullptr);
        static const connectors::PingCheck kNone{};
        return auth != nullptr ? *auth : kNone;
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    std::string company_;
    engine::ConnectionConfig connection_;
};

TEST_F(EpicorConnectionTest, OpenedBasicClientReadsACustomerDespiteATrailingSlashInBaseUrl) {
    auto opened = open_epicor(connection_, deps());
    ASSERT_TRUE(opened) << opened.error().describe();
    auto rows = (*opened)->client->list_rows("Erp.BO.CustomerSvc", "Customers", {});
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_FALSE(rows->empty());
    const std::string cust_id(rows->front().at("CustID").as_string());
    auto found = (*opened)->client->find_customer_by_id(cust_id);
    ASSERT_TRUE(found) << found.error().describe();
    EXPECT_TRUE(found->has_value());
}

TEST_F(EpicorConnectionTest, OpenedBearerClientGetsATokenAndReadsACustomer) {
    connection_.options["auth"] = "bearer";
    auto opened = open_epicor(connection_, deps());
    ASSERT_TRUE(opened) << opened.error().describe();
    auto rows = (*opened)->client->list_rows("Erp.BO.CustomerSvc", "Customers", {.top = 1});
    ASSERT_TRUE(rows) << rows.error().describe();
    auto cached = store_->get_token("ep");
    ASSERT_TRUE(cached);
    EXPECT_TRUE(cached->has_value());  // The token came from the token service and is cached.
}

TEST_F(EpicorConnectionTest, OpenWithoutCompanyOrWithAnUnknownAuthSchemeNamesTheOption) {
    auto no_company = connection_;
    no_company.options.erase("company");
    auto opened = open_epicor(no_company, deps());
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("options.company"), std::string::npos);

    auto oauth = connection_;
    oauth.options["auth"] = "oauth";
    opened = open_epicor(oauth, deps());
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("basic or bearer"), std::string::npos);
}

TEST_F(EpicorConnectionTest, PingWithGoodBasicCredentialsIsAllOk) {
    const PingReport report = ping_epicor(connection_, deps());
    EXPECT_TRUE(report.ok());
    for (const char* name : {kCheckSecrets, kCheckReach, kCheckAuth, kCheckRead}) {
        const auto* check = check_named(report, name);
        ASSERT_NE(check, nullptr) << name;
        EXPECT_EQ(check->status, PingStatus::kOk) << name << ": " << check->detail;
    }
    EXPECT_NE(check_named(report, kCheckRead)->detail.find("read customer"), std::string::npos);
    EXPECT_EQ(check_named(report, kCheckToken)->status, PingStatus::kSkipped);
}

TEST_F(EpicorConnectionTest, PingWithBearerReportsTheTokenExpiryInMinutes) {
    connection_.options["auth"] = "bearer";
    const PingReport report = ping_epicor(connection_, deps());
    EXPECT_TRUE(report.ok());
    const auto* token = check_named(report, kCheckToken);
    ASSERT_NE(token, nullptr);
    EXPECT_EQ(token->status, PingStatus::kOk) << token->detail;
    EXPECT_NE(token->detail.find("expires in 60 minutes"), std::string::npos) << token->detail;
}

TEST_F(EpicorConnectionTest, PingWithAWrongPasswordNamesThePasswordSecret) {
    ASSERT_TRUE(vault_.put("ep.password", "wrong-password"));
    const PingReport report = ping_epicor(connection_, deps());
    EXPECT_FALSE(report.ok());
    const auto& auth = auth_check(report);
    EXPECT_EQ(auth.status, PingStatus::kFail);
    EXPECT_NE(auth.detail.find("Invalid username or password"), std::string::npos) << auth.detail;
    EXPECT_NE(auth.detail.find("mlc secret set ep.password"), std::string::npos) << auth.detail;
    EXPECT_EQ(auth.detail.find("API key"), std::string::npos) << auth.detail;
}

TEST_F(EpicorConnectionTest, PingWithAWrongApiKeyNamesTheKeyAndTheCompanyNotThePassword) {
    ASSERT_TRUE(vault_.put("ep.key", "0123456789abcdef"));
    const PingReport report = ping_epicor(connection_, deps());
    EXPECT_FALSE(report.ok());
    const auto& auth = auth_check(report);
    EXPECT_EQ(auth.status, PingStatus::kFail);
    EXPECT_NE(auth.detail.find("Invalid API Key"), std::string::npos) << auth.detail;
    EXPECT_NE(auth.detail.find("company " + company_), std::string::npos) << auth.detail;
    EXPECT_NE(auth.detail.find("mlc secret set ep.key"), std::string::npos) << auth.detail;
    EXPECT_EQ(auth.detail.find("0123456789abcdef"), std::string::npos) << "the key leaked";
    EXPECT_EQ(auth.detail.find("password"), std::string::npos) << auth.detail;
}

TEST_F(EpicorConnectionTest, PingWithAWrongBearerPasswordIsToldApartFromAWrongKey) {
    connection_.options["auth"] = "bearer";
    ASSERT_TRUE(vault_.put("ep.password", "wrong-password"));
    const PingReport report = ping_epicor(connection_, deps());
    const auto& auth = auth_check(report);
    EXPECT_EQ(auth.status, PingStatus::kFail);
    EXPECT_NE(auth.detail.find("Invalid username or password"), std::string::npos) << auth.detail;
    EXPECT_EQ(check_named(report, kCheckToken)->status, PingStatus::kSkipped);
}

TEST_F(EpicorConnectionTest, PingAsAUserWithoutTheCompanyReportsAccessDenied) {
    add_user("clerk", "clerk-password", json::array{"OTHERCO"});
    connection_.options["user"] = "clerk";
    connection_.secrets.erase("username");
    ASSERT_TRUE(vault_.put("ep.password", "clerk-password"));
    const PingReport report = ping_epicor(connection_, deps());
    const auto& auth = auth_check(report);
    EXPECT_EQ(auth.status, PingStatus::kFail);
    EXPECT_NE(auth.detail.find("Access denied"), std::string::npos) << auth.detail;
    EXPECT_NE(auth.detail.find("'clerk'"), std::string::npos) << auth.detail;
}

TEST_F(EpicorConnectionTest, PingWithoutAUsernameSecretAsksForIt) {
    connection_.secrets.erase("username");
    const PingReport report = ping_epicor(connection_, deps());
    const auto* secrets = check_named(report, kCheckSecrets);
    ASSERT_NE(secrets, nullptr);
    EXPECT_EQ(secrets->status, PingStatus::kFail);
    EXPECT_NE(secrets->detail.find("connections.ep.secrets.username"), std::string::npos)
        << secrets->detail;
}

}  // namespace
}  // namespace mlc::flows::connections

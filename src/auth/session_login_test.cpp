#include "auth/session_login.hpp"

#include <gtest/gtest.h>

#include "auth/testing/fake_state_store.hpp"
#include "auth/testing/fake_vault.hpp"
#include "auth/testing/handler_transport.hpp"
#include "auth/testing/local_vendor.hpp"
#include "auth/token_manager.hpp"

namespace mlc::auth {
namespace {

using namespace std::chrono_literals;
using testing::FakeVault;
using testing::LocalVendor;

testing::FakeAuthServerConfig acumatica_vendor() {
    testing::FakeAuthServerConfig config;
    config.resource_scheme = testing::ResourceScheme::kCookie;
    return config;
}

SessionLoginConfig acumatica_config(const std::string& base_url) {
    SessionLoginConfig config;
    config.base_url = base_url;
    config.user = "manager";
    config.password_secret = "acumatica_password";
    config.tenant = "Company";
    config.branch = "HQ";
    return config;
}

struct AcumaticaFixture {
    explicit AcumaticaFixture(bool real_http = true) : vendor(acumatica_vendor(), real_http) {
        EXPECT_TRUE(vault.put("acumatica_password", "s3cret-password"));
    }
    std::unique_ptr<TokenManager> manager(SessionLoginConfig config) {
        TokenManagerOptions options;
        options.connection = "acumatica-main";
        options.system = "acumatica";
        return std::make_unique<TokenManager>(
            options, std::make_unique<SessionLogin>(std::move(config), vendor.transport(), vault),
            CredentialHeaders{}, clock, store, vault);
    }
    std::unique_ptr<TokenManager> manager() { return manager(acumatica_config(vendor.base_url())); }
    Result<net::HttpResponse> call(TokenManager& manager) {
        net::HttpRequest request;
        request.url = vendor.base_url() + "/resource";
        return manager.authorized_call(
            request, [&](const net::HttpRequest& r) { return vendor.transport().send(r); });
    }
    LocalVendor vendor;
    FakeVault vault;
    ManualClock clock;
    testing::FakeStateStore store;
};

TEST(SessionLogin, LogsInOnceAndSendsTheSessionCookiesOnEveryCall) {
    AcumaticaFixture acumatica;
    auto manager = acumatica.manager();
    for (int i = 0; i < 3; ++i) {
        auto response = acumatica.call(*manager);
        ASSERT_TRUE(response) << response.error().describe();
        EXPECT_EQ(response->status, 200);
    }
    EXPECT_EQ(acumatica.vendor.server().token_requests(), 1);
    const std::string login = acumatica.vendor.server().last_login_body();
    EXPECT_NE(login.find(R"("name":"manager")"), std::string::npos);
    EXPECT_NE(login.find(R"("tenant":"Company")"), std::string::npos);
    EXPECT_NE(login.find(R"("branch":"HQ")"), std::string::npos);
}

TEST(SessionLogin, OlderInstancesGetTheCompanyField) {
    AcumaticaFixture acumatica(false);
    SessionLoginConfig config = acumatica_config(acumatica.vendor.base_url());
    config.tenant_field = "company";
    ASSERT_TRUE(acumatica.call(*acumatica.manager(config)));
    EXPECT_NE(acumatica.vendor.server().last_login_body().find(R"("company":"Company")"),
              std::string::npos);
}

TEST(SessionLogin, ExpiredSessionAnswering401LogsInAgainOnce) {
    AcumaticaFixture acumatica;
    auto manager = acumatica.manager();
    ASSERT_TRUE(acumatica.call(*manager));
    acumatica.vendor.server().revoke_all();  // The server timed the session out.

    auto response = acumatica.call(*manager);

    ASSERT_TRUE(response) << response.error().describe();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(acumatica.vendor.server().token_requests(), 2);
    EXPECT_EQ(acumatica.vendor.server().resource_calls(), 3);
}

TEST(SessionLogin, ReleaseLogsOutAndFreesTheSeat) {
    AcumaticaFixture acumatica;
    auto manager = acumatica.manager();
    ASSERT_TRUE(acumatica.call(*manager));
    ASSERT_EQ(acumatica.vendor.server().open_sessions(), 1);

    ASSERT_TRUE(manager->release());

    EXPECT_EQ(acumatica.vendor.server().logouts(), 1);
    EXPECT_EQ(acumatica.vendor.server().open_sessions(), 0);
    auto cached = acumatica.store.get_token("acumatica-main");
    ASSERT_TRUE(cached);
    EXPECT_FALSE(cached->has_value());
}

TEST(SessionLogin, RenewingAnAgedSessionLogsOutTheOldOneFirst) {
    AcumaticaFixture acumatica;
    auto manager = acumatica.manager();
    ASSERT_TRUE(acumatica.call(*manager));
    acumatica.clock.advance(20min);

    ASSERT_TRUE(acumatica.call(*manager));

    EXPECT_EQ(acumatica.vendor.server().token_requests(), 2);
    EXPECT_EQ(acumatica.vendor.server().logouts(), 1);
    EXPECT_EQ(acumatica.vendor.server().open_sessions(), 1);
}

TEST(SessionLogin, RestartedProcessCanLogOutTheCachedSession) {
    AcumaticaFixture acumatica;
    ASSERT_TRUE(acumatica.call(*acumatica.manager()));
    auto restarted = acumatica.manager();
    ASSERT_TRUE(restarted->release());
    EXPECT_EQ(acumatica.vendor.server().open_sessions(), 0);
}

TEST(SessionLogin, WrongPasswordIsAuthFailedWithoutThePassword) {
    AcumaticaFixture acumatica;
    ASSERT_TRUE(acumatica.vault.put("acumatica_password", "wrong-password"));
    auto response = acumatica.call(*acumatica.manager());
    ASSERT_FALSE(response);
    // Acumatica answers a failed login with 500; not retried as a credential problem.
    EXPECT_EQ(response.error().describe().find("wrong-password"), std::string::npos);
    EXPECT_NE(response.error().describe().find("acumatica-main"), std::string::npos);
}

TEST(SessionLogin, ApiLoginLimitIsRateLimitedNamingTheLicence) {
    testing::HandlerTransport transport([](const net::HttpRequest&) {
        return net::json_response(
            429, R"({"message":"API Login Limit","exceptionMessage":"API Login Limit"})");
    });
    FakeVault vault;
    ASSERT_TRUE(vault.put("acumatica_password", "s3cret-password"));
    SessionLogin source(acumatica_config("https://erp.example"), transport, vault);
    auto token = source.fetch("acumatica-main", UtcTime{});
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, ErrorCode::kRateLimited);
    EXPECT_NE(token.error().message.find("API Login Limit"), std::string::npos);
}

TEST(CookieHeaderFrom, KeepsNameValuePairsAndDropsAttributes) {
    const net::Headers headers{{"Set-Cookie", "ASP.NET_SessionId=abc; path=/; HttpOnly"},
                               {"Content-Type", "application/json"},
                               {"set-cookie", ".ASPXAUTH=XYZ; path=/; secure"},
                               {"Set-Cookie", "=broken"}};
    EXPECT_EQ(cookie_header_from(headers), "ASP.NET_SessionId=abc; .ASPXAUTH=XYZ");
}

}  // namespace
}  // namespace mlc::auth

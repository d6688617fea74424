#include "auth/lwa_refresh_token.hpp"

#include <gtest/gtest.h>

#include "auth/testing/fake_state_store.hpp"
#include "auth/testing/fake_vault.hpp"
#include "auth/testing/local_vendor.hpp"
#include "auth/token_manager.hpp"

namespace mlc::auth {
namespace {

using namespace std::chrono_literals;
using testing::FakeVault;
using testing::LocalVendor;

const UtcTime kNow{std::chrono::seconds{1'700'000'000}};

testing::FakeAuthServerConfig lwa_vendor() {
    testing::FakeAuthServerConfig config;
    config.expires_in_seconds = "3600";  // LWA: a number, one hour.
    config.resource_scheme = testing::ResourceScheme::kAmazon;
    return config;
}

LwaRefreshTokenConfig lwa_config(const LocalVendor& vendor) {
    LwaRefreshTokenConfig config;
    config.token_url = vendor.base_url() + "/auth/o2/token";
    config.client_id = "client-1";
    config.client_secret_secret = "lwa_client_secret";
    config.refresh_token_secret = "lwa_refresh_token";
    return config;
}

struct LwaFixture {
    explicit LwaFixture(bool real_http = true) : vendor(lwa_vendor(), real_http) {
        EXPECT_TRUE(vault.put("lwa_client_secret", "s3cret-client"));
        EXPECT_TRUE(vault.put("lwa_refresh_token", "Atzr|s3cret-refresh"));
    }
    LocalVendor vendor;
    FakeVault vault;
};

TEST(LwaRefreshToken, ExchangesTheRefreshTokenForAOneHourAccessToken) {
    LwaFixture lwa;
    LwaRefreshToken source(lwa_config(lwa.vendor), lwa.vendor.transport(), lwa.vault);

    auto token = source.fetch("amazon-us", kNow);

    ASSERT_TRUE(token) << token.error().describe();
    EXPECT_EQ(token->value, "Atza|tok-1");
    EXPECT_EQ(token->expires_at, kNow + 3600s);
    const std::string form = lwa.vendor.server().last_token_form_body();
    EXPECT_NE(form.find("grant_type=refresh_token"), std::string::npos);
    EXPECT_NE(form.find("refresh_token=Atzr%7Cs3cret-refresh"), std::string::npos);
    EXPECT_NE(form.find("client_id=client-1"), std::string::npos);
    EXPECT_NE(form.find("client_secret=s3cret-client"), std::string::npos);
}

TEST(LwaRefreshToken, CallsCarryTheTokenInXAmzAccessToken) {
    LwaFixture lwa;
    ManualClock clock;
    testing::FakeStateStore store;
    TokenManagerOptions options;
    options.connection = "amazon-us";
    TokenManager manager(options,
                         std::make_unique<LwaRefreshToken>(lwa_config(lwa.vendor),
                                                           lwa.vendor.transport(), lwa.vault),
                         CredentialHeaders{}, clock, store, lwa.vault);
    net::HttpRequest request;
    request.url = lwa.vendor.base_url() + "/resource";

    auto response = manager.authorized_call(
        request, [&](const net::HttpRequest& r) { return lwa.vendor.transport().send(r); });

    ASSERT_TRUE(response) << response.error().describe();
    EXPECT_EQ(response->status, 200);
}

TEST(LwaRefreshToken, InvalidClientNamesTheHundredEightyDayRotation) {
    LwaFixture lwa;
    ASSERT_TRUE(lwa.vault.put("lwa_client_secret", "expired-secret"));
    LwaRefreshToken source(lwa_config(lwa.vendor), lwa.vendor.transport(), lwa.vault);

    auto token = source.fetch("amazon-us", kNow);

    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, ErrorCode::kAuthFailed);
    const std::string text = token.error().describe();
    EXPECT_NE(text.find("invalid_client"), std::string::npos);
    EXPECT_NE(text.find("180 days"), std::string::npos);
    EXPECT_NE(text.find("mlc secret set lwa_client_secret"), std::string::npos);
    EXPECT_EQ(text.find("expired-secret"), std::string::npos);
    EXPECT_EQ(text.find("Client authentication failed"), std::string::npos);  // the body
}

TEST(LwaRefreshToken, InvalidGrantAsksTheSellerToAuthoriseAgain) {
    LwaFixture lwa;
    ASSERT_TRUE(lwa.vault.put("lwa_refresh_token", "Atzr|revoked"));
    LwaRefreshToken source(lwa_config(lwa.vendor), lwa.vendor.transport(), lwa.vault);
    auto token = source.fetch("amazon-us", kNow);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(token.error().message.find("authorise the app again"), std::string::npos);
    EXPECT_EQ(token.error().message.find("Atzr|revoked"), std::string::npos);
}

TEST(LwaRefreshToken, RotatedClientSecretIsUsedAtTheNextRequestWithoutRestart) {
    LwaFixture lwa(false);
    ASSERT_TRUE(lwa.vault.put("lwa_client_secret", "old-secret"));
    LwaRefreshToken source(lwa_config(lwa.vendor), lwa.vendor.transport(), lwa.vault);
    ASSERT_FALSE(source.fetch("amazon-us", kNow));
    ASSERT_TRUE(lwa.vault.put("lwa_client_secret", "s3cret-client"));  // The operator rotates it.
    EXPECT_TRUE(source.fetch("amazon-us", kNow));
}

}  // namespace
}  // namespace mlc::auth

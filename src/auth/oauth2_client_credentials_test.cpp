#include "auth/oauth2_client_credentials.hpp"

#include <gtest/gtest.h>

#include "auth/testing/fake_vault.hpp"
#include "auth/testing/handler_transport.hpp"
#include "auth/testing/local_vendor.hpp"

namespace mlc::auth {
namespace {

using namespace std::chrono_literals;
using testing::FakeVault;
using testing::LocalVendor;

const UtcTime kNow{std::chrono::seconds{1'700'000'000}};

ClientCredentialsConfig ups_config(std::string token_url) {
    ClientCredentialsConfig config;  // Assigned: GCC 12 warns on partial designated initializers.
    config.token_url = std::move(token_url);
    config.client_id = "client-1";
    config.client_secret_secret = "ups_client_secret";
    return config;
}

ClientCredentialsConfig ups_config(const LocalVendor& vendor) {
    ClientCredentialsConfig config = ups_config("https://wwwcie.ups.com/security/v1/oauth/token");
    config.token_url = vendor.base_url() + "/security/v1/oauth/token";
    config.merchant_id = "A1B2C3";
    return config;
}

TEST(OAuth2ClientCredentials, ObtainsTokenWithBasicAndFormAndStringExpiresIn) {
    LocalVendor vendor;
    FakeVault vault;
    ASSERT_TRUE(vault.put("ups_client_secret", "s3cret-client"));
    OAuth2ClientCredentials source(ups_config(vendor), vendor.transport(), vault);

    auto token = source.fetch("ups-main", kNow);

    ASSERT_TRUE(token) << token.error().describe();
    EXPECT_EQ(token->value, "tok-1");
    EXPECT_EQ(token->expires_at, kNow + 14399s);  // "expires_in": "14399", a string
    EXPECT_EQ(vendor.server().last_token_form_body(), "grant_type=client_credentials");
    EXPECT_EQ(vendor.server().last_merchant_id(), "A1B2C3");
}

TEST(OAuth2ClientCredentials, AppliesBearerHeader) {
    LocalVendor vendor({}, false);
    FakeVault vault;
    OAuth2ClientCredentials source(ups_config(vendor), vendor.transport(), vault);
    net::HttpRequest request;
    source.apply(Token{.value = "tok-9", .expires_at = {}, .obtained_at = {}}, request);
    EXPECT_EQ(net::find_header(request.headers, "authorization"), "Bearer tok-9");
}

TEST(OAuth2ClientCredentials, WrongSecretIsAuthFailedNamingTheSecretNotItsValue) {
    LocalVendor vendor;
    FakeVault vault;
    ASSERT_TRUE(vault.put("ups_client_secret", "wrong-s3cret"));
    OAuth2ClientCredentials source(ups_config(vendor), vendor.transport(), vault);

    auto token = source.fetch("ups-main", kNow);

    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, ErrorCode::kAuthFailed);
    EXPECT_EQ(token.error().http_status, 401);
    const std::string text = token.error().describe();
    EXPECT_NE(text.find("ups-main"), std::string::npos);
    EXPECT_NE(text.find("mlc secret set ups_client_secret"), std::string::npos);
    EXPECT_EQ(text.find("wrong-s3cret"), std::string::npos);
    EXPECT_EQ(text.find("Invalid Authentication Information"), std::string::npos);  // the body
}

TEST(OAuth2ClientCredentials, MissingSecretIsReportedBeforeAnyRequest) {
    LocalVendor vendor;
    FakeVault vault;
    OAuth2ClientCredentials source(ups_config(vendor), vendor.transport(), vault);
    auto token = source.fetch("ups-main", kNow);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(vendor.server().token_requests(), 0);
}

TEST(OAuth2ClientCredentials, ThrottledTokenRequestIsRateLimitedWithRetryAfter) {
    testing::HandlerTransport transport([](const net::HttpRequest&) {
        net::HttpResponse response = net::json_response(
            429, R"({"response":{"errors":[{"code":"10429","message":"Too Many Requests"}]}})");
        response.headers.emplace_back("Retry-After", "12");
        return response;
    });
    FakeVault vault;
    ASSERT_TRUE(vault.put("ups_client_secret", "s3cret-client"));
    OAuth2ClientCredentials source(ups_config("https://wwwcie.ups.com/security/v1/oauth/token"),
                                   transport, vault);
    auto token = source.fetch("ups-main", kNow);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(token.error().retry_after, std::chrono::milliseconds{12'000});
}

TEST(OAuth2ClientCredentials, AnswerWithoutExpiresInUsesTheShortFallback) {
    testing::HandlerTransport transport([](const net::HttpRequest&) {
        return net::json_response(200, R"({"access_token":"abc","token_type":"Bearer"})");
    });
    FakeVault vault;
    ASSERT_TRUE(vault.put("ups_client_secret", "s3cret-client"));
    ClientCredentialsConfig config = ups_config("https://wwwcie.ups.com/security/v1/oauth/token");
    config.lifetime_fallback = 600s;
    OAuth2ClientCredentials source(config, transport, vault);
    auto token = source.fetch("ups-main", kNow);
    ASSERT_TRUE(token);
    EXPECT_EQ(token->expires_at, kNow + 600s);
}

TEST(OAuth2ClientCredentials, AnswerWithoutAccessTokenIsInvalidInput) {
    testing::HandlerTransport transport([](const net::HttpRequest&) {
        return net::json_response(200, R"({"status":"approved"})");
    });
    FakeVault vault;
    ASSERT_TRUE(vault.put("ups_client_secret", "s3cret-client"));
    OAuth2ClientCredentials source(ups_config("https://wwwcie.ups.com/security/v1/oauth/token"),
                                   transport, vault);
    auto token = source.fetch("ups-main", kNow);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace mlc::auth

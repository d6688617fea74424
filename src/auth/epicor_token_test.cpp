#include "auth/epicor_token.hpp"

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

testing::FakeAuthServerConfig epicor_vendor() {
    testing::FakeAuthServerConfig config;
    config.expires_in_seconds = "3600";
    config.resource_scheme = testing::ResourceScheme::kEpicor;
    return config;
}

EpicorTokenConfig epicor_config(const LocalVendor& vendor, EpicorTokenForm form) {
    EpicorTokenConfig config;
    config.form = form;
    config.token_url =
        form == EpicorTokenForm::kTokenResource
            ? vendor.base_url() + "/Kinetic/TokenResource.svc/"
            : vendor.base_url() +
                  "/Kinetic/api/v2/odata/EPIC06/Ice.LIB.TokenServiceSvc/GetAccessToken";
    config.user = "manager";
    config.password_secret = "epicor_password";
    config.api_key_secret = "epicor_api_key";
    return config;
}

struct EpicorFixture {
    explicit EpicorFixture(bool real_http = true) : vendor(epicor_vendor(), real_http) {
        EXPECT_TRUE(vault.put("epicor_password", "s3cret-password"));
        EXPECT_TRUE(vault.put("epicor_api_key", "s3cret-api-key"));
    }
    std::unique_ptr<TokenManager> manager(EpicorTokenForm form) {
        TokenManagerOptions options;
        options.connection = "epicor-main";
        options.system = "epicor";
        return std::make_unique<TokenManager>(
            options,
            std::make_unique<EpicorToken>(epicor_config(vendor, form), vendor.transport(), vault),
            CredentialHeaders{}.api_key("x-api-key", "epicor_api_key"), clock, store, vault);
    }
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

TEST(EpicorToken, TokenServiceFormReadsTheNestedAnswer) {
    EpicorFixture epicor;
    EpicorToken source(epicor_config(epicor.vendor, EpicorTokenForm::kTokenService),
                       epicor.vendor.transport(), epicor.vault);
    auto token = source.fetch("epicor-main", kNow);
    ASSERT_TRUE(token) << token.error().describe();
    EXPECT_EQ(token->value, "tok-1");
    EXPECT_EQ(token->expires_at, kNow + 3600s);
}

TEST(EpicorToken, LegacyTokenResourceFormSendsCredentialHeaders) {
    EpicorFixture epicor;
    EpicorToken source(epicor_config(epicor.vendor, EpicorTokenForm::kTokenResource),
                       epicor.vendor.transport(), epicor.vault);
    auto token = source.fetch("epicor-main", kNow);
    ASSERT_TRUE(token) << token.error().describe();
    EXPECT_EQ(token->value, "tok-1");
}

TEST(EpicorToken, CallsSendBearerAlongsideTheApiKey) {
    EpicorFixture epicor;
    auto manager = epicor.manager(EpicorTokenForm::kTokenService);
    auto response = epicor.call(*manager);
    ASSERT_TRUE(response) << response.error().describe();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(epicor.vendor.server().token_requests(), 1);
}

TEST(EpicorAuthErrors, WrongApiKeyAndWrongPasswordAreReportedDistinctly) {
    EpicorFixture epicor;
    EpicorToken source(epicor_config(epicor.vendor, EpicorTokenForm::kTokenService),
                       epicor.vendor.transport(), epicor.vault);

    ASSERT_TRUE(epicor.vault.put("epicor_api_key", "wrong-key"));
    auto bad_key = source.fetch("epicor-main", kNow);
    ASSERT_TRUE(epicor.vault.put("epicor_api_key", "s3cret-api-key"));
    ASSERT_TRUE(epicor.vault.put("epicor_password", "wrong-password"));
    auto bad_password = source.fetch("epicor-main", kNow);

    ASSERT_FALSE(bad_key);
    ASSERT_FALSE(bad_password);
    EXPECT_EQ(bad_key.error().code, ErrorCode::kAuthFailed);
    EXPECT_EQ(bad_password.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(bad_key.error().message.find("API key"), std::string::npos);
    EXPECT_NE(bad_key.error().message.find("mlc secret set epicor_api_key"), std::string::npos);
    EXPECT_NE(bad_password.error().message.find("user name or password"), std::string::npos);
    EXPECT_NE(bad_password.error().message.find("mlc secret set epicor_password"),
              std::string::npos);
    EXPECT_NE(bad_key.error().message, bad_password.error().message);
    // Epicor echoes the key in its message; ours never does.
    EXPECT_EQ(bad_key.error().describe().find("wrong-key"), std::string::npos);
    EXPECT_EQ(bad_password.error().describe().find("wrong-password"), std::string::npos);
}

TEST(EpicorAuthErrors, WrongApiKeyOnACallIsAuthFailedAfterOneRefreshAndRetry) {
    EpicorFixture epicor;
    auto manager = epicor.manager(EpicorTokenForm::kTokenService);
    ASSERT_TRUE(epicor.call(*manager));
    // The key changes on the server: the token is fine, the key is not.
    epicor.vendor.server().set_api_key("rotated-key");

    auto response = epicor.call(*manager);

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(response.error().message.find("API key"), std::string::npos);
    EXPECT_EQ(epicor.vendor.server().resource_calls(), 2);  // ok, then one 401 (token refused)
    EXPECT_EQ(epicor.vendor.server().token_requests(), 2);
}

TEST(EpicorAuthErrors, ClassifiesTheThreeCausesOfA401) {
    const auto answer = [](std::string message) {
        return net::json_response(401, R"({"HttpStatus":401,"ErrorMessage":")" + message + "\"}");
    };
    EXPECT_EQ(classify_epicor_auth_failure(answer("Invalid API Key abc.\\r\\nCompany EPIC06.")),
              EpicorAuthFailure::kApiKey);
    EXPECT_EQ(classify_epicor_auth_failure(answer("Invalid username or password.")),
              EpicorAuthFailure::kPassword);
    EXPECT_EQ(classify_epicor_auth_failure(answer("Access denied (Erp.BO.Company.GetRows).")),
              EpicorAuthFailure::kAccessDenied);
    EXPECT_EQ(classify_epicor_auth_failure(net::json_response(401, "not json")),
              EpicorAuthFailure::kOther);
}

}  // namespace
}  // namespace mlc::auth

#include "auth/token_manager.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <thread>
#include <vector>

#include "auth/credential_headers.hpp"
#include "auth/epicor_token.hpp"
#include "auth/oauth2_client_credentials.hpp"
#include "auth/testing/fake_state_store.hpp"
#include "auth/testing/fake_vault.hpp"
#include "auth/testing/local_vendor.hpp"

#include <sodium.h>
#include <stdlib.h>

#include "auth/sodium_vault.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::auth {
namespace {

using namespace std::chrono_literals;
using testing::FakeStateStore;
using testing::FakeVault;
using testing::LocalVendor;

constexpr int kPollRoundsMax = 2'000'000;

UtcTime utc(int year, unsigned month, unsigned day, std::chrono::seconds time_of_day) {
    return UtcTime{std::chrono::sys_days{std::chrono::year{year} / month / day} + time_of_day};
}

// Plain assignments: GCC 12 warns about designated initializers that leave members out.
ClientCredentialsConfig ups_config(std::string token_url) {
    ClientCredentialsConfig config;
    config.token_url = std::move(token_url);
    config.client_id = "client-1";
    config.client_secret_secret = "ups_client_secret";
    return config;
}

TokenManagerOptions manager_options(std::string connection, std::string system,
                                    std::optional<int> budget = std::nullopt,
                                    std::chrono::seconds skew = 300s) {
    TokenManagerOptions options;
    options.connection = std::move(connection);
    options.system = std::move(system);
    options.daily_token_budget = budget;
    options.refresh_skew = skew;
    return options;
}

net::HttpRequest get(std::string url) {
    net::HttpRequest request;
    request.url = std::move(url);
    return request;
}

// UPS through the manager: the vendor, the manager's collaborators, and a way to build managers.
struct UpsConnection {
    explicit UpsConnection(bool real_http = false) : vendor({}, real_http) {
        EXPECT_TRUE(vault.put("ups_client_secret", "s3cret-client"));
    }

    std::unique_ptr<TokenManager> manager(std::optional<int> budget = kUpsDailyTokenBudget,
                                          std::chrono::seconds skew = 300s) {
        auto source = std::make_unique<OAuth2ClientCredentials>(
            ups_config(vendor.base_url() + "/security/v1/oauth/token"), vendor.transport(), vault);
        return std::make_unique<TokenManager>(manager_options("ups-main", "ups", budget, skew),
                                              std::move(source), CredentialHeaders{}, clock, store,
                                              vault);
    }

    net::HttpRequest resource() const { return get(vendor.base_url() + "/resource"); }
    SendFn send() {
        return [this](const net::HttpRequest& request) { return vendor.transport().send(request); };
    }
    std::string bearer_of(TokenManager& manager) {
        net::HttpRequest request = resource();
        auto applied = manager.apply(request);
        EXPECT_TRUE(applied) << applied.error().describe();
        auto header = net::find_header(request.headers, "Authorization");
        return header ? std::string(*header) : std::string();
    }

    LocalVendor vendor;
    ManualClock clock;
    FakeVault vault;
    FakeStateStore store;
};

TEST(TokenRefresh, ReusesTheTokenUntilSkewBeforeExpiryThenRefreshes) {
    UpsConnection ups;
    auto manager = ups.manager(kUpsDailyTokenBudget, 300s);
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");

    ups.clock.advance(14399s - 300s - 1s);  // Just before the refresh point.
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    EXPECT_EQ(ups.vendor.server().token_requests(), 1);

    ups.clock.advance(2s);  // Inside the skew window: refreshed ahead of expiry.
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-2");
    EXPECT_EQ(ups.vendor.server().token_requests(), 2);
}

TEST(TokenRefresh, SkewLongerThanTheLifetimeDoesNotRefreshOnEveryCall) {
    UpsConnection ups;
    ups.vendor.server().set_expires_in("600");  // Ten-minute token, one-hour skew.
    auto manager = ups.manager(kUpsDailyTokenBudget, 3600s);
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    ups.clock.advance(299s);
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    EXPECT_EQ(ups.vendor.server().token_requests(), 1);
    ups.clock.advance(2s);  // Past half the lifetime.
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-2");
}

// Bounded poll until `count` callers are blocked on another caller's refresh.
void wait_for_blocked_callers(TokenManager& manager, int count) {
    for (int i = 0; i < kPollRoundsMax && manager.callers_waiting() < count; ++i) {
        std::this_thread::yield();
    }
    EXPECT_EQ(manager.callers_waiting(), count);
}

// Eight threads ask for a credential while the token request is held open at the vendor: one
// token request, and all eight callers get its token.
void expect_one_token_request_for_eight_callers(UpsConnection& ups) {
    auto manager = ups.manager();
    constexpr int kCallers = 8;
    ups.vendor.server().hold_token_requests();
    std::latch start(kCallers);
    std::vector<std::string> seen(kCallers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kCallers; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            seen[i] = ups.bearer_of(*manager);
        });
    }
    // The first caller's token request is held at the vendor; answer it once the seven others
    // are blocked behind it.
    wait_for_blocked_callers(*manager, kCallers - 1);
    ups.vendor.server().release_token_requests();
    for (auto& thread : threads) thread.join();

    EXPECT_EQ(ups.vendor.server().token_requests(), 1);
    for (const auto& bearer : seen) EXPECT_EQ(bearer, "Bearer tok-1");
}

TEST(TokenRefresh, EightConcurrentCallersCauseOneTokenRequest) {
    UpsConnection ups;
    expect_one_token_request_for_eight_callers(ups);
}

TEST(TokenRefresh, EightConcurrentCallersOfAnExpiringTokenCauseOneRefresh) {
    UpsConnection ups;
    {
        auto first = ups.manager();
        EXPECT_EQ(ups.bearer_of(*first), "Bearer tok-1");
    }
    ups.clock.advance(14399s - 10s);  // The cached token is inside the refresh window.
    ups.vendor.server().hold_token_requests();
    auto manager = ups.manager();
    constexpr int kCallers = 8;
    std::latch start(kCallers);
    std::vector<std::string> seen(kCallers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kCallers; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            seen[i] = ups.bearer_of(*manager);
        });
    }
    wait_for_blocked_callers(*manager, kCallers - 1);
    ups.vendor.server().release_token_requests();
    for (auto& thread : threads) thread.join();

    EXPECT_EQ(ups.vendor.server().token_requests(), 2);
    for (const auto& bearer : seen) EXPECT_EQ(bearer, "Bearer tok-2");
}

TEST(TokenCache, NewManagerOnTheSameStoreReusesTheCachedToken) {
    UpsConnection ups;
    EXPECT_EQ(ups.bearer_of(*ups.manager()), "Bearer tok-1");

    auto restarted = ups.manager();  // As after a process restart: nothing in memory.
    auto response = restarted->authorized_call(ups.resource(), ups.send());

    ASSERT_TRUE(response) << response.error().describe();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(ups.vendor.server().token_requests(), 1);
}

TEST(TokenCache, StoredTokenIsSealedNotPlaintext) {
    UpsConnection ups;
    EXPECT_EQ(ups.bearer_of(*ups.manager()), "Bearer tok-1");

    auto record = ups.store.get_token("ups-main");
    ASSERT_TRUE(record && record->has_value());
    EXPECT_EQ((*record)->ciphertext.find("tok-1"), std::string::npos);
    EXPECT_EQ((*record)->expires_at, ups.clock.now() + 14399s);
    EXPECT_EQ(ups.vault.open((*record)->ciphertext).value(), "tok-1");
}

TEST(TokenCache, CacheSealedUnderAnotherKeyIsReplacedNotUsed) {
    UpsConnection ups;
    FakeVault other_key(0x33);
    store::TokenRecord foreign;
    foreign.connection = "ups-main";
    foreign.ciphertext = other_key.seal("old").value();
    foreign.expires_at = ups.clock.now() + 3600s;
    foreign.obtained_at = ups.clock.now();
    ASSERT_TRUE(ups.store.put_token(foreign));
    EXPECT_EQ(ups.bearer_of(*ups.manager()), "Bearer tok-1");
    EXPECT_EQ(ups.vendor.server().token_requests(), 1);
}

TEST(TokenBudget, RequestPastTheDailyBudgetIsRefusedWithAnAlertAndResetsNextUtcDay) {
    UpsConnection ups;
    ups.clock.set(utc(2024, 3, 15, 8h));
    auto manager = ups.manager(kUpsDailyTokenBudget);
    for (int i = 0; i < kUpsDailyTokenBudget; ++i) {
        ASSERT_TRUE(manager->invalidate());
        net::HttpRequest request = ups.resource();
        ASSERT_TRUE(manager->apply(request)) << "request " << i + 1;
    }
    EXPECT_EQ(ups.vendor.server().token_requests(), kUpsDailyTokenBudget);

    ASSERT_TRUE(manager->invalidate());
    net::HttpRequest request = ups.resource();
    auto refused = manager->apply(request);  // The 251st.

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExhausted);
    EXPECT_NE(refused.error().message.find("ups-main"), std::string::npos);
    EXPECT_NE(refused.error().message.find("250"), std::string::npos);
    EXPECT_EQ(refused.error().retry_after, std::chrono::milliseconds{16h});
    EXPECT_EQ(ups.vendor.server().token_requests(), kUpsDailyTokenBudget);
    auto alerts = ups.store.list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    ASSERT_EQ(alerts->size(), 1u);
    EXPECT_EQ(alerts->front().key, "token-budget:ups-main");

    ups.clock.set(utc(2024, 3, 16, 1s));  // Next UTC day.
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-251");
}

TEST(TokenBudget, RequestReachingEightyPercentRaisesOneWarningAlert) {
    UpsConnection ups;
    ups.clock.set(utc(2024, 3, 15, 8h));
    auto manager = ups.manager(10);
    auto requests = [&](int count) {
        for (int i = 0; i < count; ++i) {
            ASSERT_TRUE(manager->invalidate());
            net::HttpRequest request = ups.resource();
            ASSERT_TRUE(manager->apply(request));
        }
    };
    requests(7);
    auto alerts = ups.store.list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    EXPECT_TRUE(alerts->empty());

    requests(1);  // The 8th of 10.
    alerts = ups.store.list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    ASSERT_EQ(alerts->size(), 1u);
    EXPECT_EQ(alerts->front().key, "token-budget:ups-main");
    EXPECT_EQ(alerts->front().severity, "warning");
    EXPECT_NE(alerts->front().message.find("8 of its daily budget of 10"), std::string::npos);

    requests(2);  // The budget is spent now; the next request turns the alert into an error.
    ASSERT_TRUE(manager->invalidate());
    net::HttpRequest request = ups.resource();
    EXPECT_FALSE(manager->apply(request));
    alerts = ups.store.list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    ASSERT_EQ(alerts->size(), 1u);
    EXPECT_EQ(alerts->front().severity, "error");
}

TEST(TokenBudget, SpentBudgetStillUsesTheUnexpiredToken) {
    UpsConnection ups;
    // Morning, so the token's four hours stay inside one UTC day (the budget resets at midnight).
    ups.clock.set(utc(2024, 3, 15, 8h));
    auto manager = ups.manager(1);
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    ups.clock.advance(14399s - 60s);  // In the refresh window, not expired.
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    EXPECT_EQ(ups.vendor.server().token_requests(), 1);
    ups.clock.advance(61s);  // Expired: now the budget error surfaces.
    net::HttpRequest request = ups.resource();
    auto refused = manager->apply(request);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExhausted);
}

TEST(TokenBudget, CountRacingAnotherProcessPastTheBudgetIsRefused) {
    UpsConnection ups;
    ups.clock.set(utc(2024, 3, 15, 8h));
    ups.store.make_counter_reads_stale();  // Every read misses the other process's requests.
    auto manager = ups.manager(2);
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(manager->invalidate());
        net::HttpRequest request = ups.resource();
        ASSERT_TRUE(manager->apply(request)) << "request " << i + 1;
    }
    ASSERT_TRUE(manager->invalidate());
    net::HttpRequest request = ups.resource();
    auto refused = manager->apply(request);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExhausted);
    EXPECT_EQ(ups.vendor.server().token_requests(), 2);
}

TEST(TokenBudget, SpentBudgetRaisesOneAlertAndKeepsServingTheTokenUntilItExpires) {
    UpsConnection ups;
    ups.clock.set(utc(2024, 3, 15, 8h));
    auto manager = ups.manager(1);
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    ups.clock.advance(14399s - 120s);  // In the refresh window.
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
        ups.clock.advance(10s);
    }
    auto alerts = ups.store.list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    ASSERT_EQ(alerts->size(), 1u);
    EXPECT_NE(alerts->front().message.find("ups-main"), std::string::npos);
    EXPECT_EQ(ups.vendor.server().token_requests(), 1);
}

TEST(AuthorizedCall, UnauthorizedRefreshesOnceAndRetriesOnce) {
    UpsConnection ups;
    auto manager = ups.manager();
    ASSERT_TRUE(manager->authorized_call(ups.resource(), ups.send()));
    ups.vendor.server().revoke_all();  // The vendor drops tokens early.

    auto response = manager->authorized_call(ups.resource(), ups.send());

    ASSERT_TRUE(response) << response.error().describe();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(ups.vendor.server().token_requests(), 2);
    EXPECT_EQ(ups.vendor.server().resource_calls(), 3);  // ok, 401, retried ok
}

TEST(AuthorizedCall, SecondUnauthorizedIsAuthFailedWithoutLooping) {
    UpsConnection ups;
    auto manager = ups.manager();
    int sends = 0;
    auto always_401 = [&](const net::HttpRequest&) -> Result<net::HttpResponse> {
        ++sends;
        return net::json_response(401, R"({"response":{"errors":[{"code":"250002"}]}})");
    };

    auto response = manager->authorized_call(ups.resource(), always_401);

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, ErrorCode::kAuthFailed);
    EXPECT_EQ(response.error().http_status, 401);
    EXPECT_NE(response.error().describe().find("ups-main"), std::string::npos);
    EXPECT_NE(response.error().describe().find("mlc secret set"), std::string::npos);
    EXPECT_EQ(sends, 2);
    EXPECT_EQ(ups.vendor.server().token_requests(), 2);
}

TEST(AuthorizedCall, CallersRefusedTogetherShareOneRefresh) {
    UpsConnection ups;
    auto manager = ups.manager();
    ASSERT_TRUE(manager->authorized_call(ups.resource(), ups.send()));
    ups.vendor.server().revoke_all();

    constexpr int kCallers = 4;
    std::latch start(kCallers);
    std::atomic<int> ok_answers{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kCallers; ++i) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            auto response = manager->authorized_call(ups.resource(), ups.send());
            if (response && response->status == 200) ok_answers.fetch_add(1);
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ok_answers.load(), kCallers);
    EXPECT_EQ(ups.vendor.server().token_requests(), 2);
}

TEST(AuthorizedCall, TransportFailureOfTheTokenRequestIsTransient) {
    testing::HandlerTransport down([](const net::HttpRequest&) { return net::HttpResponse{}; });
    down.fail_next(1);
    ManualClock clock;
    FakeVault vault;
    FakeStateStore store;
    ASSERT_TRUE(vault.put("ups_client_secret", "s3cret-client"));
    TokenManager manager(
        manager_options("ups-main", "ups"),
        std::make_unique<OAuth2ClientCredentials>(
            ups_config("https://wwwcie.ups.com/security/v1/oauth/token"), down, vault),
        CredentialHeaders{}, clock, store, vault);
    net::HttpRequest request;
    auto applied = manager.apply(request);
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.error().code, ErrorCode::kTransient);
    EXPECT_NE(applied.error().describe().find("ups-main"), std::string::npos);
}

TEST(StaticCredentials, EpicorBasicWithApiKeyIsSentAndWrongKeyIsNotRetried) {
    testing::FakeAuthServerConfig epicor;
    epicor.resource_scheme = testing::ResourceScheme::kEpicor;
    LocalVendor vendor(epicor);
    ManualClock clock;
    FakeVault vault;
    FakeStateStore store;
    ASSERT_TRUE(vault.put("epicor_password", "s3cret-password"));
    ASSERT_TRUE(vault.put("epicor_api_key", "s3cret-api-key"));
    TokenManagerOptions options = manager_options("epicor-main", "epicor");
    options.describe_rejection = [](const net::HttpResponse& response,
                                    std::string_view connection) {
        return epicor_auth_error(response, connection, "epicor_password", "epicor_api_key");
    };
    TokenManager manager(options, nullptr,
                         CredentialHeaders{}
                             .basic("manager", "epicor_password")
                             .api_key("x-api-key", "epicor_api_key"),
                         clock, store, vault);
    const net::HttpRequest request = get(vendor.base_url() + "/resource");
    auto send = [&](const net::HttpRequest& r) { return vendor.transport().send(r); };

    auto good = manager.authorized_call(request, send);
    ASSERT_TRUE(good) << good.error().describe();
    EXPECT_EQ(good->status, 200);

    ASSERT_TRUE(vault.put("epicor_api_key", "stale-key"));
    auto refused = manager.authorized_call(request, send);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(refused.error().message.find("API key"), std::string::npos);
    EXPECT_EQ(refused.error().describe().find("stale-key"), std::string::npos);
    EXPECT_EQ(vendor.server().resource_calls(), 2);  // No retry: nothing to refresh.
    EXPECT_EQ(vendor.server().token_requests(), 0);
}

TEST(Invalidate, DropsTheCachedTokenSoTheNextCallAsksAgain) {
    UpsConnection ups;
    auto manager = ups.manager();
    EXPECT_EQ(ups.bearer_of(*manager), "Bearer tok-1");
    ASSERT_TRUE(manager->invalidate());
    auto cached = ups.store.get_token("ups-main");
    ASSERT_TRUE(cached);
    EXPECT_FALSE(cached->has_value());
    EXPECT_EQ(ups.bearer_of(*ups.manager()), "Bearer tok-2");
}

TEST(TokenManagerOverHttp, EightConcurrentCallersThroughLocalServerCauseOneTokenRequest) {
    UpsConnection ups(true);
    ASSERT_TRUE(ups.vendor.real_http());
    expect_one_token_request_for_eight_callers(ups);
}

TEST(TokenManagerOverHttp, UpsTokenThroughLocalServerAndCurlWithOneRetryOn401) {
    UpsConnection ups(true);
    ASSERT_TRUE(ups.vendor.real_http());
    auto manager = ups.manager();
    ASSERT_TRUE(manager->authorized_call(ups.resource(), ups.send()));
    ups.vendor.server().revoke_all();
    auto response = manager->authorized_call(ups.resource(), ups.send());
    ASSERT_TRUE(response) << response.error().describe();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(ups.vendor.server().token_requests(), 2);
}

TEST(TokenCacheWithRealStore, SqliteAndSodiumVaultCacheSurvivesRestartAndIsNotPlaintext) {
    char dir_template[] = "/tmp/mlc_auth_test_XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    const std::filesystem::path dir(dir_template);
    ASSERT_GE(sodium_init(), 0);
    MasterKey key{};
    randombytes_buf(key.data(), key.size());
    SodiumVault vault(dir / "vault.json", key);
    ASSERT_TRUE(vault.put("ups_client_secret", "s3cret-client"));
    LocalVendor vendor;
    ManualClock clock;
    const auto make_manager = [&](store::StateStore& store) {
        return std::make_unique<TokenManager>(
            manager_options("ups-main", "ups", kUpsDailyTokenBudget),
            std::make_unique<OAuth2ClientCredentials>(
                ups_config(vendor.base_url() + "/security/v1/oauth/token"), vendor.transport(),
                vault),
            CredentialHeaders{}, clock, store, vault);
    };
    const std::string db = (dir / "state.db").string();
    {
        auto store = store::SqliteStateStore::open(db);
        ASSERT_TRUE(store) << store.error().describe();
        net::HttpRequest request;
        ASSERT_TRUE(make_manager(**store)->apply(request));
        auto record = (*store)->get_token("ups-main");
        ASSERT_TRUE(record && record->has_value());
        EXPECT_EQ((*record)->ciphertext.find("tok-1"), std::string::npos);
        EXPECT_EQ((*store)->token_requests_on("ups-main", clock.now()).value(), 1);
    }
    auto reopened = store::SqliteStateStore::open(db);
    ASSERT_TRUE(reopened);
    net::HttpRequest request;
    ASSERT_TRUE(make_manager(**reopened)->apply(request));
    EXPECT_EQ(net::find_header(request.headers, "Authorization"), "Bearer tok-1");
    EXPECT_EQ(vendor.server().token_requests(), 1);
    std::filesystem::remove_all(dir);
}

TEST(TokenBudgetWithRealStore, SqliteCounterRefusesPastBudgetAndResetsNextUtcDay) {
    auto store = store::SqliteStateStore::open(":memory:");
    ASSERT_TRUE(store) << store.error().describe();
    UpsConnection ups;
    ups.clock.set(utc(2024, 3, 15, 23h));
    auto manager = std::make_unique<TokenManager>(
        manager_options("ups-main", "ups", 2),
        std::make_unique<OAuth2ClientCredentials>(
            ups_config(ups.vendor.base_url() + "/security/v1/oauth/token"), ups.vendor.transport(),
            ups.vault),
        CredentialHeaders{}, ups.clock, **store, ups.vault);
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(manager->invalidate());
        net::HttpRequest request;
        ASSERT_TRUE(manager->apply(request));
    }
    ASSERT_TRUE(manager->invalidate());
    net::HttpRequest request;
    auto refused = manager->apply(request);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExhausted);
    auto alerts = (*store)->list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    EXPECT_EQ(alerts->size(), 1u);
    ups.clock.set(utc(2024, 3, 16, 0s));
    EXPECT_TRUE(manager->apply(request));
    EXPECT_EQ(ups.vendor.server().token_requests(), 3);
}

}  // namespace
}  // namespace mlc::auth

// AmazonClient against the Amazon emulator: LWA tokens (one per connection, cached sealed,
// refreshed before expiry, a rotated secret replaced in the vault), x-amz-access-token on every
// call, the rotation alert, 429 QuotaExceeded waited out, x-amzn-RateLimit-Limit read.
#include "connectors/amazon/amazon_test_fixture.hpp"

namespace mlc::connectors::amazon::testing {
namespace {

using namespace std::chrono_literals;

class AmazonClientTest : public AmazonFixture {
  protected:
    std::string search_path() const {
        return "/orders/2026-01-01/orders?marketplaceIds=" + text("marketplace_id") +
               "&lastUpdatedAfter=" + net::url_encode(format_iso8601(clock_.now() - 48h)) +
               "&maxResultsPerPage=5";
    }
    AmazonRequest search() const {
        return {.operation = "searchOrders", .path = search_path(), .record_key = "orders"};
    }
};

TEST_F(AmazonClientTest, OneTokenPerConnectionSentOnEveryCallAndCachedSealed) {
    auto lwa = credentials();
    auto amazon = client(*lwa);
    for (int i = 0; i < 3; ++i) {
        auto answer = amazon->call(search());
        ASSERT_TRUE(answer) << answer.error().describe();
        EXPECT_EQ(answer->status, 200);
    }
    EXPECT_EQ(recording_.count("/auth/o2/token"), 1);
    for (const auto& request : recording_.requests) {
        if (request.url.find("/orders/") == std::string::npos) continue;
        EXPECT_TRUE(net::find_header(request.headers, "x-amz-access-token").has_value());
    }
    // Cached sealed: the store holds no plaintext, and a second process on the store reuses it.
    auto cached = store_->get_token(std::string(kConnection));
    ASSERT_TRUE(cached && *cached);
    EXPECT_EQ((*cached)->ciphertext.find("Atza|"), std::string::npos);
    auto other_credentials = this->credentials();
    auto other = client(*other_credentials);
    ASSERT_TRUE(other->call(search()));
    EXPECT_EQ(recording_.count("/auth/o2/token"), 1);
}

TEST_F(AmazonClientTest, RefreshesBeforeTheHourEnds) {
    auto lwa = credentials();
    auto amazon = client(*lwa);
    ASSERT_TRUE(amazon->call(search()));
    clock_.advance(56min);  // Within 5 minutes of expiry: refreshed before the call.
    ASSERT_TRUE(amazon->call(search()));
    EXPECT_EQ(recording_.count("/auth/o2/token"), 2);
    EXPECT_EQ(recording_.answered("/orders/", 403), 0);
}

TEST_F(AmazonClientTest, RotatedSecretIsReplacedInTheVaultWithoutAuthorisingAgain) {
    auto lwa = credentials();
    auto amazon = client(*lwa);
    ASSERT_TRUE(amazon->call(search()));
    const auto rotated = control("POST", "client-secret/rotate");
    ASSERT_EQ(rotated.status, 200);
    clock_.advance(61min);
    auto refused = amazon->call(search());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(refused.error().message.find("invalid_client"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("mlc secret set amazon-us.client_secret"),
              std::string::npos);
    const auto secret = boost::json::parse(rotated.body).at("client_secret").as_string();
    ASSERT_TRUE(vault_.put("amazon-us.client_secret", std::string(secret)));
    auto again = amazon->call(search());  // Same refresh token: the seller did nothing.
    ASSERT_TRUE(again) << again.error().describe();
}

TEST_F(AmazonClientTest, AlertsBeforeTheSecretRotationIsDue) {
    auto lwa = credentials();
    auto config = client_config();
    config.secret_rotate_by = clock_.now() + 20 * 24h;
    auto amazon = client(*lwa, config);
    ASSERT_TRUE(amazon->call(search()));
    EXPECT_TRUE(store_->list_alerts(store::AlertStatus::kOpen)->empty());
    clock_.advance(7 * 24h);  // 13 days left: inside the 14-day warning.
    ASSERT_TRUE(amazon->call(search()));
    auto alerts = store_->list_alerts(store::AlertStatus::kOpen).value();
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].key, "lwa-secret-rotation:amazon-us");
    EXPECT_EQ(alerts[0].severity, "warning");
    EXPECT_NE(alerts[0].message.find("in 13 days"), std::string::npos) << alerts[0].message;
    EXPECT_NE(alerts[0].message.find("mlc secret set amazon-us.client_secret"), std::string::npos);
    clock_.advance(14 * 24h);
    ASSERT_TRUE(amazon->call(search()));
    alerts = store_->list_alerts(store::AlertStatus::kOpen).value();
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].severity, "error");
}

TEST_F(AmazonClientTest, QuotaExceededIsWaitedOutAndTheRateHeaderRead) {
    // Another app of the seller spends searchOrders' burst first: its own generous limiter.
    net::RateLimiterRegistry greedy;
    greedy.configure(
        "greedy", {.connection = {.requests_per_second = 100, .burst = 100}, .per_operation = {}});
    auto greedy_credentials = credentials("greedy");
    auto spender = client(*greedy_credentials, client_config("greedy"), &greedy);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(spender->call(search()));

    auto lwa = this->credentials();
    auto amazon = client(*lwa);
    auto answer = amazon->call(search());
    ASSERT_TRUE(answer) << answer.error().describe();
    EXPECT_GE(recording_.answered("/orders/2026-01-01/orders", 429), 1);
    EXPECT_GT(clock_.total_slept(), 0ns);  // Waited on the injected clock, never the wall.
    const auto limit = limiters_.limiter(kConnection).limit("searchOrders");
    EXPECT_DOUBLE_EQ(limit.requests_per_second, 0.0056);
}

TEST_F(AmazonClientTest, RegionHostsAndUsagePlans) {
    EXPECT_EQ(region_endpoint("eu").value(), "https://sellingpartnerapi-eu.amazon.com");
    EXPECT_EQ(region_endpoint("fe", true).value(),
              "https://sandbox.sellingpartnerapi-fe.amazon.com");
    EXPECT_FALSE(region_endpoint("us"));
    const auto limits = amazon_rate_limits();
    EXPECT_DOUBLE_EQ(limits.per_operation.at("searchOrders").requests_per_second, 0.0056);
    EXPECT_DOUBLE_EQ(limits.per_operation.at("getOrders").burst, 20);
    // searchOrders earns a token every ~179 s: a 429 is waited out over minutes, not seconds.
    EXPECT_GE(operation_retry("searchOrders").base_delay, 170s);
}

TEST_F(AmazonClientTest, AnUnknownOrderIsNotFoundNamingTheRecord) {
    auto lwa = credentials();
    auto amazon = client(*lwa);
    auto answer = amazon->call({.operation = "getOrder",
                                .path = "/orders/v0/orders/111-0000000-0000000",
                                .record_key = "order 111-0000000-0000000"});
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(answer.error().record_key, "order 111-0000000-0000000");
    EXPECT_NE(answer.error().message.find("getOrder"), std::string::npos);
}

}  // namespace
}  // namespace mlc::connectors::amazon::testing

// UpsClient end to end against the UPS emulator (src/sandbox/ups) in process: tokens, address
// validation, retries, the headers UPS requires.
#include "connectors/ups/ups_client.hpp"

#include <gtest/gtest.h>

#include <set>

#include "connectors/ups/ups_test_fixture.hpp"

namespace mlc::connectors::ups {
namespace {

using namespace std::chrono_literals;
using testing::kTokenPath;

class UpsClientTest : public testing::UpsFixture {};

model::Address valid_address() {
    return testing::address("100 MAIN ST", "LOS ANGELES", "CA", "90012");
}

TEST_F(UpsClientTest, TokenIsFetchedOnceAndReusedAcrossCallsAndAcrossClientsOnOneStore) {
    auto first_credentials = credentials();
    auto first = client(*first_credentials);
    ASSERT_TRUE(first->validate(valid_address()));
    ASSERT_TRUE(first->validate(valid_address()));
    // A second client (another flow, or a restarted process) on the same store and connection.
    auto second_credentials = credentials();
    auto second = client(*second_credentials);
    ASSERT_TRUE(second->validate(valid_address()));

    EXPECT_EQ(recording_.count(kTokenPath), 1);
    EXPECT_EQ(state().at("tokens_issued").as_int64(), 1);
    // The cache holds it sealed, never in plain text.
    auto cached = store_->get_token("ups-main");
    ASSERT_TRUE(cached && *cached);
    EXPECT_EQ((*cached)->ciphertext.find("ups-at-"), std::string::npos);
    // Its life is UPS's expires_in ("14399", a string), not a constant.
    EXPECT_EQ((*cached)->expires_at - (*cached)->obtained_at, 14399s);
}

TEST_F(UpsClientTest, RevokedTokenIsRefreshedOnceAndTheCallRetried) {
    auto tokens = credentials();
    auto ups = client(*tokens);
    ASSERT_TRUE(ups->validate(valid_address()));
    ASSERT_EQ(control("POST", "tokens/revoke", "{}").status, 200);

    auto check = ups->validate(valid_address());

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(check->kind, AddressCheck::kValid);
    EXPECT_EQ(recording_.count(kTokenPath), 2);
    EXPECT_EQ(recording_.count("/addressvalidation/"), 3);  // ok, 401 250002, retried ok
}

TEST_F(UpsClientTest, ExpiredTokenIsReplacedOnceBeforeTheNextCall) {
    ASSERT_EQ(control("POST", "config", R"({"token_lifetime_seconds": 600})").status, 200);
    auto tokens = credentials();
    auto ups = client(*tokens);
    ASSERT_TRUE(ups->validate(valid_address()));
    clock_.advance(601s);

    auto check = ups->validate(valid_address());

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(recording_.count(kTokenPath), 2);
    EXPECT_EQ(recording_.count("/addressvalidation/"), 2);  // No call was sent with the old one.
}

TEST_F(UpsClientTest, TokenRefusedEvenWhenFreshIsAuthFailedAfterOneRefreshNamingTheConnection) {
    auto tokens = credentials();
    auto ups = client(*tokens);
    ASSERT_TRUE(ups->validate(valid_address()));
    recording_.refuse_api(2);  // The app lacks the product, say: every token is refused.

    auto refused = ups->validate(valid_address());

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(refused.error().message.find("ups-main"), std::string::npos);
    EXPECT_NE(refused.error().message.find("ups.client_secret"), std::string::npos);
    EXPECT_EQ(refused.error().message.find(text("client_secret")), std::string::npos);
    EXPECT_EQ(recording_.count(kTokenPath), 2);             // One refresh, no loop.
    EXPECT_EQ(recording_.count("/addressvalidation/"), 3);  // ok, 401, retried 401
}

TEST_F(UpsClientTest, DailyTokenBudgetWarnsAtEightyPercentAndRefusesPastItWithoutAskingUps) {
    auto tokens = credentials(5);
    auto ups = client(*tokens);
    auto open_alerts = [this] { return store_->list_alerts(store::AlertStatus::kOpen).value(); };
    for (int i = 1; i <= 5; ++i) {
        ASSERT_TRUE(tokens->invalidate());
        ASSERT_TRUE(ups->validate(valid_address())) << "token request " << i;
        if (i == 3) {
            EXPECT_TRUE(open_alerts().empty());
        }
        if (i == 4) {  // 4 of 5: 80 %.
            ASSERT_EQ(open_alerts().size(), 1u);
            EXPECT_EQ(open_alerts().front().severity, "warning");
            EXPECT_EQ(open_alerts().front().key, "token-budget:ups-main");
        }
    }
    ASSERT_TRUE(tokens->invalidate());

    auto refused = ups->validate(valid_address());

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExhausted);
    EXPECT_NE(refused.error().message.find("ups-main"), std::string::npos);
    EXPECT_NE(refused.error().message.find("daily budget of 5 token requests"), std::string::npos);
    EXPECT_TRUE(refused.error().retry_after.has_value());
    EXPECT_EQ(recording_.count(kTokenPath), 5);
    ASSERT_EQ(open_alerts().size(), 1u);
    EXPECT_EQ(open_alerts().front().severity, "error");
}

TEST_F(UpsClientTest, ValidAddressAsWrittenIsValidCommercialAndNotCorrected) {
    auto tokens = credentials();
    auto check = client(*tokens)->validate(valid_address());

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(check->kind, AddressCheck::kValid);
    EXPECT_FALSE(check->corrected);
    EXPECT_EQ(check->classification, "commercial");
    EXPECT_EQ(check->address.street1, "100 MAIN ST");
    EXPECT_EQ(check->address.postal_code.substr(0, 6), "90012-");  // UPS adds the ZIP+4.
    EXPECT_EQ(check->address.postal_code.size(), 10u);
    EXPECT_EQ(check->address.name, "Pat Buyer");  // Kept from the input.
    EXPECT_FALSE(check->address.residential);
}

TEST_F(UpsClientTest, ValidAddressWrittenDifferentlyComesBackCorrectedInStandardForm) {
    auto tokens = credentials();
    auto check = client(*tokens)->validate(
        testing::address("100 Main Street", "Los Angeles", "CA", "90012"));

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(check->kind, AddressCheck::kValid);
    EXPECT_TRUE(check->corrected);
    EXPECT_EQ(check->address.street1, "100 MAIN ST");
    EXPECT_EQ(check->address.city, "LOS ANGELES");
}

TEST_F(UpsClientTest, AmbiguousAddressListsEveryCandidate) {
    auto tokens = credentials();
    auto check =
        client(*tokens)->validate(testing::address("200 Oak Ave", "New York", "NY", "10001"));

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(check->kind, AddressCheck::kAmbiguous);
    ASSERT_EQ(check->candidates.size(), 2u);
    std::set<std::string> lines{check->candidates[0].street1, check->candidates[1].street1};
    EXPECT_EQ(lines, (std::set<std::string>{"200 N OAK AVE", "200 S OAK AVE"}));
}

TEST_F(UpsClientTest, UnknownStreetHasNoCandidates) {
    auto tokens = credentials();
    auto check =
        client(*tokens)->validate(testing::address("987 NOWHERE RD", "LOS ANGELES", "CA", "90012"));

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(check->kind, AddressCheck::kNone);
    EXPECT_TRUE(check->candidates.empty());
}

TEST_F(UpsClientTest, PuertoRicoAddressIsValidAndResidential) {
    auto tokens = credentials();
    auto check = client(*tokens)->validate(
        testing::address("55 Calle Sol", "San Juan", "PR", "00901", "PR"));

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(check->kind, AddressCheck::kValid);
    EXPECT_EQ(check->classification, "residential");
    EXPECT_TRUE(check->address.residential);
}

TEST_F(UpsClientTest, AddressOutsideUsAndPrIsRejectedNamingTheAddress) {
    auto tokens = credentials();
    auto check = client(*tokens)->validate(
        testing::address("1 KING ST W", "TORONTO", "ON", "M5H 1A1", "CA"));

    ASSERT_FALSE(check);
    EXPECT_EQ(check.error().code, ErrorCode::kRejected);
    EXPECT_NE(check.error().message.find("1 KING ST W"), std::string::npos);
    EXPECT_NE(check.error().message.find("264002"), std::string::npos);
}

TEST_F(UpsClientTest, ThrottledCallsAnswering10429AreRetriedByTheNetClient) {
    auto tokens = credentials();
    auto ups = client(*tokens);
    ASSERT_TRUE(ups->validate(valid_address()));  // The token first.
    ASSERT_EQ(control("POST", "throttle", R"({"count": 2})").status, 200);

    auto check = ups->validate(valid_address());

    ASSERT_TRUE(check) << check.error().describe();
    EXPECT_EQ(check->kind, AddressCheck::kValid);
    EXPECT_EQ(recording_.count("/addressvalidation/"), 4);  // ok, then 429, 429, ok
}

TEST_F(UpsClientTest, ThrottledPastTheRetriesIsRateLimitedNamingTheConnection) {
    auto tokens = credentials();
    auto ups = client(*tokens);
    ASSERT_TRUE(ups->validate(valid_address()));
    ASSERT_EQ(control("POST", "throttle", R"({"count": 50})").status, 200);

    auto check = ups->validate(valid_address());

    ASSERT_FALSE(check);
    EXPECT_EQ(check.error().code, ErrorCode::kRateLimited);
    EXPECT_NE(check.error().message.find("ups-main"), std::string::npos);
}

TEST_F(UpsClientTest, EveryCallCarriesItsOwnTransIdAndTheTransactionSource) {
    auto tokens = credentials();
    auto ups = client(*tokens);
    ASSERT_TRUE(ups->validate(valid_address()));
    ASSERT_TRUE(ups->track_reference("NO-SUCH-REF"));
    ASSERT_TRUE(ups->validate(valid_address()));

    std::set<std::string> ids;
    int api_calls = 0;
    for (const auto& request : recording_.requests) {
        if (request.url.find("/api/") == std::string::npos) continue;
        ++api_calls;
        const auto id = net::find_header(request.headers, "transId");
        ASSERT_TRUE(id);
        EXPECT_LE(id->size(), kTransIdLengthMax);
        ids.insert(std::string(*id));
        EXPECT_EQ(net::find_header(request.headers, "transactionSrc").value_or(""), "mlc");
    }
    EXPECT_EQ(api_calls, 3);
    EXPECT_EQ(ids.size(), 3u);
}

TEST_F(UpsClientTest, MerchantIdRoutesTheTokenAndAnUnknownOneIsAConfigError) {
    auto routed = make_ups_credentials({.connection = "ups-second",
                                        .base_url = text("base_url"),
                                        .client_id = text("client_id"),
                                        .client_secret_secret = "ups.client_secret",
                                        .merchant_id = text("second_account_number"),
                                        .daily_token_budget = 250},
                                       recording_, clock_, *store_, vault_);
    ASSERT_TRUE(client(*routed, "ups-second")->validate(valid_address()));
    EXPECT_EQ(net::find_header(recording_.requests.front().headers, "x-merchant-id").value_or(""),
              text("second_account_number"));

    auto blocked = make_ups_credentials({.connection = "ups-blocked",
                                         .base_url = text("base_url"),
                                         .client_id = text("client_id"),
                                         .client_secret_secret = "ups.client_secret",
                                         .merchant_id = "ZZZZZZ",
                                         .daily_token_budget = 250},
                                        recording_, clock_, *store_, vault_);
    auto refused = client(*blocked, "ups-blocked")->validate(valid_address());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(refused.error().message.find("ups-blocked"), std::string::npos);
}

}  // namespace
}  // namespace mlc::connectors::ups

#include "net/redaction.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "net/http_client.hpp"
#include "net/testing/scripted_transport.hpp"

namespace mlc::net {
namespace {

TEST(SecretNames, CredentialHeadersAndNamesWithSecretWordsAreSecret) {
    for (const char* name :
         {"Authorization", "proxy-authorization", "X-API-Key", "API-Key", "Cookie", "Set-Cookie",
          "consumer_key", "consumer_secret", "api_key", "access_token", "refresh_token",
          "client_secret", "Password", "passwd"}) {
        EXPECT_TRUE(is_secret_name(name)) << name;
    }
    for (const char* name : {"Content-Type", "orderNumber", "page", "X-Rate-Limit-Remaining"}) {
        EXPECT_FALSE(is_secret_name(name)) << name;
    }
}

TEST(RedactUrl, ReplacesSecretQueryValuesAndUserInfo) {
    EXPECT_EQ(redact_url("https://shop.example/wp-json/wc/v3/orders?consumer_key=ck_1&"
                         "consumer_secret=cs_2&page=3"),
              "https://shop.example/wp-json/wc/v3/orders?consumer_key=[REDACTED]&"
              "consumer_secret=[REDACTED]&page=3");
    EXPECT_EQ(redact_url("https://user:pw@host.example/a?b=c#frag"),
              "https://[REDACTED]@host.example/a?b=c#frag");
    EXPECT_EQ(redact_url("https://host.example/a"), "https://host.example/a");
}

TEST(RedactHeaders, KeepsTheSchemeButNotTheCredentials) {
    const Headers out = redact_headers({{"Authorization", "Basic dXNlcjpwYXNz"},
                                        {"X-Custom", "Bearer abc.def"},
                                        {"Accept", "application/json"}});
    EXPECT_EQ(out[0].second, "Basic [REDACTED]");
    EXPECT_EQ(out[1].second, "Bearer [REDACTED]");
    EXPECT_EQ(out[2].second, "application/json");
}

TEST(RedactBody, JsonSecretsAtAnyDepthAreReplaced) {
    const std::string out = redact_body(
        R"({"grant_type":"refresh_token","refresh_token":"Atzr|abc","client":{"client_secret":"xyz",
           "list":[{"password":"hunter2"}]},"note":"Basic Zm9vOmJhcg=="})",
        4096);
    EXPECT_EQ(out.find("Atzr|abc"), std::string::npos) << out;
    EXPECT_EQ(out.find("xyz"), std::string::npos) << out;
    EXPECT_EQ(out.find("hunter2"), std::string::npos) << out;
    EXPECT_EQ(out.find("Zm9vOmJhcg=="), std::string::npos) << out;
    EXPECT_NE(out.find("grant_type"), std::string::npos) << out;
}

TEST(RedactBody, FormBodiesAndUnparsableTextAreCovered) {
    EXPECT_EQ(redact_body("grant_type=client_credentials&client_secret=s3", 4096),
              "grant_type=client_credentials&client_secret=[REDACTED]");
    const std::string opaque = redact_body("<xml><token>t0k3n</token></xml>", 4096);
    EXPECT_EQ(opaque.find("t0k3n"), std::string::npos) << opaque;
    EXPECT_EQ(redact_body("plain text", 4096), "plain text");
}

TEST(RedactBody, LongBodiesAreCut) {
    const std::string out = redact_body(std::string(10'000, 'a'), 100);
    EXPECT_LT(out.size(), 200u);
}

// The whole path: an HttpClient logging every request and answer at debug into a string.
TEST(ClientDebugLog, NoSecretReachesTheLog) {
    std::ostringstream sink_text;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(sink_text);
    auto logger = std::make_shared<spdlog::logger>("client-test", sink);
    logger->set_level(spdlog::level::debug);

    const std::vector<std::string> secrets = {
        "dXNlcjpwYXNzd29yZA==", "k3y-v4lue",         "ck_live_123",
        "cs_live_456",          "Atzr|refresh-789",  "client-s3cret",
        "session=abc42",        "eyJhbGciOi.access", "hunter2",
        "proxy-cr3dential"};

    ManualClock clock;
    testing::ScriptedTransport transport;
    HttpResponse throttled = json_response(503, R"({"access_token":"eyJhbGciOi.access"})");
    HttpResponse answer = json_response(200, R"({"access_token":"eyJhbGciOi.access","ok":1})");
    answer.headers.emplace_back("Set-Cookie", "session=abc42; HttpOnly");
    transport.respond("/token", throttled).respond("/token", answer);
    RateLimiterRegistry limiters;
    HttpClient client(HttpClientOptions{.system = "woocommerce"}, transport, clock, limiters, 3,
                      logger);

    CallRequest call;
    call.request.method = "POST";
    call.request.url =
        "https://shop.example/token?consumer_key=ck_live_123&consumer_secret=cs_live_456&page=2";
    call.request.headers = {{"Authorization", "Basic dXNlcjpwYXNzd29yZA=="},
                            {"x-api-key", "k3y-v4lue"},
                            {"Proxy-Authorization", "Basic proxy-cr3dential"},
                            {"Content-Type", "application/json"}};
    call.request.body =
        R"({"refresh_token":"Atzr|refresh-789","client_secret":"client-s3cret","user":{"password":"hunter2"}})";
    call.dedupes = true;
    ASSERT_TRUE(client.call(call));
    logger->flush();

    const std::string log = sink_text.str();
    ASSERT_NE(log.find("/token"), std::string::npos) << log;
    ASSERT_NE(log.find("[REDACTED]"), std::string::npos) << log;
    for (const auto& secret : secrets) {
        EXPECT_EQ(log.find(secret), std::string::npos) << secret << " leaked into:\n" << log;
    }
}

}  // namespace
}  // namespace mlc::net

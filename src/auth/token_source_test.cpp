#include "auth/token_source.hpp"

#include <gtest/gtest.h>

#include <array>

namespace mlc::auth {
namespace {

using namespace std::chrono_literals;

TEST(Base64, EncodesRfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(basic_authorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST(FindJsonFields, ReadsStringAndNumberFieldsAtAnyShallowDepth) {
    static constexpr std::array<std::string_view, 3> kNames{"AccessToken", "ExpiresIn", "missing"};
    auto fields = find_json_fields(
        R"({"returnObj":{"TokenService":[{"AccessToken":"abc","ExpiresIn":3600}]}})", kNames);
    ASSERT_TRUE(fields) << fields.error().describe();
    EXPECT_EQ(fields->at("AccessToken"), "abc");
    EXPECT_EQ(fields->at("ExpiresIn"), "3600");
    EXPECT_FALSE(fields->contains("missing"));
}

TEST(FindJsonFields, StopsAtTheDepthBound) {
    static constexpr std::array<std::string_view, 1> kNames{"deep"};
    auto fields = find_json_fields(R"({"a":{"b":{"c":{"d":{"deep":"x"}}}}})", kNames);
    ASSERT_TRUE(fields);
    EXPECT_FALSE(fields->contains("deep"));
}

TEST(FindJsonFields, RejectsNonJsonWithoutEchoingTheBody) {
    static constexpr std::array<std::string_view, 1> kNames{"access_token"};
    auto fields = find_json_fields("<html>secret-page</html>", kNames);
    ASSERT_FALSE(fields);
    EXPECT_EQ(fields.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(fields.error().describe().find("secret-page"), std::string::npos);
}

TEST(ExpiryFrom, UsesExpiresInTextAndFallsBackWhenAbsentOrInvalid) {
    const UtcTime now{std::chrono::seconds{1'000}};
    EXPECT_EQ(expiry_from(now, std::string("14399"), 60s), now + 14399s);
    EXPECT_EQ(expiry_from(now, std::nullopt, 60s), now + 60s);
    EXPECT_EQ(expiry_from(now, std::string("soon"), 60s), now + 60s);
    EXPECT_EQ(expiry_from(now, std::string("-5"), 60s), now + 60s);
}

TEST(TokenRequestError, MapsStatusToWhatToDoNext) {
    net::HttpResponse refused = net::json_response(401, R"({"secret":"zzz"})");
    Error error = token_request_error("ups", "ups-main", refused, "fix it");
    EXPECT_EQ(error.code, ErrorCode::kAuthFailed);
    EXPECT_NE(error.message.find("ups-main"), std::string::npos);
    EXPECT_EQ(error.message.find("zzz"), std::string::npos);

    net::HttpResponse throttled = net::json_response(429, "{}");
    throttled.headers.emplace_back("Retry-After", "30");
    error = token_request_error("ups", "ups-main", throttled, "");
    EXPECT_EQ(error.code, ErrorCode::kRateLimited);
    EXPECT_EQ(error.retry_after, std::chrono::milliseconds{30'000});

    net::HttpResponse down = net::json_response(503, "{}");
    EXPECT_EQ(token_request_error("ups", "ups-main", down, "").code, ErrorCode::kTransient);
}

TEST(FormBody, PercentEncodesValues) {
    const std::array<std::pair<std::string_view, std::string_view>, 2> fields{
        {{"grant_type", "refresh_token"}, {"refresh_token", "Atzr|a b&c"}}};
    EXPECT_EQ(form_body(fields), "grant_type=refresh_token&refresh_token=Atzr%7Ca%20b%26c");
}

}  // namespace
}  // namespace mlc::auth

#include "connectors/shipstation/shipstation_errors.hpp"

#include <gtest/gtest.h>

namespace mlc::connectors::shipstation {
namespace {

constexpr ErrorContext kContext{.connection = "ss-main", .what = "GET /orders", .record_key = {}};

net::HttpResponse answer(int status, std::string body, net::Headers headers = {}) {
    return net::HttpResponse{
        .status = status, .headers = std::move(headers), .body = std::move(body)};
}

TEST(ShipStationErrors, UnauthorizedNamesTheConnectionAndTheFix) {
    const Error error = error_from_response(
        answer(401, R"({"Message":"Authorization has been denied for this request."})"), kContext);
    EXPECT_EQ(error.code, ErrorCode::kAuthFailed);
    EXPECT_EQ(error.system, "shipstation");
    EXPECT_EQ(error.http_status, 401);
    EXPECT_NE(error.message.find("check the API key and secret of connection 'ss-main'"),
              std::string::npos)
        << error.message;
}

TEST(ShipStationErrors, ClientUnauthorizedBecomesAuthFailed) {
    Error from_client =
        make_error(ErrorCode::kUnauthorized, "shipstation", "GET /orders: HTTP 401");
    from_client.http_status = 401;
    const Error error = error_from_call(from_client, kContext);
    EXPECT_EQ(error.code, ErrorCode::kAuthFailed);
    EXPECT_NE(error.message.find("connection 'ss-main'"), std::string::npos);
}

TEST(ShipStationErrors, TooManyRequestsWaitsForTheWindowReset) {
    const Error error = error_from_response(answer(429, R"({"Message":"Too Many Requests"})",
                                                   {{"X-Rate-Limit-Limit", "40"},
                                                    {"X-Rate-Limit-Remaining", "0"},
                                                    {"X-Rate-Limit-Reset", "17"}}),
                                            kContext);
    EXPECT_EQ(error.code, ErrorCode::kRateLimited);
    ASSERT_TRUE(error.retry_after);
    EXPECT_EQ(*error.retry_after, std::chrono::seconds(17));
}

TEST(ShipStationErrors, ServerErrorsAreTransient) {
    for (const int status : {500, 502, 503, 504}) {
        EXPECT_EQ(error_from_response(answer(status, "oops"), kContext).code, ErrorCode::kTransient)
            << status;
    }
}

TEST(ShipStationErrors, BadRequestCarriesTheVendorMessage) {
    const Error error = error_from_response(
        answer(400,
               R"({"Message":"The request is invalid.","ExceptionMessage":"orderId not found.",)"
               R"("ExceptionType":"System.ArgumentException","StackTrace":null})"),
        ErrorContext{.connection = "ss-main",
                     .what = "POST /orders/markasshipped",
                     .record_key = "order 42"});
    EXPECT_EQ(error.code, ErrorCode::kRejected);
    EXPECT_EQ(error.record_key, "order 42");
    EXPECT_NE(error.message.find("The request is invalid.: orderId not found."), std::string::npos)
        << error.message;
}

TEST(ShipStationErrors, NotFoundAndConflict) {
    EXPECT_EQ(error_from_response(answer(404, "{}"), kContext).code, ErrorCode::kNotFound);
    EXPECT_EQ(error_from_response(answer(409, "{}"), kContext).code, ErrorCode::kConflict);
}

TEST(ShipStationErrors, VendorMessageOfAnHtmlPageIsCut) {
    const std::string page(5'000, 'x');
    EXPECT_LT(vendor_message(page).size(), 400u);
}

}  // namespace
}  // namespace mlc::connectors::shipstation

#include "connectors/woocommerce/woocommerce_errors.hpp"

#include <gtest/gtest.h>

namespace mlc::connectors::woocommerce {
namespace {

const ErrorContext kContext{.connection = "woo-main",
                            .what = "GET /wp-json/wc/v3/orders",
                            .record_key = "",
                            .key_secret = "woo.key",
                            .secret_secret = "woo.secret",
                            .query_auth = false};

net::HttpResponse answer(int status, std::string body) {
    return net::HttpResponse{.status = status, .headers = {}, .body = std::move(body)};
}

Error woo(int status, std::string_view code, std::string_view message,
          const ErrorContext& context = kContext) {
    return error_from_response(
        answer(status, R"({"code":")" + std::string(code) + R"(","message":")" +
                           std::string(message) + R"(","data":{"status":)" +
                           std::to_string(status) + "}}"),
        context);
}

TEST(WooErrors, WrongSecretNamesTheSecretAndTheCommand) {
    const Error error =
        woo(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.");
    EXPECT_EQ(error.code, ErrorCode::kAuthFailed);
    EXPECT_EQ(error.system, "woocommerce");
    EXPECT_EQ(error.http_status, 401);
    EXPECT_NE(error.message.find("mlc secret set woo.secret"), std::string::npos);
    EXPECT_NE(error.message.find("woo-main"), std::string::npos);
}

TEST(WooErrors, WrongKeyNamesTheKey) {
    const Error error =
        woo(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
    EXPECT_NE(error.message.find("mlc secret set woo.key"), std::string::npos);
}

TEST(WooErrors, NoCredentialsSeenOverBasicSuggestsQueryAuth) {
    const Error error =
        woo(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    EXPECT_EQ(error.code, ErrorCode::kAuthFailed);
    EXPECT_NE(error.message.find("auth: query"), std::string::npos);
    ErrorContext query = kContext;
    query.query_auth = true;
    const Error forbidden = woo(403, "woocommerce_rest_cannot_create", "Sorry.", query);
    EXPECT_NE(forbidden.message.find("Read/Write"), std::string::npos);
}

TEST(WooErrors, NoRouteIsAConfigProblemWithBaseUrl) {
    const Error error = woo(404, "rest_no_route", "No route was found.");
    EXPECT_EQ(error.code, ErrorCode::kConfig);
    EXPECT_NE(error.message.find("base_url"), std::string::npos);
}

TEST(WooErrors, UnknownIdIsNotFoundNamingTheRecord) {
    ErrorContext context = kContext;
    context.record_key = "order 77";
    const Error error = woo(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.", context);
    EXPECT_EQ(error.code, ErrorCode::kNotFound);
    EXPECT_EQ(error.record_key, "order 77");
    EXPECT_NE(error.message.find("order 77"), std::string::npos);
}

TEST(WooErrors, DuplicatesAreConflictsThatSayToLookUp) {
    EXPECT_EQ(woo(400, "registration-error-email-exists", "An account is already registered.").code,
              ErrorCode::kConflict);
    const Error sku = woo(400, "product_invalid_sku", "Invalid or duplicated SKU.");
    EXPECT_EQ(sku.code, ErrorCode::kConflict);
    EXPECT_NE(sku.message.find("find it by SKU"), std::string::npos);
}

TEST(WooErrors, InvalidParamsAreQuoted) {
    const Error error = error_from_response(
        answer(400, R"({"code":"rest_invalid_param","message":"Invalid parameter(s): status",)"
                    R"("data":{"status":400,"params":{"status":"status is not one of x."}}})"),
        kContext);
    EXPECT_EQ(error.code, ErrorCode::kRejected);
    EXPECT_NE(error.message.find("status is not one of x."), std::string::npos);
}

TEST(WooErrors, ServerErrorsAreTransientExceptRefundsTheGatewayCannotDo) {
    EXPECT_EQ(woo(503, "http_503", "busy").code, ErrorCode::kTransient);
    EXPECT_EQ(error_from_response(answer(502, "<html>Bad gateway</html>"), kContext).code,
              ErrorCode::kTransient);
    EXPECT_EQ(woo(500, "woocommerce_rest_cannot_create_order_refund", "No refunds.").code,
              ErrorCode::kRejected);
}

TEST(WooErrors, TooManyRequestsCarriesRetryAfter) {
    net::HttpResponse response = answer(429, "{}");
    response.headers.emplace_back("Retry-After", "7");
    const Error error = error_from_response(response, kContext);
    EXPECT_EQ(error.code, ErrorCode::kRateLimited);
    ASSERT_TRUE(error.retry_after);
    EXPECT_EQ(*error.retry_after, std::chrono::seconds(7));
}

TEST(WooErrors, PerItemBatchErrorsUseTheirOwnStatus) {
    boost::json::object item{{"code", "woocommerce_rest_product_invalid_id"},
                             {"message", "Invalid ID."},
                             {"data", boost::json::object{{"status", 404}}}};
    ErrorContext context = kContext;
    context.record_key = "product SKU X-1";
    const Error error = error_from_object(item, 0, context);
    EXPECT_EQ(error.code, ErrorCode::kNotFound);
    EXPECT_EQ(error.http_status, 404);
    EXPECT_EQ(error.record_key, "product SKU X-1");
}

}  // namespace
}  // namespace mlc::connectors::woocommerce

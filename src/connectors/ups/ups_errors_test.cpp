// UPS's error shape -> ErrorCode, once (ups_errors.hpp).
#include "connectors/ups/ups_errors.hpp"

#include <gtest/gtest.h>

namespace mlc::connectors::ups {
namespace {

net::HttpResponse answer(int status, std::string_view code, std::string_view message) {
    return net::json_response(status, R"({"response":{"errors":[{"code":")" + std::string(code) +
                                          R"(","message":")" + std::string(message) + R"("}]}})");
}

Error mapped(int status, std::string_view code, std::string_view message, UpsApi api) {
    return map_ups_error(answer(status, code, message),
                         {.connection = "ups-main", .api = api, .record_key = "shipment 5012-1-1"});
}

TEST(UpsErrors, ReadsTheFirstCodeAndMessage) {
    const UpsErrorDetail detail = read_ups_error(answer(400, "120300", "Invalid Service").body);
    EXPECT_EQ(detail.code, "120300");
    EXPECT_EQ(detail.message, "Invalid Service");
    EXPECT_TRUE(read_ups_error("<html>").code.empty());
}

TEST(UpsErrors, EachStatusAndCodeSaysWhatToDoNext) {
    EXPECT_EQ(mapped(401, "250002", "Invalid Authentication Information.", UpsApi::kShipping).code,
              ErrorCode::kAuthFailed);
    EXPECT_EQ(mapped(403, "10403", "Blocked Merchant", UpsApi::kShipping).code, ErrorCode::kConfig);
    EXPECT_EQ(mapped(429, "10429", "Too Many Requests.", UpsApi::kShipping).code,
              ErrorCode::kRateLimited);
    EXPECT_EQ(mapped(503, "", "", UpsApi::kTracking).code, ErrorCode::kTransient);
    EXPECT_EQ(mapped(400, "120100", "Missing or invalid shipper number.", UpsApi::kShipping).code,
              ErrorCode::kConfig);
    EXPECT_EQ(mapped(400, "120201", "Shipper Name is required", UpsApi::kShipping).code,
              ErrorCode::kConfig);
    EXPECT_EQ(
        mapped(400, "120206", "ShipTo PostalCode must be 5 or 9 digits", UpsApi::kShipping).code,
        ErrorCode::kRejected);
    EXPECT_EQ(mapped(400, "190117", "No shipment found", UpsApi::kVoid).code, ErrorCode::kNotFound);
    EXPECT_EQ(mapped(400, "190102", "in transit", UpsApi::kVoid).code, ErrorCode::kRejected);
    EXPECT_EQ(mapped(400, "264002", "Country Code is invalid", UpsApi::kAddressValidation).code,
              ErrorCode::kRejected);
}

TEST(UpsErrors, ARefusedShipmentNamesTheRecordUpsCodeAndTheFix) {
    const Error weight =
        mapped(400, "120704", "Package weight exceeds the 150 lbs maximum.", UpsApi::kShipping);
    EXPECT_EQ(weight.code, ErrorCode::kRejected);
    EXPECT_EQ(weight.record_key, "shipment 5012-1-1");
    EXPECT_EQ(weight.http_status, 400);
    EXPECT_NE(weight.message.find("shipment 5012-1-1"), std::string::npos);
    EXPECT_NE(weight.message.find("120704"), std::string::npos);
    EXPECT_NE(weight.message.find("part weights"), std::string::npos);
    const Error account =
        mapped(400, "120100", "Missing or invalid shipper number.", UpsApi::kShipping);
    EXPECT_NE(account.message.find("options.account_number"), std::string::npos);
}

}  // namespace
}  // namespace mlc::connectors::ups

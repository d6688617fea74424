#include "connectors/epicor/epicor_errors.hpp"

#include <gtest/gtest.h>

namespace mlc::connectors::epicor {
namespace {

net::HttpResponse answer(int status, std::string body) {
    return {.status = status, .headers = {}, .body = std::move(body)};
}

std::string error_body(int status, std::string_view message, std::string_view type,
                       std::string_view details = "") {
    std::string body = "{\"HttpStatus\":" + std::to_string(status) +
                       ",\"ReasonPhrase\":\"REST API Exception\",\"ErrorMessage\":\"" +
                       std::string(message) + "\",\"ErrorType\":\"" + std::string(type) + "\"";
    if (!details.empty()) body += ",\"ErrorDetails\":" + std::string(details);
    return body + "}";
}

constexpr EpicorErrorContext kContext{.connection = "epicor-main",
                                      .company = "EPIC06",
                                      .record_key = "order SS-1",
                                      .subject = "part 'SKU-9'"};

TEST(EpicorAuthError, TellsTheThreeCausesApart) {
    const auto password =
        epicor_auth_error(answer(401, error_body(401, "Invalid username or password.",
                                                 "System.UnauthorizedAccessException")),
                          kContext);
    const auto key = epicor_auth_error(
        answer(401, error_body(401, "Invalid API Key abc123secret.\\r\\nCompany EPIC06.",
                               "System.UnauthorizedAccessException")),
        kContext);
    const auto denied =
        epicor_auth_error(answer(401, error_body(401, "Access denied (Erp.BO.Company.GetRows).",
                                                 "System.UnauthorizedAccessException")),
                          kContext);
    EXPECT_NE(password.message.find("check the user and password of connection 'epicor-main'"),
              std::string::npos);
    EXPECT_NE(key.message.find(
                  "check the x-api-key of connection 'epicor-main' (API key for company EPIC06)"),
              std::string::npos);
    EXPECT_EQ(key.describe().find("abc123secret"), std::string::npos);
    EXPECT_NE(denied.message.find("lacks rights in company EPIC06"), std::string::npos);
    for (const Error* e : {&password, &key, &denied}) {
        EXPECT_EQ(e->code, ErrorCode::kAuthFailed);
        EXPECT_EQ(e->http_status, 401);
        EXPECT_EQ(e->system, "epicor");
    }
}

TEST(EpicorError, BusinessExceptionIsRejectedNamingTableAndField) {
    const auto error = map_epicor_error(
        answer(400, error_body(400, "Ship-to is invalid.", "Ice.Common.BusinessObjectException",
                               R"([{"Message":"Ship-to is invalid.","Type":"Error",)"
                               R"("Table":"OrderHed","Field":"ShipToNum"}])")),
        kContext);
    EXPECT_EQ(error.code, ErrorCode::kRejected);
    EXPECT_NE(error.message.find("OrderHed.ShipToNum: Ship-to is invalid."), std::string::npos);
    EXPECT_EQ(error.record_key, "order SS-1");
}

TEST(EpicorError, BusinessExceptionAs500IsStillRejectedNotRetried) {
    const auto error =
        map_epicor_error(answer(500, error_body(500, "Credit hold.", "Ice.BLException")), kContext);
    EXPECT_EQ(error.code, ErrorCode::kRejected);
}

TEST(EpicorError, MissingPartOrCustomerIsUnresolvedNamingTheSubject) {
    const auto part = map_epicor_error(
        answer(400, error_body(400, "Part not found.", "Ice.Common.BusinessObjectException",
                               R"([{"Message":"Part not found.","Table":"OrderDtl",)"
                               R"("Field":"PartNum"}])")),
        kContext);
    EXPECT_EQ(part.code, ErrorCode::kUnresolved);
    EXPECT_NE(part.message.find("part 'SKU-9'"), std::string::npos);
    const auto customer = map_epicor_error(
        answer(400, error_body(400, "Customer not found.", "Ice.Common.BusinessObjectException")),
        {.connection = "c", .company = "EPIC06"});
    EXPECT_EQ(customer.code, ErrorCode::kUnresolved);
    EXPECT_NE(customer.message.find("customer"), std::string::npos);
}

TEST(EpicorError, StatusesWithoutBusinessBodies) {
    EXPECT_EQ(
        map_epicor_error(answer(404, error_body(404, "Record not found.", "x")), kContext).code,
        ErrorCode::kNotFound);
    EXPECT_EQ(map_epicor_error(answer(503, "<html>down</html>"), kContext).code,
              ErrorCode::kTransient);
    EXPECT_EQ(map_epicor_error(answer(400, error_body(400, "Unable to deserialize entity",
                                                      "System.Runtime.Serialization."
                                                      "SerializationException",
                                                      R"([{"Message":"The property 'X_c' does )"
                                                      R"(not exist on type 'OrderHedRow'."}])")),
                               kContext)
                  .code,
              ErrorCode::kConfig);
    EXPECT_EQ(map_epicor_error(answer(400, error_body(400,
                                                      "A UD01 record with the same key "
                                                      "already exists.",
                                                      "Ice.BLException")),
                               kContext)
                  .code,
              ErrorCode::kConflict);
    EXPECT_EQ(map_epicor_error(answer(400, "not json"), kContext).code, ErrorCode::kInvalidInput);
}

TEST(EpicorUpdExtError, UnknownReferencesAreUnresolvedOtherRowErrorsNameTheTable) {
    const Error refused =
        map_upd_error({{"TableName", "OrderDtl"},
                       {"ErrorLevel", "Error"},
                       {"ErrorType", "Ice.BLException"},
                       {"ErrorText", "Selling quantity must be greater than zero."}},
                      kContext);
    EXPECT_EQ(refused.code, ErrorCode::kInvalidInput);
    EXPECT_NE(refused.message.find("OrderDtl"), std::string::npos) << refused.message;
    EXPECT_NE(refused.message.find("Selling quantity"), std::string::npos) << refused.message;
    EXPECT_EQ(refused.record_key, "order SS-1");
    EXPECT_EQ(refused.system, "epicor");

    const Error part =
        map_upd_error({{"TableName", "OrderDtl"}, {"ErrorText", "Part not found."}}, kContext);
    EXPECT_EQ(part.code, ErrorCode::kUnresolved);
    EXPECT_NE(part.message.find("part 'SKU-9'"), std::string::npos) << part.message;
    EXPECT_NE(part.message.find("add it in Epicor"), std::string::npos) << part.message;
    const Error customer = map_upd_error(
        {{"TableName", "OrderHed"}, {"ErrorText", "Customer not found."}}, EpicorErrorContext{});
    EXPECT_EQ(customer.code, ErrorCode::kUnresolved);
    EXPECT_NE(customer.message.find("customer"), std::string::npos) << customer.message;
}

}  // namespace
}  // namespace mlc::connectors::epicor

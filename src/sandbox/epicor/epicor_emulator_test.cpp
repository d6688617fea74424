#include "sandbox/epicor/epicor_emulator.hpp"

#include <gtest/gtest.h>

#include "common/base64.hpp"

#include <boost/json/serialize.hpp>

#include "common/decimal.hpp"
#include "sandbox/epicor/epicor_json.hpp"

namespace mlc::sandbox::epicor {
namespace {

namespace json = boost::json;
using net::HttpRequest;
using net::HttpResponse;

// Outbound webhooks are not used by Epicor (poll only); any send is a test failure.
class NoOutbound final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest&, const net::TransportOptions&) override {
        ADD_FAILURE() << "the Epicor emulator must not call out";
        return make_error(ErrorCode::kTransient, "no outbound");
    }
};

// "2024-03-15T00:00:00": Epicor's date-time text, no offset and no fraction.
bool offset_free(std::string_view t) {
    constexpr std::string_view kPattern = "dddd-dd-ddTdd:dd:dd";
    if (t.size() != kPattern.size()) return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const bool ok = kPattern[i] == 'd' ? std::isdigit(static_cast<unsigned char>(t[i])) != 0
                                           : t[i] == kPattern[i];
        if (!ok) return false;
    }
    return true;
}

class EpicorEmulatorTest : public ::testing::Test {
  protected:
    EpicorEmulatorTest() : emulator_({.clock = clock_, .outbound = outbound_, .seed = 7}) {
        info_ = emulator_.connection_info("http://sandbox");
        basic_ = "Basic " + mlc::base64_encode(std::string(info_.at("username").as_string()) + ":" +
                                               std::string(info_.at("password").as_string()));
    }

    std::string key() const { return std::string(info_.at("api_key").as_string()); }

    // A v2 call on company EPIC06: `path` starts at the service ("Erp.BO.PartSvc/Parts").
    HttpResponse call(std::string method, std::string path, std::string body = "",
                      std::optional<std::string> authorization = std::nullopt,
                      std::optional<std::string> api_key = std::nullopt) {
        HttpRequest request;
        request.method = std::move(method);
        request.url = "/EpicorERP/api/v2/odata/EPIC06/" + path;
        request.body = std::move(body);
        request.headers.emplace_back("Authorization", authorization.value_or(basic_));
        if (api_key.value_or(key()) != "<none>") {
            request.headers.emplace_back("x-api-key", api_key.value_or(key()));
        }
        return emulator_.handle(request);
    }

    HttpResponse control(std::string route, std::string body, std::string method = "POST") {
        HttpRequest request;
        request.method = std::move(method);
        request.url = "/__sandbox/" + route;
        request.body = std::move(body);
        return emulator_.control(request, route);
    }

    // Parsed with exact decimals: money fields come back as their decimal text.
    static json::object body(const HttpResponse& response) {
        auto parsed = parse_exact(response.body);
        EXPECT_TRUE(parsed.has_value()) << response.body;
        return parsed && parsed->is_object() ? parsed->as_object() : json::object{};
    }

    // A string field, or a decimal's text (whole decimals arrive as JSON integers).
    static std::string text(const json::object& o, std::string_view field) {
        const json::value* v = o.if_contains(field);
        if (v != nullptr && v->is_int64()) return std::to_string(v->as_int64());
        return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    }

    std::string bearer_from_token_resource() {
        HttpRequest request;
        request.method = "POST";
        request.url = "/EpicorERP/TokenResource.svc/";
        request.headers = {{"username", std::string(info_.at("username").as_string())},
                           {"password", std::string(info_.at("password").as_string())}};
        const HttpResponse response = emulator_.handle(request);
        EXPECT_EQ(response.status, 200) << response.body;
        return "Bearer " + text(body(response), "AccessToken");
    }

    ManualClock clock_{UtcTime{std::chrono::sys_days{std::chrono::year{2024} / 3 / 15}} +
                       std::chrono::hours{10}};
    NoOutbound outbound_;
    EpicorEmulator emulator_;
    json::object info_;
    std::string basic_;
};

// --- Auth -------------------------------------------------------------------------------------

TEST_F(EpicorEmulatorTest, WrongPasswordAnswers401InvalidUsernameOrPassword) {
    const HttpResponse response =
        call("GET", "Erp.BO.PartSvc/Parts", "", "Basic " + mlc::base64_encode("manager:wrong"));
    EXPECT_EQ(response.status, 401);
    const json::object error = body(response);
    EXPECT_EQ(text(error, "ErrorMessage"), "Invalid username or password.");
    EXPECT_EQ(text(error, "ErrorType"), "System.UnauthorizedAccessException");
    EXPECT_EQ(text(error, "ReasonPhrase"), "REST API Exception");
    EXPECT_EQ(error.at("HttpStatus").as_int64(), 401);
    EXPECT_FALSE(text(error, "CorrelationId").empty());
}

TEST_F(EpicorEmulatorTest, WrongOrMissingApiKeyAnswers401EvenWithAValidToken) {
    const HttpResponse wrong = call("GET", "Erp.BO.PartSvc/Parts", "", std::nullopt, "nope");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(text(body(wrong), "ErrorMessage"), "Invalid API Key nope.\r\nCompany EPIC06.");
    const std::string bearer = bearer_from_token_resource();
    const HttpResponse missing = call("GET", "Erp.BO.PartSvc/Parts", "", bearer, "<none>");
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(text(body(missing), "ErrorMessage"), "Invalid API Key .\r\nCompany EPIC06.");
    EXPECT_EQ(call("GET", "Erp.BO.PartSvc/Parts?$top=1", "", bearer).status, 200);
}

TEST_F(EpicorEmulatorTest, UserWithoutCompanyRightsIsDenied) {
    ASSERT_EQ(
        control("users", R"({"username":"clerk","password":"pw","companies":["OTHER"]})").status,
        201);
    const HttpResponse response =
        call("GET", "Erp.BO.PartSvc/Parts", "", "Basic " + mlc::base64_encode("clerk:pw"));
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(text(body(response), "ErrorMessage"), "Access denied (Erp.BO.Company.GetRows).");
}

TEST_F(EpicorEmulatorTest, TokenResourceBearerWorksForAnHourThenExpires) {
    const std::string bearer = bearer_from_token_resource();
    EXPECT_EQ(call("GET", "Erp.BO.CustomerSvc/Customers?$top=1", "", bearer).status, 200);
    clock_.advance(std::chrono::minutes{59});
    EXPECT_EQ(call("GET", "Erp.BO.CustomerSvc/Customers?$top=1", "", bearer).status, 200);
    clock_.advance(std::chrono::minutes{1});
    const HttpResponse expired = call("GET", "Erp.BO.CustomerSvc/Customers?$top=1", "", bearer);
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(text(body(expired), "ErrorMessage"), "Invalid username or password.");
}

TEST_F(EpicorEmulatorTest, TokenResourceRefusesWrongCredentials) {
    HttpRequest request;
    request.method = "POST";
    request.url = "/EpicorERP/TokenResource.svc/";
    request.headers = {{"username", "manager"}, {"password", "wrong"}};
    EXPECT_EQ(emulator_.handle(request).status, 401);
}

TEST_F(EpicorEmulatorTest, GetAccessTokenWithBasicIssuesAnExpiringBearerWithoutRefresh) {
    const HttpResponse response = call("POST", "Ice.LIB.TokenServiceSvc/GetAccessToken",
                                       R"({"clientId":"","clientSecret":"","scope":""})");
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object token =
        body(response).at("returnObj").at("TokenService").as_array().at(0).as_object();
    EXPECT_EQ(token.at("ExpiresIn").as_int64(), 3600);
    EXPECT_EQ(text(token, "RefreshToken"), "");
    EXPECT_EQ(text(token, "TokenType"), "Bearer");
    const std::string bearer = "Bearer " + text(token, "AccessToken");
    EXPECT_EQ(call("GET", "Erp.BO.PartSvc/Parts?$top=1", "", bearer).status, 200);
    clock_.advance(std::chrono::seconds{3600});
    EXPECT_EQ(call("GET", "Erp.BO.PartSvc/Parts?$top=1", "", bearer).status, 401);
}

// --- OData ------------------------------------------------------------------------------------

TEST_F(EpicorEmulatorTest, FilterWithDoubledQuoteFindsTheCustomer) {
    ASSERT_EQ(control("customers", R"({"CustID":"OBRIEN","Name":"O'Brien's Bikes"})").status, 201);
    const HttpResponse response = call("GET", "Erp.BO.CustomerSvc/Customers?$filter=" +
                                                  net::url_encode("Name eq 'O''Brien''s Bikes'"));
    ASSERT_EQ(response.status, 200) << response.body;
    const json::array value = body(response).at("value").as_array();
    ASSERT_EQ(value.size(), 1u);
    EXPECT_EQ(text(value[0].as_object(), "CustID"), "OBRIEN");
}

TEST_F(EpicorEmulatorTest, BadFilterAnswers400InEpicorShape) {
    const HttpResponse syntax =
        call("GET", "Erp.BO.SalesOrderSvc/SalesOrders?$filter=" + net::url_encode("PONum eq"));
    EXPECT_EQ(syntax.status, 400);
    EXPECT_EQ(text(body(syntax), "ErrorMessage"), "Syntax error at position 8 in 'PONum eq'.");
    EXPECT_EQ(body(syntax).at("HttpStatus").as_int64(), 400);
    const HttpResponse unknown =
        call("GET", "Erp.BO.SalesOrderSvc/SalesOrders?$filter=" + net::url_encode("Bogus eq 1"));
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(text(body(unknown), "ErrorMessage").find("Erp.Tablesets.OrderHedRow"),
              std::string::npos);
    const HttpResponse mistyped =
        call("GET", "Erp.BO.SalesOrderSvc/SalesOrders?$filter=" + net::url_encode("PONum eq 5"));
    EXPECT_EQ(mistyped.status, 400);
    EXPECT_EQ(call("GET", "Erp.BO.PartSvc/Parts?$Top=5").status, 400);  // Case-sensitive options
}

// Found by fuzz/epicor_emulator_fuzz: a field name that is not UTF-8 (percent-encoded in the URL)
// was echoed into the 400 as raw bytes, an answer no JSON reader accepts.
TEST_F(EpicorEmulatorTest, NameThatIsNotUtf8IsEchoedAsReplacementCharacter) {
    const HttpResponse unknown =
        call("GET", "Erp.BO.PartSvc/Parts?$filter=Part%9FNum%20eq%201&$select=A%C3%28");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(text(body(unknown), "ErrorMessage").find("Part\xEF\xBF\xBDNum"), std::string::npos)
        << unknown.body;
}

TEST_F(EpicorEmulatorTest, DateLiteralFilterAndOffsetFreeDates) {
    const HttpResponse all = call("GET", "Erp.BO.SalesOrderSvc/SalesOrders");
    ASSERT_EQ(all.status, 200);
    const json::array orders = body(all).at("value").as_array();
    ASSERT_GE(orders.size(), 3u);
    for (const json::value& order : orders) {
        EXPECT_TRUE(offset_free(text(order.as_object(), "OrderDate")))
            << text(order.as_object(), "OrderDate");
    }
    // Seeded orders are dated 1-30 days before 2024-03-15.
    const HttpResponse recent =
        call("GET",
             "Erp.BO.SalesOrderSvc/SalesOrders?$filter=" +
                 net::url_encode("OrderDate ge 2024-02-14T00:00:00Z and OrderDate lt 2024-03-15"));
    ASSERT_EQ(recent.status, 200) << recent.body;
    EXPECT_EQ(body(recent).at("value").as_array().size(), orders.size());
    const HttpResponse future =
        call("GET", "Erp.BO.SalesOrderSvc/SalesOrders?$filter=" +
                        net::url_encode("OrderDate gt 2024-03-15T00:00:00Z"));
    EXPECT_EQ(body(future).at("value").as_array().size(), 0u);
}

TEST_F(EpicorEmulatorTest, TopAndSkipPageWithoutNextLink) {
    const std::size_t parts =
        body(call("GET", "Erp.BO.PartSvc/Parts")).at("value").as_array().size();
    ASSERT_EQ(parts, 300u);  // volume 300
    std::size_t seen = 0;
    std::size_t pages = 0;
    constexpr std::size_t kPage = 100;
    for (std::size_t skip = 0; pages < 10; skip += kPage, ++pages) {
        const json::object page =
            body(call("GET", "Erp.BO.PartSvc/Parts?$top=" + std::to_string(kPage) +
                                 "&$skip=" + std::to_string(skip)));
        EXPECT_FALSE(page.contains("@odata.nextLink"));
        EXPECT_TRUE(page.contains("@odata.context"));
        seen += page.at("value").as_array().size();
        if (page.at("value").as_array().size() < kPage) break;
    }
    EXPECT_EQ(seen, parts);
    EXPECT_EQ(pages, 3u);  // 100, 100, 100, then an empty short page
}

TEST_F(EpicorEmulatorTest, SelectExpandAndOrderByShapeTheRows) {
    const HttpResponse response =
        call("GET",
             "Erp.BO.SalesOrderSvc/SalesOrders?$select=OrderNum,PONum&$expand=OrderDtls"
             "&$orderby=" +
                 net::url_encode("OrderNum desc"));
    ASSERT_EQ(response.status, 200) << response.body;
    const json::array value = body(response).at("value").as_array();
    ASSERT_GE(value.size(), 2u);
    const json::object first = value[0].as_object();
    EXPECT_EQ(first.size(), 3u);  // OrderNum, PONum, OrderDtls
    EXPECT_GT(first.at("OrderNum").as_int64(), value[1].as_object().at("OrderNum").as_int64());
    ASSERT_FALSE(first.at("OrderDtls").as_array().empty());
    EXPECT_EQ(first.at("OrderDtls").as_array()[0].as_object().at("OrderNum"), first.at("OrderNum"));
    EXPECT_EQ(call("GET", "Erp.BO.SalesOrderSvc/SalesOrders?$expand=Nope").status, 400);
    EXPECT_EQ(call("GET", "Erp.BO.SalesOrderSvc/SalesOrders?$select=Nope").status, 400);

    // The catalog's one inactive part first, then the active ones by PartNum.
    const HttpResponse parts = call(
        "GET", "Erp.BO.PartSvc/Parts?$orderby=" + net::url_encode("InActive desc,PartNum asc") +
                   "&$top=3");
    const json::array sorted = body(parts).at("value").as_array();
    ASSERT_EQ(sorted.size(), 3u);
    EXPECT_TRUE(sorted[0].as_object().at("InActive").as_bool());
    EXPECT_EQ(text(sorted[0].as_object(), "PartNum"), "P10003");
    EXPECT_FALSE(sorted[1].as_object().at("InActive").as_bool());
    EXPECT_LT(text(sorted[1].as_object(), "PartNum"), text(sorted[2].as_object(), "PartNum"));
}

// --- Entity CRUD ------------------------------------------------------------------------------

TEST_F(EpicorEmulatorTest, PostAnswers201WithTheRowPatchAndDeleteAnswer204) {
    const HttpResponse created =
        call("POST", "Erp.BO.PartSvc/Parts",
             R"({"PartNum":"NEW-1","PartDescription":"New","UnitPrice":12.345})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_NE(created.body.find("\"UnitPrice\":12.345"), std::string::npos);  // exact, a number
    const json::object row = body(created);
    const std::int64_t created_rev = row.at("SysRevID").as_int64();
    EXPECT_GT(created_rev, 0);
    EXPECT_FALSE(text(row, "SysRowID").empty());
    EXPECT_FALSE(row.contains("ChangeDate"));  // Part has no change date (spec)

    EXPECT_EQ(
        call("PATCH", "Erp.BO.PartSvc/Parts('EPIC06','NEW-1')", R"({"UnitPrice":"13"})").status,
        204);
    const json::object patched = body(call("GET", "Erp.BO.PartSvc/Parts('EPIC06','NEW-1')"));
    EXPECT_EQ(text(patched, "UnitPrice"), "13");
    EXPECT_GT(patched.at("SysRevID").as_int64(), created_rev);

    EXPECT_EQ(call("DELETE", "Erp.BO.PartSvc/Parts('EPIC06','NEW-1')").status, 204);
    EXPECT_EQ(call("GET", "Erp.BO.PartSvc/Parts('EPIC06','NEW-1')").status, 404);
}

TEST_F(EpicorEmulatorTest, BadBodiesAnswerUnableToDeserializeEntity) {
    for (const std::string bad : {"not json", "[1,2]", R"({"Bogus":1})", R"({"CustNum":"x"})"}) {
        const HttpResponse response = call("POST", "Erp.BO.CustomerSvc/Customers", bad);
        EXPECT_EQ(response.status, 400) << bad;
        EXPECT_EQ(text(body(response), "ErrorMessage"), "Unable to deserialize entity") << bad;
    }
}

TEST_F(EpicorEmulatorTest, EveryWriteBumpsSysRevIdAndChangeStamp) {
    const json::object before = body(call("GET", "Erp.BO.CustomerSvc/Customers('EPIC06',1)"));
    clock_.advance(std::chrono::hours{2});
    ASSERT_EQ(
        call("PATCH", "Erp.BO.CustomerSvc/Customers('EPIC06',1)", R"({"City":"Duluth"})").status,
        204);
    const json::object after = body(call("GET", "Erp.BO.CustomerSvc/Customers('EPIC06',1)"));
    EXPECT_GT(after.at("SysRevID").as_int64(), before.at("SysRevID").as_int64());
    // Database-wide (rowversion): a write to another row afterwards gets a larger number still.
    ASSERT_EQ(call("PATCH", "Erp.BO.CustomerSvc/Customers('EPIC06',2)", R"({"City":"Ely"})").status,
              204);
    const json::object other = body(call("GET", "Erp.BO.CustomerSvc/Customers('EPIC06',2)"));
    EXPECT_GT(other.at("SysRevID").as_int64(), after.at("SysRevID").as_int64());
    EXPECT_EQ(text(after, "ChangeDate"), "2024-03-15T00:00:00");
    EXPECT_EQ(after.at("ChangeTime").as_int64(), 12 * 3600);
    EXPECT_EQ(text(after, "SysRowID"), text(before, "SysRowID"));
    EXPECT_EQ(call("PATCH", "Erp.BO.CustomerSvc/Customers('EPIC06',1)", R"({"CustNum":2})").status,
              400);  // Keys cannot change
}

TEST_F(EpicorEmulatorTest, AnEqualityFilterSeesEveryWriteToThatField) {
    const auto by_city = [&](const std::string& city) {
        const json::object page = body(
            call("GET", "Erp.BO.CustomerSvc/Customers?$select=CustNum&$filter=" +
                            net::url_encode("City eq '" + city + "' and Company eq 'EPIC06'")));
        std::vector<std::int64_t> nums;
        for (const auto& row : page.at("value").as_array()) {
            nums.push_back(row.at("CustNum").as_int64());
        }
        return nums;
    };
    ASSERT_EQ(call("PATCH", "Erp.BO.CustomerSvc/Customers('EPIC06',2)", R"({"City":"Ely"})").status,
              204);
    EXPECT_EQ(by_city("Ely"), std::vector<std::int64_t>({2}));  // First lookup builds the index.
    ASSERT_EQ(call("PATCH", "Erp.BO.CustomerSvc/Customers('EPIC06',1)", R"({"City":"Ely"})").status,
              204);
    ASSERT_EQ(
        call("PATCH", "Erp.BO.CustomerSvc/Customers('EPIC06',2)", R"({"City":"Mora"})").status,
        204);
    EXPECT_EQ(by_city("Ely"), std::vector<std::int64_t>({1}));  // Moved in and moved out.
    EXPECT_EQ(by_city("Mora"), std::vector<std::int64_t>({2}));
    ASSERT_EQ(call("DELETE", "Erp.BO.CustomerSvc/Customers('EPIC06',2)").status, 204);
    EXPECT_TRUE(by_city("Mora").empty());  // Deleted rows drop out.
}

// --- Sales orders -----------------------------------------------------------------------------

TEST_F(EpicorEmulatorTest, UiSequenceCreatesAnOrderWithAssignedNumberAndEchoesTheTableset) {
    const auto method = [&](std::string name, json::object params) {
        const HttpResponse response =
            call("POST", "Erp.BO.SalesOrderSvc/" + name, json::serialize(params));
        EXPECT_EQ(response.status, 200) << name << ": " << response.body;
        return body(response);
    };
    json::object answer = method("GetNewOrderHed", {{"ds", json::object{}}});
    json::object ds = answer.at("parameters").at("ds").as_object();
    ASSERT_EQ(ds.at("OrderHed").as_array().size(), 1u);
    EXPECT_EQ(text(ds.at("OrderHed").as_array()[0].as_object(), "RowMod"), "A");

    answer = method("ChangeOrderHedCustomerCustID",
                    {{"ds", ds}, {"orderNum", 0}, {"proposedCustomerCustID", "C00002"}});
    ds = answer.at("parameters").at("ds").as_object();
    EXPECT_EQ(ds.at("OrderHed").as_array()[0].as_object().at("CustNum").as_int64(), 2);
    ds["OrderHed"].as_array()[0].as_object()["PONum"] = "SS-1001";

    answer = method("MasterUpdate", {{"lCheckForResponse", true},
                                     {"cTableName", "OrderHed"},
                                     {"iCustNum", 2},
                                     {"iOrderNum", 0},
                                     {"lweLicensed", false},
                                     {"ds", ds}});
    EXPECT_FALSE(answer.at("returnObj").as_bool());
    ds = answer.at("parameters").at("ds").as_object();
    const json::object head = ds.at("OrderHed").as_array()[0].as_object();
    const std::int64_t order_num = head.at("OrderNum").as_int64();
    EXPECT_GT(order_num, 5001);  // After the seeded orders
    EXPECT_EQ(text(head, "RowMod"), "");
    EXPECT_EQ(text(head, "PONum"), "SS-1001");

    answer = method("GetNewOrderDtl", {{"ds", ds}, {"orderNum", order_num}});
    ds = answer.at("parameters").at("ds").as_object();
    ASSERT_EQ(ds.at("OrderHed").as_array().size(), 1u);  // the whole tableset comes back
    ASSERT_EQ(ds.at("OrderDtl").as_array().size(), 1u);

    const json::object part =
        body(call("GET", "Erp.BO.PartSvc/Parts?$filter=" + net::url_encode("InActive eq false") +
                             "&$top=1"))
            .at("value")
            .as_array()[0]
            .as_object();
    answer = method("ChangePartNumMaster", {{"ds", ds}, {"partNum", text(part, "PartNum")}});
    ds = answer.at("parameters").at("ds").as_object();
    EXPECT_EQ(text(ds.at("OrderDtl").as_array()[0].as_object(), "PartNum"), text(part, "PartNum"));

    answer = method("ChangeSellingQtyMaster", {{"ds", ds}, {"ipSellingQuantity", 3}});
    ds = answer.at("parameters").at("ds").as_object();
    answer =
        method("MasterUpdate", {{"cTableName", "OrderDtl"}, {"iOrderNum", order_num}, {"ds", ds}});
    ds = answer.at("parameters").at("ds").as_object();
    ASSERT_EQ(ds.at("OrderDtl").as_array().size(), 1u);
    ASSERT_EQ(ds.at("OrderRel").as_array().size(), 1u);  // release 1 created with the line
    const Decimal price = Decimal::parse(text(part, "UnitPrice")).value();
    const Decimal expected = price.mul(3).round(2);
    EXPECT_EQ(text(ds.at("OrderDtl").as_array()[0].as_object(), "DocExtPriceDtl"),
              expected.to_string());
    EXPECT_EQ(text(ds.at("OrderHed").as_array()[0].as_object(), "DocTotalOrder"),
              expected.to_string());

    const json::object stored =
        body(call("GET", "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06'," + std::to_string(order_num) +
                             ")?$expand=OrderDtls,OrderRels"));
    EXPECT_EQ(text(stored, "PONum"), "SS-1001");
    EXPECT_EQ(stored.at("OrderDtls").as_array().size(), 1u);
    EXPECT_EQ(stored.at("OrderRels").as_array().size(), 1u);
}

TEST_F(EpicorEmulatorTest, UnknownCustomerIsRefusedInEpicorShape) {
    const json::object ds =
        body(call("POST", "Erp.BO.SalesOrderSvc/GetNewOrderHed", R"({"ds":{}})"))
            .at("parameters")
            .at("ds")
            .as_object();
    const HttpResponse response =
        call("POST", "Erp.BO.SalesOrderSvc/ChangeOrderHedCustomerCustID",
             json::serialize(json::object{{"ds", ds}, {"proposedCustomerCustID", "NOBODY"}}));
    EXPECT_EQ(response.status, 400);
    const json::object error = body(response);
    EXPECT_EQ(text(error, "ErrorMessage"), "Customer not found.");
    EXPECT_EQ(text(error, "ErrorType"), "Ice.Common.BusinessObjectException");
    const json::object detail = error.at("ErrorDetails").as_array()[0].as_object();
    EXPECT_EQ(text(detail, "Table"), "OrderHed");
    EXPECT_EQ(text(detail, "Type"), "Error");
    EXPECT_EQ(text(detail, "Method"), "ChangeOrderHedCustomerCustID");
    EXPECT_EQ(call("POST", "Erp.BO.SalesOrderSvc/SalesOrders", R"({"CustNum":99999})").status, 400);
}

TEST_F(EpicorEmulatorTest, UnknownPartIsRefusedUntilAUserCreatesIt) {
    const HttpResponse order =
        call("POST", "Erp.BO.SalesOrderSvc/SalesOrders", R"({"CustNum":1,"PONum":"SS-2"})");
    ASSERT_EQ(order.status, 201) << order.body;
    const std::string path = "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06'," +
                             std::to_string(body(order).at("OrderNum").as_int64()) + ")/OrderDtls";
    const std::string line = R"({"PartNum":"WIDGET-X","SellingQuantity":2})";
    const HttpResponse refused = call("POST", path, line);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(text(body(refused), "ErrorMessage"), "Part not found.");
    EXPECT_EQ(text(body(refused).at("ErrorDetails").as_array()[0].as_object(), "Field"), "PartNum");

    ASSERT_EQ(control("parts", R"({"PartNum":"WIDGET-X","UnitPrice":"2.50"})").status, 201);
    const HttpResponse created = call("POST", path, line);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(text(body(created), "DocExtPriceDtl"), "5");
    EXPECT_EQ(body(created).at("OrderLine").as_int64(), 1);
}

TEST_F(EpicorEmulatorTest, GetByIdAnswersTheWholeTablesetByPostOrGet) {
    const HttpResponse posted =
        call("POST", "Erp.BO.SalesOrderSvc/GetByID", R"({"orderNum":5001})");
    ASSERT_EQ(posted.status, 200) << posted.body;
    const json::object ds = body(posted).at("returnObj").as_object();
    EXPECT_EQ(ds.at("OrderHed").as_array().size(), 1u);
    EXPECT_FALSE(ds.at("OrderDtl").as_array().empty());
    EXPECT_FALSE(ds.at("OrderRel").as_array().empty());
    EXPECT_EQ(call("GET", "Erp.BO.SalesOrderSvc/GetByID?orderNum=5001").body, posted.body);
    EXPECT_EQ(call("POST", "Erp.BO.SalesOrderSvc/GetByID", R"({"orderNum":1})").status, 400);
}

TEST_F(EpicorEmulatorTest, SalesOrderServiceHasNoUpdateMaster) {
    EXPECT_EQ(call("POST", "Erp.BO.SalesOrderSvc/UpdateMaster", R"({"ds":{}})").status, 404);
}

// --- AP, GL, UD01 -----------------------------------------------------------------------------

TEST_F(EpicorEmulatorTest, DuplicateApInvoiceIsRefused) {
    const std::string invoice =
        R"({"VendorNum":12,"InvoiceNum":"INV-1","InvoiceDate":"2024-03-01","DocInvoiceAmt":99.95})";
    ASSERT_EQ(call("POST", "Erp.BO.APInvoiceSvc/APInvoices", invoice).status, 201);
    const HttpResponse duplicate = call("POST", "Erp.BO.APInvoiceSvc/APInvoices", invoice);
    EXPECT_EQ(duplicate.status, 400);
    EXPECT_EQ(text(body(duplicate), "ErrorType"), "Ice.BLException");
    EXPECT_NE(text(body(duplicate), "ErrorMessage").find("INV-1"), std::string::npos);
    EXPECT_EQ(
        call("POST", "Erp.BO.APInvoiceSvc/APInvoices", R"({"VendorNum":13,"InvoiceNum":"INV-1"})")
            .status,
        201);  // Unique per supplier only
}

TEST_F(EpicorEmulatorTest, GlJournalWithoutGroupIsRefused) {
    const HttpResponse missing = call("POST", "Erp.BO.GLJournalEntrySvc/GLJournalEntries",
                                      R"({"FiscalYear":2024,"FiscalPeriod":3})");
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(text(body(missing), "ErrorMessage"), "A journal group is required.");
    EXPECT_EQ(call("POST", "Erp.BO.GLJournalEntrySvc/GLJournalEntries",
                   R"({"FiscalYear":2024,"GroupID":"NOPE"})")
                  .status,
              400);
    ASSERT_EQ(call("POST", "Erp.BO.GLJrnGrpSvc/GLJrnGrps", R"({"GroupID":"AMZ0315"})").status, 201);
    const HttpResponse journal =
        call("POST", "Erp.BO.GLJournalEntrySvc/GLJournalEntries",
             R"({"FiscalYear":2024,"FiscalPeriod":3,"GroupID":"AMZ0315"})");
    ASSERT_EQ(journal.status, 201) << journal.body;
    const json::object head = body(journal);
    const std::string key = "('EPIC06','" + text(head, "BookID") + "',2024,'" +
                            text(head, "JournalCode") + "'," +
                            std::to_string(head.at("JournalNum").as_int64()) + ")";
    const std::string lines = "Erp.BO.GLJournalEntrySvc/GLJournalEntries" + key + "/GLJrnDtlMnls";
    ASSERT_EQ(call("POST", lines, R"({"GLAccount":"1000","TransAmt":10.25})").status, 201);
    ASSERT_EQ(call("POST", lines, R"({"GLAccount":"4000","TransAmt":-10.25})").status, 201);
    const json::object totals =
        body(call("GET", "Erp.BO.GLJournalEntrySvc/GLJournalEntries" + key));
    EXPECT_EQ(text(totals, "TotDebit"), "10.25");
    EXPECT_EQ(text(totals, "TotCredit"), "10.25");
}

TEST_F(EpicorEmulatorTest, JournalPostsOnlyBalancedAndThenKeepsItsLines) {
    ASSERT_EQ(call("POST", "Erp.BO.GLJrnGrpSvc/GLJrnGrps", R"({"GroupID":"AMZ2603"})").status, 201);
    EXPECT_EQ(call("POST", "Erp.BO.GLJournalEntrySvc/GLJournalEntries",
                   R"({"FiscalYear":2026,"FiscalPeriod":3,"GroupID":"AMZ2603","Posted":true})")
                  .status,
              400);  // Posted with no lines
    const json::object head =
        body(call("POST", "Erp.BO.GLJournalEntrySvc/GLJournalEntries",
                  R"({"FiscalYear":2026,"FiscalPeriod":3,"GroupID":"AMZ2603"})"));
    const std::string key = "Erp.BO.GLJournalEntrySvc/GLJournalEntries('EPIC06','" +
                            text(head, "BookID") + "',2026,'" + text(head, "JournalCode") + "'," +
                            std::to_string(head.at("JournalNum").as_int64()) + ")";
    ASSERT_EQ(call("POST", key + "/GLJrnDtlMnls", R"({"GLAccount":"1050","TransAmt":8.04})").status,
              201);
    ASSERT_EQ(
        call("POST", key + "/GLJrnDtlMnls", R"({"GLAccount":"4000","TransAmt":-8.00})").status,
        201);
    const HttpResponse unbalanced = call("PATCH", key, R"({"Posted":true})");
    EXPECT_EQ(unbalanced.status, 400);
    EXPECT_NE(text(body(unbalanced), "ErrorMessage").find("out of balance"), std::string::npos);
    // The missing line added: the totals follow, and the journal posts.
    ASSERT_EQ(
        call("POST", key + "/GLJrnDtlMnls", R"({"GLAccount":"4010","TransAmt":-0.04})").status,
        201);
    EXPECT_EQ(call("PATCH", key, R"({"Posted":true})").status, 204);
    EXPECT_EQ(call("POST", key + "/GLJrnDtlMnls", R"({"GLAccount":"4000","TransAmt":1})").status,
              400);  // Posted: its lines are kept
}

TEST_F(EpicorEmulatorTest, Ud01StagesRecordsByKey) {
    ASSERT_EQ(call("POST", "Ice.BO.UD01Svc/UD01s",
                   R"({"Key1":"SS-1001","Character01":"review","Number01":1.5})")
                  .status,
              201);
    const HttpResponse row = call("GET", "Ice.BO.UD01Svc/UD01s('EPIC06','SS-1001','','','','')");
    ASSERT_EQ(row.status, 200) << row.body;
    EXPECT_EQ(text(body(row), "Number01"), "1.5");
    EXPECT_EQ(call("POST", "Ice.BO.UD01Svc/UD01s", R"({"Character01":"x"})").status, 400);
}

// --- Control API and determinism --------------------------------------------------------------

TEST_F(EpicorEmulatorTest, ShippingAnOrderRecordsTrackingAndClosesIt) {
    const HttpResponse shipped =
        control("orders/ship", R"({"OrderNum":5001,"TrackingNumber":"1Z999","Weight":2.5})");
    ASSERT_EQ(shipped.status, 201) << shipped.body;
    const json::object pack = body(shipped);
    EXPECT_EQ(text(pack, "TrackingNumber"), "1Z999");
    const HttpResponse listed =
        call("GET", "Erp.BO.CustShipSvc/CustShips?$expand=CartonTrkDtls,ShipDtls&$filter=" +
                        net::url_encode("OrderNum eq 5001"));
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json::object ship = body(listed).at("value").as_array().at(0).as_object();
    EXPECT_EQ(text(ship.at("CartonTrkDtls").as_array().at(0).as_object(), "TrackingNumber"),
              "1Z999");
    EXPECT_FALSE(ship.at("ShipDtls").as_array().empty());
    const json::object order = body(call("GET", "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06',5001)"));
    EXPECT_FALSE(order.at("OpenOrder").as_bool());
    EXPECT_EQ(control("orders/ship", R"({"OrderNum":1})").status, 404);
}

TEST_F(EpicorEmulatorTest, ConnectionInfoNamesTheTenant) {
    EXPECT_EQ(info_.at("base_url").as_string(), "http://sandbox/EpicorERP");
    EXPECT_EQ(info_.at("company").as_string(), "EPIC06");
    EXPECT_EQ(info_.at("instance").as_string(), "EpicorERP");
    EXPECT_FALSE(info_.at("api_key").as_string().empty());
    EXPECT_EQ(control("nope", "{}").status, 404);
}

// --- UpdateExt: a whole tableset in one call ---------------------------------------------------

class UpdateExtTest : public EpicorEmulatorTest {
  protected:
    UpdateExtTest() {
        EXPECT_EQ(
            control("parts", R"({"PartNum":"UX-1","UnitPrice":"2.50","PartDescription":"Ux"})")
                .status,
            201);
        EXPECT_EQ(control("parts", R"({"PartNum":"UX-2","UnitPrice":"10"})").status, 201);
        EXPECT_EQ(control("parts", R"({"PartNum":"UX-OLD","InActive":true})").status, 201);
    }

    static json::object head(std::string po, std::string cust_id = "C00002") {
        return {{"OrderNum", 0},
                {"CustomerCustID", std::move(cust_id)},
                {"PONum", std::move(po)},
                {"RowMod", "A"},
                {"SysRowID", "h-1"}};
    }
    static json::object dtl(std::int64_t line, std::string part, std::string quantity,
                            std::int64_t order_num = 0, std::string mod = "A") {
        return {{"OrderNum", order_num},      {"OrderLine", line},
                {"PartNum", std::move(part)}, {"SellingQuantity", std::move(quantity)},
                {"RowMod", std::move(mod)},   {"SysRowID", "l-" + std::to_string(line)}};
    }
    HttpResponse update_ext(json::object ds, bool continue_on_error, bool rollback,
                            std::string service = "Erp.BO.SalesOrderSvc") {
        return call("POST", service + "/UpdateExt",
                    json::serialize(json::object{{"ds", std::move(ds)},
                                                 {"continueProcessingOnError", continue_on_error},
                                                 {"rollbackParentOnChildError", rollback}}));
    }
    // Orders whose PONum is `po`.
    json::array orders_with(std::string_view po) {
        const HttpResponse listed =
            call("GET", "Erp.BO.SalesOrderSvc/SalesOrders?$expand=OrderDtls&$filter=" +
                            net::url_encode("PONum eq '" + std::string(po) + "'"));
        EXPECT_EQ(listed.status, 200) << listed.body;
        return body(listed).at("value").as_array();
    }
    static const json::array& rows(const json::object& answer, std::string_view table) {
        return answer.at("parameters").at("ds").at(table).as_array();
    }
    static const json::array& errors(const json::object& answer) {
        return answer.at("returnObj").at("BOUpdError").as_array();
    }
};

TEST_F(UpdateExtTest, CreatesAnOrderWithItsLinesInOneCallWithTheBoDefaults) {
    const HttpResponse response =
        update_ext({{"OrderHed", json::array{head("UX-PO-1")}},
                    {"OrderDtl", json::array{dtl(1, "UX-1", "2"), dtl(2, "UX-2", "3")}}},
                   false, true);
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object answer = body(response);
    EXPECT_FALSE(answer.at("parameters").at("errorsOccurred").as_bool());
    EXPECT_TRUE(errors(answer).empty());
    ASSERT_EQ(rows(answer, "OrderHed").size(), 1u);
    const json::object& order = rows(answer, "OrderHed")[0].as_object();
    const std::int64_t order_num = order.at("OrderNum").as_int64();
    EXPECT_GE(order_num, 5001);
    EXPECT_EQ(order.at("CustNum").as_int64(), 2);  // From CustomerCustID, as the BO defaults it.
    EXPECT_FALSE(text(order, "ShipViaCode").empty());
    EXPECT_EQ(text(order, "DocTotalOrder"), "35");  // 2 x 2.50 + 3 x 10
    ASSERT_EQ(rows(answer, "OrderDtl").size(), 2u);
    const json::object& first = rows(answer, "OrderDtl")[0].as_object();
    EXPECT_EQ(first.at("OrderNum").as_int64(), order_num);
    EXPECT_EQ(text(first, "LineDesc"), "Ux");
    EXPECT_EQ(text(first, "RowMod"), "");
    EXPECT_EQ(rows(answer, "OrderRel").size(), 2u);  // A release per line.
    EXPECT_EQ(orders_with("UX-PO-1").size(), 1u);
}

TEST_F(UpdateExtTest, UnknownPartWithContinueProcessingIsABoUpdErrorAndTheRestIsWritten) {
    const HttpResponse response =
        update_ext({{"OrderHed", json::array{head("UX-PO-2")}},
                    {"OrderDtl", json::array{dtl(1, "UX-1", "2"), dtl(2, "NO-SUCH", "1")}}},
                   true, false);
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object answer = body(response);
    EXPECT_TRUE(answer.at("parameters").at("errorsOccurred").as_bool());
    ASSERT_EQ(errors(answer).size(), 1u);
    const json::object& failed = errors(answer)[0].as_object();
    EXPECT_EQ(text(failed, "TableName"), "OrderDtl");
    EXPECT_EQ(text(failed, "ErrorLevel"), "Error");
    EXPECT_EQ(text(failed, "ErrorText"), "Part not found.");
    EXPECT_EQ(text(failed, "ErrorSysRowID"), "l-2");
    // No rollback asked: the header and the good line stay (a half order).
    const json::array found = orders_with("UX-PO-2");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].at("OrderDtls").as_array().size(), 1u);
    EXPECT_EQ(rows(answer, "OrderDtl").size(), 1u);
}

TEST_F(UpdateExtTest, RollbackParentOnChildErrorUndoesTheWholeOrder) {
    const HttpResponse response =
        update_ext({{"OrderHed", json::array{head("UX-PO-3")}},
                    {"OrderDtl", json::array{dtl(1, "UX-1", "2"), dtl(2, "UX-OLD", "1")}}},
                   true, true);
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object answer = body(response);
    EXPECT_TRUE(answer.at("parameters").at("errorsOccurred").as_bool());
    ASSERT_EQ(errors(answer).size(), 1u);
    EXPECT_EQ(text(errors(answer)[0].as_object(), "ErrorText"), "Part UX-OLD is inactive.");
    EXPECT_TRUE(rows(answer, "OrderHed").empty());
    EXPECT_TRUE(orders_with("UX-PO-3").empty());
}

TEST_F(UpdateExtTest, WithoutContinueProcessingAnErrorAnswers400AndWritesNothing) {
    const auto create = [&](std::string po) {
        const json::object answer =
            body(update_ext({{"OrderHed", json::array{head(std::move(po))}},
                             {"OrderDtl", json::array{dtl(1, "UX-1", "1")}}},
                            false, true));
        return rows(answer, "OrderHed").at(0).at("OrderNum").as_int64();
    };
    const std::int64_t first = create("UX-PO-4A");
    const std::string before = control("state", "", "GET").body;
    const HttpResponse response =
        update_ext({{"OrderHed", json::array{head("UX-PO-4")}},
                    {"OrderDtl", json::array{dtl(1, "UX-1", "2"), dtl(2, "NO-SUCH", "1")}}},
                   false, false);
    ASSERT_EQ(response.status, 400) << response.body;
    const json::object refused = body(response);
    EXPECT_EQ(text(refused, "ErrorType"), "Ice.Common.BusinessObjectException");
    EXPECT_EQ(text(refused, "ErrorMessage"), "Part not found.");
    const json::object& detail = refused.at("ErrorDetails").as_array().at(0).as_object();
    EXPECT_EQ(text(detail, "Table"), "OrderDtl");
    EXPECT_EQ(text(detail, "Field"), "PartNum");
    EXPECT_EQ(text(detail, "Method"), "UpdateExt");
    EXPECT_TRUE(orders_with("UX-PO-4").empty());
    EXPECT_EQ(before, control("state", "", "GET").body);
    // Not even the number stays taken: the next order gets the one the refused order had.
    EXPECT_EQ(create("UX-PO-4B"), first + 1);
}

TEST_F(UpdateExtTest, RowModUUpdatesOnlyTheFieldsSentAndAddsNewLines) {
    const json::object created =
        body(update_ext({{"OrderHed", json::array{head("UX-PO-6")}},
                         {"OrderDtl", json::array{dtl(1, "UX-1", "2"), dtl(2, "UX-2", "1")}}},
                        false, true));
    const std::int64_t order_num = rows(created, "OrderHed")[0].at("OrderNum").as_int64();
    json::object changed_head{{"OrderNum", order_num}, {"OTSCity", "Austin"}, {"RowMod", "U"}};
    json::object voided = dtl(2, "UX-2", "1", order_num, "U");
    voided["VoidLine"] = true;
    voided["OpenLine"] = false;
    const HttpResponse response =
        update_ext({{"OrderHed", json::array{changed_head}},
                    {"OrderDtl", json::array{dtl(1, "UX-1", "5", order_num, "U"), voided,
                                             dtl(3, "UX-2", "4", order_num)}}},
                   false, true);
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object answer = body(response);
    EXPECT_TRUE(errors(answer).empty());
    const json::object& order = rows(answer, "OrderHed")[0].as_object();
    EXPECT_EQ(text(order, "OTSCity"), "Austin");
    EXPECT_EQ(text(order, "PONum"), "UX-PO-6");  // Not sent, kept.
    EXPECT_EQ(order.at("CustNum").as_int64(), 2);
    EXPECT_EQ(text(order, "DocTotalOrder"), "52.5");  // 5 x 2.50 + 4 x 10; line 2 void.
    const json::array& lines = rows(answer, "OrderDtl");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(text(lines[0].as_object(), "OrderQty"), "5");
    EXPECT_EQ(text(lines[0].as_object(), "LineDesc"), "Ux");
    EXPECT_TRUE(lines[1].at("VoidLine").as_bool());
    EXPECT_EQ(lines[2].at("OrderLine").as_int64(), 3);
}

TEST_F(UpdateExtTest, RefusesWhatEpicorRefusesRowByRow) {
    json::object no_quantity = dtl(1, "UX-1", "0");
    const auto first_error = [&](json::object ds) {
        const HttpResponse response = update_ext(std::move(ds), true, false);
        EXPECT_EQ(response.status, 200) << response.body;
        const json::object answer = body(response);
        EXPECT_TRUE(answer.at("parameters").at("errorsOccurred").as_bool());
        return errors(answer).empty() ? json::object{} : errors(answer)[0].as_object();
    };
    EXPECT_EQ(text(first_error({{"OrderHed", json::array{head("UX-R1", "NOBODY")}}}), "ErrorText"),
              "Customer not found.");
    json::object nameless = head("UX-R2");
    nameless.erase("CustomerCustID");
    EXPECT_EQ(text(first_error({{"OrderHed", json::array{nameless}}}), "ErrorText"),
              "Customer not found.");
    EXPECT_EQ(
        text(first_error({{"OrderDtl", json::array{dtl(1, "UX-1", "1", 999999)}}}), "ErrorText"),
        "Sales order 999999 not found.");
    EXPECT_EQ(text(first_error({{"OrderHed", json::array{head("UX-R3")}},
                                {"OrderDtl", json::array{no_quantity}}}),
                   "ErrorText"),
              "Selling quantity must be greater than zero.");
    json::object wrong_mod = head("UX-R4");
    wrong_mod["RowMod"] = "X";
    EXPECT_EQ(text(first_error({{"OrderHed", json::array{wrong_mod}}}), "TableName"), "OrderHed");
    json::object missing = dtl(1, "UX-1", "1", 5001, "U");
    missing["OrderLine"] = 999;
    EXPECT_EQ(text(first_error({{"OrderDtl", json::array{missing}}}), "ErrorText"),
              "Record not found.");
    EXPECT_EQ(orders_with("UX-R3").size(), 1u);  // Header kept: no rollback asked.
    EXPECT_TRUE(orders_with("UX-R1").empty());
    EXPECT_TRUE(orders_with("UX-R4").empty());
}

TEST_F(UpdateExtTest, MalformedBodiesAnswer400AndWriteNothing) {
    const std::string before = control("state", "", "GET").body;
    const std::string deep = std::string(200, '[') + std::string(200, ']');
    const std::vector<std::string> bodies = {
        "",
        "not json",
        "[]",
        "{}",
        deep,
        R"({"ds":{},"continueProcessingOnError":false})",
        R"({"ds":{},"continueProcessingOnError":"yes","rollbackParentOnChildError":true})",
        R"({"ds":[],"continueProcessingOnError":false,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderFoo":[]},"continueProcessingOnError":false,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderHed":{}},"continueProcessingOnError":false,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderHed":[7]},"continueProcessingOnError":false,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderHed":[{"Nope":1,"RowMod":"A"}]},"continueProcessingOnError":true,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderHed":[{"OrderNum":"x","RowMod":"A"}]},"continueProcessingOnError":true,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderHed":[{"OrderNum":1e999,"RowMod":"A"}]},"continueProcessingOnError":true,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderHed":[{"RowMod":"A","CustNum":1},{"RowMod":"A","CustNum":2}]},"continueProcessingOnError":true,"rollbackParentOnChildError":true})",
        R"({"ds":{"OrderRel":[{"OrderNum":5001}]},"continueProcessingOnError":true,"rollbackParentOnChildError":true})",
        R"({"ds":{"ShipHead":[{"RowMod":"A"}]},"continueProcessingOnError":true,"rollbackParentOnChildError":true})",
    };
    for (const std::string& sent : bodies) {
        const HttpResponse response = call("POST", "Erp.BO.SalesOrderSvc/UpdateExt", sent);
        EXPECT_EQ(response.status, 400) << sent << " -> " << response.body;
        const std::string type = text(body(response), "ErrorType");
        EXPECT_TRUE(type == "System.Runtime.Serialization.SerializationException" ||
                    type == "Ice.Common.BusinessObjectException")
            << sent << " -> " << response.body;
    }
    EXPECT_EQ(call("GET", "Erp.BO.SalesOrderSvc/UpdateExt").status, 405);
    EXPECT_EQ(call("POST", "Erp.BO.PartSvc/UpdateExt", "{}").status, 404);
    EXPECT_EQ(before, control("state", "", "GET").body);
}

TEST_F(UpdateExtTest, CustShipUpdateExtWritesThePackWithItsTrackingInOneCall) {
    json::object pack{{"PackNum", 0},    {"OrderNum", 5001},        {"TrackingNumber", "1ZUX"},
                      {"Weight", "2.5"}, {"ShipStatus", "SHIPPED"}, {"RowMod", "A"}};
    json::object carton{
        {"PackNum", 0}, {"TrackingNumber", "1ZUX"}, {"PkgWeight", "2.5"}, {"RowMod", "A"}};
    const HttpResponse response =
        update_ext({{"ShipHead", json::array{pack}}, {"CartonTrkDtl", json::array{carton}}}, false,
                   true, "Erp.BO.CustShipSvc");
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object answer = body(response);
    EXPECT_TRUE(errors(answer).empty());
    const json::object& head_row = rows(answer, "ShipHead").at(0).as_object();
    const std::int64_t pack_num = head_row.at("PackNum").as_int64();
    EXPECT_GT(pack_num, 0);
    const json::object order = body(call("GET", "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06',5001)"));
    EXPECT_EQ(head_row.at("CustNum"), order.at("CustNum"));  // Defaulted from the order.
    EXPECT_EQ(head_row.at("ShipViaCode"), order.at("ShipViaCode"));
    ASSERT_EQ(rows(answer, "CartonTrkDtl").size(), 1u);
    EXPECT_EQ(rows(answer, "CartonTrkDtl")[0].at("PackNum").as_int64(), pack_num);

    // A second carton on the stored pack: a child row of no head sent.
    carton["PackNum"] = pack_num;
    carton["TrackingNumber"] = "1ZUX2";
    const json::object more = body(
        update_ext({{"CartonTrkDtl", json::array{carton}}}, false, true, "Erp.BO.CustShipSvc"));
    EXPECT_EQ(rows(more, "CartonTrkDtl").size(), 2u);

    pack["OrderNum"] = 999999;
    const HttpResponse refused =
        update_ext({{"ShipHead", json::array{pack}}}, false, true, "Erp.BO.CustShipSvc");
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(text(body(refused), "ErrorMessage"), "Sales order 999999 not found.");
}

TEST(EpicorSeed, SameSeedGivesTheSameDataAndOtherSeedsDiffer) {
    const auto state_of = [](std::uint64_t seed) {
        ManualClock clock;
        NoOutbound outbound;
        EpicorEmulator emulator(
            {.clock = clock, .outbound = outbound, .seed = seed, .volume = 120});
        HttpRequest request;
        request.url = "/__sandbox/state";
        return emulator.control(request, "state").body +
               json::serialize(emulator.connection_info("http://x"));
    };
    const std::string first = state_of(42);
    EXPECT_EQ(first, state_of(42));
    EXPECT_NE(first, state_of(43));
    // Some customers have no e-mail and some parts are inactive, as in real data.
    EXPECT_NE(first.find("\"EMailAddress\":\"\""), std::string::npos);
    EXPECT_NE(first.find("\"InActive\":true"), std::string::npos);
}

}  // namespace
}  // namespace mlc::sandbox::epicor

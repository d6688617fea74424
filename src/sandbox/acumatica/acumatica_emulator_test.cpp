#include "sandbox/acumatica/acumatica_emulator.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::sandbox::acumatica {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using net::HttpRequest;
using net::HttpResponse;

constexpr std::string_view kApi = "/entity/Default/24.200.001/";

// Acumatica never calls out; any send is a test failure.
class NoOutbound final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest&, const net::TransportOptions&) override {
        ADD_FAILURE() << "the Acumatica emulator must not call out";
        return make_error(ErrorCode::kTransient, "no outbound");
    }
};

class AcumaticaTest : public ::testing::Test {
  protected:
    HttpResponse call(std::string method, std::string url, std::string body = {},
                      std::string cookie = {}, net::Headers headers = {}) {
        HttpRequest request{.method = std::move(method),
                            .url = std::move(url),
                            .headers = std::move(headers),
                            .body = std::move(body)};
        if (!cookie.empty()) request.headers.emplace_back("Cookie", cookie);
        return emulator_.handle(request);
    }
    HttpResponse login_response(std::string_view password = {}) {
        json::object body{
            {"name", emulator_.user_name()},
            {"password", password.empty() ? emulator_.password() : std::string(password)},
            {"tenant", emulator_.tenant()}};
        return call("POST", "/entity/auth/login", json::serialize(body));
    }
    // The Cookie header a client sends back after a login.
    std::string login() {
        const HttpResponse response = login_response();
        EXPECT_EQ(response.status, 204) << response.body;
        std::string cookie;
        for (const auto& [name, value] : response.headers) {
            if (name != "Set-Cookie") continue;
            cookie += (cookie.empty() ? "" : "; ") + value.substr(0, value.find(';'));
        }
        return cookie;
    }
    HttpResponse control(std::string method, std::string route, std::string body = {}) {
        HttpRequest request{
            .method = std::move(method), .url = "/__sandbox/" + route, .body = std::move(body)};
        return emulator_.control(request, route);
    }
    json::value state() { return json::parse(control("GET", "state").body); }
    static json::value parse(const HttpResponse& response) { return json::parse(response.body); }

    ManualClock clock_{UtcTime{std::chrono::seconds{1'717'200'000}}};  // 2024-06-01T00:00:00Z
    NoOutbound outbound_;
    AcumaticaEmulator emulator_{
        EmulatorContext{.clock = clock_, .outbound = outbound_, .seed = 7, .volume = 60}};
};

TEST_F(AcumaticaTest, LoginGivesSessionCookiesAndLogoutEndsTheSession) {
    EXPECT_EQ(call("GET", std::string(kApi) + "SalesOrder").status, 401);
    const std::string cookie = login();
    EXPECT_NE(cookie.find("ASP.NET_SessionId="), std::string::npos);
    EXPECT_NE(cookie.find(".ASPXAUTH="), std::string::npos);
    const HttpResponse list = call("GET", std::string(kApi) + "SalesOrder", {}, cookie);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(parse(list).is_array());
    EXPECT_EQ(call("POST", "/entity/auth/logout", {}, cookie).status, 204);
    EXPECT_EQ(call("GET", std::string(kApi) + "SalesOrder", {}, cookie).status, 401);
    const json::value sessions = state().at("sessions");
    EXPECT_EQ(sessions.at("opened_total").as_int64(), 1);
    EXPECT_EQ(sessions.at("closed_total").as_int64(), 1);
    EXPECT_EQ(sessions.at("open").as_int64(), 0);
}

TEST_F(AcumaticaTest, WrongPasswordIsRefused) {
    const HttpResponse response = login_response("wrong");
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(parse(response).at("exceptionMessage").as_string(),
              "Invalid credentials. Please try again.");
}

TEST_F(AcumaticaTest, LoginPastTheSessionLimitIsRefusedUntilOneLogsOut) {
    const std::string first = login();
    login();
    HttpResponse third = login_response();
    EXPECT_EQ(third.status, 500);
    EXPECT_EQ(parse(third).at("exceptionMessage").as_string(), "API Login Limit");
    ASSERT_EQ(control("POST", "limits", R"({"login_limit_status": 429})").status, 200);
    EXPECT_EQ(login_response().status, 429);
    call("POST", "/entity/auth/logout", {}, first);
    EXPECT_EQ(login_response().status, 204);
}

TEST_F(AcumaticaTest, SessionExpiresAfterTwentyIdleMinutesAndFreesItsSeat) {
    const std::string cookie = login();
    login();
    clock_.advance(19min);
    EXPECT_EQ(call("GET", std::string(kApi) + "Customer?$top=1", {}, cookie).status, 200);
    clock_.advance(20min + 1s);  // The other session has been idle 39 minutes, this one 20.
    EXPECT_EQ(call("GET", std::string(kApi) + "Customer?$top=1", {}, cookie).status, 401);
    login();
    EXPECT_EQ(login_response().status, 204);
    EXPECT_EQ(state().at("sessions").at("expired_total").as_int64(), 2);
}

TEST_F(AcumaticaTest, ServesTwoEndpointVersionsAndAnswers404ForOthers) {
    const std::string cookie = login();
    EXPECT_EQ(call("GET", "/entity/Default/25.200.001/StockItem?$top=1", {}, cookie).status, 200);
    const HttpResponse old = call("GET", "/entity/Default/23.200.001/StockItem", {}, cookie);
    EXPECT_EQ(old.status, 404);
    EXPECT_EQ(call("GET", "/entity/Manufacturing/24.200.001/StockItem", {}, cookie).status, 404);
    const json::value endpoints = parse(call("GET", "/entity"));
    ASSERT_EQ(endpoints.at("endpoints").as_array().size(), 2u);
    EXPECT_EQ(endpoints.at("endpoints").as_array()[1].at("version").as_string(), "25.200.001");
}

TEST_F(AcumaticaTest, FieldsAreValueObjectsDecimalsAreNumbersAndDetailsNeedExpand) {
    const std::string cookie = login();
    const HttpResponse plain = call("GET", std::string(kApi) + "SalesOrder/SO/000001", {}, cookie);
    ASSERT_EQ(plain.status, 200) << plain.body;
    const json::object order = parse(plain).as_object();
    EXPECT_EQ(order.at("OrderNbr").at("value").as_string(), "000001");
    EXPECT_TRUE(order.at("OrderTotal").at("value").is_number()) << plain.body;
    EXPECT_FALSE(order.contains("Details"));
    EXPECT_FALSE(order.contains("ShipToAddress"));
    EXPECT_TRUE(order.contains("id") && order.contains("_links"));
    const json::object expanded =
        parse(call("GET", std::string(kApi) + "SalesOrder/SO/000001?$expand=Details,ShipToAddress",
                   {}, cookie))
            .as_object();
    ASSERT_FALSE(expanded.at("Details").as_array().empty());
    EXPECT_TRUE(expanded.at("Details").as_array()[0].at("OrderQty").at("value").is_number());
    EXPECT_EQ(expanded.at("ShipToAddress").at("Country").at("value").as_string(), "US");
    const std::string id(order.at("id").as_string());
    EXPECT_EQ(call("GET", std::string(kApi) + "SalesOrder/" + id, {}, cookie).status, 200);
    EXPECT_EQ(call("GET", std::string(kApi) + "SalesOrder/SO/999999", {}, cookie).status, 404);
}

TEST_F(AcumaticaTest, FilterOnChangeTimestampsFollowsEachEntitysField) {
    const std::string cookie = login();
    const std::string since = format_iso8601(clock_.now() - 60min);
    const HttpResponse orders =
        call("GET",
             std::string(kApi) + "SalesOrder?$filter=" +
                 net::url_encode("LastModified gt datetimeoffset'" + since + "'"),
             {}, cookie);
    ASSERT_EQ(orders.status, 200) << orders.body;
    const json::value body = parse(orders);
    const json::array& rows = body.as_array();
    ASSERT_FALSE(rows.empty());
    EXPECT_LT(rows.size(), 60u);
    for (const json::value& row : rows) {
        EXPECT_GT(*parse_iso8601(row.at("LastModified").at("value").as_string()),
                  clock_.now() - 60min);
    }
    // SalesOrder has no LastModifiedDateTime; Customer and Shipment do.
    EXPECT_EQ(call("GET",
                   std::string(kApi) + "SalesOrder?$filter=" +
                       net::url_encode("LastModifiedDateTime gt datetimeoffset'" + since + "'"),
                   {}, cookie)
                  .status,
              400);
    EXPECT_EQ(call("GET",
                   std::string(kApi) + "Customer?$filter=" +
                       net::url_encode("LastModifiedDateTime gt datetimeoffset'" + since + "'"),
                   {}, cookie)
                  .status,
              200);
    const HttpResponse open = call("GET",
                                   std::string(kApi) + "SalesOrder?$filter=" +
                                       net::url_encode("Status eq 'Open' and Hold eq false"),
                                   {}, cookie);
    const json::value open_rows = parse(open);
    for (const json::value& row : open_rows.as_array())
        EXPECT_EQ(row.at("Status").at("value").as_string(), "Open");
    EXPECT_EQ(
        call("GET", std::string(kApi) + "SalesOrder?$filter=" + net::url_encode("Status eq 'Open"),
             {}, cookie)
            .status,
        400);
}

TEST_F(AcumaticaTest, TopSkipPageAndSelectTrimsFields) {
    const std::string cookie = login();
    const auto first =
        parse(call("GET", std::string(kApi) + "SalesOrder?$top=5", {}, cookie)).as_array();
    const auto second =
        parse(call("GET", std::string(kApi) + "SalesOrder?$top=5&$skip=5", {}, cookie)).as_array();
    ASSERT_EQ(first.size(), 5u);
    ASSERT_EQ(second.size(), 5u);
    EXPECT_NE(first[0].at("OrderNbr"), second[0].at("OrderNbr"));
    EXPECT_EQ(second[0].at("OrderNbr").at("value").as_string(), "000006");
    EXPECT_EQ(call("GET", std::string(kApi) + "SalesOrder?$top=-1", {}, cookie).status, 400);
    const auto selected =
        parse(call("GET", std::string(kApi) + "SalesOrder?$top=1&$select=OrderNbr,Status", {},
                   cookie))
            .as_array();
    const json::object& row = selected[0].as_object();
    EXPECT_TRUE(row.contains("OrderNbr") && row.contains("Status"));
    EXPECT_FALSE(row.contains("CustomerID"));
    EXPECT_EQ(call("GET", std::string(kApi) + "SalesOrder?$select=Nope", {}, cookie).status, 400);
}

constexpr std::string_view kNewOrder =
    R"({"OrderType": {"value": "SO"}, "CustomerID": {"value": "C000001"},
    "Details": [{"InventoryID": {"value": "ITEM-0001"}, "OrderQty": {"value": 2}, "UnitPrice": {"value": 10.25}}]})";

TEST_F(AcumaticaTest, PutInsertsThenUpdatesByKeyFields) {
    const std::string cookie = login();
    clock_.advance(5min);
    const HttpResponse created =
        call("PUT", std::string(kApi) + "SalesOrder", std::string(kNewOrder), cookie);
    ASSERT_EQ(created.status, 200) << created.body;
    const json::object order = parse(created).as_object();
    const std::string nbr(order.at("OrderNbr").at("value").as_string());
    EXPECT_EQ(order.at("Status").at("value").as_string(), "Open");
    EXPECT_NE(created.body.find("\"OrderTotal\":{\"value\":20.5}"), std::string::npos)
        << created.body;
    EXPECT_EQ(*parse_iso8601(order.at("LastModified").at("value").as_string()), clock_.now());
    clock_.advance(1min);
    const std::string update = R"({"OrderType": {"value": "SO"}, "OrderNbr": {"value": ")" + nbr +
                               R"("}, "Description": {"value": "rush"}})";
    const HttpResponse updated = call("PUT", std::string(kApi) + "SalesOrder", update, cookie);
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(parse(updated).at("OrderNbr").at("value").as_string(), nbr);
    EXPECT_EQ(parse(updated).at("Description").at("value").as_string(), "rush");
    EXPECT_EQ(*parse_iso8601(parse(updated).at("LastModified").at("value").as_string()),
              clock_.now());
    EXPECT_EQ(parse(call("GET", std::string(kApi) + "SalesOrder/SO/" + nbr + "?$expand=Details", {},
                         cookie))
                  .at("Details")
                  .as_array()
                  .size(),
              1u);
}

TEST_F(AcumaticaTest, PutAnswers422WithAnErrorOnEachBadField) {
    const std::string cookie = login();
    const std::string bad = R"({"OrderType": {"value": "SO"}, "CustomerID": {"value": "NOBODY"},
        "Details": [{"InventoryID": {"value": "ITEM-0001"}}]})";
    const HttpResponse response = call("PUT", std::string(kApi) + "SalesOrder", bad, cookie);
    ASSERT_EQ(response.status, 422) << response.body;
    EXPECT_EQ(parse(response).at("CustomerID").at("error").as_string(),
              "'Customer ID' cannot be found in the system.");
    const std::string bad_item =
        R"({"OrderType": {"value": "SO"}, "CustomerID": {"value": "C000001"},
        "Details": [{"InventoryID": {"value": "ITEM-0001"}}, {"InventoryID": {"value": "NOPE"}}]})";
    const HttpResponse item = call("PUT", std::string(kApi) + "SalesOrder", bad_item, cookie);
    ASSERT_EQ(item.status, 422) << item.body;
    EXPECT_TRUE(
        parse(item).at("Details").as_array()[1].at("InventoryID").as_object().contains("error"));
    EXPECT_FALSE(
        parse(item).at("Details").as_array()[0].at("InventoryID").as_object().contains("error"));
    const HttpResponse wrong_type =
        call("PUT", std::string(kApi) + "StockItem",
             R"({"InventoryID": {"value": "X1"}, "DefaultPrice": {"value": "cheap"}})", cookie);
    ASSERT_EQ(wrong_type.status, 422);
    EXPECT_TRUE(parse(wrong_type).at("DefaultPrice").as_object().contains("error"));
    // A flat value is not a field: the request is refused whole.
    EXPECT_EQ(
        call("PUT", std::string(kApi) + "Customer", R"({"CustomerID": "C000001"})", cookie).status,
        400);
    EXPECT_EQ(state().at("SalesOrder").as_array().size(), 60u);  // Nothing was written.
}

TEST_F(AcumaticaTest, InsertOnlyAndUpdateOnlyPreconditionsAnswer412) {
    const std::string cookie = login();
    const std::string existing =
        R"({"CustomerID": {"value": "C000001"}, "CustomerName": {"value": "Renamed"}})";
    EXPECT_EQ(
        call("PUT", std::string(kApi) + "Customer", existing, cookie, {{"If-None-Match", "*"}})
            .status,
        412);
    const std::string fresh =
        R"({"CustomerID": {"value": "NEW01"}, "CustomerName": {"value": "New"}})";
    EXPECT_EQ(
        call("PUT", std::string(kApi) + "Customer", fresh, cookie, {{"If-Match", "*"}}).status,
        412);
    EXPECT_EQ(
        call("PUT", std::string(kApi) + "Customer", fresh, cookie, {{"If-None-Match", "*"}}).status,
        200);
    EXPECT_EQ(
        call("PUT", std::string(kApi) + "Customer", existing, cookie, {{"If-Match", "*"}}).status,
        200);
}

// Polls a 202's Location until it stops answering 202, advancing the clock a second each time.
HttpResponse poll(AcumaticaTest* test, const HttpResponse& accepted,
                  const std::function<HttpResponse(std::string)>& get, ManualClock& clock) {
    (void)test;
    const std::string location(*net::find_header(accepted.headers, "Location"));
    HttpResponse status = get(location.substr(location.find("/entity/")));
    for (int i = 0; i < 5 && status.status == 202; ++i) {
        clock.advance(1s);
        status = get(location.substr(location.find("/entity/")));
    }
    return status;
}

TEST_F(AcumaticaTest, ShipmentIsCreatedPackedAndConfirmedThroughActions) {
    const std::string cookie = login();
    const json::object order =
        parse(call("PUT", std::string(kApi) + "SalesOrder", std::string(kNewOrder), cookie))
            .as_object();
    const std::string nbr(order.at("OrderNbr").at("value").as_string());
    const auto get = [&](std::string url) { return call("GET", std::move(url), {}, cookie); };
    const HttpResponse accepted =
        call("POST", std::string(kApi) + "SalesOrder/SalesOrderCreateShipment",
             R"({"entity": {"OrderType": {"value": "SO"}, "OrderNbr": {"value": ")" + nbr +
                 R"("}}, "parameters": {}})",
             cookie);
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    const std::string location(*net::find_header(accepted.headers, "Location"));
    EXPECT_NE(location.find("/SalesOrder/SalesOrderCreateShipment/status/"), std::string::npos);
    EXPECT_EQ(get(location.substr(location.find("/entity/"))).status, 202);  // Still running.
    EXPECT_EQ(poll(this, accepted, get, clock_).status, 204);
    const json::object shipped =
        parse(get(std::string(kApi) + "SalesOrder/SO/" + nbr + "?$expand=Shipments")).as_object();
    EXPECT_EQ(shipped.at("Status").at("value").as_string(), "Shipping");
    const std::string shipment(
        shipped.at("Shipments").as_array()[0].at("ShipmentNbr").at("value").as_string());
    const std::string pack =
        R"({"ShipmentNbr": {"value": ")" + shipment +
        R"("}, "Packages": [{"BoxID": {"value": "LARGE"}, "TrackingNbr": {"value": "1Z123"}, "Weight": {"value": 1.5}}]})";
    ASSERT_EQ(call("PUT", std::string(kApi) + "Shipment", pack, cookie).status, 200);
    const HttpResponse confirm =
        call("POST", std::string(kApi) + "Shipment/ConfirmShipment",
             R"({"entity": {"ShipmentNbr": {"value": ")" + shipment + R"("}}})", cookie);
    ASSERT_EQ(confirm.status, 202) << confirm.body;
    EXPECT_EQ(
        parse(get(std::string(kApi) + "Shipment/" + shipment)).at("Status").at("value").as_string(),
        "Open");
    EXPECT_EQ(poll(this, confirm, get, clock_).status, 204);
    const json::object done =
        parse(get(std::string(kApi) + "Shipment/" + shipment + "?$expand=Packages")).as_object();
    EXPECT_EQ(done.at("Status").at("value").as_string(), "Confirmed");
    EXPECT_EQ(done.at("Packages").as_array()[0].at("TrackingNbr").at("value").as_string(), "1Z123");
    EXPECT_EQ(
        parse(get(std::string(kApi) + "SalesOrder/SO/" + nbr)).at("Status").at("value").as_string(),
        "Completed");
    // A confirmed shipment is locked: confirming again is refused, and so is a change.
    EXPECT_EQ(call("POST", std::string(kApi) + "Shipment/ConfirmShipment",
                   R"({"entity": {"ShipmentNbr": {"value": ")" + shipment + R"("}}})", cookie)
                  .status,
              422);
    EXPECT_EQ(call("PUT", std::string(kApi) + "Shipment", pack, cookie).status, 422);
}

TEST_F(AcumaticaTest, RequestLimitDelaysThenDeclinesPastTwentyWaiting) {
    ASSERT_EQ(control("POST", "limits", R"({"requests_per_minute": 10})").status, 200);
    const std::string cookie = login();  // The login is the first request of the minute.
    int delayed = 0, declined = 0;
    for (int i = 0; i < 40; ++i) {
        const HttpResponse response =
            call("GET", std::string(kApi) + "StockItem?$top=1", {}, cookie);
        if (response.status == 429) ++declined;
        if (response.status == 200 &&
            net::find_header(response.headers, AcumaticaEmulator::kDelayHeader))
            ++delayed;
    }
    EXPECT_EQ(delayed, 20);
    EXPECT_EQ(declined, 40 - 4 - 20);  // 4 undelayed after the login, 20 waiting, the rest refused.
    clock_.advance(2min);              // Every wait is over.
    EXPECT_EQ(call("GET", std::string(kApi) + "StockItem?$top=1", {}, cookie).status, 200);
    EXPECT_EQ(call("POST", "/entity/auth/logout", {}, cookie).status, 204);  // Never queued.
}

TEST_F(AcumaticaTest, ControlShipsAnOrderWithATrackingNumberAsAWarehouseUser) {
    const HttpResponse order = control(
        "POST", "orders",
        R"({"CustomerID": "C000002", "lines": [{"InventoryID": "ITEM-0002", "OrderQty": 3}]})");
    ASSERT_EQ(order.status, 200) << order.body;
    const std::string nbr(parse(order).at("OrderNbr").at("value").as_string());
    const HttpResponse shipped =
        control("POST", "shipments",
                R"({"OrderNbr": ")" + nbr +
                    R"(", "TrackingNbr": "9400111", "ShipVia": "USPSPRIORITY", "Weight": "0.75"})");
    ASSERT_EQ(shipped.status, 200) << shipped.body;
    EXPECT_EQ(parse(shipped).at("Status").at("value").as_string(), "Confirmed");
    EXPECT_EQ(parse(shipped).at("Packages").as_array()[0].at("TrackingNbr").at("value").as_string(),
              "9400111");
    const std::string cookie = login();
    EXPECT_EQ(parse(call("GET", std::string(kApi) + "SalesOrder/SO/" + nbr, {}, cookie))
                  .at("Status")
                  .at("value")
                  .as_string(),
              "Completed");
    EXPECT_EQ(control("POST", "shipments", R"({"OrderNbr": ")" + nbr + R"(", "TrackingNbr": "x"})")
                  .status,
              422);
}

TEST_F(AcumaticaTest, SeedIsDeterministicAndInThePastOfTheClock) {
    ManualClock other_clock{clock_.now()};
    AcumaticaEmulator twin{
        EmulatorContext{.clock = other_clock, .outbound = outbound_, .seed = 7, .volume = 60}};
    const HttpRequest request{.method = "GET", .url = "/__sandbox/state"};
    EXPECT_EQ(twin.control(request, "state").body, control("GET", "state").body);
    const json::value all = state();
    bool completed_with_tracking = false;
    for (const json::value& order : all.at("SalesOrder").as_array()) {
        EXPECT_LE(*parse_iso8601(order.at("LastModified").at("value").as_string()), clock_.now());
    }
    for (const json::value& shipment : all.at("Shipment").as_array()) {
        const auto& packages = shipment.at("Packages").as_array();
        completed_with_tracking =
            completed_with_tracking ||
            (!packages.empty() && packages[0].at("TrackingNbr").at("value").as_string().size() > 0);
    }
    EXPECT_TRUE(completed_with_tracking) << all.at("Shipment").as_array().size();
}

}  // namespace
}  // namespace mlc::sandbox::acumatica

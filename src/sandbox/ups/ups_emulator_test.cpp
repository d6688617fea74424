#include "sandbox/ups/ups_emulator.hpp"

#include <gtest/gtest.h>

#include <set>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "common/time.hpp"
#include "sandbox/ups/ups_tracking_number.hpp"

namespace mlc::sandbox::ups {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class CapturingTransport final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions&) override {
        requests.push_back(request);
        return net::HttpResponse{};
    }
    std::vector<net::HttpRequest> requests;
};

std::string header(const net::HttpRequest& request, std::string_view name) {
    return std::string(net::find_header(request.headers, name).value_or(""));
}

class UpsTest : public ::testing::Test {
  protected:
    UpsTest()
        : clock_(*parse_iso8601("2024-03-04T15:00:00Z")),
          ups_(EmulatorContext{.clock = clock_, .outbound = receiver_, .seed = 7, .volume = 50}) {}

    net::HttpResponse token_response(std::string basic, std::string body,
                                     std::string merchant = {}) {
        net::HttpRequest request{.method = "POST", .url = "/security/v1/oauth/token"};
        request.body = std::move(body);
        request.headers = {{"Authorization", "Basic " + base64_encode(basic)},
                           {"Content-Type", "application/x-www-form-urlencoded"}};
        if (!merchant.empty()) request.headers.emplace_back("x-merchant-id", merchant);
        return ups_.handle(request);
    }
    std::string credentials() { return ups_.client_id() + ":" + ups_.client_secret(); }
    std::string new_token() {
        const auto response = token_response(credentials(), "grant_type=client_credentials");
        EXPECT_EQ(response.status, 200) << response.body;
        return std::string(json::parse(response.body).at("access_token").as_string());
    }
    net::HttpResponse api(std::string method, std::string url, const json::value& body = nullptr,
                          std::string token = {}) {
        // A fresh token once the last one is an hour old (the clock moves in these tests).
        if (token.empty() && (token_.empty() || clock_.now() - token_time_ >= 1h)) {
            token_ = new_token();
            token_time_ = clock_.now();
        }
        if (token.empty()) token = token_;
        net::HttpRequest request{.method = std::move(method), .url = std::move(url)};
        if (!body.is_null()) request.body = json::serialize(body);
        request.headers = {{"Authorization", "Bearer " + token},
                           {"transId", "t" + std::to_string(++trans_)},
                           {"transactionSrc", "mlc-test"}};
        return ups_.handle(request);
    }
    json::value ok(const net::HttpResponse& response) {
        EXPECT_EQ(response.status, 200) << response.body;
        return json::parse(response.body);
    }
    static std::string error_code(const net::HttpResponse& response) {
        const auto body = json::parse(response.body);
        return std::string(body.at("response").at("errors").at(0).at("code").as_string());
    }
    json::value control(std::string method, std::string route, const json::value& body = nullptr) {
        net::HttpRequest request{.method = std::move(method)};
        if (!body.is_null()) request.body = json::serialize(body);
        return ok(ups_.control(request, route));
    }
    json::value validate(int option, json::object address) {
        address["CountryCode"] = address.contains("CountryCode") ? address["CountryCode"] : "US";
        return ok(api("POST", "/api/addressvalidation/v2/" + std::to_string(option),
                      json::object{{"XAVRequest", json::object{{"AddressKeyFormat", address}}}}));
    }
    json::object ship_request(json::value package, std::string format = "GIF") {
        const json::object address{{"AddressLine", json::array{"100 MAIN ST"}},
                                   {"City", "LOS ANGELES"},
                                   {"StateProvinceCode", "CA"},
                                   {"PostalCode", "90012"},
                                   {"CountryCode", "US"}};
        json::object shipper{{"Name", "Distributor"},
                             {"ShipperNumber", ups_.shipper_number()},
                             {"Address", json::object{{"AddressLine", json::array{"2311 York Rd"}},
                                                      {"City", "Timonium"},
                                                      {"StateProvinceCode", "MD"},
                                                      {"PostalCode", "21093"},
                                                      {"CountryCode", "US"}}}};
        json::object label{{"LabelImageFormat", json::object{{"Code", format}}}};
        if (format != "GIF")
            label["LabelStockSize"] = json::object{{"Height", "6"}, {"Width", "4"}};
        return {{"ShipmentRequest",
                 json::object{
                     {"Request", json::object{{"RequestOption", "nonvalidate"},
                                              {"TransactionReference",
                                               json::object{{"CustomerContext", "SO-1001"}}}}},
                     {"Shipment",
                      json::object{
                          {"Shipper", shipper},
                          {"ShipTo", json::object{{"Name", "Happy Dog"}, {"Address", address}}},
                          {"PaymentInformation",
                           json::object{{"ShipmentCharge",
                                         json::object{{"Type", "01"},
                                                      {"BillShipper",
                                                       json::object{{"AccountNumber",
                                                                     ups_.shipper_number()}}}}}}},
                          {"Service", json::object{{"Code", "03"}}},
                          {"Package", std::move(package)}}},
                     {"LabelSpecification", label}}}};
    }
    static json::object package(std::string weight, std::string reference = {}) {
        json::object out{
            {"Packaging", json::object{{"Code", "02"}}},
            {"PackageWeight", json::object{{"UnitOfMeasurement", json::object{{"Code", "LBS"}}},
                                           {"Weight", std::move(weight)}}}};
        if (!reference.empty()) {
            out["ReferenceNumber"] = json::array{json::object{{"Value", std::move(reference)}}};
        }
        return out;
    }
    json::object ship(json::value packages, std::string format = "GIF") {
        const auto body = ok(api("POST", "/api/shipments/v2409/ship",
                                 ship_request(std::move(packages), std::move(format))));
        return body.at("ShipmentResponse").at("ShipmentResults").as_object();
    }
    json::value track(const std::string& number) {
        return ok(api("GET", "/api/track/v1/details/" + number));
    }
    static std::string current_code(const json::value& tracked) {
        return std::string(tracked.at("trackResponse")
                               .at("shipment")
                               .at(0)
                               .at("package")
                               .at(0)
                               .at("currentStatus")
                               .at("code")
                               .as_string());
    }

    ManualClock clock_;
    CapturingTransport receiver_;
    UpsEmulator ups_;
    std::string token_;
    UtcTime token_time_{};
    int trans_ = 0;
};

// ---- OAuth -------------------------------------------------------------------------------------

TEST_F(UpsTest, TokenAnswerHasEveryFieldAsAString) {
    const auto response = token_response(credentials(), "grant_type=client_credentials");
    const auto body = ok(response);
    for (const auto& [key, value] : body.as_object()) EXPECT_TRUE(value.is_string()) << key;
    EXPECT_EQ(body.at("expires_in"), "14399");
    EXPECT_EQ(body.at("token_type"), "Bearer");
    EXPECT_EQ(body.at("issued_at"), "1709564400000");  // Milliseconds of the emulator's clock
    EXPECT_TRUE(net::find_header(response.headers, "X-RateLimit-Limit") == std::nullopt);
}

TEST_F(UpsTest, TokenRefusesWrongSecretAndMissingGrantTypeInUpsShape) {
    const auto wrong = token_response(ups_.client_id() + ":nope", "grant_type=client_credentials");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(error_code(wrong), "10401");
    const auto no_grant = token_response(credentials(), "");
    EXPECT_EQ(no_grant.status, 400);
    EXPECT_FALSE(error_code(no_grant).empty());
}

TEST_F(UpsTest, MerchantIdMustBeOneOfTheAccounts) {
    EXPECT_EQ(
        token_response(credentials(), "grant_type=client_credentials", ups_.second_shipper_number())
            .status,
        200);
    EXPECT_EQ(token_response(credentials(), "grant_type=client_credentials", "999999").status, 403);
}

TEST_F(UpsTest, ConfiguredLifetimeIsReportedAndExpiredTokensAre401) {
    control("POST", "config", json::object{{"token_lifetime_seconds", 60}});
    const auto body = ok(token_response(credentials(), "grant_type=client_credentials"));
    EXPECT_EQ(body.at("expires_in"), "60");
    const std::string token(body.at("access_token").as_string());
    EXPECT_EQ(api("GET", "/api/track/v1/details/1Z023E2X0214323462", nullptr, token).status, 200);
    clock_.advance(60s);
    const auto expired = api("GET", "/api/track/v1/details/1Z023E2X0214323462", nullptr, token);
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(error_code(expired), "251004");
}

TEST_F(UpsTest, RevokedTokensAndMissingTokensAre401) {
    const std::string token = new_token();
    control("POST", "tokens/revoke", json::object{{"access_token", token}});
    const auto revoked = api("GET", "/api/track/v1/details/1Z023E2X0214323462", nullptr, token);
    EXPECT_EQ(revoked.status, 401);
    EXPECT_EQ(error_code(revoked), "250002");
    net::HttpRequest anonymous{.url = "/api/track/v1/details/1Z023E2X0214323462"};
    EXPECT_EQ(error_code(ups_.handle(anonymous)), "UJ0001");
}

TEST_F(UpsTest, DailyTokenCapAnswers429InUpsShapeUntilTheNextDay) {
    control("POST", "config", json::object{{"daily_token_cap", 3}});
    for (int i = 0; i < 3; ++i) new_token();
    const auto capped = token_response(credentials(), "grant_type=client_credentials");
    EXPECT_EQ(capped.status, 429);
    EXPECT_EQ(error_code(capped), "10429");
    clock_.advance(9h);  // 2024-03-05T00:00Z: a new day
    EXPECT_EQ(token_response(credentials(), "grant_type=client_credentials").status, 200);
}

TEST_F(UpsTest, ThrottleAnswers10429WithoutRateHeaders) {
    api("GET", "/api/track/v1/details/1Z023E2X0214323462");  // Holds a token before the throttle
    control("POST", "throttle", json::object{{"count", 1}});
    const auto limited = api("GET", "/api/track/v1/details/1Z023E2X0214323462");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(error_code(limited), "10429");
    EXPECT_EQ(net::find_header(limited.headers, "Retry-After"), std::nullopt);
    EXPECT_EQ(api("GET", "/api/track/v1/details/1Z023E2X0214323462").status, 200);
}

// ---- Address Validation ------------------------------------------------------------------------

TEST_F(UpsTest, KnownAddressIsValidAndStandardised) {
    const auto body = validate(3, {{"AddressLine", json::array{"100 main street"}},
                                   {"PoliticalDivision2", "los angeles"},
                                   {"PoliticalDivision1", "CA"},
                                   {"PostcodePrimaryLow", "90012"}});
    const auto& xav = body.at("XAVResponse").as_object();
    EXPECT_EQ(xav.at("ValidAddressIndicator"), "");
    EXPECT_FALSE(xav.contains("AmbiguousAddressIndicator"));
    EXPECT_EQ(xav.at("AddressClassification").at("Description"), "Commercial");
    const auto& key = xav.at("Candidate").at(0).at("AddressKeyFormat");
    EXPECT_EQ(key.at("AddressLine").at(0), "100 MAIN ST");
    EXPECT_EQ(key.at("PostcodeExtendedLow"), "3308");
}

TEST_F(UpsTest, StreetWithTwinsAndNoDirectionalIsAmbiguousWithCandidates) {
    const auto body = validate(
        1, {{"AddressLine", json::array{"200 Oak Avenue"}}, {"PostcodePrimaryLow", "10001"}});
    const auto& xav = body.at("XAVResponse").as_object();
    EXPECT_EQ(xav.at("AmbiguousAddressIndicator"), "");
    ASSERT_EQ(xav.at("Candidate").as_array().size(), 2u);
    EXPECT_EQ(xav.at("Candidate").at(0).at("AddressKeyFormat").at("AddressLine").at(0),
              "200 N OAK AVE");
    EXPECT_FALSE(xav.contains("AddressClassification"));  // Option 1: no classification
}

TEST_F(UpsTest, UnknownStreetHasNoCandidatesAndPuertoRicoIsCovered) {
    const auto none = validate(
        3, {{"AddressLine", json::array{"9 NOWHERE RD"}}, {"PostcodePrimaryLow", "90012"}});
    EXPECT_EQ(none.at("XAVResponse").at("NoCandidatesIndicator"), "");
    EXPECT_EQ(none.at("XAVResponse").at("AddressClassification").at("Code"), "0");
    const auto pr = validate(3, {{"AddressLine", json::array{"55 Calle Sol"}},
                                 {"PostcodePrimaryLow", "00901"},
                                 {"CountryCode", "PR"}});
    EXPECT_EQ(pr.at("XAVResponse").at("ValidAddressIndicator"), "");
    EXPECT_EQ(pr.at("XAVResponse").at("AddressClassification").at("Description"), "Residential");
}

TEST_F(UpsTest, AddressesOutsideUsAndPuertoRicoAreRefused) {
    const auto response =
        api("POST", "/api/addressvalidation/v2/1",
            json::object{
                {"XAVRequest", json::object{{"AddressKeyFormat",
                                             json::object{{"AddressLine", json::array{"1 Main St"}},
                                                          {"CountryCode", "CA"}}}}}});
    EXPECT_EQ(response.status, 400);
    EXPECT_FALSE(error_code(response).empty());
}

// ---- Shipping ----------------------------------------------------------------------------------

TEST_F(UpsTest, ShipAcceptsOnePackageObjectAndAnswersPackageResultsAsAnArray) {
    const auto results = ship(package("5.2", "SO-1001"));
    const auto& packages = results.at("PackageResults").as_array();
    ASSERT_EQ(packages.size(), 1u);
    const std::string tracking(packages[0].at("TrackingNumber").as_string());
    EXPECT_TRUE(is_valid_tracking_number(tracking)) << tracking;
    EXPECT_EQ(tracking.substr(2, 6), ups_.shipper_number());
    EXPECT_EQ(results.at("ShipmentIdentificationNumber").as_string(), tracking);
    EXPECT_EQ(results.at("BillingWeight").at("Weight"), "6.0");
    // Ground: 9.50 + 1.10 x 6 billable pounds.
    EXPECT_EQ(results.at("ShipmentCharges").at("TotalCharges").at("MonetaryValue"), "16.10");
    const auto image =
        base64_decode(packages[0].at("ShippingLabel").at("GraphicImage").as_string().c_str());
    ASSERT_TRUE(image.has_value());
    EXPECT_TRUE(image->starts_with("GIF89a"));
}

TEST_F(UpsTest, ShipAcceptsPackageArraysAndAnswersZplWhenAsked) {
    const auto results = ship(json::array{package("1"), package("2")}, "ZPL");
    const auto& packages = results.at("PackageResults").as_array();
    ASSERT_EQ(packages.size(), 2u);
    EXPECT_NE(packages[0].at("TrackingNumber"), packages[1].at("TrackingNumber"));
    const auto zpl =
        base64_decode(packages[1].at("ShippingLabel").at("GraphicImage").as_string().c_str());
    ASSERT_TRUE(zpl.has_value());
    EXPECT_TRUE(zpl->starts_with("^XA"));
    EXPECT_NE(zpl->find(packages[1].at("TrackingNumber").as_string().c_str()), std::string::npos);
}

TEST_F(UpsTest, ShipRefusesWhatUpsRefuses) {
    auto no_weight = package("5");
    no_weight.erase("PackageWeight");
    auto kilograms = package("5");
    kilograms["PackageWeight"].as_object()["UnitOfMeasurement"] = json::object{{"Code", "KGS"}};
    auto domestic_shipment_ref = ship_request(package("5"));
    domestic_shipment_ref["ShipmentRequest"]
        .as_object()["Shipment"]
        .as_object()["ReferenceNumber"] = json::array{json::object{{"Value", "SO-1"}}};
    auto zpl_without_stock = ship_request(package("5"), "ZPL");
    zpl_without_stock["ShipmentRequest"].as_object()["LabelSpecification"].as_object().erase(
        "LabelStockSize");
    for (const auto& body :
         {ship_request(no_weight), ship_request(kilograms), ship_request(package("151")),
          domestic_shipment_ref, zpl_without_stock}) {
        const auto response = api("POST", "/api/shipments/v2409/ship", body);
        EXPECT_EQ(response.status, 400) << json::serialize(body);
        EXPECT_FALSE(error_code(response).empty());
    }
}

TEST_F(UpsTest, LegacyVersionAnswersOnePackageResultAsAnObject) {
    const auto body = ok(api("POST", "/api/shipments/v2205/ship", ship_request(package("3"))));
    EXPECT_TRUE(body.at("ShipmentResponse").at("ShipmentResults").at("PackageResults").is_object());
}

TEST_F(UpsTest, VoidWorksBeforePickupOnly) {
    const std::string first(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    const auto voided = ok(api("DELETE", "/api/shipments/v2409/void/cancel/" + first));
    EXPECT_EQ(voided.at("VoidShipmentResponse").at("SummaryResult").at("Status").at("Code"), "1");
    EXPECT_EQ(api("DELETE", "/api/shipments/v2409/void/cancel/" + first).status, 400);
    const std::string second(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    clock_.advance(9h);  // Origin scan at label + 8 h
    EXPECT_EQ(api("DELETE", "/api/shipments/v2409/void/cancel/" + second).status, 400);
}

// ---- Label Recovery ----------------------------------------------------------------------------

// UPS's standard example (Shipping.yaml): TrackingNumber, a LabelSpecification, no ReferenceValues.
json::object recovery_request(const std::string& number, std::string format) {
    json::object spec{{"LabelImageFormat", json::object{{"Code", format}}}};
    if (format != "GIF" && format != "PDF") {
        spec["LabelStockSize"] = json::object{{"Height", "6"}, {"Width", "4"}};
    }
    return {{"LabelRecoveryRequest", json::object{{"Request", json::object{{"SubVersion", "1903"}}},
                                                  {"LabelSpecification", std::move(spec)},
                                                  {"TrackingNumber", number}}}};
}

std::string image_of(const json::value& answer) {
    const auto& image =
        answer.at("LabelRecoveryResponse").at("LabelResults").at(0).at("LabelImage");
    return std::string(image.at("GraphicImage").as_string());
}

TEST_F(UpsTest, LabelRecoveryAnswersThePackagesLabelAsShippedInTheFormatAsked) {
    const auto shipped = ship(json::array{package("1", "SO-7"), package("2", "SO-7")}, "ZPL");
    const auto& results = shipped.at("PackageResults").as_array();
    const std::string second(results[1].at("TrackingNumber").as_string());
    const auto zpl = ok(api("POST", "/api/labels/v1/recovery", recovery_request(second, "ZPL")));
    const auto& answer = zpl.at("LabelRecoveryResponse");
    EXPECT_EQ(answer.at("Response").at("ResponseStatus").at("Code"), "1");
    EXPECT_EQ(answer.at("ShipmentIdentificationNumber"),
              shipped.at("ShipmentIdentificationNumber"));
    ASSERT_EQ(answer.at("LabelResults").as_array().size(), 1u);
    EXPECT_EQ(std::string(answer.at("LabelResults").at(0).at("TrackingNumber").as_string()),
              second);
    EXPECT_EQ(image_of(zpl), results[1].at("ShippingLabel").at("GraphicImage").as_string())
        << "the very label made at ship time";
    const auto gif = ok(api("POST", "/api/labels/v1/recovery", recovery_request(second, "GIF")));
    EXPECT_TRUE(base64_decode(image_of(gif)).value().starts_with("GIF89a"));
    const auto& gif_image =
        gif.at("LabelRecoveryResponse").at("LabelResults").at(0).at("LabelImage");
    EXPECT_NE(base64_decode(gif_image.at("HTMLImage").as_string().c_str()).value().find(second),
              std::string::npos);
    const auto pdf = base64_decode(
        image_of(ok(api("POST", "/api/labels/v1903/recovery", recovery_request(second, "PDF")))));
    ASSERT_TRUE(pdf.has_value());
    EXPECT_TRUE(pdf->starts_with("%PDF-1.4"));
    EXPECT_TRUE(pdf->ends_with("%%EOF\n"));
    EXPECT_NE(pdf->find(second), std::string::npos);
    const auto epl = base64_decode(
        image_of(ok(api("POST", "/api/labels/v1/recovery", recovery_request(second, "EPL")))));
    EXPECT_NE(epl.value().find(second), std::string::npos);
}

TEST_F(UpsTest, LabelRecoveryRefusesWhatUpsRefusesInItsErrorShape) {
    const std::string shipped(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    const std::string voided(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    ok(api("DELETE", "/api/shipments/v2409/void/cancel/" + voided));
    const std::string stranger = make_tracking_number("A1B2C3", "03", 4242);
    auto no_number = recovery_request(shipped, "GIF");
    no_number["LabelRecoveryRequest"].as_object().erase("TrackingNumber");
    auto by_reference = no_number;
    by_reference["LabelRecoveryRequest"].as_object()["ReferenceValues"] = json::object{
        {"ReferenceNumber", json::object{{"Value", "SO-1"}}}, {"ShipperNumber", "A1B2C3"}};
    auto no_stock = recovery_request(shipped, "ZPL");
    no_stock["LabelRecoveryRequest"].as_object()["LabelSpecification"].as_object().erase(
        "LabelStockSize");
    auto both_languages = recovery_request(shipped, "GIF");
    both_languages["LabelRecoveryRequest"].as_object()["Locale"] = "en_US";
    both_languages["LabelRecoveryRequest"].as_object()["Translate"] =
        json::object{{"LanguageCode", "eng"}, {"DialectCode", "US"}, {"Code", "01"}};
    const std::vector<std::pair<json::object, std::string>> cases = {
        {recovery_request(stranger, "GIF"), "121003"},  // Not this account's package.
        {recovery_request(voided, "GIF"), "121003"},
        {recovery_request("1Z999", "GIF"), "121002"},
        {recovery_request(shipped, "PNG"), "121004"},
        {no_number, "121001"},
        {by_reference, "121008"},
        {no_stock, "121005"},
        {both_languages, "121006"},
    };
    for (const auto& [body, code] : cases) {
        const auto response = api("POST", "/api/labels/v1/recovery", body);
        EXPECT_EQ(response.status, 400) << json::serialize(body);
        EXPECT_EQ(error_code(response), code) << response.body;
    }
    EXPECT_EQ(error_code(api("POST", "/api/labels/v2/recovery", recovery_request(shipped, "GIF"))),
              "121000");
    const auto no_token =
        ups_.handle(net::HttpRequest{.method = "POST", .url = "/api/labels/v1/recovery"});
    EXPECT_EQ(no_token.status, 401);
    EXPECT_EQ(error_code(no_token), "UJ0001");
}

TEST_F(UpsTest, LabelRecoveryKeepsToTheTokensAccountAndDrawsSeededLabels) {
    const std::string shipped(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    const auto second = ok(token_response(credentials(), "grant_type=client_credentials",
                                          ups_.second_shipper_number()));
    const std::string other(second.at("access_token").as_string());
    const auto refused =
        api("POST", "/api/labels/v1/recovery", recovery_request(shipped, "GIF"), other);
    EXPECT_EQ(error_code(refused), "121003") << "the second account did not ship it";
    // Seeded packages (labelled before start-up) have their label drawn on request.
    const auto seeded = ok(api("GET", "/api/track/v1/reference/details/SEED-100049"));
    const std::string number(seeded.at("trackResponse")
                                 .at("shipment")
                                 .at(0)
                                 .at("package")
                                 .at(0)
                                 .at("trackingNumber")
                                 .as_string());
    const auto drawn = ok(api("POST", "/api/labels/v1/recovery", recovery_request(number, "ZPL")));
    EXPECT_NE(base64_decode(image_of(drawn)).value().find(number), std::string::npos);
    // Transaction headers are optional on Shipping (ups.md), Label Recovery included.
    net::HttpRequest bare{.method = "POST", .url = "/api/labels/v1/recovery"};
    bare.body = json::serialize(recovery_request(shipped, "GIF"));
    bare.headers = {{"Authorization", "Bearer " + token_}};
    EXPECT_EQ(ups_.handle(bare).status, 200);
}

// ---- Tracking ----------------------------------------------------------------------------------

TEST_F(UpsTest, TrackingFollowsTheEmulatorClockToDelivery) {
    const std::string number(
        ship(package("3", "SO-77")).at("ShipmentIdentificationNumber").as_string());
    auto tracked = track(number);
    EXPECT_EQ(current_code(tracked), "MP");
    const auto& pkg = tracked.at("trackResponse").at("shipment").at(0).at("package").at(0);
    EXPECT_EQ(pkg.at("deliveryDate").at(0).at("type"), "SDD");
    clock_.advance(9h);
    EXPECT_EQ(current_code(track(number)), "OR");
    clock_.advance(24h * 8);
    tracked = track(number);
    EXPECT_EQ(current_code(tracked), "FS");
    const auto& done = tracked.at("trackResponse").at("shipment").at(0).at("package").at(0);
    EXPECT_EQ(done.at("deliveryDate").at(0).at("type"), "DEL");
    EXPECT_EQ(done.at("currentStatus").at("type"), "D");
    EXPECT_EQ(done.at("activity").at(0).at("status").at("code"), "FS");  // Newest first
}

TEST_F(UpsTest, TrackingByReferenceFindsTheShipment) {
    const std::string number(
        ship(package("3", "SO-4242")).at("ShipmentIdentificationNumber").as_string());
    const auto body = ok(api("GET", "/api/track/v1/reference/details/SO-4242"));
    EXPECT_EQ(body.at("trackResponse")
                  .at("shipment")
                  .at(0)
                  .at("package")
                  .at(0)
                  .at("trackingNumber")
                  .as_string(),
              number);
    const auto none = ok(api("GET", "/api/track/v1/reference/details/SO-NOPE"));
    EXPECT_EQ(none.at("trackResponse").at("shipment").at(0).at("warnings").at(0).at("code"),
              "TW0001");
}

TEST_F(UpsTest, UnknownNumbersAnswerTw0001WarningAndHistoryRollsOffAfter120Days) {
    const auto unknown = track("1Z023E2X0214323462");
    EXPECT_EQ(unknown.at("trackResponse").at("shipment").at(0).at("warnings").at(0).at("code"),
              "TW0001");
    const std::string number(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    clock_.advance(24h * 119);
    EXPECT_EQ(current_code(track(number)), "FS");
    clock_.advance(24h * 2);
    EXPECT_TRUE(
        track(number).at("trackResponse").at("shipment").at(0).as_object().contains("warnings"));
}

// Found by fuzz/ups_json_fuzz: a tracking number that is not UTF-8 was echoed into the answer as
// it was, and the answer was not JSON.
TEST_F(UpsTest, NumbersThatAreNotUtf8AreAnsweredAsJson) {
    const auto response = api("GET", "/api/track/v1/details/1ZF2700 \xff-ASHINGTON");
    json::error_code ec;
    (void)json::parse(response.body, ec);
    EXPECT_FALSE(ec) << response.status << " " << response.body;
    EXPECT_NE(response.body.find("\xEF\xBF\xBD-ASHINGTON"), std::string::npos) << response.body;
}

TEST_F(UpsTest, TrackingRequiresTransIdAndTransactionSrc) {
    net::HttpRequest request{.url = "/api/track/v1/details/1Z023E2X0214323462"};
    request.headers = {{"Authorization", "Bearer " + new_token()}};
    const auto response = ups_.handle(request);
    EXPECT_EQ(response.status, 400);
    EXPECT_FALSE(error_code(response).empty());
}

TEST_F(UpsTest, ControlAdvanceAndDeliverMovePackagesAlong) {
    const std::string number(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    control("POST", "packages/" + number + "/advance");
    EXPECT_EQ(current_code(track(number)), "OR");
    control("POST", "packages/" + number + "/deliver");
    EXPECT_EQ(current_code(track(number)), "FS");
}

// ---- Quantum View ------------------------------------------------------------------------------

TEST_F(UpsTest, QuantumViewPagesUnreadEventsWithABase64Bookmark) {
    for (int i = 0; i < 60; ++i) ship(package("2"));
    json::object request{{"QuantumViewRequest",
                          json::object{{"Request", json::object{{"RequestAction", "QVEvents"}}}}}};
    std::set<std::string> manifests;
    std::string bookmark;
    for (int page = 0; page < 10; ++page) {
        auto body = request;
        if (!bookmark.empty()) body["QuantumViewRequest"].as_object()["Bookmark"] = bookmark;
        const auto answer = ok(api("POST", "/api/quantumview/v3/events", body));
        const auto& qv = answer.at("QuantumViewResponse").as_object();
        const auto& subscription = qv.at("QuantumViewEvents").at("SubscriptionEvents").at(0);
        if (const auto* files = subscription.as_object().if_contains("SubscriptionFile")) {
            for (const auto& file : files->as_array()) {
                if (const auto* list = file.as_object().if_contains("Manifest")) {
                    for (const auto& m : list->as_array()) {
                        manifests.insert(
                            std::string(m.at("Package").at(0).at("TrackingNumber").as_string()));
                    }
                }
            }
        }
        if (!qv.contains("Bookmark")) break;
        bookmark = std::string(qv.at("Bookmark").as_string());
        EXPECT_TRUE(base64_decode(bookmark).has_value());
    }
    EXPECT_GE(manifests.size(), 60u);
    // Read data is not handed out again.
    const auto again = ok(api("POST", "/api/quantumview/v3/events", request));
    EXPECT_FALSE(again.at("QuantumViewResponse")
                     .at("QuantumViewEvents")
                     .at("SubscriptionEvents")
                     .at(0)
                     .as_object()
                     .contains("SubscriptionFile"));
}

// ---- Track Alert -------------------------------------------------------------------------------

TEST_F(UpsTest, TrackAlertPushesNewEventsWithUpsHeadersUntilTheSubscriptionLapses) {
    control("POST", "trackalert/webhook",
            json::object{{"url", "http://receiver.test/ups"}, {"credential", "push-key"}});
    const std::string number(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    const auto answer = ok(api(
        "POST", "/api/track/v2/subscription/standard/package",
        json::object{{"locale", "en_US"}, {"trackingNumberList", json::array{number, "1Z123"}}}));
    EXPECT_EQ(answer.at("validTrackingNumbers").at(0).as_string(), number);
    EXPECT_EQ(answer.at("invalidTrackingNumbers").at(0), "1Z123");
    ups_.tick();
    EXPECT_TRUE(receiver_.requests.empty());  // No history: the label event predates it
    clock_.advance(9h);
    ups_.tick();
    ASSERT_EQ(receiver_.requests.size(), 1u);
    const auto& push = receiver_.requests[0];
    EXPECT_EQ(header(push, "User-Agent"), "UPSPubSubTrackingService");
    EXPECT_EQ(header(push, "x-api-key"), "push-key");
    EXPECT_EQ(json::parse(push.body).at("activityStatus").at("code"), "OR");
    ups_.tick();
    EXPECT_EQ(receiver_.requests.size(), 1u);  // At most once
    clock_.advance(24h * 20);
    ups_.tick();
    // Pushes stop at the 14-day expiry; the delivery (within 14 days) was pushed.
    EXPECT_EQ(json::parse(receiver_.requests.back().body).at("activityStatus").at("type"), "D");
}

TEST_F(UpsTest, TrackAlertRefusesMoreThan100NumbersAndMissingHeaders) {
    json::array numbers;
    for (int i = 0; i < 101; ++i) numbers.emplace_back("1Z023E2X0214323462");
    const auto many = api("POST", "/api/track/v2/subscription/standard/package",
                          json::object{{"locale", "en_US"}, {"trackingNumberList", numbers}});
    EXPECT_EQ(many.status, 400);
    EXPECT_EQ(error_code(many), "VSS220");
    net::HttpRequest request{.method = "POST",
                             .url = "/api/track/v2/subscription/standard/package"};
    request.headers = {{"Authorization", "Bearer " + new_token()}};
    request.body = R"({"locale":"en_US","trackingNumberList":["1Z023E2X0214323462"]})";
    EXPECT_EQ(error_code(ups_.handle(request)), "VSS002");
}

TEST_F(UpsTest, TrackAlertRefusesASubscriptionWithoutThePortalsPushUrlAndCredential) {
    const std::string number(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    const json::object body{{"locale", "en_US"}, {"trackingNumberList", json::array{number}}};
    EXPECT_EQ(error_code(api("POST", "/api/track/v2/subscription/standard/package", body)),
              "VSS600");
    control("POST", "trackalert/webhook", json::object{{"url", "http://receiver.test/ups"}});
    EXPECT_EQ(error_code(api("POST", "/api/track/v2/subscription/standard/package", body)),
              "VSS700");
}

TEST_F(UpsTest, TrackAlertRenewedInTimeMissesNothingAndALapseShowsInTheState) {
    control("POST", "trackalert/webhook",
            json::object{{"url", "http://receiver.test/ups"}, {"credential", "push-key"}});
    control("POST", "config", json::object{{"subscription_lifetime_seconds", 6 * 3600}});
    const std::string number(ship(package("3")).at("ShipmentIdentificationNumber").as_string());
    const json::object body{{"locale", "en_US"}, {"trackingNumberList", json::array{number}}};
    ok(api("POST", "/api/track/v2/subscription/standard/package", body));
    clock_.advance(5h);
    ok(api("POST", "/api/track/v2/subscription/standard/package", body));  // Renewed in time.
    clock_.advance(4h);  // The origin scan (label + 8 h) happened before this tick.
    ups_.tick();
    ASSERT_EQ(receiver_.requests.size(), 1u) << "the renewal kept the subscription going";
    const auto lapsed = [&] {
        return control("GET", "state").at("subscriptions").at(0).at("lapsed").as_bool();
    };
    EXPECT_FALSE(lapsed());
    clock_.advance(3h);  // Past the renewed 6 hours, undelivered.
    EXPECT_TRUE(lapsed());
}

}  // namespace
}  // namespace mlc::sandbox::ups

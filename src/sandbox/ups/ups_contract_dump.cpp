// ups_contract_dump: drives the UPS emulator through every route it serves (successes and the
// errors a connector meets) and prints each exchange as JSON, with the OpenAPI file, path and
// method it belongs to. ups_contract_check.py validates the bodies against UPS's OpenAPI files
// with python3-jsonschema (ctest test ups_contract). Label Recovery requests are the connector's
// own (connectors/ups/ups_json.hpp), so what the connector sends is what is validated.
// Deterministic: manual clock, fixed seed.
#include <iostream>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "common/time.hpp"
#include "connectors/ups/ups_json.hpp"
#include "sandbox/ups/ups_emulator.hpp"

namespace {

namespace json = boost::json;
using namespace mlc;
using namespace mlc::sandbox;
using namespace std::chrono_literals;

class Receiver final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions&) override {
        pushes.push_back(json::parse(request.body));
        return net::HttpResponse{};
    }
    json::array pushes;
};

struct Driver {
    ManualClock clock{*parse_iso8601("2024-03-04T15:00:00Z")};
    Receiver receiver;
    ups::UpsEmulator emulator{
        EmulatorContext{.clock = clock, .outbound = receiver, .seed = 11, .volume = 40}};
    json::array exchanges;
    std::string token;
    int trans = 0;

    json::value call(std::string spec, std::string path, std::string method, std::string url,
                     const json::value& body, bool bearer = true, bool valid_request = true) {
        net::HttpRequest request{.method = method, .url = url};
        if (!body.is_null()) request.body = json::serialize(body);
        request.headers = {{"transId", "contract" + std::to_string(++trans)},
                           {"transactionSrc", "mlc-contract"}};
        if (bearer) request.headers.emplace_back("Authorization", "Bearer " + token);
        const auto response = emulator.handle(request);
        json::value parsed = json::parse(response.body);
        exchanges.push_back(json::object{{"spec", spec},
                                         {"path", path},
                                         {"method", method == "DELETE" ? "delete"
                                                    : method == "GET"  ? "get"
                                                                       : "post"},
                                         {"status", response.status},
                                         {"request", valid_request ? body : json::value()},
                                         {"response", parsed}});
        return parsed;
    }
    void oauth() {
        net::HttpRequest request{.method = "POST", .url = "/security/v1/oauth/token"};
        request.body = "grant_type=client_credentials";
        request.headers = {{"Authorization", "Basic " + base64_encode(emulator.client_id() + ":" +
                                                                      emulator.client_secret())},
                           {"Content-Type", "application/x-www-form-urlencoded"}};
        const auto response = emulator.handle(request);
        const auto body = json::parse(response.body);
        token = std::string(body.at("access_token").as_string());
        exchanges.push_back(json::object{{"spec", "OAuthClientCredentials.yaml"},
                                         {"path", "/security/v1/oauth/token"},
                                         {"method", "post"},
                                         {"status", response.status},
                                         {"request", nullptr},
                                         {"response", body}});
    }
};

json::object address(std::string line, std::string zip, std::string country = "US") {
    return {{"XAVRequest", json::object{{"AddressKeyFormat",
                                         json::object{{"AddressLine", json::array{std::move(line)}},
                                                      {"PostcodePrimaryLow", std::move(zip)},
                                                      {"CountryCode", std::move(country)}}}}}};
}

json::object shipment(const std::string& account, std::string format, int packages) {
    json::object party_address{{"AddressLine", json::array{"100 MAIN ST"}},
                               {"City", "LOS ANGELES"},
                               {"StateProvinceCode", "CA"},
                               {"PostalCode", "90012"},
                               {"CountryCode", "US"}};
    json::array list;
    for (int i = 0; i < packages; ++i) {
        list.push_back(json::object{
            {"Packaging", json::object{{"Code", "02"}}},
            {"PackageWeight",
             json::object{{"UnitOfMeasurement", json::object{{"Code", "LBS"}}}, {"Weight", "4.5"}}},
            {"ReferenceNumber", json::array{json::object{{"Value", "SO-1001"}}}}});
    }
    return {
        {"ShipmentRequest",
         json::object{
             {"Request", json::object{{"RequestOption", "nonvalidate"}}},
             {"Shipment",
              json::object{
                  {"Shipper", json::object{{"Name", "Distributor"},
                                           {"ShipperNumber", account},
                                           {"Address", party_address}}},
                  {"ShipTo", json::object{{"Name", "Customer"}, {"Address", party_address}}},
                  {"PaymentInformation",
                   json::object{{"ShipmentCharge",
                                 json::array{json::object{
                                     {"Type", "01"},
                                     {"BillShipper", json::object{{"AccountNumber", account}}}}}}}},
                  {"Service", json::object{{"Code", "03"}}},
                  {"Package", std::move(list)}}},
             {"LabelSpecification",
              json::object{{"LabelImageFormat", json::object{{"Code", format}}},
                           {"LabelStockSize", json::object{{"Height", "6"}, {"Width", "4"}}}}}}}};
}

void drive(Driver& d) {
    d.oauth();
    const std::string av = "/addressvalidation/{version}/{requestoption}";
    for (const auto& [line, zip, option] :
         {std::tuple{"100 Main Street", "90012", "3"}, std::tuple{"200 OAK AVE", "10001", "1"},
          std::tuple{"9 NOWHERE RD", "90012", "3"}, std::tuple{"55 CALLE SOL", "00901", "2"}}) {
        d.call("AddressValidation.yaml", av, "POST",
               std::string("/api/addressvalidation/v2/") + option,
               address(line, zip, zip[0] == '0' ? "PR" : "US"));
    }
    d.call("AddressValidation.yaml", av, "POST", "/api/addressvalidation/v2/1",
           address("1 MAIN ST", "10001", "CA"), true, false);
    const std::string ship = "/shipments/{version}/ship";
    const std::string account = d.emulator.shipper_number();
    const auto one = d.call("Shipping.yaml", ship, "POST", "/api/shipments/v2409/ship",
                            shipment(account, "GIF", 1));
    const auto two = d.call("Shipping.yaml", ship, "POST", "/api/shipments/v2409/ship",
                            shipment(account, "ZPL", 2));
    d.call("Shipping.yaml", ship, "POST", "/api/shipments/v2409/ship", shipment("ZZZZZZ", "GIF", 1),
           true, false);
    const std::string id(two.at("ShipmentResponse")
                             .at("ShipmentResults")
                             .at("ShipmentIdentificationNumber")
                             .as_string());
    const std::string first(one.at("ShipmentResponse")
                                .at("ShipmentResults")
                                .at("ShipmentIdentificationNumber")
                                .as_string());
    d.call("Shipping.yaml", "/shipments/{version}/void/cancel/{shipmentidentificationnumber}",
           "DELETE", "/api/shipments/v2409/void/cancel/" + id, nullptr);
    // Label Recovery with the connector's own request body; a voided package's is refused.
    const std::string recovery = "/labels/{version}/recovery";
    for (const char* format : {"ZPL", "GIF", "PDF"}) {
        d.call("Shipping.yaml", recovery, "POST", "/api/labels/v1/recovery",
               connectors::ups::label_recovery_request(first, format));
    }
    d.call("Shipping.yaml", recovery, "POST", "/api/labels/v1/recovery",
           connectors::ups::label_recovery_request(id, "ZPL"));
    d.emulator.control(
        net::HttpRequest{.method = "POST",
                         .body = R"({"url":"http://receiver.test/ups","credential":"push-key"})"},
        "trackalert/webhook");
    d.call("UPSTrackAlert.yaml", "/subscription/{type}/package", "POST",
           "/api/track/v2/subscription/standard/package",
           json::object{{"locale", "en_US"}, {"trackingNumberList", json::array{first}}});
    d.call("UPSTrackAlert.yaml", "/subscription/{type}/package", "POST",
           "/api/track/v2/subscription/standard/package",
           json::object{{"trackingNumberList", json::array{first}}}, true, false);
    d.clock.advance(24h * 9);
    d.emulator.tick();
    d.oauth();  // The first token has expired by now.
    const std::string track = "/track/v1/details/{inquiryNumber}";
    d.call("Tracking.yaml", track, "GET", "/api/track/v1/details/" + first, nullptr);
    d.call("Tracking.yaml", track, "GET", "/api/track/v1/details/1Z023E2X0214323462", nullptr);
    d.call("Tracking.yaml", "/track/v1/reference/details/{referenceNumber}", "GET",
           "/api/track/v1/reference/details/SO-1001", nullptr);
    d.call("QuantumView.yaml", "/quantumview/{version}/events", "POST",
           "/api/quantumview/v3/events",
           json::object{{"QuantumViewRequest",
                         json::object{{"Request", json::object{{"RequestAction", "QVEvents"}}}}}});
    d.call("AddressValidation.yaml", av, "POST", "/api/addressvalidation/v2/1",
           address("100 MAIN ST", "90012"), false);
}

}  // namespace

int main() {
    Driver driver;
    drive(driver);
    json::object out{{"exchanges", driver.exchanges}, {"pushes", driver.receiver.pushes}};
    std::cout << json::serialize(out) << "\n";
    return 0;
}

// UPS JSON <-> the connector's types (ups_json.hpp): the parts the emulator cannot vary.
#include "connectors/ups/ups_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::connectors::ups {
namespace {

namespace json = boost::json;

UpsShipper shipper() {
    UpsShipper out;
    out.account_number = "A1B2C3";
    out.name = "MLC DISTRIBUTION";
    out.address.street1 = "1000 PEACHTREE ST";
    out.address.city = "ATLANTA";
    out.address.state = "GA";
    out.address.postal_code = "30303";
    out.address.country = "US";
    return out;
}

UpsShipmentDraft draft(std::string weight) {
    UpsShipmentDraft out;
    out.reference = "5012-1-1";
    out.order_number = "5012";
    out.ship_to.name = "Pat Buyer";
    out.ship_to.street1 = "100 MAIN ST";
    out.ship_to.city = "LOS ANGELES";
    out.ship_to.state = "CA";
    out.ship_to.postal_code = "90012-4801";
    out.ship_to.country = "US";
    out.packages.push_back({.weight_lb = Decimal::parse(weight).value(),
                            .declared_value = Decimal::parse("240").value(),
                            .description = "Parts"});
    return out;
}

const json::object& shipment_of(const json::object& request) {
    return request.at("ShipmentRequest").at("Shipment").as_object();
}

TEST(UpsJson, UpsTimesWithoutTheLeadingZeroAreRead) {
    EXPECT_EQ(parse_ups_time("20210210", "74700"), parse_iso8601("2021-02-10T07:47:00Z").value());
    EXPECT_EQ(parse_ups_time("20210210", "134500"), parse_iso8601("2021-02-10T13:45:00Z").value());
    EXPECT_FALSE(parse_ups_time("2021021", "134500"));
    EXPECT_FALSE(parse_ups_time("20210230", "134500"));
}

TEST(UpsJson, WeightsGoOutInPoundsWithOneDecimalRoundedUp) {
    for (const auto& [in, out] : std::vector<std::pair<std::string, std::string>>{
             {"12.25", "12.3"}, {"12.2", "12.2"}, {"0.01", "0.1"}, {"150", "150.0"}}) {
        auto request = ship_request(shipper(), draft(in));
        ASSERT_TRUE(request);
        const auto& weight =
            shipment_of(*request).at("Package").as_array()[0].at("PackageWeight").as_object();
        EXPECT_EQ(weight.at("Weight").as_string(), out) << in;
        EXPECT_EQ(weight.at("UnitOfMeasurement").at("Code").as_string(), "LBS");
    }
}

TEST(UpsJson, ReferencesRideOnThePackageInsideUsAndOnTheShipmentOtherwise) {
    auto domestic = ship_request(shipper(), draft("5"));
    ASSERT_TRUE(domestic);
    const auto& package = shipment_of(*domestic).at("Package").as_array()[0].as_object();
    EXPECT_EQ(package.at("ReferenceNumber").as_array()[0].at("Value").as_string(), "5012-1-1");
    EXPECT_FALSE(shipment_of(*domestic).contains("ReferenceNumber"));
    EXPECT_EQ(shipment_of(*domestic).at("ShipTo").at("Address").at("PostalCode").as_string(),
              "900124801");

    UpsShipmentDraft abroad = draft("5");
    abroad.ship_to.country = "CA";
    abroad.ship_to.postal_code = "M5H 1A1";
    auto international = ship_request(shipper(), abroad);
    ASSERT_TRUE(international);
    EXPECT_TRUE(shipment_of(*international).contains("ReferenceNumber"));
    EXPECT_FALSE(shipment_of(*international)
                     .at("Package")
                     .as_array()[0]
                     .as_object()
                     .contains("ReferenceNumber"));
}

TEST(UpsJson, AReferenceLongerThanUpsKeepsIsRefusedNotCut) {
    UpsShipmentDraft long_ref = draft("5");
    long_ref.reference = std::string(36, 'R');
    auto refused = ship_request(shipper(), long_ref);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
}

TEST(UpsJson, PackageResultsAsOneObjectAreReadToo) {
    const std::string body = R"({"ShipmentResponse":{"ShipmentResults":{
        "ShipmentCharges":{"TotalCharges":{"CurrencyCode":"USD","MonetaryValue":"23.40"}},
        "ShipmentIdentificationNumber":"1ZA1B2C30312345678",
        "PackageResults":{"TrackingNumber":"1ZA1B2C30312345678",
          "ShippingLabel":{"ImageFormat":{"Code":"ZPL"},"GraphicImage":"XlhBXlha"}}}}})";
    auto result = parse_ship_result(body);
    ASSERT_TRUE(result) << result.error().describe();
    ASSERT_EQ(result->packages.size(), 1u);
    EXPECT_EQ(result->packages[0].label_bytes, "^XA^XZ");
    EXPECT_EQ(result->total_charges, Decimal::parse("23.40").value());
}

TEST(UpsJson, AnUnknownNumberIsNoPackage) {
    auto none = parse_track(R"({"trackResponse":{"shipment":[{"inquiryNumber":"1Z","warnings":
        [{"code":"TW0001","message":"Tracking Information Not Found"}]}]}})");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
}

TEST(UpsJson, DeliveredPackageCarriesItsDeliveryTimeAndTheRescheduledDay) {
    auto packages = parse_track(R"({"trackResponse":{"shipment":[{"package":[{
        "trackingNumber":"1ZA1B2C30312345678",
        "activity":[
          {"status":{"type":"D","code":"FS","description":"Delivered"},
           "location":{"address":{"city":"LOS ANGELES","stateProvince":"CA","countryCode":"US"}},
           "gmtDate":"20250606","gmtTime":"30000"},
          {"status":{"type":"X","code":"HA","description":"Delay"},"gmtDate":"20250605",
           "gmtTime":"160000"}],
        "currentStatus":{"type":"D","code":"FS","description":"Delivered"},
        "deliveryDate":[{"type":"RDD","date":"20250606"}],
        "referenceNumber":[{"type":"PACKAGE","number":"5012-1-1"}]}]}]}})");
    ASSERT_TRUE(packages) << packages.error().describe();
    ASSERT_EQ(packages->size(), 1u);
    const TrackedPackage& p = packages->front();
    EXPECT_EQ(p.at, parse_iso8601("2025-06-06T03:00:00Z").value());
    EXPECT_EQ(p.delivered_at, p.at);
    EXPECT_EQ(p.estimated_delivery, parse_iso8601("2025-06-06T00:00:00Z").value());
    EXPECT_EQ(p.location, "LOS ANGELES, CA, US");
    EXPECT_EQ(p.references, std::vector<std::string>{"5012-1-1"});
    const model::TrackingEvent event = tracking_event(p);
    EXPECT_EQ(event.status_code, "D");
    EXPECT_EQ(event.source.key, "1ZA1B2C30312345678");
    EXPECT_EQ(event.reference, "5012-1-1");
    EXPECT_EQ(event.delivered_at, p.at);
    EXPECT_EQ(event.estimated_delivery, p.estimated_delivery);
}

TEST(UpsJson, QuantumViewFilesAsOneObjectOrManyGiveEachPackageOnce) {
    auto page = parse_quantum_view(R"({"QuantumViewResponse":{"QuantumViewEvents":{
        "SubscriptionEvents":{"SubscriptionFile":[
          {"Manifest":{"Package":[{"TrackingNumber":"1ZA"},{"TrackingNumber":"1ZB"}]}},
          {"Origin":{"TrackingNumber":"1ZA"},"Delivery":[{"TrackingNumber":"1ZC"}]}]}},
        "Bookmark":"QUJD"}})");
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->tracking_numbers, (std::vector<std::string>{"1ZA", "1ZB", "1ZC"}));
    EXPECT_EQ(page->bookmark, "QUJD");
}

TEST(UpsJson, RecoveredLabelsAreReadFromAnObjectAsUpsTestingAnswersOrAnArray) {
    // UPS's testing environment answers one package's LabelResults as an object
    // (abantecart/ups-php issue 12); Shipping.yaml says an array.
    auto one = parse_label_recovery(R"({"LabelRecoveryResponse":{
        "Response":{"ResponseStatus":{"Code":"1","Description":"Success"}},
        "ShipmentIdentificationNumber":"1ZA1B2C30312345678",
        "LabelResults":{"TrackingNumber":"1ZA1B2C30312345678",
          "LabelImage":{"LabelImageFormat":{"Code":"PDF"},"GraphicImage":"JVBERi0xLjM="}}}})");
    ASSERT_TRUE(one) << one.error().describe();
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ((*one)[0].tracking_number, "1ZA1B2C30312345678");
    EXPECT_EQ((*one)[0].label_format, "PDF");
    EXPECT_EQ((*one)[0].label_bytes, "%PDF-1.3");
    auto many = parse_label_recovery(R"({"LabelRecoveryResponse":{"LabelResults":[
        {"TrackingNumber":"1ZA","LabelImage":{"LabelImageFormat":{"Code":"ZPL"},"GraphicImage":"XlhB"}},
        {"TrackingNumber":"1ZB","LabelImage":{"LabelImageFormat":{"Code":"ZPL"},"GraphicImage":"XlhB"}}]}})");
    ASSERT_TRUE(many) << many.error().describe();
    EXPECT_EQ(many->size(), 2u);
    EXPECT_EQ((*many)[1].label_bytes, "^XA");
    auto empty = parse_label_recovery(R"({"LabelRecoveryResponse":{"LabelResults":[]}})");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, ErrorCode::kInvalidInput);
    const auto request = label_recovery_request("1ZA1B2C30312345678", "ZPL");
    EXPECT_EQ(
        json::serialize(request),
        R"({"LabelRecoveryRequest":{"Request":{"SubVersion":"1903"},)"
        R"("LabelSpecification":{"LabelImageFormat":{"Code":"ZPL"},)"
        R"("LabelStockSize":{"Height":"6","Width":"4"}},"TrackingNumber":"1ZA1B2C30312345678"}})");
}

}  // namespace
}  // namespace mlc::connectors::ups

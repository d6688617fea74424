#pragma once
// UPS JSON <-> the connector's types (ups_types.hpp) and the model, both ways, and nothing else:
// request bodies built from model records, answers read into value types. UPS sends every value
// as a string (money "12.30", weights "5.0", dates "20240105", times "74700"); containers may be
// one object or an array (Package, ShipmentCharge, PackageResults before v2403, Candidate on v1,
// SubscriptionFile): both are read.
//
// Pure functions, no I/O; thread safety: none needed.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/ups/ups_types.hpp"
#include "model/model.hpp"

namespace mlc::connectors::ups {

inline constexpr std::size_t kAnswerBytesMax = 32 * 1024 * 1024;  // Labels of 200 packages.
inline constexpr std::size_t kAddressLinesMax = 3;                // AddressLine: 1 to 3.
inline constexpr std::size_t kReferenceLengthMax = 35;            // ReferenceNumber.Value
inline constexpr std::size_t kPackagesMax = 200;                  // Packages per shipment.
inline constexpr std::size_t kNameLengthMax = 35;                 // Shipper/ShipTo Name
inline constexpr std::size_t kCandidatesMax = 15;  // maximumcandidatelistsize (UPS default)

// ---- Address Validation ----
// XAVRequest for `address` (street lines, city, state, ZIP5 and ZIP+4, country).
boost::json::object address_request(const model::Address& address);
// An XAVResponse read against the input: valid (standard form, corrected or not), ambiguous
// (candidates) or none; classification from AddressClassification (option 3).
Result<AddressCheck> parse_address_check(std::string_view body, const model::Address& input);

// ---- Shipping ----
// ShipmentRequest (nonvalidate: the address was validated first). kInvalidInput naming the
// record when the draft cannot be sent as it is (no packages, a reference over 35 characters).
Result<boost::json::object> ship_request(const UpsShipper& shipper, const UpsShipmentDraft& draft);
Result<ShipResult> parse_ship_result(std::string_view body);

// ---- Label Recovery ----
// POST /api/labels/v1/recovery with Request.SubVersion 1903, as in UPS's standard example.
inline constexpr std::string_view kLabelRecoveryVersion = "v1";
inline constexpr std::string_view kLabelSubVersion = "1903";
// LabelRecoveryRequest by TrackingNumber, as UPS's standard example sends it (no ReferenceValues
// nor Roadie TrackingNumbers), the label in `label_format` (GIF, PDF, ZPL, EPL or SPL; 4x6 stock).
boost::json::object label_recovery_request(const std::string& tracking_number,
                                           const std::string& label_format);
// A LabelRecoveryResponse: each label it carries (LabelResults one object or an array: UPS's
// testing answers an object for one package, the spec an array), decoded from base64.
// kInvalidInput when it carries none or a label is not base64.
Result<std::vector<ShippedPackage>> parse_label_recovery(std::string_view body);

// ---- Tracking ----
// Every package of a trackResponse (by number or by reference); empty for TW0001 (unknown, or
// rolled off after 120 days).
Result<std::vector<TrackedPackage>> parse_track(std::string_view body);
// A package as the model's tracking event: source {ups, tracking number}, carrier "ups", status
// = the UPS status type (D delivered, I in transit, X exception, M label, MV voided), `at` = the
// newest activity (the version), estimated_delivery = the scheduled or rescheduled day (UTC
// midnight of UPS's date), delivered_at = the delivery scan, reference = the first reference
// number (the source key the shipment was made for).
model::TrackingEvent tracking_event(const TrackedPackage& package);
// "20240105" + "74700" (UPS drops the leading zero) -> UTC.
std::optional<UtcTime> parse_ups_time(std::string_view yyyymmdd, std::string_view hhmmss);

// ---- Quantum View ----
struct QuantumViewPage {
    std::vector<std::string> tracking_numbers = {};  // In the answer's order, each once.
    std::string bookmark = {};                       // Empty: the last page.
};
// QVEvents over [begin, end] (re-readable: a DateTimeRange marks nothing read), next page by
// `bookmark`.
boost::json::object quantum_view_request(UtcTime begin, UtcTime end, const std::string& bookmark);
Result<QuantumViewPage> parse_quantum_view(std::string_view body);

// ---- Track Alert ----
inline constexpr std::size_t kTrackAlertNumbersMax = 100;  // trackingNumberList maxItems
// PackageSubscriptionRequest: locale en_US (the only one UPS takes), country US, the numbers.
boost::json::object track_alert_request(const std::vector<std::string>& numbers);
Result<TrackAlertAnswer> parse_track_alert_answer(std::string_view body);
// One Track Alert push (TrackingEventRequest) as the package it tells of, in the terms of the
// Tracking details (parse_track), so both give the same model::TrackingEvent: status type, code
// and description, location "CITY, ST, CC", `at` = the GMT activity time (the version),
// estimated_delivery = scheduledDeliveryDate (UTC midnight) except on a delivery, where Tracking
// shows only the delivery date, delivered_at = `at` of a D (delivery) event. No references: a
// push carries none (the receiver knows which shipment it subscribed the number for).
// kInvalidInput naming the field when trackingNumber, activityStatus.type or the GMT activity
// time is missing or malformed.
Result<TrackedPackage> parse_track_alert_push(std::string_view body);

}  // namespace mlc::connectors::ups

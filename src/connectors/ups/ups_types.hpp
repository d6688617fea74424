#pragma once
// The UPS connector's value types, in model terms (no vendor JSON): what an address check
// answers, what a shipment is made of, what a ship answers, and the label handed to the recipe.
//
// Value types; thread safety: none needed.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/decimal.hpp"
#include "common/result.hpp"
#include "model/model.hpp"

namespace mlc::connectors::ups {

// What Address Validation (requestoption 3: validation and classification) says of an address.
struct AddressCheck {
    enum Kind { kValid, kAmbiguous, kNone };
    Kind kind = kNone;
    // UPS's standardised form when valid (upper case, suffix abbreviated, ZIP+4 as "90012-1234");
    // name, company, phone and e-mail are the input's (UPS does not return them).
    model::Address address = {};
    // The standardised form differs from the input in its street lines, city, state or 5-digit
    // ZIP (case and spacing aside); adding the ZIP+4 alone is not a correction.
    bool corrected = false;
    std::vector<model::Address> candidates = {};  // Every candidate UPS listed (ambiguous: 2+).
    std::string classification = "unknown";       // commercial | residential | unknown
};

// One package of a shipment. Weights in pounds: UPS takes LBS for US and PR origins.
struct UpsPackage {
    Decimal weight_lb = {};
    Decimal declared_value = {};  // USD; zero: none declared.
    std::string description = {};
};

// One shipment to create.
struct UpsShipmentDraft {
    // The source key (Epicor "5012-1-1"): the shipment's first reference number, by which
    // find_by_source looks it up through Tracking's reference search.
    std::string reference = {};
    std::string order_number = {};  // Second reference number (printed on the label too).
    model::Address ship_to = {};
    std::string service_code = "03";  // UPS Service.Code: "03" Ground, "02" 2nd Day Air, ...
    std::vector<UpsPackage> packages = {};
    std::string label_format = "ZPL";  // GIF, ZPL, EPL or SPL
};

// The shipper (and bill-to account) of every shipment on a connection.
struct UpsShipper {
    std::string account_number = {};  // 6-character UPS account (ShipperNumber, BillShipper)
    std::string name = {};
    std::string attention_name = {};
    std::string phone = {};
    model::Address address = {};
};

struct ShippedPackage {
    std::string tracking_number = {};
    std::string label_format = {};  // As UPS answered it ("ZPL").
    std::string label_bytes = {};   // Decoded from base64.
};

// What a ship answered.
struct ShipResult {
    std::string shipment_id = {};  // ShipmentIdentificationNumber (the first package's 1Z).
    std::vector<ShippedPackage> packages = {};
    Decimal total_charges = {};
    std::string currency = "USD";
};

// One label as the recipe stores it (a folder per flow, or the store).
struct LabelFile {
    std::string reference = {};     // The shipment's reference (the source key).
    std::string order_number = {};  // The draft's order number.
    std::string tracking_number = {};
    std::size_t package = 1;  // 1-based package number within the shipment.
    std::string format = {};  // "ZPL", "GIF", ...
    std::string bytes = {};   // The label itself (ZPL text, GIF bytes).
};

using LabelSink = std::function<Result<void>(const LabelFile&)>;

// One package's tracking as the details API or a Quantum View page tells it.
struct TrackedPackage {
    std::string tracking_number = {};
    std::string status_type = {};  // M label, I in transit, X exception, D delivered, MV voided
    std::string status_code = {};  // UPS activity code (OR, FS, ...)
    std::string description = {};
    std::string location = {};  // "ATLANTA, GA, US"
    UtcTime at = {};            // The newest activity, UTC.
    std::optional<UtcTime> delivered_at = {};
    std::optional<UtcTime> estimated_delivery = {};  // Scheduled or rescheduled day (UTC midnight)
    std::vector<std::string> references = {};
    bool voided = false;
    std::string raw = {};  // UPS's JSON of this package, for dead letters and audit.
};

// What a Track Alert subscription request answered (UPSTrackAlert.yaml,
// PackageSubscriptionSuccessResponse): the numbers subscribed (for 14 days from now) and the ones
// UPS refused (malformed, or not a UPS package number).
struct TrackAlertAnswer {
    std::vector<std::string> valid = {};
    std::vector<std::string> invalid = {};
};

}  // namespace mlc::connectors::ups

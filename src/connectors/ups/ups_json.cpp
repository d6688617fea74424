#include "connectors/ups/ups_json.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "common/exact_json.hpp"
#include "common/time.hpp"
#include "connectors/ups/ups_errors.hpp"

namespace mlc::connectors::ups {
namespace {

namespace json = boost::json;

constexpr std::size_t kPackageDescriptionMax = 35;    // Package.Description
constexpr std::size_t kPhoneLengthMax = 15;           // Phone.Number
constexpr std::size_t kTrackedPackagesMax = 1000;     // Packages read from one track answer.
constexpr std::size_t kQuantumViewItemsMax = 10'000;  // Events read from one QV answer.

const json::object* object_at(const json::object* parent, std::string_view key) {
    if (parent == nullptr) return nullptr;
    const json::value* value = parent->if_contains(key);
    return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

std::string string_at(const json::object* parent, std::string_view key) {
    if (parent == nullptr) return {};
    const json::value* value = parent->if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string())
                                                  : std::string();
}

// UPS's "one object or an array of objects"; absent: empty.
std::vector<const json::object*> one_or_many(const json::object* parent, std::string_view key) {
    std::vector<const json::object*> out;
    if (parent == nullptr) return out;
    const json::value* value = parent->if_contains(key);
    if (value == nullptr) return out;
    if (value->is_object()) out.push_back(&value->get_object());
    if (value->is_array()) {
        for (const auto& item : value->get_array()) {
            if (item.is_object()) out.push_back(&item.get_object());
        }
    }
    return out;
}

std::vector<std::string> strings_at(const json::object* parent, std::string_view key) {
    std::vector<std::string> out;
    const json::value* value = parent == nullptr ? nullptr : parent->if_contains(key);
    if (value == nullptr) return out;
    if (value->is_string()) out.emplace_back(value->get_string());
    if (value->is_array()) {
        for (const auto& item : value->get_array()) {
            if (item.is_string()) out.emplace_back(item.get_string());
        }
    }
    return out;
}

Result<json::object> parse_object(std::string_view body, std::string_view what) {
    MLC_TRY(json::value root, parse_exact_json(body, kAnswerBytesMax, kSystem, what));
    if (!root.is_object()) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          std::string(what) + " is not a JSON object");
    }
    return std::move(root.get_object());
}

std::string upper_words(std::string_view text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string digits(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c)) != 0) out += c;
    }
    return out;
}

std::string country_of(const model::Address& address) {
    const std::string country = upper_words(address.country);
    return country.empty() || country == "USA" ? "US" : country;
}

std::vector<std::string> street_lines(const model::Address& address) {
    std::vector<std::string> lines;
    for (const std::string* line : {&address.street1, &address.street2, &address.street3}) {
        if (!line->empty()) lines.push_back(*line);
    }
    return lines;
}

std::string cut(std::string text, std::size_t max) {
    if (text.size() > max) text.resize(max);
    return text;
}

// ---- Address Validation ----

model::Address candidate_address(const json::object& candidate, const model::Address& input) {
    const json::object* key = object_at(&candidate, "AddressKeyFormat");
    model::Address out = input;
    const auto lines = strings_at(key, "AddressLine");
    out.street1 = lines.size() > 0 ? lines[0] : std::string();
    out.street2 = lines.size() > 1 ? lines[1] : std::string();
    out.street3 = lines.size() > 2 ? lines[2] : std::string();
    out.city = string_at(key, "PoliticalDivision2");
    out.state = string_at(key, "PoliticalDivision1");
    out.postal_code = string_at(key, "PostcodePrimaryLow");
    const std::string zip4 = string_at(key, "PostcodeExtendedLow");
    if (!zip4.empty()) out.postal_code += "-" + zip4;
    out.country = string_at(key, "CountryCode");
    const std::string classification =
        string_at(object_at(&candidate, "AddressClassification"), "Code");
    if (classification == "1") out.residential = false;
    if (classification == "2") out.residential = true;
    return out;
}

bool differs(const model::Address& input, const model::Address& standard) {
    const auto same = [](std::string_view a, std::string_view b) {
        return upper_words(a) == upper_words(b);
    };
    return !same(input.street1, standard.street1) || !same(input.street2, standard.street2) ||
           !same(input.street3, standard.street3) || !same(input.city, standard.city) ||
           !same(input.state, standard.state) ||
           digits(input.postal_code).substr(0, 5) != digits(standard.postal_code).substr(0, 5);
}

std::string classification_text(const json::object* xav) {
    const std::string code = string_at(object_at(xav, "AddressClassification"), "Code");
    return code == "1" ? "commercial" : code == "2" ? "residential" : "unknown";
}

// ---- Tracking ----

std::string location_text(const json::object* activity) {
    const json::object* address = object_at(object_at(activity, "location"), "address");
    std::string out;
    for (const char* field : {"city", "stateProvince", "countryCode"}) {
        const std::string part = string_at(address, field);
        if (part.empty()) continue;
        out += (out.empty() ? "" : ", ") + part;
    }
    return out;
}

std::optional<UtcTime> activity_time(const json::object* activity) {
    if (auto gmt = parse_ups_time(string_at(activity, "gmtDate"), string_at(activity, "gmtTime"))) {
        return gmt;
    }
    return std::nullopt;
}

std::optional<UtcTime> day_of(std::string_view yyyymmdd) { return parse_ups_time(yyyymmdd, "0"); }

TrackedPackage tracked_package(const json::object& package) {
    TrackedPackage out;
    out.tracking_number = string_at(&package, "trackingNumber");
    const auto activities = one_or_many(&package, "activity");  // Newest first.
    const json::object* newest = activities.empty() ? nullptr : activities.front();
    const json::object* status = object_at(&package, "currentStatus");
    if (status == nullptr) status = object_at(newest, "status");
    out.status_type = string_at(status, "type");
    out.status_code = string_at(status, "code");
    out.description = string_at(status, "description");
    out.voided = out.status_type == "MV" || out.status_code == "MV";
    out.location = location_text(newest);
    out.at = activity_time(newest).value_or(UtcTime{});
    for (const json::object* activity : activities) {
        if (string_at(object_at(activity, "status"), "type") == "D") {
            out.delivered_at = activity_time(activity);
            break;
        }
    }
    for (const json::object* date : one_or_many(&package, "deliveryDate")) {
        const std::string type = string_at(date, "type");
        if (type == "RDD" || (type == "SDD" && !out.estimated_delivery)) {
            out.estimated_delivery = day_of(string_at(date, "date"));
        }
    }
    for (const json::object* ref : one_or_many(&package, "referenceNumber")) {
        out.references.push_back(string_at(ref, "number"));
    }
    return out;
}

// ---- Quantum View ----

void add_number(QuantumViewPage& page, std::set<std::string>& seen, std::string number) {
    if (number.empty() || page.tracking_numbers.size() >= kQuantumViewItemsMax) return;
    if (seen.insert(number).second) page.tracking_numbers.push_back(std::move(number));
}

void read_subscription_file(const json::object* file, QuantumViewPage& page,
                            std::set<std::string>& seen) {
    for (const json::object* manifest : one_or_many(file, "Manifest")) {
        for (const json::object* package : one_or_many(manifest, "Package")) {
            add_number(page, seen, string_at(package, "TrackingNumber"));
        }
    }
    for (const char* kind : {"Origin", "Exception", "Delivery", "Generic"}) {
        for (const json::object* event : one_or_many(file, kind)) {
            add_number(page, seen, string_at(event, "TrackingNumber"));
        }
    }
}

std::string qv_time(UtcTime t) {  // YYYYMMDDHHmmss, UTC
    const std::string iso = format_iso8601(std::chrono::floor<std::chrono::seconds>(t));
    std::string out;
    for (const char c : iso.substr(0, 19)) {
        if (std::isdigit(static_cast<unsigned char>(c)) != 0) out += c;
    }
    return out;
}

}  // namespace

boost::json::object address_request(const model::Address& address) {
    json::array lines;
    for (const auto& line : street_lines(address)) lines.emplace_back(line);
    const std::string zip = digits(address.postal_code);
    json::object key;
    if (!address.company.empty() || !address.name.empty()) {
        key["ConsigneeName"] = cut(address.company.empty() ? address.name : address.company, 40);
    }
    key["AddressLine"] = std::move(lines);
    key["PoliticalDivision2"] = address.city;
    key["PoliticalDivision1"] = address.state;
    key["PostcodePrimaryLow"] = zip.substr(0, 5);
    if (zip.size() == 9) key["PostcodeExtendedLow"] = zip.substr(5);
    key["CountryCode"] = country_of(address);
    return {{"XAVRequest", json::object{{"AddressKeyFormat", std::move(key)}}}};
}

Result<AddressCheck> parse_address_check(std::string_view body, const model::Address& input) {
    MLC_TRY(json::object root, parse_object(body, "the Address Validation answer"));
    const json::object* xav = object_at(&root, "XAVResponse");
    if (xav == nullptr) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "the Address Validation answer has no XAVResponse");
    }
    AddressCheck check;
    check.classification = classification_text(xav);
    for (const json::object* candidate : one_or_many(xav, "Candidate")) {
        check.candidates.push_back(candidate_address(*candidate, input));
    }
    // The indicators are present (as "") when set, absent otherwise (ups.md).
    if (xav->contains("ValidAddressIndicator") && !check.candidates.empty()) {
        check.kind = AddressCheck::kValid;
        check.address = check.candidates.front();
        if (check.classification != "unknown") {
            check.address.residential = check.classification == "residential";
        }
        check.corrected = differs(input, check.address);
    } else if (xav->contains("AmbiguousAddressIndicator")) {
        check.kind = AddressCheck::kAmbiguous;
    } else {
        check.kind = AddressCheck::kNone;
    }
    return check;
}

namespace {

json::object address_json(const model::Address& a) {
    json::array lines;
    for (const auto& line : street_lines(a)) lines.emplace_back(line);
    const std::string country = country_of(a);
    // US and PR postal codes go as 5 or 9 digits.
    const bool digits_only = country == "US" || country == "PR";
    return {{"AddressLine", std::move(lines)},
            {"City", a.city},
            {"StateProvinceCode", a.state},
            {"PostalCode", digits_only ? digits(a.postal_code) : a.postal_code},
            {"CountryCode", country}};
}

json::object phone_json(const std::string& phone) {
    return {{"Number", cut(digits(phone), kPhoneLengthMax)}};
}

json::object ship_to_json(const model::Address& to) {
    json::object address = address_json(to);
    if (to.residential) address["ResidentialAddressIndicator"] = "";
    const std::string& name = to.company.empty() ? to.name : to.company;
    json::object out{{"Name", cut(name, kNameLengthMax)},
                     {"AttentionName", cut(to.name, kNameLengthMax)},
                     {"Address", std::move(address)}};
    if (!to.phone.empty()) out["Phone"] = phone_json(to.phone);
    return out;
}

json::object shipper_json(const UpsShipper& shipper) {
    json::object out{{"Name", cut(shipper.name, kNameLengthMax)},
                     {"ShipperNumber", shipper.account_number},
                     {"Address", address_json(shipper.address)}};
    if (!shipper.attention_name.empty()) {
        out["AttentionName"] = cut(shipper.attention_name, kNameLengthMax);
    }
    if (!shipper.phone.empty()) out["Phone"] = phone_json(shipper.phone);
    return out;
}

// UPS takes one decimal and at most 5 characters; rounded up so no package is declared light.
std::string weight_text(const Decimal& weight_lb) {
    const Decimal tenths = weight_lb.mul(Decimal::from_int(10));
    Decimal whole = tenths.round(0);
    if (whole < tenths) whole += Decimal::from_int(1);
    whole = std::max(whole, Decimal::from_int(1));
    return whole.mul(Decimal::parse("0.1").value()).to_string(1);
}

json::object package_json(const UpsPackage& package, const json::array* refs) {
    json::object out{
        {"Packaging", json::object{{"Code", "02"}}},  // Customer-supplied package.
        {"PackageWeight", json::object{{"UnitOfMeasurement", json::object{{"Code", "LBS"}}},
                                       {"Weight", weight_text(package.weight_lb)}}}};
    if (!package.description.empty()) {
        out["Description"] = cut(package.description, kPackageDescriptionMax);
    }
    if (!package.declared_value.is_negative() && !package.declared_value.is_zero()) {
        out["PackageServiceOptions"] =
            json::object{{"DeclaredValue",
                          json::object{{"Type", json::object{{"Code", "01"}}},
                                       {"CurrencyCode", "USD"},
                                       {"MonetaryValue", package.declared_value.to_string(2)}}}};
    }
    if (refs != nullptr) out["ReferenceNumber"] = *refs;
    return out;
}

Result<void> check_draft(const UpsShipmentDraft& draft) {
    const std::string record = "shipment " + draft.reference;
    const auto invalid = [&record](std::string why) {
        Error error = make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                                 record + ": " + std::move(why));
        error.record_key = record;
        return error;
    };
    if (draft.reference.empty() || draft.reference.size() > kReferenceLengthMax) {
        return invalid("the reference must be 1-35 characters (UPS ReferenceNumber.Value)");
    }
    if (draft.order_number.size() > kReferenceLengthMax) {
        return invalid("the order number is longer than 35 characters (UPS ReferenceNumber)");
    }
    if (draft.packages.empty() || draft.packages.size() > kPackagesMax) {
        return invalid("a shipment holds 1 to 200 packages, not " +
                       std::to_string(draft.packages.size()));
    }
    const std::size_t lines = street_lines(draft.ship_to).size();
    if (lines == 0 || lines > kAddressLinesMax) {
        return invalid("the ship-to needs one to three street lines");
    }
    return ok();
}

}  // namespace

Result<boost::json::object> ship_request(const UpsShipper& shipper, const UpsShipmentDraft& draft) {
    MLC_CHECK(check_draft(draft));
    const auto domestic = [](const std::string& c) { return c == "US" || c == "PR"; };
    // References go on the package for US/US and PR/PR, on the shipment otherwise
    // (Shipping.yaml, ReferenceNumber).
    const bool package_refs =
        domestic(country_of(shipper.address)) && domestic(country_of(draft.ship_to));
    json::array refs{json::object{{"Value", draft.reference}}};
    if (!draft.order_number.empty()) refs.push_back(json::object{{"Value", draft.order_number}});
    json::array packages;
    for (const UpsPackage& package : draft.packages) {
        packages.push_back(package_json(package, package_refs ? &refs : nullptr));
    }
    json::object charge{{"Type", "01"},  // Transportation, billed to the shipper's account.
                        {"BillShipper", json::object{{"AccountNumber", shipper.account_number}}}};
    json::object shipment{
        {"Shipper", shipper_json(shipper)},
        {"ShipTo", ship_to_json(draft.ship_to)},
        {"PaymentInformation", json::object{{"ShipmentCharge", json::array{std::move(charge)}}}},
        {"Service", json::object{{"Code", draft.service_code}}},
        {"Package", std::move(packages)}};
    if (!package_refs) shipment["ReferenceNumber"] = std::move(refs);
    json::object label{{"LabelImageFormat", json::object{{"Code", draft.label_format}}},
                       {"LabelStockSize", json::object{{"Height", "6"}, {"Width", "4"}}}};
    json::object request{
        {"RequestOption", "nonvalidate"},  // The address was validated before.
        {"TransactionReference", json::object{{"CustomerContext", draft.reference}}}};
    return json::object{
        {"ShipmentRequest", json::object{{"Request", std::move(request)},
                                         {"Shipment", std::move(shipment)},
                                         {"LabelSpecification", std::move(label)}}}};
}

Result<ShipResult> parse_ship_result(std::string_view body) {
    MLC_TRY(json::object root, parse_object(body, "the ship answer"));
    const json::object* results =
        object_at(object_at(&root, "ShipmentResponse"), "ShipmentResults");
    ShipResult out;
    out.shipment_id = string_at(results, "ShipmentIdentificationNumber");
    for (const json::object* package : one_or_many(results, "PackageResults")) {
        const json::object* label = object_at(package, "ShippingLabel");
        ShippedPackage shipped{.tracking_number = string_at(package, "TrackingNumber"),
                               .label_format = string_at(object_at(label, "ImageFormat"), "Code"),
                               .label_bytes = {}};
        const std::string image = string_at(label, "GraphicImage");
        if (!image.empty()) {
            auto decoded = base64_decode(image);
            if (!decoded) {
                return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                                  "the label of " + shipped.tracking_number +
                                      " is not base64: reprint it from UPS");
            }
            shipped.label_bytes = std::move(*decoded);
        }
        out.packages.push_back(std::move(shipped));
    }
    if (out.shipment_id.empty() || out.packages.empty() ||
        out.packages.front().tracking_number.empty()) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "the ship answer carries no ShipmentIdentificationNumber or "
                          "PackageResults: check the shipment in UPS before shipping again");
    }
    const json::object* total = object_at(object_at(results, "ShipmentCharges"), "TotalCharges");
    if (auto amount = Decimal::parse(string_at(total, "MonetaryValue")))
        out.total_charges = *amount;
    if (const std::string currency = string_at(total, "CurrencyCode"); !currency.empty()) {
        out.currency = currency;
    }
    return out;
}

json::object label_recovery_request(const std::string& tracking_number,
                                    const std::string& label_format) {
    json::object label{{"LabelImageFormat", json::object{{"Code", label_format}}},
                       {"LabelStockSize", json::object{{"Height", "6"}, {"Width", "4"}}}};
    return json::object{
        {"LabelRecoveryRequest",
         json::object{{"Request", json::object{{"SubVersion", std::string(kLabelSubVersion)}}},
                      {"LabelSpecification", std::move(label)},
                      {"TrackingNumber", tracking_number}}}};
}

Result<std::vector<ShippedPackage>> parse_label_recovery(std::string_view body) {
    MLC_TRY(json::object root, parse_object(body, "the label recovery answer"));
    const json::object* answer = object_at(&root, "LabelRecoveryResponse");
    std::vector<ShippedPackage> out;
    for (const json::object* result : one_or_many(answer, "LabelResults")) {
        const json::object* image = object_at(result, "LabelImage");
        ShippedPackage label{
            .tracking_number = string_at(result, "TrackingNumber"),
            .label_format = string_at(object_at(image, "LabelImageFormat"), "Code"),
            .label_bytes = {}};
        auto decoded = base64_decode(string_at(image, "GraphicImage"));
        if (!decoded || decoded->empty()) {
            return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                              "the recovered label of " + label.tracking_number +
                                  " carries no base64 GraphicImage");
        }
        label.label_bytes = std::move(*decoded);
        out.push_back(std::move(label));
    }
    if (out.empty()) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "the label recovery answer carries no LabelResults");
    }
    return out;
}

std::optional<UtcTime> parse_ups_time(std::string_view yyyymmdd, std::string_view hhmmss) {
    if (yyyymmdd.size() != 8 || hhmmss.empty() || hhmmss.size() > 6) return std::nullopt;
    const std::string time = std::string(6 - hhmmss.size(), '0') + std::string(hhmmss);
    int fields[6] = {};
    const std::string text = std::string(yyyymmdd) + time;
    const int widths[6] = {4, 2, 2, 2, 2, 2};
    std::size_t at = 0;
    for (int i = 0; i < 6; ++i) {
        const char* begin = text.data() + at;
        const auto [end, ec] = std::from_chars(begin, begin + widths[i], fields[i]);
        if (ec != std::errc() || end != begin + widths[i]) return std::nullopt;
        at += static_cast<std::size_t>(widths[i]);
    }
    const std::chrono::year_month_day date{std::chrono::year{fields[0]},
                                           std::chrono::month{static_cast<unsigned>(fields[1])},
                                           std::chrono::day{static_cast<unsigned>(fields[2])}};
    if (!date.ok() || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) return std::nullopt;
    return UtcTime{std::chrono::sys_days{date}} + std::chrono::hours{fields[3]} +
           std::chrono::minutes{fields[4]} + std::chrono::seconds{fields[5]};
}

Result<std::vector<TrackedPackage>> parse_track(std::string_view body) {
    MLC_TRY(json::object root, parse_object(body, "the tracking answer"));
    std::vector<TrackedPackage> out;
    for (const json::object* shipment :
         one_or_many(object_at(&root, "trackResponse"), "shipment")) {
        for (const json::object* package : one_or_many(shipment, "package")) {
            if (out.size() >= kTrackedPackagesMax) break;
            TrackedPackage tracked = tracked_package(*package);
            tracked.raw = json::serialize(*package);
            if (!tracked.tracking_number.empty()) out.push_back(std::move(tracked));
        }
    }
    return out;
}

model::TrackingEvent tracking_event(const TrackedPackage& package) {
    model::TrackingEvent event;
    event.source = {.system = std::string(kSystem), .key = package.tracking_number, .id = {}};
    event.tracking_number = package.tracking_number;
    event.carrier = "ups";
    event.status_code = package.voided ? "MV" : package.status_type;
    event.description = package.description;
    event.location = package.location;
    event.at = package.at;
    event.estimated_delivery = package.estimated_delivery;
    event.reference = package.references.empty() ? std::string() : package.references.front();
    event.delivered_at = package.delivered_at;
    return event;
}

boost::json::object quantum_view_request(UtcTime begin, UtcTime end, const std::string& bookmark) {
    json::object range{{"BeginDateTime", qv_time(begin)}, {"EndDateTime", qv_time(end)}};
    json::object request{
        {"Request",
         json::object{{"RequestAction", "QVEvents"},
                      {"TransactionReference", json::object{{"CustomerContext", "mlc"}}}}},
        {"SubscriptionRequest", json::array{json::object{{"DateTimeRange", std::move(range)}}}}};
    if (!bookmark.empty()) request["Bookmark"] = bookmark;
    return {{"QuantumViewRequest", std::move(request)}};
}

Result<QuantumViewPage> parse_quantum_view(std::string_view body) {
    MLC_TRY(json::object root, parse_object(body, "the Quantum View answer"));
    const json::object* response = object_at(&root, "QuantumViewResponse");
    if (response == nullptr) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "the Quantum View answer has no QuantumViewResponse");
    }
    QuantumViewPage page;
    std::set<std::string> seen;
    const json::object* events = object_at(response, "QuantumViewEvents");
    for (const json::object* subscription : one_or_many(events, "SubscriptionEvents")) {
        for (const json::object* file : one_or_many(subscription, "SubscriptionFile")) {
            read_subscription_file(file, page, seen);
        }
    }
    page.bookmark = string_at(response, "Bookmark");
    return page;
}

// ---- Track Alert ----

namespace {

// UPSTrackAlert.yaml TrackingNumber: 1Z + 16, or 1R + 14 or 26, digits and capitals.
bool track_alert_number(std::string_view number) {
    const bool shape = (number.starts_with("1Z") && number.size() == 18) ||
                       (number.starts_with("1R") && (number.size() == 16 || number.size() == 28));
    return shape && std::all_of(number.begin() + 2, number.end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'A' && c <= 'Z');
           });
}

Error push_error(std::string_view number, std::string what) {
    Error error = make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                             "a Track Alert push " + std::move(what) +
                                 ": not UPS's TrackingEvent shape (UPSTrackAlert.yaml)");
    error.record_key = number.empty() ? "a Track Alert push" : "UPS package " + std::string(number);
    return error;
}

}  // namespace

boost::json::object track_alert_request(const std::vector<std::string>& numbers) {
    json::array list;
    for (const std::string& number : numbers) list.emplace_back(number);
    return {{"locale", "en_US"}, {"countryCode", "US"}, {"trackingNumberList", std::move(list)}};
}

Result<TrackAlertAnswer> parse_track_alert_answer(std::string_view body) {
    MLC_TRY(json::object root, parse_object(body, "the Track Alert answer"));
    return TrackAlertAnswer{.valid = strings_at(&root, "validTrackingNumbers"),
                            .invalid = strings_at(&root, "invalidTrackingNumbers")};
}

Result<TrackedPackage> parse_track_alert_push(std::string_view body) {
    MLC_TRY(json::object root, parse_object(body, "a Track Alert push"));
    TrackedPackage out;
    out.tracking_number = string_at(&root, "trackingNumber");
    if (!track_alert_number(out.tracking_number)) {
        return push_error(out.tracking_number, "has no valid trackingNumber");
    }
    const json::object* status = object_at(&root, "activityStatus");
    out.status_type = string_at(status, "type");
    if (out.status_type.empty())
        return push_error(out.tracking_number, "has no activityStatus.type");
    out.status_code = string_at(status, "code");
    out.description = string_at(status, "description");
    out.voided = out.status_type == "MV";
    const json::object* place = object_at(&root, "activityLocation");
    for (const char* field : {"city", "stateProvince", "country"}) {
        const std::string part = string_at(place, field);
        if (!part.empty()) out.location += (out.location.empty() ? "" : ", ") + part;
    }
    const auto at =
        parse_ups_time(string_at(&root, "gmtActivityDate"), string_at(&root, "gmtActivityTime"));
    if (!at) return push_error(out.tracking_number, "has no valid gmtActivityDate/Time");
    out.at = *at;
    if (out.status_type == "D") {
        out.delivered_at = out.at;  // Tracking then shows the delivery date, not an estimate.
    } else {
        out.estimated_delivery = day_of(string_at(&root, "scheduledDeliveryDate"));
    }
    out.raw = std::string(body);
    return out;
}

}  // namespace mlc::connectors::ups

// Shipping: POST /api/shipments/{version}/ship and DELETE .../void/cancel/{id}.
#include <algorithm>
#include <array>
#include <cctype>
#include <variant>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "sandbox/ups/ups_json.hpp"
#include "sandbox/ups/ups_labels.hpp"
#include "sandbox/ups/ups_seed.hpp"
#include "sandbox/ups/ups_tracking_number.hpp"

namespace mlc::sandbox::ups {
namespace {

namespace json = boost::json;

// Shipping.yaml: v2409 is current; the deprecated versions answer PackageResults as one object
// when there is one package (ups.md: from v2403 on it is always an array).
constexpr std::array<std::string_view, 9> kLegacyVersions = {
    "v1", "v1601", "v1607", "v1701", "v1707", "v1801", "v1807", "v2108", "v2205"};
constexpr std::array<std::string_view, 7> kDomesticServices = {"01", "02", "03", "12",
                                                               "13", "14", "59"};
constexpr std::array<std::string_view, 6> kInternationalServices = {"07", "08", "11",
                                                                    "54", "65", "96"};
constexpr std::string_view kLetterPackaging = "01";           // UPS Letter: weight optional
const Decimal kPackageWeightMaxLbs = Decimal::from_int(150);  // UPS: 150 lbs a package

struct ShipError {
    std::string code = {};
    std::string message = {};
};

struct PackageInput {
    Decimal weight_lbs = {};
    std::vector<std::string> references = {};
};

struct ShipInput {
    std::string shipper_number = {};
    std::string service = {};
    std::string ship_to_name = {};
    std::string label_format = {};
    Place origin = {};
    Place destination = {};
    std::vector<PackageInput> packages = {};
    std::vector<std::string> shipment_references = {};
};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool domestic(const ShipInput& input) {
    const auto us_pr = [](const Place& p) { return p.country == "US" || p.country == "PR"; };
    return us_pr(input.origin) && us_pr(input.destination);
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

// Name and Address of Shipper, ShipTo or ShipFrom (Shipping.yaml lengths).
std::optional<ShipError> read_party(const json::object* party, std::string_view what, Place& place,
                                    std::string* name) {
    const std::string who(what);
    if (party == nullptr) return ShipError{"120200", "Missing " + who + "."};
    const std::string party_name = string_at(party, "Name");
    if (party_name.empty() || party_name.size() > 35) {
        return ShipError{"120201", who + " Name is required (1-35 characters)."};
    }
    if (name != nullptr) *name = party_name;
    const json::object* address = object_at(party, "Address");
    const auto lines = string_list(address, "AddressLine");
    if (!lines || lines->empty() || lines->size() > 3) {
        return ShipError{"120202", who + " AddressLine is required (one to three lines)."};
    }
    place.city = string_at(address, "City");
    place.state = string_at(address, "StateProvinceCode");
    place.postal_code = string_at(address, "PostalCode");
    place.country = string_at(address, "CountryCode");
    if (place.city.empty() || place.city.size() > 30) {
        return ShipError{"120203", who + " City is required (1-30 characters)."};
    }
    if (place.country.size() != 2) return ShipError{"120204", who + " CountryCode is invalid."};
    if (place.country == "US" || place.country == "PR") {
        if (place.state.size() != 2) {
            return ShipError{"120205", who + " StateProvinceCode is required for US and PR."};
        }
        // US and Puerto Rico postal codes: 5 or 9 digits.
        if (!all_digits(place.postal_code) ||
            (place.postal_code.size() != 5 && place.postal_code.size() != 9)) {
            return ShipError{"120206", who + " PostalCode must be 5 or 9 digits for US and PR."};
        }
    }
    return std::nullopt;
}

std::optional<ShipError> read_references(const json::object* parent,
                                         std::vector<std::string>& out) {
    const auto refs = one_or_many(parent, "ReferenceNumber");
    if (!refs) return ShipError{"120600", "ReferenceNumber must be an object or an array."};
    if (refs->size() > UpsEmulator::kReferencesPerPackageMax) {
        return ShipError{"120601", "Too many reference numbers."};
    }
    for (const auto* ref : *refs) {
        const std::string value = string_at(ref, "Value");
        if (value.empty() || value.size() > 35) {
            return ShipError{"120602", "ReferenceNumber Value is required (1-35 characters)."};
        }
        out.push_back(value);
    }
    return std::nullopt;
}

std::optional<ShipError> read_package(const json::object* package, bool letter_allowed,
                                      PackageInput& out) {
    const std::string packaging = string_at(object_at(package, "Packaging"), "Code");
    if (packaging.size() != 2) return ShipError{"120700", "Missing or invalid Packaging Code."};
    const json::object* weight = object_at(package, "PackageWeight");
    if (weight == nullptr) {
        if (packaging == kLetterPackaging && letter_allowed) return std::nullopt;
        return ShipError{"120701", "Missing PackageWeight: a weight is required."};
    }
    const std::string unit = string_at(object_at(weight, "UnitOfMeasurement"), "Code");
    // US and PR origins weigh in pounds (OZS is for Mail Innovations only).
    if (unit != "LBS")
        return ShipError{"120702", "Invalid UnitOfMeasurement for the origin: use LBS."};
    const std::string text = string_at(weight, "Weight");
    const auto value = Decimal::parse(text);
    if (text.empty() || text.size() > 5 || !value || value->is_negative() || value->is_zero()) {
        return ShipError{"120703", "Invalid package Weight '" + text + "'."};
    }
    if (*value > kPackageWeightMaxLbs) {
        return ShipError{"120704", "Package weight exceeds the 150 lbs maximum."};
    }
    out.weight_lbs = *value;
    return read_references(package, out.references);
}

std::optional<ShipError> read_payment(const json::object* shipment,
                                      const std::array<std::string, 2>& accounts) {
    const auto charges = one_or_many(object_at(shipment, "PaymentInformation"), "ShipmentCharge");
    if (!charges) return ShipError{"120400", "ShipmentCharge must be an object or an array."};
    bool transportation = false;
    for (const auto* charge : *charges) {
        const std::string type = string_at(charge, "Type");
        if (type != "01" && type != "02" && type != "03") {
            return ShipError{"120401", "Invalid ShipmentCharge Type '" + type + "'."};
        }
        int payers = 0;
        for (const char* key :
             {"BillShipper", "BillReceiver", "BillThirdParty", "ConsigneeBilledIndicator"}) {
            payers += has_key(charge, key) ? 1 : 0;
        }
        if (payers != 1) return ShipError{"120402", "Exactly one payer per ShipmentCharge."};
        const json::object* bill = object_at(charge, "BillShipper");
        const std::string account = string_at(bill, "AccountNumber");
        if (bill != nullptr && account != accounts[0] && account != accounts[1]) {
            return ShipError{"120403", "BillShipper AccountNumber is invalid."};
        }
        transportation = transportation || type == "01";
    }
    if (!transportation) {
        return ShipError{"120404", "A ShipmentCharge of Type 01 (Transportation) is required."};
    }
    return std::nullopt;
}

std::optional<ShipError> read_label(const json::object* request, ShipInput& input) {
    const json::object* spec = object_at(request, "LabelSpecification");
    if (spec == nullptr) return ShipError{"120500", "Missing LabelSpecification."};
    input.label_format = string_at(object_at(spec, "LabelImageFormat"), "Code");
    const std::string& format = input.label_format;
    if (format != "GIF" && format != "ZPL" && format != "EPL" && format != "SPL") {
        return ShipError{"120501", "Invalid LabelImageFormat Code: use GIF, ZPL, EPL or SPL."};
    }
    // Thermal labels need a stock size: 4x6 or 4x8 inches.
    const json::object* stock = object_at(spec, "LabelStockSize");
    if (format != "GIF") {
        const std::string height = string_at(stock, "Height");
        if (string_at(stock, "Width") != "4" || (height != "6" && height != "8")) {
            return ShipError{"120502", "LabelStockSize must be Width 4 and Height 6 or 8."};
        }
    }
    return std::nullopt;
}

std::optional<ShipError> read_packages(const json::object* shipment, ShipInput& input) {
    const auto packages = one_or_many(shipment, "Package");
    if (!packages || packages->empty()) {
        return ShipError{"120700", "Package is required (an object or an array)."};
    }
    if (packages->size() > UpsEmulator::kPackagesPerShipmentMax) {
        return ShipError{"120705", "Too many packages in one shipment."};
    }
    const bool is_domestic = domestic(input);
    for (const auto* package : *packages) {
        PackageInput parsed;
        if (auto error = read_package(package, true, parsed)) return error;
        // Package-level references are valid for US/US and PR/PR only, shipment-level ones
        // for every other pair (Shipping.yaml, ReferenceNumber).
        if (!parsed.references.empty() && !is_domestic) {
            return ShipError{"120603",
                             "Package reference numbers are valid for US/PR domestic "
                             "shipments only."};
        }
        input.packages.push_back(std::move(parsed));
    }
    if (auto error = read_references(shipment, input.shipment_references)) return error;
    if (!input.shipment_references.empty() && is_domestic) {
        return ShipError{"120604",
                         "Shipment reference numbers are not valid for US/PR domestic "
                         "shipments: send them on the Package."};
    }
    return std::nullopt;
}

std::variant<ShipInput, ShipError> read_ship_request(const json::value& body,
                                                     const std::array<std::string, 2>& accounts) {
    const json::object* root = object_at(body.if_object(), "ShipmentRequest");
    const json::object* request = object_at(root, "Request");
    const std::string option = string_at(request, "RequestOption");
    if (option != "validate" && option != "nonvalidate") {
        return ShipError{"120001", "Missing or invalid RequestOption: validate or nonvalidate."};
    }
    const json::object* shipment = object_at(root, "Shipment");
    if (shipment == nullptr) return ShipError{"120002", "Missing Shipment."};
    ShipInput input;
    const json::object* shipper = object_at(shipment, "Shipper");
    input.shipper_number = string_at(shipper, "ShipperNumber");
    if (input.shipper_number != accounts[0] && input.shipper_number != accounts[1]) {
        return ShipError{"120100", "Missing or invalid shipper number."};
    }
    if (auto e = read_party(shipper, "Shipper", input.origin, nullptr)) return *e;
    if (auto e = read_party(object_at(shipment, "ShipTo"), "ShipTo", input.destination,
                            &input.ship_to_name)) {
        return *e;
    }
    if (const auto* from = object_at(shipment, "ShipFrom")) {
        if (auto e = read_party(from, "ShipFrom", input.origin, nullptr)) return *e;
    }
    input.service = string_at(object_at(shipment, "Service"), "Code");
    const bool known_service = domestic(input) ? one_of(kDomesticServices, input.service)
                                               : one_of(kInternationalServices, input.service);
    if (!known_service) {
        return ShipError{"120300", "Invalid Service Code '" + input.service +
                                       "' for this origin and destination."};
    }
    if (auto e = read_payment(shipment, accounts)) return *e;
    if (auto e = read_packages(shipment, input)) return *e;
    if (auto e = read_label(root, input)) return *e;
    return input;
}

// Published-style rates of the emulator: a base per service plus a rate per billable pound.
Decimal rate(std::string_view service, const Decimal& billable_lbs) {
    const auto [base, per_lb] = service == "01"   ? std::pair{"32.00", "4.10"}
                                : service == "02" ? std::pair{"18.00", "2.40"}
                                : service == "12" ? std::pair{"14.00", "1.80"}
                                : service == "13" ? std::pair{"28.00", "3.60"}
                                : service == "14" ? std::pair{"60.00", "5.00"}
                                : service == "59" ? std::pair{"22.00", "2.80"}
                                                  : std::pair{"9.50", "1.10"};
    return Decimal::parse(base).value() + Decimal::parse(per_lb).value().mul(billable_lbs);
}

Decimal billable(const Decimal& weight_lbs) {
    const Decimal whole = weight_lbs.round(0);
    const Decimal up = whole < weight_lbs ? whole + Decimal::from_int(1) : whole;
    return std::max(up, Decimal::from_int(1));
}

}  // namespace

net::HttpResponse UpsEmulator::ship(const net::HttpRequest& request, std::string_view version) {
    const bool legacy =
        std::find(kLegacyVersions.begin(), kLegacyVersions.end(), version) != kLegacyVersions.end();
    if (version != "v2409" && !legacy) return ups_error(400, "120000", "Invalid version.");
    boost::system::error_code ec;
    const json::value body = json::parse(request.body, ec);
    if (ec) return ups_error(400, "120000", "The request body is not valid JSON.");
    auto parsed = read_ship_request(body, {shipper_number(), second_shipper_number()});
    if (const auto* error = std::get_if<ShipError>(&parsed)) {
        return ups_error(400, error->code, error->message);
    }
    const ShipInput& input = std::get<ShipInput>(parsed);
    const UtcTime now = context_.clock.now();
    Shipment shipment;
    Decimal total;
    Decimal billing_weight;
    json::array results;
    std::string shipment_id;
    for (const auto& package_input : input.packages) {
        Package package{.shipper_number = input.shipper_number,
                        .ship_to_name = input.ship_to_name,
                        .label_format = input.label_format};
        package.tracking = make_tracking_number(input.shipper_number, input.service,
                                                mix(context_.seed, 90, next_serial_++));
        if (shipment_id.empty()) shipment_id = package.tracking;
        package.shipment_id = shipment_id;
        package.references = package_input.references;
        for (const auto& ref : input.shipment_references) package.references.push_back(ref);
        package.weight_lbs = package_input.weight_lbs.to_string(1);
        package.plan = PackagePlan{.label_time = now,
                                   .service_code = input.service,
                                   .draw = mix(context_.seed, 91, next_serial_),
                                   .origin = input.origin,
                                   .destination = input.destination};
        const std::string image =
            label_bytes(input.label_format, package.tracking, input.ship_to_name,
                        service_description(input.service));
        package.label_base64 = base64_encode(image);
        const Decimal weight = billable(package_input.weight_lbs);
        billing_weight += weight;
        total += rate(input.service, weight);
        results.push_back(json::object{
            {"TrackingNumber", package.tracking},
            {"ServiceOptionsCharges", money(Decimal())},
            {"ShippingLabel",
             json::object{{"ImageFormat", json::object{{"Code", input.label_format},
                                                       {"Description", input.label_format}}},
                          {"GraphicImage", package.label_base64}}}});
        shipment.packages.push_back(add_package(std::move(package)));
    }
    shipment.total_charges = total.to_string(2);
    shipments_[shipment_id] = shipment;
    json::object charges{{"TransportationCharges", money(total)},
                         {"ServiceOptionsCharges", money(Decimal())},
                         {"TotalCharges", money(total)}};
    json::object shipment_results{
        {"ShipmentCharges", std::move(charges)},
        {"BillingWeight", json::object{{"UnitOfMeasurement",
                                        json::object{{"Code", "LBS"}, {"Description", "Pounds"}}},
                                       {"Weight", billing_weight.to_string(1)}}},
        {"ShipmentIdentificationNumber", shipment_id}};
    shipment_results["PackageResults"] =
        legacy && results.size() == 1 ? json::value(results[0]) : json::value(std::move(results));
    const json::object* root = object_at(body.if_object(), "ShipmentRequest");
    return json_ok(
        json::object{{"ShipmentResponse",
                      json::object{{"Response", success_response(object_at(root, "Request"))},
                                   {"ShipmentResults", std::move(shipment_results)}}}});
}

net::HttpResponse UpsEmulator::void_shipment(const net::HttpRequest& request, std::string_view id) {
    // The shipment id and any trackingnumber must pass 1Z rules and be upper case.
    if (!is_valid_tracking_number(id)) {
        return ups_error(400, "190100", "Invalid shipment identification number.");
    }
    const auto it = shipments_.find(std::string(id));
    if (it == shipments_.end() || it->second.voided) {
        return ups_error(400, "190117", "No shipment found within the allowed void period.");
    }
    // trackingnumber: up to 20 numbers of this shipment, ["1Z...","1Z..."] or one number.
    std::vector<std::size_t> chosen;
    if (const auto list = net::query_param(request.url, "trackingnumber")) {
        std::string text = *list;
        std::erase_if(text, [](char c) { return c == '[' || c == ']' || c == '"' || c == ' '; });
        for (std::size_t start = 0; start <= text.size();) {
            const auto comma = std::min(text.find(',', start), text.size());
            const std::string number = text.substr(start, comma - start);
            const auto at = by_tracking_.find(number);
            if (!is_valid_tracking_number(number) || at == by_tracking_.end() ||
                packages_[at->second].shipment_id != id) {
                return ups_error(400, "190100", "Invalid tracking number '" + number + "'.");
            }
            chosen.push_back(at->second);
            start = comma + 1;
        }
        if (chosen.size() > kVoidNumbersMax) {
            return ups_error(400, "190101", "At most 20 tracking numbers can be voided at once.");
        }
    } else {
        chosen = it->second.packages;
    }
    for (const auto index : chosen) {
        // Voidable until UPS has the package (its origin scan).
        if (visible_events(packages_[index]).size() > 1 || packages_[index].voided) {
            return ups_error(400, "190102", "The package is in transit or voided already.");
        }
    }
    json::array package_results;
    for (const auto index : chosen) {
        packages_[index].voided = true;
        packages_[index].voided_at = context_.clock.now();
        package_results.push_back(
            json::object{{"TrackingNumber", packages_[index].tracking},
                         {"Status", json::object{{"Code", "1"}, {"Description", "Voided"}}}});
    }
    it->second.voided = std::all_of(it->second.packages.begin(), it->second.packages.end(),
                                    [this](std::size_t i) { return packages_[i].voided; });
    json::object summary{{"Status", json::object{{"Code", "1"}, {"Description", "Voided"}}}};
    json::object out{{"Response", success_response(nullptr)}, {"SummaryResult", summary}};
    if (net::query_param(request.url, "trackingnumber")) {
        out["PackageLevelResults"] = std::move(package_results);
    }
    return json_ok(json::object{{"VoidShipmentResponse", std::move(out)}});
}

}  // namespace mlc::sandbox::ups

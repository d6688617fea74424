#include "flows/epicor_ups/release_resolver.hpp"

#include "common/mapping.hpp"
#include "model/weight.hpp"

namespace mlc::flows::epicor_ups {
namespace {

namespace ups = connectors::ups;

Error parked(ErrorCode code, const model::Order& release, std::string message) {
    Error error = make_error(code, "epicor", std::move(message));
    error.record_key = "Epicor release " + release.source.key;
    return error;
}

std::string what(const model::Order& release) {
    return "Epicor order " + release.number + " (release " + release.source.key + ")";
}

}  // namespace

std::string one_line(const model::Address& a) {
    std::string street = a.street1;
    if (!a.street2.empty()) street += " " + a.street2;
    return street + ", " + a.city + " " + a.state + " " + a.postal_code;
}

Result<ups::UpsShipmentDraft> ReleaseResolver::resolve(const model::Order& release,
                                                       const std::string& parent) {
    (void)parent;
    MLC_TRY(model::Address to, ship_to(release));
    if (options_.address_check) {
        MLC_TRY(to, checked(release, to));
    }
    MLC_TRY(ups::UpsPackage box, package(release));
    MLC_TRY(std::string code, service(release));
    return ups::UpsShipmentDraft{.reference = release.source.key,
                                 .order_number = release.number,
                                 .ship_to = std::move(to),
                                 .service_code = std::move(code),
                                 .packages = {std::move(box)},
                                 .label_format = options_.label_format};
}

Result<model::Address> ReleaseResolver::ship_to(const model::Order& release) {
    if (!release.ship_to.street1.empty()) return release.ship_to;
    MLC_TRY(auto customer, epicor_.find_customer_by_id(release.customer_code));
    if (!customer) {
        return parked(ErrorCode::kUnresolved, release,
                      what(release) + " ships to customer '" + release.customer_code +
                          "', which Epicor does not list: fix the order's customer, then replay");
    }
    model::Address to = customer->shipping.street1.empty() ? customer->billing : customer->shipping;
    if (to.street1.empty()) {
        return parked(ErrorCode::kUnresolved, release,
                      what(release) + " has no one-time ship-to and customer '" +
                          release.customer_code +
                          "' has no address: enter one on the order or the customer, then replay");
    }
    if (to.name.empty()) to.name = customer->name;
    if (to.country.empty() || to.country == "USA") to.country = "US";
    return to;
}

Result<model::Address> ReleaseResolver::checked(const model::Order& release,
                                                const model::Address& address) {
    MLC_TRY_CTX(ups::AddressCheck check, ups_.validate(address),
                "while validating the ship-to of " + what(release));
    if (check.kind == ups::AddressCheck::kValid) return check.address;
    if (check.kind == ups::AddressCheck::kNone) {
        return parked(ErrorCode::kRejected, release,
                      "UPS knows no address like " + one_line(address) + " (ship-to of " +
                          what(release) + "): correct it in Epicor, then replay");
    }
    std::string listed;
    for (std::size_t i = 0; i < check.candidates.size(); ++i) {
        listed +=
            (i == 0 ? "" : "; ") + std::to_string(i + 1) + ") " + one_line(check.candidates[i]);
    }
    return parked(ErrorCode::kRejected, release,
                  "UPS finds " + std::to_string(check.candidates.size()) + " addresses for " +
                      one_line(address) + " (ship-to of " + what(release) + "): " + listed +
                      ". Put the right one on the order in Epicor, then replay");
}

Result<model::Item> ReleaseResolver::part(const std::string& sku, const std::string& label) {
    if (auto known = parts_.find(sku); known != parts_.end()) return known->second;
    MLC_TRY(auto found, epicor_.find_part(sku));
    if (!found) {
        return make_error(ErrorCode::kUnresolved, "epicor",
                          label + " ships part '" + sku + "', which Epicor does not list");
    }
    parts_.emplace(sku, *found);
    return *found;
}

Result<ups::UpsPackage> ReleaseResolver::package(const model::Order& release) {
    model::PoundsTotal weight;
    Decimal value;
    for (const model::OrderLine& line : release.lines) {
        MLC_TRY(model::Item item, part(line.sku, what(release)));
        if (!item.weight || item.weight->is_zero() || item.weight->is_negative()) {
            return parked(ErrorCode::kUnresolved, release,
                          "part '" + line.sku + "' on " + what(release) +
                              " has no net weight: set NetWeight and NetWeightUOM on the part "
                              "in Epicor, then replay");
        }
        auto unit = model::parse_weight_unit(item.weight_unit);
        if (!unit) {
            return parked(ErrorCode::kUnresolved, release,
                          "part '" + line.sku + "': " + unit.error().message + ", then replay");
        }
        weight.add(item.weight->mul(line.quantity), *unit);
        value += line.unit_price.mul(line.quantity);
    }
    return ups::UpsPackage{.weight_lb = weight.declared(),
                           .declared_value = options_.declared_value ? value.round(2) : Decimal{},
                           .description = "Order " + release.number};
}

Result<std::string> ReleaseResolver::service(const model::Order& release) const {
    if (auto mapped = map_lookup(options_.services, release.requested_service)) return *mapped;
    if (!options_.default_service.empty()) return options_.default_service;
    return parked(ErrorCode::kUnresolved, release,
                  what(release) + " ships via '" + release.requested_service +
                      "', which has no UPS service: add it under mappings.services (e.g. " +
                      release.requested_service + ": \"03\"), then replay");
}

}  // namespace mlc::flows::epicor_ups

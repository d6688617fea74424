#include "connectors/ups/ups_shipments.hpp"

#include <utility>

namespace mlc::connectors::ups {

ShipmentsTarget::ShipmentsTarget(UpsClient& client, UpsShipper shipper, LabelSink sink)
    : client_(client), shipper_(std::move(shipper)), sink_(std::move(sink)) {}

Result<std::optional<std::string>> ShipmentsTarget::find_by_source(const std::string& source_key) {
    MLC_TRY_CTX(auto packages, client_.track_reference(source_key),
                "while looking up UPS shipment " + source_key + " by its reference");
    // UPS lists the packages in shipment order: the first one not voided is the shipment's id.
    for (const TrackedPackage& package : packages) {
        if (package.voided) continue;
        for (const std::string& reference : package.references) {
            if (reference == source_key) return std::optional<std::string>{package.tracking_number};
        }
    }
    return std::optional<std::string>{};
}

Result<std::string> ShipmentsTarget::create(const UpsShipmentDraft& record) {
    MLC_TRY(ShipResult shipped, client_.ship(shipper_, record));
    if (!sink_) return shipped.shipment_id;
    for (std::size_t i = 0; i < shipped.packages.size(); ++i) {
        ShippedPackage& package = shipped.packages[i];
        const LabelFile label{
            .reference = record.reference,
            .order_number = record.order_number,
            .tracking_number = package.tracking_number,
            .package = i + 1,
            .format = package.label_format.empty() ? record.label_format : package.label_format,
            .bytes = std::move(package.label_bytes)};
        if (auto stored = sink_(label); !stored) {
            // The shipment exists at UPS: the next run finds it by reference (no second label);
            // this label has to come from UPS.
            Error error = std::move(stored).error();
            error.message = "UPS shipment " + shipped.shipment_id + " for " + record.reference +
                            " was created but the label of package " + package.tracking_number +
                            " could not be stored (" + error.message +
                            "): fix the label store; reprint this label from UPS (ups.com "
                            "shipping history)";
            error.record_key = "shipment " + record.reference;
            return error;
        }
    }
    return shipped.shipment_id;
}

Result<void> ShipmentsTarget::update(const std::string& id, const UpsShipmentDraft& record) {
    // A label is not edited (updates() is false); the pipeline calls this only to complete a
    // create it found by reference after a lost answer, and UPS holds all of that shipment.
    (void)id;
    (void)record;
    return ok();
}

Result<void> ShipmentsTarget::close(const std::string& id) {
    auto voided = client_.void_shipment(id);
    if (voided || voided.error().code != ErrorCode::kNotFound) return voided;
    // "No shipment within the void period": already voided (a repeat after a lost answer), or
    // gone. Tracking tells which.
    MLC_TRY(auto package, client_.track_package(id));
    if (package && package->voided) return ok();
    return voided;
}

std::string ShipmentsTarget::describe(const UpsShipmentDraft& record) const {
    Decimal weight;
    for (const UpsPackage& package : record.packages) weight += package.weight_lb;
    std::string out = "UPS service " + record.service_code + " to " + record.ship_to.name;
    if (!record.ship_to.company.empty()) out += " (" + record.ship_to.company + ")";
    out += ", " + record.ship_to.city + " " + record.ship_to.state + " " +
           record.ship_to.postal_code + ", " + std::to_string(record.packages.size()) +
           (record.packages.size() == 1 ? " package, " : " packages, ") + weight.to_string(1) +
           " lb, reference " + record.reference;
    if (!record.order_number.empty()) out += ", order " + record.order_number;
    return out + ", " + record.label_format + " label";
}

}  // namespace mlc::connectors::ups

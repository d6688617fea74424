#include "connectors/ups/ups_shipments.hpp"

#include <algorithm>
#include <utility>

namespace mlc::connectors::ups {

ShipmentsTarget::ShipmentsTarget(UpsClient& client, UpsShipper shipper, LabelSink sink)
    : client_(client), shipper_(std::move(shipper)), sink_(std::move(sink)) {}

Result<std::optional<std::string>> ShipmentsTarget::find_by_source(const std::string& source_key) {
    MLC_TRY(auto numbers, packages_of(source_key));
    if (numbers.empty()) return std::optional<std::string>{};
    std::string id = numbers.front();
    found_[id] = std::move(numbers);  // update() recovers their labels.
    return std::optional<std::string>{std::move(id)};
}

Result<std::vector<std::string>> ShipmentsTarget::packages_of(const std::string& source_key) {
    MLC_TRY_CTX(auto packages, client_.track_reference(source_key),
                "while looking up UPS shipment " + source_key + " by its reference");
    // UPS lists the packages in shipment order: the first one not voided is the shipment's id.
    std::vector<std::string> numbers;
    for (const TrackedPackage& package : packages) {
        if (package.voided) continue;
        if (std::find(package.references.begin(), package.references.end(), source_key) !=
            package.references.end()) {
            numbers.push_back(package.tracking_number);
        }
    }
    return numbers;
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
                            "): fix the label store; the next run finds the shipment by its "
                            "reference and recovers its labels from UPS";
            error.record_key = "shipment " + record.reference;
            return error;
        }
    }
    return shipped.shipment_id;
}

Result<void> ShipmentsTarget::update(const std::string& id, const UpsShipmentDraft& record) {
    // A label is not edited (updates() is false): the pipeline calls this only to complete a
    // create it found by reference after a lost answer, whose labels were lost with the answer.
    std::vector<std::string> numbers;
    if (auto it = found_.find(id); it != found_.end()) {
        numbers = std::move(it->second);
        found_.erase(it);
    } else {
        MLC_TRY(numbers, packages_of(record.reference));
    }
    if (std::find(numbers.begin(), numbers.end(), id) == numbers.end()) {
        numbers.insert(numbers.begin(), id);
    }
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        MLC_CHECK(recover(id, record, numbers[i], i + 1));
    }
    return ok();
}

Result<void> ShipmentsTarget::recover(const std::string& id, const UpsShipmentDraft& record,
                                      const std::string& number, std::size_t package) {
    const std::string what = "UPS shipment " + id + " for " + record.reference +
                             " was found by its reference after a lost answer (not shipped "
                             "again), but the label of package " +
                             number;
    auto recovered = client_.recover_label(number, record.label_format);
    if (!recovered) {
        Error error = std::move(recovered).error();
        error.message = what + " could not be recovered: " + error.message;
        error.record_key = "shipment " + record.reference;
        return error;  // Retryable errors stay so: the next run finds it and tries again.
    }
    if (!sink_) return ok();
    const LabelFile label{
        .reference = record.reference,
        .order_number = record.order_number,
        .tracking_number = number,
        .package = package,
        .format = recovered->label_format.empty() ? record.label_format : recovered->label_format,
        .bytes = std::move(recovered->label_bytes)};
    if (auto stored = sink_(label); !stored) {
        Error error = std::move(stored).error();
        error.message = what + " could not be stored (" + error.message +
                        "): fix the label store; the next run recovers it again";
        error.record_key = "shipment " + record.reference;
        return error;
    }
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

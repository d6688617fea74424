#pragma once
// ShipmentsTarget: UPS shipments as a pipeline target (connector.hpp, Target<UpsShipmentDraft>).
//
//  * create() ships (one POST /ship, after which nothing is repeated), hands each package's label
//    to the recipe's LabelSink and answers the shipment's id: the first package's 1Z number. The
//    draft's `reference` (the source key) is the first reference number of every package (of the
//    shipment outside US/PR), so
//  * find_by_source(reference) finds it again through Tracking's reference search: a ship whose
//    answer was lost is found, never shipped twice. Voided packages do not count.
//  * updates() is false: a label is not edited. update() is the pipeline's completion of a
//    create found after a lost answer: nothing to write (the label of that ship was lost with the
//    answer: reprint it from UPS).
//  * close() voids every package (only possible before UPS's origin scan); a void repeated after
//    a lost answer is done when tracking shows the package voided.
//
// Calls per shipment: 1 (ship) on the normal path; + 1 reference search after a lost answer;
// close: 1 void (+ 1 tracking read when the void's answer says there is nothing to void).
//
// Lifecycle: one per flow run or flow; borrows the client. Thread safety: as UpsClient (the sink
// is called on the caller's thread). Ownership: borrows the client; owns the sink and shipper.

#include <string>

#include "connectors/connector.hpp"
#include "connectors/ups/ups_client.hpp"
#include "connectors/ups/ups_types.hpp"

namespace mlc::connectors::ups {

class ShipmentsTarget final : public Target<UpsShipmentDraft> {
  public:
    ShipmentsTarget(UpsClient& client, UpsShipper shipper, LabelSink sink);

    std::string system() const override { return std::string(kSystem); }
    std::string ref(const std::string& id) const override { return "ups:shipment:" + id; }
    bool searchable_by_source() const override { return true; }
    bool updates() const override { return false; }
    Result<std::optional<std::string>> find_by_source(const std::string& source_key) override;
    Result<std::string> create(const UpsShipmentDraft& record) override;
    Result<void> update(const std::string& id, const UpsShipmentDraft& record) override;
    Result<void> close(const std::string& id) override;
    std::string describe(const UpsShipmentDraft& record) const override;

    const UpsShipper& shipper() const { return shipper_; }

  private:
    UpsClient& client_;
    UpsShipper shipper_;
    LabelSink sink_;
};

}  // namespace mlc::connectors::ups

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
//    create found after a lost answer (or whose label the sink could not store): the labels of
//    that ship were lost with the answer, so each package's label is recovered from UPS (Label
//    Recovery by its tracking number, in the draft's format) and handed to the same LabelSink.
//    A recovery that fails is an error naming the shipment and the package (retryable when the
//    cause is: the binding stays pending, the next run finds the shipment again and retries),
//    never a second ship.
//  * close() voids every package (only possible before UPS's origin scan); a void repeated after
//    a lost answer is done when tracking shows the package voided.
//
// Calls per shipment: 1 (ship) on the normal path; after a lost answer 1 reference search + 1
// label recovery per package;
// close: 1 void (+ 1 tracking read when the void's answer says there is nothing to void).
//
// Lifecycle: one per flow run or flow; borrows the client. Thread safety: one thread at a time
// (the pipeline calls one flow's seams from one thread): find_by_source remembers the packages
// it found for update(); the sink is called on the caller's thread. Ownership: borrows the
// client; owns the sink and shipper.

#include <map>
#include <string>
#include <vector>

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
    // The live (not voided) packages shipped under `source_key`, in UPS's order.
    Result<std::vector<std::string>> packages_of(const std::string& source_key);
    // One package's label recovered and stored (`package`: 1-based).
    Result<void> recover(const std::string& id, const UpsShipmentDraft& record,
                         const std::string& number, std::size_t package);

    UpsClient& client_;
    UpsShipper shipper_;
    LabelSink sink_;
    std::map<std::string, std::vector<std::string>> found_;  // find_by_source: id -> packages
};

}  // namespace mlc::connectors::ups

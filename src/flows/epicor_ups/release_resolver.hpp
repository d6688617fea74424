#pragma once
// An Epicor release (connectors/epicor/epicor_releases.hpp) -> the UPS shipment that carries it,
// the one place the Epicor -> UPS recipe decides anything (no vendor JSON here):
//  * ship-to: the order's one-time ship-to, else the customer's shipping address (its billing
//    address when it has none); a customer Epicor does not know parks the release (kUnresolved);
//  * weight: sum of line quantity x part NetWeight in the part's NetWeightUOM (LB, KG, OZ),
//    converted to pounds exactly and rounded up to a tenth (model/weight.hpp); a part without a
//    weight or with another unit parks the release naming the part and the fix;
//  * service: `services` maps the release's Epicor ShipViaCode to a UPS service code; an unmapped
//    code uses `default_service`, or parks when that is empty;
//  * declared value: the lines' quantity x unit price, to the cent (`declared_value: false`: none);
//  * address validation first (`address_check`): valid -> shipped to UPS's standardised form;
//    ambiguous -> parked listing every candidate, so a person corrects the order and replays;
//    no candidates -> parked.
// Parts and customers are read once per resolver (one per page).
//
// Lifecycle: one per page (the pipeline's resolver factory). Thread safety: none. Ownership:
// borrows the clients and options.

#include <map>
#include <optional>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/ups/ups_client.hpp"
#include "connectors/ups/ups_types.hpp"
#include "flows/epicor_ups/shipments_options.hpp"

namespace mlc::flows::epicor_ups {

class ReleaseResolver final
    : public connectors::Resolver<model::Order, connectors::ups::UpsShipmentDraft> {
  public:
    ReleaseResolver(connectors::epicor::EpicorClient& epicor, connectors::ups::UpsClient& ups,
                    const ShipmentsOptions& options)
        : epicor_(epicor), ups_(ups), options_(options) {}
    Result<connectors::ups::UpsShipmentDraft> resolve(const model::Order& release,
                                                      const std::string& parent) override;

  private:
    Result<model::Address> ship_to(const model::Order& release);
    Result<connectors::ups::UpsPackage> package(const model::Order& release);
    Result<std::string> service(const model::Order& release) const;
    Result<model::Address> checked(const model::Order& release, const model::Address& address);
    Result<model::Item> part(const std::string& sku, const std::string& label);

    connectors::epicor::EpicorClient& epicor_;
    connectors::ups::UpsClient& ups_;
    const ShipmentsOptions& options_;
    std::map<std::string, model::Item> parts_;
};

// "100 MAIN ST, LOS ANGELES CA 90012-1234": one line for messages.
std::string one_line(const model::Address& address);

}  // namespace mlc::flows::epicor_ups

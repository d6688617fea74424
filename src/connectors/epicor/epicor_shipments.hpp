#pragma once
// Epicor shipments (CustShip packs with ShipStatus SHIPPED) as a pipeline source of
// model::Shipment, so that a pack shipped in Epicor can be confirmed where its order came from
// (an Amazon order: flows/amazon_epicor confirm_shipments).
//
//  * Read by keyset: ShipHead has no change date and SysRevID is raised on every write
//    (epicor-kinetic.md), so packs are read in (SysRevID, PackNum) order with
//    `ShipStatus eq 'SHIPPED' and (SysRevID gt R or (SysRevID eq R and PackNum gt P))`,
//    $expand=ShipDtls,CartonTrkDtls. Position "<SysRevID>|<PackNum>" of the last pack handed out.
//    A pack written again later (a user field, a carrier status) is read again; the pipeline's
//    content hash then writes nothing unless what the target needs changed.
//  * Each page's orders are read once (one SalesOrders call per page, $select OrderNum and the
//    source-key field): the order's source key (PONum by default: where the orders flow wrote
//    the marketplace order id) becomes Shipment::order_reference.
//  * Pack -> model::Shipment: source.key PackNum; order.key OrderNum; carrier and service
//    ShipViaCode; tracking the head's TrackingNumber, else its first carton's; ship_date ShipDate
//    (a local date in the server's zone); lines ShipDtls (sku PartNum, quantity
//    OurInventoryShipQty, order_line_key OrderLine). A pack whose numbers cannot be read is
//    rejected (parked), not the page.
//
// Lifecycle: one per flow. Thread safety: none (one run is one thread). Ownership: borrows the
// client.

#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_client.hpp"

namespace mlc::connectors::epicor {

struct ShipmentsSourceOptions {
    std::uint32_t page_size = 50;                 // Packs per Epicor request ($top).
    std::string order_reference_field = "PONum";  // OrderHed field -> Shipment::order_reference
};

// One CustShip row (with ShipDtls, CartonTrkDtls) -> the model; `zone`: the server's time zone.
Result<model::Shipment> shipment_from_pack(const boost::json::object& pack, std::string_view zone);

class ShipmentsSource final : public Source<model::Shipment> {
  public:
    ShipmentsSource(EpicorClient& client, ShipmentsSourceOptions options)
        : client_(client), options_(std::move(options)) {}
    std::string system() const override { return "epicor"; }
    Result<std::unique_ptr<Scan<model::Shipment>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Shipment>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Shipment& shipment) const override;

    // `rows`' packs with their order references (one SalesOrders call): records and rejects.
    Result<Batch<model::Shipment>> map_page(const std::vector<boost::json::object>& rows);

  private:
    EpicorClient& client_;
    ShipmentsSourceOptions options_;
};

}  // namespace mlc::connectors::epicor

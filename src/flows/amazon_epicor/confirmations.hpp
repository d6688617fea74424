#pragma once
// The optional second stream of "amazon-to-epicor-orders" (options.confirm_shipments, off by
// default): Epicor packs shipped for the Amazon orders this flow wrote are confirmed to Amazon
// with their carrier and tracking number, so the buyer sees them and Amazon counts the order as
// shipped on time. A recipe part only: the Epicor shipments source is connectors/epicor's, the
// confirmShipment target connectors/amazon's. What this file decides:
//
//  * Which packs: the pack's order carries an AmazonOrderId (3-7-7 digits) in the orders flow's
//    source-key field (PONum), and that Amazon order was written by this flow (the parent link to
//    the orders stream); other packs are never sent. A pack without a tracking number waits:
//    writing the tracking on the pack (ShipHead.TrackingNumber, as the UPS flow and Epicor's
//    Customer Shipment Entry do) raises its SysRevID and the pack is read again; a carton added
//    alone, the head untouched, is not seen until the head next changes.
//  * Items: each pack line's PartNum is matched to the Amazon order's items by seller SKU (equal,
//    or mapped to that PartNum by mappings.parts); units must be whole and no more than Amazon
//    still counts as unshipped. A part Amazon does not list on the order, or too many units, parks
//    the pack naming the part and the fix.
//  * Carrier: mappings.carriers maps the pack's ShipViaCode to Amazon's carrierCode (UPS, FedEx,
//    USPS, DHL...); an unmapped code goes as Other with the code as carrierName.
//  * Exactly once: the package reference is the PackNum; an uncertain confirmation is looked up
//    among the order's packages (connectors/amazon/amazon_shipments.hpp) before it is sent again.
//    A pack changed after it was confirmed is a difference (Amazon keeps the confirmed package).
//
// Lifecycle: owned by the flow's parts. Thread safety: none (one run is one thread).

#include <memory>

#include "connectors/amazon/amazon_shipments.hpp"
#include "connectors/epicor/epicor_shipments.hpp"
#include "flows/amazon_epicor/orders_options.hpp"
#include "pipeline/stream.hpp"

namespace mlc::flows::amazon_epicor {

inline constexpr const char* kShipmentsStream = "shipments";
inline constexpr const char* kPackSystem = "epicor-pack";  // Bindings of the packs.

using ConfirmStream = pipeline::Stream<model::Shipment, connectors::amazon::PackageConfirmation>;

struct Confirmations {
    std::unique_ptr<connectors::epicor::ShipmentsSource> source;
    std::unique_ptr<connectors::amazon::ShipmentConfirmations> target;
    ConfirmStream stream;
};

// Builds the stream over `epicor` and `amazon`; `options` must outlive it.
void wire_confirmations(Confirmations& c, connectors::epicor::EpicorClient& epicor,
                        connectors::amazon::AmazonClient& amazon,
                        const AmazonOrdersOptions& options);

// Whether `reference` reads as an AmazonOrderId (3-7-7 digits).
bool is_amazon_order_id(std::string_view reference);

}  // namespace mlc::flows::amazon_epicor

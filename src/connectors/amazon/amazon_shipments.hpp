#pragma once
// Shipment confirmations to Amazon (Orders v0 confirmShipment: the one operation that confirms a
// merchant-fulfilled package; Orders 2026-01-01 has none and lists confirmed packages under
// includedData=PACKAGES). Vendor JSON stops here:
//
//  * read_fulfilment(): getOrder 2026-01-01 with FULFILLMENT and PACKAGES -> the order's items
//    (orderItemId, seller SKU, ordered and shipped units), its confirmed packages (reference,
//    tracking, items) and whether it is merchant-fulfilled. nullopt when Amazon does not know the
//    order.
//  * ShipmentConfirmations, a pipeline target: create() confirms one package (not idempotent at
//    Amazon: a repeat is refused as "already fulfilled"), so the pipeline's pending binding and
//    find_by_source() recover a confirmation whose answer was lost: the key
//    "<AmazonOrderId>/<packageReferenceId>" is found among the order's packages. The target id is
//    that key. A confirmed package cannot be changed or withdrawn through the API: update() and
//    close() answer kLocked, which the pipeline lists as a difference for a person.
//
// Lifecycle: one per flow. Thread safety: as AmazonClient. Ownership: borrows the client.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/fwd.hpp>

#include "connectors/amazon/amazon_client.hpp"
#include "connectors/connector.hpp"

namespace mlc::connectors::amazon {

struct FulfilmentItem {
    std::string order_item_id = {};
    std::string seller_sku = {};
    std::int64_t ordered = 0;
    std::int64_t shipped = 0;
};

struct ConfirmedItem {
    std::string order_item_id = {};
    std::int64_t quantity = 0;
};

// A package confirmed on the order (PACKAGES).
struct ConfirmedPackage {
    std::string reference_id = {};
    std::string tracking_number = {};
    std::vector<ConfirmedItem> items = {};
};

struct Fulfilment {
    std::string order_id = {};
    std::string marketplace_id = {};
    std::string status = {};  // fulfillmentStatus: UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, ...
    bool merchant_fulfilled = true;
    std::vector<FulfilmentItem> items = {};
    std::vector<ConfirmedPackage> packages = {};
    // The package confirmed with `reference_id`, or null.
    const ConfirmedPackage* package(std::string_view reference_id) const;
};

Result<std::optional<Fulfilment>> read_fulfilment(AmazonClient& client,
                                                  const std::string& order_id);
// One getOrder 2026-01-01 `order` object -> Fulfilment (kInvalidInput naming the order).
Result<Fulfilment> fulfilment_from_2026(const boost::json::object& order);

// What one confirmShipment sends.
struct PackageConfirmation {
    std::string order_id = {};
    std::string marketplace_id = {};
    std::string package_reference_id = {};  // A positive number (Amazon refuses anything else)
    std::string carrier_code = {};          // UPS, USPS, FedEx, DHL, ... or Other
    std::string carrier_name = {};          // Required with Other
    std::string shipping_method = {};
    std::string tracking_number = {};
    UtcTime ship_date = {};
    std::vector<ConfirmedItem> items = {};
};

// The confirmShipment body (exposed for tests).
std::string confirmation_body(const PackageConfirmation& confirmation);
// "<AmazonOrderId>/<packageReferenceId>": the source key the target is searched by, and its id.
std::string package_key(std::string_view order_id, std::string_view reference);

class ShipmentConfirmations final : public Target<PackageConfirmation> {
  public:
    explicit ShipmentConfirmations(AmazonClient& client) : client_(client) {}
    std::string system() const override { return std::string(kSystem); }
    std::string ref(const std::string& id) const override { return "amazon:package:" + id; }
    Result<std::optional<std::string>> find_by_source(const std::string& key) override;
    Result<std::string> create(const PackageConfirmation& confirmation) override;
    Result<void> update(const std::string& id, const PackageConfirmation& confirmation) override;
    Result<void> close(const std::string& id) override;
    std::string describe(const PackageConfirmation& confirmation) const override;

  private:
    AmazonClient& client_;
};

}  // namespace mlc::connectors::amazon

#pragma once
// ShipStation products as a pipeline target for items (connector.hpp), matched by SKU.
//
// V1 can update a product (PUT /products/{id}, the whole product) but cannot create one: a
// product appears when an order first carries its SKU (shipstation.md "Products, customers").
// So an item is written only to a product ShipStation already holds:
//
//  * ProductCatalog: SKU -> productId for the whole account, listed once (pages of 500, inactive
//    products included) the first time a run asks, and forgotten at the next run's start. A
//    recipe asks it whether a SKU exists before writing (a SKU ShipStation does not have yet is
//    not an error: it is noted, and the product is made by ShipStation with the first order).
//  * ProductsTarget: create() finds the SKU's product and updates it (so "create" never makes a
//    product); update() starts from the product as this run's listing read it (else reads it:
//    one GET) and PUTs it back with the item's fields: name (the
//    item's description), price, weightOz (the weight in its unit, converted to ounces; no unit
//    reads as pounds) and active. Everything else on the product is kept as ShipStation holds it.
//    close() marks the product inactive.
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none (one run is one thread).
// Ownership: borrows the client (and the catalog).

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/shipstation/shipstation_client.hpp"

namespace mlc::connectors::shipstation {

inline constexpr std::uint32_t kCatalogPagesMax = 200;  // 100,000 products listed at most.

class ProductCatalog {
  public:
    explicit ProductCatalog(ShipStationClient& client) : client_(client) {}
    // The product with exactly this SKU; nullopt when ShipStation has none yet.
    Result<std::optional<std::int64_t>> find(const std::string& sku);
    // The product `id` as this run's listing read it (nullptr when not listed this run): an
    // update starts from it instead of reading the product again.
    const ProductRecord* listed(std::int64_t id) const;
    void forget() { loaded_ = false; }  // The next find() lists the catalogue again.

  private:
    ShipStationClient& client_;
    std::map<std::string, std::int64_t, std::less<>> by_sku_;
    std::map<std::int64_t, ProductRecord> by_id_;
    bool loaded_ = false;
};

class ProductsTarget final : public Target<model::Item> {
  public:
    ProductsTarget(ShipStationClient& client, ProductCatalog& catalog)
        : client_(client), catalog_(catalog) {}
    std::string system() const override { return "shipstation"; }
    std::string ref(const std::string& id) const override { return "shipstation:product:" + id; }
    Result<std::optional<std::string>> find_by_source(const std::string& sku) override;
    Result<std::string> create(const model::Item& item) override;
    Result<void> update(const std::string& id, const model::Item& item) override;
    Result<void> close(const std::string& id) override;
    // "SKU ITEM-0001: name 'Blue mug', price 12.50, 16 oz, active": also the content hash.
    std::string describe(const model::Item& item) const override;

  private:
    ShipStationClient& client_;
    ProductCatalog& catalog_;
};

// The item's weight in ounces (LB, KG, G or OZ; no unit: pounds), rounded to 2 decimals.
std::optional<Decimal> weight_ounces(const model::Item& item);

}  // namespace mlc::connectors::shipstation

#pragma once
// Acumatica stock items as a pipeline source (connector.hpp): StockItem changed since a time.
//
//  * StockItem filters on LastModifiedDateTime (acumatica.md): each scan lists
//    `LastModifiedDateTime gt <position - overlap>` in $top/$skip pages, positioned as sales
//    orders are (acumatica_scan.hpp: a pass cut between pages resumes at its next page).
//  * An item -> model::Item: sku = InventoryID, description = Description, unit_price =
//    DefaultPrice, weight = DimensionWeight in WeightUOM, active unless ItemStatus says otherwise
//    (Inactive, No Sales, Marked for Deletion), revision = LastModifiedDateTime (ISO UTC).
//  * Key and replay the InventoryID, ref "acumatica:StockItem:<InventoryID>", version
//    LastModifiedDateTime (exact).
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none (one run is one thread).
// Ownership: borrows the client.

#include <cstdint>
#include <memory>
#include <string>

#include "connectors/acumatica/acumatica_client.hpp"
#include "connectors/connector.hpp"
#include "connectors/time_position.hpp"

namespace mlc::connectors::acumatica {

struct ItemsSourceOptions {
    TimeWindow window = {};
    std::uint32_t page_size = 100;
};

class StockItemsSource final : public Source<model::Item> {
  public:
    StockItemsSource(AcumaticaClient& client, ItemsSourceOptions options)
        : client_(client), options_(options) {}
    std::string system() const override { return kSystem; }
    Result<std::unique_ptr<Scan<model::Item>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Item>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Item& item) const override;

    // One page of items changed after `since` ($skip = (page - 1) * page_size).
    Result<Page<model::Item>> list(UtcTime since, std::uint32_t page);

  private:
    AcumaticaClient& client_;
    ItemsSourceOptions options_;
};

Result<model::Item> item_from_json(const boost::json::object& item);

}  // namespace mlc::connectors::acumatica

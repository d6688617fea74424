#pragma once
// The items stream of "acumatica-to-shipstation-orders": Acumatica stock items -> the ShipStation
// products of the same SKU (option `items`, default true).
//
// ShipStation V1 updates products but cannot create them, and has no customer write at all
// (shipstation.md). So: an item whose SKU ShipStation holds has its product's name (the item's
// Description), price (DefaultPrice), weight (DimensionWeight in WeightUOM, as ounces) and active
// flag brought up to date; an item whose SKU ShipStation does not hold yet is not an error: it is
// noted in the audit trail ("will be created by ShipStation on its first order") and skipped, and
// its fields move on the item's next change once an order made the product. Customers travel
// inline on each order (customer, bill-to, ship-to) and are never written on their own.
//
// Lifecycle: built with the recipe's parts; lives with the flow. Thread safety: none (one run
// at a time). Ownership: borrows both clients.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connectors/acumatica/acumatica_items.hpp"
#include "connectors/shipstation/shipstation_products.hpp"
#include "pipeline/compose.hpp"

namespace mlc::flows::acumatica_shipstation {

inline constexpr const char* kItemSystem = "acumatica-item";

struct ItemsParts {
    std::unique_ptr<connectors::acumatica::StockItemsSource> source;
    std::unique_ptr<connectors::shipstation::ProductCatalog> catalog;
    std::unique_ptr<connectors::shipstation::ProductsTarget> target;
    pipeline::Stream<model::Item, model::Item> stream;
    // This run's items whose SKU ShipStation does not hold yet: (source ref, SKU).
    std::vector<std::pair<std::string, std::string>> waiting;
    // The versions noted already ("<ref>@<revision>"): the overlap re-reads them, noted once.
    std::set<std::string, std::less<>> noted;
};

void wire_items(ItemsParts& items, connectors::acumatica::AcumaticaClient& acumatica,
                connectors::shipstation::ShipStationClient& shipstation,
                connectors::TimeWindow window, std::uint32_t page_size);

// The items poll (the catalogue listed anew each run), the audit notes of SKUs ShipStation does
// not have yet, and the replay route of the stream's letters. `polled` false: the route only.
void add_items(pipeline::Flow& flow, ItemsParts& items, bool polled);

}  // namespace mlc::flows::acumatica_shipstation

#include "connectors/acumatica/acumatica_capabilities.hpp"

namespace mlc::connectors::acumatica {

std::vector<Capability> capabilities() {
    constexpr const char* kName = "acumatica";
    return {
        {.system = kName,
         .record = records::kOrder,
         .object = "SalesOrder (LastModified cursor)",
         .read = true,
         .note = "SalesOrdersSource (acumatica_streams.hpp), acumatica-to-shipstation-orders"},
        {.system = kName,
         .record = records::kShipment,
         .object = "Shipment (from the order, package TrackingNbr, ConfirmShipment)",
         .write = true,
         .note = "ShipmentsTarget (acumatica_targets.hpp), acumatica-to-shipstation-orders"},
        {.system = kName,
         .record = records::kCustomer,
         .object = "Customer (LastModifiedDateTime)",
         .note = "planned: the emulator serves it, no source yet"},
        {.system = kName,
         .record = records::kItem,
         .object = "StockItem (LastModifiedDateTime)",
         .read = true,
         .note = "StockItemsSource (acumatica_items.hpp), acumatica-to-shipstation-orders"},
    };
}

}  // namespace mlc::connectors::acumatica

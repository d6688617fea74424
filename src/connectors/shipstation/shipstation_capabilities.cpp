#include "connectors/shipstation/shipstation_capabilities.hpp"

namespace mlc::connectors::shipstation {

std::vector<Capability> capabilities() {
    constexpr const char* kName = "shipstation";
    return {
        {.system = kName,
         .record = records::kOrder,
         .object = "orders (modifyDate cursor, ORDER_NOTIFY)",
         .read = true,
         .note = "OrdersSource (shipstation_streams.hpp)"},
        {.system = kName,
         .record = records::kShipment,
         .object = "shipments (createDate cursor, SHIP_NOTIFY)",
         .read = true,
         .note = "ShipmentsSource (shipstation_streams.hpp)"},
        {.system = kName,
         .record = records::kShipment,
         .object = "V2 labels (created_at cursor, API-Key)",
         .read = true,
         .note = "LabelsSource (shipstation_v2.hpp), with a connection's api_key_v2"},
        {.system = kName,
         .record = records::kItem,
         .object = "products (update by SKU; V1 cannot create them)",
         .write = true,
         .note = "ProductsTarget (shipstation_products.hpp), acumatica-to-shipstation-orders"},
        {.system = kName,
         .record = records::kOrder,
         .object = "orders (createorder, create or update by orderKey)",
         .write = true,
         .note = "OrdersTarget (shipstation_targets.hpp), woocommerce-to-shipstation-orders"},
        {.system = kName,
         .record = records::kShipment,
         .object = "shipped orders (markasshipped)",
         .write = true,
         .note = "planned: the client can, no recipe marks orders shipped yet"},
    };
}

}  // namespace mlc::connectors::shipstation

#include "connectors/woocommerce/woocommerce_capabilities.hpp"

namespace mlc::connectors::woocommerce {

std::vector<Capability> capabilities() {
    constexpr const char* kName = "woocommerce";
    return {
        {.system = kName,
         .record = records::kOrder,
         .object = "orders (modified_after, order.created/updated webhooks)",
         .read = true,
         .note = "read by woocommerce-to-epicor-orders"},
        {.system = kName,
         .record = records::kRefund,
         .object = "order refunds",
         .read = true,
         .note = "children of an order"},
        {.system = kName,
         .record = records::kItem,
         .object = "products (batch create/update by SKU)",
         .write = true,
         .note = "written by epicor-to-woocommerce-catalog"},
        {.system = kName,
         .record = records::kCustomer,
         .object = "customers (create/update, found by email)",
         .write = true,
         .note = "written by epicor-to-woocommerce-catalog"},
        {.system = kName,
         .record = records::kShipment,
         .object = "shipments: order completed + a note with carrier and tracking (Fulfilments)",
         .write = true,
         .note = "written by woocommerce-to-shipstation-orders"},
    };
}

}  // namespace mlc::connectors::woocommerce

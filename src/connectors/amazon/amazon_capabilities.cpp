#include "connectors/amazon/amazon_capabilities.hpp"

namespace mlc::connectors::amazon {

std::vector<Capability> capabilities() {
    return {
        {.system = "amazon",
         .record = records::kOrder,
         .object = "orders (Orders 2026-01-01 searchOrders; v0 getOrders + getOrderItems)",
         .read = true,
         .note = "OrdersSource: by lastUpdatedAfter with an overlap, page tokens; v0 as a "
                 "per-connection fallback until 2027-03-27 (amazon_orders.hpp)"},
    };
}

}  // namespace mlc::connectors::amazon

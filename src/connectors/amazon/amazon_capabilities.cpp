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
        {.system = "amazon",
         .record = records::kSettlement,
         .object = "settlement reports (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2)",
         .read = true,
         .note = "SettlementReports: getReports, the GZIP document, parsed by header name "
                 "(amazon_reports.hpp)"},
    };
}

}  // namespace mlc::connectors::amazon

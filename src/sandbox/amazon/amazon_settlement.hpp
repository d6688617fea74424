#pragma once
// Settlement reports (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2): the rows an order, a refund
// and the account's periodic charges add to a settlement, and the tab-separated flat file with
// its header row, summary row and one row per amount component (amazon-sp-api.md). The summary's
// total-amount is always the sum of the amounts below it.
//
// Pure functions; thread safety: none needed.

#include <string>
#include <vector>

#include "common/decimal.hpp"
#include "sandbox/amazon/amazon_records.hpp"

namespace mlc::sandbox::amazon {

struct SettlementRow {
    std::string transaction_type = {};  // "Order", "Refund", "other-transaction"
    std::string order_id = {};
    std::string merchant_order_id = {};
    std::string adjustment_id = {};
    std::string shipment_id = {};
    std::string amount_type = {};         // "ItemPrice", "ItemFees", ...
    std::string amount_description = {};  // "Principal", "Commission", ...
    Decimal amount = {};
    UtcTime posted = {};
    std::string order_item_code = {};
    std::string sku = {};
    std::int64_t quantity = 0;  // Written only when > 0
    std::string promotion_id = {};
    std::string fulfillment_id = {};  // "AFN" or "MFN" on order rows
};

struct Settlement {
    std::string id = {};
    UtcTime start = {};
    UtcTime end = {};
    UtcTime deposit = {};
    std::string currency = "USD";
    std::string marketplace_name = "Amazon.com";
    std::vector<SettlementRow> rows = {};
};

inline constexpr std::string_view kSettlementReportType =
    "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2";

// The 24 column names of the V2 flat file, in Amazon's order.
const std::vector<std::string>& settlement_columns();

// Sale rows (principal, tax and its marketplace-facilitator offset, promotion, commission, FBA
// fee per unit) and, when `refund`, the refund rows instead.
std::vector<SettlementRow> order_rows(const Order& order, bool refund);
Decimal settlement_total(const Settlement& settlement);
std::string settlement_flat_file(const Settlement& settlement);

}  // namespace mlc::sandbox::amazon

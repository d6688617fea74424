#include "sandbox/amazon/amazon_settlement.hpp"

#include <date/date.h>

#include <algorithm>

namespace mlc::sandbox::amazon {
namespace {

// Cents: amounts in the emulator's fixtures (commission rate, FBA fee) are choices, not Amazon's
// fee schedule.
Decimal cents(std::int64_t value) { return Decimal::from_units(__int128{value} * 10'000); }
const Decimal kCommissionRate = Decimal::from_units(150'000);   // 15 %
const Decimal kRefundAdminRate = Decimal::from_units(200'000);  // 20 % of the commission
const Decimal kRefundAdminMax = cents(500);                     // ... at most 5.00
const Decimal kFbaFeePerUnit = cents(322);

// "2026-01-02 03:04:05 UTC": settlement dates and posted-date-time.
std::string utc_text(UtcTime t) {
    return date::format("%F %T UTC", std::chrono::floor<std::chrono::seconds>(t));
}
std::string date_text(UtcTime t) {
    return date::format("%F", std::chrono::floor<std::chrono::days>(t));
}

SettlementRow base_row(const Order& order, const OrderItem& item, bool refund, UtcTime posted) {
    // Field by field: GCC 12 warns falsely (-Wrestrict) on the braced temporary at -O3.
    SettlementRow row;
    row.transaction_type = refund ? "Refund" : "Order";
    row.order_id = order.id;
    row.merchant_order_id = order.seller_order_id;
    if (refund) {
        row.adjustment_id = order.id.substr(4);
        row.adjustment_id += 'R';
    } else {
        row.shipment_id = 'S';
        row.shipment_id.append(order.id, 4, 7);
    }
    row.posted = posted;
    row.order_item_code = item.order_item_id;
    row.sku = item.sku;
    row.quantity = refund ? 0 : item.quantity;
    row.fulfillment_id = order.amazon_fulfilled ? "AFN" : "MFN";
    return row;
}

void add(std::vector<SettlementRow>& rows, SettlementRow row, std::string type,
         std::string description, Decimal amount) {
    if (amount.is_zero()) return;
    row.amount_type = std::move(type);
    row.amount_description = std::move(description);
    row.amount = amount;
    rows.push_back(std::move(row));
}

}  // namespace

Decimal order_total(const Order& order) {
    Decimal total;
    for (const auto& item : order.items) {
        total +=
            item.unit_price.mul(item.quantity) + item.unit_tax.mul(item.quantity) - item.promotion;
    }
    return total;
}

const std::vector<std::string>& settlement_columns() {
    static const std::vector<std::string> kColumns{"settlement-id",
                                                   "settlement-start-date",
                                                   "settlement-end-date",
                                                   "deposit-date",
                                                   "total-amount",
                                                   "currency",
                                                   "transaction-type",
                                                   "order-id",
                                                   "merchant-order-id",
                                                   "adjustment-id",
                                                   "shipment-id",
                                                   "marketplace-name",
                                                   "amount-type",
                                                   "amount-description",
                                                   "amount",
                                                   "fulfillment-id",
                                                   "posted-date",
                                                   "posted-date-time",
                                                   "order-item-code",
                                                   "merchant-order-item-id",
                                                   "merchant-adjustment-item-id",
                                                   "sku",
                                                   "quantity-purchased",
                                                   "promotion-id"};
    return kColumns;
}

std::vector<SettlementRow> order_rows(const Order& order, bool refund) {
    std::vector<SettlementRow> rows;
    const UtcTime posted =
        refund ? order.refunded.value_or(order.updated) : order.shipped.value_or(order.updated);
    const Decimal sign = refund ? Decimal::from_int(-1) : Decimal::from_int(1);
    for (const auto& item : order.items) {
        const SettlementRow row = base_row(order, item, refund, posted);
        const Decimal principal = item.unit_price.mul(item.quantity);
        const Decimal tax = item.unit_tax.mul(item.quantity);
        const Decimal commission = (principal - item.promotion).mul(kCommissionRate).round(2);
        add(rows, row, "ItemPrice", "Principal", principal.mul(sign));
        add(rows, row, "ItemPrice", "Tax", tax.mul(sign));
        // US marketplace-facilitator states: Amazon collects the tax and withholds it again.
        add(rows, row, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", -tax.mul(sign));
        if (!refund) {
            SettlementRow promotion = row;
            promotion.promotion_id = item.promotion.is_zero() ? "" : "PROMO-" + item.sku;
            add(rows, promotion, "Promotion", "Principal", -item.promotion);
        }
        add(rows, row, "ItemFees", "Commission", -commission.mul(sign));
        if (refund) {
            const Decimal admin =
                std::min(kRefundAdminMax, commission.mul(kRefundAdminRate).round(2));
            add(rows, row, "ItemFees", "RefundCommission", -admin);
        } else if (order.amazon_fulfilled) {
            add(rows, row, "ItemFees", "FBAPerUnitFulfillmentFee",
                -kFbaFeePerUnit.mul(item.quantity));
        }
    }
    return rows;
}

Decimal settlement_total(const Settlement& settlement) {
    Decimal total;
    for (const auto& row : settlement.rows) total += row.amount;
    return total;
}

std::string settlement_flat_file(const Settlement& settlement) {
    const int digits = currency_minor_digits(settlement.currency);
    std::string out;
    const auto& columns = settlement_columns();
    for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "\t" : "") + columns[i];
    out += "\n";
    // The summary row: id, dates, deposit date, total, currency; the rest empty.
    out += settlement.id + "\t" + utc_text(settlement.start) + "\t" + utc_text(settlement.end) +
           "\t" + utc_text(settlement.deposit) + "\t" +
           settlement_total(settlement).to_string(digits) + "\t" + settlement.currency +
           std::string(columns.size() - 6, '\t') + "\n";
    for (const auto& row : settlement.rows) {
        out += settlement.id + "\t\t\t\t\t\t" + row.transaction_type + "\t" + row.order_id + "\t" +
               row.merchant_order_id + "\t" + row.adjustment_id + "\t" + row.shipment_id + "\t" +
               settlement.marketplace_name + "\t" + row.amount_type + "\t" +
               row.amount_description + "\t" + row.amount.to_string(digits) + "\t" +
               row.fulfillment_id + "\t" + date_text(row.posted) + "\t" + utc_text(row.posted) +
               "\t" + row.order_item_code + "\t\t\t" + row.sku + "\t" +
               (row.quantity > 0 ? std::to_string(row.quantity) : "") + "\t" + row.promotion_id +
               "\n";
    }
    return out;
}

}  // namespace mlc::sandbox::amazon

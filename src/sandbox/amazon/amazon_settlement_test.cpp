#include "sandbox/amazon/amazon_settlement.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "common/time.hpp"

namespace mlc::sandbox::amazon {
namespace {

Decimal money(std::string_view text) { return *Decimal::parse(text); }

// Rows of a flat file as header name -> value (parsed by header, as the connector must).
std::vector<std::map<std::string, std::string>> read_tsv(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream fields(line);
        while (std::getline(fields, cell, '\t')) cells.push_back(cell);
        if (!line.empty() && line.back() == '\t') cells.emplace_back();
        if (header.empty()) {
            header = cells;
            continue;
        }
        EXPECT_EQ(cells.size(), header.size()) << line;
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i)
            row[header[i]] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

Order sample_order() {
    return Order{.id = "112-1234567-7654321",
                 .seller_order_id = "MLC-000001",
                 .amazon_fulfilled = true,
                 .items = {OrderItem{.order_item_id = "12345678901234",
                                     .sku = "MLC-SKU-001",
                                     .quantity = 2,
                                     .unit_price = money("29.99"),
                                     .unit_tax = money("2.47"),
                                     .promotion = money("1.00")}},
                 .shipped = *parse_iso8601("2026-02-03T10:00:00Z"),
                 .refunded = *parse_iso8601("2026-02-09T10:00:00Z")};
}

TEST(SettlementFlatFile, HeaderSummaryAndRowsBalanceToTotalAmount) {
    Settlement settlement{.id = "23456789001",
                          .start = *parse_iso8601("2026-02-01T00:00:00Z"),
                          .end = *parse_iso8601("2026-02-15T00:00:00Z"),
                          .deposit = *parse_iso8601("2026-02-16T00:00:00Z")};
    settlement.rows = order_rows(sample_order(), false);
    for (auto& row : order_rows(sample_order(), true)) settlement.rows.push_back(row);
    const auto rows = read_tsv(settlement_flat_file(settlement));
    ASSERT_GT(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("settlement-id"), "23456789001");
    EXPECT_EQ(rows[0].at("settlement-start-date"), "2026-02-01 00:00:00 UTC");
    EXPECT_EQ(rows[0].at("currency"), "USD");
    EXPECT_EQ(rows[0].at("transaction-type"), "");
    Decimal sum;
    std::set<std::string> descriptions;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        sum += money(rows[i].at("amount"));
        descriptions.insert(rows[i].at("transaction-type") + "/" +
                            rows[i].at("amount-description"));
    }
    EXPECT_EQ(sum, money(rows[0].at("total-amount")));
    EXPECT_TRUE(descriptions.contains("Order/Principal"));
    EXPECT_TRUE(descriptions.contains("Order/FBAPerUnitFulfillmentFee"));
    EXPECT_TRUE(descriptions.contains("Refund/RefundCommission"));
    EXPECT_TRUE(descriptions.contains("Order/MarketplaceFacilitatorTax-Principal"));
    EXPECT_EQ(settlement_columns().size(), 24u);
}

TEST(SettlementFlatFile, ANegativeSettlementStillBalances) {
    Settlement settlement{.id = "1", .start = {}, .end = {}, .deposit = {}};
    settlement.rows = order_rows(sample_order(), true);  // Only the refund: fees exceed sales
    settlement.rows.push_back(SettlementRow{.transaction_type = "other-transaction",
                                            .amount_type = "other-transaction",
                                            .amount_description = "Subscription Fee",
                                            .amount = money("-39.99")});
    const auto rows = read_tsv(settlement_flat_file(settlement));
    Decimal sum;
    for (std::size_t i = 1; i < rows.size(); ++i) sum += money(rows[i].at("amount"));
    EXPECT_TRUE(sum.is_negative());
    EXPECT_EQ(sum, money(rows[0].at("total-amount")));
}

}  // namespace
}  // namespace mlc::sandbox::amazon

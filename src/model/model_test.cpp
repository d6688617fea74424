#include "model/model.hpp"
#include "model/order_hash.hpp"

#include <gtest/gtest.h>

namespace mlc::model {
namespace {

Decimal d(std::string_view text) { return Decimal::parse(text).value(); }

JournalEntry settlement_journal() {
    // An Amazon settlement posted as a journal: sales and fees, net to the bank.
    JournalEntry entry;
    entry.reference = "AMZ-SETTLEMENT-1234";
    entry.lines = {
        {.account = "1010 Bank", .debit = d("84.51"), .credit = {}, .description = "net payout"},
        {.account = "6100 Fees", .debit = d("15.49"), .credit = {}, .description = "fees"},
        {.account = "4000 Sales", .debit = {}, .credit = d("100.00"), .description = "item price"},
    };
    return entry;
}

TEST(JournalBalance, BalancedToTheCent) { EXPECT_TRUE(is_balanced(settlement_journal())); }

TEST(JournalBalance, OneCentOffIsUnbalanced) {
    JournalEntry entry = settlement_journal();
    entry.lines[0].debit = d("84.50");
    EXPECT_FALSE(is_balanced(entry));
}

TEST(JournalBalance, RoundedPercentageFeesBalanceWhenRemainderIsPosted) {
    // 15% fee on three lines rounded half-even per line; the bank line takes the remainder so the
    // entry balances exactly even though each fee was rounded.
    JournalEntry entry;
    Decimal sales;
    Decimal fees;
    for (const char* price : {"19.99", "5.05", "0.35"}) {
        sales += d(price);
        fees += d(price).mul(d("0.15")).round(2);
    }
    entry.lines.push_back({.account = "4000", .debit = {}, .credit = sales, .description = ""});
    entry.lines.push_back({.account = "6100", .debit = fees, .credit = {}, .description = ""});
    entry.lines.push_back(
        {.account = "1010", .debit = sales - fees, .credit = {}, .description = ""});
    EXPECT_TRUE(is_balanced(entry));
    EXPECT_EQ(fees, d("3.81"));  // 3.00 (2.9985) + 0.76 (0.7575) + 0.05 (0.0525)
}

TEST(JournalBalance, EmptyEntryIsBalanced) { EXPECT_TRUE(is_balanced(JournalEntry{})); }

TEST(OrderStatusNames, AreStableWords) {
    EXPECT_EQ(to_string(OrderStatus::kOnHold), "on_hold");
    EXPECT_EQ(to_string(OrderStatus::kShipped), "shipped");
    EXPECT_EQ(to_string(OrderStatus::kRefunded), "refunded");
}

TEST(OrderDifferences, NameEachFieldThatDiffersWithBothSides) {
    Order source;
    source.ship_to.street1 = "77 Late Change Ave";
    source.ship_to.city = "Tacoma";
    source.lines = {OrderLine{.line_key = "1",
                              .sku = "ITEM-1",
                              .description = {},
                              .quantity = d("2"),
                              .unit_price = d("9.50"),
                              .tax = {},
                              .discount = {}}};
    Order target = source;
    target.ship_to.street1 = "1 Main St";
    target.lines.front().quantity = d("1");
    target.lines.push_back(OrderLine{.line_key = "2",
                                     .sku = "ITEM-2",
                                     .description = {},
                                     .quantity = d("3"),
                                     .unit_price = {},
                                     .tax = {},
                                     .discount = {}});
    const auto differs = order_differences(source, target, "Acumatica", "ShipStation");
    ASSERT_EQ(differs.size(), 3u);
    EXPECT_EQ(differs[0], "quantity of ITEM-1: 2 in Acumatica, 1 in ShipStation");
    EXPECT_EQ(differs[1], "quantity of ITEM-2: 0 in Acumatica, 3 in ShipStation");
    EXPECT_EQ(differs[2],
              "ship-to street: 77 Late Change Ave in Acumatica, 1 Main St in ShipStation");
    EXPECT_TRUE(order_differences(source, source, "a", "b").empty());
    EXPECT_EQ(order_differences(source, target, "a", "b", 1).back(), "...");
}

}  // namespace
}  // namespace mlc::model

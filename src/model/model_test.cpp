#include "model/model.hpp"

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

}  // namespace
}  // namespace mlc::model

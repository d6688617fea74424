// The settlement ledger on its own: the worked example of amazon-sp-api.md posts as the
// accounting tools do, two fiscal periods carry forward through the transit account, unmapped
// types hold, an inconsistent settlement is refused.
#include "flows/amazon_epicor/settlements_ledger.hpp"

#include <gtest/gtest.h>

#include <date/date.h>

#include <map>

#include "common/time.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

Decimal money(std::string_view text) { return *Decimal::parse(text); }

amz::SettlementLine line(std::string tx, std::string type, std::string what, std::string amount,
                         std::string posted = "2026-02-10T10:00:00Z") {
    static std::size_t number = 2;
    amz::SettlementLine out{.settlement_id = "8",
                            .line = ++number,
                            .transaction_type = tx,
                            .amount_type = type,
                            .amount_description = what,
                            .amount = money(amount),
                            .posted = *parse_iso8601(posted)};
    out.group = amz::settlement_group(tx, type, what);
    return out;
}

std::vector<amz::SettlementLine> worked_example() {
    return {line("Order", "ItemPrice", "Principal", "100"),
            line("Order", "ItemPrice", "Shipping", "5"),
            line("Order", "ItemPrice", "Tax", "8.40"),
            line("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "-8.40"),
            line("Order", "Promotion", "Principal", "-10"),
            line("Order", "ItemFees", "Commission", "-15"),
            line("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "-4.50"),
            line("Refund", "ItemPrice", "Principal", "-20"),
            line("Refund", "ItemFees", "Commission", "3"),
            line("Refund", "ItemFees", "RefundCommission", "-0.60"),
            line("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", "8.63"),
            line("other-transaction", "other-transaction", "Storage Fee", "-1.10"),
            line("other-transaction", "other-transaction", "Subscription Fee", "-39.99"),
            line("other-transaction", "Cost of Advertising", "TransactionTotalAmount", "-12.40"),
            line("other-transaction", "other-transaction", "Previous Reserve Amount Balance", "50"),
            line("other-transaction", "other-transaction", "Current Reserve Amount", "-55")};
}

amz::SettlementSummary summary(std::string total) {
    return {.id = "8",
            .start = *parse_iso8601("2026-02-01T00:00:00Z"),
            .end = *parse_iso8601("2026-02-15T00:00:00Z"),
            .deposit = *parse_iso8601("2026-02-16T00:00:00Z"),
            .total = money(total),
            .currency = "USD"};
}

LedgerOptions us() { return {.rules = default_us_rules()}; }

Decimal on(const PeriodJournal& journal, const std::string& account) {
    Decimal sum;
    for (const auto& l : journal.lines) {
        if (l.account == account) sum += l.amount;
    }
    return sum;
}

TEST(SettlementLedger, WorkedExamplePostsAsTheAccountingToolsDo) {
    auto ledger = settlement_ledger(summary("8.04"), worked_example(), us());
    ASSERT_TRUE(ledger) << ledger.error().message;
    ASSERT_EQ(ledger->journals.size(), 1u);
    const PeriodJournal& j = ledger->journals.front();
    EXPECT_EQ(on(j, "1050"), money("8.04"));   // Dr clearing: the deposit
    EXPECT_EQ(on(j, "4050"), money("10"));     // Dr promotions
    EXPECT_EQ(on(j, "6100"), money("12.60"));  // Dr referral fees, net of refunded commission
    EXPECT_EQ(on(j, "6110"), money("5.60"));   // Dr FBA and storage
    EXPECT_EQ(on(j, "4090"), money("20"));     // Dr refunds
    EXPECT_EQ(on(j, "6120"), money("39.99"));  // Dr subscription
    EXPECT_EQ(on(j, "6200"), money("12.40"));  // Dr advertising
    EXPECT_EQ(on(j, "1060"), money("5"));      // Dr reserve, net
    EXPECT_EQ(on(j, "4000") + on(j, "4010"), money("-105"));  // Cr sales
    EXPECT_EQ(on(j, "4900"), money("-8.63"));                 // Cr reimbursements
    EXPECT_EQ(on(j, "2200"), money("0"));                     // Tax and its facilitator offset
    // The example nets each account (the journal shows tax and its facilitator offset, the
    // reserve held and released, on lines of their own).
    std::map<std::string, Decimal> net;
    for (const auto& l : j.lines) net[l.account] += l.amount;
    Decimal debits;
    for (const auto& [account, amount] : net) {
        if (!amount.is_negative()) debits += amount;
    }
    EXPECT_EQ(debits, money("113.63"));
    EXPECT_TRUE(ledger->check.ok());
    EXPECT_EQ(ledger->check.journal_net, money("8.04"));
    EXPECT_NE(describe_ledger(*ledger).find("referral fees"), std::string::npos);
}

TEST(SettlementLedger, TwoFiscalPeriodsCarryForwardAndSumToTheDeposit) {
    auto lines = worked_example();
    lines[0].posted = *parse_iso8601("2026-01-30T10:00:00Z");  // Principal 100 in January
    lines[5].posted = *parse_iso8601("2026-01-31T23:59:59Z");  // Commission -15 too
    auto s = summary("8.04");
    s.start = *parse_iso8601("2026-01-25T00:00:00Z");
    auto ledger = settlement_ledger(s, lines, us());
    ASSERT_TRUE(ledger) << ledger.error().message;
    ASSERT_EQ(ledger->journals.size(), 2u);
    const auto& jan = ledger->journals[0];
    const auto& feb = ledger->journals[1];
    EXPECT_EQ(jan.period.period, 1u);
    EXPECT_EQ(feb.period.period, 2u);
    EXPECT_EQ(jan.settled, money("85"));
    EXPECT_EQ(on(jan, "1055"), money("85"));   // Carried forward ...
    EXPECT_EQ(on(feb, "1055"), money("-85"));  // ... and back
    EXPECT_EQ(on(jan, "1050"), money("0"));
    EXPECT_EQ(on(feb, "1050"), money("8.04"));
    EXPECT_EQ(jan.settled + feb.settled, money("8.04"));
    EXPECT_EQ(date::format("%F", std::chrono::floor<date::days>(jan.date)), "2026-01-31");
    EXPECT_TRUE(ledger->check.ok());
}

TEST(SettlementLedger, FiscalYearStartingInJulyNumbersPeriodsFromJuly) {
    EXPECT_EQ(fiscal_period_of(*parse_iso8601("2026-07-03T00:00:00Z"), 7), (FiscalPeriod{2027, 1}));
    EXPECT_EQ(fiscal_period_of(*parse_iso8601("2026-06-30T00:00:00Z"), 7),
              (FiscalPeriod{2026, 12}));
    EXPECT_EQ(fiscal_period_of(*parse_iso8601("2026-06-30T00:00:00Z"), 1), (FiscalPeriod{2026, 6}));
}

TEST(SettlementLedger, UnmappedTypesHoldNamingEveryOne) {
    auto lines = worked_example();
    lines.push_back(line("Order", "ItemFees", "NewMysteryFee", "-1"));
    lines.push_back(line("Order", "ItemFees", "NewMysteryFee", "-1"));
    lines.push_back(line("other-transaction", "Loan", "Repayment", "-2"));
    auto held = settlement_ledger(summary("4.04"), lines, us());
    ASSERT_FALSE(held);
    EXPECT_EQ(held.error().code, ErrorCode::kUnresolved);
    EXPECT_NE(held.error().message.find("Order/ItemFees/NewMysteryFee (lines"), std::string::npos)
        << held.error().message;
    EXPECT_NE(held.error().message.find("other-transaction/Loan/Repayment"), std::string::npos);
    // Mapped in the flow's table, it posts.
    LedgerOptions mapped = us();
    auto extra =
        rules_from_mapping({{"Order/ItemFees/NewMysteryFee", "6120"}, {"*/Loan/*", "2500"}});
    ASSERT_TRUE(extra);
    mapped.rules.insert(mapped.rules.begin(), extra->begin(), extra->end());
    EXPECT_TRUE(settlement_ledger(summary("4.04"), lines, mapped));
    EXPECT_FALSE(rules_from_mapping({{"Order/ItemFees", "6120"}}));
}

TEST(SettlementLedger, LinesThatMissTheTotalAreRefused) {
    auto refused = settlement_ledger(summary("9.04"), worked_example(), us());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(refused.error().message.find("sum to 8.04"), std::string::npos);
}

TEST(SettlementLedger, NegativeSettlementBalances) {
    std::vector<amz::SettlementLine> lines{
        line("Order", "ItemPrice", "Principal", "20"),
        line("Order", "ItemFees", "Commission", "-3"),
        line("other-transaction", "other-transaction", "Subscription Fee", "-39.99")};
    auto ledger = settlement_ledger(summary("-22.99"), lines, us());
    ASSERT_TRUE(ledger) << ledger.error().message;
    EXPECT_EQ(on(ledger->journals.front(), "1050"), money("-22.99"));  // Cr clearing
    EXPECT_TRUE(ledger->check.ok());
}

}  // namespace
}  // namespace mlc::flows::amazon_epicor

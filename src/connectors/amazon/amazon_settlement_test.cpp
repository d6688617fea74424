// The settlement flat file reader: by header name, exact money in the marketplace's format, the
// content type's charset, and errors that name the line.
#include "connectors/amazon/amazon_settlement.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/time.hpp"
#include "sandbox/amazon/amazon_settlement.hpp"

namespace mlc::connectors::amazon {
namespace {

namespace emu = sandbox::amazon;

Decimal money(std::string_view text) { return *Decimal::parse(text); }

emu::Settlement sample() {
    emu::Order order{.id = "112-1234567-7654321",
                     .seller_order_id = "MLC-000001",
                     .amazon_fulfilled = true,
                     .items = {emu::OrderItem{.order_item_id = "12345678901234",
                                              .sku = "MLC-SKU-001",
                                              .quantity = 2,
                                              .unit_price = money("29.99"),
                                              .unit_tax = money("2.47"),
                                              .promotion = money("1.00")}},
                     .shipped = *parse_iso8601("2026-02-03T10:00:00Z"),
                     .refunded = *parse_iso8601("2026-02-09T10:00:00Z")};
    emu::Settlement s{.id = "23456789001",
                      .start = *parse_iso8601("2026-02-01T00:00:00Z"),
                      .end = *parse_iso8601("2026-02-15T00:00:00Z"),
                      .deposit = *parse_iso8601("2026-02-16T00:00:00Z")};
    s.rows = emu::order_rows(order, false);
    for (auto& row : emu::order_rows(order, true)) s.rows.push_back(row);
    return s;
}

const std::string kHeader =
    "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\t"
    "currency\ttransaction-type\tamount-type\tamount-description\tamount\tposted-date\n";

TEST(SettlementParse, ReadsTheEmulatorsFileExactly) {
    const emu::Settlement s = sample();
    auto file = parse_settlement(emu::settlement_flat_file(s), {});
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(file->summary.id, "23456789001");
    EXPECT_EQ(file->summary.total, emu::settlement_total(s));
    EXPECT_EQ(file->summary.currency, "USD");
    EXPECT_EQ(file->summary.start, *parse_iso8601("2026-02-01T00:00:00Z"));
    EXPECT_EQ(file->summary.deposit, *parse_iso8601("2026-02-16T00:00:00Z"));
    ASSERT_EQ(file->lines.size(), s.rows.size());
    Decimal sum;
    for (const auto& line : file->lines) sum += line.amount;
    EXPECT_EQ(sum, file->summary.total);
    EXPECT_EQ(file->lines[0].line, 3u);
    EXPECT_EQ(file->lines[0].group, SettlementGroup::kSales);
    EXPECT_EQ(file->lines[0].amount, money("59.98"));
    EXPECT_EQ(file->lines[0].quantity, 2);
    EXPECT_EQ(file->lines[0].sku, "MLC-SKU-001");
    EXPECT_EQ(file->lines[0].posted, *parse_iso8601("2026-02-03T10:00:00Z"));
}

TEST(SettlementParse, FindsColumnsByNameInAnyOrder) {
    const std::string text =
        "amount\tamount-description\tamount-type\ttransaction-type\tcurrency\ttotal-amount\t"
        "deposit-date\tsettlement-end-date\tsettlement-start-date\tsettlement-id\tnew-column\n"
        "\t\t\t\tUSD\t7.50\t2026-02-16 00:00:00 UTC\t2026-02-15 00:00:00 UTC\t"
        "2026-02-01 00:00:00 UTC\t99\t\n"
        "10.00\tPrincipal\tItemPrice\tOrder\t\t\t\t\t\t99\tx\n"
        "-2.50\tCommission\tItemFees\tOrder\t\t\t\t\t\t99\ty\n";
    auto file = parse_settlement(text, {});
    ASSERT_TRUE(file) << file.error().message;
    ASSERT_EQ(file->lines.size(), 2u);
    EXPECT_EQ(file->lines[1].amount, money("-2.50"));
    EXPECT_EQ(file->lines[1].group, SettlementGroup::kReferralFees);
    EXPECT_EQ(file->summary.total, money("7.50"));
}

TEST(SettlementParse, EuropeanMarketplaceReadsDecimalCommaAndDayFirstDates) {
    const std::string text = kHeader +
                             "77\t01.02.2026 00:00:00 UTC\t15.02.2026 00:00:00 UTC\t16.02.2026\t"
                             "1.229,90\tEUR\t\t\t\t\t\n"
                             "77\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\t1.234,56\t03.02.2026\n"
                             "77\t\t\t\t\t\tOrder\tItemFees\tCommission\t-4,66\t03.02.2026\n";
    const SettlementFormat de = settlement_format("A1PA6795UKMFR9");
    EXPECT_TRUE(de.decimal_comma);
    EXPECT_EQ(settlement_format("Amazon.fr").decimal_comma, true);
    auto file = parse_settlement(text, de);
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(file->summary.total, money("1229.90"));
    EXPECT_EQ(file->lines[0].amount, money("1234.56"));  // Not 100x too large
    EXPECT_EQ(file->lines[0].posted, *parse_iso8601("2026-02-03T00:00:00Z"));
    EXPECT_EQ(file->summary.deposit, *parse_iso8601("2026-02-16T00:00:00Z"));
    // The same file read as a US one is refused, never misread.
    auto us = parse_settlement(text, {});
    ASSERT_FALSE(us);
    EXPECT_NE(us.error().message.find("line 2"), std::string::npos) << us.error().message;
}

TEST(SettlementParse, AmountsAreExactAndGroupingIsChecked) {
    EXPECT_EQ(*parse_settlement_amount("1,234.56", {}), money("1234.56"));
    EXPECT_EQ(*parse_settlement_amount("-0.01", {}), money("-0.01"));
    EXPECT_EQ(*parse_settlement_amount("1234567.89", {}), money("1234567.89"));
    for (const char* bad : {"1,5", "12,34.5", "", "-", "1.2.3", "1e3", " 1", "0x10", "1,234,5"}) {
        EXPECT_FALSE(parse_settlement_amount(bad, {})) << bad;
    }
    EXPECT_EQ(*parse_settlement_amount("-1.234,5", {.decimal_comma = true}), money("-1234.5"));
}

TEST(SettlementParse, CharsetComesFromTheContentType) {
    EXPECT_EQ(charset_of("text/plain; charset=Cp1252"), "CP1252");
    EXPECT_EQ(charset_of("text/plain;charset=\"ISO-8859-1\""), "ISO-8859-1");
    EXPECT_EQ(charset_of("text/plain"), "");
    // "Caf\xE9" in windows-1252 is "Café" in UTF-8.
    auto text = to_utf8("Caf\xE9\n", "text/plain; charset=windows-1252");
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(*text, "Caf\xC3\xA9\n");
    // Shift_JIS (cp932) for the Japanese marketplace.
    auto jp = to_utf8("\x83\x65\x83\x58\x83\x67", "text/plain; charset=Cp932");
    ASSERT_TRUE(jp) << jp.error().message;
    EXPECT_EQ(*jp, "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88");  // テスト
    auto broken = to_utf8("ok\nok\nCaf\xE9", "text/plain; charset=UTF-8");
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("line 3"), std::string::npos) << broken.error().message;
    EXPECT_FALSE(to_utf8("x", "text/plain; charset=klingon"));
}

TEST(SettlementParse, ErrorsNameTheLine) {
    const std::string summary = "5\t2026-02-01\t2026-02-15\t2026-02-16\t1.00\tUSD\t\t\t\t\t\n";
    struct Case {
        std::string text, needle;
    };
    const Case cases[] = {
        {"", "line 1"},
        {"foo\tbar\n" + summary, "line 1: the header lacks settlement-id"},
        {kHeader, "line 2: no summary row"},
        {kHeader + "5\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\t1.00\t\n", "line 2: the summary row"},
        {kHeader + summary + "5\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\tabc\t\n",
         "line 3: amount: 'abc' is not an amount"},
        {kHeader + summary + "\n5\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\t1\t2026-13-45\n",
         "line 4: posted-date"},
        {kHeader + summary + "6\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\t1.00\t\n",
         "line 3: settlement-id '6'"},
        {kHeader + summary + "5\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\t1.00\t\textra\n",
         "line 3: 12 fields, the header has 11"},
        {kHeader + summary + "5\t\t\t\t\t\tOrder\t\tPrincipal\t1.00\t\n",
         "line 3: amount-type and amount are required"},
    };
    for (const Case& c : cases) {
        auto file = parse_settlement(c.text, {});
        ASSERT_FALSE(file) << c.needle;
        EXPECT_EQ(file.error().code, ErrorCode::kInvalidInput);
        EXPECT_NE(file.error().message.find(c.needle), std::string::npos)
            << file.error().message << " / " << c.needle;
    }
}

TEST(SettlementGroups, EveryRowTypeOfTheWorkedExampleHasItsGroup) {
    using G = SettlementGroup;
    EXPECT_EQ(settlement_group("Order", "ItemPrice", "Principal"), G::kSales);
    EXPECT_EQ(settlement_group("Order", "ItemPrice", "Shipping"), G::kShipping);
    EXPECT_EQ(settlement_group("Order", "ItemPrice", "Tax"), G::kTax);
    EXPECT_EQ(settlement_group("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
              G::kFacilitatorTax);
    EXPECT_EQ(settlement_group("Order", "Promotion", "Principal"), G::kPromotions);
    EXPECT_EQ(settlement_group("Order", "ItemFees", "Commission"), G::kReferralFees);
    EXPECT_EQ(settlement_group("Order", "ItemFees", "FBAPerUnitFulfillmentFee"), G::kFbaFees);
    EXPECT_EQ(settlement_group("Refund", "ItemPrice", "Principal"), G::kRefunds);
    EXPECT_EQ(settlement_group("Refund", "ItemFees", "RefundCommission"), G::kReferralFees);
    EXPECT_EQ(
        settlement_group("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE"),
        G::kReimbursements);
    EXPECT_EQ(settlement_group("other-transaction", "other-transaction", "Storage Fee"),
              G::kFbaFees);
    EXPECT_EQ(settlement_group("other-transaction", "other-transaction", "Subscription Fee"),
              G::kOtherFees);
    EXPECT_EQ(
        settlement_group("other-transaction", "Cost of Advertising", "TransactionTotalAmount"),
        G::kAdvertising);
    EXPECT_EQ(settlement_group("other-transaction", "other-transaction", "Current Reserve Amount"),
              G::kReserveCurrent);
    EXPECT_EQ(settlement_group("other-transaction", "other-transaction",
                               "Previous Reserve Amount Balance"),
              G::kReservePrevious);
    EXPECT_EQ(settlement_group("other-transaction", "Mystery", "Thing"), G::kOther);
}

}  // namespace
}  // namespace mlc::connectors::amazon

#include "common/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace mlc {
namespace {

Decimal d(std::string_view text) { return Decimal::parse(text).value(); }

TEST(DecimalParse, ReadsVendorAmountsExactly) {
    EXPECT_EQ(d("12.30").units(), 12'300'000);
    EXPECT_EQ(d("-0.5").units(), -500'000);
    EXPECT_EQ(d("+3").units(), 3'000'000);
    EXPECT_EQ(d(".5").units(), 500'000);
    EXPECT_EQ(d("0").units(), 0);
    EXPECT_EQ(d("-0").units(), 0);
    EXPECT_EQ(d("007.25").units(), 7'250'000);
    EXPECT_EQ(d("0.000001").units(), 1);
}

TEST(DecimalParse, AcceptsExtraFractionDigitsOnlyWhenZero) {
    EXPECT_EQ(d("1.25000000000").units(), 1'250'000);
    const auto refused = Decimal::parse("1.0000001");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
}

TEST(DecimalParse, RefusesWhatIsNotAPlainDecimal) {
    for (const char* text : {"1e2", "abc", "", "1.2.3", "-", "+", ".", "5.", " 1", "1 ", "1,5",
                             "--1", "0x10", "1.5e-3", "NaN"}) {
        const auto result = Decimal::parse(text);
        EXPECT_FALSE(result) << "accepted \"" << text << "\"";
        if (!result) {
            EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
        }
    }
}

TEST(DecimalParse, ErrorNamesTheText) {
    const auto result = Decimal::parse("12,30");
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("\"12,30\""), std::string::npos);
}

TEST(DecimalParse, RefusesMoreIntegerDigitsThanFit) {
    EXPECT_TRUE(Decimal::parse("123456789012345678901234"));  // 24 digits
    EXPECT_FALSE(Decimal::parse("1234567890123456789012345"));
    EXPECT_TRUE(Decimal::parse("0000000000000000000000000000001"));  // leading zeros do not count
    EXPECT_FALSE(Decimal::parse(std::string(200, '1')));
}

TEST(DecimalFormat, ShortestTextIsExact) {
    EXPECT_EQ(d("12.30").to_string(), "12.3");
    EXPECT_EQ(d("-0.5").to_string(), "-0.5");
    EXPECT_EQ(d("0.00").to_string(), "0");
    EXPECT_EQ(d("100").to_string(), "100");
    EXPECT_EQ(d("0.000001").to_string(), "0.000001");
    EXPECT_EQ(d("-123456.789").to_string(), "-123456.789");
}

TEST(DecimalFormat, FixedDigitsRoundHalfEven) {
    EXPECT_EQ(d("12.3").to_string(2), "12.30");
    EXPECT_EQ(d("0.125").to_string(2), "0.12");
    EXPECT_EQ(d("0.135").to_string(2), "0.14");
    EXPECT_EQ(d("-0.125").to_string(2), "-0.12");
    EXPECT_EQ(d("2.5").to_string(0), "2");
    EXPECT_EQ(d("3.5").to_string(0), "4");
    EXPECT_EQ(d("-0.004").to_string(2), "0.00");
    EXPECT_EQ(d("1.5").to_string(7), "1.5000000");
}

TEST(DecimalRound, HalfEvenAtTheCurrencyMinorUnit) {
    EXPECT_EQ(d("0.125").round(2), d("0.12"));
    EXPECT_EQ(d("0.135").round(2), d("0.14"));
    EXPECT_EQ(d("-0.125").round(2), d("-0.12"));
    EXPECT_EQ(d("-0.135").round(2), d("-0.14"));
    EXPECT_EQ(d("0.1251").round(2), d("0.13"));
    EXPECT_EQ(d("1234.5").round(0), d("1234"));
    EXPECT_EQ(d("1.23456").round(6), d("1.23456"));
}

TEST(DecimalArithmetic, AddsAndSubtractsExactly) {
    Decimal sum;
    for (int i = 0; i < 10; ++i) sum += d("0.1");
    EXPECT_EQ(sum, d("1"));
    EXPECT_EQ(d("5.25") - d("10.5"), d("-5.25"));
    EXPECT_EQ(-d("3"), d("-3"));
    sum -= d("0.3");
    EXPECT_EQ(sum, d("0.7"));
    EXPECT_TRUE(d("-1").is_negative());
    EXPECT_TRUE((d("1.5") - d("1.5")).is_zero());
    EXPECT_LT(d("-2"), d("1"));
}

TEST(DecimalArithmetic, MultipliesByQuantityExactly) {
    EXPECT_EQ(d("19.99").mul(3), d("59.97"));
    EXPECT_EQ(d("0.000001").mul(1'000'000), d("1"));
    EXPECT_EQ(d("2.5").mul(-4), d("-10"));
    EXPECT_EQ(Decimal::from_int(7), d("7"));
    EXPECT_EQ(Decimal::from_units(1), d("0.000001"));
}

TEST(DecimalArithmetic, MultipliesByDecimalRoundingHalfEven) {
    EXPECT_EQ(d("1.5").mul(d("2")), d("3"));
    EXPECT_EQ(d("19.99").mul(d("0.0825")), d("1.649175"));
    EXPECT_EQ(d("0.000001").mul(d("0.5")), d("0"));         // 0.0000005 -> even 0
    EXPECT_EQ(d("0.000003").mul(d("0.5")), d("0.000002"));  // 0.0000015 -> even 2
    EXPECT_EQ(d("-0.000003").mul(d("0.5")), d("-0.000002"));
    EXPECT_EQ(d("-2").mul(d("-1.25")), d("2.5"));
    // Large values do not overflow the intermediate product.
    EXPECT_EQ(d("1000000000000").mul(d("1000000000")), d("1000000000000000000000"));
}

TEST(DecimalProperty, FormatThenParseIsIdentity) {
    std::mt19937_64 random(20240315);
    std::uniform_int_distribution<std::int64_t> units(-1'000'000'000'000'000,
                                                      1'000'000'000'000'000);
    for (int i = 0; i < 2000; ++i) {
        const Decimal x = Decimal::from_units(units(random));
        EXPECT_EQ(d(x.to_string()), x) << x.to_string();
        EXPECT_EQ(d(x.to_string(Decimal::kScale)), x);
    }
}

TEST(DecimalProperty, RoundedLineTotalsSumTheSameBothWays) {
    // An invoice total is the sum of its rounded line totals; summing the formatted cents as
    // integers must give the same total, or a journal would not balance to the cent.
    std::mt19937_64 random(42);
    std::uniform_int_distribution<std::int64_t> price_units(0, 99'999'999);  // up to 99.999999
    std::uniform_int_distribution<std::int64_t> quantity(1, 250);
    std::uniform_int_distribution<int> line_count(1, 40);
    for (int invoice = 0; invoice < 300; ++invoice) {
        Decimal total;
        std::int64_t total_cents = 0;
        const int lines = line_count(random);
        for (int i = 0; i < lines; ++i) {
            const Decimal price = Decimal::from_units(price_units(random));
            const Decimal line = price.mul(quantity(random)).round(2);
            total += line;
            const std::string text = line.to_string(2);
            const auto point = text.find('.');
            total_cents +=
                std::stoll(text.substr(0, point)) * 100 + std::stoll(text.substr(point + 1));
        }
        EXPECT_EQ(total,
                  d(std::to_string(total_cents / 100) + "." + (total_cents % 100 < 10 ? "0" : "") +
                    std::to_string(total_cents % 100)));
        EXPECT_EQ(total.round(2), total);
    }
}

TEST(CurrencyMinorDigits, FollowsIso4217) {
    EXPECT_EQ(currency_minor_digits("USD"), 2);
    EXPECT_EQ(currency_minor_digits("EUR"), 2);
    EXPECT_EQ(currency_minor_digits("JPY"), 0);
    EXPECT_EQ(currency_minor_digits("jpy"), 0);
    EXPECT_EQ(currency_minor_digits("KWD"), 3);
    EXPECT_EQ(currency_minor_digits("CLF"), 4);
    EXPECT_EQ(currency_minor_digits("XYZ"), 2);
    EXPECT_EQ(currency_minor_digits(""), 2);
}

}  // namespace
}  // namespace mlc

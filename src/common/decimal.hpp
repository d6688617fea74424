#pragma once
// Decimal money. Exact: a signed 128-bit count of units of 10^-kScale. No floating point anywhere
// in money paths; vendor numbers ("12.30", "-0.5", JSON numbers as text) are parsed from their
// text. Thread safety: a value type.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace mlc {

class Decimal {
  public:
    static constexpr int kScale = 6;  // Six fractional digits: enough for unit prices and FX.

    Decimal() = default;
    static Decimal from_units(__int128 units);  // units of 10^-kScale
    static Decimal from_int(std::int64_t whole);
    // Parses "12.30", "-0.5", "+3", "1e2" is refused; more than kScale fractional digits is refused
    // unless they are zeros. Errors name the text.
    static Result<Decimal> parse(std::string_view text);

    // Shortest exact text ("12.3", "-0.5", "0").
    std::string to_string() const;
    // Fixed number of fraction digits, rounding half-even ("12.30" with 2).
    std::string to_string(int fraction_digits) const;

    Decimal operator+(Decimal other) const;
    Decimal operator-(Decimal other) const;
    Decimal operator-() const;
    Decimal& operator+=(Decimal other);
    Decimal& operator-=(Decimal other);
    Decimal mul(std::int64_t quantity) const;  // price x whole quantity: exact.
    Decimal mul(Decimal other) const;          // exact then rounded half-even to kScale.
    // Round half-even to `fraction_digits` (a currency's minor unit: 2 for USD, 0 for JPY).
    Decimal round(int fraction_digits) const;

    __int128 units() const { return units_; }
    bool is_zero() const { return units_ == 0; }
    bool is_negative() const { return units_ < 0; }
    auto operator<=>(const Decimal&) const = default;
    bool operator==(const Decimal&) const = default;

  private:
    explicit Decimal(__int128 units) : units_(units) {}
    __int128 units_ = 0;
};

// Minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3; unknown codes 2).
int currency_minor_digits(std::string_view currency);

}  // namespace mlc

#include "common/decimal.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/assert.hpp"

namespace mlc {
namespace {

using Magnitude = unsigned __int128;

// Longest text parse() looks at: 32 significant digits plus sign, point and leading zeros is far
// past any vendor amount; anything longer is refused before the digit loop runs.
constexpr std::size_t kTextLengthMax = 80;
// Integer digits that fit: 10^(24 + kScale) < 2^127 with room for sums of many such values.
constexpr int kIntegerDigitsMax = 24;

constexpr Magnitude pow10(int exponent) {
    Magnitude result = 1;
    for (int i = 0; i < exponent; ++i) result *= 10;
    return result;
}

constexpr Magnitude kOne = pow10(Decimal::kScale);

Magnitude magnitude_of(__int128 units) {
    return units < 0 ? Magnitude(0) - static_cast<Magnitude>(units) : static_cast<Magnitude>(units);
}

__int128 with_sign(Magnitude magnitude, bool negative) {
    const auto value = static_cast<__int128>(magnitude);
    return negative ? -value : value;
}

// quotient of magnitude / divisor rounded half to even (banker's rounding, what accounting
// systems use so that rounding errors do not drift in one direction over many lines).
Magnitude divide_half_even(Magnitude magnitude, Magnitude divisor) {
    Magnitude quotient = magnitude / divisor;
    const Magnitude remainder = magnitude % divisor;
    const Magnitude twice = remainder * 2;
    if (twice > divisor || (twice == divisor && (quotient & 1) == 1)) ++quotient;
    return quotient;
}

Error parse_error(std::string_view text, std::string_view why) {
    return make_error(ErrorCode::kInvalidInput, "not a decimal number: \"" +
                                                    std::string(text.substr(0, kTextLengthMax)) +
                                                    "\" (" + std::string(why) + ")");
}

std::string magnitude_digits(Magnitude magnitude) {
    if (magnitude == 0) return "0";
    std::string digits;
    while (magnitude > 0) {  // At most 39 iterations: the digits of a 128-bit value.
        digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    }
    std::reverse(digits.begin(), digits.end());
    return digits;
}

// "-" + integer part + "." + exactly `fraction_digits` digits (fraction_digits <= kScale).
std::string format_units(__int128 units, int fraction_digits) {
    const Magnitude magnitude = magnitude_of(units);
    std::string out = units < 0 ? "-" : "";
    out += magnitude_digits(magnitude / kOne);
    if (fraction_digits > 0) {
        std::string fraction = magnitude_digits(magnitude % kOne);
        fraction.insert(0, static_cast<std::size_t>(Decimal::kScale) - fraction.size(), '0');
        out += '.';
        out += fraction.substr(0, static_cast<std::size_t>(fraction_digits));
    }
    return out;
}

}  // namespace

Decimal Decimal::from_units(__int128 units) { return Decimal(units); }

Decimal Decimal::from_int(std::int64_t whole) {
    return Decimal(static_cast<__int128>(whole) * static_cast<__int128>(kOne));
}

Result<Decimal> Decimal::parse(std::string_view text) {
    if (text.empty()) return parse_error(text, "empty");
    if (text.size() > kTextLengthMax) return parse_error(text, "too long");
    std::size_t pos = 0;
    bool negative = false;
    if (text[pos] == '+' || text[pos] == '-') {
        negative = text[pos] == '-';
        ++pos;
    }
    Magnitude integer = 0;
    int integer_digits = 0;  // Significant digits (leading zeros do not count).
    bool any_digit = false;
    for (; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
        any_digit = true;
        const int digit = text[pos] - '0';
        if (integer_digits == 0 && digit == 0) continue;
        if (++integer_digits > kIntegerDigitsMax) return parse_error(text, "too many digits");
        integer = integer * 10 + static_cast<Magnitude>(digit);
    }
    Magnitude fraction = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int fraction_digits = 0;
        bool any_fraction_digit = false;
        for (; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
            any_fraction_digit = true;
            const int digit = text[pos] - '0';
            if (fraction_digits >= kScale) {
                // Digits past kScale are accepted only when they are zeros: nothing is lost.
                if (digit != 0) return parse_error(text, "more than 6 fraction digits");
                continue;
            }
            fraction = fraction * 10 + static_cast<Magnitude>(digit);
            ++fraction_digits;
        }
        if (!any_fraction_digit) return parse_error(text, "no digits after the point");
        fraction *= pow10(kScale - fraction_digits);
        any_digit = true;
    }
    if (!any_digit) return parse_error(text, "no digits");
    if (pos != text.size()) return parse_error(text, "unexpected character");
    return Decimal(with_sign(integer * kOne + fraction, negative));
}

std::string Decimal::to_string() const {
    const Magnitude fraction = magnitude_of(units_) % kOne;
    int digits = kScale;
    for (Magnitude rest = fraction; digits > 0 && rest % 10 == 0; rest /= 10) --digits;
    if (fraction == 0) digits = 0;
    return format_units(units_, digits);
}

std::string Decimal::to_string(int fraction_digits) const {
    MLC_ASSERT(fraction_digits >= 0, "fraction digits are a count");
    if (fraction_digits <= kScale)
        return format_units(round(fraction_digits).units_, fraction_digits);
    std::string out = format_units(units_, kScale);
    out.append(static_cast<std::size_t>(fraction_digits - kScale), '0');
    return out;
}

Decimal Decimal::operator+(Decimal other) const { return Decimal(units_ + other.units_); }
Decimal Decimal::operator-(Decimal other) const { return Decimal(units_ - other.units_); }
Decimal Decimal::operator-() const { return Decimal(-units_); }

Decimal& Decimal::operator+=(Decimal other) {
    units_ += other.units_;
    return *this;
}

Decimal& Decimal::operator-=(Decimal other) {
    units_ -= other.units_;
    return *this;
}

Decimal Decimal::mul(std::int64_t quantity) const {
    return Decimal(units_ * static_cast<__int128>(quantity));
}

Decimal Decimal::mul(Decimal other) const {
    // a * b / 10^kScale without overflowing the intermediate product: split a into whole units
    // and the fraction; the whole part multiplies exactly, only the fraction part needs rounding.
    const bool negative = (units_ < 0) != (other.units_ < 0);
    const Magnitude a = magnitude_of(units_);
    const Magnitude b = magnitude_of(other.units_);
    const Magnitude fraction_product = (a % kOne) * b;
    Magnitude result = (a / kOne) * b + fraction_product / kOne;
    // Half-even on the whole quotient: the remainder comes only from the fraction part.
    const Magnitude twice_rest = (fraction_product % kOne) * 2;
    if (twice_rest > kOne || (twice_rest == kOne && (result & 1) == 1)) ++result;
    return Decimal(with_sign(result, negative));
}

Decimal Decimal::round(int fraction_digits) const {
    MLC_ASSERT(fraction_digits >= 0, "fraction digits are a count");
    if (fraction_digits >= kScale) return *this;
    const Magnitude step = pow10(kScale - fraction_digits);
    const Magnitude rounded = divide_half_even(magnitude_of(units_), step) * step;
    return Decimal(with_sign(rounded, units_ < 0));
}

int currency_minor_digits(std::string_view currency) {
    // ISO 4217 minor units of the currencies that are not 2; every other code is 2.
    struct Entry {
        std::string_view code;
        int digits;
    };
    constexpr std::array<Entry, 26> kExceptions = {{
        {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"ISK", 0}, {"JPY", 0}, {"KMF", 0},
        {"KRW", 0}, {"PYG", 0}, {"RWF", 0}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"VUV", 0},
        {"XAF", 0}, {"XOF", 0}, {"XPF", 0}, {"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3},
        {"LYD", 3}, {"OMR", 3}, {"TND", 3}, {"CLF", 4}, {"UYW", 4},
    }};
    if (currency.size() != 3) return 2;
    std::string upper(currency);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& entry : kExceptions) {
        if (entry.code == upper) return entry.digits;
    }
    return 2;
}

}  // namespace mlc

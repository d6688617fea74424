#include "model/weight.hpp"

#include <algorithm>
#include <cctype>

namespace mlc::model {
namespace {

// 1 lb = 45359237 / 10^8 kg; 1 lb = 16 oz.
constexpr __int128 kKgPerLbNumerator = 45'359'237;
constexpr __int128 kKgPerLbDenominator = 100'000'000;
constexpr __int128 kOuncesPerPound = 16;
constexpr __int128 kUnitsPerTenth = 100'000;  // Decimal::kScale is 6.

// numerator / denominator (denominator > 0), rounded half-even.
__int128 divide_half_even(__int128 numerator, __int128 denominator) {
    __int128 quotient = numerator / denominator;
    __int128 remainder = numerator % denominator;
    if (remainder < 0) {
        remainder += denominator;
        --quotient;
    }
    const __int128 twice = remainder * 2;
    if (twice > denominator || (twice == denominator && quotient % 2 != 0)) ++quotient;
    return quotient;
}

// numerator / denominator (denominator > 0), rounded towards +infinity.
__int128 divide_up(__int128 numerator, __int128 denominator) {
    __int128 quotient = numerator / denominator;
    if (numerator % denominator > 0) ++quotient;
    return quotient;
}

}  // namespace

Result<WeightUnit> parse_weight_unit(std::string_view text) {
    std::string unit(text);
    std::transform(unit.begin(), unit.end(), unit.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (unit == "LB" || unit == "LBS") return WeightUnit::kPound;
    if (unit == "KG" || unit == "KGS") return WeightUnit::kKilogram;
    if (unit == "OZ") return WeightUnit::kOunce;
    return make_error(
        ErrorCode::kInvalidInput,
        "weight unit '" + std::string(text) + "' is not LB, KG or OZ: set the part's weight unit");
}

Decimal to_pounds(const Decimal& weight, WeightUnit unit) {
    PoundsTotal total;
    total.add(weight, unit);
    return total.pounds();
}

Decimal ceil_tenth(const Decimal& weight) {
    return Decimal::from_units(divide_up(weight.units(), kUnitsPerTenth) * kUnitsPerTenth);
}

void PoundsTotal::add(const Decimal& weight, WeightUnit unit) {
    switch (unit) {
        case WeightUnit::kPound:
            pounds_ += weight;
            break;
        case WeightUnit::kKilogram:
            kilograms_ += weight;
            break;
        case WeightUnit::kOunce:
            ounces_ += weight;
            break;
    }
}

// The exact sum in Decimal units is numerator / denominator:
//   (pound_units * 16 + ounce_units) * 45359237 + kilogram_units * 10^8 * 16
//   ------------------------------------------------------------------------
//                              16 * 45359237
Decimal PoundsTotal::pounds() const {
    const __int128 denominator = kOuncesPerPound * kKgPerLbNumerator;
    const __int128 numerator =
        (pounds_.units() * kOuncesPerPound + ounces_.units()) * kKgPerLbNumerator +
        kilograms_.units() * kKgPerLbDenominator * kOuncesPerPound;
    return Decimal::from_units(divide_half_even(numerator, denominator));
}

Decimal PoundsTotal::declared() const {
    const __int128 denominator = kOuncesPerPound * kKgPerLbNumerator * kUnitsPerTenth;
    const __int128 numerator =
        (pounds_.units() * kOuncesPerPound + ounces_.units()) * kKgPerLbNumerator +
        kilograms_.units() * kKgPerLbDenominator * kOuncesPerPound;
    return Decimal::from_units(divide_up(numerator, denominator) * kUnitsPerTenth);
}

}  // namespace mlc::model

#pragma once
// Weights as carriers take them: a part's net weight in its own unit (Epicor NetWeightUOM "LB",
// "KG", "OZ") summed over a shipment's lines and converted to pounds, the unit UPS expects from
// US and Puerto Rico origins (ups.md), rounded *up* to a tenth (never under-declared).
//
// Exact: 1 oz = 1/16 lb and 1 lb = 0.45359237 kg (by definition) are applied as fractions of
// integers over Decimal's units, so a sum is rounded once: to six digits for show, up to a tenth
// for the carrier (45.359237 kg is 100.0 lb, not 100.1).
// Pure functions; thread safety: none needed.

#include <string>
#include <string_view>

#include "common/decimal.hpp"
#include "common/result.hpp"

namespace mlc::model {

enum class WeightUnit { kPound, kKilogram, kOunce };

// "LB", "LBS", "KG", "KGS", "OZ" in any case; kInvalidInput naming the unit otherwise.
Result<WeightUnit> parse_weight_unit(std::string_view text);

// `weight` of `unit` in pounds, rounded half-even to Decimal's six digits.
Decimal to_pounds(const Decimal& weight, WeightUnit unit);

// The smallest tenth not below `weight` (2.01 -> 2.1, 2.0 -> 2.0).
Decimal ceil_tenth(const Decimal& weight);

// Sums weights given in several units, each unit apart and exactly, and converts once.
class PoundsTotal {
  public:
    void add(const Decimal& weight, WeightUnit unit);
    Decimal pounds() const;    // The sum in pounds, rounded half-even to six digits.
    Decimal declared() const;  // The sum in pounds rounded up to a tenth, from the exact sum.

  private:
    Decimal pounds_;
    Decimal kilograms_;
    Decimal ounces_;
};

}  // namespace mlc::model

#include "model/weight.hpp"

#include <gtest/gtest.h>

namespace mlc::model {
namespace {

Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

TEST(Weight, PartsInPoundsKilogramsAndOuncesSumToPoundsRoundedUpToATenth) {
    PoundsTotal total;
    total.add(dec("1.5").mul(dec("3")), WeightUnit::kPound);     // 3 x 1.5 lb = 4.5 lb
    total.add(dec("0.5").mul(dec("2")), WeightUnit::kKilogram);  // 2 x 0.5 kg = 2.204623 lb
    total.add(dec("4").mul(dec("4")), WeightUnit::kOunce);       // 4 x 4 oz = 1 lb
    EXPECT_EQ(total.pounds().to_string(), "7.704623");
    EXPECT_EQ(total.declared().to_string(1), "7.8") << "never under-declared";
    EXPECT_EQ(ceil_tenth(dec("2.0")).to_string(1), "2.0");
    EXPECT_EQ(ceil_tenth(dec("2.01")).to_string(1), "2.1");
}

TEST(Weight, KilogramsConvertExactlyByTheDefinitionOfThePound) {
    // 45.359237 kg is 100 lb exactly (1 lb = 0.45359237 kg): no 100.1 from a rounded factor.
    EXPECT_EQ(to_pounds(dec("45.359237"), WeightUnit::kKilogram).to_string(), "100");
    PoundsTotal total;
    total.add(dec("45.359237"), WeightUnit::kKilogram);
    EXPECT_EQ(total.declared().to_string(1), "100.0");
    total.add(dec("0.000001"), WeightUnit::kOunce);  // A hair more is the next tenth.
    EXPECT_EQ(total.declared().to_string(1), "100.1");
    EXPECT_EQ(to_pounds(dec("1"), WeightUnit::kKilogram).to_string(), "2.204623");
}

TEST(Weight, UnitsAreReadInAnyCaseAndAnUnknownOneNamesItself) {
    EXPECT_EQ(parse_weight_unit("lbs").value(), WeightUnit::kPound);
    EXPECT_EQ(parse_weight_unit("KGS").value(), WeightUnit::kKilogram);
    EXPECT_EQ(parse_weight_unit("Oz").value(), WeightUnit::kOunce);
    auto stone = parse_weight_unit("ST");
    ASSERT_FALSE(stone);
    EXPECT_NE(stone.error().message.find("'ST'"), std::string::npos);
}

}  // namespace
}  // namespace mlc::model

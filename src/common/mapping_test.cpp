#include "common/mapping.hpp"

#include <gtest/gtest.h>

namespace mlc {
namespace {

const MappingTable kTable = {{"SKU-100", "P-9"},
                             {"SKU-*", "P*"},
                             {"SKU-1*", "Q*"},
                             {"WIDGET-*", "W-100"},
                             {"*-OLD", "RETIRED"}};

TEST(MappingLookup, AnExactKeyWinsOverEveryPattern) {
    EXPECT_EQ(map_lookup(kTable, "SKU-100"), "P-9");
}

TEST(MappingLookup, ThePatternWithTheMostLiteralTextWinsAndFillsTheTarget) {
    EXPECT_EQ(map_lookup(kTable, "SKU-10042"), "Q0042");  // SKU-1* beats SKU-*
    EXPECT_EQ(map_lookup(kTable, "SKU-20042"), "P20042");
    EXPECT_EQ(map_lookup(kTable, "SKU-"), "P");  // `*` matches nothing too
}

TEST(MappingLookup, ATargetWithoutAStarIsTakenAsWritten) {
    EXPECT_EQ(map_lookup(kTable, "WIDGET-RED"), "W-100");
    EXPECT_EQ(map_lookup(kTable, "BOLT-OLD"), "RETIRED");
}

TEST(MappingLookup, NoMatchIsNothing) {
    EXPECT_EQ(map_lookup(kTable, "GADGET"), std::nullopt);
    EXPECT_EQ(map_lookup(kTable, "SK"), std::nullopt);
    EXPECT_EQ(map_lookup({}, "SKU-1"), std::nullopt);
}

TEST(MappingCheck, NamesWhatIsWrongWithAnEntry) {
    EXPECT_EQ(check_mapping("SKU-*", "P*"), "");
    EXPECT_EQ(check_mapping("SKU-1", "P-1"), "");
    EXPECT_NE(check_mapping("A*B*", "P*").find("more than one"), std::string::npos);
    EXPECT_NE(check_mapping("SKU-1", "P*").find("has none to fill it"), std::string::npos);
    EXPECT_NE(check_mapping("", "P").find("empty key"), std::string::npos);
    EXPECT_NE(check_mapping("SKU-1", "").find("maps to nothing"), std::string::npos);
}

}  // namespace
}  // namespace mlc

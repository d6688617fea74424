#include "sandbox/acumatica/acumatica_filter.hpp"

#include <gtest/gtest.h>

namespace mlc::sandbox::acumatica {
namespace {

TEST(AcumaticaFilter, ReadsAComparisonWithADateTimeOffsetLiteral) {
    auto node = parse_filter("LastModifiedDateTime gt datetimeoffset'2024-01-01T00:00:00Z'");
    ASSERT_TRUE(node) << node.error().message;
    EXPECT_EQ(node->kind, FilterNode::Kind::kCompare);
    EXPECT_EQ(node->op, "gt");
    EXPECT_EQ(node->operands[0].kind, FilterOperand::Kind::kField);
    EXPECT_EQ(node->operands[0].text, "LastModifiedDateTime");
    EXPECT_EQ(node->operands[1].kind, FilterOperand::Kind::kDateTimeOffset);
    EXPECT_EQ(node->operands[1].text, "2024-01-01T00:00:00Z");
}

TEST(AcumaticaFilter, AndBindsTighterThanOr) {
    auto node = parse_filter("Status eq 'Open' or Status eq 'Hold' and Hold eq false");
    ASSERT_TRUE(node) << node.error().message;
    ASSERT_EQ(node->kind, FilterNode::Kind::kOr);
    EXPECT_EQ(node->children[1].kind, FilterNode::Kind::kAnd);
}

TEST(AcumaticaFilter, ParenthesesNotAndEscapedQuotes) {
    auto node = parse_filter("not (CustomerID eq 'O''Brien') and OrderTotal ge -12.50");
    ASSERT_TRUE(node) << node.error().message;
    ASSERT_EQ(node->kind, FilterNode::Kind::kAnd);
    const FilterNode& negated = node->children[0];
    ASSERT_EQ(negated.kind, FilterNode::Kind::kNot);
    EXPECT_EQ(negated.children[0].operands[1].text, "O'Brien");
    EXPECT_EQ(node->children[1].operands[1].kind, FilterOperand::Kind::kNumber);
    EXPECT_EQ(node->children[1].operands[1].text, "-12.50");
}

TEST(AcumaticaFilter, FunctionsAndLinkedPaths) {
    auto node = parse_filter("substringof('Main', ShipToAddress/AddressLine1)");
    ASSERT_TRUE(node) << node.error().message;
    EXPECT_EQ(node->kind, FilterNode::Kind::kFunction);
    EXPECT_EQ(node->op, "substringof");
    EXPECT_EQ(node->operands[1].text, "ShipToAddress/AddressLine1");
}

TEST(AcumaticaFilter, RefusesBrokenText) {
    for (const char* text :
         {"", "Status", "Status eq", "Status = 'Open'", "Status eq 'Open", "(Status eq 'Open'",
          "Status eq 'Open')", "Status eq 'a' and", "Total eq 10m", "Date gt offset'2024'"}) {
        EXPECT_FALSE(parse_filter(text)) << text;
    }
}

TEST(AcumaticaFilter, BoundsNestingAndLength) {
    std::string deep;
    for (std::size_t i = 0; i < kFilterDepthMax + 1; ++i) deep += "(";
    deep += "A eq 1";
    for (std::size_t i = 0; i < kFilterDepthMax + 1; ++i) deep += ")";
    EXPECT_FALSE(parse_filter(deep));
    EXPECT_FALSE(parse_filter(std::string(kFilterLengthMax + 1, ' ')));
}

}  // namespace
}  // namespace mlc::sandbox::acumatica

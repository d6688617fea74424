#include "common/exact_json.hpp"

#include <string>

#include <gtest/gtest.h>

namespace mlc {
namespace {

TEST(ExactJson, MoneyKeepsEveryDigitThroughARoundTrip) {
    auto value = parse_exact_json(R"({"UnitPrice":19.990,"OrderQty":3,"Note":"1.5 in text"})", 1024,
                                  "epicor", "answer");
    ASSERT_TRUE(value) << value.error().describe();
    const auto& row = value->get_object();
    EXPECT_EQ(row.at("UnitPrice").get_string(), "19.990");  // Text, never a double.
    EXPECT_EQ(row.at("OrderQty").get_int64(), 3);
    EXPECT_EQ(row.at("Note").get_string(), "1.5 in text");
    // Written back as the same decimal value (Decimal drops trailing zeros), never via double.
    EXPECT_EQ(write_exact_json(*value, {"UnitPrice"}),
              R"({"UnitPrice":19.99,"OrderQty":3,"Note":"1.5 in text"})");
}

TEST(ExactJson, ANonDecimalFieldStaysAString) {
    auto value = parse_exact_json(R"({"PONum":"12.5"})", 1024, "epicor", "answer");
    ASSERT_TRUE(value);
    EXPECT_EQ(write_exact_json(*value, {"UnitPrice"}), R"({"PONum":"12.5"})");
}

TEST(ExactJson, MalformedOrOversizedTextNamesWhatAndWhere) {
    auto broken = parse_exact_json(R"({"UnitPrice":)", 1024, "epicor", "answer");
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(broken.error().describe().find("answer is not JSON"), std::string::npos);
    auto big = parse_exact_json(std::string(2048, ' '), 1024, "epicor", "request body");
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().describe().find("larger than 1024 bytes"), std::string::npos);
}

TEST(ExactJson, NestingDeeperThanTheBoundIsRefused) {
    std::string deep(kExactJsonDepthMax + 8, '[');
    deep += std::string(kExactJsonDepthMax + 8, ']');
    EXPECT_FALSE(parse_exact_json(deep, 1 << 20, "epicor", "answer"));
}

TEST(ValidUtf8, ReplacesEachByteThatStartsNoSequenceAndKeepsTheRest) {
    const std::string valid = "{\"a\":\"caf\xC3\xA9 \xF0\x9F\x93\xA6\"}";
    EXPECT_EQ(valid_utf8(valid), valid);
    EXPECT_EQ(valid_utf8("a\xFF!"), "a\xEF\xBF\xBD!");              // Never a lead byte.
    EXPECT_EQ(valid_utf8("\xC3("), "\xEF\xBF\xBD(");                // A cut sequence.
    EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // Overlong '/'.
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // Surrogate.
    EXPECT_EQ(valid_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // Cut at the end.
}

}  // namespace
}  // namespace mlc

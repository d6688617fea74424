#include "common/mapping_csv.hpp"

#include <gtest/gtest.h>

namespace mlc {
namespace {

TEST(MappingCsv, ReadsColumnsByHeaderNameWithQuotesBomAndCrlf) {
    const auto csv = parse_mapping_csv(
        "\xEF\xBB\xBFnote,To,FROM\r\n"
        "\"from Excel, quoted\",P-100,SKU-100\r\n"
        "\"a \"\"quoted\"\" word\", P-200 ,  SKU-200\r\n"
        ",,\r\n"
        "x,P*,SKU-*\r\n");
    ASSERT_TRUE(csv) << csv.error().describe();
    EXPECT_TRUE(csv->problems.empty());
    EXPECT_FALSE(csv->has_table_column);
    ASSERT_EQ(csv->rows.size(), 3u);
    EXPECT_EQ(csv->rows[0].from, "SKU-100");
    EXPECT_EQ(csv->rows[0].to, "P-100");
    EXPECT_EQ(csv->rows[1].from, "SKU-200");  // Trimmed.
    EXPECT_EQ(csv->rows[1].to, "P-200");
    EXPECT_EQ(csv->rows[2].row, 5u);  // The blank row 4 is skipped, numbering is kept.
    EXPECT_EQ(csv->rows[2].from, "SKU-*");
}

TEST(MappingCsv, SemicolonsWhenTheHeaderHasNoCommaAndATableColumn) {
    const auto csv = parse_mapping_csv("table;from;to\nparts;SKU-1;P-1\ncustomers;ACME;C0001\n");
    ASSERT_TRUE(csv) << csv.error().describe();
    EXPECT_TRUE(csv->has_table_column);
    ASSERT_EQ(csv->rows.size(), 2u);
    EXPECT_EQ(csv->rows[1].table, "customers");
    EXPECT_EQ(csv->rows[1].to, "C0001");
}

TEST(MappingCsv, EveryBadRowIsNamedByItsNumberAndTheGoodOnesAreKept) {
    const auto csv = parse_mapping_csv(
        "from,to,table\nSKU-1,P-1,parts\nA*B*,P*,parts\nSKU-3,,parts\n"
        "SKU-4,P-4,\n");
    ASSERT_TRUE(csv);
    ASSERT_EQ(csv->rows.size(), 1u);
    ASSERT_EQ(csv->problems.size(), 3u);
    EXPECT_NE(csv->problems[0].find("row 3: 'A*B*' has more than one '*'"), std::string::npos);
    EXPECT_NE(csv->problems[1].find("row 4: 'SKU-3' maps to nothing"), std::string::npos);
    EXPECT_NE(csv->problems[2].find("row 5: no table named"), std::string::npos);
}

TEST(MappingCsv, AFileWithoutTheHeaderOrWithAnOpenQuoteIsRefusedSayingWhy) {
    const auto headless = parse_mapping_csv("SKU-1,P-1\n");
    ASSERT_FALSE(headless);
    EXPECT_NE(headless.error().message.find("must name the columns `from` and `to`"),
              std::string::npos);
    EXPECT_NE(headless.error().message.find("SKU-1, P-1"), std::string::npos);
    const auto open_quote = parse_mapping_csv("from,to\n\"SKU-1,P-1\n");
    ASSERT_FALSE(open_quote);
    EXPECT_NE(open_quote.error().message.find("not a CSV file"), std::string::npos);
    EXPECT_FALSE(parse_mapping_csv(""));
}

}  // namespace
}  // namespace mlc

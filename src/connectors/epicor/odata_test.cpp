#include "connectors/epicor/odata.hpp"

#include <gtest/gtest.h>

#include "net/http_types.hpp"

namespace mlc::connectors::epicor::odata {
namespace {

TEST(ODataStringLiteral, DoublesQuotesInsideValues) {
    EXPECT_EQ(string_literal("SS-1001"), "'SS-1001'");
    EXPECT_EQ(string_literal("O'Brien"), "'O''Brien'");
    EXPECT_EQ(string_literal("''"), "''''''");
    EXPECT_EQ(eq("PONum", "x' or PONum ne 'y"), "PONum eq 'x'' or PONum ne ''y'");
}

TEST(ODataDateLiteral, IsUnquotedUtcWholeSeconds) {
    const UtcTime t = UtcTime{std::chrono::seconds{1'704'067'200}} + std::chrono::milliseconds{250};
    EXPECT_EQ(date_literal(t), "2024-01-01T00:00:00Z");
    EXPECT_EQ(ge("OrderDate", t), "OrderDate ge 2024-01-01T00:00:00Z");
}

TEST(ODataKey, QuotesStringsAndLeavesNumbers) {
    EXPECT_EQ(key({std::string("EPIC06"), std::int64_t{5001}}), "('EPIC06',5001)");
    EXPECT_EQ(key({std::string("EPIC06"), std::string("P'1")}), "('EPIC06','P''1')");
}

TEST(ODataFieldName, AcceptsIdentifiersOnly) {
    EXPECT_TRUE(is_field_name("PONum"));
    EXPECT_TRUE(is_field_name("ShipStationKey_c"));
    EXPECT_FALSE(is_field_name(""));
    EXPECT_FALSE(is_field_name("1Field"));
    EXPECT_FALSE(is_field_name("PONum eq 'x'"));
    EXPECT_FALSE(is_field_name(std::string(kFieldNameLengthMax + 1, 'a')));
    EXPECT_EQ(check_field_name("a b", "the source-key field").error().code, ErrorCode::kConfig);
}

TEST(ODataQueryString, EncodesValuesAndKeepsOptionNamesCaseSensitive) {
    const std::string q = query_string({.filter = and_(eq("PONum", "A&B"), gt("SysRevID", 5)),
                                        .select = {"PONum", "OrderNum"},
                                        .orderby = "OrderNum",
                                        .top = 1000,
                                        .skip = 2000});
    EXPECT_EQ(q.find("$filter="), 1u);
    EXPECT_NE(q.find("$top=1000"), std::string::npos);
    EXPECT_NE(q.find("$skip=2000"), std::string::npos);
    EXPECT_EQ(q.find("A&B"), std::string::npos);  // The & inside the value is encoded.
    const auto filter = net::query_param("/x" + q, "$filter");
    ASSERT_TRUE(filter);
    EXPECT_EQ(*filter, "(PONum eq 'A&B') and (SysRevID gt 5)");
    EXPECT_EQ(query_string({}), "");
}

}  // namespace
}  // namespace mlc::connectors::epicor::odata

#include "sandbox/epicor/odata_query.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace mlc::sandbox::epicor {
namespace {

namespace json = boost::json;

const FieldTypes kTypes = {
    {"PONum", FieldType::kString},          {"OrderNum", FieldType::kInt},
    {"DocTotalOrder", FieldType::kDecimal}, {"OpenOrder", FieldType::kBool},
    {"OrderDate", FieldType::kDate},        {"CustomerCustID", FieldType::kString},
};

json::object row(std::string_view text) { return json::parse(text).as_object(); }

// Runs `filter_text` over the rows and answers the OrderNums that pass.
std::vector<std::int64_t> select_orders(std::string_view filter_text,
                                        const std::vector<json::object>& rows) {
    auto filter = parse_filter(filter_text);
    EXPECT_TRUE(filter.has_value()) << (filter ? "" : filter.error().message);
    if (!filter) return {};
    EXPECT_TRUE(check_filter(*filter, kTypes, "Erp.Tablesets.OrderHedRow").has_value());
    std::vector<std::int64_t> out;
    for (const auto& r : rows) {
        if (matches(*filter, r, kTypes)) out.push_back(r.at("OrderNum").as_int64());
    }
    return out;
}

std::vector<json::object> sample_rows() {
    return {
        row(R"({"OrderNum":1,"PONum":"O'Brien","DocTotalOrder":"10.5","OpenOrder":true,
                "OrderDate":"2023-12-31T00:00:00","CustomerCustID":"A"})"),
        row(R"({"OrderNum":2,"PONum":"SS-1001","DocTotalOrder":"99.99","OpenOrder":false,
                "OrderDate":"2024-01-01T00:00:00","CustomerCustID":"B"})"),
        row(R"({"OrderNum":3,"PONum":"123","DocTotalOrder":"100","OpenOrder":true,
                "OrderDate":"2024-03-15T00:00:00","CustomerCustID":"A"})"),
        row(R"({"OrderNum":4,"PONum":null,"DocTotalOrder":"0","OpenOrder":true,
                "OrderDate":null,"CustomerCustID":"C"})"),
    };
}

using Orders = std::vector<std::int64_t>;

TEST(ODataFilter, DoubledQuoteInStringLiteralMatchesApostrophe) {
    EXPECT_EQ(select_orders("PONum eq 'O''Brien'", sample_rows()), Orders({1}));
}

TEST(ODataFilter, AndBindsTighterThanOr) {
    // A or (B and closed): 1, 3 (A) and 2 (B, closed).
    EXPECT_EQ(select_orders("CustomerCustID eq 'A' or CustomerCustID eq 'B' and OpenOrder eq false",
                            sample_rows()),
              Orders({1, 2, 3}));
    EXPECT_EQ(select_orders("CustomerCustID eq 'C' or CustomerCustID eq 'A' and OpenOrder eq false",
                            sample_rows()),
              Orders({4}));
}

TEST(ODataFilter, ParenthesesOverridePrecedence) {
    EXPECT_EQ(
        select_orders("(CustomerCustID eq 'A' or CustomerCustID eq 'B') and OpenOrder eq true",
                      sample_rows()),
        Orders({1, 3}));
    EXPECT_EQ(select_orders("not (OpenOrder eq true)", sample_rows()), Orders({2}));
}

TEST(ODataFilter, DateLiteralComparesWithOffsetFreeDates) {
    EXPECT_EQ(select_orders("OrderDate ge 2024-01-01T00:00:00Z", sample_rows()), Orders({2, 3}));
    EXPECT_EQ(select_orders("OrderDate lt 2024-01-01", sample_rows()), Orders({1}));
    // An offset is converted to UTC: 2024-01-01T02:00:00+02:00 is midnight UTC.
    EXPECT_EQ(select_orders("OrderDate eq 2024-01-01T02:00:00+02:00", sample_rows()), Orders({2}));
}

TEST(ODataFilter, NeKeepsNullsAndOtherValues) {
    EXPECT_EQ(select_orders("PONum ne 'SS-1001'", sample_rows()), Orders({1, 3, 4}));
    EXPECT_EQ(select_orders("PONum eq null", sample_rows()), Orders({4}));
    EXPECT_EQ(select_orders("PONum ne null", sample_rows()), Orders({1, 2, 3}));
}

TEST(ODataFilter, NumbersCompareNumericallyNotAsText) {
    EXPECT_EQ(select_orders("DocTotalOrder gt 99.99", sample_rows()), Orders({3}));
    EXPECT_EQ(select_orders("DocTotalOrder le 10.50", sample_rows()), Orders({1, 4}));
    EXPECT_EQ(select_orders("OrderNum ge 2 and OrderNum lt 4", sample_rows()), Orders({2, 3}));
    EXPECT_EQ(select_orders("PONum eq '123'", sample_rows()), Orders({3}));
}

TEST(ODataFilter, StringFieldAgainstNumberIsATypeError) {
    auto filter = parse_filter("PONum eq 123");
    ASSERT_TRUE(filter.has_value());
    auto checked = check_filter(*filter, kTypes, "Erp.Tablesets.OrderHedRow");
    ASSERT_FALSE(checked.has_value());
    EXPECT_NE(checked.error().message.find("incompatible types"), std::string::npos);
    auto quoted = parse_filter("OrderNum eq '5001'");
    ASSERT_TRUE(quoted.has_value());
    EXPECT_FALSE(check_filter(*quoted, kTypes, "Erp.Tablesets.OrderHedRow").has_value());
}

TEST(ODataFilter, UnknownFieldIsRefusedWithTheRowTypeNamed) {
    auto filter = parse_filter("Nope eq 1");
    ASSERT_TRUE(filter.has_value());
    auto checked = check_filter(*filter, kTypes, "Erp.Tablesets.OrderHedRow");
    ASSERT_FALSE(checked.has_value());
    EXPECT_EQ(checked.error().message,
              "Could not find a property named 'Nope' on type 'Erp.Tablesets.OrderHedRow'.");
}

TEST(ODataFilter, SyntaxErrorsNameThePosition) {
    auto missing_operand = parse_filter("PONum eq");
    ASSERT_FALSE(missing_operand.has_value());
    EXPECT_EQ(missing_operand.error().message, "Syntax error at position 8 in 'PONum eq'.");
    EXPECT_FALSE(parse_filter("PONum eq 'open").has_value());
    EXPECT_FALSE(parse_filter("(PONum eq 'a'").has_value());
    EXPECT_FALSE(parse_filter("PONum EQ 'a'").has_value());  // Operators are lower case.
    EXPECT_FALSE(parse_filter("PONum eq 'a' and").has_value());
    EXPECT_FALSE(parse_filter("OrderDate ge datetime'2024-01-01T00:00:00'").has_value());
    EXPECT_FALSE(parse_filter("OrderDate ge 2024-13-45T00:00:00Z").has_value());
}

TEST(ODataFilter, NestingDeeperThanTheBoundIsRefused) {
    std::string deep(kFilterDepthMax + 1, '(');
    deep += "OrderNum eq 1" + std::string(kFilterDepthMax + 1, ')');
    EXPECT_FALSE(parse_filter(deep).has_value());
    std::string fine(kFilterDepthMax - 2, '(');
    fine += "OrderNum eq 1" + std::string(kFilterDepthMax - 2, ')');
    EXPECT_TRUE(parse_filter(fine).has_value());
}

TEST(ODataQueryOptions, ParsesEveryOption) {
    auto query = parse_odata_query({{"$filter", "OrderNum gt 1"},
                                    {"$select", "OrderNum, PONum"},
                                    {"$expand", "OrderDtls"},
                                    {"$orderby", "OrderDate desc, OrderNum"},
                                    {"$top", "50"},
                                    {"$skip", "100"},
                                    {"company", "ignored"}});
    ASSERT_TRUE(query.has_value()) << query.error().message;
    EXPECT_FALSE(query->filter.empty());
    EXPECT_EQ(query->select, (std::vector<std::string>{"OrderNum", "PONum"}));
    EXPECT_EQ(query->expand, (std::vector<std::string>{"OrderDtls"}));
    ASSERT_EQ(query->orderby.size(), 2u);
    EXPECT_TRUE(query->orderby[0].descending);
    EXPECT_FALSE(query->orderby[1].descending);
    EXPECT_EQ(query->top, 50u);
    EXPECT_EQ(query->skip, 100u);
}

TEST(ODataQueryOptions, OptionsAreCaseSensitiveAndSingle) {
    EXPECT_FALSE(parse_odata_query({{"$Filter", "OrderNum gt 1"}}).has_value());
    EXPECT_FALSE(parse_odata_query({{"$top", "1"}, {"$top", "2"}}).has_value());
    EXPECT_FALSE(parse_odata_query({{"$top", "-1"}}).has_value());
    EXPECT_FALSE(parse_odata_query({{"$skip", "ten"}}).has_value());
    EXPECT_FALSE(parse_odata_query({{"$orderby", "OrderNum sideways"}}).has_value());
    EXPECT_FALSE(parse_odata_query({{"$select", "OrderNum,,PONum"}}).has_value());
}

TEST(ODataOrderBy, SortsOnSeveralKeysWithNullsFirst) {
    auto rows = sample_rows();
    auto keys = parse_orderby("CustomerCustID desc,DocTotalOrder");
    ASSERT_TRUE(keys.has_value());
    std::sort(rows.begin(), rows.end(), [&](const json::object& a, const json::object& b) {
        return compare_rows(a, b, *keys, kTypes) < 0;
    });
    std::vector<std::int64_t> order;
    for (const auto& r : rows) order.push_back(r.at("OrderNum").as_int64());
    EXPECT_EQ(order, Orders({4, 2, 1, 3}));
    auto by_date = parse_orderby("OrderDate asc");
    ASSERT_TRUE(by_date.has_value());
    EXPECT_LT(compare_rows(rows[0], rows[1], *by_date, kTypes), 0);  // null first
}

TEST(EpicorDateTime, FormatsWithoutOffset) {
    auto t = parse_epicor_datetime("2024-03-15");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(format_epicor_datetime(*t), "2024-03-15T00:00:00");
    auto local = parse_epicor_datetime("2024-03-15T10:20:30");
    ASSERT_TRUE(local.has_value());
    EXPECT_EQ(format_epicor_datetime(*local), "2024-03-15T10:20:30");
}

}  // namespace
}  // namespace mlc::sandbox::epicor

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/error.hpp"
#include "common/result.hpp"

namespace mlc {
namespace {

Result<int> parse_quantity(int raw) {
    if (raw < 0) return make_error(ErrorCode::kInvalidInput, "epicor", "negative quantity");
    return raw;
}

Result<int> doubled(int raw) {
    MLC_TRY(int quantity, parse_quantity(raw));
    return quantity * 2;
}

Result<std::string> described(int raw) {
    MLC_TRY_CTX(int quantity, doubled(raw), "while writing order 1234 to Epicor");
    return std::to_string(quantity);
}

Result<void> check(int raw) {
    MLC_CHECK_CTX(parse_quantity(raw), "while checking");
    return ok();
}

TEST(ResultPropagation, TryReturnsTheValueOrTheError) {
    EXPECT_EQ(doubled(4).value(), 8);
    const auto failed = doubled(-1);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(failed.error().system, "epicor");
}

TEST(ResultPropagation, ContextIsAddedOutermostLast) {
    EXPECT_EQ(described(2).value(), "4");
    auto failed = described(-1);
    ASSERT_FALSE(failed);
    failed.error().record_key = "order SS-1001";
    EXPECT_EQ(failed.error().describe(),
              "epicor: order SS-1001: negative quantity (while writing order 1234 to Epicor)");
}

TEST(ResultPropagation, CheckWorksForVoidResults) {
    EXPECT_TRUE(check(1));
    const auto failed = check(-5);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().context.size(), 1u);
}

TEST(ResultValue, HoldsMoveOnlyValuesAndFallsBack) {
    Result<std::unique_ptr<int>> owned = std::make_unique<int>(7);
    EXPECT_EQ(**owned, 7);
    const Result<int> failed = make_error(ErrorCode::kNotFound, "missing");
    EXPECT_EQ(failed.value_or(3), 3);
    EXPECT_FALSE(failed.has_value());
}

TEST(ErrorCodes, SayWhatToDoNext) {
    EXPECT_EQ(next_action(ErrorCode::kTransient), NextAction::kRetryCall);
    EXPECT_EQ(next_action(ErrorCode::kUnresolved), NextAction::kPark);
    EXPECT_EQ(next_action(ErrorCode::kConfig), NextAction::kFixConfig);
    EXPECT_EQ(next_action(ErrorCode::kUnauthorized), NextAction::kRefreshToken);
    EXPECT_EQ(error_code_from_string(to_string(ErrorCode::kRateLimited)), ErrorCode::kRateLimited);
    EXPECT_FALSE(error_code_from_string("nope").has_value());
}

TEST(ErrorDescribe, OmitsEmptyParts) {
    EXPECT_EQ(make_error(ErrorCode::kConfig, "bad port").describe(), "bad port");
}

}  // namespace
}  // namespace mlc

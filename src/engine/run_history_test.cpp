#include "engine/run_history.hpp"

#include <gtest/gtest.h>

#include "engine/testing/fake_state_store.hpp"

namespace mlc::engine {
namespace {

TEST(RunHistory, KeepsTheLastRunsNewestFirstWithTheirCountsAndErrors) {
    auto store = testing::make_test_store();
    ManualClock clock;
    EXPECT_TRUE(read_run_history(*store, "orders")->empty());
    ASSERT_TRUE(
        append_run_history(*store, "orders", clock.now(), RunSummary{.created = 3, .parked = 1}));
    clock.advance(std::chrono::minutes(5));
    ASSERT_TRUE(append_run_history(*store, "orders", clock.now(),
                                   make_error(ErrorCode::kTransient, "epicor", "503 from Epicor")));
    auto runs = read_run_history(*store, "orders");
    ASSERT_TRUE(runs);
    ASSERT_EQ(runs->size(), 2u);
    EXPECT_EQ(runs->at(0).outcome, "transient");
    EXPECT_EQ(runs->at(0).error, "epicor: 503 from Epicor");
    EXPECT_EQ(runs->at(0).finished, clock.now());
    EXPECT_EQ(runs->at(1).outcome, "partial");
    EXPECT_EQ(runs->at(1).summary.created, 3);
    EXPECT_EQ(runs->at(1).summary.parked, 1);
    EXPECT_TRUE(read_run_history(*store, "other")->empty());

    for (std::size_t i = 0; i < kRunHistoryMax; ++i) {
        ASSERT_TRUE(append_run_history(*store, "orders", clock.now(), RunSummary{}));
    }
    EXPECT_EQ(read_run_history(*store, "orders")->size(), kRunHistoryMax);
    EXPECT_EQ(read_run_history(*store, "orders")->back().outcome, "ok");  // The oldest went.
}

}  // namespace
}  // namespace mlc::engine

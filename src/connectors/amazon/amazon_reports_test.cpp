// The settlement reports source against the Amazon emulator: found by getReports (never
// requested), downloaded through the short-lived URL, gunzipped, parsed; one batch per report,
// oldest first, the position after each; replay finds a settlement by its id.
#include "connectors/amazon/amazon_reports.hpp"

#include "connectors/amazon/amazon_test_fixture.hpp"

namespace mlc::connectors::amazon {
namespace {

class SettlementReportsTest : public testing::AmazonFixture {};

TEST_F(SettlementReportsTest, ReadsEveryKeptSettlementOnceOldestFirst) {
    auto tokens = credentials();
    auto amazon = client(*tokens);
    SettlementReports source(*amazon, {});
    auto scan = source.scan("");
    ASSERT_TRUE(scan) << scan.error().message;
    std::vector<std::string> ids;
    std::string position;
    while (true) {
        auto batch = (*scan)->next();
        ASSERT_TRUE(batch) << batch.error().message;
        EXPECT_TRUE(batch->rejected.empty());
        if (batch->items.empty()) break;
        const auto& first = batch->items.front().value;
        ids.push_back(first.settlement_id);
        Decimal sum;
        for (const auto& item : batch->items) sum += item.value.amount;
        ASSERT_TRUE(first.summary);
        EXPECT_EQ(sum, first.summary->total) << first.settlement_id;
        EXPECT_GT(batch->position, position);
        position = batch->position;
        if (!batch->more) break;
    }
    // Seven seeded every 14 days, the oldest past the 90 days Amazon keeps.
    EXPECT_EQ(ids.size(), 6u);
    EXPECT_EQ(recording_.count("/reports/2021-06-30/reports?"), 1);
    EXPECT_EQ(recording_.count("/documents/"), 12);  // getReportDocument and the download each

    // From the last position nothing is new until Amazon closes the next settlement.
    auto again = source.scan(position);
    ASSERT_TRUE(again);
    EXPECT_TRUE((*again)->next()->items.empty());
    clock_.advance(std::chrono::hours(24 * 14));
    ASSERT_EQ(control("POST", "settlements/close").status, 200);
    auto next = source.scan(position);
    ASSERT_TRUE(next);
    auto batch = (*next)->next();
    ASSERT_TRUE(batch);
    ASSERT_FALSE(batch->items.empty());
    EXPECT_EQ(std::find(ids.begin(), ids.end(), batch->items.front().value.settlement_id),
              ids.end());

    auto replayed = source.read_settlement(ids.back());
    ASSERT_TRUE(replayed) << replayed.error().message;
    EXPECT_FALSE(replayed->empty());
    // 14 days on, the oldest has passed the 90 days Amazon keeps: it is gone.
    EXPECT_TRUE(source.read_settlement(ids.front())->empty());
    EXPECT_TRUE(source.read_settlement("999")->empty());
}

}  // namespace
}  // namespace mlc::connectors::amazon

// TrackingSource against the UPS emulator in process: Quantum View read by range from a stored
// position, each package handed out once per change as the emulator's clock moves, nothing lost
// when a scan is not committed, get() by tracking number.
#include "connectors/ups/ups_tracking.hpp"

#include <gtest/gtest.h>

#include "connectors/ups/ups_shipments.hpp"
#include "connectors/ups/ups_test_fixture.hpp"

namespace mlc::connectors::ups {
namespace {

using namespace std::chrono_literals;

struct Pass {
    std::vector<model::TrackingEvent> events;
    std::string position;  // The last batch's.
    int batches = 0;
};

class TrackingSourceTest : public testing::UpsFixture {
  protected:
    TrackingSourceTest()
        : tokens_(credentials()),
          client_(client(*tokens_)),
          target_(*client_, shipper(), nullptr),
          source_(*client_) {}

    std::string ship(const std::string& reference, std::size_t packages = 1) {
        auto id = target_.create(draft(reference, packages));
        EXPECT_TRUE(id) << id.error().describe();
        return id ? *id : std::string();
    }

    // One scan from `position`, every batch, as the pipeline reads it.
    Pass scan(const std::string& position) {
        Pass pass;
        auto scan = source_.scan(position);
        EXPECT_TRUE(scan) << scan.error().describe();
        if (!scan) return pass;
        for (int i = 0; i < 100; ++i) {
            auto batch = (*scan)->next();
            EXPECT_TRUE(batch) << batch.error().describe();
            if (!batch) break;
            ++pass.batches;
            for (auto& record : batch->items) pass.events.push_back(record.value);
            if (!batch->position.empty()) pass.position = batch->position;
            if (!batch->more) break;
        }
        return pass;
    }

    std::unique_ptr<auth::TokenManager> tokens_;
    std::unique_ptr<UpsClient> client_;
    ShipmentsTarget target_;
    TrackingSource source_;
};

TEST_F(TrackingSourceTest, EachChangeIsHandedOutOnceAndTheStreamAdvancesWithTheClock) {
    const std::string number = ship("5012-1-1");
    clock_.advance(1min);

    Pass labelled = scan("");
    ASSERT_EQ(labelled.events.size(), 1u);
    EXPECT_EQ(labelled.events[0].tracking_number, number);
    EXPECT_EQ(labelled.events[0].source.key, number);
    EXPECT_EQ(labelled.events[0].status_code, "M");  // Label created.
    EXPECT_EQ(labelled.events[0].carrier, "ups");
    EXPECT_TRUE(labelled.events[0].estimated_delivery.has_value());
    EXPECT_FALSE(labelled.events[0].delivered_at.has_value());
    EXPECT_EQ(labelled.events[0].reference, "5012-1-1");
    ASSERT_FALSE(labelled.position.empty());

    EXPECT_TRUE(scan(labelled.position).events.empty());  // Nothing new: nothing handed out.

    clock_.advance(9h);  // The origin scan happened at label + 8 h.
    Pass origin = scan(labelled.position);
    ASSERT_EQ(origin.events.size(), 1u);
    EXPECT_EQ(origin.events[0].status_code, "I");
    EXPECT_GT(origin.events[0].at, labelled.events[0].at);  // The version moves.
    EXPECT_GT(origin.position, labelled.position);
    EXPECT_TRUE(scan(origin.position).events.empty());

    ASSERT_EQ(control("POST", "packages/" + number + "/deliver").status, 200);
    clock_.advance(1min);
    Pass delivered = scan(origin.position);
    ASSERT_EQ(delivered.events.size(), 1u);
    EXPECT_EQ(delivered.events[0].status_code, "D");
    EXPECT_EQ(delivered.events[0].description, "Delivered");
    EXPECT_EQ(delivered.events[0].delivered_at, delivered.events[0].at);
    EXPECT_EQ(delivered.events[0].reference, "5012-1-1");
    EXPECT_TRUE(scan(delivered.position).events.empty());
}

TEST_F(TrackingSourceTest, AScanNotCommittedIsReadAgainFromTheStoredPosition) {
    const std::string number = ship("5012-1-1");
    clock_.advance(1min);
    Pass first = scan("");
    ASSERT_EQ(first.events.size(), 1u);
    clock_.advance(9h);

    Pass read = scan(first.position);  // Handed out, then the process dies before the commit.
    Pass again = scan(first.position);

    ASSERT_EQ(read.events.size(), 1u);
    ASSERT_EQ(again.events.size(), 1u);
    EXPECT_EQ(again.events[0], read.events[0]);
}

TEST_F(TrackingSourceTest, ManyEventsComeInPagesAndOnlyTheLastBatchMovesThePosition) {
    ship("5012-9-1", 60);  // 60 label events: two Quantum View pages of 50.
    clock_.advance(1min);

    auto scan = source_.scan("");
    ASSERT_TRUE(scan);
    auto first = (*scan)->next();
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_TRUE(first->more);
    EXPECT_TRUE(first->position.empty());
    auto second = (*scan)->next();
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_FALSE(second->more);
    EXPECT_FALSE(second->position.empty());
    std::set<std::string> numbers;
    for (const auto* batch : {&*first, &*second}) {
        for (const auto& record : batch->items) numbers.insert(record.value.tracking_number);
    }
    EXPECT_EQ(numbers.size(), 60u);
    EXPECT_EQ(first->items.size() + second->items.size(), 60u);
}

TEST_F(TrackingSourceTest, GetReadsOnePackageByNumberForReplay) {
    const std::string number = ship("5012-1-1");
    clock_.advance(9h);

    auto record = source_.get(number);
    auto unknown = source_.get("1Z999AA10000000000");

    ASSERT_TRUE(record && *record);
    EXPECT_EQ((*record)->value.status_code, "I");
    EXPECT_FALSE((*record)->raw.empty());
    const SourceIdentity id = source_.identify((*record)->value);
    EXPECT_EQ(id.key, number);
    EXPECT_EQ(id.replay, number);
    EXPECT_EQ(id.version, (*record)->value.at);
    ASSERT_TRUE(unknown);
    EXPECT_FALSE(*unknown);
    auto tracked = client_->track(number);
    ASSERT_TRUE(tracked);
    EXPECT_EQ(*tracked, (*record)->value);
}

TEST_F(TrackingSourceTest, AStoredPositionOlderThanQuantumViewKeepsReadsFromSevenDaysBack) {
    ship("5012-1-1");
    clock_.advance(1min);
    Pass pass = scan("2025-01-01T00:00:00Z");  // Months ago: UPS refuses a range past 7 days.
    EXPECT_EQ(pass.events.size(), 1u);
    EXPECT_FALSE(pass.position.empty());
}

}  // namespace
}  // namespace mlc::connectors::ups

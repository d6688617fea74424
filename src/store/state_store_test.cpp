#include "store/state_store.hpp"

#include <gtest/gtest.h>

namespace mlc::store {
namespace {

TEST(StoreEnumText, EveryValueRoundTripsThroughItsText) {
    for (auto state : {BindingState::kPending, BindingState::kConfirmed}) {
        EXPECT_EQ(binding_state_from_string(to_string(state)), state);
    }
    for (auto status :
         {DeadLetterStatus::kOpen, DeadLetterStatus::kReplayed, DeadLetterStatus::kResolved}) {
        EXPECT_EQ(dead_letter_status_from_string(to_string(status)), status);
    }
    for (auto action : {AuditAction::kCreate, AuditAction::kUpdate, AuditAction::kSkip,
                        AuditAction::kFail, AuditAction::kPark, AuditAction::kReplay,
                        AuditAction::kReceive, AuditAction::kReject, AuditAction::kDelete}) {
        EXPECT_EQ(audit_action_from_string(to_string(action)), action);
    }
    for (auto status : {AlertStatus::kOpen, AlertStatus::kAcknowledged}) {
        EXPECT_EQ(alert_status_from_string(to_string(status)), status);
    }
}

TEST(StoreEnumText, UnknownTextIsRejected) {
    EXPECT_FALSE(binding_state_from_string("Pending").has_value());
    EXPECT_FALSE(dead_letter_status_from_string("").has_value());
    EXPECT_FALSE(audit_action_from_string("created").has_value());
    EXPECT_FALSE(alert_status_from_string("closed").has_value());
}

TEST(RefHasSegment, MatchesWholeSegmentsOnly) {
    EXPECT_TRUE(ref_has_segment("shipstation:order:SS-1001", "SS-1001"));
    EXPECT_TRUE(ref_has_segment("shipstation:order:SS-1001", "shipstation"));
    EXPECT_TRUE(ref_has_segment("SS-1001", "SS-1001"));
    EXPECT_FALSE(ref_has_segment("shipstation:order:SS-10", "SS-1"));
    EXPECT_FALSE(ref_has_segment("shipstation:order:XSS-1", "SS-1"));
    EXPECT_FALSE(ref_has_segment("shipstation:order:SS-1001", ""));
}

TEST(RefHasSegment, KeyWithColonMatchesConsecutiveSegments) {
    EXPECT_TRUE(ref_has_segment("amazon:settlement:123:7", "123:7"));
    EXPECT_FALSE(ref_has_segment("amazon:settlement:1234:7", "234:7"));
    EXPECT_FALSE(ref_has_segment("amazon:settlement:123:77", "123:7"));
}

}  // namespace
}  // namespace mlc::store

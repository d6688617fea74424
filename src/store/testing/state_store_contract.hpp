#pragma once
// The StateStore contract: behaviour every implementation (SQLite, PostgreSQL) must show, as one
// value-parameterised GoogleTest suite. A test binary includes this header in exactly ONE .cpp (it
// defines tests) and instantiates it with its factories, there or in another .cpp that includes
// only testing/state_store_contract_fixture.hpp:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StateStoreContract,
//                            ::testing::Values(StoreFactory{"memory", make_memory_store}),
//                            store_factory_name);
//
// Each test gets a fresh store from the factory, plus a fresh scratch directory (mkdtemp) that the
// factory may put files in; the fixture removes the directory afterwards (and calls the factory's
// cleanup first, when it has one).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/state_store.hpp"
#include "store/testing/state_store_contract_fixture.hpp"

// Tests build records with designated initializers and rely on the structs' own defaults for the
// fields they leave out; g++ 12 flags that under -Wextra, so only this header turns it off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlc::store::testing {

// ---- Bindings

TEST_P(StateStoreContract, BindingRoundTripsEveryField) {
    Binding written = binding("SS-1001", "5001", BindingState::kConfirmed);
    ASSERT_TRUE(store().put_binding(written));
    auto read = store().get_binding("ss-epicor", "shipstation", "SS-1001");
    ASSERT_TRUE(read);
    ASSERT_TRUE(read->has_value());
    const Binding& b = **read;
    EXPECT_EQ(b.flow, "ss-epicor");
    EXPECT_EQ(b.source_system, "shipstation");
    EXPECT_EQ(b.source_key, "SS-1001");
    EXPECT_EQ(b.target_id, "5001");
    EXPECT_EQ(b.content_hash, "h1");
    EXPECT_EQ(b.state, BindingState::kConfirmed);
    EXPECT_EQ(b.source_version, "v1");
    EXPECT_EQ(b.created_at, at(1000));
    EXPECT_EQ(b.updated_at, at(1000));
}

TEST_P(StateStoreContract, BindingUpdateKeepsCreatedAtAndReplacesTheRest) {
    ASSERT_TRUE(store().put_binding(binding("SS-1001", "", BindingState::kPending)));
    Binding confirmed = binding("SS-1001", "5001", BindingState::kConfirmed);
    confirmed.content_hash = "h2";
    confirmed.created_at = at(2000);
    confirmed.updated_at = at(2000);
    ASSERT_TRUE(store().put_binding(confirmed));
    auto read = store().get_binding("ss-epicor", "shipstation", "SS-1001");
    ASSERT_TRUE(read && read->has_value());
    EXPECT_EQ((*read)->target_id, "5001");
    EXPECT_EQ((*read)->content_hash, "h2");
    EXPECT_EQ((*read)->state, BindingState::kConfirmed);
    EXPECT_EQ((*read)->created_at, at(1000));
    EXPECT_EQ((*read)->updated_at, at(2000));
    EXPECT_EQ(store().count_bindings("ss-epicor").value(), 1);
}

TEST_P(StateStoreContract, MissingBindingIsEmptyNotAnError) {
    auto read = store().get_binding("ss-epicor", "shipstation", "nope");
    ASSERT_TRUE(read);
    EXPECT_FALSE(read->has_value());
}

TEST_P(StateStoreContract, BindingFoundByTargetAndListedByState) {
    ASSERT_TRUE(store().put_binding(binding("SS-1", "5001", BindingState::kConfirmed)));
    ASSERT_TRUE(store().put_binding(binding("SS-2", "", BindingState::kPending)));
    ASSERT_TRUE(store().put_binding(binding("SS-3", "5003", BindingState::kConfirmed)));
    auto by_target = store().find_binding_by_target("ss-epicor", "5003");
    ASSERT_TRUE(by_target && by_target->has_value());
    EXPECT_EQ((*by_target)->source_key, "SS-3");
    EXPECT_FALSE(store().find_binding_by_target("other-flow", "5003").value().has_value());

    auto pending = store().list_bindings("ss-epicor", BindingState::kPending, 100);
    ASSERT_TRUE(pending);
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ(pending->front().source_key, "SS-2");
    EXPECT_EQ(store().list_bindings("ss-epicor", std::nullopt, 100).value().size(), 3u);
    EXPECT_EQ(store().list_bindings("ss-epicor", std::nullopt, 2).value().size(), 2u);
    EXPECT_EQ(store().count_bindings("ss-epicor").value(), 3);
    EXPECT_EQ(store().count_bindings("other-flow").value(), 0);
}

// ---- Cursors

TEST_P(StateStoreContract, CursorRoundTripsAndMoves) {
    EXPECT_FALSE(store().get_cursor("ss-epicor", "orders").value().has_value());
    ASSERT_TRUE(store().set_cursor({"ss-epicor", "orders", "2024-03-10T09:00:00Z", at(10)}));
    ASSERT_TRUE(store().set_cursor({"ss-epicor", "orders", "2024-03-10T10:00:00Z", at(20)}));
    ASSERT_TRUE(store().set_cursor({"ss-epicor", "shipments", "s-1", at(30)}));
    auto cursor = store().get_cursor("ss-epicor", "orders");
    ASSERT_TRUE(cursor && cursor->has_value());
    EXPECT_EQ((*cursor)->value, "2024-03-10T10:00:00Z");
    EXPECT_EQ((*cursor)->updated_at, at(20));
    EXPECT_EQ(store().get_cursor("ss-epicor", "shipments").value()->value, "s-1");
}

// ---- Inbox

TEST_P(StateStoreContract, InboxEventRoundTrips) {
    auto appended = store().append_inbox(inbox_event("d-1", "{\"id\":1}", at(100)));
    ASSERT_TRUE(appended);
    EXPECT_EQ(appended->outcome, AppendOutcome::kStored);
    auto leased =
        store().lease_inbox("woo-epicor", "worker-a", at(100), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(leased);
    ASSERT_EQ(leased->size(), 1u);
    const InboxEvent& e = leased->front();
    EXPECT_EQ(e.id, appended->id);
    EXPECT_EQ(e.source, "woocommerce");
    EXPECT_EQ(e.delivery_id, "d-1");
    EXPECT_EQ(e.body_hash, "hash-{\"id\":1}");
    EXPECT_EQ(e.topic, "order.updated");
    EXPECT_EQ(e.headers_json, R"({"X-WC-Webhook-Topic":"order.updated"})");
    EXPECT_EQ(e.body, "{\"id\":1}");
    EXPECT_EQ(e.received_at, at(100));
    EXPECT_EQ(e.attempts, 1);
    EXPECT_EQ(e.lease_owner, "worker-a");
    EXPECT_EQ(e.lease_until, at(160));
    EXPECT_FALSE(e.done);
}

TEST_P(StateStoreContract, InboxRedeliveryWithSameDeliveryIdIsDuplicate) {
    auto first = store().append_inbox(inbox_event("d-1", "body-a", at(100)));
    auto again = store().append_inbox(inbox_event("d-1", "body-b", at(101)));
    ASSERT_TRUE(first && again);
    EXPECT_EQ(again->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(store().count_inbox("woo-epicor", false).value(), 1);
}

TEST_P(StateStoreContract, InboxSameBodyWithoutDeliveryIdIsDuplicate) {
    auto first = store().append_inbox(inbox_event("", "body-a", at(100)));
    auto again = store().append_inbox(inbox_event("", "body-a", at(101)));
    auto other = store().append_inbox(inbox_event("", "body-b", at(102)));
    ASSERT_TRUE(first && again && other);
    EXPECT_EQ(again->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(other->outcome, AppendOutcome::kStored);
    EXPECT_EQ(store().count_inbox("woo-epicor", false).value(), 2);
}

TEST_P(StateStoreContract, InboxDedupeIsPerFlow) {
    InboxEvent event = inbox_event("d-1", "body-a", at(100));
    ASSERT_TRUE(store().append_inbox(event));
    event.flow = "woo-other";
    auto other = store().append_inbox(event);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->outcome, AppendOutcome::kStored);
}

TEST_P(StateStoreContract, InboxLeaseHandsOutOldestFirstUpToMax) {
    ASSERT_TRUE(store().append_inbox(inbox_event("d-3", "c", at(300))));
    ASSERT_TRUE(store().append_inbox(inbox_event("d-1", "a", at(100))));
    ASSERT_TRUE(store().append_inbox(inbox_event("d-2", "b", at(200))));
    auto leased = store().lease_inbox("woo-epicor", "w", at(400), std::chrono::seconds{60}, 2);
    ASSERT_TRUE(leased);
    ASSERT_EQ(leased->size(), 2u);
    EXPECT_EQ((*leased)[0].delivery_id, "d-1");
    EXPECT_EQ((*leased)[1].delivery_id, "d-2");
}

TEST_P(StateStoreContract, InboxLeaseExpiresAndAnotherOwnerTakesOver) {
    ASSERT_TRUE(store().append_inbox(inbox_event("d-1", "a", at(100))));
    auto first =
        store().lease_inbox("woo-epicor", "worker-a", at(100), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->size(), 1u);
    // Still leased by worker-a: worker-b gets nothing.
    auto during =
        store().lease_inbox("woo-epicor", "worker-b", at(159), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(during);
    EXPECT_TRUE(during->empty());
    // worker-a died; its lease ran out at 160.
    auto after =
        store().lease_inbox("woo-epicor", "worker-b", at(160), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(after);
    ASSERT_EQ(after->size(), 1u);
    EXPECT_EQ(after->front().lease_owner, "worker-b");
    EXPECT_EQ(after->front().attempts, 2);
}

TEST_P(StateStoreContract, InboxDoneEventsAreNeverLeasedAgain) {
    auto stored = store().append_inbox(inbox_event("d-1", "a", at(100)));
    ASSERT_TRUE(stored);
    ASSERT_TRUE(store().mark_inbox_done(stored->id));
    auto leased = store().lease_inbox("woo-epicor", "w", at(10'000), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(leased);
    EXPECT_TRUE(leased->empty());
    EXPECT_EQ(store().count_inbox("woo-epicor", true).value(), 1);
    EXPECT_EQ(store().count_inbox("woo-epicor", false).value(), 0);
    auto missing = store().mark_inbox_done(stored->id + 1000);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StateStoreContract, InboxBatchStoresEventsWithTheirReceiptsAndDedupesWithinIt) {
    const auto delivery = [](std::string id, std::string body, UtcTime when) {
        return InboxAppend{.event = inbox_event(id, body, when),
                           .receipt = {.flow = "woo-epicor",
                                       .direction = "woocommerce->woo-epicor",
                                       .source_ref = "woocommerce:webhook:" + id,
                                       .action = AuditAction::kReceive,
                                       .outcome = "ok",
                                       .at = when,
                                       .detail = "webhook order.updated stored in the inbox"}};
    };
    auto results =
        store().append_inbox_batch({delivery("d-1", "a", at(100)), delivery("d-2", "b", at(100)),
                                    delivery("d-1", "a-again", at(100))});
    ASSERT_TRUE(results);
    ASSERT_EQ(results->size(), 3u);
    EXPECT_EQ((*results)[0].outcome, AppendOutcome::kStored);
    EXPECT_EQ((*results)[1].outcome, AppendOutcome::kStored);
    EXPECT_EQ((*results)[2].outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ((*results)[2].id, (*results)[0].id);
    EXPECT_EQ(store().count_inbox("woo-epicor", false).value(), 2);
    // One receipt per stored event, naming it; none for the duplicate.
    auto receipts = store().query_audit({.flow = "woo-epicor"});
    ASSERT_TRUE(receipts);
    ASSERT_EQ(receipts->size(), 2u);
    std::vector<std::string> targets = {(*receipts)[0].target_ref, (*receipts)[1].target_ref};
    std::sort(targets.begin(), targets.end());
    EXPECT_EQ(targets, (std::vector<std::string>{"inbox:" + std::to_string((*results)[0].id),
                                                 "inbox:" + std::to_string((*results)[1].id)}));
}

TEST_P(StateStoreContract, InboxRetentionDeletesOnlyProcessedEventsPastTheirAge) {
    auto old_done = store().append_inbox(inbox_event("d-1", "a", at(100)));
    auto old_pending = store().append_inbox(inbox_event("d-2", "b", at(110)));
    auto young_done = store().append_inbox(inbox_event("d-3", "c", at(300)));
    ASSERT_TRUE(old_done && old_pending && young_done);
    ASSERT_TRUE(store().mark_inbox_done(old_done->id));
    ASSERT_TRUE(store().mark_inbox_done(young_done->id));
    auto retired = store().retire_inbox({.processed_before = at(200), .keys_before = at(0)});
    ASSERT_TRUE(retired);
    EXPECT_EQ(retired->events, 1);
    EXPECT_EQ(retired->keys, 0);
    // The young processed one and the old unprocessed one stay; the pending one is still leased.
    EXPECT_EQ(store().count_inbox("woo-epicor", true).value(), 1);
    auto leased = store().lease_inbox("woo-epicor", "w", at(400), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(leased);
    ASSERT_EQ(leased->size(), 1u);
    EXPECT_EQ(leased->front().id, old_pending->id);
}

TEST_P(StateStoreContract, InboxRedeliveryAfterRetirementIsDuplicateWithinTheWindow) {
    auto by_id = store().append_inbox(inbox_event("d-1", "a", at(100)));
    auto by_body = store().append_inbox(inbox_event("", "b", at(110)));
    ASSERT_TRUE(by_id && by_body);
    ASSERT_TRUE(store().mark_inbox_done(by_id->id));
    ASSERT_TRUE(store().mark_inbox_done(by_body->id));
    auto retired = store().retire_inbox({.processed_before = at(200), .keys_before = at(0)});
    ASSERT_TRUE(retired);
    EXPECT_EQ(retired->events, 2);
    EXPECT_EQ(store().count_inbox("woo-epicor", true).value(), 0);
    // The bodies are gone; a redelivery (same delivery id, or same body) is still a duplicate.
    auto same_id = store().append_inbox(inbox_event("d-1", "a-resent", at(300)));
    auto same_body = store().append_inbox(inbox_event("", "b", at(300)));
    ASSERT_TRUE(same_id && same_body);
    EXPECT_EQ(same_id->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(same_id->id, by_id->id);
    EXPECT_EQ(same_body->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(same_body->id, by_body->id);
    // Past the window the keys are forgotten (d-1, hash-a, hash-b), and it is new again.
    retired = store().retire_inbox({.processed_before = at(200), .keys_before = at(1000)});
    ASSERT_TRUE(retired);
    EXPECT_EQ(retired->keys, 3);
    auto later = store().append_inbox(inbox_event("d-1", "a", at(2000)));
    ASSERT_TRUE(later);
    EXPECT_EQ(later->outcome, AppendOutcome::kStored);
}

// ---- Dead letters

TEST_P(StateStoreContract, DeadLetterRoundTrips) {
    auto id = store().put_dead_letter(dead_letter("SS-1001", "Part 'X-9' not found", at(100)));
    ASSERT_TRUE(id);
    auto read = store().get_dead_letter(*id);
    ASSERT_TRUE(read && read->has_value());
    const DeadLetter& d = **read;
    EXPECT_EQ(d.id, *id);
    EXPECT_EQ(d.flow, "ss-epicor");
    EXPECT_EQ(d.source_system, "shipstation");
    EXPECT_EQ(d.source_key, "SS-1001");
    EXPECT_EQ(d.record_json, R"({"orderNumber":"SS-1001"})");
    EXPECT_EQ(d.replay_json, R"({"stream":"orders"})");
    EXPECT_EQ(d.error_code, "unresolved");
    EXPECT_EQ(d.error_message, "Part 'X-9' not found");
    EXPECT_EQ(d.attempts, 1);
    EXPECT_EQ(d.first_seen, at(100));
    EXPECT_EQ(d.last_seen, at(100));
    EXPECT_EQ(d.status, DeadLetterStatus::kOpen);
    EXPECT_FALSE(store().get_dead_letter(*id + 1000).value().has_value());
}

TEST_P(StateStoreContract, DeadLetterUpsertCountsAttemptsWhileOpen) {
    auto first = store().put_dead_letter(dead_letter("SS-1001", "first error", at(100)));
    auto second = store().put_dead_letter(dead_letter("SS-1001", "second error", at(200)));
    auto third = store().put_dead_letter(dead_letter("SS-1001", "third error", at(300)));
    ASSERT_TRUE(first && second && third);
    EXPECT_EQ(*second, *first);
    EXPECT_EQ(*third, *first);
    auto read = store().get_dead_letter(*first).value();
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->attempts, 3);
    EXPECT_EQ(read->first_seen, at(100));
    EXPECT_EQ(read->last_seen, at(300));
    EXPECT_EQ(read->error_message, "third error");
    EXPECT_EQ(store().list_dead_letters(std::nullopt, std::nullopt, 100).value().size(), 1u);
}

TEST_P(StateStoreContract, DeadLetterAfterResolveOpensANewOne) {
    auto first = store().put_dead_letter(dead_letter("SS-1001", "e", at(100)));
    ASSERT_TRUE(first);
    ASSERT_TRUE(store().set_dead_letter_status(*first, DeadLetterStatus::kResolved));
    auto second = store().put_dead_letter(dead_letter("SS-1001", "e again", at(200)));
    ASSERT_TRUE(second);
    EXPECT_NE(*second, *first);
    EXPECT_EQ(store().get_dead_letter(*first).value()->status, DeadLetterStatus::kResolved);
    EXPECT_EQ(store().get_dead_letter(*second).value()->attempts, 1);
    auto open = store().list_dead_letters(std::string("ss-epicor"), DeadLetterStatus::kOpen, 100);
    ASSERT_TRUE(open);
    ASSERT_EQ(open->size(), 1u);
    EXPECT_EQ(open->front().id, *second);
    EXPECT_TRUE(store().list_dead_letters(std::string("other"), std::nullopt, 100).value().empty());
    auto missing = store().set_dead_letter_status(*second + 1000, DeadLetterStatus::kReplayed);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StateStoreContract, DifferenceUpsertsWhileOpenAndClearsOrIsDismissed) {
    const auto difference = [&](std::string key, std::string hash, UtcTime seen) {
        return Difference{.id = 0,
                          .flow = "acu-ss",
                          .source_system = "acumatica",
                          .source_key = std::move(key),
                          .source_ref = "acumatica:order:SO1",
                          .target_ref = "shipstation:order:7",
                          .content_hash = std::move(hash),
                          .detail = "quantity differs",
                          .edits = 1,
                          .first_seen = seen,
                          .last_seen = seen};
    };
    PageCommit first;
    first.differences = {difference("SO1", "h1", at(100)), difference("SO2", "h1", at(110))};
    ASSERT_TRUE(store().commit_page(first));
    PageCommit again;  // A later edit of SO1: one row, what differs replaced, edits counted.
    again.differences = {difference("SO1", "h2", at(200))};
    ASSERT_TRUE(store().commit_page(again));
    auto open = store().list_differences(std::string("acu-ss"), DifferenceStatus::kOpen, 100);
    ASSERT_TRUE(open);
    ASSERT_EQ(open->size(), 2u);
    EXPECT_EQ(open->front().source_key, "SO1");  // Newest last_seen first.
    EXPECT_EQ(open->front().content_hash, "h2");
    EXPECT_EQ(open->front().edits, 2);
    EXPECT_EQ(open->front().first_seen, at(100));
    EXPECT_EQ(open->front().last_seen, at(200));
    PageCommit agreed;
    agreed.differences_cleared = {{.id = open->front().id, .at = at(300)}};
    ASSERT_TRUE(store().commit_page(agreed));
    ASSERT_TRUE(
        store().set_difference_status(open->back().id, DifferenceStatus::kDismissed, at(310)));
    EXPECT_TRUE(store().list_differences(std::nullopt, DifferenceStatus::kOpen, 100)->empty());
    auto all = store().list_differences(std::string("acu-ss"), std::nullopt, 100).value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all.front().status, DifferenceStatus::kCleared);
    EXPECT_EQ(all.front().closed_at, at(300));
    EXPECT_EQ(all.back().status, DifferenceStatus::kDismissed);
    PageCommit reopened;  // The record differs again: a new open row.
    reopened.differences = {difference("SO1", "h3", at(400))};
    ASSERT_TRUE(store().commit_page(reopened));
    EXPECT_EQ(store().list_differences(std::nullopt, DifferenceStatus::kOpen, 100)->size(), 1u);
    auto missing = store().set_difference_status(999'999, DifferenceStatus::kDismissed, at(500));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StateStoreContract, DeadLettersListMostRecentlyFailingFirst) {
    ASSERT_TRUE(store().put_dead_letter(dead_letter("A", "e", at(100))));
    ASSERT_TRUE(store().put_dead_letter(dead_letter("B", "e", at(200))));
    ASSERT_TRUE(store().put_dead_letter(dead_letter("A", "e", at(300))));
    auto all = store().list_dead_letters(std::nullopt, std::nullopt, 100);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].source_key, "A");
    EXPECT_EQ((*all)[1].source_key, "B");
}

// ---- Audit

TEST_P(StateStoreContract, AuditEventRoundTrips) {
    AuditEvent event =
        audit("ss-epicor", "shipstation:order:SS-1001", "epicor:SalesOrder:5001", at(100));
    event.action = AuditAction::kPark;
    event.outcome = "unresolved";
    event.attempt = 3;
    auto id = store().append_audit(event);
    ASSERT_TRUE(id);
    auto found = store().query_audit({.flow = "ss-epicor"});
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 1u);
    const AuditEvent& e = found->front();
    EXPECT_EQ(e.id, *id);
    EXPECT_EQ(e.flow, "ss-epicor");
    EXPECT_EQ(e.direction, "shipstation->epicor");
    EXPECT_EQ(e.source_ref, "shipstation:order:SS-1001");
    EXPECT_EQ(e.target_ref, "epicor:SalesOrder:5001");
    EXPECT_EQ(e.action, AuditAction::kPark);
    EXPECT_EQ(e.outcome, "unresolved");
    EXPECT_EQ(e.attempt, 3);
    EXPECT_EQ(e.at, at(100));
    EXPECT_EQ(e.detail, "created sales order");
}

TEST_P(StateStoreContract, AuditQueryBySourceKeyMatchesWholeSegmentsOnly) {
    ASSERT_TRUE(
        store().append_audit(audit("f", "shipstation:order:SS-1", "epicor:SalesOrder:1", at(1))));
    ASSERT_TRUE(
        store().append_audit(audit("f", "shipstation:order:SS-10", "epicor:SalesOrder:2", at(2))));
    ASSERT_TRUE(
        store().append_audit(audit("f", "shipstation:order:SS-100", "epicor:SalesOrder:3", at(3))));
    auto found = store().query_audit({.source_key = "SS-1"});
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ(found->front().source_ref, "shipstation:order:SS-1");
    EXPECT_TRUE(store().query_audit({.source_key = "SS"}).value().empty());
    EXPECT_TRUE(store().query_audit({.source_key = "ss-1"}).value().empty());  // Case-sensitive.
    EXPECT_TRUE(store().query_audit({.source_key = ""}).value().empty());
}

TEST_P(StateStoreContract, AuditQueryByKeyHoldingColonMatchesConsecutiveSegments) {
    ASSERT_TRUE(
        store().append_audit(audit("f", "amazon:settlement:123:7", "epicor:GLJournal:9", at(1))));
    ASSERT_TRUE(
        store().append_audit(audit("f", "amazon:settlement:1234:7", "epicor:GLJournal:8", at(2))));
    auto found = store().query_audit({.source_key = "123:7"});
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ(found->front().source_ref, "amazon:settlement:123:7");
}

TEST_P(StateStoreContract, AuditQueryByTargetIdNewestFirst) {
    ASSERT_TRUE(store().append_audit(
        audit("f", "shipstation:order:SS-1", "epicor:SalesOrder:5001", at(1))));
    ASSERT_TRUE(store().append_audit(
        audit("f", "shipstation:order:SS-2", "epicor:SalesOrder:50011", at(2))));
    ASSERT_TRUE(store().append_audit(
        audit("f", "shipstation:order:SS-1", "epicor:SalesOrder:5001", at(3))));
    auto found = store().query_audit({.target_id = "5001"});
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ((*found)[0].at, at(3));
    EXPECT_EQ((*found)[1].at, at(1));
    // A source key is not looked for in target refs.
    EXPECT_TRUE(store().query_audit({.source_key = "5001"}).value().empty());
}

TEST_P(StateStoreContract, AuditQueryByFlowAndHalfOpenTimeRange) {
    for (int i = 0; i < 10; ++i) {
        const std::string flow = i % 2 == 0 ? "even" : "odd";
        ASSERT_TRUE(store().append_audit(
            audit(flow, "shipstation:order:SS-" + std::to_string(i), "", at(100 + i))));
    }
    auto found = store().query_audit({.flow = "even", .from = at(102), .to = at(108)});
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 3u);  // 102, 104, 106: `to` is exclusive.
    EXPECT_EQ((*found)[0].at, at(106));
    EXPECT_EQ((*found)[2].at, at(102));
    auto limited = store().query_audit({.flow = "odd", .limit = 2});
    ASSERT_TRUE(limited);
    ASSERT_EQ(limited->size(), 2u);
    EXPECT_EQ((*limited)[0].at, at(109));  // The limit keeps the newest.
    auto combined = store().query_audit({.flow = "odd", .source_key = "SS-3", .from = at(100)});
    ASSERT_TRUE(combined);
    ASSERT_EQ(combined->size(), 1u);
    EXPECT_TRUE(store().query_audit({.flow = "even", .source_key = "SS-3"}).value().empty());
}

// ---- Alerts

// Retention: only events before the cut go, oldest first and at most max_rows a call; each is
// counted into its UTC day's summary row (flow, action, outcome), counts adding up across calls;
// what is younger stays and is still found by key.
TEST_P(StateStoreContract, AuditRetentionDeletesOnlyEventsPastTheirAgeAndKeepsTheirCounts) {
    constexpr std::int64_t kDay = 86'400;
    AuditEvent parked = audit("f", "shipstation:order:SS-2", "", at(kDay + 5));
    parked.action = AuditAction::kPark;
    parked.outcome = "unresolved";
    for (const AuditEvent& e :
         {audit("f", "shipstation:order:SS-1", "epicor:SalesOrder:1", at(kDay + 1)),
          audit("f", "shipstation:order:SS-3", "epicor:SalesOrder:3", at(kDay + 2)), parked,
          audit("g", "shipstation:order:SS-4", "epicor:SalesOrder:4", at(2 * kDay + 1)),
          audit("f", "shipstation:order:SS-5", "epicor:SalesOrder:5", at(3 * kDay))}) {
        ASSERT_TRUE(store().append_audit(e));
    }
    auto retired = store().retire_audit({.before = at(3 * kDay), .max_rows = 2});
    ASSERT_TRUE(retired) << retired.error().describe();
    EXPECT_EQ(*retired, 2);  // The two oldest; more are due.
    retired = store().retire_audit({.before = at(3 * kDay)});
    ASSERT_TRUE(retired) << retired.error().describe();
    EXPECT_EQ(*retired, 2);
    EXPECT_EQ(store().retire_audit({.before = at(3 * kDay)}).value(), 0);

    auto left = store().query_audit({});
    ASSERT_TRUE(left);
    ASSERT_EQ(left->size(), 1u);  // Exactly at the cut: kept.
    EXPECT_EQ(left->front().source_ref, "shipstation:order:SS-5");
    EXPECT_TRUE(store().query_audit({.source_key = "SS-1"}).value().empty());
    EXPECT_EQ(store().query_audit({.source_key = "SS-5"}).value().size(), 1u);

    auto summary = store().audit_summary(std::nullopt, 100);
    ASSERT_TRUE(summary) << summary.error().describe();
    ASSERT_EQ(summary->size(), 3u);
    const auto row = [](const AuditSummaryRow& r) {
        return r.day + " " + r.flow + " " + r.action + " " + r.outcome + " " +
               std::to_string(r.count);
    };
    EXPECT_EQ(row((*summary)[0]), "1970-01-03 g create ok 1");  // Newest day first.
    EXPECT_EQ(row((*summary)[1]), "1970-01-02 f create ok 2");
    EXPECT_EQ(row((*summary)[2]), "1970-01-02 f park unresolved 1");
    EXPECT_EQ(store().audit_summary(std::string("g"), 100).value().size(), 1u);

    // A later retirement of the same day adds to its row.
    ASSERT_TRUE(store().append_audit(audit("g", "shipstation:order:SS-6", "", at(2 * kDay + 9))));
    EXPECT_EQ(store().retire_audit({.before = at(3 * kDay)}).value(), 1);
    EXPECT_EQ(row(store().audit_summary(std::string("g"), 100).value().at(0)),
              "1970-01-03 g create ok 2");
}

TEST_P(StateStoreContract, AlertRoundTripsAndDedupesWhileOpen) {
    Alert alert{.key = "budget:amazon",
                .flow = "amazon-epicor",
                .severity = "warning",
                .message = "80% of the daily token budget used",
                .raised_at = at(100)};
    auto first = store().raise_alert(alert);
    alert.severity = "error";
    alert.message = "daily token budget spent";
    alert.raised_at = at(200);
    auto second = store().raise_alert(alert);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(*first, *second);
    auto open = store().list_alerts(AlertStatus::kOpen);
    ASSERT_TRUE(open);
    ASSERT_EQ(open->size(), 1u);
    const Alert& a = open->front();
    EXPECT_EQ(a.id, *first);
    EXPECT_EQ(a.key, "budget:amazon");
    EXPECT_EQ(a.flow, "amazon-epicor");
    EXPECT_EQ(a.severity, "error");
    EXPECT_EQ(a.message, "daily token budget spent");
    EXPECT_EQ(a.raised_at, at(100));  // When the problem started.
    EXPECT_EQ(a.last_seen, at(200));  // When it was last raised.
    EXPECT_EQ(a.count, 2);
    EXPECT_FALSE(a.acknowledged_at.has_value());
    EXPECT_FALSE(a.resolved_at.has_value());
}

TEST_P(StateStoreContract, ResolvingEndsOpenAndAcknowledgedAlertsOfAKey) {
    Alert alert{.key = "flow_failing:f",
                .flow = "f",
                .severity = "error",
                .message = "m",
                .raised_at = at(100)};
    auto acked = store().raise_alert(alert);
    ASSERT_TRUE(acked);
    ASSERT_TRUE(store().acknowledge_alert(*acked, at(110)));
    alert.raised_at = at(120);
    auto open = store().raise_alert(alert);
    alert.key = "other";
    auto other = store().raise_alert(alert);
    ASSERT_TRUE(open && other);
    auto resolved = store().resolve_alert("flow_failing:f", at(300));
    ASSERT_TRUE(resolved) << resolved.error().describe();
    EXPECT_EQ(*resolved, 2);
    EXPECT_EQ(store().resolve_alert("flow_failing:f", at(400)).value(), 0);  // Nothing open.
    auto done = store().list_alerts(AlertStatus::kResolved).value();
    ASSERT_EQ(done.size(), 2u);
    for (const Alert& a : done) {
        EXPECT_EQ(a.resolved_at, at(300));
        EXPECT_EQ(a.key, "flow_failing:f");
    }
    EXPECT_EQ(done.back().acknowledged_at, at(110));  // Oldest last: the acknowledged one.
    auto still = store().list_alerts(AlertStatus::kOpen).value();
    ASSERT_EQ(still.size(), 1u);
    EXPECT_EQ(still.front().key, "other");
    ASSERT_TRUE(store().acknowledge_alert(*open, at(450)));  // Late: it stays resolved.
    EXPECT_EQ(store().list_alerts(AlertStatus::kResolved).value().size(), 2u);
    alert.key = "flow_failing:f";  // The problem again: a new alert.
    alert.raised_at = at(500);
    auto again = store().raise_alert(alert);
    ASSERT_TRUE(again);
    EXPECT_NE(*again, *open);
}

TEST_P(StateStoreContract, AcknowledgedAlertIsRaisedAnewAsANewAlert) {
    Alert alert{.key = "auth:epicor",
                .flow = "f",
                .severity = "error",
                .message = "m",
                .raised_at = at(100)};
    auto first = store().raise_alert(alert);
    ASSERT_TRUE(first);
    ASSERT_TRUE(store().acknowledge_alert(*first, at(150)));
    alert.raised_at = at(200);
    auto second = store().raise_alert(alert);
    ASSERT_TRUE(second);
    EXPECT_NE(*first, *second);
    auto acked = store().list_alerts(AlertStatus::kAcknowledged);
    ASSERT_TRUE(acked);
    ASSERT_EQ(acked->size(), 1u);
    EXPECT_EQ(acked->front().acknowledged_at, at(150));
    EXPECT_EQ(store().list_alerts(AlertStatus::kOpen).value().size(), 1u);
    EXPECT_EQ(store().list_alerts(std::nullopt).value().size(), 2u);
    auto missing = store().acknowledge_alert(*second + 1000, at(300));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// ---- Tokens

TEST_P(StateStoreContract, TokenRoundTripsBinaryCiphertextAndDeletes) {
    const std::string ciphertext("\x00\x01\xff\xfe secret-looking \x00 bytes", 27);
    ASSERT_TRUE(store().put_token({"ups-prod", ciphertext, at(5000), at(1000)}));
    auto read = store().get_token("ups-prod");
    ASSERT_TRUE(read && read->has_value());
    EXPECT_EQ((*read)->connection, "ups-prod");
    EXPECT_EQ((*read)->ciphertext, ciphertext);
    EXPECT_EQ((*read)->expires_at, at(5000));
    EXPECT_EQ((*read)->obtained_at, at(1000));
    ASSERT_TRUE(store().put_token({"ups-prod", "newer", at(9000), at(6000)}));
    EXPECT_EQ(store().get_token("ups-prod").value()->ciphertext, "newer");
    ASSERT_TRUE(store().delete_token("ups-prod"));
    EXPECT_FALSE(store().get_token("ups-prod").value().has_value());
}

TEST_P(StateStoreContract, TokenRequestCounterRollsOverAtUtcMidnight) {
    using namespace std::chrono;
    const UtcTime day1 = sys_days{year{2024} / March / 10} + hours{23} + minutes{59} + seconds{59};
    const UtcTime day2 = sys_days{year{2024} / March / 11};
    EXPECT_EQ(store().count_token_request("amazon", day1 - hours{23}).value(), 1);
    EXPECT_EQ(store().count_token_request("amazon", day1).value(), 2);
    EXPECT_EQ(store().count_token_request("amazon", day2).value(), 1);
    EXPECT_EQ(store().count_token_request("ups", day2).value(), 1);
    EXPECT_EQ(store().token_requests_on("amazon", day1).value(), 2);
    EXPECT_EQ(store().token_requests_on("amazon", day2 + hours{12}).value(), 1);
    EXPECT_EQ(store().token_requests_on("amazon", day2 + days{1}).value(), 0);
}

// ---- Leases

TEST_P(StateStoreContract, LeaseIsExclusiveUntilItExpires) {
    EXPECT_TRUE(store().acquire_lease("flow:ss-epicor", "worker-a", at(100), at(160)).value());
    EXPECT_FALSE(store().acquire_lease("flow:ss-epicor", "worker-b", at(159), at(219)).value());
    EXPECT_TRUE(store().acquire_lease("flow:ss-epicor", "worker-b", at(160), at(220)).value());
    // worker-a comes back late: it no longer holds the lease and cannot take it back.
    EXPECT_FALSE(store().acquire_lease("flow:ss-epicor", "worker-a", at(170), at(230)).value());
}

TEST_P(StateStoreContract, LeaseHolderExtendsAndOnlyTheHolderReleases) {
    EXPECT_TRUE(store().acquire_lease("flow:f", "worker-a", at(100), at(160)).value());
    EXPECT_TRUE(store().acquire_lease("flow:f", "worker-a", at(150), at(210)).value());
    EXPECT_FALSE(store().acquire_lease("flow:f", "worker-b", at(200), at(260)).value());
    ASSERT_TRUE(store().release_lease("flow:f", "worker-b"));  // Not the holder: no effect.
    EXPECT_FALSE(store().acquire_lease("flow:f", "worker-b", at(200), at(260)).value());
    ASSERT_TRUE(store().release_lease("flow:f", "worker-a"));
    EXPECT_TRUE(store().acquire_lease("flow:f", "worker-b", at(200), at(260)).value());
    EXPECT_TRUE(store().acquire_lease("flow:other", "worker-a", at(200), at(260)).value());
}

TEST_P(StateStoreContract, LeaseHolderNamesTheOwnerUntilReleased) {
    EXPECT_FALSE(store().lease_holder("flow:f").value());
    ASSERT_TRUE(store().acquire_lease("flow:f", "host:41", at(100), at(160)).value());
    const auto held = store().lease_holder("flow:f").value();
    ASSERT_TRUE(held);
    EXPECT_EQ(held->owner, "host:41");
    EXPECT_EQ(held->until, at(160));
    ASSERT_TRUE(store().release_lease("flow:f", "host:41"));
    EXPECT_FALSE(store().lease_holder("flow:f").value());
}

// ---- Settings

TEST_P(StateStoreContract, SettingRoundTripsAndOverwrites) {
    EXPECT_FALSE(store().get_setting("woo.webhook_id").value().has_value());
    ASSERT_TRUE(store().put_setting("woo.webhook_id", "17"));
    ASSERT_TRUE(store().put_setting("woo.webhook_id", "18"));
    EXPECT_EQ(store().get_setting("woo.webhook_id").value(), std::optional<std::string>("18"));
}

// ---- Console users and sessions

TEST_P(StateStoreContract, ConsoleUserRoundTripsListsByNameAndIsRemoved) {
    EXPECT_FALSE(store().get_console_user("zoe").value());
    ASSERT_TRUE(store().put_console_user(
        {.name = "zoe", .role = "viewer", .password_hash = "$argon2id$z", .created_at = at(10)}));
    ASSERT_TRUE(store().put_console_user(
        {.name = "ann", .role = "admin", .password_hash = "$argon2id$a", .created_at = at(20)}));
    const auto zoe = store().get_console_user("zoe").value();
    ASSERT_TRUE(zoe);
    EXPECT_EQ(zoe->role, "viewer");
    EXPECT_EQ(zoe->password_hash, "$argon2id$z");
    EXPECT_EQ(zoe->created_at, at(10));
    const auto users = store().list_console_users().value();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].name, "ann");
    ASSERT_TRUE(store().remove_console_user("zoe"));
    EXPECT_FALSE(store().get_console_user("zoe").value());
    EXPECT_EQ(store().remove_console_user("zoe").error().code, ErrorCode::kNotFound);
}

TEST_P(StateStoreContract, ConsoleSessionsEndWithTheirUserAndArePrunedWhenExpired) {
    ASSERT_TRUE(store().put_console_user(
        {.name = "ann", .role = "operator", .password_hash = "$argon2id$a", .created_at = at(1)}));
    ASSERT_TRUE(store().put_console_session({.id_hash = "h1",
                                             .user = "ann",
                                             .csrf_token = "c1",
                                             .created_at = at(10),
                                             .last_seen = at(10)}));
    ASSERT_TRUE(store().put_console_session({.id_hash = "h2",
                                             .user = "ann",
                                             .csrf_token = "c2",
                                             .created_at = at(50),
                                             .last_seen = at(90)}));
    const auto one = store().get_console_session("h1").value();
    ASSERT_TRUE(one);
    EXPECT_EQ(one->user, "ann");
    EXPECT_EQ(one->csrf_token, "c1");
    EXPECT_EQ(one->last_seen, at(10));
    // h1 was last seen at 10: idle past a cut at 20; h2 stays.
    EXPECT_EQ(store().prune_console_sessions(at(0), at(20)).value(), 1);
    EXPECT_FALSE(store().get_console_session("h1").value());
    ASSERT_TRUE(store().remove_console_session("nobody"));  // Logging out twice is harmless.
    // A new password (the user replaced) ends the user's sessions.
    ASSERT_TRUE(store().put_console_user(
        {.name = "ann", .role = "operator", .password_hash = "$argon2id$b", .created_at = at(1)}));
    EXPECT_FALSE(store().get_console_session("h2").value());
}

// ---- commit_page

TEST_P(StateStoreContract, CommitPageWritesEveryPart) {
    auto inbox = store().append_inbox(inbox_event("d-1", "a", at(50)));
    auto old_letter = store().put_dead_letter(dead_letter("SS-0", "e", at(60)));
    ASSERT_TRUE(inbox && old_letter);
    PageCommit page;
    page.bindings = {binding("SS-1", "5001", BindingState::kConfirmed),
                     binding("SS-2", "5002", BindingState::kConfirmed)};
    page.cursor = Cursor{"ss-epicor", "orders", "2024-03-10T10:00:00Z", at(100)};
    page.audit = {audit("ss-epicor", "shipstation:order:SS-1", "epicor:SalesOrder:5001", at(100))};
    page.dead_letters = {dead_letter("SS-3", "Part 'X-9' not found", at(100))};
    page.inbox_done = {inbox->id};
    page.dead_letters_resolved = {*old_letter};
    ASSERT_TRUE(store().commit_page(page));

    EXPECT_EQ(store().count_bindings("ss-epicor").value(), 2);
    EXPECT_EQ(store().get_cursor("ss-epicor", "orders").value()->value, "2024-03-10T10:00:00Z");
    EXPECT_EQ(store().query_audit({.source_key = "SS-1"}).value().size(), 1u);
    auto open = store().list_dead_letters(std::nullopt, DeadLetterStatus::kOpen, 10).value();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open.front().source_key, "SS-3");
    EXPECT_EQ(store().get_dead_letter(*old_letter).value()->status, DeadLetterStatus::kResolved);
    EXPECT_EQ(store().count_inbox("woo-epicor", true).value(), 1);
}

TEST_P(StateStoreContract, CommitPageWithAFailingPartWritesNothing) {
    PageCommit page;
    page.bindings = {binding("SS-1", "5001", BindingState::kConfirmed)};
    page.cursor = Cursor{"ss-epicor", "orders", "2024-03-10T10:00:00Z", at(100)};
    page.audit = {audit("ss-epicor", "shipstation:order:SS-1", "epicor:SalesOrder:5001", at(100))};
    page.dead_letters = {dead_letter("SS-3", "e", at(100))};
    page.inbox_done = {987654};  // No such event: the whole page must roll back.
    auto committed = store().commit_page(page);
    ASSERT_FALSE(committed);
    EXPECT_EQ(store().count_bindings("ss-epicor").value(), 0);
    EXPECT_FALSE(store().get_cursor("ss-epicor", "orders").value().has_value());
    EXPECT_TRUE(store().query_audit({.flow = "ss-epicor"}).value().empty());
    EXPECT_TRUE(store().list_dead_letters(std::nullopt, std::nullopt, 10).value().empty());
    // And the store still works afterwards.
    page.inbox_done.clear();
    ASSERT_TRUE(store().commit_page(page));
    EXPECT_EQ(store().count_bindings("ss-epicor").value(), 1);
}

}  // namespace mlc::store::testing

#pragma GCC diagnostic pop

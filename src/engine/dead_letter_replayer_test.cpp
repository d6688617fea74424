#include "engine/dead_letter_replayer.hpp"

#include <algorithm>

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "engine/dead_letter_cause.hpp"
#include "engine/testing/fake_state_store.hpp"

namespace mlc::engine {
namespace {

// Replays fail for the source keys in `failing` (a mapping still missing), succeed otherwise.
class ReplayRunner final : public FlowRunner {
  public:
    Result<RunSummary> run_once(RunContext&) override { return RunSummary{}; }
    Result<void> replay(const store::DeadLetter& letter, RunContext& ctx) override {
        replayed.push_back(letter.source_key);
        attempts.push_back(ctx.attempt);
        if (std::find(failing.begin(), failing.end(), letter.source_key) != failing.end()) {
            return make_error(ErrorCode::kUnresolved, "epicor",
                              "SKU X-9 has no Epicor part; add it to mappings.skus");
        }
        return ok();
    }
    std::vector<std::string> failing;
    std::vector<std::string> replayed;
    std::vector<int> attempts;
};

struct Fixture {
    ManualClock clock;
    std::unique_ptr<store::StateStore> store = testing::make_test_store();
    std::shared_ptr<spdlog::logger> log =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    ReplayRunner runner;
    std::atomic<bool> stop{false};
    DeadLetterReplayer replayer{clock, *store, *log,
                                [this](const std::string& flow) -> FlowRunner* {
                                    return flow == "orders" ? &runner : nullptr;
                                },
                                ReplayerOptions{.owner = "me"}};

    std::int64_t park(const std::string& key, const std::string& flow = "orders") {
        auto id = store->put_dead_letter({.flow = flow,
                                          .source_system = "shipstation",
                                          .source_key = key,
                                          .record_json = "{}",
                                          .replay_json = "{}",
                                          .error_code = "unresolved",
                                          .error_message = "SKU X-9 unknown",
                                          .first_seen = clock.now(),
                                          .last_seen = clock.now()});
        EXPECT_TRUE(id.has_value());
        return id.value_or(0);
    }
    store::DeadLetter letter(std::int64_t id) { return store->get_dead_letter(id).value().value(); }
    std::vector<store::AuditEvent> replay_audit() {
        store::AuditQuery query;
        query.flow = "orders";
        auto events = store->query_audit(query).value();
        std::erase_if(events,
                      [](const auto& e) { return e.action != store::AuditAction::kReplay; });
        return events;
    }
};

TEST(DeadLetterReplay, SuccessMarksTheLetterReplayedAndAuditsIt) {
    Fixture f;
    const auto id = f.park("SS-1001");
    ASSERT_TRUE(f.replayer.replay(id, f.stop).has_value());
    EXPECT_EQ(f.letter(id).status, store::DeadLetterStatus::kReplayed);
    EXPECT_EQ(f.runner.replayed, std::vector<std::string>{"SS-1001"});
    EXPECT_EQ(f.runner.attempts, std::vector<int>{2});  // Parked once, replayed: attempt 2.
    const auto events = f.replay_audit();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].outcome, "ok");
    EXPECT_NE(events[0].source_ref.find("SS-1001"), std::string::npos);
}

TEST(DeadLetterReplay, FailureKeepsTheLetterOpenWithOneMoreAttemptAndTheNewError) {
    Fixture f;
    const auto id = f.park("SS-1002");
    f.runner.failing = {"SS-1002"};
    auto result = f.replayer.replay(id, f.stop);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kUnresolved);
    const auto letter = f.letter(id);
    EXPECT_EQ(letter.status, store::DeadLetterStatus::kOpen);
    EXPECT_EQ(letter.attempts, 2);
    EXPECT_EQ(letter.error_code, "unresolved");
    EXPECT_NE(letter.error_message.find("mappings.skus"), std::string::npos);
    // The new error is the letter's cause too (the console groups letters by it).
    EXPECT_EQ(cause_of(letter).message, "SKU X-9 has no Epicor part; add it to mappings.skus");
    EXPECT_EQ(cause_of(letter).system, "epicor");
    const auto events = f.replay_audit();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].outcome, "unresolved");
}

TEST(DeadLetterCause, KeptBesideTheReplayKeyWithoutTheRecordItStopped) {
    Error error = make_error(ErrorCode::kUnresolved, "epicor", "SKU 'SKU-999' is unknown");
    error.record_key = "order SS-1";
    store::DeadLetter letter;
    letter.replay_json = with_cause(R"({"stream":"orders","ref":"7"})", error);
    letter.error_code = "unresolved";
    letter.error_message = error.describe();
    EXPECT_EQ(letter.replay_json,
              R"({"stream":"orders","ref":"7","cause":{"code":"unresolved","system":"epicor",)"
              R"("message":"SKU 'SKU-999' is unknown"}})");
    EXPECT_EQ(cause_of(letter).code, "unresolved");
    EXPECT_EQ(cause_of(letter).message, "SKU 'SKU-999' is unknown");
    // A letter parked before causes were kept: its code and whole message.
    letter.replay_json = R"({"stream":"orders","ref":"7"})";
    EXPECT_EQ(cause_of(letter).message, "epicor: order SS-1: SKU 'SKU-999' is unknown");
    EXPECT_EQ(with_cause("", error).substr(0, 9), R"({"cause":)");
}

TEST(DeadLetterCause, NamesTheMappingTableAndTheValueTheResolverCouldNotResolve) {
    const Error error =
        make_error(ErrorCode::kUnresolved, "epicor",
                   "no Epicor customer has EMailAddress = 'a@b.example' (the e-mail): add "
                   "mappings.customers: {\"a@b.example\": <CustID>}, then replay");
    store::DeadLetter letter;
    letter.replay_json = with_cause(R"({"ref":"7"})", error);
    EXPECT_NE(letter.replay_json.find(R"("table":"customers","value":"a@b.example")"),
              std::string::npos);
    EXPECT_EQ(cause_of(letter).table, "customers");
    EXPECT_EQ(cause_of(letter).value, "a@b.example");
    // No table named, or no value quoted: nothing to map.
    EXPECT_EQ(unresolved_mapping("SKU 'X-1' is inactive"), (std::pair<std::string, std::string>{}));
    EXPECT_EQ(unresolved_mapping("add mappings.parts, then replay"),
              (std::pair<std::string, std::string>{}));
    // A letter kept without a cause: from its message.
    letter.replay_json = "{}";
    letter.error_code = "unresolved";
    letter.error_message =
        "epicor: order 5: SKU 'WB-9' is not an Epicor PartNum: add mappings.parts";
    EXPECT_EQ(cause_of(letter).table, "parts");
    EXPECT_EQ(cause_of(letter).value, "WB-9");
}

TEST(DeadLetterReplay, RefusesUnknownClosedOrUnconfiguredLetters) {
    Fixture f;
    EXPECT_EQ(f.replayer.replay(999, f.stop).error().code, ErrorCode::kNotFound);
    const auto done = f.park("SS-1003");
    ASSERT_TRUE(f.replayer.replay(done, f.stop).has_value());
    EXPECT_EQ(f.replayer.replay(done, f.stop).error().code, ErrorCode::kConflict);
    const auto orphan = f.park("SS-1004", "removed-flow");
    EXPECT_EQ(f.replayer.replay(orphan, f.stop).error().code, ErrorCode::kConfig);
    EXPECT_EQ(f.letter(orphan).status, store::DeadLetterStatus::kOpen);
    EXPECT_EQ(f.runner.replayed.size(), 1u);
}

TEST(DeadLetterReplay, WaitsForARunningFlowInsteadOfOverlappingIt) {
    Fixture f;
    const auto id = f.park("SS-1005");
    const UtcTime now = f.clock.now();
    ASSERT_TRUE(f.store->acquire_lease("flow:orders", "me", now, now + std::chrono::minutes(5))
                    .value());  // The scheduler of this very process runs "orders".
    auto result = f.replayer.replay(id, f.stop);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kConflict);
    EXPECT_TRUE(f.runner.replayed.empty());
    EXPECT_EQ(f.letter(id).attempts, 1);
}

TEST(DeadLetterReplayAll, ReplaysEveryOpenLetterAndCountsTheOnesThatFailAgain) {
    Fixture f;
    const auto a = f.park("SS-1");
    const auto b = f.park("SS-2");
    const auto c = f.park("SS-3");
    f.park("SS-4", "removed-flow");
    f.runner.failing = {"SS-2"};
    auto summary = f.replayer.replay_all(std::nullopt, f.stop);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->replayed, 2);
    EXPECT_EQ(summary->failed, 1);
    EXPECT_EQ(summary->skipped, 1);
    EXPECT_FALSE(summary->more_pending);
    EXPECT_EQ(f.letter(a).status, store::DeadLetterStatus::kReplayed);
    EXPECT_EQ(f.letter(b).status, store::DeadLetterStatus::kOpen);
    EXPECT_EQ(f.letter(c).status, store::DeadLetterStatus::kReplayed);
}

TEST(DeadLetterReplayAll, ReplaysPageByPageAndLeavesARunningFlowsLettersForLater) {
    Fixture f;
    for (int i = 0; i < static_cast<int>(kReplayPage) * 2 + 7; ++i)
        f.park("SS-" + std::to_string(i));
    auto summary = f.replayer.replay_all(std::string("orders"), f.stop);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->replayed, static_cast<std::int64_t>(kReplayPage) * 2 + 7);
    EXPECT_FALSE(summary->more_pending);
    // A scheduled run of the flow holds its lease: its letters wait, nothing is skipped or failed.
    f.park("SS-late");
    const UtcTime now = f.clock.now();
    ASSERT_TRUE(
        f.store->acquire_lease("flow:orders", "worker-2", now, now + std::chrono::minutes(5))
            .value());
    auto busy = f.replayer.replay_all(std::nullopt, f.stop);
    ASSERT_TRUE(busy.has_value());
    EXPECT_EQ(busy->replayed + busy->failed + busy->skipped, 0);
    EXPECT_TRUE(busy->more_pending);
}

TEST(DeadLetterReplayAll, StopRequestLeavesTheRestForLater) {
    Fixture f;
    f.park("SS-1");
    f.park("SS-2");
    f.stop = true;
    auto summary = f.replayer.replay_all(std::string("orders"), f.stop);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->replayed, 0);
    EXPECT_TRUE(summary->more_pending);
}

}  // namespace
}  // namespace mlc::engine

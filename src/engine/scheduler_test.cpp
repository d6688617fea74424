#include "engine/scheduler.hpp"

#include <algorithm>
#include <functional>
#include <thread>

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "engine/heartbeat_runner.hpp"
#include "engine/last_run.hpp"
#include "engine/testing/fake_state_store.hpp"

namespace mlc::engine {
namespace {

FlowConfig flow_config(std::string name, std::string recipe) {
    FlowConfig flow;
    flow.name = std::move(name);
    flow.recipe = std::move(recipe);
    return flow;
}

using std::chrono::milliseconds;
using std::chrono::seconds;

std::shared_ptr<spdlog::logger> null_logger() {
    return std::make_shared<spdlog::logger>("test",
                                            std::make_shared<spdlog::sinks::null_sink_mt>());
}

// A runner whose run_once is a test-supplied function; counts runs and the deepest nesting.
class ScriptedRunner final : public FlowRunner {
  public:
    using RunFn = std::function<Result<RunSummary>(RunContext&)>;
    explicit ScriptedRunner(RunFn fn = {}) : fn_(std::move(fn)) {}
    Result<RunSummary> run_once(RunContext& ctx) override {
        ++runs;
        ++depth;
        max_depth = std::max(max_depth, depth);
        starts.push_back(ctx.clock.steady_now());
        auto result = fn_ ? fn_(ctx) : Result<RunSummary>(RunSummary{.pages = 1});
        --depth;
        return result;
    }
    Result<void> replay(const store::DeadLetter&, RunContext&) override { return ok(); }

    int runs = 0;
    int depth = 0;
    int max_depth = 0;
    std::vector<SteadyTime> starts;

  private:
    RunFn fn_;
};

struct Fixture {
    ManualClock clock;
    std::unique_ptr<store::StateStore> store = testing::make_test_store();
    std::shared_ptr<spdlog::logger> log = null_logger();

    std::unique_ptr<Scheduler> make(SchedulerOptions options = {}) {
        return std::make_unique<Scheduler>(clock, *store, *log, std::move(options));
    }
    std::vector<store::AuditEvent> audit(const std::string& flow) {
        store::AuditQuery query;
        query.flow = flow;
        auto events = store->query_audit(query);
        EXPECT_TRUE(events.has_value());
        auto out = events.value_or(std::vector<store::AuditEvent>{});
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        return out;
    }
};

ScriptedRunner* add(Scheduler& scheduler, FlowSchedule schedule, ScriptedRunner::RunFn fn = {}) {
    auto runner = std::make_unique<ScriptedRunner>(std::move(fn));
    ScriptedRunner* raw = runner.get();
    scheduler.add_flow(std::move(schedule), std::move(runner));
    return raw;
}

TEST(SchedulerInterval, FirstRunAtOnceThenAfterTheIntervalOnly) {
    Fixture f;
    auto scheduler = f.make();
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(60)});
    EXPECT_EQ(scheduler->run_due(), 1u);
    f.clock.advance(seconds(59));
    EXPECT_EQ(scheduler->run_due(), 0u);
    f.clock.advance(seconds(1));
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(runner->runs, 2);
}

TEST(SchedulerInterval, IntervalCountsFromTheEndOfALongRun) {
    Fixture f;
    auto scheduler = f.make();
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(60)}, [&](RunContext& ctx) {
        ctx.clock.sleep_for(seconds(100));  // A run longer than the interval.
        return Result<RunSummary>(RunSummary{.pages = 1});
    });
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(scheduler->run_due(), 0u);  // No catch-up run right after the long one.
    f.clock.advance(seconds(60));
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(runner->runs, 2);
}

TEST(SchedulerOverlap, RunnerTriggeringItselfDoesNotStartASecondRun) {
    Fixture f;
    auto scheduler = f.make();
    Scheduler* raw = scheduler.get();
    std::size_t nested_started = 99;
    bool first = true;
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(60)}, [&](RunContext&) {
        if (first) {
            first = false;
            EXPECT_TRUE(raw->trigger("a"));
            nested_started = raw->run_due();  // Re-entrant tick while "a" runs.
        }
        return Result<RunSummary>(RunSummary{.pages = 1});
    });
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(nested_started, 0u);
    EXPECT_EQ(runner->max_depth, 1);
    // The trigger made during the run is kept: exactly one more run, then the interval again.
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(scheduler->run_due(), 0u);
    EXPECT_EQ(runner->runs, 2);
}

TEST(SchedulerOverlap, RunFlowRefusesWhileTheFlowRuns) {
    Fixture f;
    auto scheduler = f.make();
    Scheduler* raw = scheduler.get();
    std::optional<ErrorCode> nested_error;
    add(*scheduler, {.name = "a"}, [&](RunContext&) {
        auto nested = raw->run_flow("a");
        if (!nested) nested_error = nested.error().code;
        return Result<RunSummary>(RunSummary{});
    });
    EXPECT_TRUE(scheduler->run_flow("a").has_value());
    EXPECT_EQ(nested_error, ErrorCode::kConflict);
}

TEST(SchedulerOverlap, ALeaseOfAWorkerKnownDeadIsTakenOverAtOnce) {
    Fixture f;
    const UtcTime now = f.clock.now();
    ASSERT_TRUE(f.store->acquire_lease("flow:a", "host:41", now, now + seconds(300)).value());
    ASSERT_TRUE(f.store->acquire_lease("flow:b", "host:42", now, now + seconds(300)).value());
    std::vector<std::string> asked;
    auto scheduler = f.make({.owner = "me", .lease_holder_gone = [&](const std::string& owner) {
                                 asked.push_back(owner);
                                 return owner == "host:41";  // Killed; host:42 still runs.
                             }});
    auto* a = add(*scheduler, {.name = "a", .every = seconds(600)});
    auto* b = add(*scheduler, {.name = "b", .every = seconds(600)});
    EXPECT_TRUE(scheduler->run_flow("a").has_value());
    EXPECT_EQ(a->runs, 1);
    const auto busy = scheduler->run_flow("b");
    ASSERT_FALSE(busy.has_value());
    EXPECT_EQ(busy.error().code, ErrorCode::kConflict);
    EXPECT_EQ(b->runs, 0);
    EXPECT_EQ(asked, (std::vector<std::string>{"host:41", "host:42"}));
    EXPECT_EQ(f.store->lease_holder("flow:b").value()->owner, "host:42");
}

TEST(SchedulerOverlap, FlowLeasedByAnotherWorkerIsNotRunAndRetriedLater) {
    Fixture f;
    const UtcTime now = f.clock.now();
    ASSERT_TRUE(f.store->acquire_lease("flow:a", "other-worker", now, now + seconds(45)).value());
    auto scheduler = f.make({.owner = "me"});
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(600)});
    EXPECT_EQ(scheduler->run_due(), 0u);
    EXPECT_EQ(runner->runs, 0);
    auto sync = scheduler->run_flow("a");
    ASSERT_FALSE(sync.has_value());
    EXPECT_EQ(sync.error().code, ErrorCode::kConflict);
    // Retried after kLeaseBusyRetry (30 s), not after the 10-minute interval.
    EXPECT_EQ(*scheduler->next_wake(), f.clock.steady_now() + kLeaseBusyRetry);
    f.clock.advance(kLeaseBusyRetry);
    EXPECT_EQ(scheduler->run_due(), 0u);  // Still held (45 s).
    f.clock.advance(kLeaseBusyRetry);
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(runner->runs, 1);
}

TEST(SchedulerOverlap, LongRunRenewsItsLeaseSoAnotherWorkerCannotTakeIt) {
    Fixture f;
    auto scheduler = f.make({.owner = "me", .lease_ttl = seconds(300)});
    bool other_got_it = true;
    add(*scheduler, {.name = "a"}, [&](RunContext& ctx) {
        RunSummary summary;
        for (int page = 0; page < 5; ++page) {  // 5 pages of 200 s: past the 300 s ttl.
            ctx.clock.sleep_for(seconds(200));
            ++summary.pages;
            if (!ctx.checkpoint()) break;
        }
        const UtcTime now = ctx.clock.now();
        other_got_it = ctx.store.acquire_lease("flow:a", "other", now, now + seconds(60)).value();
        return Result<RunSummary>(summary);
    });
    auto result = scheduler->run_flow("a");
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->pages, 5);
    EXPECT_FALSE(other_got_it);
    // Released at the end: the other worker may now take it.
    const UtcTime now = f.clock.now();
    EXPECT_TRUE(f.store->acquire_lease("flow:a", "other", now, now + seconds(60)).value());
}

std::vector<milliseconds> gaps_for_seed(std::uint64_t seed, int runs) {
    Fixture f;
    auto scheduler = f.make({.seed = seed});
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(100), .jitter = seconds(10)});
    for (int i = 0; i < runs; ++i) {
        f.clock.sleep_until(*scheduler->next_wake());
        EXPECT_EQ(scheduler->run_due(), 1u);
    }
    std::vector<milliseconds> gaps;
    for (std::size_t i = 1; i < runner->starts.size(); ++i) {
        gaps.push_back(
            std::chrono::duration_cast<milliseconds>(runner->starts[i] - runner->starts[i - 1]));
    }
    return gaps;
}

TEST(SchedulerJitter, DelaysStayWithinPlusMinusJitterAndSpreadOverTheRange) {
    const auto gaps = gaps_for_seed(42, 500);
    ASSERT_EQ(gaps.size(), 499u);
    const auto [min_gap, max_gap] = std::minmax_element(gaps.begin(), gaps.end());
    EXPECT_GE(*min_gap, seconds(90));
    EXPECT_LE(*max_gap, seconds(110));
    // Uniform over +-10 s: 499 draws reach both ends of the range.
    EXPECT_LT(*min_gap, seconds(92));
    EXPECT_GT(*max_gap, seconds(108));
}

TEST(SchedulerJitter, SameSeedGivesTheSameScheduleAndOtherSeedsDiffer) {
    EXPECT_EQ(gaps_for_seed(7, 20), gaps_for_seed(7, 20));
    EXPECT_NE(gaps_for_seed(7, 20), gaps_for_seed(8, 20));
}

TEST(SchedulerTrigger, TriggerRunsTheFlowBeforeItsIntervalAndRepeatedTriggersCoalesce) {
    Fixture f;
    auto scheduler = f.make();
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(3600)});
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_TRUE(scheduler->trigger("a"));
    EXPECT_TRUE(scheduler->trigger("a"));
    EXPECT_TRUE(scheduler->trigger("a"));
    EXPECT_EQ(*scheduler->next_wake(), f.clock.steady_now());
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(scheduler->run_due(), 0u);
    EXPECT_EQ(runner->runs, 2);
}

TEST(SchedulerTrigger, UnknownFlowIsRefused) {
    Fixture f;
    auto scheduler = f.make();
    add(*scheduler, {.name = "a"});
    EXPECT_FALSE(scheduler->trigger("b"));
    auto result = scheduler->run_flow("b");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
}

TEST(SchedulerReload, ARunnerReplacedDuringARunTakesOverWhenItEndsAndTheOldOneStaysValid) {
    Fixture f;
    auto scheduler = f.make();
    Scheduler* raw = scheduler.get();
    auto fresh = std::make_unique<ScriptedRunner>();
    ScriptedRunner* fresh_raw = fresh.get();
    FlowRunner* during = nullptr;
    auto* old = add(*scheduler, {.name = "a", .every = seconds(60)}, [&](RunContext&) {
        if (fresh) {
            EXPECT_TRUE(raw->replace_runner("a", std::move(fresh)));
            during = raw->runner("a");  // Still this run's runner: no change halfway.
        }
        return Result<RunSummary>(RunSummary{.pages = 1});
    });
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(during, old);
    EXPECT_EQ(scheduler->runner("a"), fresh_raw);
    EXPECT_TRUE(scheduler->trigger("a"));
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(old->runs, 1);
    EXPECT_EQ(fresh_raw->runs, 1);
    // An idle flow takes its new runner at once; the replaced one is still alive (a replay may
    // hold it) until the scheduler ends.
    auto third = std::make_unique<ScriptedRunner>();
    ScriptedRunner* third_raw = third.get();
    ASSERT_TRUE(scheduler->replace_runner("a", std::move(third)));
    EXPECT_EQ(scheduler->runner("a"), third_raw);
    EXPECT_EQ(old->runs, 1);  // Not freed: reading it is fine under ASan.
    EXPECT_FALSE(scheduler->replace_runner("nope", std::make_unique<ScriptedRunner>()));
}

TEST(SchedulerPause, APausedFlowIsNeitherScheduledNorTriggeredUntilResumed) {
    Fixture f;
    auto scheduler = f.make();
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(60)});
    EXPECT_EQ(scheduler->run_due(), 1u);
    ASSERT_TRUE(scheduler->pause("a"));
    EXPECT_TRUE(scheduler->status().at(0).paused);
    f.clock.advance(seconds(600));
    EXPECT_TRUE(scheduler->trigger("a"));  // A webhook delivery: kept, not run.
    EXPECT_EQ(scheduler->run_due(), 0u);
    EXPECT_FALSE(scheduler->next_wake().has_value());
    EXPECT_EQ(runner->runs, 1);

    ASSERT_TRUE(scheduler->resume("a"));
    EXPECT_FALSE(scheduler->status().at(0).paused);
    EXPECT_EQ(scheduler->run_due(), 1u);
    EXPECT_EQ(runner->runs, 2);
    EXPECT_EQ(scheduler->pause("b").error().code, ErrorCode::kNotFound);
}

TEST(SchedulerPause, APauseOutlivesARestart) {
    Fixture f;
    {
        auto scheduler = f.make();
        add(*scheduler, {.name = "a"});
        ASSERT_TRUE(scheduler->pause("a"));
    }
    auto restarted = f.make();
    auto* runner = add(*restarted, {.name = "a"});
    EXPECT_TRUE(restarted->status().at(0).paused);
    EXPECT_EQ(restarted->run_due(), 0u);
    ASSERT_TRUE(restarted->resume("a"));
    auto again = f.make();
    add(*again, {.name = "a"});
    EXPECT_FALSE(again->status().at(0).paused);
    EXPECT_EQ(restarted->run_due(), 1u);
    EXPECT_EQ(runner->runs, 1);
}

TEST(SchedulerStop, StopDuringAPageLetsThatPageCommitThenRunReturns) {
    Fixture f;
    auto scheduler = f.make();
    Scheduler* raw = scheduler.get();
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(60)}, [&](RunContext& ctx) {
        RunSummary summary;
        for (int page = 1; page <= 5; ++page) {
            if (page == 2) raw->request_stop();  // SIGTERM arrives while page 2 is processed.
            store::PageCommit commit;
            store::AuditEvent event;
            event.flow = ctx.flow;
            event.source_ref = "page:" + std::to_string(page);
            event.outcome = "ok";
            event.at = ctx.clock.now();
            commit.audit.push_back(event);
            if (auto committed = ctx.store.commit_page(commit); !committed) {
                return Result<RunSummary>(committed.error());
            }
            ++summary.pages;
            if (!ctx.checkpoint()) {
                summary.more_pending = true;
                break;
            }
        }
        return Result<RunSummary>(summary);
    });
    scheduler->run();  // Returns by itself once the run ends.
    EXPECT_EQ(runner->runs, 1);
    const auto events = f.audit("a");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].source_ref, "page:1");
    EXPECT_EQ(events[1].source_ref, "page:2");
    EXPECT_EQ(scheduler->run_due(), 0u);  // Nothing starts after a stop.
}

TEST(SchedulerStop, RequestStopFromAnotherThreadEndsAnIdleRunLoop) {
    Fixture f;
    auto scheduler = f.make();
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(60)});
    std::thread loop([&] { scheduler->run(); });
    // Bounded wait for the loop to have run the flow at least once.
    for (int i = 0; i < 100'000 && scheduler->status()[0].runs == 0; ++i) {
        std::this_thread::yield();
    }
    scheduler->request_stop();
    loop.join();
    EXPECT_TRUE(scheduler->stop_requested());
    EXPECT_GE(runner->runs, 1);
}

TEST(SchedulerFailure, FailedRunIsAuditedAndRecordedAsTheLastRun) {
    Fixture f;
    auto scheduler = f.make();
    add(*scheduler, {.name = "a"}, [](RunContext&) {
        return Result<RunSummary>(
            make_error(ErrorCode::kTransient, "shipstation", "connection refused"));
    });
    EXPECT_EQ(scheduler->run_due(), 1u);
    const auto events = f.audit("a");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].action, store::AuditAction::kFail);
    EXPECT_EQ(events[0].outcome, "transient");
    EXPECT_NE(events[0].detail.find("connection refused"), std::string::npos);
    auto setting = f.store->get_setting(last_run_setting_key("a"));
    ASSERT_TRUE(setting.has_value() && setting->has_value());
    auto last = parse_last_run(**setting);
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->outcome, "transient");
    EXPECT_NE(last->error.find("connection refused"), std::string::npos);
}

TEST(SchedulerFailure, ConsecutiveFailuresBackOffExponentiallyUpToTheCapThenReset) {
    Fixture f;
    auto scheduler = f.make({.backoff_max = seconds(600)});
    bool fail = true;
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(60)}, [&](RunContext&) {
        if (fail) return Result<RunSummary>(make_error(ErrorCode::kTransient, "boom"));
        return Result<RunSummary>(RunSummary{.pages = 1});
    });
    for (int i = 0; i < 8; ++i) {
        f.clock.sleep_until(*scheduler->next_wake());
        ASSERT_EQ(scheduler->run_due(), 1u);
    }
    fail = false;
    for (int i = 0; i < 2; ++i) {
        f.clock.sleep_until(*scheduler->next_wake());
        ASSERT_EQ(scheduler->run_due(), 1u);
    }
    f.clock.sleep_until(*scheduler->next_wake());
    ASSERT_EQ(scheduler->run_due(), 1u);
    std::vector<seconds> gaps;
    for (std::size_t i = 1; i < runner->starts.size(); ++i) {
        gaps.push_back(
            std::chrono::duration_cast<seconds>(runner->starts[i] - runner->starts[i - 1]));
    }
    // After failures 1..8: 60 120 240 480 600 600 600 600 (capped); after each success: 60.
    const std::vector<seconds> expected = {seconds(60),  seconds(120), seconds(240), seconds(480),
                                           seconds(600), seconds(600), seconds(600), seconds(600),
                                           seconds(60),  seconds(60)};
    EXPECT_EQ(gaps, expected);
    EXPECT_EQ(f.audit("a").size(), 8u);
}

TEST(FailureBackoff, DoublesPerConsecutiveFailureAndNeverPassesTheCap) {
    EXPECT_EQ(failure_backoff(seconds(60), 1, seconds(600)), seconds(60));
    EXPECT_EQ(failure_backoff(seconds(60), 2, seconds(600)), seconds(120));
    EXPECT_EQ(failure_backoff(seconds(60), 1000, seconds(600)), seconds(600));
    // A cap below the interval never shortens the interval.
    EXPECT_EQ(failure_backoff(seconds(3600), 5, seconds(600)), seconds(3600));
}

TEST(SchedulerMorePending, RunThatStoppedAtItsPageBudgetIsDueAgainSoon) {
    Fixture f;
    auto scheduler = f.make();
    int calls = 0;
    auto* runner = add(*scheduler, {.name = "a", .every = seconds(3600)}, [&](RunContext&) {
        ++calls;
        return Result<RunSummary>(RunSummary{.pages = 10, .more_pending = calls == 1});
    });
    EXPECT_EQ(scheduler->run_due(), 1u);
    f.clock.advance(kMorePendingDelay);
    EXPECT_EQ(scheduler->run_due(), 1u);
    f.clock.advance(kMorePendingDelay);
    EXPECT_EQ(scheduler->run_due(), 0u);
    EXPECT_EQ(runner->runs, 2);
}

TEST(SchedulerLastRun, SuccessfulRunRecordsItsCountsForStatus) {
    Fixture f;
    auto scheduler = f.make();
    add(*scheduler, {.name = "a"}, [](RunContext&) {
        return Result<RunSummary>(RunSummary{.created = 3, .parked = 1, .pages = 2});
    });
    EXPECT_EQ(scheduler->run_due(), 1u);
    auto setting = f.store->get_setting(last_run_setting_key("a"));
    ASSERT_TRUE(setting.has_value() && setting->has_value());
    auto last = parse_last_run(**setting);
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->outcome, "partial");
    EXPECT_EQ(last->summary.created, 3);
    EXPECT_EQ(last->summary.parked, 1);
    EXPECT_EQ(last->summary.pages, 2);
    EXPECT_EQ(last->started, f.clock.now());
}

TEST(SchedulerObserver, EveryRunIsReportedWithItsResultButLeaseRefusalsAreNot) {
    Fixture f;
    std::vector<std::string> reports;
    SchedulerOptions options;
    options.owner = "me";
    options.on_run_finished = [&](const std::string& flow, const Result<RunSummary>& result) {
        reports.push_back(flow + ":" + (result ? std::to_string(result->created) : "error"));
    };
    auto scheduler = f.make(options);
    add(*scheduler, {.name = "a"},
        [](RunContext&) { return Result<RunSummary>(RunSummary{.created = 2}); });
    EXPECT_EQ(scheduler->run_due(), 1u);
    const UtcTime now = f.clock.now();
    ASSERT_TRUE(f.store->acquire_lease("flow:a", "other", now, now + seconds(600)).value());
    EXPECT_FALSE(scheduler->run_flow("a").has_value());
    EXPECT_EQ(reports, std::vector<std::string>{"a:2"});
}

TEST(HeartbeatRecipe, EachRunAppendsOneSkipAuditEventAndDryRunWritesNothing) {
    Fixture f;
    RecipeRegistry registry;
    add_heartbeat_recipe(registry);
    auto runner = registry.create(flow_config("hb", "heartbeat"),
                                  Dependencies{.clock = f.clock, .store = *f.store});
    ASSERT_TRUE(runner.has_value());
    auto scheduler = f.make();
    scheduler->add_flow({.name = "hb"}, std::move(*runner));
    ASSERT_TRUE(scheduler->run_flow("hb", {.dry_run = true}).has_value());
    EXPECT_TRUE(f.audit("hb").empty());
    auto summary = scheduler->run_flow("hb");
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->skipped, 1);
    const auto events = f.audit("hb");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].action, store::AuditAction::kSkip);
    EXPECT_EQ(events[0].detail, "heartbeat");
}

}  // namespace
}  // namespace mlc::engine

#pragma once
// DeadLetterReplayer: `mlc deadletters replay ID|--all` and the console's replay button. It loads
// a dead letter, hands it to its flow's FlowRunner::replay() under the flow's lease (so a replay
// never overlaps a run of the same flow, in this process or another), then:
//  * success: the letter becomes kReplayed, audit event kReplay outcome "ok";
//  * failure: the letter stays open with attempts + 1 and the new error (StateStore's upsert of
//    an open letter), audit event kReplay outcome = the error code.
//
// Lifecycle: construct with the runners' lookup; use. Thread safety: replay() may be called from
// several threads; the flow lease serialises replays of one flow. Ownership: borrows clock,
// store, logger and the runners (owned by the Scheduler), which must outlive it.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/flow_lease.hpp"
#include "engine/flow_runner.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::engine {

// `replay --all` handles at most this many letters per call; run it again for more.
inline constexpr std::size_t kReplayAllMax = 1000;
// Letters `replay --all` replays under one hold of a flow's lease: between two pages the flow's
// scheduled runs take the lease, so new records keep flowing during a long replay.
inline constexpr std::size_t kReplayPage = 50;

// The runner of a flow, or nullptr when the flow is not configured (or disabled).
using RunnerLookup = std::function<FlowRunner*(const std::string& flow)>;

struct ReplayerOptions {
    // Lease owner. Must differ from the scheduler's owner: "<owner>/replay" is used, so a replay
    // and a scheduled run of one flow in one process still exclude each other.
    std::string owner = "mlc";
    std::chrono::seconds lease_ttl = kFlowLeaseTtl;
    HolderGone lease_holder_gone = {};  // As SchedulerOptions::lease_holder_gone.
};

struct ReplayAllSummary {
    std::int64_t replayed = 0;
    std::int64_t failed = 0;   // The runner failed again; the letter records the new error.
    std::int64_t skipped = 0;  // Flow not configured: left untouched.
    // kReplayAllMax reached, stopped on request, or a flow was running when its next page was
    // due (its letters wait for the next `replay --all`).
    bool more_pending = false;
};

class DeadLetterReplayer {
  public:
    DeadLetterReplayer(Clock& clock, store::StateStore& store, spdlog::logger& log,
                       RunnerLookup runners, ReplayerOptions options = {});

    // kNotFound (no such letter), kConflict (not open, or the flow is running now), kConfig (the
    // flow is not configured), or the runner's error (the letter then records it).
    Result<void> replay(std::int64_t id, const std::atomic<bool>& stop_requested);
    // Every open letter (of `flow` when given), oldest first, up to kReplayAllMax, one flow at a
    // time and kReplayPage letters per hold of the flow's lease. A letter that fails again is
    // counted and the next one is tried; a store error ends the call.
    Result<ReplayAllSummary> replay_all(std::optional<std::string> flow,
                                        const std::atomic<bool>& stop_requested);

  private:
    Result<void> replay_letter(const store::DeadLetter& letter,
                               const std::atomic<bool>& stop_requested);
    // Replays `letters` (one flow's) under one hold of its lease; false when the flow runs now.
    Result<bool> replay_page(const std::vector<store::DeadLetter>& letters,
                             const std::atomic<bool>& stop_requested, ReplayAllSummary& summary);
    // Runs `body` with a RunContext under the flow's lease; false when another holder has it.
    Result<bool> under_lease(const std::string& flow, int attempt,
                             const std::atomic<bool>& stop_requested,
                             const std::function<Result<void>(RunContext&)>& body);
    Result<void> record(const store::DeadLetter& letter, const Result<void>& outcome, int attempt);

    Clock& clock_;
    store::StateStore& store_;
    spdlog::logger& log_;
    RunnerLookup runners_;
    ReplayerOptions options_;
};

}  // namespace mlc::engine

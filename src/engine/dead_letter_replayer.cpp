#include "engine/dead_letter_replayer.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace mlc::engine {

namespace {
constexpr std::size_t kReplayErrorMax = 500;  // Error text kept on the letter and in the audit.

std::string shorten(std::string text) {
    if (text.size() > kReplayErrorMax) text.resize(kReplayErrorMax);
    return text;
}
}  // namespace

DeadLetterReplayer::DeadLetterReplayer(Clock& clock, store::StateStore& store, spdlog::logger& log,
                                       RunnerLookup runners, ReplayerOptions options)
    : clock_(clock),
      store_(store),
      log_(log),
      runners_(std::move(runners)),
      options_(std::move(options)) {}

Result<void> DeadLetterReplayer::replay(std::int64_t id, const std::atomic<bool>& stop_requested) {
    MLC_TRY(auto letter, store_.get_dead_letter(id));
    if (!letter) {
        return make_error(ErrorCode::kNotFound, fmt::format("dead letter {} does not exist; "
                                                            "`mlc deadletters list` shows them",
                                                            id));
    }
    if (letter->status != store::DeadLetterStatus::kOpen) {
        return make_error(ErrorCode::kConflict,
                          fmt::format("dead letter {} is {}, not open: nothing to replay", id,
                                      store::to_string(letter->status)));
    }
    return replay_letter(*letter, stop_requested);
}

Result<void> DeadLetterReplayer::replay_letter(const store::DeadLetter& letter,
                                               const std::atomic<bool>& stop_requested) {
    FlowRunner* runner = runners_(letter.flow);
    if (runner == nullptr) {
        return make_error(ErrorCode::kConfig,
                          fmt::format("dead letter {}: flow '{}' is not in the config (or is "
                                      "disabled); enable it to replay its records",
                                      letter.id, letter.flow));
    }
    FlowLease lease(store_, clock_, letter.flow, options_.owner + "/replay", options_.lease_ttl,
                    options_.lease_holder_gone);
    MLC_TRY(const bool taken, lease.acquire());
    if (!taken) {
        return make_error(ErrorCode::kConflict,
                          fmt::format("dead letter {}: flow '{}' is running now; replay again "
                                      "when the run ends",
                                      letter.id, letter.flow));
    }
    RunContext ctx{
        .clock = clock_,
        .store = store_,
        .log = log_,
        .stop_requested = stop_requested,
        .flow = letter.flow,
        .dry_run = false,
        .attempt = letter.attempts + 1,
        .renew = {},
    };
    ctx.renew = [&lease] {
        auto renewed = lease.renew();
        return renewed && *renewed;
    };
    const Result<void> outcome = runner->replay(letter, ctx);
    MLC_CHECK(record(letter, outcome, ctx.attempt));
    if (auto released = lease.release(); !released) {
        log_.warn("{} (it expires by itself)", released.error().describe());
    }
    if (!outcome) {
        log_.warn("flow {}: replay of dead letter {} ({}) failed: {}", letter.flow, letter.id,
                  letter.source_key, outcome.error().describe());
        return with_context(outcome.error(),
                            fmt::format("while replaying dead letter {}", letter.id));
    }
    log_.info("flow {}: dead letter {} ({}) replayed", letter.flow, letter.id, letter.source_key);
    return ok();
}

Result<void> DeadLetterReplayer::record(const store::DeadLetter& letter,
                                        const Result<void>& outcome, int attempt) {
    store::AuditEvent event{
        .flow = letter.flow,
        .direction = "replay",
        .source_ref = letter.source_system + ":" + letter.source_key,
        .target_ref = {},
        .action = store::AuditAction::kReplay,
        .outcome = outcome ? std::string("ok") : std::string(to_string(outcome.error().code)),
        .attempt = attempt,
        .at = clock_.now(),
        .detail = outcome ? fmt::format("dead letter {} replayed", letter.id)
                          : shorten(fmt::format("dead letter {} failed again: {}", letter.id,
                                                outcome.error().describe())),
    };
    if (outcome) {
        MLC_CHECK_CTX(store_.set_dead_letter_status(letter.id, store::DeadLetterStatus::kReplayed),
                      fmt::format("while marking dead letter {} replayed", letter.id));
    } else {
        // Upsert of the open letter: attempts + 1, last_seen and the new error.
        store::DeadLetter again = letter;
        again.error_code = std::string(to_string(outcome.error().code));
        again.error_message = shorten(outcome.error().describe());
        again.last_seen = clock_.now();
        MLC_TRY_CTX(const auto id, store_.put_dead_letter(again),
                    fmt::format("while recording the failed replay of dead letter {}", letter.id));
        (void)id;
    }
    MLC_TRY_CTX(const auto audit_id, store_.append_audit(event),
                fmt::format("while auditing the replay of dead letter {}", letter.id));
    (void)audit_id;
    return ok();
}

Result<ReplayAllSummary> DeadLetterReplayer::replay_all(std::optional<std::string> flow,
                                                        const std::atomic<bool>& stop_requested) {
    MLC_TRY(auto letters, store_.list_dead_letters(std::move(flow), store::DeadLetterStatus::kOpen,
                                                   kReplayAllMax));
    std::sort(letters.begin(), letters.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    ReplayAllSummary summary;
    summary.more_pending = letters.size() >= kReplayAllMax;
    for (const auto& letter : letters) {
        if (stop_requested.load()) {
            summary.more_pending = true;
            break;
        }
        auto result = replay_letter(letter, stop_requested);
        if (result) {
            ++summary.replayed;
            continue;
        }
        const ErrorCode code = result.error().code;
        if (code == ErrorCode::kStorage) return std::move(result).error();
        if (code == ErrorCode::kConfig || code == ErrorCode::kConflict) {
            log_.warn("{}", result.error().describe());
            ++summary.skipped;
        } else {
            ++summary.failed;
        }
    }
    return summary;
}

}  // namespace mlc::engine

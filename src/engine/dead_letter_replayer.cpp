#include "engine/dead_letter_replayer.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/time.hpp"
#include "engine/dead_letter_cause.hpp"

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

Result<bool> DeadLetterReplayer::under_lease(const std::string& flow, int attempt,
                                             const std::atomic<bool>& stop_requested,
                                             const std::function<Result<void>(RunContext&)>& body) {
    FlowLease lease(store_, clock_, flow, options_.owner + "/replay", options_.lease_ttl,
                    options_.lease_holder_gone);
    MLC_TRY(const bool taken, lease.acquire());
    if (!taken) return false;
    RunContext ctx{
        .clock = clock_,
        .store = store_,
        .log = log_,
        .stop_requested = stop_requested,
        .flow = flow,
        .run_id = flow + "@" + format_iso8601(clock_.now()) + "/replay",
        .dry_run = false,
        .attempt = attempt,
        .renew = {},
    };
    ctx.renew = [&lease] {
        auto renewed = lease.renew();
        return renewed && *renewed;
    };
    const Result<void> done = body(ctx);
    if (auto released = lease.release(); !released) {
        log_.warn("{} (it expires by itself)", released.error().describe());
    }
    MLC_CHECK(done);
    return true;
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
    Result<void> outcome = ok();
    MLC_TRY(const bool taken, under_lease(letter.flow, letter.attempts + 1, stop_requested,
                                          [&](RunContext& ctx) -> Result<void> {
                                              outcome = runner->replay(letter, ctx);
                                              return record(letter, outcome, ctx.attempt);
                                          }));
    if (!taken) {
        return make_error(ErrorCode::kConflict,
                          fmt::format("dead letter {}: flow '{}' is running now; replay again "
                                      "when the run ends",
                                      letter.id, letter.flow));
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

Result<bool> DeadLetterReplayer::replay_page(const std::vector<store::DeadLetter>& letters,
                                             const std::atomic<bool>& stop_requested,
                                             ReplayAllSummary& summary) {
    const std::string& flow = letters.at(0).flow;
    FlowRunner* runner = runners_(flow);
    if (runner == nullptr) {
        log_.warn(
            "dead letters of flow '{}' skipped: the flow is not in the config (or is "
            "disabled); enable it to replay its records",
            flow);
        summary.skipped += static_cast<std::int64_t>(letters.size());
        return true;
    }
    return under_lease(flow, 1, stop_requested, [&](RunContext& ctx) -> Result<void> {
        for (const store::DeadLetter& letter : letters) {
            if (stop_requested.load()) break;
            ctx.attempt = letter.attempts + 1;
            const Result<void> outcome = runner->replay(letter, ctx);
            MLC_CHECK(record(letter, outcome, ctx.attempt));
            if (!outcome && outcome.error().code == ErrorCode::kStorage) return outcome.error();
            ++(outcome ? summary.replayed : summary.failed);
        }
        return ok();
    });
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
        again.replay_json = with_cause(letter.replay_json, outcome.error());
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
    // One flow after another, oldest letter first within each.
    std::sort(letters.begin(), letters.end(), [](const auto& a, const auto& b) {
        return a.flow != b.flow ? a.flow < b.flow : a.id < b.id;
    });
    ReplayAllSummary summary;
    summary.more_pending = letters.size() >= kReplayAllMax;
    std::size_t at = 0;
    while (at < letters.size()) {
        if (stop_requested.load()) {
            summary.more_pending = true;
            break;
        }
        std::size_t end = at;  // This flow's letters: [at, end).
        while (end < letters.size() && letters[end].flow == letters[at].flow) ++end;
        for (std::size_t page = at; page < end && !stop_requested.load(); page += kReplayPage) {
            const auto first = letters.begin() + static_cast<std::ptrdiff_t>(page);
            const auto last =
                letters.begin() + static_cast<std::ptrdiff_t>(std::min(end, page + kReplayPage));
            MLC_TRY(const bool done, replay_page({first, last}, stop_requested, summary));
            if (!done) {  // The flow runs now: its other letters wait; the others go on.
                log_.info(
                    "flow {}: running now; its remaining dead letters wait for the next "
                    "replay --all",
                    letters[at].flow);
                summary.more_pending = true;
                break;
            }
        }
        at = end;
    }
    return summary;
}

}  // namespace mlc::engine

#include "pipeline/flow.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "pipeline/page.hpp"

namespace mlc::pipeline {

Result<void> Flow::wind_up(engine::RunContext& ctx, bool succeeded) {
    Result<void> first = ok();
    for (const Finally& done : finally_) {
        Result<void> outcome = done(ctx);
        if (outcome) continue;
        ctx.log.warn("flow {}: {}", ctx.flow, outcome.error().describe());
        if (succeeded && first) first = std::move(outcome);
    }
    return first;
}

std::string differences_alert_key(const std::string& flow) { return "locked:" + flow; }

Result<void> sync_differences_alert(store::StateStore& store, const std::string& flow,
                                    UtcTime now) {
    MLC_TRY(auto open,
            store.list_differences(flow, store::DifferenceStatus::kOpen, kOpenLettersScanMax));
    MLC_TRY(auto alerts, store.list_alerts(store::AlertStatus::kOpen));
    const std::string key = differences_alert_key(flow);
    const auto raised = std::find_if(alerts.begin(), alerts.end(),
                                     [&](const store::Alert& alert) { return alert.key == key; });
    if (open.empty()) {
        if (raised != alerts.end()) {
            MLC_TRY(auto resolved, store.resolve_alert(key, now));
            (void)resolved;
        }
        return ok();
    }
    const std::string count = std::to_string(open.size());
    const std::string message =
        count + (open.size() == 1 ? " record differs" : " records differ") + " between flow " +
        flow + "'s source and its target, which keeps them locked (e.g. " +
        open.front().source_key + ": " + open.front().detail +
        "). Nothing is retried or overwritten: see `mlc differences " + "list --flow " + flow +
        "`, settle each by hand, then `mlc differences dismiss KEY --flow " + flow +
        "` (a record edited back to what the target holds clears itself)";
    if (raised != alerts.end() && raised->message.starts_with(count + " ")) return ok();
    const store::Alert alert{.id = 0,
                             .key = key,
                             .flow = flow,
                             .severity = "warning",
                             .message = message,
                             .status = store::AlertStatus::kOpen,
                             .raised_at = now,
                             .acknowledged_at = {}};
    MLC_TRY(auto id, store.raise_alert(alert));
    (void)id;
    return ok();
}

Result<engine::RunSummary> Flow::run_once(engine::RunContext& ctx) {
    Result<engine::RunSummary> outcome = run_steps(ctx);
    if (outcome && !ctx.dry_run) {
        if (auto alerted = sync_differences_alert(ctx.store, ctx.flow, ctx.clock.now()); !alerted) {
            ctx.log.warn("flow {}: {}", ctx.flow, alerted.error().describe());
        }
    }
    Result<void> ended = wind_up(ctx, outcome.has_value());
    if (outcome && !ended) return std::move(ended).error();
    return outcome;
}

Result<void> Flow::replay(const store::DeadLetter& letter, engine::RunContext& ctx) {
    Result<void> outcome = replay_once(letter, ctx);
    Result<void> ended = wind_up(ctx, outcome.has_value());
    if (outcome && !ended) return ended;
    return outcome;
}

Result<engine::RunSummary> Flow::run_steps(engine::RunContext& ctx) {
    engine::RunSummary summary;
    MLC_TRY_CTX(OpenLetters letters, OpenLetters::load(ctx.store, ctx.flow),
                "while reading the open dead letters of flow " + ctx.flow);
    bool first = true;
    for (const Step& step : steps_) {
        if (!first && summary.more_pending) return summary;
        if (!first && !ctx.checkpoint()) {
            summary.more_pending = true;  // Stopped between steps: the rest runs next time.
            return summary;
        }
        first = false;
        MLC_CHECK(step(ctx, summary, letters));
    }
    return summary;
}

Result<void> Flow::replay_once(const store::DeadLetter& letter, engine::RunContext& ctx) {
    const auto key = parse_replay_key(letter.replay_json);
    if (!key) {
        return make_error(ErrorCode::kInvalidInput, letter.source_system,
                          "dead letter " + std::to_string(letter.id) +
                              " names no record to fetch again: the record itself could not be "
                              "read; fix it in " +
                              letter.source_system + ", the next run reads it");
    }
    for (const auto& [stream, route] : routes_) {
        if (stream == key->stream) return route(key->ref, ctx);
    }
    return make_error(ErrorCode::kInvalidInput, letter.source_system,
                      "dead letter " + std::to_string(letter.id) + " names stream '" + key->stream +
                          "', which flow " + ctx.flow + " does not have");
}

}  // namespace mlc::pipeline

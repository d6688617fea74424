#include "pipeline/flow.hpp"

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

Result<engine::RunSummary> Flow::run_once(engine::RunContext& ctx) {
    Result<engine::RunSummary> outcome = run_steps(ctx);
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

#include "pipeline/flow.hpp"

#include "pipeline/page.hpp"

namespace mlc::pipeline {

Result<engine::RunSummary> Flow::run_once(engine::RunContext& ctx) {
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

Result<void> Flow::replay(const store::DeadLetter& letter, engine::RunContext& ctx) {
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

#include "engine/heartbeat_runner.hpp"

#include <spdlog/spdlog.h>

namespace mlc::engine {

Result<RunSummary> HeartbeatRunner::run_once(RunContext& ctx) {
    RunSummary summary;
    summary.pages = 1;
    summary.skipped = 1;
    if (ctx.dry_run) {
        ctx.log.info("flow {}: heartbeat (dry run: nothing written)", ctx.flow);
        return summary;
    }
    store::PageCommit page;
    page.audit.push_back(store::AuditEvent{
        .flow = ctx.flow,
        .direction = "heartbeat",
        .source_ref = "heartbeat:" + ctx.flow,
        .target_ref = {},
        .action = store::AuditAction::kSkip,
        .outcome = "ok",
        .attempt = ctx.attempt,
        .at = ctx.clock.now(),
        .detail = "heartbeat",
    });
    MLC_CHECK_CTX(ctx.store.commit_page(page), "while writing the heartbeat of flow " + ctx.flow);
    return summary;
}

Result<void> HeartbeatRunner::replay(const store::DeadLetter& letter, RunContext& ctx) {
    ctx.log.info("flow {}: heartbeat has nothing to replay for {}", ctx.flow, letter.source_key);
    return ok();
}

void add_heartbeat_recipe(RecipeRegistry& registry) {
    registry.add(
        kHeartbeatRecipe,
        [](const FlowConfig&, const Dependencies&) -> Result<std::unique_ptr<FlowRunner>> {
            return std::unique_ptr<FlowRunner>(std::make_unique<HeartbeatRunner>());
        },
        RecipeInfo{.summary = "one audit event per run (checks the engine and the store); "
                              "moves no records"});
}

}  // namespace mlc::engine

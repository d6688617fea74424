#include "pipeline/webhooks.hpp"

#include <spdlog/spdlog.h>

namespace mlc::pipeline {

std::string webhook_alert_key(const std::string& flow, const std::string& system) {
    return "webhooks:" + flow + ":" + system;
}

void WebhookUpkeep::run(engine::RunContext& ctx, const std::function<Result<void>()>& ensure,
                        const std::string& fix) {
    if (ctx.dry_run) return;
    const UtcTime now = ctx.clock.now();
    if (checked_at_ && now - *checked_at_ < recheck_) return;
    const std::string key = webhook_alert_key(ctx.flow, system_);
    if (auto done = ensure(); !done) {
        const std::string why = done.error().describe();
        ctx.log.warn("flow {}: {} webhooks not ensured: {}", ctx.flow, system_, why);
        (void)ctx.store.raise_alert(store::Alert{
            .id = 0,
            .key = key,
            .flow = ctx.flow,
            .severity = "warning",
            .message = "flow " + ctx.flow + ": " + system_ + " webhooks could not be ensured (" +
                       why + "); records still arrive by polling. " + fix,
            .status = store::AlertStatus::kOpen,
            .raised_at = now,
            .acknowledged_at = std::nullopt});
        return;
    }
    checked_at_ = now;
    if (auto open = ctx.store.list_alerts(store::AlertStatus::kOpen)) {
        for (const store::Alert& alert : *open) {
            if (alert.key == key) (void)ctx.store.acknowledge_alert(alert.id, now);
        }
    }
}

}  // namespace mlc::pipeline

#include "pipeline/webhooks.hpp"

#include <spdlog/spdlog.h>

#include "auth/sodium_vault.hpp"
#include "engine/webhooks.hpp"

namespace mlc::pipeline {
namespace {

namespace con = connectors;

// The flow's secret for this vendor, generated and stored first when there is none.
Result<std::string> webhook_secret(auth::Vault& vault, const std::string& flow,
                                   const std::string& system, bool& created) {
    const std::string name = engine::webhook_secret_name(flow, system);
    auto existing = vault.get(name);
    if (existing && !existing->empty()) return *existing;
    if (!existing && existing.error().code != ErrorCode::kNotFound) {
        return with_context(existing.error(), "while reading the webhook secret of flow " + flow);
    }
    std::string value = auth::random_hex(kWebhookSecretBytes);
    // Stored before any subscription names it: the intake must verify the first delivery.
    MLC_CHECK_CTX(vault.put(name, value), "while storing the webhook secret of flow " + flow);
    created = true;
    return value;
}

void audit(engine::RunContext& ctx, const std::string& system, const con::Subscription& hook,
           store::AuditAction action, std::string detail) {
    // Best effort: the subscription exists whether or not its audit line could be written.
    (void)ctx.store.append_audit(store::AuditEvent{.flow = ctx.flow,
                                                   .direction = "mlc->" + system,
                                                   .source_ref = {},
                                                   .target_ref = system + ":webhook:" + hook.id,
                                                   .action = action,
                                                   .outcome = "ok",
                                                   .attempt = 1,
                                                   .at = ctx.clock.now(),
                                                   .detail = std::move(detail)});
}

void raise(engine::RunContext& ctx, const std::string& system, std::string message) {
    (void)ctx.store.raise_alert(store::Alert{.id = 0,
                                             .key = webhook_alert_key(ctx.flow, system),
                                             .flow = ctx.flow,
                                             .severity = "warning",
                                             .message = std::move(message),
                                             .status = store::AlertStatus::kOpen,
                                             .raised_at = ctx.clock.now(),
                                             .acknowledged_at = std::nullopt});
}

Result<void> acknowledge(store::StateStore& store, const std::string& key, UtcTime now) {
    MLC_TRY(auto open, store.list_alerts(store::AlertStatus::kOpen));
    for (const store::Alert& alert : open) {
        if (alert.key != key) continue;
        MLC_TRY(auto resolved, store.resolve_alert(key, now));  // The problem ended.
        (void)resolved;
        break;
    }
    return ok();
}

// The alert text for subscriptions the vendor shows paused or disabled.
std::string inactive_message(const std::string& flow, const con::WebhookSubscriptions& subs,
                             const std::vector<con::Subscription>& off) {
    std::string text = "flow " + flow + ": ";
    for (const con::Subscription& hook : off) {
        text += subs.label() + " webhook " + hook.id + " (" + hook.topic + " -> " + hook.url +
                ") is " + hook.status +
                (hook.why_inactive.empty() ? "" : ": " + hook.why_inactive) + ". ";
    }
    text += "Records still arrive through the flow's poll, but only at each scheduled run. ";
    text += subs.can_enable()
                ? "Once the receiver is reachable, re-enable it with `mlc webhooks enable " + flow +
                      "`."
                : "Delete it in " + subs.label() + "; the flow subscribes again at its next check.";
    return text;
}

}  // namespace

std::string webhook_alert_key(const std::string& flow, const std::string& system) {
    return "webhooks:" + flow + ":" + system;
}

Result<con::EnsuredSubscriptions> WebhookUpkeep::ensure(engine::RunContext& ctx) {
    con::WebhookSubscriptions& subs = *plan_.subscriptions;
    const std::string system = subs.system();
    bool created = false;
    MLC_TRY(std::string secret, webhook_secret(*plan_.vault, ctx.flow, system, created));
    if (created)
        ctx.log.info("flow {}: new {} webhook secret stored in the vault", ctx.flow, system);
    MLC_TRY(
        auto done,
        subs.ensure({.flow = ctx.flow,
                     .delivery_url = engine::webhook_url(plan_.public_base_url, ctx.flow, system),
                     .secret = std::move(secret),
                     .topics = plan_.topics}));
    for (const con::Subscription& hook : done.removed) {
        audit(ctx, system, hook, store::AuditAction::kDelete,
              hook.topic + " webhook " + hook.id + " to " + hook.url +
                  " deleted: its secret is not the flow's current one");
    }
    for (const con::Subscription& hook : done.subscriptions) {
        if (!hook.created_now) continue;
        ctx.log.info("flow {}: subscribed {} webhook {} ({} -> {})", ctx.flow, subs.label(),
                     hook.id, hook.topic, hook.url);
        audit(ctx, system, hook, store::AuditAction::kCreate,
              hook.topic + " webhook " + hook.id + " subscribed to " + hook.url);
    }
    return done;
}

void WebhookUpkeep::run(engine::RunContext& ctx) {
    if (ctx.dry_run || plan_.subscriptions == nullptr) return;
    const std::string system = plan_.subscriptions->system();
    if (plan_.public_base_url.empty() || plan_.vault == nullptr) {
        if (!said_polling_) {
            ctx.log.info(
                "flow {}: no server runs (no public URL), so no {} webhooks are "
                "subscribed; the poll alone brings records in",
                ctx.flow, plan_.subscriptions->label());
        }
        said_polling_ = true;
        return;
    }
    const UtcTime now = ctx.clock.now();
    if (checked_at_ && now - *checked_at_ < recheck_) return;
    auto done = ensure(ctx);
    if (!done) {
        const std::string why = done.error().describe();
        ctx.log.warn("flow {}: {} webhooks not ensured: {}", ctx.flow, system, why);
        raise(ctx, system,
              "flow " + ctx.flow + ": " + plan_.subscriptions->label() +
                  " webhooks could not be ensured (" + why +
                  "); records still arrive by polling. " + "Fix the " +
                  plan_.subscriptions->label() + " connection or set options.webhooks: false");
        return;
    }
    checked_at_ = now;
    std::vector<con::Subscription> off;
    for (const con::Subscription& hook : done->subscriptions) {
        if (!hook.active()) off.push_back(hook);
    }
    if (!off.empty()) {
        raise(ctx, system, inactive_message(ctx.flow, *plan_.subscriptions, off));
        return;
    }
    (void)acknowledge(ctx.store, webhook_alert_key(ctx.flow, system), now);
}

std::unique_ptr<WebhookUpkeep> webhook_upkeep(
    std::unique_ptr<con::WebhookSubscriptions> subscriptions, bool enabled,
    std::vector<std::string> topics, const engine::Dependencies& deps) {
    return std::make_unique<WebhookUpkeep>(std::move(subscriptions), enabled,
                                           WebhookPlan{.subscriptions = nullptr,
                                                       .topics = std::move(topics),
                                                       .public_base_url = deps.public_base_url,
                                                       .vault = deps.vault});
}

std::function<Result<std::optional<std::string>>(const std::string&, const std::string&)>
webhook_secrets(const auth::Vault* vault) {
    return [vault](const std::string& flow,
                   const std::string& source) -> Result<std::optional<std::string>> {
        if (vault == nullptr) return std::optional<std::string>{};
        auto secret = vault->get(engine::webhook_secret_name(flow, source));
        if (secret) return std::optional<std::string>(std::move(*secret));
        if (secret.error().code == ErrorCode::kNotFound) return std::optional<std::string>{};
        return secret.error();
    };
}

Result<std::vector<con::Subscription>> list_webhooks(con::WebhookSubscriptions& subscriptions,
                                                     const std::string& flow) {
    return subscriptions.list(engine::webhook_url("", flow, subscriptions.system()));
}

Result<std::vector<con::Subscription>> enable_webhooks(con::WebhookSubscriptions& subscriptions,
                                                       const std::string& flow,
                                                       store::StateStore& store, Clock& clock) {
    MLC_TRY(auto ours, list_webhooks(subscriptions, flow));
    std::vector<con::Subscription> changed;
    bool all_active = true;
    for (const con::Subscription& hook : ours) {
        if (hook.active()) continue;
        MLC_TRY(con::Subscription updated, subscriptions.enable(hook.id));
        all_active = all_active && updated.active();
        changed.push_back(std::move(updated));
    }
    if (all_active) {
        MLC_CHECK(acknowledge(store, webhook_alert_key(flow, subscriptions.system()), clock.now()));
    }
    return changed;
}

}  // namespace mlc::pipeline

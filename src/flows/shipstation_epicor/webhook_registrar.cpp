#include "flows/shipstation_epicor/webhook_registrar.hpp"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include "engine/webhooks.hpp"
#include "pipeline/webhooks.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

constexpr std::string_view kTokenQuery = "?token=";
constexpr const char* kDirection = "mlc->shipstation";

}  // namespace

std::string webhook_alert_key(std::string_view flow) {
    return pipeline::webhook_alert_key(std::string(flow), "shipstation");
}

Result<std::string> random_hex(std::size_t bytes) {
    if (sodium_init() < 0) {
        return make_error(ErrorCode::kInternal, "libsodium could not be initialised");
    }
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string out(bytes * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), raw.data(), raw.size());
    out.pop_back();  // sodium_bin2hex writes a terminating NUL.
    sodium_memzero(raw.data(), raw.size());
    return out;
}

Result<std::string> ShipStationWebhookRegistrar::token(const std::string& flow, bool& created) {
    const std::string name = engine::webhook_secret_name(flow, kWebhookSource);
    auto existing = vault_.get(name);
    if (existing && !existing->empty()) return *existing;
    if (!existing && existing.error().code != ErrorCode::kNotFound) {
        return with_context(existing.error(), "while reading the webhook token of flow " + flow);
    }
    MLC_TRY(std::string value, random_hex(kTokenBytes));
    // Stored before any subscription names it: the intake must verify the first delivery.
    MLC_CHECK_CTX(vault_.put(name, value), "while storing the webhook token of flow " + flow);
    created = true;
    return value;
}

Result<WebhookRegistration> ShipStationWebhookRegistrar::ensure(
    const std::string& flow, const std::string& public_base_url,
    const std::vector<std::string>& events) {
    WebhookRegistration report;
    report.delivery_url = engine::webhook_url(public_base_url, flow, kWebhookSource);
    // List first: what exists is never subscribed twice.
    MLC_TRY_CTX(auto hooks, shipstation_.list_webhooks(), "while listing ShipStation webhooks");
    MLC_TRY(const std::string secret, token(flow, report.token_created));
    const std::string target = report.delivery_url + std::string(kTokenQuery) + secret;
    const std::string redacted = report.delivery_url + std::string(kTokenQuery) + "***";
    const std::string stale_prefix = report.delivery_url + std::string(kTokenQuery);

    // hooks is bounded by the client (kWebhooksMax).
    for (const auto& hook : hooks) {
        if (!hook.target_url.starts_with(stale_prefix) || hook.target_url == target) continue;
        // Aimed at us with a token the vault no longer holds: every delivery would be refused.
        MLC_CHECK_CTX(shipstation_.delete_webhook(hook.id), "while deleting ShipStation webhook " +
                                                                std::to_string(hook.id) +
                                                                " (stale token) of flow " + flow);
        ++report.removed;
        audit(flow, hook.id, store::AuditAction::kDelete,
              hook.event + " webhook " + std::to_string(hook.id) + " to " + redacted +
                  " deleted: its token is not the flow's current one");
    }
    for (const std::string& event : events) {
        const auto found = std::find_if(hooks.begin(), hooks.end(), [&](const auto& hook) {
            return hook.event == event && hook.target_url == target;
        });
        if (found != hooks.end()) {
            report.webhooks.push_back({.id = found->id, .event = event, .created_now = false});
            continue;
        }
        MLC_TRY_CTX(const std::int64_t id,
                    shipstation_.subscribe_webhook({.target_url = target,
                                                    .event = event,
                                                    .store_id = std::nullopt,
                                                    .friendly_name = "mlc " + flow + " " + event}),
                    "while subscribing the " + event + " webhook of flow " + flow);
        report.webhooks.push_back({.id = id, .event = event, .created_now = true});
        audit(flow, id, store::AuditAction::kCreate,
              event + " webhook " + std::to_string(id) + " subscribed to " + redacted);
    }
    return report;
}

void ShipStationWebhookRegistrar::audit(const std::string& flow, std::int64_t id,
                                        store::AuditAction action, std::string detail) {
    // Best effort: the subscription exists whether or not its audit line could be written.
    (void)store_.append_audit(
        store::AuditEvent{.flow = flow,
                          .direction = kDirection,
                          .source_ref = {},
                          .target_ref = "shipstation:webhook:" + std::to_string(id),
                          .action = action,
                          .outcome = "ok",
                          .attempt = 1,
                          .at = clock_.now(),
                          .detail = std::move(detail)});
}

}  // namespace mlc::flows::shipstation_epicor

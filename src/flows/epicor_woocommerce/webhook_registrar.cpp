#include "flows/epicor_woocommerce/webhook_registrar.hpp"

#include <sodium.h>

#include <array>

#include "engine/webhooks.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace woo = connectors::woocommerce;

std::string hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[bytes[i] >> 4]);
        out.push_back(kDigits[bytes[i] & 0x0f]);
    }
    return out;
}

// The path part every delivery URL of this flow ends with, whatever the public base.
std::string hook_suffix(std::string_view flow) { return engine::webhook_url("", flow, kWooSource); }

bool is_ours(const woo::Webhook& hook, std::string_view flow) {
    const std::string suffix = hook_suffix(flow);
    return hook.delivery_url.size() >= suffix.size() &&
           hook.delivery_url.compare(hook.delivery_url.size() - suffix.size(), suffix.size(),
                                     suffix) == 0;
}

WebhookState state_of(const woo::Webhook& hook) {
    return WebhookState{.id = hook.id,
                        .topic = hook.topic,
                        .status = hook.status,
                        .delivery_url = hook.delivery_url,
                        .created_now = false};
}

}  // namespace

std::vector<std::string> order_webhook_topics() { return {"order.created", "order.updated"}; }

std::string webhook_alert_key(std::string_view flow, std::string_view topic) {
    return "woo-webhook:" + std::string(flow) + ":" + std::string(topic);
}

Result<std::string> WooWebhookRegistrar::secret(const std::string& flow, bool& created) {
    const std::string name = engine::webhook_secret_name(flow, kWooSource);
    auto existing = vault_.get(name);
    if (existing) return *existing;
    if (existing.error().code != ErrorCode::kNotFound) {
        return with_context(existing.error(), "while reading the webhook secret of flow " + flow);
    }
    if (sodium_init() < 0) {
        return make_error(ErrorCode::kInternal, "libsodium could not be initialised");
    }
    std::array<unsigned char, kWebhookSecretBytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::string value = hex(bytes.data(), bytes.size());
    sodium_memzero(bytes.data(), bytes.size());
    // Stored before any webhook uses it: the intake must be able to verify the first delivery.
    MLC_CHECK_CTX(vault_.put(name, value), "while storing the webhook secret of flow " + flow);
    created = true;
    return value;
}

Result<std::vector<WebhookState>> WooWebhookRegistrar::list(const std::string& flow) {
    MLC_TRY_CTX(auto hooks, woo_.list_webhooks(), "while listing WooCommerce webhooks");
    std::vector<WebhookState> out;
    for (const woo::Webhook& hook : hooks) {
        if (is_ours(hook, flow)) out.push_back(state_of(hook));
    }
    return out;
}

Result<EnsureReport> WooWebhookRegistrar::ensure(const std::string& flow,
                                                 const std::string& public_base_url) {
    EnsureReport report;
    report.delivery_url = engine::webhook_url(public_base_url, flow, kWooSource);
    MLC_TRY_CTX(auto hooks, woo_.list_webhooks(), "while listing WooCommerce webhooks");
    std::string secret_value;
    for (const std::string& topic : order_webhook_topics()) {
        const woo::Webhook* found = nullptr;
        for (const woo::Webhook& hook : hooks) {
            if (hook.topic != topic || hook.delivery_url != report.delivery_url) continue;
            // Prefer an active one when a person created a second webhook by hand.
            if (found == nullptr || (found->status != "active" && hook.status == "active")) {
                found = &hook;
            }
        }
        if (found != nullptr) {
            report.webhooks.push_back(state_of(*found));
            MLC_CHECK(check_status(flow, report.webhooks.back(), report));
            continue;
        }
        if (secret_value.empty()) {
            MLC_TRY(secret_value, secret(flow, report.secret_created));
        }
        MLC_TRY_CTX(auto created,
                    woo_.create_webhook({.name = "mlc " + flow + " " + topic,
                                         .topic = topic,
                                         .delivery_url = report.delivery_url,
                                         .secret = secret_value,
                                         .status = "active"}),
                    "while creating the " + topic + " webhook of flow " + flow);
        report.webhooks.push_back(state_of(created));
        report.webhooks.back().created_now = true;
        MLC_CHECK(check_status(flow, report.webhooks.back(), report));
    }
    return report;
}

Result<void> WooWebhookRegistrar::check_status(const std::string& flow, const WebhookState& hook,
                                               EnsureReport& report) {
    const std::string key = webhook_alert_key(flow, hook.topic);
    // Healthy again (enabled by `mlc webhooks enable` or in the Woo admin): close the alert.
    if (hook.status == "active") return acknowledge(flow, hook.topic);
    // Woo disables a webhook after repeated failed deliveries and never retries what it lost
    // (woocommerce.md, Webhooks); the poll keeps bringing orders in, only slower.
    const std::string why = hook.status == "disabled"
                                ? "WooCommerce disabled it after repeated failed deliveries"
                                : "it is " + hook.status + " in WooCommerce";
    store::Alert alert{.id = 0,
                       .key = key,
                       .flow = flow,
                       .severity = "warning",
                       .message = "flow " + flow + ": WooCommerce webhook " +
                                  std::to_string(hook.id) + " (" + hook.topic + " -> " +
                                  hook.delivery_url + ") is " + hook.status + ": " + why +
                                  ". Orders still arrive through the flow's modified_after poll, "
                                  "but only at each scheduled run. Once the receiver is "
                                  "reachable, re-enable it with `mlc webhooks enable " +
                                  flow + "`.",
                       .status = store::AlertStatus::kOpen,
                       .raised_at = clock_.now(),
                       .acknowledged_at = std::nullopt};
    MLC_TRY(auto id, store_.raise_alert(alert));
    (void)id;
    ++report.alerts_raised;
    return ok();
}

Result<void> WooWebhookRegistrar::acknowledge(const std::string& flow, const std::string& topic) {
    const std::string key = webhook_alert_key(flow, topic);
    MLC_TRY(auto open, store_.list_alerts(store::AlertStatus::kOpen));
    for (const store::Alert& alert : open) {
        if (alert.key == key) MLC_CHECK(store_.acknowledge_alert(alert.id, clock_.now()));
    }
    return ok();
}

Result<std::vector<WebhookState>> WooWebhookRegistrar::enable(const std::string& flow) {
    MLC_TRY(auto ours, list(flow));
    std::vector<WebhookState> changed;
    for (const WebhookState& hook : ours) {
        if (hook.status == "active") continue;
        MLC_TRY_CTX(auto updated, woo_.update_webhook_status(hook.id, "active"),
                    "while re-enabling WooCommerce webhook " + std::to_string(hook.id));
        changed.push_back(state_of(updated));
        if (updated.status == "active") MLC_CHECK(acknowledge(flow, updated.topic));
    }
    return changed;
}

}  // namespace mlc::flows::epicor_woocommerce

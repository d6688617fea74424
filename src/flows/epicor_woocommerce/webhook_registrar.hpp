#pragma once
// WooWebhookRegistrar: the flow's own WooCommerce webhooks (woocommerce.md, Webhooks).
//
//  * ensure(): order.created and order.updated pointing at <public base>/hooks/<flow>/woocommerce
//    (engine/webhooks.hpp). Idempotent: the store's webhooks are listed first and only a missing
//    topic is created. The signing secret is the vault secret "webhook.<flow>.woocommerce"; when
//    it does not exist it is generated (libsodium randombytes, 32 bytes as hex) and stored in the
//    vault *before* the webhook is created, so the intake can verify the first delivery.
//  * The same pass checks each webhook's status: Woo sets one `disabled` after repeated failed
//    deliveries (the 7th consecutive failure with the default limit) and never retries the lost
//    deliveries. A disabled or paused webhook raises a store alert naming it and the fix
//    (`mlc webhooks enable <flow>`); the flow's modified_after poll fills the gap meanwhile. When
//    the webhook is active again, the alert is acknowledged.
//  * enable(): sets the flow's non-active webhooks active again (PUT status active, which also
//    resets Woo's failure count). For `mlc webhooks enable`.
//
// Lifecycle: built per call site (runner, CLI) over a client that outlives it. Thread safety:
// none of its own; the engine serialises one flow's runs. Ownership: borrows everything.

#include <cstdint>
#include <string>
#include <vector>

#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "store/state_store.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kWooSource = "woocommerce";
inline constexpr std::size_t kWebhookSecretBytes = 32;  // 256-bit HMAC-SHA256 key.

// The topics this flow listens to.
std::vector<std::string> order_webhook_topics();
// "woo-webhook:<flow>:<topic>": one alert per flow and topic, updated while open.
std::string webhook_alert_key(std::string_view flow, std::string_view topic);

struct WebhookState {
    std::int64_t id = 0;
    std::string topic;
    std::string status;  // active | paused | disabled | missing
    std::string delivery_url;
    bool created_now = false;
};

struct EnsureReport {
    std::string delivery_url;
    std::vector<WebhookState> webhooks;  // One per topic.
    bool secret_created = false;
    std::size_t alerts_raised = 0;
};

class WooWebhookRegistrar {
  public:
    WooWebhookRegistrar(connectors::woocommerce::WooCommerceClient& woo, auth::Vault& vault,
                        store::StateStore& store, Clock& clock)
        : woo_(woo), vault_(vault), store_(store), clock_(clock) {}

    // Creates what is missing and checks the status of what exists (see above).
    Result<EnsureReport> ensure(const std::string& flow, const std::string& public_base_url);
    // The flow's webhooks as Woo shows them: those whose delivery URL ends with
    // /hooks/<flow>/woocommerce (any public base), one row per webhook.
    Result<std::vector<WebhookState>> list(const std::string& flow);
    // Sets every non-active webhook of the flow active and acknowledges its alert; returns the
    // ones it changed.
    Result<std::vector<WebhookState>> enable(const std::string& flow);

  private:
    Result<std::string> secret(const std::string& flow, bool& created);
    Result<void> acknowledge(const std::string& flow, const std::string& topic);
    Result<void> check_status(const std::string& flow, const WebhookState& hook,
                              EnsureReport& report);

    connectors::woocommerce::WooCommerceClient& woo_;
    auth::Vault& vault_;
    store::StateStore& store_;
    Clock& clock_;
};

}  // namespace mlc::flows::epicor_woocommerce

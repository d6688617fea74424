#pragma once
// WebhookUpkeep: how every flow keeps its vendor webhook subscriptions, once, over a connector's
// connectors::WebhookSubscriptions:
//  * the secret is the vault's "webhook.<flow>.<system>" (engine/webhooks.hpp); when missing it is
//    generated (kWebhookSecretBytes random bytes as hex) and stored *before* any subscription
//    names it, so the intake verifies the very first delivery;
//  * ensured on the first run, then again once `recheck` has passed (a person may delete or
//    switch off a subscription at the vendor); never in a dry run, never without a server
//    (no public URL: `mlc sync` polls alone);
//  * every subscription made or removed is an audit line (direction mlc-><system>, target
//    <system>:webhook:<id>), the secret never shown;
//  * one alert per flow and vendor, "webhooks:<flow>:<system>", while the subscriptions cannot be
//    ensured or one is paused or disabled at the vendor, naming the fix; it never stops the poll
//    (the poll is the safety net), and the next clean check resolves it.
// list_webhooks/enable_webhooks serve `mlc webhooks`.
//
// Lifecycle: one per flow and vendor, owned by the recipe. Thread safety: none (runs of a flow
// are serialised). Ownership: borrows the subscriptions and the vault; owns its last check time.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/vault.hpp"
#include "connectors/webhook_subscriptions.hpp"
#include "engine/flow_runner.hpp"
#include "engine/recipe_registry.hpp"

namespace mlc::pipeline {

// How often every flow checks its webhook subscriptions again (the first run always does; a
// failed check is retried by the next run).
inline constexpr std::chrono::seconds kWebhookRecheck{15 * 60};
// 256 bits: an HMAC key (WooCommerce) or URL token (ShipStation) never guessed; 64 hex digits.
inline constexpr std::size_t kWebhookSecretBytes = 32;

// The one alert key scheme for webhook trouble.
std::string webhook_alert_key(const std::string& flow, const std::string& system);

// What a flow wants from one vendor. Null subscriptions or vault, or an empty public URL: the
// flow registers nothing and polls.
struct WebhookPlan {
    connectors::WebhookSubscriptions* subscriptions = nullptr;
    std::vector<std::string> topics = {};
    std::string public_base_url = {};
    auth::Vault* vault = nullptr;
};

class WebhookUpkeep {
  public:
    explicit WebhookUpkeep(WebhookPlan plan, std::chrono::seconds recheck = kWebhookRecheck)
        : plan_(std::move(plan)), recheck_(recheck) {}
    // Owning the connector's subscriptions (plan.subscriptions points at them when `enabled`).
    WebhookUpkeep(std::unique_ptr<connectors::WebhookSubscriptions> subscriptions, bool enabled,
                  WebhookPlan plan, std::chrono::seconds recheck = kWebhookRecheck)
        : owned_(std::move(subscriptions)), plan_(std::move(plan)), recheck_(recheck) {
        plan_.subscriptions = enabled ? owned_.get() : nullptr;
    }

    // Ensures the subscriptions when due (see above); failures become the alert, not an error.
    void run(engine::RunContext& ctx);

  private:
    Result<connectors::EnsuredSubscriptions> ensure(engine::RunContext& ctx);

    std::unique_ptr<connectors::WebhookSubscriptions> owned_;
    WebhookPlan plan_;
    std::chrono::seconds recheck_;
    std::optional<UtcTime> checked_at_;
    bool said_polling_ = false;
};

// The upkeep of a flow the registry builds: `subscriptions` (owned) for `topics`, with the
// server's public URL and the vault from `deps`; `enabled` false (options.webhooks: false, or a
// stream turned off) subscribes nothing.
std::unique_ptr<WebhookUpkeep> webhook_upkeep(
    std::unique_ptr<connectors::WebhookSubscriptions> subscriptions, bool enabled,
    std::vector<std::string> topics, const engine::Dependencies& deps);

// What the webhook intake verifies deliveries with: (flow, source) -> the vault secret
// "webhook.<flow>.<source>" the upkeep stored; nullopt when there is none (or no vault), which
// the intake refuses as such; the vault's other errors as they are.
std::function<Result<std::optional<std::string>>(const std::string&, const std::string&)>
webhook_secrets(const auth::Vault* vault);

// The flow's subscriptions at the vendor (any public base).
Result<std::vector<connectors::Subscription>> list_webhooks(
    connectors::WebhookSubscriptions& subscriptions, const std::string& flow);

// Sets every paused or disabled subscription of the flow active again; returns the ones it
// changed. When all are active afterwards the flow's webhook alert is resolved.
Result<std::vector<connectors::Subscription>> enable_webhooks(
    connectors::WebhookSubscriptions& subscriptions, const std::string& flow,
    store::StateStore& store, Clock& clock);

}  // namespace mlc::pipeline

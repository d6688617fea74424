#pragma once
// The webhook subscriptions a flow keeps at the system it receives webhooks from (its source
// connection), opened from mlc.yaml as the recipe opens that connection: what `mlc webhooks`
// lists and re-enables, for any flow whose source system has webhooks (WooCommerce,
// ShipStation).
//
// Thread safety: none (one command). Ownership: the result owns the connection it opened and
// borrows deps (clock, store, vault, config), which must outlive it.

#include <memory>

#include "common/result.hpp"
#include "connectors/webhook_subscriptions.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"

namespace mlc::flows::connections {

struct OpenedSubscriptions {
    std::shared_ptr<void> connection;  // What `subscriptions` borrows.
    std::unique_ptr<connectors::WebhookSubscriptions> subscriptions;
};

// kConfig naming the flow and the fix when its source connection is missing or of a system that
// sends no webhooks; the connection builder's errors otherwise.
Result<OpenedSubscriptions> open_webhook_subscriptions(const engine::FlowConfig& flow,
                                                       const engine::Dependencies& deps);

}  // namespace mlc::flows::connections

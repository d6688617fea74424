#pragma once
// WebhookSubscriptions: the vendor-free seam for keeping a flow's webhook subscriptions at a
// vendor (ARCHITECTURE.md, push path), beside net::WebhookChannel (which verifies what arrives).
// A connector implements it next to its client (woocommerce_webhooks.hpp,
// shipstation_webhooks.hpp); pipeline::WebhookUpkeep drives it for every flow: the secret from
// the vault (generated and stored before any subscription names it), the recheck, the audit
// lines, the alert while a subscription is missing or switched off, and `mlc webhooks`.
//
// Thread safety: none of its own (a flow's runs are serialised). Ownership: borrows its client.

#include <string>
#include <vector>

#include "common/result.hpp"

namespace mlc::connectors {

// One subscription as the vendor shows it. Never holds a secret: a URL that carries one (a
// ShipStation token) is shown redacted ("...?token=***").
struct Subscription {
    std::string id = {};
    std::string topic = {};         // "order.updated", "SHIP_NOTIFY"
    std::string status = "active";  // active | paused | disabled (the vendor's words)
    std::string url = {};           // Where it delivers, redacted.
    std::string why_inactive = {};  // The vendor's reason when not active, for people.
    bool created_now = false;       // Made by this ensure().
    bool active() const { return status == "active"; }
};

// What one ensure() found and changed.
struct EnsuredSubscriptions {
    std::vector<Subscription> subscriptions = {};  // One per wanted topic.
    std::vector<Subscription> removed = {};        // Aimed at the flow with a stale secret.
};

// What a flow wants delivered: `topics` to `delivery_url`, signed or tokened with `secret`.
struct SubscriptionRequest {
    std::string flow = {};          // Names the subscriptions ("mlc <flow> <topic>").
    std::string delivery_url = {};  // <public base>/hooks/<flow>/<system> (engine/webhooks.hpp)
    std::string secret = {};        // The vault's "webhook.<flow>.<system>"; never logged.
    std::vector<std::string> topics = {};
};

class WebhookSubscriptions {
  public:
    virtual ~WebhookSubscriptions() = default;
    // The webhook channel's source() and the vault name's system ("woocommerce").
    virtual std::string system() const = 0;
    // The vendor's name for people ("WooCommerce").
    virtual std::string label() const = 0;
    // Lists first, then subscribes each wanted topic that does not yet deliver to the URL with
    // the secret, and removes subscriptions aimed at the URL with another secret where the
    // vendor puts the secret in the URL. A second call changes nothing.
    virtual Result<EnsuredSubscriptions> ensure(const SubscriptionRequest& request) = 0;
    // The subscriptions delivering to a URL that ends with `url_suffix` (/hooks/<flow>/<system>,
    // whatever the public base).
    virtual Result<std::vector<Subscription>> list(const std::string& url_suffix) = 0;
    // Whether enable() can switch a paused or disabled subscription back on.
    virtual bool can_enable() const { return false; }
    // Sets a paused or disabled subscription active again. kRejected where the vendor has no
    // such switch.
    virtual Result<Subscription> enable(const std::string& id) {
        return make_error(ErrorCode::kRejected, system(),
                          label() + " has no switch to re-enable webhook " + id +
                              ": delete it there and the flow subscribes again at its next check");
    }
};

}  // namespace mlc::connectors

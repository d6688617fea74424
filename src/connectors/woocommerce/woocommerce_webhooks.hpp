#pragma once
// WooCommerce's webhook channel (net/webhook_channel.hpp; woocommerce.md, Webhooks):
//
//  * X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, decoded secret)), checked over the
//    raw bytes before any parsing, in constant time.
//  * The creation ping (form body `webhook_id=<id>`, no X-WC-* headers) is a ping: only an exact
//    200 activates the webhook.
//  * Topic X-WC-Webhook-Topic ("order.updated"), delivery id X-WC-Webhook-Delivery-ID.
//
// WooSubscriptions keeps a flow's webhooks (connectors::WebhookSubscriptions): one per topic at
// the delivery URL, signed with the flow's secret (given at creation, never read back). Woo sets
// a webhook `disabled` after repeated failed deliveries (the 7th consecutive failure with the
// default limit) and never resends what it lost; enable() sets it active again (PUT status,
// which also resets Woo's failure count).
//
// Thread safety: the channel is immutable, safe from several threads; WooSubscriptions is used by
// one flow's runs or one command (serialised). Ownership: it borrows the client.

#include "connectors/webhook_subscriptions.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "net/webhook_channel.hpp"

namespace mlc::connectors::woocommerce {

inline constexpr const char* kWebhookSource = "woocommerce";
inline constexpr const char* kOrderCreated = "order.created";
inline constexpr const char* kOrderUpdated = "order.updated";

class WooWebhookChannel final : public net::WebhookChannel {
  public:
    std::string source() const override { return kWebhookSource; }
    std::string label() const override { return "WooCommerce"; }
    bool is_ping(const net::HttpRequest& request) const override;
    net::WebhookVerdict verify(const net::HttpRequest& request,
                               std::string_view secret) const override;
    std::string topic(const net::HttpRequest& request) const override;
    std::string delivery_id(const net::HttpRequest& request) const override;
};

// True for WooCommerce's activation ping: a short form body `webhook_id=<digits>` and no X-WC-*
// header at all.
bool is_woocommerce_ping(const net::HttpRequest& request);

class WooSubscriptions final : public WebhookSubscriptions {
  public:
    explicit WooSubscriptions(WooCommerceClient& client) : client_(client) {}
    std::string system() const override { return kWebhookSource; }
    std::string label() const override { return "WooCommerce"; }
    Result<EnsuredSubscriptions> ensure(const SubscriptionRequest& request) override;
    Result<std::vector<Subscription>> list(const std::string& url_suffix) override;
    bool can_enable() const override { return true; }
    Result<Subscription> enable(const std::string& id) override;

  private:
    WooCommerceClient& client_;
};

}  // namespace mlc::connectors::woocommerce

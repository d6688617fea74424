#pragma once
// WooCommerce's webhook channel (net/webhook_channel.hpp; woocommerce.md, Webhooks):
//
//  * X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, decoded secret)), checked over the
//    raw bytes before any parsing, in constant time.
//  * The creation ping (form body `webhook_id=<id>`, no X-WC-* headers) is a ping: only an exact
//    200 activates the webhook.
//  * Topic X-WC-Webhook-Topic ("order.updated"), delivery id X-WC-Webhook-Delivery-ID.
//
// Thread safety: immutable, safe from several threads.

#include "net/webhook_channel.hpp"

namespace mlc::connectors::woocommerce {

inline constexpr const char* kWebhookSource = "woocommerce";

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

}  // namespace mlc::connectors::woocommerce

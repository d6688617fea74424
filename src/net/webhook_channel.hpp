#pragma once
// WebhookChannel: how one vendor's webhook deliveries are told apart from anyone else's, the
// vendor-free seam of the push path (ARCHITECTURE.md: "the server routes /hooks/<flow>/<source>
// to that vendor's webhook channel"). The intake (net/webhook_intake.hpp) knows no vendor: it
// looks the <source> up in a WebhookChannels registry and asks that channel whether a delivery is
// a ping, whether it verifies against the flow's secret, and what its topic and delivery id are.
// It lives in net so the intake depends on nothing above it; each connector implements it next
// to its client (woocommerce_webhooks.hpp,
// shipstation_webhooks.hpp).
//
// Pure: no I/O, nothing logged; the secret is compared in constant time and never echoed in a
// reason. Thread safety: implementations are immutable and called from several server threads.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_types.hpp"

namespace mlc::net {

// What a channel says about one delivery.
struct WebhookVerdict {
    bool ok = false;
    std::string why = {};  // When refused (401): the missing or wrong part, never a value.
};

class WebhookChannel {
  public:
    virtual ~WebhookChannel() = default;
    // The <source> of /hooks/<flow>/<source> ("woocommerce"), as inbox events name it.
    virtual std::string source() const = 0;
    // The vendor's name for people ("WooCommerce").
    virtual std::string label() const = 0;
    // A vendor's ping (Woo's activation ping): answered exactly 200 before any secret is read,
    // stored nowhere but the audit log.
    virtual bool is_ping(const HttpRequest& request) const {
        (void)request;
        return false;
    }
    // Whether the delivery, as received (raw body, headers, query), was sent with `secret`.
    virtual WebhookVerdict verify(const HttpRequest& request, std::string_view secret) const = 0;
    // The event's topic ("order.updated", "SHIP_NOTIFY"); empty when it names none.
    virtual std::string topic(const HttpRequest& request) const = 0;
    // The vendor's delivery id (duplicates are stored once by it); empty when it sends none (the
    // body hash is used).
    virtual std::string delivery_id(const HttpRequest& request) const = 0;
    // Headers that carry the channel's credentials: never stored with the event.
    virtual std::vector<std::string> secret_headers() const { return {}; }
};

// The channels the intake serves, by source().
using WebhookChannels = std::map<std::string, std::shared_ptr<const WebhookChannel>, std::less<>>;

// Adds `channel` under its source().
inline void add_channel(WebhookChannels& channels, std::shared_ptr<const WebhookChannel> channel) {
    std::string source = channel->source();
    channels.insert_or_assign(std::move(source), std::move(channel));
}

}  // namespace mlc::net

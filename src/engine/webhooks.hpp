#pragma once
// Webhook conventions shared by the daemon's intake (net/webhook_intake.hpp, mounted by `mlc run`)
// and the flows that register webhooks with a vendor:
//  * a flow's delivery URL is <public base>/hooks/<flow>/<source> (net::kWebhookRoute);
//  * its secret (WooCommerce signing secret, ShipStation URL token) is the vault secret
//    "webhook.<flow>.<source>"; the flow generates and stores it when it registers the webhook,
//    the intake reads it to verify each delivery.
// Pure functions; thread safety: none needed.

#include <string>
#include <string_view>

namespace mlc::engine {

inline std::string webhook_url(std::string_view public_base_url, std::string_view flow,
                               std::string_view source) {
    std::string url(public_base_url);
    while (!url.empty() && url.back() == '/') url.pop_back();
    url.append("/hooks/").append(flow).append("/").append(source);
    return url;
}

inline std::string webhook_secret_name(std::string_view flow, std::string_view source) {
    std::string name("webhook.");
    name.append(flow).append(".").append(source);
    return name;
}

}  // namespace mlc::engine

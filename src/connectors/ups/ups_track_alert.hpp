#pragma once
// UPS Track Alert pushes as the webhook intake receives them (net/webhook_channel.hpp;
// UPSTrackAlert.yaml `webhooks.TrackingEvent`, ups.md). Subscribing is UpsClient's
// (subscribe_track_alert); what a push says is parse_track_alert_push (ups_json.hpp).
//
// How a push is verified. Track Alert v2 takes no URL or credential in the subscription request
// (v1's `destination` is gone): both are set once per app in UPS's portal ("Manage Webhook
// Credentials"), and UPS sends every push with
//   * `User-Agent: UPSPubSubTrackingService` (required by the spec), and
//   * `x-api-key: <the credential>` (the spec: "required for OAUTH clients").
// UPS signs nothing, so the receiver can check exactly those two: the channel accepts a push only
// when the User-Agent is UPS's and x-api-key equals the flow's secret, compared in constant time;
// the secret is the vault's "webhook.<flow>.ups", the same value a person enters as the push
// credential in the portal, with <public base>/hooks/<flow>/ups as the URL. The User-Agent alone
// proves nothing (anyone can send it): the credential is what tells UPS apart, so it must be long
// and random (`mlc secret set` it from a generator) and the URL must be HTTPS. Relied on beyond
// the fact sheet: that UPS sends the portal credential verbatim as x-api-key (the fact sheet
// marks this inferred). The spec's `clientOauth2` scheme (UPS fetching a bearer token from a
// token URL of ours) is not offered: the daemon issues no tokens.
//
// Thread safety: immutable, safe from several server threads.

#include <string>
#include <string_view>
#include <vector>

#include "net/webhook_channel.hpp"

namespace mlc::connectors::ups {

inline constexpr const char* kTrackAlertSource = "ups";  // /hooks/<flow>/ups
inline constexpr std::string_view kTrackAlertUserAgent = "UPSPubSubTrackingService";
inline constexpr const char* kTrackAlertKeyHeader = "x-api-key";
inline constexpr const char* kTrackAlertTopic = "TrackingEvent";  // The spec's webhook name.

class TrackAlertChannel final : public net::WebhookChannel {
  public:
    std::string source() const override { return kTrackAlertSource; }
    std::string label() const override { return "UPS Track Alert"; }
    net::WebhookVerdict verify(const net::HttpRequest& request,
                               std::string_view secret) const override;
    // Every push is a TrackingEvent.
    std::string topic(const net::HttpRequest& request) const override;
    // UPS sends no delivery id: the body (number, event and its GMT time) tells copies apart.
    std::string delivery_id(const net::HttpRequest& request) const override;
    std::vector<std::string> secret_headers() const override {
        return {kTrackAlertKeyHeader, "Authorization"};
    }
};

}  // namespace mlc::connectors::ups

#pragma once
// ShipStation's webhook channel (net/webhook_channel.hpp; shipstation.md, Webhooks).
// ShipStation signs nothing, so the subscribed target_url carries a secret token, `?token=...`,
// or a proxy in front adds it as the header X-MLC-Token; compared in constant time and never
// stored. The topic is the JSON body's resource_type ("SHIP_NOTIFY"); no delivery id is sent
// (duplicates are told apart by the body hash).
//
// ShipStationEvents reads the events back out of the inbox (connectors::EventReader): payloads
// carry no data, only {"resource_url", "resource_type"} (shipstation.md, Webhooks), so
//  * ORDER_NOTIFY only wakes the flow: the orders poll reads the details (it fires for new orders
//    only; edits and cancels surface through modifyDate alone);
//  * SHIP_NOTIFY is followed: its resource_url (a batchId selecting exactly the new labels) is read
//    with the connection's credentials (the client refuses hosts other than ShipStation's) into
//    shipments; without a resource_url it is broken;
//  * any other topic, or SHIP_NOTIFY when the flow moves no shipments, is skipped.
//
// ShipStationSubscriptions keeps a flow's subscriptions (connectors::WebhookSubscriptions):
// target_url = <delivery url>?token=<secret>; a subscription aimed at the same URL with another
// token (the vault's token was replaced) is deleted, since every delivery would be refused.
// ShipStation shows an `active` flag and has no call to switch it back on.
//
// Thread safety: the channel is immutable, safe from several threads; ShipStationEvents and
// ShipStationSubscriptions are used by one flow's runs (serialised). Ownership: both borrow the
// client.

#include "connectors/event_reader.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "connectors/webhook_subscriptions.hpp"
#include "net/webhook_channel.hpp"

namespace mlc::connectors::shipstation {

inline constexpr const char* kWebhookSource = "shipstation";
inline constexpr const char* kWebhookTokenHeader = "X-MLC-Token";
inline constexpr const char* kWebhookTokenQuery = "token";
inline constexpr const char* kOrderNotify = "ORDER_NOTIFY";
inline constexpr const char* kShipNotify = "SHIP_NOTIFY";

class ShipStationWebhookChannel final : public net::WebhookChannel {
  public:
    std::string source() const override { return kWebhookSource; }
    std::string label() const override { return "ShipStation"; }
    net::WebhookVerdict verify(const net::HttpRequest& request,
                               std::string_view secret) const override;
    std::string topic(const net::HttpRequest& request) const override;
    std::string delivery_id(const net::HttpRequest& request) const override;
    std::vector<std::string> secret_headers() const override { return {kWebhookTokenHeader}; }
};

class ShipStationEvents final : public EventReader<model::Shipment> {
  public:
    // `shipments`: whether the flow moves shipments (else SHIP_NOTIFY is skipped).
    ShipStationEvents(ShipStationClient& client, bool shipments)
        : client_(client), shipments_(shipments) {}
    std::string system() const override { return kWebhookSource; }
    std::string noun() const override { return "shipment"; }
    EventPlan plan(std::string_view topic, std::string_view body) const override;
    Result<EventRecords<model::Shipment>> read(std::string_view topic,
                                               std::string_view body) override;

  private:
    ShipStationClient& client_;
    bool shipments_;
};

class ShipStationSubscriptions final : public WebhookSubscriptions {
  public:
    explicit ShipStationSubscriptions(ShipStationClient& client) : client_(client) {}
    std::string system() const override { return kWebhookSource; }
    std::string label() const override { return "ShipStation"; }
    Result<EnsuredSubscriptions> ensure(const SubscriptionRequest& request) override;
    Result<std::vector<Subscription>> list(const std::string& url_suffix) override;

  private:
    ShipStationClient& client_;
};

}  // namespace mlc::connectors::shipstation

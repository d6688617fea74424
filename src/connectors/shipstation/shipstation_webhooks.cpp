#include "connectors/shipstation/shipstation_webhooks.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <optional>

#include "net/hmac.hpp"

namespace mlc::connectors::shipstation {
namespace {

// A string field of the JSON body; empty when the body is not a ShipStation payload.
std::string body_field(std::string_view body, std::string_view name) {
    boost::json::error_code ec;
    const boost::json::value parsed = boost::json::parse(body, ec);
    if (ec || !parsed.is_object()) return {};
    const auto* field = parsed.as_object().if_contains(name);
    if (field == nullptr || !field->is_string()) return {};
    return std::string(field->as_string());
}

}  // namespace

net::WebhookVerdict ShipStationWebhookChannel::verify(const net::HttpRequest& request,
                                                      std::string_view secret) const {
    // ShipStation signs nothing (shipstation.md, Webhooks): the subscribed target_url carries
    // the token, or a proxy in front adds it as a header.
    std::optional<std::string> token = net::query_param(request.url, kWebhookTokenQuery);
    if (!token) {
        if (auto header = net::find_header(request.headers, kWebhookTokenHeader)) {
            token = std::string(*header);
        }
    }
    if (!token) return {.ok = false, .why = "missing token (query ?token= or X-MLC-Token)"};
    if (!net::constant_time_equal(*token, secret)) return {.ok = false, .why = "wrong token"};
    return {.ok = true, .why = {}};
}

std::string ShipStationWebhookChannel::topic(const net::HttpRequest& request) const {
    return body_field(request.body, "resource_type");
}

std::string ShipStationWebhookChannel::delivery_id(const net::HttpRequest& request) const {
    (void)request;
    return {};
}

EventPlan ShipStationEvents::plan(std::string_view topic, std::string_view body) const {
    const std::string type = topic.empty() ? body_field(body, "resource_type") : std::string(topic);
    if (type == kOrderNotify) {
        // Details always come from the poll (payloads carry no data, and edits never notify).
        return {.kind = EventPlan::kWake, .detail = "ORDER_NOTIFY: orders read by this run's poll"};
    }
    if (type != kShipNotify) {
        return {.kind = EventPlan::kSkip,
                .detail = "webhook topic '" + type + "' is not used by this flow"};
    }
    if (!shipments_) {
        return {.kind = EventPlan::kSkip,
                .detail = "SHIP_NOTIFY ignored: the flow has shipments: false"};
    }
    if (body_field(body, "resource_url").empty()) {
        return {.kind = EventPlan::kBroken,
                .detail =
                    "SHIP_NOTIFY without a resource_url: nothing to follow (the shipments "
                    "poll reads every label anyway)"};
    }
    return {.kind = EventPlan::kFollow, .detail = {}};
}

Result<EventRecords<model::Shipment>> ShipStationEvents::read(std::string_view topic,
                                                              std::string_view body) {
    (void)topic;
    MLC_TRY(ResourceBatch batch, client_.fetch_resource_url(body_field(body, "resource_url")));
    return EventRecords<model::Shipment>{.items = std::move(batch.shipments),
                                         .rejected = std::move(batch.rejected)};
}

}  // namespace mlc::connectors::shipstation

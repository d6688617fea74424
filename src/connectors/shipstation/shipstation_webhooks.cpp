#include "connectors/shipstation/shipstation_webhooks.hpp"

#include <algorithm>
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

Subscription subscription_of(const Webhook& hook, std::string url) {
    return Subscription{.id = std::to_string(hook.id),
                        .topic = hook.event,
                        .status = hook.active ? "active" : "disabled",
                        .url = std::move(url),
                        .why_inactive = hook.active ? "" : "ShipStation shows it inactive",
                        .created_now = false};
}

// The target URL with its token masked: what an audit line or a listing may show.
std::string redacted(const std::string& target_url) {
    const std::string marker = std::string("?") + kWebhookTokenQuery + "=";
    const auto at = target_url.find(marker);
    return at == std::string::npos ? target_url : target_url.substr(0, at + marker.size()) + "***";
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

Result<EnsuredSubscriptions> ShipStationSubscriptions::ensure(const SubscriptionRequest& request) {
    const std::string prefix = request.delivery_url + "?" + kWebhookTokenQuery + "=";
    const std::string target = prefix + request.secret;
    // List first: what exists is never subscribed twice (hooks bounded by kWebhooksMax).
    MLC_TRY_CTX(const auto hooks, client_.list_webhooks(), "while listing ShipStation webhooks");
    EnsuredSubscriptions out;
    for (const Webhook& hook : hooks) {
        if (!hook.target_url.starts_with(prefix) || hook.target_url == target) continue;
        // Aimed at the flow with a token the vault no longer holds: every delivery is refused.
        MLC_CHECK_CTX(client_.delete_webhook(hook.id),
                      "while deleting ShipStation webhook " + std::to_string(hook.id) +
                          " (stale token) of flow " + request.flow);
        out.removed.push_back(subscription_of(hook, redacted(hook.target_url)));
    }
    for (const std::string& topic : request.topics) {
        const auto found = std::find_if(hooks.begin(), hooks.end(), [&](const Webhook& hook) {
            return hook.event == topic && hook.target_url == target;
        });
        if (found != hooks.end()) {
            out.subscriptions.push_back(subscription_of(*found, redacted(target)));
            continue;
        }
        MLC_TRY_CTX(
            const std::int64_t id,
            client_.subscribe_webhook({.target_url = target,
                                       .event = topic,
                                       .store_id = std::nullopt,
                                       .friendly_name = "mlc " + request.flow + " " + topic}),
            "while subscribing the " + topic + " webhook of flow " + request.flow);
        Webhook made{.id = id,
                     .event = topic,
                     .target_url = target,
                     .name = {},
                     .store_id = {},
                     .active = true};
        out.subscriptions.push_back(subscription_of(made, redacted(target)));
        out.subscriptions.back().created_now = true;
    }
    return out;
}

Result<std::vector<Subscription>> ShipStationSubscriptions::list(const std::string& url_suffix) {
    MLC_TRY_CTX(const auto hooks, client_.list_webhooks(), "while listing ShipStation webhooks");
    std::vector<Subscription> out;
    for (const Webhook& hook : hooks) {
        const std::string url = hook.target_url.substr(0, hook.target_url.find('?'));
        if (url.ends_with(url_suffix))
            out.push_back(subscription_of(hook, redacted(hook.target_url)));
    }
    return out;
}

}  // namespace mlc::connectors::shipstation

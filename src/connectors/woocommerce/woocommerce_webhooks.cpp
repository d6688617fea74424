#include "connectors/woocommerce/woocommerce_webhooks.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "net/hmac.hpp"

namespace mlc::connectors::woocommerce {
namespace {

// Woo's ping body is `webhook_id=<id>`; anything longer is not a ping.
constexpr std::size_t kPingBodyMax = 64;
constexpr std::string_view kSignatureHeader = "X-WC-Webhook-Signature";
constexpr std::string_view kDeliveryHeader = "X-WC-Webhook-Delivery-ID";
constexpr std::string_view kTopicHeader = "X-WC-Webhook-Topic";

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

// Without the surrounding white space (HTTP's OWS, a form body's trailing newline).
std::string_view trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n\f\v";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

Subscription subscription_of(const Webhook& hook) {
    std::string why;
    if (hook.status == "disabled") {
        why =
            "WooCommerce disabled it after repeated failed deliveries and does not resend what "
            "it lost";
    } else if (hook.status != "active") {
        why = "it is " + hook.status + " in WooCommerce";
    }
    return Subscription{.id = std::to_string(hook.id),
                        .topic = hook.topic,
                        .status = hook.status,
                        .url = hook.delivery_url,
                        .why_inactive = std::move(why),
                        .created_now = false};
}

// Of the webhooks for `topic` at `url`, an active one when a person made a second by hand.
const Webhook* best_match(const std::vector<Webhook>& hooks, const std::string& topic,
                          const std::string& url) {
    const Webhook* found = nullptr;
    for (const Webhook& hook : hooks) {
        if (hook.topic != topic || hook.delivery_url != url) continue;
        if (found == nullptr || (found->status != "active" && hook.status == "active")) {
            found = &hook;
        }
    }
    return found;
}

}  // namespace

bool is_woocommerce_ping(const net::HttpRequest& request) {
    const bool any_woo_header =
        std::any_of(request.headers.begin(), request.headers.end(),
                    [](const auto& header) { return starts_with_ci(header.first, "X-WC-"); });
    if (any_woo_header) return false;
    const std::string_view body = trim(request.body);
    constexpr std::string_view kPrefix = "webhook_id=";
    if (body.size() > kPingBodyMax || !body.starts_with(kPrefix)) return false;
    const std::string_view id = body.substr(kPrefix.size());
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

bool WooWebhookChannel::is_ping(const net::HttpRequest& request) const {
    return is_woocommerce_ping(request);
}

net::WebhookVerdict WooWebhookChannel::verify(const net::HttpRequest& request,
                                              std::string_view secret) const {
    const auto signature = net::find_header(request.headers, kSignatureHeader);
    if (!signature) return {.ok = false, .why = "missing X-WC-Webhook-Signature"};
    // Over the raw bytes as received: re-encoding parsed JSON never matches (woocommerce.md).
    const std::string expected = net::woocommerce_signature(secret, request.body);
    if (!net::constant_time_equal(trim(*signature), expected)) {
        return {.ok = false, .why = "X-WC-Webhook-Signature does not match the body"};
    }
    return {.ok = true, .why = {}};
}

std::string WooWebhookChannel::topic(const net::HttpRequest& request) const {
    const auto topic = net::find_header(request.headers, kTopicHeader);
    return topic ? std::string(trim(*topic)) : std::string();
}

std::string WooWebhookChannel::delivery_id(const net::HttpRequest& request) const {
    const auto delivery = net::find_header(request.headers, kDeliveryHeader);
    return delivery ? std::string(trim(*delivery)) : std::string();
}

Result<EnsuredSubscriptions> WooSubscriptions::ensure(const SubscriptionRequest& request) {
    MLC_TRY_CTX(const auto hooks, client_.list_webhooks(), "while listing WooCommerce webhooks");
    EnsuredSubscriptions out;
    for (const std::string& topic : request.topics) {
        if (const Webhook* found = best_match(hooks, topic, request.delivery_url)) {
            out.subscriptions.push_back(subscription_of(*found));
            continue;
        }
        MLC_TRY_CTX(const Webhook created,
                    client_.create_webhook({.name = "mlc " + request.flow + " " + topic,
                                            .topic = topic,
                                            .delivery_url = request.delivery_url,
                                            .secret = request.secret,
                                            .status = "active"}),
                    "while creating the " + topic + " webhook of flow " + request.flow);
        out.subscriptions.push_back(subscription_of(created));
        out.subscriptions.back().created_now = true;
    }
    return out;
}

Result<std::vector<Subscription>> WooSubscriptions::list(const std::string& url_suffix) {
    MLC_TRY_CTX(const auto hooks, client_.list_webhooks(), "while listing WooCommerce webhooks");
    std::vector<Subscription> out;
    for (const Webhook& hook : hooks) {
        if (hook.delivery_url.ends_with(url_suffix)) out.push_back(subscription_of(hook));
    }
    return out;
}

Result<Subscription> WooSubscriptions::enable(const std::string& id) {
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), number);
    if (ec != std::errc{} || end != id.data() + id.size()) {
        return make_error(ErrorCode::kInvalidInput, kWebhookSource,
                          "'" + id + "' is not a WooCommerce webhook id (a number)");
    }
    MLC_TRY_CTX(const Webhook updated, client_.update_webhook_status(number, "active"),
                "while re-enabling WooCommerce webhook " + id);
    return subscription_of(updated);
}

}  // namespace mlc::connectors::woocommerce

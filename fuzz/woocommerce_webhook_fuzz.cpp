// A WooCommerce webhook delivery as the intake and the order recipes see it: the channel
// (activation ping, signature over the raw body, topic and delivery id headers) and then
// OrderEvents::decode (the order JSON -> model::Order, a skip, or a broken payload to park).
//
// Input: "<topic>\n<raw body>" (the topic line may be empty; without a newline it is all body).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/woocommerce/woocommerce_streams.hpp"
#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "net/hmac.hpp"

namespace {

constexpr std::string_view kSecret = "fuzz-secret";
constexpr std::size_t kTopicMax = 128;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace mlc::connectors::woocommerce;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    std::string_view topic;
    std::string_view body = input;
    if (newline != std::string_view::npos && newline <= kTopicMax) {
        topic = input.substr(0, newline);
        body = input.substr(newline + 1);
    }

    mlc::net::HttpRequest request{.method = "POST", .url = "/hooks/orders/woocommerce"};
    request.body = std::string(body);
    const WooWebhookChannel channel;
    (void)channel.is_ping(request);  // No X-WC-* headers yet: the ping check reads the body.
    request.headers = {
        {"X-WC-Webhook-Topic", std::string(topic)},
        {"X-WC-Webhook-Delivery-ID", std::string(topic.substr(0, 8))},
        {"X-WC-Webhook-Signature", mlc::net::woocommerce_signature(kSecret, request.body)}};
    if (!channel.verify(request, kSecret).ok) __builtin_trap();  // Signed with the secret.
    const std::string header_topic = channel.topic(request);
    (void)channel.delivery_id(request);
    (void)channel.is_ping(request);

    const OrderEvents events;
    const auto decoded = events.decode(header_topic, body);
    if (decoded.record && decoded.broken) __builtin_trap();  // One outcome per delivery.
    return 0;
}

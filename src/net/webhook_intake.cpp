#include "net/webhook_intake.hpp"

#include <spdlog/logger.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>

#include "common/assert.hpp"
#include "net/hmac.hpp"

namespace mlc::net {
namespace {

// Flow and source names come from the URL: short identifiers only, so nothing an outsider sends
// reaches the audit log or the metric labels unbounded.
constexpr std::size_t kNameLengthMax = 64;
// Woo's ping body is `webhook_id=<id>`; anything longer is not a ping.
constexpr std::size_t kPingBodyMax = 64;
// Headers copied into the stored event (outside input: bounded).
constexpr std::size_t kStoredHeadersMax = 64;
constexpr std::string_view kWooSignatureHeader = "X-WC-Webhook-Signature";
constexpr std::string_view kWooDeliveryHeader = "X-WC-Webhook-Delivery-ID";
constexpr std::string_view kWooTopicHeader = "X-WC-Webhook-Topic";
constexpr std::string_view kTokenHeader = "X-MLC-Token";
constexpr std::string_view kTokenQuery = "token";

bool valid_name(std::string_view name) {
    return !name.empty() && name.size() <= kNameLengthMax &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                      c == '.';
           });
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

// Credentials never reach the store: the token header and anything that authenticates.
bool is_secret_header(std::string_view name) {
    static constexpr std::array<std::string_view, 4> kSecretHeaders{
        kTokenHeader, "Authorization", "Proxy-Authorization", "Cookie"};
    return std::any_of(kSecretHeaders.begin(), kSecretHeaders.end(), [&](std::string_view secret) {
        return secret.size() == name.size() && starts_with_ci(name, secret);
    });
}

std::string headers_json(const Headers& headers) {
    boost::json::object out;
    std::size_t copied = 0;
    for (const auto& [name, value] : headers) {
        if (copied == kStoredHeadersMax) break;
        if (is_secret_header(name)) continue;
        out[name] = value;
        ++copied;
    }
    return boost::json::serialize(out);
}

// X-WC-Webhook-Topic, else the JSON body's resource_type (ShipStation: "SHIP_NOTIFY").
std::string topic_of(const HttpRequest& request) {
    if (auto topic = find_header(request.headers, kWooTopicHeader)) return std::string(*topic);
    boost::json::error_code ec;
    const boost::json::value body = boost::json::parse(request.body, ec);
    if (ec || !body.is_object()) return {};
    const auto* type = body.as_object().if_contains("resource_type");
    if (type == nullptr || !type->is_string()) return {};
    return std::string(type->as_string());
}

}  // namespace

bool is_woocommerce_ping(const HttpRequest& request) {
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

WebhookIntake::WebhookIntake(WebhookIntakeDeps deps) : deps_(std::move(deps)) {
    MLC_ASSERT(static_cast<bool>(deps_.secrets), "a webhook intake needs a secret provider");
    if (!deps_.logger) deps_.logger = spdlog::default_logger();
}

void WebhookIntake::mount(Router& router) {
    router.add("POST", std::string(kWebhookRoute),
               [this](const HttpRequest& request, const RouteParams& params) {
                   return handle(request, params.at("flow"), params.at("source"));
               });
}

HttpResponse WebhookIntake::handle(const HttpRequest& request, const std::string& flow,
                                   const std::string& source) {
    if (!valid_name(flow) || (source != kWooCommerceSource && source != kShipStationSource)) {
        return json_error(404,
                          "no webhook receiver here: use /hooks/<flow>/woocommerce or "
                          "/hooks/<flow>/shipstation");
    }
    if (source == kWooCommerceSource && is_woocommerce_ping(request)) {
        return answer_ping(request, flow);
    }
    auto secret = deps_.secrets(flow, source);
    if (!secret) {
        deps_.logger->error("webhook {}/{}: secret unavailable: {}", flow, source,
                            secret.error().describe());
        count(flow, source, "unavailable");
        return json_error(503, "webhook secret unavailable; retry later");
    }
    if (!secret->has_value()) {
        return reject(request, flow, source,
                      "no webhook secret configured for this flow and source");
    }
    const Verdict verdict = source == kWooCommerceSource ? verify_woocommerce(request, **secret)
                                                         : verify_shipstation(request, **secret);
    if (!verdict.ok) return reject(request, flow, source, verdict.why);
    return store_event(request, flow, source);
}

WebhookIntake::Verdict WebhookIntake::verify_woocommerce(const HttpRequest& request,
                                                         const std::string& secret) const {
    const auto signature = find_header(request.headers, kWooSignatureHeader);
    if (!signature) return {.ok = false, .why = "missing X-WC-Webhook-Signature"};
    // Over the raw bytes as received: re-encoding parsed JSON never matches (woocommerce.md).
    const std::string expected = woocommerce_signature(secret, request.body);
    if (!constant_time_equal(trim(*signature), expected)) {
        return {.ok = false, .why = "X-WC-Webhook-Signature does not match the body"};
    }
    return {.ok = true, .why = {}};
}

WebhookIntake::Verdict WebhookIntake::verify_shipstation(const HttpRequest& request,
                                                         const std::string& secret) const {
    // ShipStation signs nothing (shipstation.md, Webhooks): the subscribed target_url carries
    // the token, or a proxy in front adds it as a header.
    std::optional<std::string> token = query_param(request.url, kTokenQuery);
    if (!token) {
        if (auto header = find_header(request.headers, kTokenHeader)) token = std::string(*header);
    }
    if (!token) return {.ok = false, .why = "missing token (query ?token= or X-MLC-Token)"};
    if (!constant_time_equal(*token, secret)) return {.ok = false, .why = "wrong token"};
    return {.ok = true, .why = {}};
}

HttpResponse WebhookIntake::reject(const HttpRequest& request, const std::string& flow,
                                   const std::string& source, const std::string& why) {
    store::AuditEvent audit;
    audit.flow = flow;
    audit.direction = source + "->" + flow;
    audit.source_ref = source + ":webhook";
    audit.action = store::AuditAction::kReject;
    audit.outcome = "rejected";
    audit.at = deps_.clock.now();
    audit.detail = "webhook from " + source + " for flow " + flow + " rejected (remote " +
                   (request.remote_address.empty() ? "unknown" : request.remote_address) +
                   "): " + why;
    if (auto written = deps_.store.append_audit(audit); !written) {
        deps_.logger->error("webhook {}/{}: could not write the rejection audit: {}", flow, source,
                            written.error().describe());
    }
    deps_.logger->warn("{}", audit.detail);
    count(flow, source, "rejected");
    return json_error(401, "webhook not verified: " + why);
}

HttpResponse WebhookIntake::answer_ping(const HttpRequest& request, const std::string& flow) {
    store::AuditEvent audit;
    audit.flow = flow;
    audit.direction = std::string(kWooCommerceSource) + "->" + flow;
    audit.source_ref = std::string(kWooCommerceSource) + ":webhook";
    audit.action = store::AuditAction::kReceive;
    audit.outcome = "ping";
    audit.at = deps_.clock.now();
    audit.detail = "WooCommerce webhook ping (" + std::string(trim(request.body)) +
                   ") answered 200, nothing stored";
    if (auto written = deps_.store.append_audit(audit); !written) {
        // The ping carries nothing to lose; Woo only activates the webhook on an exact 200.
        deps_.logger->error("webhook {}/woocommerce: could not audit a ping: {}", flow,
                            written.error().describe());
    }
    count(flow, std::string(kWooCommerceSource), "ping");
    HttpResponse response;
    response.status = 200;  // Exactly 200 (woocommerce.md: only an exact 200 counts).
    response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    response.body = "ok";
    return response;
}

HttpResponse WebhookIntake::store_event(const HttpRequest& request, const std::string& flow,
                                        const std::string& source) {
    store::InboxEvent event;
    event.flow = flow;
    event.source = source;
    if (auto delivery = find_header(request.headers, kWooDeliveryHeader)) {
        event.delivery_id = std::string(trim(*delivery));
    }
    event.body_hash = sha256_hex(request.body);
    event.topic = topic_of(request);
    event.headers_json = headers_json(request.headers);
    event.body = request.body;
    event.received_at = deps_.clock.now();
    auto appended = deps_.store.append_inbox(event);
    if (!appended) {
        // Never 2xx for something not stored: the vendor may retry (Woo counts it a failure).
        deps_.logger->error("webhook {}/{}: inbox append failed: {}", flow, source,
                            appended.error().describe());
        count(flow, source, "store_failed");
        return json_error(503, "event not stored; retry later");
    }
    MLC_ASSERT(appended->id != 0, "a stored or duplicate inbox event has an id");
    if (appended->outcome == store::AppendOutcome::kDuplicate) {
        count(flow, source, "duplicate");
        return json_response(200,
                             R"({"status":"duplicate","id":)" + std::to_string(appended->id) + "}");
    }
    store::AuditEvent audit;
    audit.flow = flow;
    audit.direction = source + "->" + flow;
    audit.source_ref =
        source + ":webhook:" + (event.delivery_id.empty() ? event.body_hash : event.delivery_id);
    audit.target_ref = "inbox:" + std::to_string(appended->id);
    audit.action = store::AuditAction::kReceive;
    audit.outcome = "ok";
    audit.at = event.received_at;
    audit.detail = "webhook " + (event.topic.empty() ? std::string("event") : event.topic) +
                   " stored as inbox event " + std::to_string(appended->id);
    if (auto written = deps_.store.append_audit(audit); !written) {
        // The event itself is stored, which is what the acknowledgement promises.
        deps_.logger->error("webhook {}/{}: could not audit inbox event {}: {}", flow, source,
                            appended->id, written.error().describe());
    }
    count(flow, source, "stored");
    if (deps_.notify) deps_.notify(flow, appended->id);
    return json_response(200, R"({"status":"stored","id":)" + std::to_string(appended->id) + "}");
}

void WebhookIntake::count(const std::string& flow, const std::string& source,
                          std::string_view outcome) {
    if (deps_.metrics == nullptr) return;
    deps_.metrics->increment(
        kWebhookEventsTotal,
        {{"flow", flow}, {"source", source}, {"outcome", std::string(outcome)}});
}

}  // namespace mlc::net

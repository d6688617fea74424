#include "net/webhook_intake.hpp"

#include <spdlog/logger.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "common/assert.hpp"
#include "net/hmac.hpp"

namespace mlc::net {
namespace {

// Flow and source names come from the URL: short identifiers only, so nothing an outsider sends
// reaches the audit log or the metric labels unbounded.
constexpr std::size_t kNameLengthMax = 64;
// A ping's body in its audit detail (outside input: bounded).
constexpr std::size_t kPingDetailMax = 64;
// Headers copied into the stored event (outside input: bounded).
constexpr std::size_t kStoredHeadersMax = 64;

bool valid_name(std::string_view name) {
    return !name.empty() && name.size() <= kNameLengthMax &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                      c == '.';
           });
}

bool equals_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// Credentials never reach the store: the channel's token headers and anything that
// authenticates.
bool is_secret_header(std::string_view name, const std::vector<std::string>& channel_secrets) {
    static constexpr std::array<std::string_view, 3> kSecretHeaders{
        "Authorization", "Proxy-Authorization", "Cookie"};
    const auto same = [&](std::string_view secret) { return equals_ci(name, secret); };
    return std::any_of(kSecretHeaders.begin(), kSecretHeaders.end(), same) ||
           std::any_of(channel_secrets.begin(), channel_secrets.end(), same);
}

std::string headers_json(const Headers& headers, const std::vector<std::string>& channel_secrets) {
    boost::json::object out;
    std::size_t copied = 0;
    for (const auto& [name, value] : headers) {
        if (copied == kStoredHeadersMax) break;
        if (is_secret_header(name, channel_secrets)) continue;
        out[name] = value;
        ++copied;
    }
    return boost::json::serialize(out);
}

std::string known_sources(const net::WebhookChannels& channels) {
    std::string out;
    for (const auto& [source, channel] : channels) {
        out += (out.empty() ? "" : ", ") + std::string("/hooks/<flow>/") + source;
    }
    return out.empty() ? std::string("none is configured") : "use " + out;
}

}  // namespace

WebhookIntake::WebhookIntake(WebhookIntakeDeps deps) : deps_(std::move(deps)) {
    MLC_ASSERT(static_cast<bool>(deps_.secrets), "a webhook intake needs a secret provider");
    if (!deps_.logger) deps_.logger = spdlog::default_logger();
    store::InboxQueueOptions inbox = deps_.inbox;
    if (!inbox.on_retired) {
        inbox.on_retired = [logger = deps_.logger](const Result<store::RetiredInbox>& retired) {
            if (!retired) {
                logger->error("inbox retention: {}", retired.error().describe());
            } else if (retired->events > 0 || retired->keys > 0) {
                logger->info(
                    "inbox retention: {} processed event(s) retired, {} old key(s) "
                    "forgotten",
                    retired->events, retired->keys);
            }
        };
    }
    queue_ = std::make_unique<store::InboxCommitQueue>(deps_.store, deps_.clock, std::move(inbox));
}

void WebhookIntake::mount(Router& router) {
    router.add("POST", std::string(kWebhookRoute),
               [this](const HttpRequest& request, const RouteParams& params) {
                   return handle(request, params.at("flow"), params.at("source"));
               });
}

HttpResponse WebhookIntake::handle(const HttpRequest& request, const std::string& flow,
                                   const std::string& source) {
    const auto found = deps_.channels.find(source);
    if (!valid_name(flow) || found == deps_.channels.end() || !found->second) {
        return json_error(404, "no webhook receiver here: " + known_sources(deps_.channels));
    }
    const net::WebhookChannel& channel = *found->second;
    if (channel.is_ping(request)) return answer_ping(request, flow, channel);
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
    const net::WebhookVerdict verdict = channel.verify(request, **secret);
    if (!verdict.ok) return reject(request, flow, source, verdict.why);
    return store_event(request, flow, channel);
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

HttpResponse WebhookIntake::answer_ping(const HttpRequest& request, const std::string& flow,
                                        const net::WebhookChannel& channel) {
    const std::string source = channel.source();
    store::AuditEvent audit;
    audit.flow = flow;
    audit.direction = source + "->" + flow;
    audit.source_ref = source + ":webhook";
    audit.action = store::AuditAction::kReceive;
    audit.outcome = "ping";
    audit.at = deps_.clock.now();
    audit.detail = channel.label() + " webhook ping (" + request.body.substr(0, kPingDetailMax) +
                   ") answered 200, nothing stored";
    if (auto written = deps_.store.append_audit(audit); !written) {
        // The ping carries nothing to lose; the vendor may only activate on an exact 200.
        deps_.logger->error("webhook {}/{}: could not audit a ping: {}", flow, source,
                            written.error().describe());
    }
    count(flow, source, "ping");
    HttpResponse response;
    response.status = 200;  // Exactly 200 (woocommerce.md: only an exact 200 counts).
    response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    response.body = "ok";
    return response;
}

HttpResponse WebhookIntake::store_event(const HttpRequest& request, const std::string& flow,
                                        const net::WebhookChannel& channel) {
    const std::string source = channel.source();
    store::InboxEvent event;
    event.flow = flow;
    event.source = source;
    event.delivery_id = channel.delivery_id(request);
    event.body_hash = sha256_hex(request.body);
    event.topic = channel.topic(request);
    event.headers_json = headers_json(request.headers, channel.secret_headers());
    event.body = request.body;
    event.received_at = deps_.clock.now();
    // The receipt goes in the same transaction as the event (the store names the inbox id in
    // its target_ref); a duplicate writes none.
    store::InboxAppend delivery{.event = std::move(event)};
    const store::InboxEvent& stored = delivery.event;
    store::AuditEvent& audit = delivery.receipt;
    audit.flow = flow;
    audit.direction = source + "->" + flow;
    audit.source_ref =
        source + ":webhook:" + (stored.delivery_id.empty() ? stored.body_hash : stored.delivery_id);
    audit.action = store::AuditAction::kReceive;
    audit.outcome = "ok";
    audit.at = stored.received_at;
    audit.detail = "webhook " + (stored.topic.empty() ? std::string("event") : stored.topic) +
                   " stored in the inbox";
    auto appended = queue_->append(std::move(delivery));
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

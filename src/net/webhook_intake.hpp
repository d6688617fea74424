#pragma once
// WebhookIntake: the push edge. POST /hooks/{flow}/{source} is verified per source, appended to
// the durable inbox (StateStore::append_inbox) and only then answered 2xx; the flow processes it
// later from the inbox (ARCHITECTURE.md, "Push path"). Thin edge: verify, append, answer.
//
//  * woocommerce: X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, decoded secret)),
//    checked over the raw bytes before any parsing, in constant time (woocommerce.md, Webhooks).
//    Woo's creation ping (form body `webhook_id=<id>`, no X-WC-* headers) is answered exactly 200
//    and stored nowhere but the audit log: only an exact 200 activates the webhook.
//  * shipstation: no signature exists (shipstation.md, Webhooks), so the target URL carries a
//    secret token, `?token=...`, or the header X-MLC-Token; compared in constant time.
//
// Answers: 200 stored or duplicate (same delivery id or body hash: stored once); 401 unverifiable
// (audit kReject with flow, source, remote address and reason; never the body or the secret);
// 404 unknown source; 503 when the secret or the store is unavailable (the vendor may retry):
// never a 2xx for an event that is not stored.
//
// Lifecycle: construct with its dependencies, mount() on a router, serve.
// Thread safety: handle() is safe from several threads (the store and the callbacks must be).
// Ownership: borrows the store, clock, metrics and logger (they outlive it); owns the callbacks.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_types.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::net {

inline constexpr std::string_view kWooCommerceSource = "woocommerce";
inline constexpr std::string_view kShipStationSource = "shipstation";
inline constexpr std::string_view kWebhookRoute = "/hooks/{flow}/{source}";

// The webhook secret (Woo) or URL token (ShipStation) of (flow, source), as stored; nullopt when
// none is configured (every delivery is then rejected). An error (vault unavailable) answers 503.
using WebhookSecretProvider = std::function<Result<std::optional<std::string>>(
    const std::string& flow, const std::string& source)>;
// Called after an event is stored, so the engine can wake the flow. Must not block for long.
using WebhookNotify = std::function<void(const std::string& flow, std::int64_t event_id)>;

struct WebhookIntakeDeps {
    store::StateStore& store;
    Clock& clock;
    WebhookSecretProvider secrets;
    WebhookNotify notify = {};                         // Optional.
    Metrics* metrics = nullptr;                        // Optional: kWebhookEventsTotal.
    std::shared_ptr<spdlog::logger> logger = nullptr;  // Optional: the default logger.
};

class WebhookIntake {
  public:
    explicit WebhookIntake(WebhookIntakeDeps deps);

    // Adds POST kWebhookRoute to `router`; this intake must outlive the router's use.
    void mount(Router& router);
    HttpResponse handle(const HttpRequest& request, const std::string& flow,
                        const std::string& source);

  private:
    struct Verdict {
        bool ok = false;
        std::string why;  // Why it was rejected: names the missing or wrong part, no values.
    };
    Verdict verify_woocommerce(const HttpRequest& request, const std::string& secret) const;
    Verdict verify_shipstation(const HttpRequest& request, const std::string& secret) const;
    HttpResponse reject(const HttpRequest& request, const std::string& flow,
                        const std::string& source, const std::string& why);
    HttpResponse answer_ping(const HttpRequest& request, const std::string& flow);
    HttpResponse store_event(const HttpRequest& request, const std::string& flow,
                             const std::string& source);
    void count(const std::string& flow, const std::string& source, std::string_view outcome);

    WebhookIntakeDeps deps_;
};

// True for WooCommerce's activation ping: a short form body `webhook_id=<digits>` and no X-WC-*
// header at all.
bool is_woocommerce_ping(const HttpRequest& request);

}  // namespace mlc::net

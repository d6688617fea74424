#pragma once
// WebhookIntake: the push edge. POST /hooks/{flow}/{source} is verified by the webhook channel
// registered for {source} (net/webhook_channel.hpp: the intake knows no vendor by name),
// appended to the durable inbox (StateStore::append_inbox) and only then answered 2xx; the flow
// processes it later from the inbox (ARCHITECTURE.md, "Push path"). Thin edge: verify, append,
// answer. A channel's ping (Woo's activation ping) is answered exactly 200 before any secret is
// read and stored nowhere but the audit log.
//
// Answers: 200 stored or duplicate (same delivery id or body hash: stored once); 401 unverifiable
// (audit kReject with flow, source, remote address and reason; never the body or the secret);
// 404 no channel for the source; 503 when the secret or the store is unavailable (the vendor may
// retry): never a 2xx for an event that is not stored.
//
// Durability and speed: the event and its receipt audit are one transaction, and deliveries
// handled at the same time share it (store::InboxCommitQueue, group commit: one fsync for all,
// each answered only after it). The same queue retires processed events past `inbox.retention`
// (their keys kept for the duplicate window). Secrets come from `secrets` per delivery: cache
// them there (pipeline::webhook_secrets does).
//
// Lifecycle: construct with its dependencies, mount() on a router, serve.
// Thread safety: handle() is safe from several threads (the store, the channels and the
// callbacks must be); as many deliveries share a commit as server threads wait in handle().
// Ownership: borrows the store, clock, metrics and logger (they outlive it); owns the callbacks,
// the commit queue, and shares the channels.

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
#include "net/webhook_channel.hpp"
#include "store/inbox_commit_queue.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::net {

inline constexpr std::string_view kWebhookRoute = "/hooks/{flow}/{source}";

// The webhook secret (a signing secret, a URL token: the channel's business) of (flow, source), as
// stored; nullopt when none is configured (every delivery is then rejected). An error (vault
// unavailable) answers 503.
using WebhookSecretProvider = std::function<Result<std::optional<std::string>>(
    const std::string& flow, const std::string& source)>;
// Called after an event is stored, so the engine can wake the flow. Must not block for long.
using WebhookNotify = std::function<void(const std::string& flow, std::int64_t event_id)>;

struct WebhookIntakeDeps {
    store::StateStore& store;
    Clock& clock;
    WebhookSecretProvider secrets;
    net::WebhookChannels channels = {};                // By source; any other source is a 404.
    WebhookNotify notify = {};                         // Optional.
    Metrics* metrics = nullptr;                        // Optional: kWebhookEventsTotal.
    std::shared_ptr<spdlog::logger> logger = nullptr;  // Optional: the default logger.
    store::InboxQueueOptions inbox = {};               // Group commit and retention.
};

class WebhookIntake {
  public:
    explicit WebhookIntake(WebhookIntakeDeps deps);

    // Adds POST kWebhookRoute to `router`; this intake must outlive the router's use.
    void mount(Router& router);
    HttpResponse handle(const HttpRequest& request, const std::string& flow,
                        const std::string& source);

  private:
    HttpResponse reject(const HttpRequest& request, const std::string& flow,
                        const std::string& source, const std::string& why);
    HttpResponse answer_ping(const HttpRequest& request, const std::string& flow,
                             const net::WebhookChannel& channel);
    HttpResponse store_event(const HttpRequest& request, const std::string& flow,
                             const net::WebhookChannel& channel);
    void count(const std::string& flow, const std::string& source, std::string_view outcome);

    WebhookIntakeDeps deps_;
    std::unique_ptr<store::InboxCommitQueue> queue_;
};

}  // namespace mlc::net

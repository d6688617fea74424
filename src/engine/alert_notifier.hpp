#pragma once
// Alert notifications: every alert in the store (whoever raised it: the rules of alert_rules.hpp,
// the token manager, webhook registration, ...) is announced once on each configured channel when
// it opens, and once more when it ends (resolved, or acknowledged).
//
// Channels (config `alerts.email` / `alerts.webhook`, config.hpp):
//  * EmailChannel: a plain-text mail over SMTP with STARTTLS (net/smtp_client.hpp, libcurl).
//  * WebhookChannel: POST of Slack-compatible JSON {"text": "...", "alert": {id, key, flow,
//    severity, status, message, raised_at, last_seen, count, resolved_at}, "event": "raised" |
//    "resolved" | "acknowledged" | "test"}. With a signing secret it carries
//    X-Mlc-Timestamp: <unix seconds> and X-Mlc-Signature: v1=<hex HMAC-SHA256(secret,
//    "<timestamp>.<body>")> (libsodium), so a receiver can check origin and freshness.
//    Any answer but 2xx is a failed delivery.
//
// AlertDispatcher::dispatch() is the delivery loop the daemon runs on every tick: what each
// channel has announced is kept in the store (setting "alert_notice:<channel>:<alert id>" =
// "raised" | "resolved"), so a restart neither repeats nor loses a notice. A failed delivery is
// logged (warn), audited (action kFail, direction "alerts", target_ref "notify:<channel>") and
// retried on a later dispatch() after a backoff on the clock (30 s doubling up to
// `alerts.retry_backoff_max`), for as long as it takes; a delivered one is audited too (kCreate).
// An alert that opened and ended before any notice went out is not announced.
//
// Lifecycle: one per daemon (or per `mlc alerts test`). Thread safety: one thread at a time.
// Borrows clock, store, logger and (WebhookChannel) the transport.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "net/http_transport.hpp"
#include "net/smtp_client.hpp"
#include "store/state_store.hpp"

namespace spdlog {
class logger;
}

namespace mlc::engine {

enum class NoticeEvent { kRaised, kResolved, kAcknowledged, kTest };
std::string_view to_string(NoticeEvent event);

struct AlertNotice {
    NoticeEvent event = NoticeEvent::kRaised;
    store::Alert alert = {};
};

// "[mlc] RAISED error flow_failing:orders" and the text body, shared by every channel.
std::string notice_subject(const AlertNotice& notice);
std::string notice_text(const AlertNotice& notice);
// The webhook body (Slack-compatible) and its signature header value "v1=<hex>".
std::string notice_json(const AlertNotice& notice);
std::string notice_signature(const std::string& secret, std::int64_t unix_seconds,
                             const std::string& body);

class AlertChannel {
  public:
    virtual ~AlertChannel() = default;
    virtual std::string name() const = 0;  // "email", "webhook"
    virtual Result<void> send(const AlertNotice& notice) = 0;
};

class EmailChannel final : public AlertChannel {
  public:
    // `password` read from the vault by the caller (empty without a login).
    EmailChannel(const AlertEmailConfig& config, std::string password, Clock& clock);
    std::string name() const override { return "email"; }
    Result<void> send(const AlertNotice& notice) override;

  private:
    AlertEmailConfig config_;
    net::SmtpServer server_;
    Clock& clock_;
};

class WebhookChannel final : public AlertChannel {
  public:
    // `signing_secret` read from the vault by the caller (empty: unsigned).
    WebhookChannel(std::string url, std::string signing_secret, net::HttpTransport& transport,
                   Clock& clock);
    std::string name() const override { return "webhook"; }
    Result<void> send(const AlertNotice& notice) override;

  private:
    std::string url_;
    std::string secret_;
    net::HttpTransport& transport_;
    Clock& clock_;
};

inline constexpr std::chrono::seconds kNoticeRetryFirst{30};

struct DispatchSummary {
    int delivered = 0;
    int failed = 0;  // Left for a later dispatch().
};

class AlertDispatcher {
  public:
    AlertDispatcher(Clock& clock, store::StateStore& store, spdlog::logger& log,
                    std::vector<std::unique_ptr<AlertChannel>> channels,
                    std::chrono::seconds retry_backoff_max);

    bool has_channels() const { return !channels_.empty(); }
    // Sends what is due (see above). A store error stops the pass.
    Result<DispatchSummary> dispatch();
    // `mlc alerts test`: one test notice on every channel, now; per channel its outcome.
    std::vector<std::pair<std::string, Result<void>>> send_test();

  private:
    struct Retry {
        int failures = 0;
        UtcTime next{};
    };
    Result<void> deliver(AlertChannel& channel, const AlertNotice& notice, const std::string& state,
                         DispatchSummary& out);

    Clock& clock_;
    store::StateStore& store_;
    spdlog::logger& log_;
    std::vector<std::unique_ptr<AlertChannel>> channels_;
    std::chrono::seconds backoff_max_;
    std::map<std::pair<std::string, std::int64_t>, Retry> retries_;  // (channel, alert id)
};

}  // namespace mlc::engine

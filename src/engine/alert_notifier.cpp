#include "engine/alert_notifier.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "net/hmac.hpp"

namespace mlc::engine {
namespace {

std::string notice_setting_key(const std::string& channel, std::int64_t id) {
    return "alert_notice:" + channel + ":" + std::to_string(id);
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

NoticeEvent closing_event(const store::Alert& alert) {
    return alert.status == store::AlertStatus::kAcknowledged ? NoticeEvent::kAcknowledged
                                                             : NoticeEvent::kResolved;
}

}  // namespace

std::string_view to_string(NoticeEvent event) {
    switch (event) {
        case NoticeEvent::kRaised:
            return "raised";
        case NoticeEvent::kResolved:
            return "resolved";
        case NoticeEvent::kAcknowledged:
            return "acknowledged";
        case NoticeEvent::kTest:
            return "test";
    }
    return "unknown";
}

std::string notice_subject(const AlertNotice& notice) {
    return "[mlc] " + upper(to_string(notice.event)) + " " + notice.alert.severity + " " +
           notice.alert.key;
}

std::string notice_text(const AlertNotice& notice) {
    const store::Alert& a = notice.alert;
    std::string text = notice_subject(notice) + "\n\n" + a.message + "\n\n";
    if (!a.flow.empty()) text += "flow: " + a.flow + "\n";
    text += "raised at: " + format_iso8601(a.raised_at) + "\n";
    if (a.count > 1) {
        text += "seen " + std::to_string(a.count) + " times, last at " +
                format_iso8601(a.last_seen) + "\n";
    }
    if (a.resolved_at) text += "resolved at: " + format_iso8601(*a.resolved_at) + "\n";
    if (a.acknowledged_at) text += "acknowledged at: " + format_iso8601(*a.acknowledged_at) + "\n";
    if (a.id != 0) text += "alert id: " + std::to_string(a.id) + " (`mlc alerts list`)\n";
    return text;
}

std::string notice_json(const AlertNotice& notice) {
    const store::Alert& a = notice.alert;
    boost::json::object alert{{"id", a.id},
                              {"key", a.key},
                              {"flow", a.flow},
                              {"severity", a.severity},
                              {"status", to_string(a.status)},
                              {"message", a.message},
                              {"raised_at", format_iso8601(a.raised_at)},
                              {"last_seen", format_iso8601(a.last_seen)},
                              {"count", a.count}};
    if (a.resolved_at) alert["resolved_at"] = format_iso8601(*a.resolved_at);
    const boost::json::object body{
        {"text", notice_subject(notice) + ": " + a.message},
        {"event", to_string(notice.event)},
        {"alert", alert},
    };
    return boost::json::serialize(body);
}

std::string notice_signature(const std::string& secret, std::int64_t unix_seconds,
                             const std::string& body) {
    return "v1=" +
           net::hex_encode(net::hmac_sha256(secret, std::to_string(unix_seconds) + "." + body));
}

EmailChannel::EmailChannel(const AlertEmailConfig& config, std::string password, Clock& clock)
    : config_(config),
      server_{.url = config.smtp_url,
              .username = config.username,
              .password = std::move(password),
              .ca_file = config.ca_file},
      clock_(clock) {}

Result<void> EmailChannel::send(const AlertNotice& notice) {
    const net::MailMessage mail{
        .from = config_.from,
        .to = config_.to,
        .subject = notice_subject(notice),
        .body = notice_text(notice),
        .date = clock_.now(),
        .message_id = "mlc-alert-" + std::to_string(notice.alert.id) + "-" +
                      std::string(to_string(notice.event)) + "-" +
                      std::to_string(clock_.now().time_since_epoch().count()) + "@mlc"};
    return net::send_mail(server_, mail);
}

WebhookChannel::WebhookChannel(std::string url, std::string signing_secret,
                               net::HttpTransport& transport, Clock& clock)
    : url_(std::move(url)),
      secret_(std::move(signing_secret)),
      transport_(transport),
      clock_(clock) {}

Result<void> WebhookChannel::send(const AlertNotice& notice) {
    net::HttpRequest request{
        .method = "POST", .url = url_, .headers = {}, .body = notice_json(notice)};
    request.headers.emplace_back("Content-Type", "application/json");
    if (!secret_.empty()) {
        const auto seconds =
            std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch())
                .count();
        request.headers.emplace_back("X-Mlc-Timestamp", std::to_string(seconds));
        request.headers.emplace_back("X-Mlc-Signature",
                                     notice_signature(secret_, seconds, request.body));
    }
    MLC_TRY(auto answer, transport_.send(request));
    if (answer.status < 200 || answer.status > 299) {
        return make_error(ErrorCode::kTransient, "alerts",
                          "alert webhook answered HTTP " + std::to_string(answer.status));
    }
    return ok();
}

AlertDispatcher::AlertDispatcher(Clock& clock, store::StateStore& store, spdlog::logger& log,
                                 std::vector<std::unique_ptr<AlertChannel>> channels,
                                 std::chrono::seconds retry_backoff_max)
    : clock_(clock),
      store_(store),
      log_(log),
      channels_(std::move(channels)),
      backoff_max_(retry_backoff_max) {}

Result<DispatchSummary> AlertDispatcher::dispatch() {
    DispatchSummary out;
    if (channels_.empty()) return out;
    MLC_TRY(auto alerts, store_.list_alerts(std::nullopt));
    for (auto& channel : channels_) {
        for (const store::Alert& alert : alerts) {
            MLC_TRY(auto stored, store_.get_setting(notice_setting_key(channel->name(), alert.id)));
            const std::string state = stored.value_or("");
            const bool open = alert.status == store::AlertStatus::kOpen;
            if (open && state.empty()) {
                MLC_CHECK(deliver(*channel, {NoticeEvent::kRaised, alert}, "raised", out));
            } else if (!open && state == "raised") {
                MLC_CHECK(deliver(*channel, {closing_event(alert), alert}, "resolved", out));
            }
        }
    }
    return out;
}

Result<void> AlertDispatcher::deliver(AlertChannel& channel, const AlertNotice& notice,
                                      const std::string& state, DispatchSummary& out) {
    const auto retry_key = std::make_pair(channel.name(), notice.alert.id);
    const UtcTime now = clock_.now();
    auto retry = retries_.find(retry_key);
    if (retry != retries_.end() && now < retry->second.next) return ok();
    store::AuditEvent event{
        .flow = notice.alert.flow,
        .direction = "alerts",
        .source_ref = "alert:" + std::to_string(notice.alert.id),
        .target_ref = "notify:" + channel.name(),
        .action = store::AuditAction::kCreate,
        .outcome = "ok",
        .attempt = retry == retries_.end() ? 1 : retry->second.failures + 1,
        .at = now,
        .detail = std::string(to_string(notice.event)) + " notice for " + notice.alert.key};
    auto sent = channel.send(notice);
    if (sent) {
        retries_.erase(retry_key);
        ++out.delivered;
        log_.info("alert {} ({}): {} notice sent by {}", notice.alert.id, notice.alert.key,
                  to_string(notice.event), channel.name());
        (void)store_.append_audit(event);
        return store_.put_setting(notice_setting_key(channel.name(), notice.alert.id), state);
    }
    Retry& r = retries_[retry_key];
    ++r.failures;
    const auto doubling = kNoticeRetryFirst * (1LL << std::min(r.failures - 1, 20));
    r.next = now + std::min<std::chrono::seconds>(doubling, backoff_max_);
    ++out.failed;
    log_.warn("alert {} ({}): {} notice by {} failed (attempt {}, next in {}s): {}",
              notice.alert.id, notice.alert.key, to_string(notice.event), channel.name(),
              r.failures, std::chrono::duration_cast<std::chrono::seconds>(r.next - now).count(),
              sent.error().describe());
    event.action = store::AuditAction::kFail;
    event.outcome = std::string(to_string(sent.error().code));
    event.detail += ": " + sent.error().describe();
    if (auto appended = store_.append_audit(event); !appended) {
        log_.warn("could not audit the failed notice: {}", appended.error().describe());
    }
    return ok();
}

std::vector<std::pair<std::string, Result<void>>> AlertDispatcher::send_test() {
    std::vector<std::pair<std::string, Result<void>>> out;
    const UtcTime now = clock_.now();
    const AlertNotice notice{
        .event = NoticeEvent::kTest,
        .alert = {.id = 0,
                  .key = "test",
                  .flow = "",
                  .severity = "info",
                  .message = "a test notification from `mlc alerts test`: this channel works",
                  .status = store::AlertStatus::kOpen,
                  .raised_at = now,
                  .acknowledged_at = std::nullopt,
                  .last_seen = now}};
    for (auto& channel : channels_) out.emplace_back(channel->name(), channel->send(notice));
    return out;
}

}  // namespace mlc::engine

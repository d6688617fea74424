#include "engine/alert_rules.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "auth/vault.hpp"
#include "common/time.hpp"
#include "engine/last_run.hpp"
#include "engine/scheduler.hpp"

namespace mlc::engine {

struct AlertRules::Finding {
    std::string severity;
    std::string message;
};

std::string flow_failing_key(const std::string& flow) { return "flow_failing:" + flow; }
std::string flow_lagging_key(const std::string& flow) { return "flow_lagging:" + flow; }
std::string dead_letters_key(const std::string& flow) { return "dead_letters:" + flow; }
std::string connection_failing_key(const std::string& flow) { return "connection_failing:" + flow; }
std::string webhook_silent_key(const std::string& flow) { return "webhook_silent:" + flow; }
std::string secret_expiring_key(const std::string& secret) { return "secret_expiring:" + secret; }

Result<std::optional<std::chrono::seconds>> webhook_silent_after(const FlowConfig& flow) {
    const auto found = flow.options.find(kWebhookSilentAfterOption);
    if (found == flow.options.end()) return std::optional<std::chrono::seconds>();
    auto parsed = parse_duration(found->second);
    if (!parsed || parsed->count() < 0) {
        return make_error(ErrorCode::kConfig, "flow " + flow.name +
                                                  ": options.webhook_silent_after '" +
                                                  found->second + "' is not a duration (e.g. 6h)");
    }
    const auto span = std::chrono::duration_cast<std::chrono::seconds>(*parsed);
    if (span.count() == 0) return std::optional<std::chrono::seconds>();
    return std::optional<std::chrono::seconds>(span);
}

void WebhookActivity::delivered(const std::string& flow, UtcTime at) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = last_.emplace(flow, at);
    if (!inserted) it->second = std::max(it->second, at);
}

std::optional<UtcTime> WebhookActivity::last(const std::string& flow) const {
    std::lock_guard lock(mutex_);
    const auto found = last_.find(flow);
    if (found == last_.end()) return std::nullopt;
    return found->second;
}

std::string describe_span(std::chrono::seconds span) {
    using namespace std::chrono;
    const auto s = std::max<std::int64_t>(span.count(), 0);
    if (s < 60) return std::to_string(s) + "s";
    if (s < 3600) return std::to_string(s / 60) + "m";
    if (s < 86'400) {
        const auto m = (s % 3600) / 60;
        return m != 0 ? fmt::format("{}h {}m", s / 3600, m) : fmt::format("{}h", s / 3600);
    }
    const auto h = (s % 86'400) / 3600;
    return h != 0 ? fmt::format("{}d {}h", s / 86'400, h) : fmt::format("{}d", s / 86'400);
}

AlertRules::AlertRules(Clock& clock, store::StateStore& store, spdlog::logger& log,
                       AlertsConfig config, std::vector<WatchedFlow> flows)
    : clock_(clock),
      store_(store),
      log_(log),
      config_(std::move(config)),
      flows_(std::move(flows)),
      started_(clock.now()) {}

Result<AlertEvaluation> AlertRules::evaluate() {
    MLC_TRY(auto open, store_.list_alerts(store::AlertStatus::kOpen));
    MLC_TRY(auto acknowledged, store_.list_alerts(store::AlertStatus::kAcknowledged));
    current_ = std::move(open);
    current_.insert(current_.end(), acknowledged.begin(), acknowledged.end());
    AlertEvaluation out;
    for (const WatchedFlow& flow : flows_) MLC_CHECK(evaluate_flow(flow, out));
    MLC_CHECK(evaluate_secrets(out));
    return out;
}

Result<void> AlertRules::evaluate_flow(const WatchedFlow& flow, AlertEvaluation& out) {
    const UtcTime now = clock_.now();
    const auto since = [&](UtcTime t) {
        return std::chrono::duration_cast<std::chrono::seconds>(now - t);
    };
    std::optional<LastRun> last;
    MLC_TRY(auto stored, store_.get_setting(last_run_setting_key(flow.name)));
    if (stored) {
        if (auto parsed = parse_last_run(*stored)) last = std::move(*parsed);
    }
    std::optional<Finding> failing;
    if (last && last->failed() && last->failing_since &&
        since(*last->failing_since) >= config_.flow_failing_after) {
        failing = Finding{
            "error", "flow " + flow.name + " has failed every run for " +
                         describe_span(since(*last->failing_since)) + " (since " +
                         format_iso8601(*last->failing_since) + "); last error: " + last->error +
                         ". Check the vendor and the connection (`mlc ping " + flow.name +
                         "`); runs go on and it clears by itself after a good run."};
    }
    MLC_CHECK(apply(flow_failing_key(flow.name), flow.name, failing, out));

    std::optional<Finding> lagging;
    MLC_TRY(auto paused_setting, store_.get_setting(paused_setting_key(flow.name)));
    const bool paused = paused_setting.value_or("") == "1";
    MLC_CHECK(evaluate_connections(flow, paused, out));
    MLC_CHECK(evaluate_silence(flow, paused, out));
    if (flow.every && !failing && !paused) {
        // Counted from this process's start at the earliest: a daemon that was down is no lag.
        const UtcTime good = last && last->last_ok ? std::max(*last->last_ok, started_) : started_;
        const auto limit = *flow.every * config_.flow_lagging_intervals;
        if (since(good) >= limit && !(last && last->failed())) {
            lagging = Finding{"warning", "flow " + flow.name + " has had no good run for " +
                                             describe_span(since(good)) + " (" +
                                             std::to_string(config_.flow_lagging_intervals) +
                                             " x its " + describe_span(*flow.every) +
                                             " interval): look at `mlc status` for a run that "
                                             "does not end or a lease another worker holds."};
        }
    }
    MLC_CHECK(apply(flow_lagging_key(flow.name), flow.name, lagging, out));

    const auto max = static_cast<std::size_t>(config_.dead_letters_max);
    MLC_TRY(auto letters,
            store_.list_dead_letters(flow.name, store::DeadLetterStatus::kOpen, max + 1));
    std::optional<Finding> letters_finding;
    if (letters.size() > max) {
        letters_finding =
            Finding{"warning", "flow " + flow.name + " has more than " + std::to_string(max) +
                                   " open dead letters: see `mlc deadletters list " + flow.name +
                                   "`, fix the cause and replay them."};
    }
    return apply(dead_letters_key(flow.name), flow.name, letters_finding, out);
}

Result<void> AlertRules::evaluate_connections(const WatchedFlow& flow, bool paused,
                                              AlertEvaluation& out) {
    if (!flow.check_connections || paused) return ok();  // Paused: the alert stays as it was.
    const UtcTime now = clock_.now();
    const auto checked = connections_checked_.find(flow.name);
    if (checked != connections_checked_.end() &&
        now - checked->second < config_.connection_check_every) {
        return ok();
    }
    connections_checked_[flow.name] = now;
    std::optional<Finding> finding;
    if (auto problem = flow.check_connections()) {
        finding =
            Finding{"error", "flow " + flow.name + ": a connection fails its check: " + *problem +
                                 ". Runs will fail until it is fixed; `mlc ping " + flow.name +
                                 "` shows every check."};
    }
    return apply(connection_failing_key(flow.name), flow.name, finding, out);
}

Result<void> AlertRules::evaluate_silence(const WatchedFlow& flow, bool paused,
                                          AlertEvaluation& out) {
    if (!flow.webhook_silent_after) return ok();
    const UtcTime now = clock_.now();
    const std::optional<UtcTime> delivered =
        webhooks_ != nullptr ? webhooks_->last(flow.name) : std::nullopt;
    // Counted from this process's start at the earliest, as the lag rule.
    const UtcTime since = delivered ? std::max(*delivered, started_) : started_;
    const auto silent = std::chrono::duration_cast<std::chrono::seconds>(now - since);
    std::optional<Finding> finding;
    if (!paused && silent >= *flow.webhook_silent_after) {
        finding = Finding{
            "warning",
            "flow " + flow.name + " has received no webhook delivery for " + describe_span(silent) +
                " (webhook_silent_after " + describe_span(*flow.webhook_silent_after) +
                (delivered ? "; last at " + format_iso8601(*delivered) : std::string()) +
                "): check the vendor's webhook subscriptions (`mlc webhooks list`) and that "
                "server.public_url reaches this server; polls go on meanwhile."};
    }
    return apply(webhook_silent_key(flow.name), flow.name, finding, out);
}

Result<void> AlertRules::evaluate_secrets(AlertEvaluation& out) {
    if (vault_ == nullptr) return ok();
    MLC_TRY(const auto expiries, vault_->expiries());
    const UtcTime now = clock_.now();
    std::vector<std::string> raised;
    for (const auto& [name, expires] : expiries) {
        if (expires - now > config_.secrets_expire_within) continue;
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(expires - now);
        const std::string when = left.count() > 0 ? "expires in " + describe_span(left)
                                                  : "expired " + describe_span(-left) + " ago";
        const Finding finding{left.count() > 0 ? "warning" : "error",
                              "secret " + name + " " + when + " (" + format_iso8601(expires) +
                                  "): renew it with the vendor, then `mlc secret set " + name +
                                  " --expires YYYY-MM-DD` with the new value and date."};
        MLC_CHECK(apply(secret_expiring_key(name), "", finding, out));
        raised.push_back(secret_expiring_key(name));
    }
    // Renewed (a later date, or set again without one) or removed: the alert ends.
    for (const store::Alert& alert : current_) {
        if (!alert.key.starts_with(secret_expiring_key("")) ||
            std::find(raised.begin(), raised.end(), alert.key) != raised.end()) {
            continue;
        }
        MLC_CHECK(apply(alert.key, "", std::nullopt, out));
    }
    return ok();
}

Result<void> AlertRules::apply(const std::string& key, const std::string& flow,
                               const std::optional<Finding>& finding, AlertEvaluation& out) {
    const auto current = std::find_if(current_.begin(), current_.end(),
                                      [&](const store::Alert& a) { return a.key == key; });
    const bool exists = current != current_.end();
    if (!finding) {
        if (!exists) return ok();
        MLC_TRY(int resolved, store_.resolve_alert(key, clock_.now()));
        out.resolved += resolved > 0 ? 1 : 0;
        log_.info("alert {} resolved", key);
        return ok();
    }
    if (exists && current->status == store::AlertStatus::kAcknowledged) return ok();
    MLC_TRY(auto id, store_.raise_alert(store::Alert{.id = 0,
                                                     .key = key,
                                                     .flow = flow,
                                                     .severity = finding->severity,
                                                     .message = finding->message,
                                                     .status = store::AlertStatus::kOpen,
                                                     .raised_at = clock_.now(),
                                                     .acknowledged_at = std::nullopt}));
    if (exists) {
        ++out.updated;
    } else {
        ++out.raised;
        log_.warn("alert {} raised (id {}): {}", key, id, finding->message);
    }
    return ok();
}

}  // namespace mlc::engine

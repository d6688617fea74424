#include "flows/epicor_ups/track_alert.hpp"

#include <algorithm>
#include <utility>

#include "common/time.hpp"
#include "connectors/ups/ups_json.hpp"
#include "connectors/ups/ups_track_alert.hpp"
#include "engine/webhooks.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "pipeline/compose.hpp"
#include "pipeline/page.hpp"

namespace mlc::flows::epicor_ups {
namespace {

namespace ups = connectors::ups;
using std::chrono::hours;

constexpr std::string_view kReleasePrefix = "release:";
constexpr std::string_view kNew = "new";
constexpr std::string_view kSubscribed = "subscribed";
constexpr std::size_t kWatchedMax = 10'000;  // Packages in flight one upkeep reads.
constexpr const char* kDirection = "mlc->ups";

std::string alert_key(const std::string& flow) { return "track-alert:" + flow; }

std::string package_ref(const std::string& number) { return "ups:package:" + number; }

// A watch-list binding: watched (kPending) until `word` ends it.
store::Binding watch(const std::string& flow, const std::string& number,
                     const std::string& target_id, std::string_view word, std::string due) {
    const bool watched = word == kNew || word == kSubscribed;
    return store::Binding{
        .flow = flow,
        .source_system = kTrackAlertSystem,
        .source_key = number,
        .target_id = target_id,
        .content_hash = std::string(word),
        .state = watched ? store::BindingState::kPending : store::BindingState::kConfirmed,
        .source_version = std::move(due),
        .created_at = {},
        .updated_at = {}};
}

void raise(engine::RunContext& ctx, std::string message) {
    (void)ctx.store.raise_alert(store::Alert{.id = 0,
                                             .key = alert_key(ctx.flow),
                                             .flow = ctx.flow,
                                             .severity = "warning",
                                             .message = std::move(message),
                                             .status = store::AlertStatus::kOpen,
                                             .raised_at = ctx.clock.now(),
                                             .acknowledged_at = std::nullopt});
}

void acknowledge(engine::RunContext& ctx) {
    auto open = ctx.store.list_alerts(store::AlertStatus::kOpen);
    if (!open) return;
    for (const store::Alert& alert : *open) {
        if (alert.key == alert_key(ctx.flow)) {
            (void)ctx.store.resolve_alert(alert.key, ctx.clock.now());  // The problem ended.
            break;
        }
    }
}

}  // namespace

TrackAlertOptions read_track_alert_options(pipeline::OptionReader& read) {
    TrackAlertOptions o;
    (void)read.duration("webhook_silent_after", {});  // Read by the alert rules.
    o.enabled = read.choice("tracking_via", "quantum_view", {"quantum_view", "track_alert"}) ==
                "track_alert";
    o.renew_after = read.duration("track_alert_renew_after", o.renew_after);
    if (o.renew_after < hours(1) || o.renew_after >= hours(24 * 14)) {
        read.reject("track_alert_renew_after",
                    "must be from 1h to under 14d (UPS ends a subscription after 14 days)");
    }
    o.quantum_view_every =
        read.duration("quantum_view_every", o.enabled ? hours(1) : std::chrono::seconds{0});
    return o;
}

// ---- The push decoder ------------------------------------------------------------------------

class TrackAlert::Decoder final : public connectors::EventDecoder<model::TrackingEvent> {
  public:
    Decoder(store::StateStore& store, std::string flow) : store_(store), flow_(std::move(flow)) {}

    // Reads the watch list (the local store; no vendor call) for the package's release.
    connectors::Decoded<model::TrackingEvent> decode(std::string_view topic,
                                                     std::string_view body) const override {
        (void)topic;
        auto package = ups::parse_track_alert_push(body);
        if (!package) return {.record = std::nullopt, .skip = {}, .broken = package.error()};
        const std::string& number = package->tracking_number;
        auto watched = store_.get_binding(flow_, kTrackAlertSystem, number);
        if (!watched || !*watched || !(*watched)->target_id.starts_with(kReleasePrefix)) {
            return {.record = std::nullopt,
                    .skip = "UPS package " + number +
                            " is not on this flow's Track Alert watch list (the Quantum View poll "
                            "still tracks every package of the account)",
                    .broken = std::nullopt};
        }
        model::TrackingEvent event = ups::tracking_event(*package);
        event.reference = (*watched)->target_id.substr(kReleasePrefix.size());
        if (event.status_code == "D") delivered_.push_back(number);
        return {.record = connectors::Record<model::TrackingEvent>{.value = std::move(event),
                                                                   .raw = package->raw},
                .skip = {},
                .broken = std::nullopt};
    }

    // The packages pushes said were delivered since the last call.
    std::vector<std::string> take_delivered() { return std::exchange(delivered_, {}); }

  private:
    store::StateStore& store_;
    std::string flow_;
    mutable std::vector<std::string> delivered_;  // Noted while decoding; the upkeep stores it.
};

// ---- The watch list ----------------------------------------------------------------------------

struct TrackAlert::Due {
    store::Binding binding;
    bool renewal = false;
};

TrackAlert::TrackAlert(ups::UpsClient& client, store::StateStore& store, const auth::Vault* vault,
                       std::string flow, TrackAlertOptions options)
    : client_(client),
      store_(store),
      vault_(vault),
      flow_(std::move(flow)),
      options_(options),
      decoder_(std::make_unique<Decoder>(store, flow_)) {}

TrackAlert::~TrackAlert() = default;

const connectors::EventDecoder<model::TrackingEvent>& TrackAlert::decoder() const {
    return *decoder_;
}

Result<void> TrackAlert::shipped(const ups::LabelFile& label) {
    if (!options_.enabled || label.tracking_number.empty()) return ok();
    MLC_TRY(auto known, store_.get_binding(flow_, kTrackAlertSystem, label.tracking_number));
    if (known) return ok();
    store::Binding binding = watch(flow_, label.tracking_number,
                                   std::string(kReleasePrefix) + label.reference, kNew, {});
    binding.created_at = binding.updated_at = client_.clock().now();
    return store_.put_binding(binding);
}

Result<void> TrackAlert::end_delivered(engine::RunContext& ctx) {
    const std::vector<std::string> delivered = decoder_->take_delivered();
    if (delivered.empty()) return ok();
    pipeline::Page page(ctx, kDirection, nullptr);
    for (const std::string& number : delivered) {
        MLC_TRY(auto binding, page.binding(kTrackAlertSystem, number));
        if (!binding || binding->state != store::BindingState::kPending) continue;
        page.bind(watch(ctx.flow, number, binding->target_id, "delivered", {}));
        page.audit(package_ref(number), "ups:trackalert:" + number, store::AuditAction::kUpdate,
                   "ok", "delivered (Track Alert push): its subscription is not renewed");
    }
    return page.commit();
}

Result<std::vector<TrackAlert::Due>> TrackAlert::due(engine::RunContext& ctx) {
    MLC_TRY(auto pending,
            ctx.store.list_bindings(ctx.flow, store::BindingState::kPending, kWatchedMax));
    const UtcTime now = ctx.clock.now();
    std::vector<Due> out;
    pipeline::Page page(ctx, kDirection, nullptr);
    for (store::Binding& binding : pending) {
        if (binding.source_system != kTrackAlertSystem) continue;
        if (binding.content_hash == kNew) {
            out.push_back({.binding = std::move(binding), .renewal = false});
            continue;
        }
        auto at = parse_iso8601(binding.source_version);
        if (at && *at > now) continue;
        // Renewing: unless UPS says it is delivered meanwhile (a push that never arrived).
        MLC_TRY(auto package, client_.track_package(binding.source_key));
        const std::string_view end = !package                            ? "unknown"
                                     : package->voided                   ? "voided"
                                     : package->delivered_at.has_value() ? "delivered"
                                                                         : "";
        if (end.empty()) {
            out.push_back({.binding = std::move(binding), .renewal = true});
            continue;
        }
        page.bind(watch(ctx.flow, binding.source_key, binding.target_id, end, {}));
        page.audit(package_ref(binding.source_key), "ups:trackalert:" + binding.source_key,
                   store::AuditAction::kUpdate, "ok",
                   std::string(end) + " (UPS Tracking at its renewal): not renewed");
    }
    MLC_CHECK(page.commit());
    return out;
}

Result<void> TrackAlert::subscribe(engine::RunContext& ctx, const std::vector<Due>& batch,
                                   engine::RunSummary& summary) {
    std::vector<std::string> numbers;
    for (const Due& due : batch) numbers.push_back(due.binding.source_key);
    MLC_TRY(const ups::TrackAlertAnswer answer, client_.subscribe_track_alert(numbers));
    const std::string next = format_iso8601(ctx.clock.now() + options_.renew_after);
    pipeline::Page page(ctx, kDirection, nullptr);
    std::int64_t made = 0;
    std::int64_t renewed = 0;
    for (const Due& due : batch) {
        const std::string& number = due.binding.source_key;
        const bool taken =
            std::find(answer.valid.begin(), answer.valid.end(), number) != answer.valid.end();
        page.bind(watch(ctx.flow, number, due.binding.target_id, taken ? kSubscribed : "invalid",
                        taken ? next : std::string()));
        if (!taken) {
            page.audit(package_ref(number), "ups:trackalert:" + number, store::AuditAction::kFail,
                       "rejected",
                       "UPS refused Track Alert for this number: the Quantum View poll tracks it");
        }
        if (taken && due.renewal) {
            ++renewed;
        } else if (taken) {
            ++made;
        }
    }
    page.audit("ups:trackalert", "ups:trackalert", store::AuditAction::kCreate, "ok",
               "Track Alert: " + std::to_string(made) + " subscribed, " + std::to_string(renewed) +
                   " renewed, " + std::to_string(answer.invalid.size()) +
                   " refused; due again from " + next);
    MLC_CHECK(page.commit());
    summary.streams[kTrackAlertStream].created += made;
    summary.streams[kTrackAlertStream].updated += renewed;
    return ok();
}

Result<void> TrackAlert::upkeep(engine::RunContext& ctx, engine::RunSummary& summary) {
    if (ctx.dry_run) return ok();
    MLC_CHECK(end_delivered(ctx));
    auto result = [&]() -> Result<void> {
        MLC_TRY(std::vector<Due> due_now, due(ctx));
        for (std::size_t at = 0; at < due_now.size(); at += ups::kTrackAlertNumbersMax) {
            const auto end = std::min(due_now.size(), at + ups::kTrackAlertNumbersMax);
            MLC_CHECK(subscribe(ctx,
                                {due_now.begin() + static_cast<std::ptrdiff_t>(at),
                                 due_now.begin() + static_cast<std::ptrdiff_t>(end)},
                                summary));
        }
        return ok();
    }();
    std::string problem;
    if (!result) {
        // Never stops the Quantum View poll, the safety net; the next upkeep tries again.
        ctx.log.warn("flow {}: Track Alert upkeep failed: {}", ctx.flow, result.error().describe());
        problem =
            "UPS Track Alert subscriptions could not be kept (" + result.error().describe() + ")";
        ++summary.failed;
    }
    const std::string secret = engine::webhook_secret_name(ctx.flow, ups::kTrackAlertSource);
    if (vault_ != nullptr && !vault_->get(secret)) {
        problem += std::string(problem.empty() ? "" : "; ") + "the vault has no secret " + secret +
                   ", so every UPS push is refused: `mlc secret set " + secret +
                   "` to the credential entered in UPS's portal (Manage Webhook Credentials)";
    }
    if (problem.empty()) {
        acknowledge(ctx);
    } else {
        raise(ctx, problem + "; tracking comes from the Quantum View poll meanwhile");
    }
    return ok();
}

Result<bool> TrackAlert::quantum_view_due(engine::RunContext& ctx) const {
    if (options_.quantum_view_every <= std::chrono::seconds{0}) return true;
    MLC_TRY(auto cursor, ctx.store.get_cursor(ctx.flow, kTrackingStream));
    return !cursor || ctx.clock.now() - cursor->updated_at >= options_.quantum_view_every;
}

void add_tracking(pipeline::Flow& flow, UpsTrackingStream& stream, TrackAlert* track_alert) {
    if (track_alert == nullptr) {
        pipeline::add_poll(flow, stream);
        return;
    }
    if (track_alert->options().enabled) pipeline::add_inbox(flow, stream, track_alert->decoder());
    flow.step([track_alert](engine::RunContext& ctx, engine::RunSummary& summary,
                            pipeline::OpenLetters&) {
        return track_alert->options().enabled ? track_alert->upkeep(ctx, summary) : ok();
    });
    flow.step([&stream, track_alert](engine::RunContext& ctx, engine::RunSummary& summary,
                                     pipeline::OpenLetters& letters) -> Result<void> {
        MLC_TRY(bool due, track_alert->quantum_view_due(ctx));
        if (!due) return ok();
        return pipeline::poll(stream, ctx, letters, summary);
    });
    flow.replay_route(stream.name, [&stream](const std::string& ref, engine::RunContext& ctx) {
        return pipeline::replay(stream, ref, ctx);
    });
}

}  // namespace mlc::flows::epicor_ups

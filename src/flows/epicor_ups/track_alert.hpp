#pragma once
// Track Alert in "epicor-to-ups-shipments" (options.tracking_via: track_alert): UPS pushes each
// package's events to the daemon instead of the flow asking, and Quantum View stays as the
// safety net, polled less often. What it adds to the recipe:
//
//   * the watch list, in the store: every package the shipments stream labels is noted by the
//     label sink (shipped()) as a binding of system kTrackAlertSystem (key = tracking number,
//     target_id = "release:<release key>", the reference its pushes are written for;
//     content_hash = new | subscribed | delivered | invalid | voided | unknown; source_version =
//     when its subscription is due again). Watched packages are kPending bindings, finished ones
//     kConfirmed: a run lists only the packages in flight (up to 10,000).
//   * the upkeep step (after the inbox): deliveries the pushes told of end their watch; every new
//     package is subscribed once and every subscription is renewed `renew_after` (13 days) after
//     it was made, before UPS's 14 days lapse, in requests of at most 100 numbers; before a
//     renewal, Tracking details say whether the package was delivered meanwhile (a lost push).
//     UPS's refusals (invalid numbers) end the watch with an audit line; a failed request (no
//     push URL in the UPS portal, UPS down), or a vault without the push credential (every
//     push would be refused), raises alert "track-alert:<flow>" and never stops the Quantum View
//     poll; the next clean upkeep resolves it.
//   * the push decoder: a verified push (connectors/ups/ups_track_alert.hpp: the intake checked
//     UPS's User-Agent and x-api-key against the vault's "webhook.<flow>.ups") becomes the
//     tracking stream's record, the very model::TrackingEvent a Quantum View poll reads from the
//     Tracking details, with the release key from the watch list; a push for a package this flow
//     does not watch is skipped (audited); an unreadable one is parked.
//   * the Quantum View poll every `quantum_view_every` (1 hour with Track Alert; every run
//     without), decided by the tracking cursor's last commit, so a restart does not poll early.
//
// Lifecycle: one per flow, owned by the recipe's parts. Thread safety: none (a flow's runs are
// serialised; the label sink is called on the run's thread). Ownership: borrows the client and
// the store.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "auth/vault.hpp"
#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_targets.hpp"
#include "connectors/ups/ups_client.hpp"
#include "pipeline/flow.hpp"
#include "pipeline/options.hpp"
#include "pipeline/stream.hpp"

namespace mlc::flows::epicor_ups {

inline constexpr const char* kTrackAlertSystem = "ups-track-alert";  // Watch-list bindings.
inline constexpr const char* kTrackAlertStream = "track_alert";      // Its summary counts.

struct TrackAlertOptions {
    bool enabled = false;  // tracking_via: track_alert (default quantum_view)
    // track_alert_renew_after: a subscription is renewed this long after it was made (1 hour to
    // just under UPS's 14 days).
    std::chrono::seconds renew_after{std::chrono::hours(24 * 13)};
    // quantum_view_every: the Quantum View poll's interval; 0 = every run.
    std::chrono::seconds quantum_view_every{0};
};

// Reads tracking_via, track_alert_renew_after and quantum_view_every (1h by default with
// track_alert, every run without) into `read`'s flow.
TrackAlertOptions read_track_alert_options(pipeline::OptionReader& read);

using UpsTrackingStream = pipeline::Stream<model::TrackingEvent, connectors::epicor::TrackingDraft>;

class TrackAlert {
  public:
    // `vault` (may be null) is asked each upkeep for the push credential the intake checks.
    TrackAlert(connectors::ups::UpsClient& client, store::StateStore& store,
               const auth::Vault* vault, std::string flow, TrackAlertOptions options);
    ~TrackAlert();
    TrackAlert(const TrackAlert&) = delete;
    TrackAlert& operator=(const TrackAlert&) = delete;

    // The label sink's note: this package was shipped for label.reference; watched from now on
    // (once: a package already on the list is left as it is).
    Result<void> shipped(const connectors::ups::LabelFile& label);
    // The inbox's decoder of Track Alert pushes.
    const connectors::EventDecoder<model::TrackingEvent>& decoder() const;
    // The upkeep step (see above).
    Result<void> upkeep(engine::RunContext& ctx, engine::RunSummary& summary);
    // Whether the Quantum View poll is due this run.
    Result<bool> quantum_view_due(engine::RunContext& ctx) const;
    const TrackAlertOptions& options() const { return options_; }

  private:
    class Decoder;
    struct Due;
    Result<void> end_delivered(engine::RunContext& ctx);
    Result<std::vector<Due>> due(engine::RunContext& ctx);
    Result<void> subscribe(engine::RunContext& ctx, const std::vector<Due>& batch,
                           engine::RunSummary& summary);

    connectors::ups::UpsClient& client_;
    store::StateStore& store_;
    const auth::Vault* vault_;
    std::string flow_;
    TrackAlertOptions options_;
    std::unique_ptr<Decoder> decoder_;
};

// The tracking stream's steps: the Quantum View poll alone (`track_alert` null), or the inbox of
// pushes, the upkeep and the Quantum View poll when due; the replay route either way.
void add_tracking(pipeline::Flow& flow, UpsTrackingStream& stream, TrackAlert* track_alert);

}  // namespace mlc::flows::epicor_ups

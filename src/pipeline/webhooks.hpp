#pragma once
// WebhookUpkeep: how every flow keeps its vendor webhook subscriptions, once: ensured on the
// first run, then again once `recheck` has passed (a person may delete them at the vendor); a
// failure raises the alert "webhooks:<flow>:<system>" naming the fix and never stops the poll
// (the poll is the safety net), and the next success acknowledges it.
//
// Lifecycle: one per flow and vendor, owned by the recipe. Thread safety: none (runs of a flow
// are serialised). Ownership: owns its last check time.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "engine/flow_runner.hpp"

namespace mlc::pipeline {

// How often every flow checks its webhook subscriptions again (the first run always does; a
// failed check is retried by the next run).
inline constexpr std::chrono::seconds kWebhookRecheck{15 * 60};

// The one alert key scheme for webhook trouble.
std::string webhook_alert_key(const std::string& flow, const std::string& system);

class WebhookUpkeep {
  public:
    WebhookUpkeep(std::string system, std::chrono::seconds recheck)
        : system_(std::move(system)), recheck_(recheck) {}

    // Runs `ensure` when due (never in a dry run). `fix` is the alert's advice on failure.
    void run(engine::RunContext& ctx, const std::function<Result<void>()>& ensure,
             const std::string& fix);

  private:
    std::string system_;
    std::chrono::seconds recheck_;
    std::optional<UtcTime> checked_at_;
};

}  // namespace mlc::pipeline

#pragma once
// HeartbeatRunner: the built-in recipe "heartbeat". Each run appends one audit event (action
// kSkip, detail "heartbeat") and touches no vendor, so a fresh install can prove that the
// scheduler, the store and `mlc audit` work before any real credentials exist (examples/mlc.yaml).
//
// Lifecycle: built by the registry, lives with the scheduler. Thread safety: none needed (the
// engine serialises calls). Ownership: owns nothing.

#include "engine/flow_runner.hpp"
#include "engine/recipe_registry.hpp"

namespace mlc::engine {

inline constexpr const char* kHeartbeatRecipe = "heartbeat";

class HeartbeatRunner final : public FlowRunner {
  public:
    Result<RunSummary> run_once(RunContext& ctx) override;
    // Nothing is ever parked by a heartbeat; replaying a letter of this flow just records it.
    Result<void> replay(const store::DeadLetter& letter, RunContext& ctx) override;
};

// Registers "heartbeat" in `registry`.
void add_heartbeat_recipe(RecipeRegistry& registry);

}  // namespace mlc::engine

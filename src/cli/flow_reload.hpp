#pragma once
// FlowReloader: `mlc run` applies a changed mlc.yaml or changed stored mappings without a restart
// (SIGHUP, or a mapping fixed in the console). It reads the config file again, checks every
// flow's options and tables as `mlc config check` does (a bad file changes nothing and says
// why), builds each scheduled flow's runner anew over the stored mappings and hands it to the
// scheduler, which swaps it in between runs: no page is cut short and no webhook is dropped
// (deliveries land in the inbox whatever the runners do). Then every open dead letter of those
// flows that waits for a mapping (error code "unresolved": an unknown SKU, customer, carrier) is
// replayed once through the new runner, so a mapping fix releases the parked records at once;
// those still unresolved stay open with the new error.
//
// What a reload does not change (a restart does, and the answer says so): flows added or removed,
// a flow's schedule, the server (address, port, threads), the store, the log settings.
//
// Lifecycle: construct before the signal watcher starts, arm() once the flows are scheduled (a
// reload before that is refused). Thread safety: reload() may be called from any thread (the
// signal watcher's, the console's handlers); calls are serialised. Ownership: borrows the context,
// registry and scheduler; owns every config generation it loaded (runners built from one may
// still look at it: they live until the scheduler ends).

#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_context.hpp"
#include "cli/flow_setup.hpp"
#include "engine/dead_letter_replayer.hpp"
#include "engine/recipe_registry.hpp"
#include "engine/scheduler.hpp"

namespace mlc::cli {

class FlowReloader {
  public:
    FlowReloader(CliContext& ctx, const engine::RecipeRegistry& registry,
                 engine::Scheduler& scheduler, engine::DeadLetterReplayer& replayer,
                 const engine::Config& running);

    // The dependencies the first build used (public URL, vault, limiters, metrics); from now on
    // reload() may run.
    void arm(const engine::Dependencies& deps);

    // "reloaded 3 flows ..." with what needs a restart; an error (kConfig listing every problem
    // of the file) leaves every runner as it was. Logged and audited either way ("why" says who
    // asked: "SIGHUP", "console: mapping by olga").
    Result<std::string> reload(std::string_view why);

  private:
    Result<std::string> rebuild(engine::Config config);
    std::string needs_restart(const engine::Config& next) const;
    // Replays the open "unresolved" letters of `flows`; "replayed 3 waiting for a mapping, 1
    // still unresolved" (empty when none waited).
    std::string release_parked(const std::vector<std::string>& flows);

    CliContext& ctx_;
    const engine::RecipeRegistry& registry_;
    engine::Scheduler& scheduler_;
    engine::DeadLetterReplayer& replayer_;
    const engine::Config& running_;
    std::optional<engine::Dependencies> deps_;
    std::mutex mutex_;
    std::list<engine::Config> generations_;  // Stable addresses: deps.config points at one.
    std::vector<BuiltFlow> built_;           // Keeps each runner's merged flow config.
};

}  // namespace mlc::cli

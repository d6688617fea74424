#include "cli/flow_reload.hpp"

#include <algorithm>
#include <set>

namespace mlc::cli {
namespace {

std::set<std::string> flow_names(const engine::Config& config) {
    std::set<std::string> names;
    for (const auto& [name, flow] : config.flows) {
        if (flow.enabled) names.insert(name);
    }
    return names;
}

std::string listed(const std::set<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) out.append(", ");
        out.append(name);
    }
    return out;
}

}  // namespace

FlowReloader::FlowReloader(CliContext& ctx, const engine::RecipeRegistry& registry,
                           engine::Scheduler& scheduler, engine::DeadLetterReplayer& replayer,
                           const engine::Config& running)
    : ctx_(ctx),
      registry_(registry),
      scheduler_(scheduler),
      replayer_(replayer),
      running_(running) {}

void FlowReloader::arm(const engine::Dependencies& deps) {
    std::lock_guard lock(mutex_);
    deps_.emplace(deps);
}

Result<std::string> FlowReloader::reload(std::string_view why) {
    std::lock_guard lock(mutex_);
    Result<std::string> result =
        make_error(ErrorCode::kConflict, "the daemon is still starting: reload again soon");
    if (deps_) {
        auto config = ctx_.load_config();
        result = config ? rebuild(std::move(*config)) : Result<std::string>(config.error());
    }
    const bool done = result.has_value();
    const std::string detail = done ? *result : result.error().describe();
    if (done) {
        ctx_.log().info("reload ({}): {}", why, detail);
    } else {
        ctx_.log().error("reload ({}) failed, the flows run as before: {}", why, detail);
    }
    if (!deps_) return result;
    (void)deps_->store.append_audit(
        {.flow = "mlc",
         .direction = "",
         .source_ref = "mlc:" + std::string(why),
         .target_ref = "mlc:config",
         .action = store::AuditAction::kUpdate,
         .outcome = done ? "ok" : std::string(to_string(result.error().code)),
         .attempt = 1,
         .at = ctx_.clock().now(),
         .detail = "reload: " + detail});
    return result;
}

Result<std::string> FlowReloader::rebuild(engine::Config config) {
    std::string problems;
    for (const auto& [name, flow] : config.flows) {
        for (const auto& issue : registry_.check_options(flow, config.file)) {
            problems += "\n  " + issue.describe();
        }
    }
    if (!problems.empty()) {
        return make_error(ErrorCode::kConfig, "config",
                          "the config has mistakes, nothing was reloaded:" + problems);
    }
    const std::string restart = needs_restart(config);
    generations_.push_back(std::move(config));
    engine::Dependencies deps = *deps_;
    deps.config = &generations_.back();
    MLC_TRY(auto flows, build_flows(generations_.back(), registry_, deps, {}));
    std::vector<std::string> swapped;
    for (auto& flow : flows) {
        if (!flow.config->schedule) continue;                 // Not scheduled by this daemon.
        if (!scheduler_.runner(flow.config->name)) continue;  // Added: needs a restart.
        MLC_CHECK(scheduler_.replace_runner(flow.config->name, std::move(flow.runner)));
        swapped.push_back(flow.config->name);
        built_.push_back(std::move(flow));
    }
    return "reloaded " + std::to_string(swapped.size()) +
           " flow(s) with their options and mappings" + release_parked(swapped) + restart;
}

std::string FlowReloader::release_parked(const std::vector<std::string>& flows) {
    std::int64_t replayed = 0;
    std::int64_t still = 0;
    for (const auto& flow : flows) {
        auto letters = deps_->store.list_dead_letters(flow, store::DeadLetterStatus::kOpen,
                                                      engine::kReplayAllMax);
        if (!letters) {
            ctx_.log().warn("flow {}: parked records not released: {}", flow,
                            letters.error().describe());
            continue;
        }
        // Oldest first: an order before the shipment that waited for it.
        std::sort(letters->begin(), letters->end(),
                  [](const auto& a, const auto& b) { return a.id < b.id; });
        for (const auto& letter : *letters) {
            if (letter.error_code != to_string(ErrorCode::kUnresolved)) continue;
            if (scheduler_.stop_requested()) break;
            auto done = replayer_.replay(letter.id, scheduler_.stop_flag());
            ++(done ? replayed : still);
        }
    }
    if (replayed == 0 && still == 0) return {};
    std::string out =
        "; replayed " + std::to_string(replayed) + " parked record(s) waiting for a mapping";
    if (still > 0) out += ", " + std::to_string(still) + " still unresolved";
    return out;
}

std::string FlowReloader::needs_restart(const engine::Config& next) const {
    std::string out;
    const auto before = flow_names(running_);
    const auto after = flow_names(next);
    std::set<std::string> added;
    std::set<std::string> removed;
    for (const auto& name : after) {
        if (!before.contains(name)) added.insert(name);
    }
    for (const auto& name : before) {
        if (!after.contains(name)) removed.insert(name);
    }
    if (!added.empty()) out += "; flows added need a restart: " + listed(added);
    if (!removed.empty())
        out += "; flows removed or disabled run until a restart: " + listed(removed);
    const auto& a = running_.server;
    const auto& b = next.server;
    if (a.address != b.address || a.port != b.port || a.threads != b.threads ||
        running_.store.path != next.store.path || running_.store.url != next.store.url ||
        running_.store.password_secret != next.store.password_secret) {
        out += "; server and store settings apply at a restart";
    }
    return out;
}

}  // namespace mlc::cli

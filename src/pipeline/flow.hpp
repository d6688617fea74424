#pragma once
// Flow: the engine::FlowRunner every recipe is, composed of steps and replay routes, so no flow
// needs a runner of its own. A recipe adds its steps in order (webhook upkeep, inbox, one poll
// per stream); a run loads the flow's open letters once, runs each step, and ends early when a
// step leaves more pending or the run must stop (RunContext::checkpoint); after a run the flow's
// differences alert is brought up to date (sync_differences_alert). Replay reads the
// letter's replay key (page.hpp) and hands its ref to the route of its stream.
//
// Lifecycle: built once per flow by its recipe factory; lives with the scheduler. Thread safety:
// none (the engine serialises runs and replays of one flow). Ownership: owns what it is given to
// keep (the recipe's connections, sources and targets).

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/flow_runner.hpp"
#include "pipeline/letters.hpp"

namespace mlc::pipeline {

// The alert a flow keeps while it has open differences (store::Difference: records a target
// keeps locked): "locked:<flow>".
std::string differences_alert_key(const std::string& flow);
// Raises that alert with the count of the flow's open differences (updated when the count
// changes: one alert, raised once), or resolves it when there are none. Every run does it;
// `mlc differences dismiss` too.
Result<void> sync_differences_alert(store::StateStore& store, const std::string& flow, UtcTime now);

class Flow final : public engine::FlowRunner {
  public:
    using Step =
        std::function<Result<void>(engine::RunContext&, engine::RunSummary&, OpenLetters&)>;
    using Replay = std::function<Result<void>(const std::string& ref, engine::RunContext&)>;

    // `keep` owns whatever the steps borrow.
    explicit Flow(std::shared_ptr<void> keep) : keep_(std::move(keep)) {}

    Flow& step(Step step) {
        steps_.push_back(std::move(step));
        return *this;
    }
    // Runs after every run and every replay, whatever the steps answered (a vendor session is
    // ended: Acumatica's logout frees a licence seat). Its error is logged, and is the run's
    // answer only when the run itself succeeded.
    using Finally = std::function<Result<void>(engine::RunContext&)>;
    Flow& finally(Finally done) {
        finally_.push_back(std::move(done));
        return *this;
    }
    Flow& replay_route(std::string stream, Replay replay) {
        routes_.emplace_back(std::move(stream), std::move(replay));
        return *this;
    }

    Result<engine::RunSummary> run_once(engine::RunContext& ctx) override;
    Result<void> replay(const store::DeadLetter& letter, engine::RunContext& ctx) override;

  private:
    std::shared_ptr<void> keep_;
    std::vector<Step> steps_;
    std::vector<std::pair<std::string, Replay>> routes_;
    std::vector<Finally> finally_;

    Result<engine::RunSummary> run_steps(engine::RunContext& ctx);
    Result<void> replay_once(const store::DeadLetter& letter, engine::RunContext& ctx);
    Result<void> wind_up(engine::RunContext& ctx, bool succeeded);
};

}  // namespace mlc::pipeline

#include "pipeline/stream.hpp"

namespace mlc::pipeline {

void tally(engine::RunSummary& summary, const std::string& stream, Outcome outcome) {
    engine::StreamCounts& counts = summary.streams[stream];
    switch (outcome) {
        case Outcome::kCreated:
            ++summary.created;
            ++counts.created;
            break;
        case Outcome::kUpdated:
        case Outcome::kClosed:
            ++summary.updated;
            ++counts.updated;
            break;
        case Outcome::kSkipped:
            ++summary.skipped;
            ++counts.skipped;
            break;
        case Outcome::kParked:
            ++summary.parked;
            ++counts.parked;
            break;
        case Outcome::kStillParked:
            ++summary.still_parked;
            ++counts.still_parked;
            break;
        case Outcome::kDiffers:
            ++summary.differ;
            ++counts.differ;
            break;
    }
}

void plan(engine::RunSummary& summary, const std::string& stream, Outcome outcome,
          const std::string& label, const std::string& target, const std::string& why) {
    if (summary.planned.size() >= engine::RunSummary::kPlanLinesMax) return;
    std::string line;
    switch (outcome) {
        case Outcome::kCreated:
            line = "create " + label + " in " + target;
            break;
        case Outcome::kUpdated:
            line = "update " + label + " in " + target;
            break;
        case Outcome::kClosed:
            line = "close " + label + " in " + target;
            break;
        case Outcome::kParked:
        case Outcome::kStillParked:
            line = "park " + label + ": " + why;
            break;
        case Outcome::kDiffers:
            line = "note " + label + " as differing: " + why;
            break;
        case Outcome::kSkipped:
            return;
    }
    summary.planned.push_back(stream + ": " + line);
}

}  // namespace mlc::pipeline

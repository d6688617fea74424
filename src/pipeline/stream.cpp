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
    }
}

}  // namespace mlc::pipeline

#include <string>

#include "engine/flow_runner.hpp"

namespace mlc::engine {
namespace {

void add(std::string& out, std::int64_t count, const char* what) {
    if (count == 0) return;
    if (!out.empty() && out.back() != ' ') out += ", ";
    out += std::to_string(count) + " " + what;
}

}  // namespace

std::string RunSummary::describe_streams() const {
    std::string out;
    for (const auto& [stream, counts] : streams) {
        std::string part;
        add(part, counts.created, "created");
        add(part, counts.updated, "updated");
        add(part, counts.skipped, "unchanged");
        add(part, counts.parked, "parked");
        add(part, counts.still_parked, "still parked");
        add(part, counts.differ, "differ (locked in the target)");
        if (part.empty()) continue;
        if (!out.empty()) out += "; ";
        out += stream + ": " + part;
    }
    return out;
}

}  // namespace mlc::engine

#include "sandbox/fault_injector.hpp"

#include <boost/json.hpp>

namespace mlc::sandbox {
namespace {

// splitmix64: tiny, fully specified, identical on every platform (std distributions are not).
std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

Result<double> share(const boost::json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr) return 0.0;
    if (!value->is_number()) {
        return make_error(ErrorCode::kInvalidInput, "sandbox",
                          "fault plan: " + std::string(key) + " must be a number in [0, 1]");
    }
    const double share = value->to_number<double>();
    if (share < 0 || share > 1) {
        return make_error(ErrorCode::kInvalidInput, "sandbox",
                          "fault plan: " + std::string(key) + " must be in [0, 1]");
    }
    return share;
}

}  // namespace

Result<FaultPlan> fault_plan_from_json(const boost::json::value& json) {
    if (!json.is_object()) {
        return make_error(ErrorCode::kInvalidInput, "sandbox", "fault plan must be a JSON object");
    }
    const auto& object = json.get_object();
    FaultPlan plan;
    if (const auto* prefix = object.if_contains("route_prefix")) {
        if (!prefix->is_string()) {
            return make_error(ErrorCode::kInvalidInput, "sandbox",
                              "fault plan: route_prefix must be a string");
        }
        plan.route_prefix = std::string(prefix->get_string());
    }
    MLC_TRY(plan.rate_429, share(object, "rate_429"));
    MLC_TRY(plan.rate_500, share(object, "rate_500"));
    MLC_TRY(plan.rate_503, share(object, "rate_503"));
    MLC_TRY(plan.drop_rate, share(object, "drop_rate"));
    MLC_TRY(plan.malformed_rate, share(object, "malformed_rate"));
    MLC_TRY(plan.truncated_rate, share(object, "truncated_rate"));
    if (plan.rate_429 + plan.rate_500 + plan.rate_503 + plan.drop_rate + plan.malformed_rate +
            plan.truncated_rate >
        1.0 + 1e-9) {
        return make_error(ErrorCode::kInvalidInput, "sandbox", "fault plan: shares sum above 1");
    }
    if (const auto* latency = object.if_contains("latency_ms")) {
        if (!latency->is_int64() || latency->get_int64() < 0) {
            return make_error(ErrorCode::kInvalidInput, "sandbox",
                              "fault plan: latency_ms must be a non-negative integer");
        }
        plan.latency_ms = latency->get_int64();
    }
    return plan;
}

boost::json::object fault_plan_to_json(const FaultPlan& plan) {
    return {{"route_prefix", plan.route_prefix},
            {"rate_429", plan.rate_429},
            {"rate_500", plan.rate_500},
            {"rate_503", plan.rate_503},
            {"drop_rate", plan.drop_rate},
            {"malformed_rate", plan.malformed_rate},
            {"truncated_rate", plan.truncated_rate},
            {"latency_ms", plan.latency_ms}};
}

FaultInjector::FaultInjector(std::uint64_t seed) : state_(seed ^ 0xFA0175EEDULL) {}

Result<void> FaultInjector::add(FaultPlan plan) {
    if (plans_.size() >= kPlansMax) {
        return make_error(ErrorCode::kInvalidInput, "sandbox", "too many fault plans (max 64)");
    }
    plans_.push_back(std::move(plan));
    return ok();
}

void FaultInjector::clear() { plans_.clear(); }

double FaultInjector::next_unit() {
    // 53 random bits -> [0, 1).
    return static_cast<double>(splitmix64(state_) >> 11) * 0x1.0p-53;
}

FaultDecision FaultInjector::decide(const std::string& path) {
    for (const auto& plan : plans_) {
        if (!path.starts_with(plan.route_prefix)) continue;
        FaultDecision decision{.kind = FaultKind::kNone, .latency_ms = plan.latency_ms};
        double draw = next_unit();
        const std::pair<double, FaultKind> shares[] = {
            {plan.rate_429, FaultKind::kStatus429},
            {plan.rate_500, FaultKind::kStatus500},
            {plan.rate_503, FaultKind::kStatus503},
            {plan.drop_rate, FaultKind::kDrop},
            {plan.malformed_rate, FaultKind::kMalformed},
            {plan.truncated_rate, FaultKind::kTruncated},
        };
        for (const auto& [rate, kind] : shares) {
            if (draw < rate) {
                decision.kind = kind;
                break;
            }
            draw -= rate;
        }
        return decision;
    }
    return {};
}

void FaultInjector::corrupt_body(FaultKind kind, std::string& body) {
    if (kind == FaultKind::kTruncated) {
        body.resize(body.size() / 2);
    } else if (kind == FaultKind::kMalformed) {
        // A stray token right after the opening brace: no JSON parser accepts it.
        body.insert(body.empty() ? 0 : 1, "\"sandbox_fault\": ,");
    }
}

}  // namespace mlc::sandbox

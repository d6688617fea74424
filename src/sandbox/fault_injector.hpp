#pragma once
// FaultInjector: per-route fault plans for one emulator (429/500/503 shares, added latency,
// dropped connections, malformed or truncated JSON bodies), decided by a seeded RNG so the same
// seed and the same request sequence give the same faults (tests replay them).
//
// Lifecycle: owned by SandboxHost, one per emulator. Thread safety: none of its own; the host
// calls it under the emulator's mutex. Ownership: value type.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "common/result.hpp"

namespace mlc::sandbox {

struct FaultPlan {
    std::string route_prefix = "/";  // Applies to vendor requests whose path starts with this.
    double rate_429 = 0;             // Shares of requests, each in [0, 1], summing to <= 1.
    double rate_500 = 0;
    double rate_503 = 0;
    double drop_rate = 0;         // Connection closed without an answer (after the work is done).
    double malformed_rate = 0;    // Body made invalid JSON.
    double truncated_rate = 0;    // Body cut in half.
    std::int64_t latency_ms = 0;  // Added to every matching request.
};

enum class FaultKind { kNone, kStatus429, kStatus500, kStatus503, kDrop, kMalformed, kTruncated };

struct FaultDecision {
    FaultKind kind = FaultKind::kNone;
    std::int64_t latency_ms = 0;
};

Result<FaultPlan> fault_plan_from_json(const boost::json::value& json);
boost::json::object fault_plan_to_json(const FaultPlan& plan);

class FaultInjector {
  public:
    static constexpr std::size_t kPlansMax = 64;  // Plans per emulator: a test never needs more.

    explicit FaultInjector(std::uint64_t seed);

    Result<void> add(FaultPlan plan);
    void clear();
    const std::vector<FaultPlan>& plans() const { return plans_; }

    // The first plan whose prefix matches `path` decides; one RNG draw per matching request.
    FaultDecision decide(const std::string& path);

    // Applies a body fault (malformed/truncated) to an emulator's answer.
    static void corrupt_body(FaultKind kind, std::string& body);

  private:
    double next_unit();
    std::uint64_t state_;
    std::vector<FaultPlan> plans_;
};

}  // namespace mlc::sandbox

#pragma once
// Fit check for `mlc ping <flow>`: reads a sample of recent ShipStation orders and reports how
// many customers and SKUs resolve in Epicor with the flow's current options and mappings, and the
// first unresolved ones with the mapping that would fix each. Writes nothing anywhere.
//
// Pure over the two clients; thread safety: none needed (one call, one thread).

#include <cstdint>
#include <string>
#include <vector>

#include "connectors/epicor/epicor_client.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"

namespace mlc::flows::shipstation_epicor {

inline constexpr std::uint32_t kFitSampleMax = 500;        // One V1 page of orders.
inline constexpr std::size_t kFitProblemsShownMax = 10;    // Unresolved references listed.
inline constexpr std::size_t kFitUnresolvedKeysMax = 500;  // Keys kept for the mappings block.

struct FitReport {
    std::int64_t orders = 0;
    std::int64_t orders_ready = 0;  // Every reference resolves: the flow would write them.
    std::int64_t customers_resolved = 0;
    std::int64_t customers_unresolved = 0;
    std::int64_t skus_resolved = 0;  // Distinct SKUs.
    std::int64_t skus_unresolved = 0;
    std::vector<std::string> problems;  // The first unresolved references, each with its fix.
    // Distinct keys that did not resolve, as the flow's `mappings:` tables take them: the
    // customerUsername (or email with customer_match: email) and the SKU. In order of first sight.
    std::vector<std::string> unresolved_customers;
    std::vector<std::string> unresolved_skus;
};

// The `mappings:` block (YAML, indented to sit under `flows.<name>:`) mapping every unresolved
// key to a placeholder for the Epicor ID; empty when everything resolved.
std::string mappings_block(const FitReport& report);

struct FitRequest {
    UtcTime since{};  // Orders modified since then (newest page first is not offered by V1).
    std::uint32_t sample = 100;
};

// Errors are the vendors' (unreachable, auth): the ping reports them as such.
Result<FitReport> check_fit(connectors::shipstation::ShipStationClient& shipstation,
                            connectors::epicor::EpicorClient& epicor, const OrdersOptions& options,
                            const FitRequest& request);

}  // namespace mlc::flows::shipstation_epicor

#pragma once
// EpicorPartResolver: a source SKU -> an Epicor PartNum, as every flow writing Epicor order lines
// resolves it: an Epicor part of that exact number first, then the flow's `mappings.parts` (whose
// target must exist too); inactive parts are refused (Epicor refuses them on order lines). What
// does not resolve is kUnresolved with a message naming the SKU and the fix; the caller adds the
// order it belongs to (Error::record_key) and parks it.
//
// Lookups are cached for the resolver's life: build one per run, so a part or mapping added
// between runs is seen by the next one.
//
// Lifecycle: one per run. Thread safety: none (one run is one thread). Ownership: borrows the
// Epicor client and the mapping table, which must outlive it.

#include <map>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "engine/config.hpp"

namespace mlc::flows {

class EpicorPartResolver {
  public:
    EpicorPartResolver(connectors::epicor::EpicorClient& epicor, const engine::ScalarMap& mappings)
        : epicor_(epicor), mappings_(mappings) {}

    // The PartNum for a non-empty `sku`. kUnresolved (park) when neither the SKU nor its mapping
    // is an active Epicor part; other errors are Epicor's (transient, auth...).
    Result<std::string> resolve(const std::string& sku);

  private:
    // The part number when Epicor has it active; nullopt when it has no such part.
    Result<std::optional<std::string>> active_part(const std::string& part_num);

    connectors::epicor::EpicorClient& epicor_;
    const engine::ScalarMap& mappings_;
    std::map<std::string, std::optional<bool>> parts_;  // PartNum -> active (nullopt: none)
};

}  // namespace mlc::flows

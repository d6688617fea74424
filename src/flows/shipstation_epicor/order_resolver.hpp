#pragma once
// OrderResolver: turns a ShipStation order's references into Epicor ones before anything is
// written. Customer: the flow's `mappings.customers` (by customerUsername or email) first, then the
// one configured CustID, then an exact match of the username (or email) on the configured Epicor
// Customer field. Lines: SKU -> PartNum by exact match in Epicor, then `mappings.parts` (the mapped
// PartNum must exist too). Whatever does not resolve is reported as kUnresolved naming the order,
// the SKU or username, and the fix, so the flow parks the order instead of writing it.
//
// Lookups are cached for the resolver's life; the runner builds one per run (and per replay), so a
// part or mapping added between runs is seen by the next one.
//
// Lifecycle: one per run. Thread safety: none (one run is one thread). Ownership: borrows the
// Epicor client and the options, which must outlive it.

#include <map>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "flows/common/epicor_part_resolver.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "model/model.hpp"

namespace mlc::flows::shipstation_epicor {

// An order ready for Epicor: lines carry PartNums, and the customer is a CustID.
struct ResolvedOrder {
    model::Order order;
    std::string customer_id;
};

class OrderResolver {
  public:
    OrderResolver(connectors::epicor::EpicorClient& epicor, const OrdersOptions& options)
        : epicor_(epicor), options_(options), parts_(epicor, options.parts) {}

    // kUnresolved (park) for an unknown customer or part; other errors are Epicor's (transient,
    // auth...) and end the run.
    Result<ResolvedOrder> resolve(const model::Order& order);
    // The two halves of resolve(), for `mlc ping <flow>`'s fit report.
    Result<std::string> resolve_customer(const model::Order& order);
    Result<std::string> resolve_part(const model::Order& order, const model::OrderLine& line);

  private:
    connectors::epicor::EpicorClient& epicor_;
    const OrdersOptions& options_;
    std::map<std::string, std::optional<std::string>> customers_;  // match value -> CustID
    EpicorPartResolver parts_;  // SKU -> PartNum (exact, then mappings.parts)
};

}  // namespace mlc::flows::shipstation_epicor

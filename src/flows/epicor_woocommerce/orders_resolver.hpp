#pragma once
// WooOrderResolver: turns a Woo order's references into Epicor ones before anything is written.
// Customer: `mappings.customers` (by billing email) first, then the one configured CustID, then
// an exact match of the billing email on the configured Epicor Customer field (EMailAddress by
// default). Lines: SKU -> PartNum by exact match in Epicor, then `mappings.parts` (the mapped
// PartNum must exist too). Whatever does not resolve is kUnresolved naming the Woo order, the SKU
// or email, and the fix, so the flow parks the order (a dead letter healed by replay).
//
// Lookups are cached for the resolver's life; the runner builds one per batch, so a part or
// mapping added meanwhile is seen by the next batch.
//
// Lifecycle: one per batch. Thread safety: none (one run is one thread). Ownership: borrows the
// Epicor client and the options, which must outlive it.

#include <map>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/epicor/epicor_resolver.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"
#include "model/model.hpp"

namespace mlc::flows::epicor_woocommerce {

// An order ready for Epicor: lines carry PartNums, the customer is a CustID, and source.key is
// the searchable source key ("WOO-1234").
struct WooResolvedOrder {
    model::Order order;
    std::string customer_id;
};

class WooOrderResolver {
  public:
    WooOrderResolver(connectors::epicor::EpicorClient& epicor, const WooOrdersOptions& options)
        : epicor_(epicor), options_(options), parts_(epicor, options.parts) {}

    // kUnresolved (park) for an unknown customer or part; other errors are Epicor's (transient,
    // auth...) and end the batch.
    Result<WooResolvedOrder> resolve(const model::Order& order);

  private:
    Result<std::string> resolve_customer(const model::Order& order);
    Result<std::string> resolve_part(const model::Order& order, const model::OrderLine& line);

    connectors::epicor::EpicorClient& epicor_;
    const WooOrdersOptions& options_;
    std::map<std::string, std::optional<std::string>> customers_;  // email -> CustID
    connectors::epicor::PartResolver parts_;  // SKU -> PartNum (exact, then mappings.parts)
};

}  // namespace mlc::flows::epicor_woocommerce

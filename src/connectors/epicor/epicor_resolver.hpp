#pragma once
// Epicor's resolvers: a source order's references -> Epicor's, before anything is written.
//
//  * PartResolver: a source SKU -> an Epicor PartNum: an active Epicor part of that exact number
//    first, then the flow's `mappings.parts` (whose target must exist and be active: Epicor
//    refuses inactive parts on order lines).
//  * OrderResolver (connector.hpp's Resolver<Order, SalesOrderDraft>): the customer from the
//    flow's `mappings.customers` (by the order's customer code or email) first, then one fixed
//    CustID, then an exact match of that value on the configured Epicor Customer field; every
//    line's SKU through PartResolver; the source key prefixed as the target stores it.
// What does not resolve is kUnresolved naming the order, the SKU or customer, and the fix, so the
// pipeline parks the order instead of writing it.
//
// Lookups are cached for the resolver's life: the pipeline builds one per page, so a part or
// mapping added meanwhile is seen by the next page.
//
// Lifecycle: one per page. Thread safety: none. Ownership: borrows the client and the mappings.

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/epicor/epicor_targets.hpp"

namespace mlc::connectors::epicor {

using Mappings = std::map<std::string, std::string, std::less<>>;

class PartResolver {
  public:
    PartResolver(EpicorClient& client, const Mappings& mappings)
        : client_(client), mappings_(mappings) {}
    // The PartNum for a non-empty `sku`; kUnresolved naming the SKU and the fix.
    Result<std::string> resolve(const std::string& sku);

  private:
    Result<std::optional<std::string>> active_part(const std::string& part_num);

    EpicorClient& client_;
    const Mappings& mappings_;
    std::map<std::string, std::optional<bool>> parts_;  // PartNum -> active (nullopt: none)
};

struct OrderResolverConfig {
    // The order's value matched to an Epicor customer, and what people call it.
    enum class CustomerBy { kCode, kEmail };
    CustomerBy customer_by = CustomerBy::kEmail;
    std::string customer_value_name = "customer email";  // "customerUsername", "billing email"
    std::string customer_field = "EMailAddress";         // Epicor Customer field matched.
    std::string fixed_customer;                          // One CustID for every order.
    const Mappings* customers = nullptr;
    const Mappings* parts = nullptr;
    std::string key_prefix;  // The source key as Epicor stores it: prefix + key ("WOO-1234").
    // "ShipStation order 1001 (orderKey SS-1001)": names the record in every message.
    std::function<std::string(const model::Order&)> label;
};

class OrderResolver final : public Resolver<model::Order, SalesOrderDraft> {
  public:
    OrderResolver(EpicorClient& client, const OrderResolverConfig& config)
        : client_(client), config_(config), parts_(client, *config.parts) {}

    Result<SalesOrderDraft> resolve(const model::Order& order, const std::string&) override;
    // The two halves of resolve(), for `mlc ping <flow>`'s fit report.
    Result<std::string> resolve_customer(const model::Order& order);
    Result<std::string> resolve_part(const model::Order& order, const model::OrderLine& line);

  private:
    Error unresolved(const model::Order& order, std::string message) const;

    EpicorClient& client_;
    const OrderResolverConfig& config_;
    PartResolver parts_;
    std::map<std::string, std::optional<std::string>> customers_;  // value -> CustID
};

}  // namespace mlc::connectors::epicor

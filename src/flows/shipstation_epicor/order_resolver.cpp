#include "flows/shipstation_epicor/order_resolver.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

Error unresolved(const model::Order& order, std::string message) {
    Error error = make_error(ErrorCode::kUnresolved, "epicor", std::move(message));
    error.record_key = "ShipStation order " + order.number + " (orderKey " + order.source.key + ")";
    return error;
}

}  // namespace

Result<ResolvedOrder> OrderResolver::resolve(const model::Order& order) {
    MLC_TRY(std::string customer_id, resolve_customer(order));
    ResolvedOrder resolved{.order = order, .customer_id = std::move(customer_id)};
    for (model::OrderLine& line : resolved.order.lines) {
        MLC_TRY(line.sku, resolve_part(order, line));
    }
    return resolved;
}

Result<std::string> OrderResolver::resolve_customer(const model::Order& order) {
    const bool by_email = options_.customer_match == CustomerMatch::kEmail;
    const std::string& value = by_email ? order.customer_email : order.customer_code;
    const char* what = by_email ? "customer email" : "customerUsername";
    // An explicit mapping is the operator's decision: it wins over any lookup.
    if (auto it = options_.customers.find(value);
        !value.empty() && it != options_.customers.end()) {
        return it->second;
    }
    if (!options_.fixed_customer.empty()) return options_.fixed_customer;
    if (value.empty()) {
        return unresolved(order, std::string("the order has no ") + what +
                                     ": set options.customer (one CustID for every order) or "
                                     "map it under mappings.customers, then replay");
    }
    auto cached = customers_.find(value);
    if (cached == customers_.end()) {
        auto found = by_email && options_.customer_field == "EMailAddress"
                         ? epicor_.find_customer_by_email(value)
                         : epicor_.find_customer_by_field(value);
        if (!found) return found.error();
        std::optional<std::string> cust_id;
        if (*found) cust_id = (*found)->source.key;
        cached = customers_.emplace(value, std::move(cust_id)).first;
    }
    if (!cached->second) {
        return unresolved(order, std::string("no Epicor customer has ") + options_.customer_field +
                                     " = '" + value + "' (ShipStation " + what +
                                     "): add mappings.customers: {\"" + value +
                                     "\": <CustID>} or create the customer, then replay");
    }
    return *cached->second;
}

Result<std::string> OrderResolver::resolve_part(const model::Order& order,
                                                const model::OrderLine& line) {
    if (line.sku.empty()) {
        return unresolved(order, "line " + line.line_key + " (\"" + line.description +
                                     "\") has no SKU: give the item a SKU in ShipStation, then "
                                     "replay");
    }
    auto part = parts_.resolve(line.sku);
    if (!part && part.error().code == ErrorCode::kUnresolved) {
        return unresolved(order, part.error().message);  // Names the order too.
    }
    return part;
}

}  // namespace mlc::flows::shipstation_epicor

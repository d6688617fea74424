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

Result<std::optional<std::string>> OrderResolver::part_exists(const std::string& part_num) {
    auto cached = parts_.find(part_num);
    if (cached == parts_.end()) {
        MLC_TRY(auto found, epicor_.find_part(part_num));
        std::optional<bool> active;
        if (found) active = found->active;
        cached = parts_.emplace(part_num, active).first;
    }
    if (!cached->second) return std::optional<std::string>{};
    if (!*cached->second) {
        // An inactive part is refused on order lines (sandbox/epicor/README.md): park it instead.
        return make_error(ErrorCode::kUnresolved, "epicor",
                          "part " + part_num +
                              " is inactive in Epicor: activate it or map the "
                              "SKU to another part under mappings.parts, then replay");
    }
    return std::optional<std::string>{part_num};
}

Result<std::string> OrderResolver::resolve_part(const model::Order& order,
                                                const model::OrderLine& line) {
    if (line.sku.empty()) {
        return unresolved(order, "line " + line.line_key + " (\"" + line.description +
                                     "\") has no SKU: give the item a SKU in ShipStation, then "
                                     "replay");
    }
    MLC_TRY(auto exact, part_exists(line.sku));
    if (exact) return *exact;
    auto mapped = options_.parts.find(line.sku);
    if (mapped == options_.parts.end()) {
        return unresolved(order, "SKU '" + line.sku +
                                     "' is not an Epicor PartNum: add mappings.parts: {\"" +
                                     line.sku + "\": <PartNum>} or create part " + line.sku +
                                     " in Epicor, then replay");
    }
    MLC_TRY(auto target, part_exists(mapped->second));
    if (!target) {
        return unresolved(order, "SKU '" + line.sku + "' maps to PartNum '" + mapped->second +
                                     "', which Epicor does not have: fix mappings.parts or "
                                     "create the part, then replay");
    }
    return *target;
}

}  // namespace mlc::flows::shipstation_epicor

#include "flows/epicor_woocommerce/orders_resolver.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

Error unresolved(const model::Order& order, std::string message) {
    Error error = make_error(ErrorCode::kUnresolved, "epicor", std::move(message));
    error.record_key = "Woo order " + order.number + " (id " + order.source.id + ")";
    return error;
}

}  // namespace

Result<WooResolvedOrder> WooOrderResolver::resolve(const model::Order& order) {
    MLC_TRY(std::string customer_id, resolve_customer(order));
    WooResolvedOrder resolved{.order = order, .customer_id = std::move(customer_id)};
    for (model::OrderLine& line : resolved.order.lines) {
        MLC_TRY(line.sku, resolve_part(order, line));
    }
    return resolved;
}

Result<std::string> WooOrderResolver::resolve_customer(const model::Order& order) {
    const std::string& email = order.customer_email;
    // An explicit mapping is the operator's decision: it wins over any lookup.
    if (auto it = options_.customers.find(email);
        !email.empty() && it != options_.customers.end()) {
        return it->second;
    }
    if (!options_.fixed_customer.empty()) return options_.fixed_customer;
    if (email.empty()) {
        return unresolved(order,
                          "the order has no billing email: set options.customer (one CustID for "
                          "every web order) or map the order's customer, then replay");
    }
    auto cached = customers_.find(email);
    if (cached == customers_.end()) {
        auto found = options_.customer_field == "EMailAddress"
                         ? epicor_.find_customer_by_email(email)
                         : epicor_.find_customer_by_field(email);
        if (!found) return found.error();
        std::optional<std::string> cust_id;
        if (*found) cust_id = (*found)->source.key;
        cached = customers_.emplace(email, std::move(cust_id)).first;
    }
    if (!cached->second) {
        return unresolved(order, "no Epicor customer has " + options_.customer_field + " = '" +
                                     email +
                                     "' (the Woo billing email): add mappings.customers: "
                                     "{\"" +
                                     email +
                                     "\": <CustID>}, create the customer in "
                                     "Epicor with that email, or set options.customer, then "
                                     "replay (mlc deadletters replay)");
    }
    return *cached->second;
}

Result<std::string> WooOrderResolver::resolve_part(const model::Order& order,
                                                   const model::OrderLine& line) {
    if (line.sku.empty()) {
        return unresolved(order, "line " + line.line_key + " (\"" + line.description +
                                     "\") has no SKU: give the Woo product a SKU (or map it), "
                                     "then replay");
    }
    auto part = parts_.resolve(line.sku);
    if (!part && part.error().code == ErrorCode::kUnresolved) {
        return unresolved(order, part.error().message);  // Names the order too.
    }
    return part;
}

}  // namespace mlc::flows::epicor_woocommerce

#include "connectors/epicor/epicor_resolver.hpp"

#include "common/mapping.hpp"

namespace mlc::connectors::epicor {
namespace {

Error unresolved_part(std::string message) {
    return make_error(ErrorCode::kUnresolved, "epicor", std::move(message));
}

}  // namespace

Result<std::optional<std::string>> PartResolver::active_part(const std::string& part_num) {
    auto cached = parts_.find(part_num);
    if (cached == parts_.end()) {
        MLC_TRY(auto found, client_.find_part(part_num));
        std::optional<bool> active;
        if (found) active = found->active;
        cached = parts_.emplace(part_num, active).first;
    }
    if (!cached->second) return std::optional<std::string>{};
    if (!*cached->second) {
        // An inactive part is refused on order lines (sandbox/epicor/README.md): park it instead.
        return unresolved_part("part " + part_num +
                               " is inactive in Epicor: activate it or map the SKU to another "
                               "part under mappings.parts, then replay");
    }
    return std::optional<std::string>{part_num};
}

Result<std::string> PartResolver::resolve(const std::string& sku) {
    MLC_TRY(auto exact, active_part(sku));
    if (exact) return *exact;
    const std::optional<std::string> mapped = map_lookup(mappings_, sku);
    if (!mapped) {
        return unresolved_part("SKU '" + sku +
                               "' is not an Epicor PartNum: add mappings.parts: {\"" + sku +
                               "\": <PartNum>} or create part " + sku +
                               " in Epicor, then replay (mlc deadletters replay)");
    }
    MLC_TRY(auto target, active_part(*mapped));
    if (!target) {
        return unresolved_part("SKU '" + sku + "' maps to PartNum '" + *mapped +
                               "', which Epicor does not have: fix mappings.parts or create the "
                               "part, then replay");
    }
    return *target;
}

Error OrderResolver::unresolved(const model::Order& order, std::string message) const {
    Error error = make_error(ErrorCode::kUnresolved, "epicor", std::move(message));
    error.record_key = config_.label ? config_.label(order) : "order " + order.number;
    return error;
}

Result<SalesOrderDraft> OrderResolver::resolve(const model::Order& order, const std::string&) {
    MLC_TRY(std::string customer_id, resolve_customer(order));
    SalesOrderDraft draft{.order = order, .customer_id = std::move(customer_id)};
    for (model::OrderLine& line : draft.order.lines) {
        MLC_TRY(line.sku, resolve_part(order, line));
    }
    draft.order.source.key = config_.key_prefix + order.source.key;
    return draft;
}

Result<std::string> OrderResolver::resolve_customer(const model::Order& order) {
    const bool by_email = config_.customer_by == OrderResolverConfig::CustomerBy::kEmail;
    const std::string& value = by_email ? order.customer_email : order.customer_code;
    const std::string& what = config_.customer_value_name;
    // An explicit mapping is the operator's decision: it wins over any lookup.
    if (!value.empty()) {
        if (auto mapped = map_lookup(*config_.customers, value)) return *mapped;
    }
    if (!config_.fixed_customer.empty()) return config_.fixed_customer;
    if (value.empty()) {
        return unresolved(order, "the order has no " + what +
                                     ": set options.customer (one CustID for every order) or "
                                     "map it under mappings.customers, then replay");
    }
    auto cached = customers_.find(value);
    if (cached == customers_.end()) {
        auto found = by_email && config_.customer_field == "EMailAddress"
                         ? client_.find_customer_by_email(value)
                         : client_.find_customer_by_field(value);
        if (!found) return found.error();
        std::optional<std::string> cust_id;
        if (*found) cust_id = (*found)->source.key;
        cached = customers_.emplace(value, std::move(cust_id)).first;
    }
    if (!cached->second) {
        return unresolved(order, "no Epicor customer has " + config_.customer_field + " = '" +
                                     value + "' (the " + what + "): add mappings.customers: {\"" +
                                     value +
                                     "\": <CustID>}, create the customer in Epicor, or "
                                     "set options.customer, then replay (mlc deadletters "
                                     "replay)");
    }
    return *cached->second;
}

Result<std::string> OrderResolver::resolve_part(const model::Order& order,
                                                const model::OrderLine& line) {
    if (line.sku.empty()) {
        return unresolved(order, "line " + line.line_key + " (\"" + line.description +
                                     "\") has no SKU: give the item a SKU (or map it), then "
                                     "replay");
    }
    auto part = parts_.resolve(line.sku);
    if (!part && part.error().code == ErrorCode::kUnresolved) {
        return unresolved(order, part.error().message);  // Names the order too.
    }
    return part;
}

}  // namespace mlc::connectors::epicor

#include "connectors/shipstation/shipstation_targets.hpp"

#include <charconv>

#include "model/order_hash.hpp"

namespace mlc::connectors::shipstation {
namespace {

Result<std::int64_t> order_id(const std::string& id) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (ec != std::errc() || end != id.data() + id.size() || value <= 0) {
        return make_error(ErrorCode::kInternal, "store",
                          "binding holds '" + id + "', which is no ShipStation orderId");
    }
    return value;
}

}  // namespace

Result<std::string> OrdersTarget::create(const model::Order& order) {
    MLC_TRY(auto written, client_.create_or_update_order({.order = order}));
    return written.value.source.id;
}

Result<void> OrdersTarget::update(const std::string& id, const model::Order& order) {
    MLC_TRY(const std::int64_t num, order_id(id));
    MLC_TRY(auto current, client_.get_order(num));
    const model::OrderStatus status = current.value.status;
    if (status == model::OrderStatus::kShipped || status == model::OrderStatus::kCancelled) {
        return ok();  // What ShipStation finished is not reopened by a later edit at the source.
    }
    MLC_TRY(auto written, client_.create_or_update_order({.order = order, .order_id = num}));
    (void)written;
    return ok();
}

Result<void> OrdersTarget::close(const std::string& id) {
    MLC_TRY(const std::int64_t num, order_id(id));
    MLC_TRY(auto current, client_.get_order(num));
    model::Order order = std::move(current.value);
    if (order.status == model::OrderStatus::kCancelled) return ok();
    if (order.status == model::OrderStatus::kShipped) {
        return make_error(ErrorCode::kRejected, "shipstation",
                          "ShipStation order " + order.number + " (orderKey " + order.source.key +
                              ") was already shipped, so it is not cancelled: handle the return "
                              "in ShipStation, then mark this letter resolved");
    }
    order.status = model::OrderStatus::kCancelled;
    MLC_TRY(auto written, client_.create_or_update_order({.order = order, .order_id = num}));
    (void)written;
    return ok();
}

Result<std::vector<Result<std::string>>> OrdersBatchTarget::write(
    const std::vector<BatchWrite<model::Order>>& writes) {
    std::vector<CreateOrUpdateOrderRequest> requests;
    requests.reserve(writes.size());
    for (const auto& write : writes) {
        CreateOrUpdateOrderRequest request{.order = *write.record};
        if (!write.id.empty()) {
            MLC_TRY(request.order_id, order_id(write.id));
        }
        requests.push_back(std::move(request));
    }
    MLC_TRY(auto outcomes, client_.create_orders(requests));
    for (std::size_t i = 0; i < outcomes.size() && i < writes.size(); ++i) {
        if (outcomes[i] || !requests[i].order_id) continue;
        if (auto locked = locked_error(*requests[i].order_id, *writes[i].record)) {
            outcomes[i] = std::move(*locked);
        }
    }
    return outcomes;
}

// ShipStation keeps shipped and cancelled orders locked against API changes (shipstation.md):
// a refused update of one is kLocked naming what differs, so the pipeline records a difference
// instead of parking it. nullopt when the order is not locked (or cannot be read: the refusal
// stands).
std::optional<Error> OrdersBatchTarget::locked_error(std::int64_t id, const model::Order& wanted) {
    auto current = client_.get_order(id);
    if (!current) return std::nullopt;
    const model::Order& there = current->value;
    if (there.status != model::OrderStatus::kShipped &&
        there.status != model::OrderStatus::kCancelled) {
        return std::nullopt;
    }
    const bool shipped = there.status == model::OrderStatus::kShipped;
    std::string differs;
    for (const std::string& part :
         model::order_differences(wanted, there, "the source", "ShipStation")) {
        differs += (differs.empty() ? "" : "; ") + part;
    }
    Error error = make_error(
        ErrorCode::kLocked, "shipstation",
        "ShipStation order " + there.number + " (orderKey " + wanted.source.key + ") is " +
            (shipped ? "shipped" : "cancelled") +
            ", and ShipStation keeps it locked, so the edit is not sent. What differs: " +
            (differs.empty() ? std::string("its status only") : differs) +
            ". Fix: settle it by hand in ShipStation (" +
            (shipped ? "ship the difference as a new order, or handle a return"
                     : "re-create the order there if it must ship") +
            "), or edit the source back; then `mlc differences dismiss`");
    error.record_key = "order " + wanted.source.key;
    return error;
}

std::string OrdersTarget::describe(const model::Order& order) const {
    return "orderKey " + order.source.key + ", " + std::to_string(order.lines.size()) +
           " lines, total " + order.total.to_string(2);
}

}  // namespace mlc::connectors::shipstation

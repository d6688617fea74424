#include "connectors/shipstation/shipstation_targets.hpp"

#include <charconv>

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
    return client_.create_orders(requests);
}

std::string OrdersTarget::describe(const model::Order& order) const {
    return "orderKey " + order.source.key + ", " + std::to_string(order.lines.size()) +
           " lines, total " + order.total.to_string(2);
}

}  // namespace mlc::connectors::shipstation

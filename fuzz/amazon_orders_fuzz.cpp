// The Amazon connector's orders readers (connectors/amazon/amazon_orders.hpp): a searchOrders
// answer's `orders` (Orders 2026-01-01), a v0 getOrders answer's payload.Orders with their
// OrderItems, one order object of either shape, a getOrder answer's fulfilment (items, packages:
// connectors/amazon/amazon_shipments.hpp), and a non-2xx answer's SP-API error body for each
// operation the flows call. Whatever is read is a model order that names its AmazonOrderId.
//
// Input: an answer body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>

#include "connectors/amazon/amazon_errors.hpp"
#include "connectors/amazon/amazon_orders.hpp"
#include "connectors/amazon/amazon_shipments.hpp"

namespace {

namespace amazon = mlc::connectors::amazon;
namespace json = boost::json;

const json::array kNoItems;

void read_order(const json::value& order, const json::array& items) {
    if (!order.is_object()) return;
    if (auto read = amazon::order_from_2026(order.get_object())) {
        if (read->source.key.empty()) __builtin_trap();
        (void)amazon::order_ref(*read);
    }
    if (auto read = amazon::order_from_v0(order.get_object(), items)) {
        if (read->source.key.empty()) __builtin_trap();
    }
    if (auto read = amazon::fulfilment_from_2026(order.get_object())) {
        if (read->order_id.empty()) __builtin_trap();
    }
}

const json::array& array_at(const json::object& object, std::string_view name) {
    const json::value* value = object.if_contains(name);
    return value != nullptr && value->is_array() ? value->get_array() : kNoItems;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    (void)amazon::read_amazon_error(body);
    for (const char* operation :
         {"searchOrders", "getOrders", "getOrderItems", "getOrder", "confirmShipment"}) {
        for (const int status : {400, 403, 404, 429, 500}) {
            const mlc::net::HttpResponse response{
                .status = status, .headers = {}, .body = std::string(body)};
            (void)amazon::map_amazon_error(
                response,
                {.connection = "amazon-fuzz", .operation = operation, .record_key = "order 1"});
        }
    }
    boost::system::error_code ec;
    const json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) return 0;
    const json::object& root = parsed.get_object();
    read_order(parsed, array_at(root, "OrderItems"));
    if (const json::value* order = root.if_contains("order")) read_order(*order, kNoItems);
    for (const json::value& order : array_at(root, "orders")) read_order(order, kNoItems);
    if (const json::value* payload = root.if_contains("payload"); payload && payload->is_object()) {
        const json::object& p = payload->get_object();
        for (const json::value& order : array_at(p, "Orders")) {
            read_order(order,
                       order.is_object() ? array_at(order.get_object(), "OrderItems") : kNoItems);
        }
    }
    return 0;
}

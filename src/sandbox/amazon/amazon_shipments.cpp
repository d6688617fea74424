// confirmShipment (Orders v0, POST /orders/v0/orders/{orderId}/shipmentConfirmation): a seller
// confirms a package of a merchant-fulfilled order; 204 with no body. The package is then listed
// by Orders 2026-01-01 getOrder/searchOrders under PACKAGES, the items' shipped quantities grow
// and the order becomes PartiallyShipped, then Shipped.
//
// Facts beyond the model (README.md lists them): packageReferenceId is a positive number sent as
// a string (selling-partner-api-models issue 5094, jlevers/selling-partner-api issue 489); a
// package confirmed again, or an order already fulfilled, answers "Failed to create package due
// to not finding a matching package or order already fulfilled." (models issue 5037); a shipDate
// that is not ISO 8601 answers the model's own example ("Invalid Input").
#include <algorithm>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/amazon/amazon_json.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;

constexpr std::string_view kAlreadyFulfilled =
    "Failed to create package due to not finding a matching package or order already fulfilled.";

const json::string* text_field(const json::object& object, std::string_view name) {
    const auto* value = object.if_contains(name);
    return value != nullptr && value->is_string() ? &value->get_string() : nullptr;
}

std::optional<net::HttpResponse> read_reference(const json::object& detail, Package& package) {
    const auto* value = detail.if_contains("packageReferenceId");
    if (value == nullptr) return invalid_input("Missing required field: packageReferenceId.");
    if (!value->is_string()) {
        return invalid_input(
            "The input you have submitted is not valid. Please check the fields with invalid "
            "type [packageDetail.packageReferenceId].");
    }
    const auto number = parse_int(value->get_string());
    if (!number || *number <= 0) {
        return invalid_input("PackageReferenceId: is invalid, must be a positive numeric value.");
    }
    package.reference_id = std::string(value->get_string());
    return std::nullopt;
}

std::optional<net::HttpResponse> read_items(const json::object& detail, Package& package) {
    const auto* items = detail.if_contains("orderItems");
    if (items == nullptr || !items->is_array() || items->get_array().empty()) {
        return invalid_input("Missing required field: orderItems.");
    }
    for (const auto& value : items->get_array()) {
        const auto* item = value.if_object();
        const auto* id = item != nullptr ? text_field(*item, "orderItemId") : nullptr;
        const auto* quantity = item != nullptr ? item->if_contains("quantity") : nullptr;
        if (id == nullptr || quantity == nullptr || !quantity->is_int64() ||
            quantity->get_int64() < 1) {
            return invalid_input(
                "Each order item needs an orderItemId and a quantity of 1 or more.");
        }
        package.items.push_back(
            {.order_item_id = std::string(*id), .quantity = quantity->get_int64()});
    }
    return std::nullopt;
}

// The request body -> the package (with marketplaceId), or Amazon's 400.
std::optional<net::HttpResponse> read_package(const net::HttpRequest& request,
                                              std::string& marketplace, Package& package) {
    boost::system::error_code ec;
    const json::value parsed = json::parse(request.body, ec);
    if (ec || !parsed.is_object()) return invalid_input("The body must be a JSON object.");
    const json::object& body = parsed.get_object();
    const auto* market = text_field(body, "marketplaceId");
    const auto* detail_value = body.if_contains("packageDetail");
    if (market == nullptr || detail_value == nullptr || !detail_value->is_object()) {
        return invalid_input("marketplaceId and packageDetail are required.");
    }
    marketplace = std::string(*market);
    const json::object& detail = detail_value->get_object();
    if (auto error = read_reference(detail, package)) return error;
    const auto* carrier = text_field(detail, "carrierCode");
    const auto* tracking = text_field(detail, "trackingNumber");
    const auto* ship_date = text_field(detail, "shipDate");
    if (carrier == nullptr || carrier->empty() || tracking == nullptr || tracking->empty() ||
        ship_date == nullptr) {
        return invalid_input("Missing required field: carrierCode, trackingNumber or shipDate.");
    }
    const auto date = parse_iso8601(*ship_date);
    if (!date) return amazon_error(400, "Invalid Input", "Invalid Input");
    package.carrier_code = std::string(*carrier);
    package.tracking_number = std::string(*tracking);
    package.ship_date = *date;
    if (const auto* name = text_field(detail, "carrierName")) package.carrier_name = *name;
    if (const auto* method = text_field(detail, "shippingMethod"))
        package.shipping_method = *method;
    if (package.carrier_code == "Other" && package.carrier_name.empty()) {
        return invalid_input("carrierName is required when carrierCode is Other.");
    }
    return read_items(detail, package);
}

// Whether `order` can take `package`: the order's state, the items and their open quantities.
std::optional<net::HttpResponse> check_package(const Order& order, const Package& package) {
    if (order.amazon_fulfilled) {
        return invalid_input("Order " + order.id + " is fulfilled by Amazon: nothing to confirm.");
    }
    if (order.status == "Pending" || order.status == "Canceled") {
        return invalid_input("Order " + order.id + " is " + order.status +
                             ": it cannot be shipped.");
    }
    const bool repeated = std::any_of(
        order.packages.begin(), order.packages.end(),
        [&](const Package& known) { return known.reference_id == package.reference_id; });
    if (order.status == "Shipped" || repeated) return invalid_input(kAlreadyFulfilled);
    for (const auto& wanted : package.items) {
        const auto item = std::find_if(order.items.begin(), order.items.end(), [&](const auto& i) {
            return i.order_item_id == wanted.order_item_id;
        });
        if (item == order.items.end()) {
            return invalid_input("Invalid orderItemId: " + wanted.order_item_id);
        }
        std::int64_t asked = 0;
        for (const auto& other : package.items) {
            if (other.order_item_id == wanted.order_item_id) asked += other.quantity;
        }
        if (asked > item->quantity - item->quantity_shipped)
            return invalid_input(kAlreadyFulfilled);
    }
    return std::nullopt;
}

}  // namespace

net::HttpResponse AmazonEmulator::confirm_shipment(std::string_view id,
                                                   const net::HttpRequest& request) {
    const auto found = order_index_.find(std::string(id));
    if (found == order_index_.end() || visible_order(id) == nullptr) {
        return amazon_error(404, "NotFound", "Order not found: " + std::string(id));
    }
    std::string marketplace;
    Package package;
    if (auto error = read_package(request, marketplace, package)) return std::move(*error);
    Order& order = orders_[found->second];
    if (marketplace != order.marketplace_id) {
        return invalid_input("marketplaceId " + marketplace + " is not the order's marketplace.");
    }
    if (auto error = check_package(order, package)) return std::move(*error);
    const UtcTime now = context_.clock.now();
    for (const auto& shipped : package.items) {
        for (auto& item : order.items) {
            if (item.order_item_id == shipped.order_item_id)
                item.quantity_shipped += shipped.quantity;
        }
    }
    package.created = now;
    order.packages.push_back(std::move(package));
    const bool all = std::all_of(order.items.begin(), order.items.end(), [](const OrderItem& i) {
        return i.quantity_shipped >= i.quantity;
    });
    order.status = all ? "Shipped" : "PartiallyShipped";
    if (all) order.shipped = now;  // Its sale posts to the next settlement.
    order.updated = now;
    net::HttpResponse response;
    response.status = 204;
    return response;
}

}  // namespace mlc::sandbox::amazon

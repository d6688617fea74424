#include "connectors/amazon/amazon_shipments.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::amazon {
namespace {

namespace json = boost::json;

std::string text(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t whole(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

const json::object& object_of(const json::object& object, std::string_view key) {
    static const json::object kEmpty;
    const json::value* v = object.if_contains(key);
    return v != nullptr && v->is_object() ? v->get_object() : kEmpty;
}

const json::array& array_of(const json::object& object, std::string_view key) {
    static const json::array kEmpty;
    const json::value* v = object.if_contains(key);
    return v != nullptr && v->is_array() ? v->get_array() : kEmpty;
}

}  // namespace

Result<Fulfilment> fulfilment_from_2026(const json::object& order) {
    Fulfilment out{.order_id = text(order, "orderId")};
    if (out.order_id.empty()) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "getOrder answered an order without an orderId");
    }
    out.marketplace_id = text(object_of(order, "salesChannel"), "marketplaceId");
    const json::object& fulfillment = object_of(order, "fulfillment");
    out.status = text(fulfillment, "fulfillmentStatus");
    out.merchant_fulfilled = text(fulfillment, "fulfilledBy") != "AMAZON";
    for (const json::value& value : array_of(order, "orderItems")) {
        if (!value.is_object()) continue;
        const json::object& item = value.get_object();
        out.items.push_back(
            {.order_item_id = text(item, "orderItemId"),
             .seller_sku = text(object_of(item, "product"), "sellerSku"),
             .ordered = whole(item, "quantityOrdered"),
             .shipped = whole(object_of(item, "fulfillment"), "quantityFulfilled")});
    }
    for (const json::value& value : array_of(order, "packages")) {
        if (!value.is_object()) continue;
        const json::object& package = value.get_object();
        ConfirmedPackage read{.reference_id = text(package, "packageReferenceId"),
                              .tracking_number = text(package, "trackingNumber")};
        for (const json::value& item : array_of(package, "packageItems")) {
            if (!item.is_object()) continue;
            read.items.push_back({.order_item_id = text(item.get_object(), "orderItemId"),
                                  .quantity = whole(item.get_object(), "quantity")});
        }
        out.packages.push_back(std::move(read));
    }
    return out;
}

const ConfirmedPackage* Fulfilment::package(std::string_view reference_id) const {
    for (const ConfirmedPackage& known : packages) {
        if (known.reference_id == reference_id) return &known;
    }
    return nullptr;
}

Result<std::optional<Fulfilment>> read_fulfilment(AmazonClient& client,
                                                  const std::string& order_id) {
    auto answer = client.call({.operation = "getOrder",
                               .path = "/orders/2026-01-01/orders/" + net::url_encode(order_id) +
                                       "?includedData=FULFILLMENT%2CPACKAGES",
                               .record_key = "order " + order_id});
    if (!answer && answer.error().code == ErrorCode::kNotFound) {
        return std::optional<Fulfilment>{};
    }
    if (!answer) return std::move(answer).error();
    json::error_code ec;
    const json::value body = json::parse(answer->body, ec);
    const json::value* order =
        !ec && body.is_object() ? body.get_object().if_contains("order") : nullptr;
    if (order == nullptr || !order->is_object()) {
        return make_error(ErrorCode::kTransient, std::string(kSystem),
                          "Amazon answered getOrder for " + order_id +
                              " without an order object: the next run reads it again");
    }
    MLC_TRY(Fulfilment found, fulfilment_from_2026(order->get_object()));
    return std::optional{std::move(found)};
}

std::string confirmation_body(const PackageConfirmation& c) {
    json::array items;
    for (const ConfirmedItem& item : c.items) {
        items.push_back(
            json::object{{"orderItemId", item.order_item_id}, {"quantity", item.quantity}});
    }
    json::object detail{
        {"packageReferenceId", c.package_reference_id},
        {"carrierCode", c.carrier_code},
        {"trackingNumber", c.tracking_number},
        {"shipDate", format_iso8601(std::chrono::floor<std::chrono::seconds>(c.ship_date))},
        {"orderItems", std::move(items)}};
    if (!c.carrier_name.empty()) detail["carrierName"] = c.carrier_name;
    if (!c.shipping_method.empty()) detail["shippingMethod"] = c.shipping_method;
    return json::serialize(
        json::object{{"marketplaceId", c.marketplace_id}, {"packageDetail", std::move(detail)}});
}

std::string package_key(std::string_view order_id, std::string_view reference) {
    return std::string(order_id) + "/" + std::string(reference);
}

Result<std::optional<std::string>> ShipmentConfirmations::find_by_source(const std::string& key) {
    const auto slash = key.find('/');
    if (slash == std::string::npos) return std::optional<std::string>{};
    MLC_TRY(auto found, read_fulfilment(client_, key.substr(0, slash)));
    if (!found) return std::optional<std::string>{};
    if (found->package(key.substr(slash + 1)) == nullptr) return std::optional<std::string>{};
    return std::optional{key};
}

Result<std::string> ShipmentConfirmations::create(const PackageConfirmation& c) {
    MLC_CHECK(client_.call(
        {.operation = "confirmShipment",
         .method = "POST",
         .path = "/orders/v0/orders/" + net::url_encode(c.order_id) + "/shipmentConfirmation",
         .body = confirmation_body(c),
         .idempotent = false,
         .record_key = "package " + c.package_reference_id + " of order " + c.order_id}));
    return package_key(c.order_id, c.package_reference_id);
}

Result<void> ShipmentConfirmations::update(const std::string& id, const PackageConfirmation& c) {
    return make_error(ErrorCode::kLocked, std::string(kSystem),
                      "package " + id +
                          " is confirmed in Amazon, which does not change a "
                          "confirmed package: correct it in Seller Central (now: " +
                          describe(c) + ")");
}

Result<void> ShipmentConfirmations::close(const std::string& id) {
    return make_error(ErrorCode::kLocked, std::string(kSystem),
                      "package " + id +
                          " is confirmed in Amazon, which cannot withdraw a confirmation: "
                          "handle it in Seller Central");
}

std::string ShipmentConfirmations::describe(const PackageConfirmation& c) const {
    std::int64_t units = 0;
    for (const ConfirmedItem& item : c.items) units += item.quantity;
    return "order " + c.order_id + ", package " + c.package_reference_id + ", " +
           (c.carrier_code == "Other" ? c.carrier_name : c.carrier_code) + " " + c.tracking_number +
           ", " + std::to_string(units) + " unit" + (units == 1 ? "" : "s");
}

}  // namespace mlc::connectors::amazon

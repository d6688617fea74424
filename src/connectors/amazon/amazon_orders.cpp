#include "connectors/amazon/amazon_orders.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::connectors::amazon {
namespace {

namespace json = boost::json;

std::string text(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::object& child(const json::object& object, std::string_view key) {
    static const json::object kEmpty;
    const json::value* v = object.if_contains(key);
    return v && v->is_object() ? v->as_object() : kEmpty;
}

Error bad(const std::string& id, std::string message) {
    Error error = make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                             "Amazon order " + (id.empty() ? "(no id)" : id) + ": " +
                                 std::move(message) + ": fix it in Seller Central or report it");
    error.record_key = "order " + id;
    return error;
}

// A money object {amount, currencyCode} (2026) or {Amount, CurrencyCode} (v0); zero when absent.
Result<Decimal> amount(const json::object& money, const std::string& id, std::string_view what) {
    std::string value = text(money, "amount");
    if (value.empty()) value = text(money, "Amount");
    if (value.empty()) return Decimal{};
    auto parsed = Decimal::parse(value);
    if (!parsed) return bad(id, std::string(what) + " is not an amount ('" + value + "')");
    return *parsed;
}

Result<UtcTime> time_of(const json::object& object, std::string_view key, const std::string& id) {
    const std::string value = text(object, key);
    auto parsed = parse_iso8601(value);
    if (!parsed) return bad(id, std::string(key) + " is not an ISO 8601 time ('" + value + "')");
    return *parsed;
}

std::int64_t integer(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    if (v == nullptr) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    return 0;
}

// 2026-01-01 fulfillmentStatus and v0 OrderStatus -> the model's status.
model::OrderStatus status_of(std::string_view status) {
    if (status == "CANCELLED" || status == "Canceled") return model::OrderStatus::kCancelled;
    if (status == "SHIPPED" || status == "Shipped") return model::OrderStatus::kShipped;
    if (status == "PENDING" || status == "Pending" || status == "PENDING_AVAILABILITY" ||
        status == "PendingAvailability") {
        return model::OrderStatus::kPending;
    }
    if (status == "UNFULFILLABLE" || status == "Unfulfillable") return model::OrderStatus::kOnHold;
    return model::OrderStatus::kOpen;  // UNSHIPPED, PARTIALLY_SHIPPED
}

Result<model::OrderLine> line_2026(const json::object& item, const std::string& id) {
    const json::object& product = child(item, "product");
    model::OrderLine line{.line_key = text(item, "orderItemId"),
                          .sku = text(product, "sellerSku"),
                          .description = text(product, "title"),
                          .quantity = Decimal::from_int(integer(item, "quantityOrdered")),
                          .unit_price = {},
                          .tax = {},
                          .discount = {}};
    MLC_TRY(line.unit_price,
            amount(child(child(product, "price"), "unitPrice"), id, "an item's unitPrice"));
    const json::object& proceeds = child(item, "proceeds");
    if (proceeds.contains("proceedsTotal")) {
        MLC_TRY(Decimal total, amount(child(proceeds, "proceedsTotal"), id, "proceedsTotal"));
        const Decimal gross = line.unit_price.mul(integer(item, "quantityOrdered"));
        if (gross > total) line.discount = gross - total;
    }
    return line;
}

}  // namespace

Result<void> check_orders_options(const OrdersSourceOptions& options, UtcTime now,
                                  std::string_view connection) {
    const std::string who = "connection '" + std::string(connection) + "'";
    if (options.api == OrdersApi::kV0 && now >= parse_iso8601(kV0RetiredOn).value()) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          who +
                              ": orders_api v0 is retired: Amazon removes the Orders v0 "
                              "operations (getOrders, getOrderItems) on 2027-03-27; remove "
                              "`orders_api: v0` to read Orders 2026-01-01 (searchOrders)");
    }
    if (options.window.start < now - kOrdersKept) {
        return make_error(
            ErrorCode::kConfig, std::string(kSystem),
            who + ": the backfill start " + format_iso8601(options.window.start) +
                " is more than two years ago: Amazon never returns orders older than two years, "
                "so they would be missed silently; set options.start to " +
                format_iso8601(now - kOrdersKept + std::chrono::hours(24)) +
                " or later and enter older orders by hand");
    }
    return ok();
}

Result<model::Order> order_from_2026(const json::object& o) {
    model::Order order;
    const std::string id = text(o, "orderId");
    if (id.empty()) return bad(id, "the order has no orderId");
    order.source = {.system = std::string(kSystem), .key = id, .id = id};
    order.number = id;
    MLC_TRY(order.ordered_at, time_of(o, "createdTime", id));
    MLC_TRY(order.modified_at, time_of(o, "lastUpdatedTime", id));
    order.customer_code = text(child(o, "salesChannel"), "marketplaceId");
    const json::object& fulfillment = child(o, "fulfillment");
    order.source_status = text(fulfillment, "fulfillmentStatus");
    order.status = status_of(order.source_status);
    const json::object& buyer = child(o, "buyer");
    order.customer_name = text(buyer, "buyerName");
    order.customer_email = text(buyer, "buyerEmail");
    const json::object& to = child(child(o, "recipient"), "deliveryAddress");
    order.ship_to = {.name = text(to, "name"),
                     .company = text(to, "companyName"),
                     .street1 = text(to, "addressLine1"),
                     .street2 = text(to, "addressLine2"),
                     .street3 = text(to, "addressLine3"),
                     .city = text(to, "city"),
                     .state = text(to, "stateOrRegion"),
                     .postal_code = text(to, "postalCode"),
                     .country = text(to, "countryCode"),
                     .phone = text(to, "phone"),
                     .email = {},
                     .residential = text(to, "addressType") == "RESIDENTIAL"};
    order.bill_to = order.ship_to;
    const json::object& total = child(child(o, "proceeds"), "grandTotal");
    MLC_TRY(order.total, amount(total, id, "grandTotal"));
    if (const std::string currency = text(total, "currencyCode"); !currency.empty()) {
        order.currency = currency;
    }
    order.requested_service = text(fulfillment, "fulfilledBy");  // AMAZON (FBA) or MERCHANT
    if (const json::value* items = o.if_contains("orderItems"); items && items->is_array()) {
        for (const json::value& item : items->as_array()) {
            if (!item.is_object()) return bad(id, "an order item is not an object");
            MLC_TRY(model::OrderLine line, line_2026(item.as_object(), id));
            order.discount_total += line.discount;
            order.lines.push_back(std::move(line));
        }
    }
    return order;
}

Result<model::Order> order_from_v0(const json::object& o, const json::array& items) {
    model::Order order;
    const std::string id = text(o, "AmazonOrderId");
    if (id.empty()) return bad(id, "the order has no AmazonOrderId");
    order.source = {.system = std::string(kSystem), .key = id, .id = id};
    order.number = id;
    MLC_TRY(order.ordered_at, time_of(o, "PurchaseDate", id));
    MLC_TRY(order.modified_at, time_of(o, "LastUpdateDate", id));
    order.customer_code = text(o, "MarketplaceId");
    order.source_status = text(o, "OrderStatus");
    order.status = status_of(order.source_status);
    order.requested_service = text(o, "FulfillmentChannel") == "AFN" ? "AMAZON" : "MERCHANT";
    const json::object& buyer = child(o, "BuyerInfo");
    order.customer_email = text(buyer, "BuyerEmail");
    order.customer_name = text(buyer, "BuyerName");
    const json::object& total = child(o, "OrderTotal");
    MLC_TRY(order.total, amount(total, id, "OrderTotal"));
    if (const std::string currency = text(total, "CurrencyCode"); !currency.empty()) {
        order.currency = currency;
    }
    for (const json::value& value : items) {
        if (!value.is_object()) return bad(id, "an order item is not an object");
        const json::object& item = value.as_object();
        const std::int64_t quantity = integer(item, "QuantityOrdered");
        MLC_TRY(Decimal price, amount(child(item, "ItemPrice"), id, "ItemPrice"));
        model::OrderLine line{.line_key = text(item, "OrderItemId"),
                              .sku = text(item, "SellerSKU"),
                              .description = text(item, "Title"),
                              .quantity = Decimal::from_int(quantity),
                              .unit_price = {},
                              .tax = {},
                              .discount = {}};
        // ItemPrice is the line's price (unit price x quantity).
        line.unit_price = quantity > 0 ? Decimal::from_units(price.units() / quantity) : price;
        MLC_TRY(line.tax, amount(child(item, "ItemTax"), id, "ItemTax"));
        MLC_TRY(line.discount, amount(child(item, "PromotionDiscount"), id, "PromotionDiscount"));
        order.tax_total += line.tax;
        order.discount_total += line.discount;
        order.lines.push_back(std::move(line));
    }
    return order;
}

std::string order_ref(const model::Order& order) {
    return std::string(kSystem) + ":order:" + order.source.key;
}

SourceIdentity OrdersSource::identify(const model::Order& order) const {
    return SourceIdentity{.key = order.source.key,
                          .ref = order_ref(order),
                          .replay = order.source.key,
                          .label = "Amazon order " + order.source.key,
                          .version = order.modified_at};
}

}  // namespace mlc::connectors::amazon

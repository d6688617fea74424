// Orders 2026-01-01 (searchOrders, getOrder) and the v0 operations the fallback uses (getOrders,
// getOrder, getOrderItems).
#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "common/time.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/amazon/amazon_json.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;

struct StatusName {
    std::string_view v2026, v0;
};
constexpr StatusName kStatuses[] = {{"PENDING_AVAILABILITY", "PendingAvailability"},
                                    {"PENDING", "Pending"},
                                    {"UNSHIPPED", "Unshipped"},
                                    {"PARTIALLY_SHIPPED", "PartiallyShipped"},
                                    {"SHIPPED", "Shipped"},
                                    {"CANCELLED", "Canceled"},
                                    {"UNFULFILLABLE", "Unfulfillable"}};
constexpr std::string_view kIncludedData[] = {
    "BUYER",       "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION",         "CANCELLATION",
    "FULFILLMENT", "PACKAGES",  "TAX",      "PAYMENT", "FULFILLMENT_ORDERS"};

// The parameter names of the two versions: camelCase (2026-01-01) and PascalCase (v0).
struct Names {
    std::string_view created_after, created_before, updated_after, updated_before, statuses,
        marketplaces, channels, page_size, token;
};
constexpr Names k2026{"createdAfter",      "createdBefore",       "lastUpdatedAfter",
                      "lastUpdatedBefore", "fulfillmentStatuses", "marketplaceIds",
                      "fulfilledBy",       "maxResultsPerPage",   "paginationToken"};
constexpr Names kV0{"CreatedAfter",        "CreatedBefore",     "LastUpdatedAfter",
                    "LastUpdatedBefore",   "OrderStatuses",     "MarketplaceIds",
                    "FulfillmentChannels", "MaxResultsPerPage", "NextToken"};

std::optional<std::string> status_v0(std::string_view name, bool v0) {
    for (const auto& status : kStatuses) {
        if ((v0 ? status.v0 : status.v2026) == name) return std::string(status.v0);
    }
    return std::nullopt;
}

std::string status_2026(std::string_view v0_name) {
    for (const auto& status : kStatuses) {
        if (status.v0 == v0_name) return std::string(status.v2026);
    }
    return std::string(v0_name);
}

json::object money(const Decimal& amount, std::string_view currency, bool v0) {
    const std::string text = amount.to_string(currency_minor_digits(currency));
    if (v0) return {{"CurrencyCode", currency}, {"Amount", text}};  // Amount a string in v0
    return {{"amount", text}, {"currencyCode", currency}};
}

std::optional<UtcTime> time_param(std::string_view target, std::string_view name, bool& bad) {
    const auto text = net::query_param(target, name);
    if (!text) return std::nullopt;
    auto parsed = parse_iso8601(*text);
    if (!parsed) {
        bad = true;
        return std::nullopt;
    }
    return *parsed;
}

}  // namespace

std::optional<net::HttpResponse> AmazonEmulator::read_order_query(const net::HttpRequest& request,
                                                                  const Route& route, bool v0,
                                                                  OrderQuery& query) const {
    const Names& names = v0 ? kV0 : k2026;
    const std::string& url = request.url;
    query.marketplaces = query_list(url, names.marketplaces);
    if (v0 && query.marketplaces.empty()) return invalid_input("MarketplaceIds is required.");
    if (query.marketplaces.size() > kMarketplaceIdsMax) {
        return invalid_input("Too many marketplace ids: at most 50.");
    }
    for (const auto& id : query.marketplaces) {
        if (!marketplace_in_region(route.region, id)) {
            return invalid_input("Invalid marketplace id for this region: " + id);
        }
    }
    bool bad = false;
    const auto created_after = time_param(url, names.created_after, bad);
    const auto created_before = time_param(url, names.created_before, bad);
    const auto updated_after = time_param(url, names.updated_after, bad);
    const auto updated_before = time_param(url, names.updated_before, bad);
    if (bad) return invalid_input("Dates must be in ISO 8601 format.");
    if (created_after.has_value() == updated_after.has_value()) {
        return invalid_input("Exactly one of " + std::string(names.created_after) + " and " +
                             std::string(names.updated_after) + " must be provided.");
    }
    query.by_created = created_after.has_value();
    if ((query.by_created && (updated_after || updated_before)) ||
        (!query.by_created && created_before)) {
        return invalid_input("Created and last-updated filters cannot be combined.");
    }
    query.after = query.by_created ? *created_after : *updated_after;
    const UtcTime latest = context_.clock.now() - kBeforeMargin;
    const auto before = query.by_created ? created_before : updated_before;
    query.before = before.value_or(latest);
    if (before && (*before < query.after || *before > latest)) {
        return invalid_input(
            "The Before date must be after the After date and at least two "
            "minutes before the time of the request.");
    }
    if (query.after > latest) {
        return invalid_input("The After date must be at least two minutes before now.");
    }
    for (const auto& name : query_list(url, names.statuses)) {
        auto status = status_v0(name, v0);
        if (!status) return invalid_input("Invalid order status: " + name);
        query.statuses.push_back(std::move(*status));
    }
    for (const auto& name : query_list(url, names.channels)) {
        const bool afn = v0 ? name == "AFN" : name == "AMAZON";
        const bool mfn = v0 ? name == "MFN" : name == "MERCHANT";
        if (!afn && !mfn) return invalid_input("Invalid fulfillment channel: " + name);
        query.channels.emplace_back(afn ? "AFN" : "MFN");
    }
    if (const auto size = net::query_param(url, names.page_size)) {
        const auto value = parse_int(*size);
        if (!value || *value < 1 || *value > kOrdersPageMax) {
            return invalid_input(std::string(names.page_size) + " must be between 1 and 100.");
        }
        query.page_size = static_cast<std::size_t>(*value);
    }
    return std::nullopt;
}

const Order* AmazonEmulator::visible_order(std::string_view id) const {
    const auto found = order_index_.find(std::string(id));
    if (found == order_index_.end()) return nullptr;
    const Order& order = orders_[found->second];
    // Orders older than two years are not returned (amazon-sp-api.md).
    if (order.created < context_.clock.now() - kOrdersKept) return nullptr;
    return &order;
}

std::vector<const Order*> AmazonEmulator::select_orders(const OrderQuery& query) const {
    const UtcTime oldest = context_.clock.now() - kOrdersKept;
    std::vector<const Order*> out;
    const auto listed = [](const std::vector<std::string>& list, const std::string& value) {
        return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
    };
    for (const auto& order : orders_) {
        const UtcTime at = query.by_created ? order.created : order.updated;
        if (order.created < oldest || at < query.after || at > query.before) continue;
        if (!query.marketplaces.empty() && !listed(query.marketplaces, order.marketplace_id)) {
            continue;
        }
        if (!listed(query.statuses, order.status)) continue;
        if (!listed(query.channels, order.amazon_fulfilled ? "AFN" : "MFN")) continue;
        out.push_back(&order);
    }
    std::stable_sort(out.begin(), out.end(), [&](const Order* a, const Order* b) {
        return query.by_created ? a->created < b->created : a->updated < b->updated;
    });
    return out;
}

std::string AmazonEmulator::new_page_token(PageCursor cursor, bool v0) {
    if (page_tokens_.size() >= kPageTokensKept) page_tokens_.erase(page_tokens_.begin());
    // Bytes FB FF BF encode as "+/+/": a token sent without URL encoding does not come back.
    const std::uint64_t serial = ++next_page_token_;
    const std::string token =
        base64_encode(std::string("\xFB\xFF\xBF") + (v0 ? "v0:" : "v1:") + std::to_string(serial) +
                      ":" + draw_text(context_.seed, 60 + next_page_token_, 8, kUpperAlnum));
    page_tokens_[token] = std::move(cursor);
    return token;
}

namespace {

// Units of `item` shipped: all once the order is Shipped (seeded or set by control), else what
// confirmShipment confirmed.
std::int64_t units_shipped(const OrderItem& item, const Order& order) {
    return order.status == "Shipped" ? item.quantity : item.quantity_shipped;
}

json::object render_item_2026(const OrderItem& item, const Order& order,
                              const std::set<std::string>& included) {
    const std::int64_t shipped = units_shipped(item, order);
    json::object out{
        {"orderItemId", item.order_item_id},
        {"quantityOrdered", item.quantity},
        {"product",
         json::object{{"asin", item.asin},
                      {"title", item.title},
                      {"sellerSku", item.sku},
                      {"price", json::object{{"unitPrice",
                                              money(item.unit_price, order.currency, false)}}}}}};
    if (included.contains("PROCEEDS")) {
        const Decimal total = item.unit_price.mul(item.quantity) - item.promotion;
        out["proceeds"] = json::object{{"proceedsTotal", money(total, order.currency, false)}};
    }
    if (included.contains("FULFILLMENT")) {
        out["fulfillment"] = json::object{{"quantityFulfilled", shipped},
                                          {"quantityUnfulfilled", item.quantity - shipped}};
    }
    return out;
}

json::object render_package(const Package& package) {
    json::array items;
    for (const auto& item : package.items) {
        items.push_back(
            json::object{{"orderItemId", item.order_item_id}, {"quantity", item.quantity}});
    }
    json::object out{
        {"packageReferenceId", package.reference_id},
        {"createdTime", iso_seconds(package.created)},
        {"packageStatus", json::object{{"status", "SHIPPED"}}},
        {"carrier", package.carrier_code == "Other" ? package.carrier_name : package.carrier_code},
        {"shipTime", iso_seconds(package.ship_date)},
        {"trackingNumber", package.tracking_number},
        {"packageItems", std::move(items)}};
    if (!package.shipping_method.empty()) out["shippingService"] = package.shipping_method;
    return out;
}

json::object render_order_2026(const Order& order, const std::set<std::string>& included) {
    json::object out{{"orderId", order.id},
                     {"orderAliases", json::array{json::object{{"aliasId", order.seller_order_id},
                                                               {"aliasType", "SELLER_ORDER_ID"}}}},
                     {"createdTime", iso_seconds(order.created)},
                     {"lastUpdatedTime", iso_seconds(order.updated)},
                     {"programs", json::array{}},
                     {"associatedOrders", json::array{}},
                     {"salesChannel", json::object{{"channelName", "AMAZON"},
                                                   {"marketplaceId", order.marketplace_id},
                                                   {"marketplaceName", "Amazon.com"}}}};
    if (included.contains("BUYER")) {
        out["buyer"] =
            json::object{{"buyerName", order.buyer_name}, {"buyerEmail", order.buyer_email}};
    }
    if (included.contains("RECIPIENT")) {
        out["recipient"] =
            json::object{{"deliveryAddress", json::object{{"name", order.buyer_name},
                                                          {"city", order.city},
                                                          {"stateOrRegion", order.state},
                                                          {"postalCode", order.postal_code},
                                                          {"countryCode", "US"},
                                                          {"addressType", "RESIDENTIAL"}}}};
    }
    if (included.contains("PROCEEDS")) {
        out["proceeds"] =
            json::object{{"grandTotal", money(order_total(order), order.currency, false)}};
    }
    if (included.contains("FULFILLMENT")) {
        out["fulfillment"] =
            json::object{{"fulfillmentStatus", status_2026(order.status)},
                         {"fulfilledBy", order.amazon_fulfilled ? "AMAZON" : "MERCHANT"}};
    }
    if (included.contains("PACKAGES") && !order.amazon_fulfilled) {  // FBM orders only
        json::array packages;
        for (const auto& package : order.packages) packages.push_back(render_package(package));
        out["packages"] = std::move(packages);
    }
    json::array items;
    for (const auto& item : order.items) items.push_back(render_item_2026(item, order, included));
    out["orderItems"] = std::move(items);
    return out;
}

json::object render_order_v0(const Order& order) {
    std::int64_t units = 0;
    std::int64_t shipped = 0;
    for (const auto& item : order.items) {
        units += item.quantity;
        shipped += units_shipped(item, order);
    }
    return {{"AmazonOrderId", order.id},
            {"SellerOrderId", order.seller_order_id},
            {"PurchaseDate", iso_seconds(order.created)},
            {"LastUpdateDate", iso_seconds(order.updated)},
            {"OrderStatus", order.status},
            {"FulfillmentChannel", order.amazon_fulfilled ? "AFN" : "MFN"},
            {"SalesChannel", "Amazon.com"},
            {"OrderTotal", money(order_total(order), order.currency, true)},
            {"NumberOfItemsShipped", shipped},
            {"NumberOfItemsUnshipped", units - shipped},
            {"PaymentMethod", "Other"},
            {"MarketplaceId", order.marketplace_id},
            {"OrderType", "StandardOrder"},
            {"IsBusinessOrder", false},
            {"IsPrime", false},
            {"IsReplacementOrder", false}};
}

json::object render_item_v0(const OrderItem& item, const Order& order) {
    return {{"ASIN", item.asin},
            {"OrderItemId", item.order_item_id},
            {"SellerSKU", item.sku},
            {"Title", item.title},
            {"QuantityOrdered", item.quantity},
            {"QuantityShipped", units_shipped(item, order)},
            {"ItemPrice", money(item.unit_price.mul(item.quantity), order.currency, true)},
            {"ItemTax", money(item.unit_tax.mul(item.quantity), order.currency, true)},
            {"PromotionDiscount", money(item.promotion, order.currency, true)},
            {"ConditionId", "New"}};
}

}  // namespace

net::HttpResponse AmazonEmulator::search_orders(const net::HttpRequest& request,
                                                const Route& route) {
    PageCursor cursor{.query = request.url, .issued = context_.clock.now()};
    if (const auto token = net::query_param(request.url, "paginationToken")) {
        const auto found = page_tokens_.find(*token);
        if (found == page_tokens_.end() || found->first.size() < 8) {
            return invalid_input("Invalid paginationToken.");
        }
        // searchOrders pagination tokens expire after 24 hours (amazon-sp-api.md).
        if (context_.clock.now() - found->second.issued >= kPageTokenLifetime) {
            return invalid_input("The paginationToken has expired.");
        }
        cursor = found->second;
    }
    // includedData of this request, else of the first page's.
    std::set<std::string> included;
    const bool asked = net::query_param(request.url, "includedData").has_value();
    for (auto& name : query_list(asked ? request.url : cursor.query, "includedData")) {
        if (std::find(std::begin(kIncludedData), std::end(kIncludedData), name) ==
            std::end(kIncludedData)) {
            return invalid_input("Invalid includedData value: " + name);
        }
        included.insert(std::move(name));
    }
    OrderQuery query;
    net::HttpRequest first = request;
    first.url = cursor.query;
    if (auto error = read_order_query(first, route, false, query)) return std::move(*error);
    if (cursor.offset > 0) query.before = cursor.before;
    const auto selected = select_orders(query);
    json::array page;
    for (std::size_t i = cursor.offset; i < selected.size() && page.size() < query.page_size; ++i) {
        page.push_back(render_order_2026(*selected[i], included));
    }
    json::object body{{"orders", std::move(page)}};
    const std::size_t next = cursor.offset + query.page_size;
    if (next < selected.size()) {
        body["pagination"] =
            json::object{{"nextToken", new_page_token(PageCursor{.query = cursor.query,
                                                                 .offset = next,
                                                                 .issued = cursor.issued,
                                                                 .before = query.before},
                                                      false)}};
    }
    body[query.by_created ? "createdBefore" : "lastUpdatedBefore"] = iso_seconds(query.before);
    return json_answer(200, body);
}

net::HttpResponse AmazonEmulator::get_order(std::string_view id, bool v0) {
    const Order* order = visible_order(id);
    if (order == nullptr)
        return amazon_error(404, "NotFound", "Order not found: " + std::string(id));
    if (v0) return json_answer(200, json::object{{"payload", render_order_v0(*order)}});
    const std::set<std::string> all(std::begin(kIncludedData), std::end(kIncludedData));
    return json_answer(200, json::object{{"order", render_order_2026(*order, all)}});
}

net::HttpResponse AmazonEmulator::get_orders_v0(const net::HttpRequest& request,
                                                const Route& route) {
    PageCursor cursor{.query = request.url, .issued = context_.clock.now()};
    if (const auto token = net::query_param(request.url, "NextToken")) {
        const auto found = page_tokens_.find(*token);
        if (found == page_tokens_.end()) return invalid_input("Invalid NextToken.");
        cursor = found->second;
        if (query_list(request.url, "MarketplaceIds").empty()) {
            return invalid_input("MarketplaceIds is required.");
        }
    }
    OrderQuery query;
    net::HttpRequest first = request;
    first.url = cursor.query;
    if (auto error = read_order_query(first, route, true, query)) return std::move(*error);
    if (cursor.offset > 0) query.before = cursor.before;
    const auto selected = select_orders(query);
    json::array page;
    for (std::size_t i = cursor.offset; i < selected.size() && page.size() < query.page_size; ++i) {
        page.push_back(render_order_v0(*selected[i]));
    }
    json::object payload{{"Orders", std::move(page)}};
    const std::size_t next = cursor.offset + query.page_size;
    if (next < selected.size()) {
        payload["NextToken"] = new_page_token(PageCursor{.query = cursor.query,
                                                         .offset = next,
                                                         .issued = cursor.issued,
                                                         .before = query.before},
                                              true);
    }
    payload[query.by_created ? "CreatedBefore" : "LastUpdatedBefore"] = iso_seconds(query.before);
    return json_answer(200, json::object{{"payload", std::move(payload)}});
}

net::HttpResponse AmazonEmulator::get_order_items_v0(std::string_view id) {
    const Order* order = visible_order(id);
    if (order == nullptr)
        return amazon_error(404, "NotFound", "Order not found: " + std::string(id));
    json::array items;
    for (const auto& item : order->items) items.push_back(render_item_v0(item, *order));
    return json_answer(200,
                       json::object{{"payload", json::object{{"AmazonOrderId", order->id},
                                                             {"OrderItems", std::move(items)}}}});
}

}  // namespace mlc::sandbox::amazon

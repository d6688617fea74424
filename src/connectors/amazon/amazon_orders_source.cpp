// OrdersSource: the scan (TimePosition over lastUpdatedTime, page tokens within one pass), the
// list calls of both Orders APIs and get() for replay.
#include <algorithm>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "connectors/amazon/amazon_orders.hpp"

namespace mlc::connectors::amazon {
namespace {

namespace json = boost::json;

constexpr std::string_view kIncludedData = "BUYER%2CRECIPIENT%2CPROCEEDS%2CFULFILLMENT";

// The answer's JSON object; kTransient when it is not one (a cut answer: the next run reads it).
Result<json::object> parse_object(const std::string& body, std::string_view operation) {
    json::error_code ec;
    json::value value = json::parse(body, ec);
    if (ec || !value.is_object()) {
        return make_error(ErrorCode::kTransient, std::string(kSystem),
                          "Amazon answered " + std::string(operation) +
                              " with a body that is not a JSON object: the next run reads it "
                              "again");
    }
    return std::move(value.as_object());
}

std::string text(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::array& array_of(const json::object& object, std::string_view key) {
    static const json::array kEmpty;
    const json::value* v = object.if_contains(key);
    return v && v->is_array() ? v->as_array() : kEmpty;
}

void add(Page<model::Order>& page, Result<model::Order> order, const json::value& raw,
         std::string key) {
    if (order) {
        page.items.push_back({.value = std::move(*order), .raw = json::serialize(raw)});
    } else {
        page.rejected.push_back(
            {.key = "order " + key, .raw = json::serialize(raw), .error = order.error()});
    }
}

class OrdersScan final : public Scan<model::Order> {
  public:
    OrdersScan(OrdersSource& source, TimePosition position, UtcTime after)
        : source_(source), position_(position), after_(after) {}
    Result<Batch<model::Order>> next() override {
        std::string next_token;
        MLC_TRY(Page<model::Order> page, source_.list(after_, token_, next_token));
        Batch<model::Order> batch{.items = std::move(page.items),
                                  .rejected = std::move(page.rejected),
                                  .position = {},
                                  .more = !next_token.empty()};
        for (const auto& record : batch.items) position_.saw(record.value.modified_at);
        batch.position = position_.value();
        token_ = std::move(next_token);
        return batch;
    }

  private:
    OrdersSource& source_;
    TimePosition position_;
    UtcTime after_;
    std::string token_;
};

}  // namespace

Result<std::unique_ptr<Scan<model::Order>>> OrdersSource::scan(const std::string& position) {
    const UtcTime now = client_.clock().now();
    MLC_CHECK(check_orders_options(options_, now, client_.config().connection));
    MLC_TRY(TimePosition from, TimePosition::from(position, options_.window));
    // Amazon refuses an After date later than two minutes before now: re-reading a few minutes
    // is harmless (the pipeline's stale-copy rule and content hash).
    const UtcTime after = std::min(from.read_from(), now - kBeforeMargin - std::chrono::minutes(1));
    return std::unique_ptr<Scan<model::Order>>(std::make_unique<OrdersScan>(*this, from, after));
}

Result<Page<model::Order>> OrdersSource::list(UtcTime after, const std::string& token,
                                              std::string& next) {
    next.clear();
    if (options_.api == OrdersApi::kV0) return get_orders_v0(after, token, next);
    return search_2026(after, token, next);
}

Result<Page<model::Order>> OrdersSource::search_2026(UtcTime after, const std::string& token,
                                                     std::string& next) {
    std::string path = "/orders/2026-01-01/orders?";
    if (token.empty()) {
        std::string marketplaces;
        for (const auto& id : client_.config().marketplace_ids) {
            marketplaces += (marketplaces.empty() ? "" : "%2C") + net::url_encode(id);
        }
        path += "marketplaceIds=" + marketplaces +
                "&lastUpdatedAfter=" + net::url_encode(format_iso8601(after)) +
                "&maxResultsPerPage=" + std::to_string(options_.page_size) +
                "&includedData=" + std::string(kIncludedData);
    } else {
        path += "paginationToken=" + net::url_encode(token);
    }
    MLC_TRY(net::HttpResponse answer,
            client_.call({.operation = "searchOrders",
                          .path = std::move(path),
                          .record_key = "orders updated since " + format_iso8601(after)}));
    MLC_TRY(json::object body, parse_object(answer.body, "searchOrders"));
    Page<model::Order> page;
    for (const json::value& order : array_of(body, "orders")) {
        if (!order.is_object()) continue;
        add(page, order_from_2026(order.as_object()), order, text(order.as_object(), "orderId"));
    }
    if (const auto* pagination = body.if_contains("pagination");
        pagination && pagination->is_object()) {
        next = text(pagination->as_object(), "nextToken");
    }
    page.more = !next.empty();
    return page;
}

Result<Page<model::Order>> OrdersSource::get_orders_v0(UtcTime after, const std::string& token,
                                                       std::string& next) {
    std::string marketplaces;
    for (const auto& id : client_.config().marketplace_ids) {
        marketplaces += (marketplaces.empty() ? "" : "%2C") + net::url_encode(id);
    }
    std::string path = "/orders/v0/orders?MarketplaceIds=" + marketplaces;
    if (token.empty()) {
        path += "&LastUpdatedAfter=" + net::url_encode(format_iso8601(after)) +
                "&MaxResultsPerPage=" + std::to_string(options_.page_size);
    } else {
        path += "&NextToken=" + net::url_encode(token);  // Made of +/=: must be encoded.
    }
    MLC_TRY(net::HttpResponse answer,
            client_.call({.operation = "getOrders",
                          .path = std::move(path),
                          .record_key = "orders updated since " + format_iso8601(after)}));
    MLC_TRY(json::object body, parse_object(answer.body, "getOrders"));
    const json::value* payload_value = body.if_contains("payload");
    const json::object empty;
    const json::object& payload =
        payload_value && payload_value->is_object() ? payload_value->as_object() : empty;
    Page<model::Order> page;
    for (const json::value& order : array_of(payload, "Orders")) {
        if (!order.is_object()) continue;
        auto record = with_items_v0(order.as_object());
        if (!record && record.error().code != ErrorCode::kInvalidInput) return record.error();
        if (record) {
            page.items.push_back(std::move(*record));
        } else {
            page.rejected.push_back({.key = "order " + text(order.as_object(), "AmazonOrderId"),
                                     .raw = json::serialize(order),
                                     .error = record.error()});
        }
    }
    next = text(payload, "NextToken");
    page.more = !next.empty();
    return page;
}

// getOrderItems (all its pages) for one v0 order, and the record.
Result<Record<model::Order>> OrdersSource::with_items_v0(const json::object& order) {
    const std::string id = text(order, "AmazonOrderId");
    json::array items;
    std::string token;
    do {
        std::string path = "/orders/v0/orders/" + net::url_encode(id) + "/orderItems";
        if (!token.empty()) path += "?NextToken=" + net::url_encode(token);
        MLC_TRY(net::HttpResponse answer, client_.call({.operation = "getOrderItems",
                                                        .path = std::move(path),
                                                        .record_key = "order " + id}));
        MLC_TRY(json::object body, parse_object(answer.body, "getOrderItems"));
        const json::value* payload = body.if_contains("payload");
        if (payload == nullptr || !payload->is_object()) break;
        for (const auto& item : array_of(payload->as_object(), "OrderItems")) items.push_back(item);
        token = text(payload->as_object(), "NextToken");
    } while (!token.empty());
    MLC_TRY(model::Order value, order_from_v0(order, items));
    json::object raw = order;
    raw["OrderItems"] = std::move(items);
    return Record<model::Order>{.value = std::move(value), .raw = json::serialize(raw)};
}

Result<std::optional<Record<model::Order>>> OrdersSource::get(const std::string& replay) {
    MLC_CHECK(check_orders_options(options_, client_.clock().now(), client_.config().connection));
    const bool v0 = options_.api == OrdersApi::kV0;
    const std::string path = v0 ? "/orders/v0/orders/" + net::url_encode(replay)
                                : "/orders/2026-01-01/orders/" + net::url_encode(replay) +
                                      "?includedData=" + std::string(kIncludedData);
    auto answer =
        client_.call({.operation = "getOrder", .path = path, .record_key = "order " + replay});
    if (!answer && answer.error().code == ErrorCode::kNotFound) {
        return std::optional<Record<model::Order>>{};
    }
    if (!answer) return answer.error();
    MLC_TRY(json::object body, parse_object(answer->body, "getOrder"));
    const json::value* order = body.if_contains(v0 ? "payload" : "order");
    if (order == nullptr || !order->is_object()) return std::optional<Record<model::Order>>{};
    if (v0) {
        MLC_TRY(auto record, with_items_v0(order->as_object()));
        return std::optional{std::move(record)};
    }
    MLC_TRY(model::Order value, order_from_2026(order->as_object()));
    return std::optional{
        Record<model::Order>{.value = std::move(value), .raw = json::serialize(*order)}};
}

}  // namespace mlc::connectors::amazon

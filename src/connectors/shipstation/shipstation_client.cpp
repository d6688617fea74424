#include "connectors/shipstation/shipstation_client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "auth/credential_headers.hpp"
#include "connectors/shipstation/shipstation_errors.hpp"
#include "connectors/shipstation/shipstation_json.hpp"

namespace mlc::connectors::shipstation {
namespace json = boost::json;
namespace {

// A GET that failed with a 5xx or a cut body waits this long per round before the next.
constexpr std::chrono::seconds kRoundDelay{2};
constexpr std::size_t kWebhooksMax = 1'000;  // One account's subscriptions: far above real use.

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct UrlParts {
    std::string scheme;     // "https"
    std::string authority;  // "ssapi6.shipstation.com" or "host:8080", lower case
    std::string host;       // Without the port.
    std::string path;       // "/shipments"
};

std::optional<UrlParts> split_url(std::string_view url) {
    const auto colon = url.find("://");
    if (colon == std::string_view::npos) return std::nullopt;
    UrlParts parts;
    parts.scheme = lower(url.substr(0, colon));
    const std::string_view rest = url.substr(colon + 3);
    const auto end = rest.find_first_of("/?#");
    parts.authority = lower(rest.substr(0, end));
    // Userinfo ("host@evil") would make the real host something else: never accepted.
    if (parts.authority.empty() || parts.authority.find('@') != std::string::npos) {
        return std::nullopt;
    }
    parts.host = parts.authority.substr(0, parts.authority.find(':'));
    parts.path = end == std::string_view::npos ? "/" : net::url_path(rest.substr(end));
    return parts;
}

bool is_shipstation_host(const UrlParts& parts) {
    constexpr std::string_view kDomain = ".shipstation.com";
    return parts.scheme == "https" && parts.authority == parts.host &&
           (parts.host == kDomain.substr(1) || parts.host.ends_with(kDomain));
}

// `url` with the query parameters in `replace` set (others kept, in order).
std::string with_params(std::string_view url,
                        const std::vector<std::pair<std::string, std::string>>& replace) {
    const auto question = url.find('?');
    std::string out(url.substr(0, question));
    char separator = '?';
    for (const auto& [name, value] : net::url_query(url)) {  // Bounded by the URL's length.
        const std::string lowered = lower(name);  // Lambdas capture no binding (clang 14).
        const bool replaced = std::any_of(replace.begin(), replace.end(),
                                          [&](const auto& p) { return lower(p.first) == lowered; });
        if (replaced) continue;
        out += separator + net::url_encode(name) + "=" + net::url_encode(value);
        separator = '&';
    }
    for (const auto& [name, value] : replace) {
        out += separator + name + "=" + net::url_encode(value);
        separator = '&';
    }
    return out;
}

std::optional<std::int64_t> to_int(const json::value* value) {
    if (value == nullptr) return std::nullopt;
    const auto text = number_text(*value);
    if (!text) return std::nullopt;
    std::int64_t out = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
    if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
    return out;
}

std::string text_of(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) return {};
    if (auto number = number_text(*value)) return *number;
    return value->is_string() ? std::string(value->get_string()) : std::string();
}

Error invalid(std::string message) {
    return make_error(ErrorCode::kInvalidInput, std::string(kSystem), std::move(message));
}

}  // namespace

// Adds Retry-After to a 429 that has only X-Rate-Limit-Reset, so the net client's retry policy
// and its final kRateLimited error both wait for V1's window to reset.
class ShipStationClient::ResetAsRetryAfter final : public net::HttpTransport {
  public:
    explicit ResetAsRetryAfter(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        auto response = inner_.send(request, options);
        if (response && response->status == 429 &&
            !net::find_header(response->headers, "Retry-After")) {
            if (const auto reset = net::find_header(response->headers, "X-Rate-Limit-Reset")) {
                net::set_header(response->headers, "Retry-After", std::string(*reset));
            }
        }
        return response;
    }

  private:
    net::HttpTransport& inner_;
};

struct ShipStationClient::Call {
    std::string method = "GET";
    std::string path_and_query;  // "/orders?page=1", or an absolute URL (resource_url).
    std::string body{};
    std::string record_key{};  // "order 100123"
    bool dedupes = false;      // POST that V1 dedupes (createorder by orderKey).
};

ShipStationClient::ShipStationClient(ShipStationConnection connection,
                                     ShipStationDependencies dependencies)
    : connection_(std::move(connection)),
      clock_(dependencies.clock),
      vault_(dependencies.vault),
      transport_(std::make_unique<ResetAsRetryAfter>(dependencies.transport)) {
    while (connection_.base_url.ends_with('/')) connection_.base_url.pop_back();
    if (connection_.resource_hosts_extra.size() > kResourceHostsExtraMax) {
        connection_.resource_hosts_extra.resize(kResourceHostsExtraMax);
    }
    for (auto& host : connection_.resource_hosts_extra) host = lower(host);
    dependencies.limiters.configure(connection_.name, connection_.rate_limit);
    http_ = std::make_unique<net::HttpClient>(
        net::HttpClientOptions{.system = std::string(kSystem),
                               .retry = connection_.retry,
                               .transport = {},
                               .log_body_bytes_max = 2048},
        *transport_, dependencies.clock, dependencies.limiters, dependencies.seed,
        std::move(dependencies.logger), dependencies.observer);
}

ShipStationClient::~ShipStationClient() = default;

Result<std::string> ShipStationClient::send(const Call& call) {
    net::HttpRequest request;
    request.method = call.method;
    request.url = call.path_and_query.starts_with("/") ? connection_.base_url + call.path_and_query
                                                       : call.path_and_query;
    request.body = call.body;
    request.headers.emplace_back("Accept", "application/json");
    if (!call.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    const std::string what = call.method + " " + net::url_path(request.url);
    const ErrorContext context{
        .connection = connection_.name, .what = what, .record_key = call.record_key};

    // Basic base64(apiKey:apiSecret): both halves live in the vault.
    auto api_key = vault_.get(connection_.api_key_secret);
    if (!api_key) {
        Error error = std::move(api_key).error();
        error.code = ErrorCode::kConfig;
        return error_from_call(std::move(error), context);
    }
    auth::CredentialHeaders credentials;
    credentials.basic(std::move(*api_key), connection_.api_secret_secret);
    if (auto applied = credentials.apply(vault_, request); !applied) {
        Error error = std::move(applied).error();
        error.code = ErrorCode::kConfig;
        return error_from_call(std::move(error), context);
    }

    auto answer = http_->call(net::CallRequest{.request = std::move(request),
                                               .connection = connection_.name,
                                               .operation = {},
                                               .idempotent = std::nullopt,
                                               .dedupes = call.dedupes,
                                               .deadline = std::nullopt});
    if (!answer) return error_from_call(std::move(answer).error(), context);
    if (answer->status < 200 || answer->status >= 300) {
        return error_from_response(*answer, context);
    }
    return std::move(answer->body);
}

template <typename Parse>
auto ShipStationClient::get(const Call& call, Parse parse) -> decltype(parse(std::string_view())) {
    for (std::uint32_t round = 1;; ++round) {  // Bounded by kGetRoundsMax.
        auto body = send(call);
        const bool last = round >= kGetRoundsMax;
        if (!body) {
            // 5xx and dropped connections were already repeated by the net client.
            return std::move(body).error();
        } else {
            auto parsed = parse(*body);
            // A whole answer that does not parse is a cut transfer far more often than a vendor
            // bug: ask again before giving up.
            if (parsed || last || parsed.error().code != ErrorCode::kInvalidInput) {
                if (!parsed && !call.record_key.empty())
                    parsed.error().record_key = call.record_key;
                return parsed;
            }
        }
        clock_.sleep_for(kRoundDelay * round);
    }
}

Result<Page<model::Order>> ShipStationClient::list_orders_modified_since(
    const ListOrdersRequest& request) {
    MLC_TRY(const std::string since, pacific_request_time(request.modified_since));
    const std::uint32_t page_size =
        std::clamp<std::uint32_t>(request.page_size, 1, kOrdersPageSizeMax);
    const Call call{.path_and_query = "/orders?modifyDateStart=" + net::url_encode(since) +
                                      "&sortBy=ModifyDate&sortDir=ASC&page=" +
                                      std::to_string(std::max<std::uint32_t>(1, request.page)) +
                                      "&pageSize=" + std::to_string(page_size)};
    return get(call, [](std::string_view body) { return orders_page_from_json(body); });
}

Result<Page<model::Order>> ShipStationClient::list_changed(const ChangedSince& request) {
    return list_orders_modified_since(
        {.modified_since = request.since, .page = request.page, .page_size = kOrdersPageSizeMax});
}

Result<Record<model::Order>> ShipStationClient::get_order(std::int64_t order_id) {
    const Call call{.path_and_query = "/orders/" + std::to_string(order_id),
                    .record_key = "order " + std::to_string(order_id)};
    return get(call, [](std::string_view body) -> Result<Record<model::Order>> {
        MLC_TRY(const json::value value, parse_exact(body, "the GET /orders/{id} answer"));
        if (!value.is_object()) return invalid("the GET /orders/{id} answer is not an object");
        MLC_TRY(model::Order order, order_from_json(value.get_object()));
        return Record<model::Order>{std::move(order), serialize_exact(value)};
    });
}

Result<Page<model::Shipment>> ShipStationClient::list_shipments(
    const ListShipmentsRequest& request) {
    MLC_TRY(const std::string since,
            pacific_request_time(request.voided_since.value_or(request.created_since)));
    const std::uint32_t page_size =
        std::clamp<std::uint32_t>(request.page_size, 1, kShipmentsPageSizeMax);
    const char* filter = request.voided_since ? "voidDateStart=" : "createDateStart=";
    const Call call{.path_and_query =
                        "/shipments?" + std::string(filter) + net::url_encode(since) +
                        "&includeShipmentItems=" + (request.include_items ? "true" : "false") +
                        "&sortBy=CreateDate&sortDir=ASC&page=" +
                        std::to_string(std::max<std::uint32_t>(1, request.page)) +
                        "&pageSize=" + std::to_string(page_size)};
    return get(call, [](std::string_view body) { return shipments_page_from_json(body); });
}

Result<void> ShipStationClient::check_resource_url(std::string_view url) const {
    const auto parts = split_url(url);
    const auto base = split_url(connection_.base_url);
    if (!parts) return invalid("resource_url '" + std::string(url) + "' is not an absolute URL");
    const bool allowed =
        (base && parts->scheme == base->scheme && parts->authority == base->authority) ||
        is_shipstation_host(*parts) ||
        std::find(connection_.resource_hosts_extra.begin(), connection_.resource_hosts_extra.end(),
                  parts->authority) != connection_.resource_hosts_extra.end();
    if (!allowed) {
        return invalid("resource_url host '" + parts->authority + "' is neither connection '" +
                       connection_.name +
                       "''s base host nor a https *.shipstation.com host: refused, our "
                       "credentials are not sent there (forged event?)");
    }
    if (parts->path != "/orders" && parts->path != "/shipments") {
        return invalid("resource_url path '" + parts->path +
                       "' is not an orders or shipments listing");
    }
    return ok();
}

Result<ResourceBatch> ShipStationClient::fetch_resource_url(std::string_view resource_url) {
    MLC_CHECK(check_resource_url(resource_url));
    const bool orders = split_url(resource_url)->path == "/orders";
    ResourceBatch batch;
    for (std::uint32_t page = 1; page <= kResourcePagesMax; ++page) {
        std::vector<std::pair<std::string, std::string>> params{{"page", std::to_string(page)}};
        // SHIP_NOTIFY URLs say includeShipmentItems=False; the lines cost nothing more to fetch.
        if (!orders) params.emplace_back("includeShipmentItems", "true");
        const Call call{.path_and_query = with_params(resource_url, params)};
        bool more = false;
        if (orders) {
            MLC_TRY(auto listed,
                    get(call, [](std::string_view b) { return orders_page_from_json(b); }));
            for (auto& item : listed.items) batch.orders.push_back(std::move(item));
            for (auto& item : listed.rejected) batch.rejected.push_back(std::move(item));
            more = listed.more;
        } else {
            MLC_TRY(auto listed,
                    get(call, [](std::string_view b) { return shipments_page_from_json(b); }));
            for (auto& item : listed.items) batch.shipments.push_back(std::move(item));
            for (auto& item : listed.rejected) batch.rejected.push_back(std::move(item));
            more = listed.more;
        }
        if (!more) return batch;
    }
    return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                      "resource_url lists more than " + std::to_string(kResourcePagesMax) +
                          " pages; the rest is left to the modifyDate poll");
}

Result<std::int64_t> ShipStationClient::subscribe_webhook(const SubscribeWebhookRequest& request) {
    json::object body{
        {"target_url", request.target_url},
        {"event", request.event},
        {"store_id", request.store_id ? exact_number(*request.store_id) : json::value()},
        {"friendly_name", request.friendly_name}};
    MLC_TRY(const std::string answer, send({.method = "POST",
                                            .path_and_query = "/webhooks/subscribe",
                                            .body = serialize_exact(body),
                                            .record_key = "webhook " + request.event}));
    MLC_TRY(const json::value value, parse_exact(answer, "the webhook subscribe answer"));
    const auto id = value.is_object() ? to_int(value.get_object().if_contains("id")) : std::nullopt;
    if (!id) return invalid("the webhook subscribe answer has no id");
    return *id;
}

Result<std::vector<Webhook>> ShipStationClient::list_webhooks() {
    return get(Call{.path_and_query = "/webhooks"},
               [](std::string_view body) -> Result<std::vector<Webhook>> {
                   MLC_TRY(const json::value value, parse_exact(body, "the GET /webhooks answer"));
                   const auto* list =
                       value.is_object() ? value.get_object().if_contains("webhooks") : nullptr;
                   if (list == nullptr || !list->is_array())
                       return invalid("the GET /webhooks answer has no 'webhooks' array");
                   if (list->get_array().size() > kWebhooksMax)
                       return invalid("the GET /webhooks answer lists too many webhooks");
                   std::vector<Webhook> out;
                   for (const auto& entry : list->get_array()) {
                       if (!entry.is_object()) continue;
                       const auto& hook = entry.get_object();
                       const auto id = to_int(hook.if_contains("WebHookID"));
                       if (!id) continue;
                       const auto* active = hook.if_contains("Active");
                       out.push_back(Webhook{.id = *id,
                                             .event = text_of(hook, "HookType"),
                                             .target_url = text_of(hook, "Url"),
                                             .name = text_of(hook, "Name"),
                                             .store_id = to_int(hook.if_contains("StoreID")),
                                             .active = active == nullptr || !active->is_bool() ||
                                                       active->get_bool()});
                   }
                   return out;
               });
}

Result<void> ShipStationClient::delete_webhook(std::int64_t webhook_id) {
    MLC_TRY(const std::string answer,
            send({.method = "DELETE",
                  .path_and_query = "/webhooks/" + std::to_string(webhook_id),
                  .record_key = "webhook " + std::to_string(webhook_id)}));
    (void)answer;
    return ok();
}

Result<Record<model::Order>> ShipStationClient::create_or_update_order(
    const CreateOrUpdateOrderRequest& request) {
    const std::string key = "order " + request.order.source.key;
    MLC_TRY(const json::object body, order_to_json(request.order, {.order_id = request.order_id,
                                                                   .store_id = request.store_id}));
    // orderKey makes a repeat an update of the same order, so a lost answer may be retried.
    MLC_TRY(const std::string answer, send({.method = "POST",
                                            .path_and_query = "/orders/createorder",
                                            .body = serialize_exact(body),
                                            .record_key = key,
                                            .dedupes = true}));
    MLC_TRY(const json::value value, parse_exact(answer, "the createorder answer for " + key));
    if (!value.is_object())
        return invalid("the createorder answer for " + key + " is not an object");
    auto order = order_from_json(value.get_object());
    if (!order) {
        Error error = std::move(order).error();
        error.record_key = key;
        return error;
    }
    return Record<model::Order>{std::move(order).value(), serialize_exact(value)};
}

Result<std::vector<Result<std::string>>> ShipStationClient::create_orders(
    const std::vector<CreateOrUpdateOrderRequest>& requests) {
    if (requests.size() > kCreateOrdersMax) {
        return invalid("createorders takes at most " + std::to_string(kCreateOrdersMax) +
                       " orders a call, not " + std::to_string(requests.size()));
    }
    json::array body;
    for (const auto& request : requests) {
        MLC_TRY(json::object order, order_to_json(request.order, {.order_id = request.order_id,
                                                                  .store_id = request.store_id}));
        body.push_back(std::move(order));
    }
    MLC_TRY(const std::string answer, send({.method = "POST",
                                            .path_and_query = "/orders/createorders",
                                            .body = serialize_exact(body),
                                            .record_key = {},
                                            .dedupes = true}));
    MLC_TRY(const json::value value, parse_exact(answer, "the createorders answer"));
    const json::value* results =
        value.is_object() ? value.get_object().if_contains("results") : nullptr;
    if (results == nullptr || !results->is_array() ||
        results->get_array().size() != requests.size()) {
        return invalid("the createorders answer does not hold one result per order sent");
    }
    std::vector<Result<std::string>> out;
    std::size_t index = 0;
    for (const json::value& entry : results->get_array()) {
        const std::string& key = requests[index++].order.source.key;
        const json::object* result = entry.is_object() ? &entry.get_object() : nullptr;
        const json::value* success = result ? result->if_contains("success") : nullptr;
        const auto id = result ? to_int(result->if_contains("orderId")) : std::nullopt;
        if (success != nullptr && success->is_bool() && success->get_bool() && id) {
            out.emplace_back(std::to_string(*id));
            continue;
        }
        const std::string why = result ? text_of(*result, "errorMessage") : "no result";
        Error error = make_error(ErrorCode::kRejected, std::string(kSystem),
                                 "ShipStation refused order " + key + " (createorders): " + why +
                                     ": fix the order at its source, then replay");
        error.record_key = "order " + key;
        out.emplace_back(std::move(error));
    }
    return out;
}

Result<void> ShipStationClient::mark_as_shipped(const MarkAsShippedRequest& request) {
    MLC_TRY(const std::string ship_date, pacific_date(request.ship_date));
    json::object body{{"orderId", exact_number(request.order_id)},
                      {"carrierCode", request.carrier_code},
                      {"shipDate", ship_date},
                      {"trackingNumber", request.tracking_number},
                      {"notifyCustomer", request.notify_customer},
                      {"notifySalesChannel", request.notify_sales_channel}};
    // Not repeated after a lost answer: a second call on a shipped order is refused (400), so the
    // caller re-reads the order's status instead.
    MLC_TRY(const std::string answer,
            send({.method = "POST",
                  .path_and_query = "/orders/markasshipped",
                  .body = serialize_exact(body),
                  .record_key = "order " + std::to_string(request.order_id)}));
    (void)answer;
    return ok();
}

namespace {

Result<ProductRecord> product_from_json(const json::value& value) {
    if (!value.is_object()) return invalid("a product is not a JSON object");
    const json::object& object = value.get_object();
    const auto id = to_int(object.if_contains("productId"));
    if (!id) return invalid("a product has no productId");
    return ProductRecord{.id = *id, .sku = text_of(object, "sku"), .json = object};
}

}  // namespace

Result<ProductsPage> ShipStationClient::list_products(const ListProductsRequest& request) {
    const std::uint32_t size =
        std::clamp<std::uint32_t>(request.page_size, 1, kProductsPageSizeMax);
    std::string path = "/products?showInactive=true&page=" +
                       std::to_string(std::max<std::uint32_t>(1, request.page)) +
                       "&pageSize=" + std::to_string(size);
    if (!request.sku.empty()) path += "&sku=" + net::url_encode(request.sku);
    return get(Call{.path_and_query = path}, [](std::string_view body) -> Result<ProductsPage> {
        MLC_TRY(const json::value value, parse_exact(body, "the GET /products answer"));
        const auto* list = value.is_object() ? value.get_object().if_contains("products") : nullptr;
        if (list == nullptr || !list->is_array())
            return invalid("the GET /products answer has no 'products' array");
        if (list->get_array().size() > kProductsPageSizeMax)
            return invalid("the GET /products answer lists more products than a page holds");
        ProductsPage page;
        for (const auto& entry : list->get_array()) {
            MLC_TRY(ProductRecord product, product_from_json(entry));
            page.products.push_back(std::move(product));
        }
        const auto current = to_int(value.get_object().if_contains("page"));
        const auto pages = to_int(value.get_object().if_contains("pages"));
        page.more = current && pages && *current < *pages;  // "pages: 0": no more.
        return page;
    });
}

Result<ProductRecord> ShipStationClient::get_product(std::int64_t product_id) {
    const std::string key = "product " + std::to_string(product_id);
    return get(Call{.path_and_query = "/products/" + std::to_string(product_id), .record_key = key},
               [](std::string_view body) -> Result<ProductRecord> {
                   MLC_TRY(const json::value value,
                           parse_exact(body, "the GET /products/{id} answer"));
                   return product_from_json(value);
               });
}

Result<void> ShipStationClient::update_product(const ProductRecord& product) {
    json::object body = product.json;
    body["productId"] = exact_number(product.id);
    MLC_TRY(
        const std::string answer,
        send({.method = "PUT",
              .path_and_query = "/products/" + std::to_string(product.id),
              .body = serialize_exact(body),
              .record_key = "product " + std::to_string(product.id) + " (SKU " + product.sku + ")",
              .dedupes = true}));
    (void)answer;
    return ok();
}

}  // namespace mlc::connectors::shipstation

#include "connectors/woocommerce/woocommerce_client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <map>
#include <mutex>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "auth/credential_headers.hpp"
#include "connectors/woocommerce/woocommerce_errors.hpp"
#include "connectors/woocommerce/woocommerce_json.hpp"

namespace mlc::connectors::woocommerce {
namespace json = boost::json;
namespace {

// A GET that failed with a 5xx or a cut body waits this long per round before the next.
constexpr std::chrono::seconds kRoundDelay{2};
// Private header tying a request to its captured 401 body; removed before the request leaves.
constexpr std::string_view kCallHeader = "X-Mlc-Woo-Call";
constexpr std::size_t kCapturedMax = 64;  // 401 bodies waiting for their caller.

Error invalid(std::string message) {
    return make_error(ErrorCode::kInvalidInput, std::string(kSystem), std::move(message));
}

std::optional<std::uint64_t> header_count(const net::Headers& headers, std::string_view name) {
    const auto text = net::find_header(headers, name);
    if (!text) return std::nullopt;
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
    return value;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : ",") + part;
    return out;
}

Webhook webhook_from_json(const json::object& object) {
    return Webhook{.id = int_of(object, "id"),
                   .name = text_of(object, "name"),
                   .topic = text_of(object, "topic"),
                   .delivery_url = text_of(object, "delivery_url"),
                   .status = text_of(object, "status")};
}

}  // namespace

// net::HttpClient turns a 401 into an Error without the body, but Woo's body says which half of
// the key pair is wrong ("Consumer key is invalid." / "Consumer secret is invalid."). This
// transport keeps the 401 bodies of tagged requests until the client picks them up.
class WooCommerceClient::AuthBodyCapture final : public net::HttpTransport {
  public:
    explicit AuthBodyCapture(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        const auto tag = net::find_header(request.headers, kCallHeader);
        if (!tag) return inner_.send(request, options);
        const std::string key(*tag);
        net::HttpRequest outgoing = request;
        std::erase_if(outgoing.headers, [](const auto& header) {
            return header.first.size() == kCallHeader.size() &&
                   std::equal(header.first.begin(), header.first.end(), kCallHeader.begin(),
                              [](unsigned char a, unsigned char b) {
                                  return std::tolower(a) == std::tolower(b);
                              });
        });
        auto response = inner_.send(outgoing, options);
        if (response && response->status == 401) {
            std::lock_guard lock(mutex_);
            captured_[key] = response->body;
            order_.push_back(key);
            while (order_.size() > kCapturedMax) {  // Bounded: callers take theirs at once.
                captured_.erase(order_.front());
                order_.pop_front();
            }
        }
        return response;
    }
    std::optional<std::string> take(const std::string& key) {
        std::lock_guard lock(mutex_);
        const auto found = captured_.find(key);
        if (found == captured_.end()) return std::nullopt;
        std::string body = std::move(found->second);
        captured_.erase(found);
        return body;
    }
    std::string next_tag() {
        std::lock_guard lock(mutex_);
        return std::to_string(++next_);
    }

  private:
    net::HttpTransport& inner_;
    std::mutex mutex_;
    std::map<std::string, std::string> captured_;
    std::deque<std::string> order_;
    std::uint64_t next_ = 0;
};

Result<AuthMode> auth_mode_from_text(std::string_view text) {
    if (text.empty() || text == "basic") return AuthMode::kBasic;
    if (text == "query") return AuthMode::kQuery;
    return make_error(ErrorCode::kConfig, std::string(kSystem),
                      "auth '" + std::string(text) + "' is not basic or query");
}

std::string_view to_string(AuthMode mode) { return mode == AuthMode::kQuery ? "query" : "basic"; }

struct WooCommerceClient::Call {
    std::string method = "GET";
    std::string path;  // Below /wp-json/wc/v3: "/orders?page=1".
    std::string body{};
    std::string record_key{};          // "order 1234"
    std::optional<bool> idempotent{};  // Nullopt: from the method.
};

struct WooCommerceClient::Answer {
    json::value body;
    std::optional<std::uint64_t> total;        // X-WP-Total
    std::optional<std::uint64_t> total_pages;  // X-WP-TotalPages
};

WooCommerceClient::WooCommerceClient(WooCommerceClientConfig config,
                                     WooCommerceDependencies dependencies)
    : config_(std::move(config)),
      clock_(dependencies.clock),
      vault_(dependencies.vault),
      capture_(std::make_unique<AuthBodyCapture>(dependencies.transport)) {
    while (config_.base_url.ends_with('/')) config_.base_url.pop_back();
    if (config_.base_url.ends_with(kApiPath)) {
        config_.base_url.resize(config_.base_url.size() - kApiPath.size());
    }
    config_.per_page = std::clamp<std::uint32_t>(config_.per_page, 1, kPerPageMax);
    dependencies.limiters.configure(config_.name, config_.rate_limit);
    http_ = std::make_unique<net::HttpClient>(net::HttpClientOptions{.system = std::string(kSystem),
                                                                     .retry = config_.retry,
                                                                     .transport = {},
                                                                     .log_body_bytes_max = 2048},
                                              *capture_, dependencies.clock, dependencies.limiters,
                                              dependencies.seed, std::move(dependencies.logger),
                                              dependencies.observer);
}

WooCommerceClient::~WooCommerceClient() = default;

std::uint32_t WooCommerceClient::page_size(std::uint32_t requested) const {
    return requested == 0 ? config_.per_page : std::clamp<std::uint32_t>(requested, 1, kPerPageMax);
}

Result<WooCommerceClient::Answer> WooCommerceClient::send(const Call& call) {
    net::HttpRequest request;
    request.method = call.method;
    request.url = config_.base_url + std::string(kApiPath) + call.path;
    request.body = call.body;
    request.headers.emplace_back("Accept", "application/json");
    if (!call.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    const std::string what = call.method + " " + net::url_path(request.url);
    const ErrorContext context{.connection = config_.name,
                               .what = what,
                               .record_key = call.record_key,
                               .key_secret = config_.consumer_key_secret,
                               .secret_secret = config_.consumer_secret_secret,
                               .query_auth = config_.auth == AuthMode::kQuery};
    const auto config_error = [&](Error error) {
        error.code = ErrorCode::kConfig;
        return error_from_call(std::move(error), context);
    };
    auto key = vault_.get(config_.consumer_key_secret);
    if (!key) return config_error(std::move(key).error());
    if (config_.auth == AuthMode::kQuery) {
        auto secret = vault_.get(config_.consumer_secret_secret);
        if (!secret) return config_error(std::move(secret).error());
        request.url += (call.path.find('?') == std::string::npos ? "?" : "&");
        request.url += "consumer_key=" + net::url_encode(*key) +
                       "&consumer_secret=" + net::url_encode(*secret);
    } else {
        auth::CredentialHeaders credentials;
        credentials.basic(std::move(*key), config_.consumer_secret_secret);
        if (auto applied = credentials.apply(vault_, request); !applied) {
            return config_error(std::move(applied).error());
        }
    }
    const std::string tag = capture_->next_tag();
    request.headers.emplace_back(std::string(kCallHeader), tag);

    auto answer = http_->call(net::CallRequest{.request = std::move(request),
                                               .connection = config_.name,
                                               .operation = {},
                                               .idempotent = call.idempotent,
                                               .dedupes = false,
                                               .deadline = std::nullopt});
    const auto captured = capture_->take(tag);
    if (!answer) {
        if (answer.error().http_status == 401 && captured) {
            return error_from_response(
                net::HttpResponse{
                    .status = 401, .headers = {}, .body = *captured, .drop_connection = false},
                context);
        }
        return error_from_call(std::move(answer).error(), context);
    }
    if (answer->status < 200 || answer->status >= 300) {
        return error_from_response(*answer, context);
    }
    auto parsed = parse_exact(answer->body, "the " + what + " answer");
    if (!parsed) {
        Error error = std::move(parsed).error();
        error.message = "connection '" + config_.name + "': " + error.message;
        error.record_key = call.record_key;
        return error;
    }
    return Answer{.body = std::move(*parsed),
                  .total = header_count(answer->headers, "X-WP-Total"),
                  .total_pages = header_count(answer->headers, "X-WP-TotalPages")};
}

Result<WooCommerceClient::Answer> WooCommerceClient::get(const Call& call) {
    for (std::uint32_t round = 1;; ++round) {  // Bounded by kGetRoundsMax.
        auto answer = send(call);
        const bool last = round >= kGetRoundsMax;
        // An answer that does not parse (a cut transfer far more often than a vendor bug) is
        // worth another round; 5xx and dropped connections were repeated by the net client.
        if (answer || last || answer.error().code != ErrorCode::kInvalidInput) {
            return answer;
        }
        clock_.sleep_for(kRoundDelay * round);
    }
}

namespace {

template <typename T>
void set_paging(Page<T>& page, std::uint32_t number, const std::optional<std::uint64_t>& total,
                const std::optional<std::uint64_t>& total_pages, std::size_t rows,
                std::uint32_t per_page) {
    page.page = number;
    page.total = total.value_or(rows);
    // Without X-WP-TotalPages (a proxy dropped it) a full page means there may be more.
    page.more = total_pages ? number < *total_pages : rows >= per_page;
    page.next_page = page.more ? number + 1 : 0;
}

}  // namespace

// ---- Products
// ------------------------------------------------------------------------------------

Result<Page<model::Item>> WooCommerceClient::list_products(const ListProductsRequest& request) {
    const std::uint32_t number = std::max<std::uint32_t>(1, request.page);
    const std::uint32_t per_page = page_size(request.per_page);
    std::string path = "/products?orderby=modified&order=asc&page=" + std::to_string(number) +
                       "&per_page=" + std::to_string(per_page);
    if (request.modified_after) {
        path += "&dates_are_gmt=true&modified_after=" +
                net::url_encode(gmt_request_time(*request.modified_after));
    }
    if (!request.sku.empty()) path += "&sku=" + net::url_encode(request.sku);
    MLC_TRY(auto answer, get(Call{.path = std::move(path)}));
    MLC_TRY(auto page, products_from_answer(answer.body));
    set_paging(page, number, answer.total, answer.total_pages,
               page.items.size() + page.rejected.size(), per_page);
    return page;
}

Result<std::optional<Record<model::Item>>> WooCommerceClient::product_by_sku(std::string_view sku) {
    if (sku.empty() || sku.find(',') != std::string_view::npos) {
        return invalid("SKU '" + std::string(sku) + "' cannot be looked up (empty or a comma)");
    }
    MLC_TRY(auto page,
            list_products({.page = 1, .sku = std::string(sku), .per_page = kPerPageMax}));
    for (auto& record : page.items) {
        if (record.value.sku == sku) return std::optional<Record<model::Item>>(std::move(record));
    }
    if (!page.rejected.empty()) return std::move(page.rejected.front().error);
    return std::optional<Record<model::Item>>();
}

Result<BatchProductsResult> WooCommerceClient::batch_products(const BatchProductsRequest& request) {
    const std::size_t count = request.create.size() + request.update.size();
    if (count > kBatchItemsMax) {
        return invalid("a product batch of " + std::to_string(count) +
                       " objects: Woo takes at most " + std::to_string(kBatchItemsMax) +
                       " per request; split it");
    }
    BatchProductsResult result;
    if (count == 0) return result;
    json::object body;
    json::array create;
    for (const auto& item : request.create) create.push_back(product_to_json(item));
    json::array update;
    for (const auto& change : request.update) {
        json::object object = product_to_json(change.item);
        object["id"] = change.id;
        update.push_back(std::move(object));
    }
    if (!create.empty()) body["create"] = std::move(create);
    if (!update.empty()) body["update"] = std::move(update);
    // Updates alone can be repeated harmlessly; a create could make a duplicate attempt, which Woo
    // refuses by SKU (product_invalid_sku), so it is not repeated blindly either way.
    MLC_TRY(auto answer, send(Call{.method = "POST",
                                   .path = "/products/batch",
                                   .body = json::serialize(body),
                                   .record_key = "product batch",
                                   .idempotent = request.create.empty()}));
    if (!answer.body.is_object()) return invalid("the product batch answer is not an object");
    const auto& out = answer.body.as_object();
    const ErrorContext context{.connection = config_.name,
                               .what = "POST /wp-json/wc/v3/products/batch",
                               .record_key = {},
                               .key_secret = config_.consumer_key_secret,
                               .secret_secret = config_.consumer_secret_secret,
                               .query_auth = config_.auth == AuthMode::kQuery};
    const auto collect = [&](std::string_view list, const auto& skus_of,
                             std::vector<BatchItemResult>& into) -> Result<void> {
        const auto* rows = out.if_contains(list);
        const std::size_t sent = skus_of.size();
        if (sent == 0) return ok();
        if (rows == nullptr || !rows->is_array() || rows->as_array().size() != sent) {
            return invalid("the product batch answer does not list one result per '" +
                           std::string(list) + "' object");
        }
        for (std::size_t i = 0; i < sent; ++i) {
            const auto& row = rows->as_array()[i];
            BatchItemResult item{.sku = skus_of[i].first, .id = skus_of[i].second};
            const std::string key = "product SKU " + item.sku;
            if (!row.is_object()) {
                item.error = invalid(key + ": the batch answer is not an object");
            } else if (const auto* error = row.as_object().if_contains("error");
                       error != nullptr && error->is_object()) {
                ErrorContext item_context = context;
                item_context.record_key = key;
                item.error = error_from_object(error->as_object(), 0, item_context);
            } else {
                auto mapped = item_from_json(row.as_object());
                if (mapped) {
                    item.id = int_of(row.as_object(), "id");
                    item.product = Record<model::Item>{std::move(*mapped), to_raw(row.as_object())};
                } else {
                    item.error = std::move(mapped).error();
                    item.error->record_key = key;
                }
            }
            into.push_back(std::move(item));
        }
        return ok();
    };
    std::vector<std::pair<std::string, std::int64_t>> created_skus;
    for (const auto& item : request.create) created_skus.emplace_back(item.sku, 0);
    std::vector<std::pair<std::string, std::int64_t>> updated_skus;
    for (const auto& change : request.update) updated_skus.emplace_back(change.item.sku, change.id);
    MLC_CHECK(collect("create", created_skus, result.created));
    MLC_CHECK(collect("update", updated_skus, result.updated));
    return result;
}

// ---- Customers
// -----------------------------------------------------------------------------------

Result<std::optional<Record<model::Party>>> WooCommerceClient::customer_by_email(
    std::string_view email) {
    if (email.empty()) return invalid("an empty email cannot be looked up");
    // role=all: an administrator or shop manager who buys is a customer too.
    MLC_TRY(auto answer,
            get(Call{.path = "/customers?role=all&per_page=" + std::to_string(kPerPageMax) +
                             "&email=" + net::url_encode(email),
                     .record_key = "customer " + std::string(email)}));
    MLC_TRY(auto page, customers_from_answer(answer.body));
    for (auto& record : page.items) {
        if (record.value.email == email) {
            return std::optional<Record<model::Party>>(std::move(record));
        }
    }
    if (!page.rejected.empty()) return std::move(page.rejected.front().error);
    return std::optional<Record<model::Party>>();
}

Result<Page<model::Party>> WooCommerceClient::list_customers(const ListCustomersRequest& request) {
    const std::uint32_t number = std::max<std::uint32_t>(1, request.page);
    const std::uint32_t per_page = page_size(request.per_page);
    MLC_TRY(auto answer,
            get(Call{.path = "/customers?orderby=id&order=asc&page=" + std::to_string(number) +
                             "&per_page=" + std::to_string(per_page)}));
    MLC_TRY(auto page, customers_from_answer(answer.body));
    set_paging(page, number, answer.total, answer.total_pages,
               page.items.size() + page.rejected.size(), per_page);
    return page;
}

Result<Record<model::Party>> WooCommerceClient::create_customer(const model::Party& customer) {
    const std::string key = "customer " + customer.email;
    MLC_TRY(auto answer, send(Call{.method = "POST",
                                   .path = "/customers",
                                   .body = json::serialize(customer_to_json(customer, true)),
                                   .record_key = key}));
    if (!answer.body.is_object()) return invalid(key + ": the answer is not an object");
    MLC_TRY(auto party, party_from_json(answer.body.as_object()));
    return Record<model::Party>{std::move(party), to_raw(answer.body.as_object())};
}

Result<Record<model::Party>> WooCommerceClient::update_customer(std::int64_t customer_id,
                                                                const model::Party& customer) {
    const std::string key = "customer " + std::to_string(customer_id);
    MLC_TRY(auto answer, send(Call{.method = "PUT",
                                   .path = "/customers/" + std::to_string(customer_id),
                                   .body = json::serialize(customer_to_json(customer, false)),
                                   .record_key = key}));
    if (!answer.body.is_object()) return invalid(key + ": the answer is not an object");
    MLC_TRY(auto party, party_from_json(answer.body.as_object()));
    return Record<model::Party>{std::move(party), to_raw(answer.body.as_object())};
}

// ---- Orders
// --------------------------------------------------------------------------------------

Result<std::vector<OrderRecord>> WooCommerceClient::list_orders_raw(
    const ListOrdersRequest& request, Page<model::Order>* page_out) {
    const std::uint32_t number = std::max<std::uint32_t>(1, request.page);
    const std::uint32_t per_page = page_size(request.per_page);
    // modified_after is read as site-local unless dates_are_gmt=true (woocommerce.md): the
    // cursor is UTC, so always say so.
    std::string path =
        "/orders?orderby=modified&order=asc&dates_are_gmt=true&page=" + std::to_string(number) +
        "&per_page=" + std::to_string(per_page);
    if (request.modified_after) {
        path += "&modified_after=" + net::url_encode(gmt_request_time(*request.modified_after));
    }
    if (!request.statuses.empty()) path += "&status=" + net::url_encode(join(request.statuses));
    MLC_TRY(auto answer, get(Call{.path = std::move(path)}));
    MLC_TRY(auto page, orders_from_answer(answer.body));
    set_paging(page, number, answer.total, answer.total_pages,
               page.items.size() + page.rejected.size(), per_page);
    std::vector<OrderRecord> out;
    std::size_t next = 0;
    for (const auto& row : answer.body.as_array()) {  // Bounded by orders_from_answer's check.
        if (!row.is_object() || next >= page.items.size()) continue;
        const auto& object = row.as_object();
        if (std::to_string(int_of(object, "id")) != page.items[next].value.source.id) continue;
        out.push_back(OrderRecord{.record = page.items[next], .raw = object});
        ++next;
    }
    if (page_out != nullptr) *page_out = std::move(page);
    return out;
}

Result<Page<model::Order>> WooCommerceClient::list_orders(const ListOrdersRequest& request) {
    Page<model::Order> page;
    MLC_TRY(const auto records, list_orders_raw(request, &page));
    (void)records;
    return page;
}

Result<Page<model::Order>> WooCommerceClient::list_changed(const ChangedSince& request) {
    return list_orders({.modified_after = request.since, .page = request.page, .per_page = 0});
}

Result<OrderRecord> WooCommerceClient::get_order(std::int64_t order_id) {
    const std::string key = "order " + std::to_string(order_id);
    MLC_TRY(auto answer,
            get(Call{.path = "/orders/" + std::to_string(order_id), .record_key = key}));
    if (!answer.body.is_object()) return invalid(key + ": the answer is not an object");
    auto& object = answer.body.as_object();
    auto order = order_from_json(object);
    if (!order) {
        Error error = std::move(order).error();
        error.record_key = key;
        return error;
    }
    return OrderRecord{.record = {std::move(*order), to_raw(object)}, .raw = std::move(object)};
}

Result<OrderRecord> WooCommerceClient::set_order_status(std::int64_t order_id,
                                                        std::string_view status) {
    const std::string key = "order " + std::to_string(order_id);
    MLC_TRY(auto answer, send(Call{.method = "PUT",
                                   .path = "/orders/" + std::to_string(order_id),
                                   .body = json::serialize(json::object{{"status", status}}),
                                   .record_key = key}));
    if (!answer.body.is_object()) return invalid(key + ": the answer is not an object");
    auto& object = answer.body.as_object();
    MLC_TRY(model::Order order, order_from_json(object));
    return OrderRecord{.record = {std::move(order), to_raw(object)}, .raw = std::move(object)};
}

Result<std::int64_t> WooCommerceClient::add_order_note(std::int64_t order_id, std::string_view note,
                                                       bool customer_note) {
    const std::string key = "order " + std::to_string(order_id);
    MLC_TRY(auto answer, send(Call{.method = "POST",
                                   .path = "/orders/" + std::to_string(order_id) + "/notes",
                                   .body = json::serialize(json::object{
                                       {"note", note}, {"customer_note", customer_note}}),
                                   .record_key = key}));
    if (!answer.body.is_object()) return invalid(key + ": the note answer is not an object");
    return int_of(answer.body.as_object(), "id");
}

Result<std::vector<std::pair<std::int64_t, std::string>>> WooCommerceClient::list_order_notes(
    std::int64_t order_id) {
    const std::string key = "order " + std::to_string(order_id);
    MLC_TRY(auto answer,
            get(Call{.path = "/orders/" + std::to_string(order_id) + "/notes", .record_key = key}));
    if (!answer.body.is_array()) return invalid(key + ": the notes answer is not an array");
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const json::value& entry : answer.body.as_array()) {
        if (!entry.is_object()) continue;
        out.emplace_back(int_of(entry.as_object(), "id"), text_of(entry.as_object(), "note"));
    }
    return out;
}

Result<std::vector<Record<model::Refund>>> WooCommerceClient::list_refunds(std::int64_t order_id) {
    const std::string key = "order " + std::to_string(order_id);
    // Refund objects carry no currency: the order's applies.
    MLC_TRY(const auto order, get_order(order_id));
    std::vector<Record<model::Refund>> out;
    for (std::uint32_t number = 1; number <= kListPagesMax; ++number) {
        MLC_TRY(auto answer,
                get(Call{.path = "/orders/" + std::to_string(order_id) +
                                 "/refunds?orderby=date&order=asc&per_page=" +
                                 std::to_string(kPerPageMax) + "&page=" + std::to_string(number),
                         .record_key = key}));
        if (!answer.body.is_array()) return invalid(key + ": the refunds answer is not an array");
        for (const auto& row : answer.body.as_array()) {  // At most per_page rows.
            if (!row.is_object()) return invalid(key + ": a refund is not an object");
            MLC_TRY(auto refund,
                    refund_from_json(row.as_object(), order_id, order.record.value.currency));
            out.push_back({std::move(refund), to_raw(row.as_object())});
        }
        if (!answer.total_pages || number >= *answer.total_pages) break;
    }
    return out;
}

// ---- Webhooks
// ------------------------------------------------------------------------------------

Result<Webhook> WooCommerceClient::create_webhook(const CreateWebhookRequest& request) {
    const json::object body{{"name", request.name},
                            {"topic", request.topic},
                            {"delivery_url", request.delivery_url},
                            {"secret", request.secret},
                            {"status", request.status}};
    const std::string key = "webhook " + request.topic;
    MLC_TRY(auto answer, send(Call{.method = "POST",
                                   .path = "/webhooks",
                                   .body = json::serialize(body),
                                   .record_key = key}));
    if (!answer.body.is_object()) return invalid(key + ": the answer is not an object");
    return webhook_from_json(answer.body.as_object());
}

Result<std::vector<Webhook>> WooCommerceClient::list_webhooks() {
    std::vector<Webhook> out;
    for (std::uint32_t number = 1; number <= kListPagesMax; ++number) {
        MLC_TRY(auto answer,
                get(Call{.path = "/webhooks?orderby=id&order=asc&per_page=" +
                                 std::to_string(kPerPageMax) + "&page=" + std::to_string(number)}));
        if (!answer.body.is_array()) return invalid("the webhooks answer is not an array");
        for (const auto& row : answer.body.as_array()) {  // At most per_page rows.
            if (row.is_object()) out.push_back(webhook_from_json(row.as_object()));
        }
        if (!answer.total_pages || number >= *answer.total_pages) break;
    }
    return out;
}

Result<Webhook> WooCommerceClient::update_webhook_status(std::int64_t webhook_id,
                                                         std::string_view status) {
    const std::string key = "webhook " + std::to_string(webhook_id);
    MLC_TRY(auto answer, send(Call{.method = "PUT",
                                   .path = "/webhooks/" + std::to_string(webhook_id),
                                   .body = json::serialize(json::object{{"status", status}}),
                                   .record_key = key}));
    if (!answer.body.is_object()) return invalid(key + ": the answer is not an object");
    return webhook_from_json(answer.body.as_object());
}

}  // namespace mlc::connectors::woocommerce

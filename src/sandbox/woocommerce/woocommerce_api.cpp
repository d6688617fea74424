// WooCommerceEmulator's request handlers: the wc/v3 routes and the control routes. Rendering,
// seeding and webhook delivery live in woocommerce_emulator.cpp.
#include <algorithm>
#include <array>
#include <charconv>
#include <functional>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "net/hmac.hpp"
#include "sandbox/woocommerce/woocommerce_emulator.hpp"
#include "sandbox/woocommerce/wp_json.hpp"

namespace mlc::sandbox::woocommerce {
namespace {

namespace json = boost::json;
using Response = net::HttpResponse;

constexpr std::size_t kPathSegmentsMax = 8;
constexpr std::size_t kIncludeIdsMax = 100;   // `include` ids honoured per request.
constexpr std::size_t kMetaEntriesMax = 100;  // meta_data / shipping_lines entries per request.

Response wp_response(int status, const json::value& body) {
    Response response;
    response.status = status;
    response.headers = {{"Content-Type", "application/json; charset=UTF-8"}};
    response.body = wp_json_encode(body);
    return response;
}

// Woo / WP REST error shape: {"code", "message", "data": {"status"}}.
Response woo_error(int status, std::string code, std::string message,
                   json::object extra_data = {}) {
    json::object data{{"status", status}};
    for (auto& member : extra_data) data[member.key()] = member.value();
    return wp_response(status, json::object{{"code", std::move(code)},
                                            {"message", std::move(message)},
                                            {"data", std::move(data)}});
}

// WP_REST_Request::has_valid_params(): 400 rest_invalid_param naming each bad parameter.
Response invalid_param(const std::string& name, std::string reason) {
    return woo_error(400, "rest_invalid_param", "Invalid parameter(s): " + name,
                     json::object{{"params", json::object{{name, std::move(reason)}}}});
}

Response missing_param(const std::string& name) {
    return woo_error(400, "rest_missing_callback_param", "Missing parameter(s): " + name,
                     json::object{{"params", json::array{json::string(name)}}});
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

// WP's rest_sanitize_boolean: "true"/"1" and "false"/"0" (and empty) only.
std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0" || text.empty()) return false;
    return std::nullopt;
}

std::vector<std::string> split(std::string_view text, char separator, std::size_t max_parts) {
    std::vector<std::string> parts;
    while (parts.size() < max_parts) {
        const auto at = text.find(separator);
        parts.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) break;
        text.remove_prefix(at + 1);
    }
    return parts;
}

bool digits(std::string_view text, std::size_t from, std::size_t count) {
    if (from + count > text.size()) return false;
    for (std::size_t i = from; i < from + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
}

// rest_parse_date()'s RFC 3339 check: YYYY-MM-DD[T ]HH:MM:SS(.f)?(Z|+HH(:MM)?)?. Returns the wall
// digits ("YYYY-MM-DDTHH:MM:SS") and whether an offset was written.
std::optional<std::pair<std::string, bool>> rfc3339_wall(std::string_view text) {
    if (!digits(text, 0, 4) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2) ||
        text[7] != '-' || !digits(text, 8, 2) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2) ||
        text[13] != ':' || !digits(text, 14, 2) || text[16] != ':' || !digits(text, 17, 2)) {
        return std::nullopt;
    }
    std::size_t i = 19;
    if (i < text.size() && text[i] == '.') {
        ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        if (i == start) return std::nullopt;
    }
    bool offset = false;
    if (i < text.size()) {
        offset = true;
        if (text[i] == 'Z' || text[i] == 'z') {
            ++i;
        } else if ((text[i] == '+' || text[i] == '-') && digits(text, i + 1, 2)) {
            i += 3;
            if (i < text.size() && text[i] == ':') {
                if (!digits(text, i + 1, 2)) return std::nullopt;
                i += 3;
            }
        } else {
            return std::nullopt;
        }
    }
    if (i != text.size()) return std::nullopt;
    std::string wall(text.substr(0, 19));
    wall[10] = 'T';
    return std::pair{wall, offset};
}

const json::value* field(const json::object& body, std::string_view name) {
    const auto* value = body.if_contains(name);
    return value != nullptr && !value->is_null() ? value : nullptr;
}

std::string text_of(const json::value& value) {
    if (value.is_string()) return std::string(value.get_string());
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    return {};
}

std::optional<std::int64_t> int_of(const json::value& value) {
    if (value.is_int64()) return value.get_int64();
    if (value.is_uint64() && value.get_uint64() <= INT64_MAX) {
        return static_cast<std::int64_t>(value.get_uint64());
    }
    if (value.is_string()) return parse_int(value.get_string());
    return std::nullopt;
}

constexpr std::array<std::string_view, 8> kOrderStatuses = {
    "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash"};
constexpr std::array<std::string_view, 4> kWebhookResources = {"order", "product", "customer",
                                                               "coupon"};
constexpr std::array<std::string_view, 4> kWebhookEvents = {"created", "updated", "deleted",
                                                            "restored"};
constexpr std::array<std::string_view, 3> kWebhookStatuses = {"active", "paused", "disabled"};
constexpr std::array<std::string_view, 10> kAddressFields = {
    "first_name", "last_name", "company",  "address_1", "address_2",
    "city",       "state",     "postcode", "country",   "email"};

template <typename Table>
bool one_of(std::string_view text, const Table& table) {
    return std::find(table.begin(), table.end(), text) != table.end();
}

// Gateways that cannot refund automatically (WC_Payment_Gateway::supports('refunds') is false).
bool gateway_refunds(std::string_view method) { return method == "stripe" || method == "ppcp"; }

// A secret as the admin screen stores it (esc_attr-style): the reason stored secrets carry
// entities that WC_Webhook::generate_signature() decodes again.
std::string html_encode(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#039;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

}  // namespace

// One request: parsed query, helpers shared by the routes. Lives for one handle()/control() call.
struct WooCommerceEmulator::Api {
    WooCommerceEmulator& self;
    const net::HttpRequest& request;
    std::vector<std::pair<std::string, std::string>> query = net::url_query(request.url);
    mutable std::optional<Order> scratch{};  // A seeded order generated for a GET (find_order).

    std::optional<std::string> param(std::string_view name) const {
        for (const auto& [key, value] : query) {
            if (key == name) return value;
        }
        return std::nullopt;
    }
    UtcTime now() const {
        return std::chrono::floor<std::chrono::seconds>(self.context_.clock.now());
    }

    // ---- Auth -------------------------------------------------------------------------------

    // WC_REST_Authentication: Basic (PHP_AUTH_USER/PW) first, then the query parameters. A wrong
    // key or secret is woocommerce_rest_authentication_error; no credentials at all leave the
    // request anonymous and the permission check answers woocommerce_rest_cannot_*.
    std::optional<Response> authenticate() const {
        std::optional<std::pair<std::string, std::string>> credentials;
        if (const auto header = net::find_header(request.headers, "Authorization")) {
            if (header->size() > 6 && header->substr(0, 6) == "Basic ") {
                if (const auto decoded = net::base64_decode(header->substr(6))) {
                    const auto colon = decoded->find(':');
                    if (colon != std::string::npos) {
                        credentials =
                            std::pair{decoded->substr(0, colon), decoded->substr(colon + 1)};
                    }
                }
            }
        }
        if (!credentials) {
            const auto key = param("consumer_key");
            const auto secret = param("consumer_secret");
            if (key && secret) credentials = std::pair{*key, *secret};
        }
        if (!credentials) return cannot();
        if (credentials->first != self.consumer_key_) {
            return woo_error(401, "woocommerce_rest_authentication_error",
                             "Consumer key is invalid.");
        }
        if (credentials->second != self.consumer_secret_) {
            return woo_error(401, "woocommerce_rest_authentication_error",
                             "Consumer secret is invalid.");
        }
        return std::nullopt;
    }

    Response cannot() const {
        if (request.method == "POST") {
            return woo_error(401, "woocommerce_rest_cannot_create",
                             "Sorry, you are not allowed to create resources.");
        }
        if (request.method == "PUT" || request.method == "PATCH") {
            return woo_error(401, "woocommerce_rest_cannot_edit",
                             "Sorry, you are not allowed to edit this resource.");
        }
        if (request.method == "DELETE") {
            return woo_error(401, "woocommerce_rest_cannot_delete",
                             "Sorry, you are not allowed to delete this resource.");
        }
        return woo_error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    }

    // ---- Body -------------------------------------------------------------------------------

    std::optional<Response> parse_body(json::object& out) const {
        if (request.body.empty()) return std::nullopt;
        boost::system::error_code ec;
        auto value = json::parse(request.body, ec);
        if (ec || !value.is_object()) {
            return woo_error(400, "rest_invalid_json", "Invalid JSON body passed.");
        }
        out = std::move(value.as_object());
        return std::nullopt;
    }

    // ---- Lists ------------------------------------------------------------------------------

    struct ListQuery {
        std::int64_t page = 1;
        std::int64_t per_page = kPerPageDefault;
        std::string orderby;
        bool descending = true;
        std::optional<UtcTime> after, before, modified_after, modified_before;
        std::vector<std::int64_t> include;
    };

    // A list date: WP_Date_Query compares the wall text with the chosen column (post_date or
    // post_date_gmt); a text with an offset is first moved to the site's time zone.
    std::optional<Response> list_date(std::string_view name, bool gmt,
                                      std::optional<UtcTime>& out) const {
        const auto text = param(name);
        if (!text) return std::nullopt;
        const auto wall = rfc3339_wall(*text);
        if (!wall) return invalid_param(std::string(name), "Invalid date.");
        std::string local = wall->first;
        if (wall->second) {
            std::string normalised(*text);
            normalised[10] = 'T';
            const auto instant = parse_iso8601(normalised);
            if (!instant) return invalid_param(std::string(name), "Invalid date.");
            local = self.local_text(*instant);
        }
        const auto instant = gmt ? parse_iso8601(local + "Z") : parse_local(local, self.timezone_);
        if (!instant) return invalid_param(std::string(name), "Invalid date.");
        out = *instant;
        return std::nullopt;
    }

    std::optional<Response> parse_list(ListQuery& q,
                                       std::initializer_list<std::string_view> orderbys,
                                       std::string_view default_orderby, bool default_desc,
                                       bool dates) const {
        q.orderby = default_orderby;
        q.descending = default_desc;
        if (const auto page = param("page")) {
            const auto value = parse_int(*page);
            if (!value || *value < 1) {
                return invalid_param("page", "page must be greater than or equal to 1");
            }
            q.page = *value;
        }
        if (const auto per_page = param("per_page")) {
            const auto value = parse_int(*per_page);
            // wc/v3 per_page: minimum 1, maximum 100.
            if (!value || *value < 1 || *value > kPerPageMax) {
                return invalid_param("per_page",
                                     "per_page must be between 1 (inclusive) and 100 (inclusive)");
            }
            q.per_page = *value;
        }
        if (const auto orderby = param("orderby")) {
            if (std::find(orderbys.begin(), orderbys.end(), *orderby) == orderbys.end()) {
                std::string allowed;
                for (const auto& name : orderbys) {
                    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
                }
                return invalid_param("orderby", "orderby is not one of " + allowed + ".");
            }
            q.orderby = *orderby;
        }
        if (const auto order = param("order")) {
            if (*order != "asc" && *order != "desc") {
                return invalid_param("order", "order is not one of asc and desc.");
            }
            q.descending = *order == "desc";
        }
        if (const auto include = param("include")) {
            for (const auto& part : split(*include, ',', kIncludeIdsMax)) {
                const auto id = parse_int(part);
                if (!id) return invalid_param("include", "include[0] is not of type integer.");
                q.include.push_back(*id);
            }
        }
        if (!dates) return std::nullopt;
        bool gmt = false;
        if (const auto flag = param("dates_are_gmt")) {
            const auto value = parse_bool(*flag);
            if (!value) {
                return invalid_param("dates_are_gmt", "dates_are_gmt is not of type boolean.");
            }
            gmt = *value;
        }
        if (auto error = list_date("after", gmt, q.after)) return error;
        if (auto error = list_date("before", gmt, q.before)) return error;
        if (auto error = list_date("modified_after", gmt, q.modified_after)) return error;
        if (auto error = list_date("modified_before", gmt, q.modified_before)) return error;
        return std::nullopt;
    }

    // date_query 'after'/'before' are exclusive.
    static bool in_dates(const ListQuery& q, UtcTime created, UtcTime modified) {
        const auto c = std::chrono::floor<std::chrono::seconds>(created);
        const auto m = std::chrono::floor<std::chrono::seconds>(modified);
        return (!q.after || c > *q.after) && (!q.before || c < *q.before) &&
               (!q.modified_after || m > *q.modified_after) &&
               (!q.modified_before || m < *q.modified_before);
    }
    static bool included(const ListQuery& q, std::int64_t id) {
        return q.include.empty() ||
               std::find(q.include.begin(), q.include.end(), id) != q.include.end();
    }

    // The page of `items`, with X-WP-Total, X-WP-TotalPages and Link (WP_REST_Controller).
    // Only the rows of the page are rendered, so a list over many records stays cheap.
    template <typename Row, typename Render>
    Response page(const ListQuery& q, std::string_view route, const std::vector<const Row*>& rows,
                  const Render& render) const {
        const auto total = static_cast<std::int64_t>(rows.size());
        const std::int64_t pages = (total + q.per_page - 1) / q.per_page;
        json::array out;
        const std::int64_t first = (q.page - 1) * q.per_page;
        for (std::int64_t i = first; i < std::min(total, first + q.per_page); ++i) {
            out.push_back(render(*rows[static_cast<std::size_t>(i)]));
        }
        Response response = wp_response(200, out);
        response.headers.emplace_back("X-WP-Total", std::to_string(total));
        response.headers.emplace_back("X-WP-TotalPages", std::to_string(pages));
        std::vector<std::string> links;
        const auto link = [&](std::int64_t page_number, std::string_view rel) {
            // The request's own parameters with page replaced; credentials are left out here
            // (WordPress would echo them).
            std::string url = self.base_url_ + std::string(kApiPrefix) + std::string(route) + "?";
            for (const auto& [key, value] : query) {
                if (key == "page" || key == "consumer_key" || key == "consumer_secret") continue;
                url += net::url_encode(key) + "=" + net::url_encode(value) + "&";
            }
            url += "page=" + std::to_string(page_number);
            links.push_back("<" + url + ">; rel=\"" + std::string(rel) + "\"");
        };
        if (q.page > 1) link(std::min(q.page - 1, std::max<std::int64_t>(pages, 1)), "prev");
        if (q.page < pages) link(q.page + 1, "next");
        if (!links.empty()) {
            std::string header;
            for (const auto& l : links) header += (header.empty() ? "" : ", ") + l;
            response.headers.emplace_back("Link", header);
        }
        return response;
    }

    template <typename Row>
    static void sort_rows(std::vector<const Row*>& rows, bool descending,
                          const std::function<bool(const Row&, const Row&)>& less) {
        std::stable_sort(rows.begin(), rows.end(), [&](const Row* a, const Row* b) {
            if (less(*a, *b)) return !descending;
            if (less(*b, *a)) return descending;
            return descending ? a->id > b->id : a->id < b->id;
        });
    }

    // sort_rows() for long lists: puts in order only the rows of q's page (the same rows, in the
    // same order, as a full sort would put there: ties are broken by id, so the order is total).
    template <typename Row, typename Less>
    static void sort_page_rows(std::vector<const Row*>& rows, const ListQuery& q,
                               const Less& less) {
        const auto before = [&](const Row* a, const Row* b) {
            if (less(*a, *b)) return !q.descending;
            if (less(*b, *a)) return q.descending;
            return q.descending ? a->id > b->id : a->id < b->id;
        };
        const auto total = static_cast<std::int64_t>(rows.size());
        const std::int64_t first = std::min(total, (q.page - 1) * q.per_page);
        const std::int64_t last = std::min(total, first + q.per_page);
        if (first >= last) return;
        if (first > 0) std::nth_element(rows.begin(), rows.begin() + first, rows.end(), before);
        std::partial_sort(rows.begin() + first, rows.begin() + last, rows.end(), before);
    }

    // A listed order: stored whole, or a seeded row generated when its page is rendered.
    struct OrderRef {
        std::int64_t id = 0;
        UtcTime created{};
        UtcTime modified{};
        const Order* stored = nullptr;
        const SeedOrder* seeded = nullptr;
    };

    // ---- Orders -----------------------------------------------------------------------------

    Response order_not_found() const {
        return woo_error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
    }

    Response list_orders() const {
        ListQuery q;
        if (auto error = parse_list(q, {"date", "id", "include", "title", "slug", "modified"},
                                    "date", true, true)) {
            return *error;
        }
        std::vector<std::string> statuses;
        if (const auto status = param("status")) {
            for (const auto& s : split(*status, ',', kOrderStatuses.size() + 1)) {
                if (s != "any" && !one_of(s, kOrderStatuses)) {
                    return invalid_param("status",
                                         "status[0] is not one of any, trash, pending, "
                                         "processing, on-hold, completed, cancelled, "
                                         "refunded, failed and checkout-draft.");
                }
                if (s != "any") statuses.push_back(s);
            }
        }
        std::optional<std::int64_t> customer;
        if (const auto text = param("customer")) {
            customer = parse_int(*text);
            if (!customer) return invalid_param("customer", "customer is not of type integer.");
        }
        // Stored orders and seeded ones (up to a million) as light references; only the page's
        // rows are put in order and rendered.
        std::vector<OrderRef> refs;
        for (const auto& row : self.seed_orders()) {  // At most kSeedOrdersMax.
            if (row.stored) continue;
            const std::string_view status = seed_status(row);
            const bool status_ok = statuses.empty() ? status != "trash" : one_of(status, statuses);
            if (!status_ok || !included(q, row.id) || !in_dates(q, row.created, row.modified)) {
                continue;
            }
            if (customer && row.customer_id != *customer) continue;
            refs.push_back(OrderRef{.id = row.id,
                                    .created = row.created,
                                    .modified = row.modified,
                                    .stored = nullptr,
                                    .seeded = &row});
        }
        for (const auto& [id, order] : self.orders_) {
            const bool status_ok =
                statuses.empty() ? order.status != "trash" : one_of(order.status, statuses);
            if (!status_ok || !included(q, id) || !in_dates(q, order.created, order.modified)) {
                continue;
            }
            if (customer && order.customer_id != *customer) continue;
            refs.push_back(OrderRef{.id = id,
                                    .created = order.created,
                                    .modified = order.modified,
                                    .stored = &order,
                                    .seeded = nullptr});
        }
        std::vector<const OrderRef*> rows;
        rows.reserve(refs.size());
        for (const auto& ref : refs) rows.push_back(&ref);
        sort_page_rows<OrderRef>(rows, q, [&](const OrderRef& a, const OrderRef& b) {
            if (q.orderby == "modified") return a.modified < b.modified;
            if (q.orderby == "id" || q.orderby == "include" || q.orderby == "slug") {
                return a.id < b.id;
            }
            return a.created < b.created;
        });
        return page(q, "orders", rows, [&](const OrderRef& row) {
            return row.stored != nullptr ? self.render(*row.stored)
                                         : self.render(self.generate_order(*row.seeded));
        });
    }

    void apply_address(json::object& target, const json::value* source, bool with_email) const {
        if (source == nullptr || !source->is_object()) return;
        for (const auto& name : kAddressFields) {
            if (name == "email" && !with_email) continue;
            if (const auto* value = field(source->as_object(), name)) {
                target[name] = text_of(*value);
            }
        }
        if (const auto* phone = field(source->as_object(), "phone")) {
            target["phone"] = text_of(*phone);
        }
    }

    static json::object empty_address(bool with_email) {
        json::object out;
        for (const auto& name : kAddressFields) {
            if (name != "email" || with_email) out[name] = "";
        }
        out["phone"] = "";
        return out;
    }

    // Builds order lines from [{product_id|sku, quantity}]. Returns an error response on a bad
    // line.
    std::optional<Response> build_lines(const json::value& items, Order& order) const {
        if (!items.is_array()) {
            return invalid_param("line_items", "line_items is not of type array.");
        }
        if (items.as_array().size() > kLinesPerOrderMax) {
            return invalid_param("line_items", "too many line items");
        }
        for (const auto& item : items.as_array()) {
            if (!item.is_object()) {
                return invalid_param("line_items", "line_items[0] is not of type object.");
            }
            const auto& object = item.as_object();
            const Product* product = nullptr;
            if (const auto* id = field(object, "product_id")) {
                const auto value = int_of(*id);
                const auto found = value ? self.products_.find(*value) : self.products_.end();
                if (found != self.products_.end()) product = &found->second;
            } else if (const auto* sku = field(object, "sku")) {
                for (const auto& [pid, p] : self.products_) {
                    if (p.sku == text_of(*sku)) product = &p;
                }
            }
            if (product == nullptr) {
                return woo_error(400, "woocommerce_rest_invalid_product_id",
                                 "Product ID provided is invalid.");
            }
            std::int64_t quantity = 1;
            if (const auto* q = field(object, "quantity")) {
                const auto value = int_of(*q);
                if (!value || *value < 1) {
                    return woo_error(400, "woocommerce_rest_invalid_product_quantity",
                                     "Product quantity must be a positive integer.");
                }
                quantity = *value;
            }
            LineItem line;
            line.id = self.next_item_id_++;
            line.name = product->name;
            line.sku = product->sku;
            line.product_id = product->id;
            line.quantity = quantity;
            line.subtotal = product->sale_price.value_or(product->regular_price).mul(quantity);
            line.total = line.subtotal;
            if (const auto* total = field(object, "total")) {
                if (!total->is_string()) {
                    return invalid_param("line_items", "total is not of type string.");
                }
                const auto parsed = Decimal::parse(total->get_string());
                if (!parsed) return invalid_param("line_items", "total is not a number.");
                line.total = *parsed;
            }
            order.lines.push_back(std::move(line));
        }
        return std::nullopt;
    }

    // meta_data [{key, value}]: a known key is updated in place, a new one added with an id.
    std::optional<Response> apply_meta_data(const json::value* meta, Order& order) const {
        if (meta == nullptr) return std::nullopt;
        if (!meta->is_array()) return invalid_param("meta_data", "meta_data is not of type array.");
        if (meta->as_array().size() > kMetaEntriesMax) {
            return invalid_param("meta_data", "too many meta_data entries");
        }
        for (const auto& entry : meta->as_array()) {
            if (!entry.is_object() || field(entry.as_object(), "key") == nullptr) continue;
            const std::string key = text_of(entry.at("key"));
            const json::value value =
                entry.as_object().contains("value") ? entry.at("value") : json::value("");
            bool replaced = false;
            for (auto& existing : order.meta_data) {
                if (existing.at("key").as_string() == key) {
                    existing.as_object()["value"] = value;
                    replaced = true;
                }
            }
            if (!replaced) {
                order.meta_data.push_back(
                    json::object{{"id", self.next_item_id_++}, {"key", key}, {"value", value}});
            }
        }
        return std::nullopt;
    }

    // shipping_lines [{total}]: the order's shipping total is their sum (money as strings).
    std::optional<Response> apply_shipping_lines(const json::value* lines, Order& order) const {
        if (lines == nullptr) return std::nullopt;
        if (lines->is_array() && lines->as_array().size() > kMetaEntriesMax) {
            return invalid_param("shipping_lines", "too many shipping_lines");
        }
        if (lines->is_array()) {
            Decimal shipping;
            for (const auto& line : lines->as_array()) {
                if (!line.is_object() || field(line.as_object(), "total") == nullptr) continue;
                const auto& total = line.at("total");
                if (!total.is_string()) {
                    return invalid_param("shipping_lines", "total is not of type string.");
                }
                const auto parsed = Decimal::parse(total.get_string());
                if (!parsed) return invalid_param("shipping_lines", "total is not a number.");
                shipping += *parsed;
            }
            order.shipping_total = shipping;
        }
        return std::nullopt;
    }

    // Fields a PUT or POST may set on an order (status checked, money fields as strings).
    std::optional<Response> apply_order(const json::object& body, Order& order) const {
        if (const auto* status = field(body, "status")) {
            const std::string text = text_of(*status);
            if (!one_of(text, kOrderStatuses)) {
                return invalid_param("status",
                                     "status is not one of pending, processing, on-hold, "
                                     "completed, cancelled, refunded, failed and trash.");
            }
            order.status = text;
            if (text == "completed" && !order.completed) order.completed = now();
        }
        if (const auto* note = field(body, "customer_note")) order.customer_note = text_of(*note);
        if (const auto* method = field(body, "payment_method")) {
            order.payment_method = text_of(*method);
        }
        if (const auto* title = field(body, "payment_method_title")) {
            order.payment_method_title = text_of(*title);
        }
        if (const auto* id = field(body, "transaction_id")) order.transaction_id = text_of(*id);
        if (const auto* currency = field(body, "currency")) order.currency = text_of(*currency);
        if (const auto* customer = field(body, "customer_id")) {
            const auto id = int_of(*customer);
            if (!id || (*id != 0 && self.customers_.count(*id) == 0)) {
                return woo_error(400, "woocommerce_rest_invalid_customer_id",
                                 "Customer ID is invalid.");
            }
            order.customer_id = *id;
        }
        apply_address(order.billing, field(body, "billing"), true);
        apply_address(order.shipping, field(body, "shipping"), false);
        if (auto error = apply_meta_data(field(body, "meta_data"), order)) return error;
        if (auto error = apply_shipping_lines(field(body, "shipping_lines"), order)) return error;
        if (const auto* paid = field(body, "set_paid");
            paid != nullptr && paid->is_bool() && paid->get_bool()) {
            // WC_Order::payment_complete(): paid now, processing.
            self.mark_paid(order, now());
            if (order.status == "pending" || order.status == "on-hold" ||
                order.status == "failed") {
                order.status = "processing";
            }
        }
        return std::nullopt;
    }

    Order new_order() const {
        Order order;
        order.id = self.next_post_id_++;
        order.order_key = "wc_order_" + std::to_string(order.id) + "x" +
                          std::to_string(self.next_sequence_ * 7919 % 1'000'003);
        order.created = now();
        order.modified = order.created;
        order.billing = empty_address(true);
        order.shipping = empty_address(false);
        return order;
    }

    Response create_order() const {
        json::object body;
        if (auto error = parse_body(body)) return *error;
        Order order = new_order();
        if (const auto* items = field(body, "line_items")) {
            if (auto error = build_lines(*items, order)) return *error;
        }
        if (auto error = apply_order(body, order)) return *error;
        const auto id = order.id;
        self.orders_.emplace(id, std::move(order));
        self.fire("order", "created", id);
        return wp_response(201, self.render(self.orders_.at(id)));
    }

    // The order of a route. A GET only reads it: a seeded order is generated into this request's
    // scratch copy and stays unstored; any other method stores it first (it may change).
    Order* find_order(std::string_view id_text) const {
        const auto id = parse_int(id_text);
        if (!id) return nullptr;
        if (request.method != "GET") return self.order_for_update(*id);
        const Order* found = self.find_order(*id, scratch);
        if (found == nullptr) return nullptr;
        if (!scratch) scratch = *found;
        return &*scratch;
    }

    Response order(const std::vector<std::string>& path) const {
        Order* order = find_order(path[1]);
        if (path.size() >= 3) {
            if (path[2] == "refunds") return refunds(path, order);
            if (path[2] == "notes" && path.size() == 3) return notes(order);
            return no_route();
        }
        if (order == nullptr) return order_not_found();
        if (request.method == "GET") return wp_response(200, self.render(*order));
        if (request.method == "PUT" || request.method == "POST" || request.method == "PATCH") {
            json::object body;
            if (auto error = parse_body(body)) return *error;
            Order updated = *order;
            if (auto error = apply_order(body, updated)) return *error;
            updated.modified = now();
            *order = std::move(updated);
            self.fire("order", "updated", order->id);
            return wp_response(200, self.render(*order));
        }
        if (request.method == "DELETE") {
            const bool force = parse_bool(param("force").value_or("false")).value_or(false);
            json::object shown = self.render(*order);
            const auto id = order->id;
            if (force) {
                self.orders_.erase(id);
            } else {
                if (order->status == "trash") {
                    return woo_error(410, "woocommerce_rest_already_trashed",
                                     "The order has already been deleted.");
                }
                order->status = "trash";
                order->modified = now();
                shown = self.render(*order);
            }
            self.fire("order", "deleted", id);
            return wp_response(200, shown);
        }
        return no_route();
    }

    // ---- Refunds ----------------------------------------------------------------------------

    // wc_create_refund(): amount within what is left; with api_refund the gateway is asked first
    // and a gateway without refund support fails the whole refund.
    std::variant<std::int64_t, Response> add_refund(Order& order, const json::object& body,
                                                    bool api_refund_default) const {
        Decimal amount;
        if (const auto* value = field(body, "amount")) {
            if (!value->is_string()) {
                return invalid_param("amount", "amount is not of type string.");
            }
            const auto parsed = Decimal::parse(value->get_string());
            if (!parsed) return invalid_param("amount", "amount is not a number.");
            amount = *parsed;
        }
        if (amount.is_negative() || amount.is_zero()) {
            return woo_error(400, "woocommerce_rest_invalid_order_refund",
                             "Refund amount must be greater than zero.");
        }
        if (amount > self.order_total(order) - self.refunded_total(order)) {
            return woo_error(500, "woocommerce_rest_cannot_create_order_refund",
                             "Invalid refund amount.");
        }
        bool api_refund = api_refund_default;
        if (const auto* flag = field(body, "api_refund")) {
            if (!flag->is_bool()) {
                return invalid_param("api_refund", "api_refund is not of type boolean.");
            }
            api_refund = flag->get_bool();
        }
        if (api_refund && !gateway_refunds(order.payment_method)) {
            return woo_error(
                500, "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not support automatic refunds.");
        }
        Refund refund;
        refund.id = self.next_post_id_++;
        refund.created = now();
        refund.amount = amount;
        if (const auto* reason = field(body, "reason")) refund.reason = text_of(*reason);
        refund.refunded_payment = api_refund;
        order.refunds.push_back(refund);
        order.modified = now();
        // A fully refunded order becomes refunded (wc_order_fully_refunded).
        if (self.refunded_total(order) == self.order_total(order)) order.status = "refunded";
        self.fire("order", "updated", order.id);
        return refund.id;
    }

    Response refunds(const std::vector<std::string>& path, Order* order) const {
        if (order == nullptr) return order_not_found();
        if (path.size() == 3) {
            if (request.method == "POST") {
                json::object body;
                if (auto error = parse_body(body)) return *error;
                auto created = add_refund(*order, body, true);
                if (auto* error = std::get_if<Response>(&created)) return *error;
                return wp_response(201, self.render(*order, order->refunds.back()));
            }
            if (request.method != "GET") return no_route();
            ListQuery q;
            if (auto error = parse_list(q, {"date", "id", "include", "title", "slug", "modified"},
                                        "date", true, true)) {
                return *error;
            }
            std::vector<const Refund*> rows;
            for (const auto& refund : order->refunds) {
                if (included(q, refund.id) && in_dates(q, refund.created, refund.created)) {
                    rows.push_back(&refund);
                }
            }
            sort_rows<Refund>(rows, q.descending, [&](const Refund& a, const Refund& b) {
                return q.orderby == "date" || q.orderby == "modified" ? a.created < b.created
                                                                      : a.id < b.id;
            });
            return page(q, "orders/" + std::to_string(order->id) + "/refunds", rows,
                        [&](const Refund& row) { return self.render(*order, row); });
        }
        if (path.size() != 4) return no_route();
        const auto id = parse_int(path[3]);
        auto found = std::find_if(order->refunds.begin(), order->refunds.end(),
                                  [&](const Refund& r) { return id && r.id == *id; });
        if (found == order->refunds.end()) {
            return woo_error(404, "woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.");
        }
        if (request.method == "GET") return wp_response(200, self.render(*order, *found));
        if (request.method == "DELETE") {
            if (!parse_bool(param("force").value_or("false")).value_or(false)) {
                return woo_error(501, "woocommerce_rest_trash_not_supported",
                                 "Refunds do not support trashing.");
            }
            const json::object shown = self.render(*order, *found);
            order->refunds.erase(found);
            order->modified = now();
            self.fire("order", "updated", order->id);
            return wp_response(200, shown);
        }
        return no_route();
    }

    Response notes(Order* order) const {
        if (order == nullptr) return order_not_found();
        if (request.method == "POST") {
            json::object body;
            if (auto error = parse_body(body)) return *error;
            const auto* note = field(body, "note");
            if (note == nullptr || text_of(*note).empty()) return missing_param("note");
            const auto* customer = field(body, "customer_note");
            order->notes.push_back(Note{.id = self.next_note_id_++,
                                        .created = now(),
                                        .note = text_of(*note),
                                        .customer_note = customer != nullptr &&
                                                         customer->is_bool() &&
                                                         customer->get_bool()});
            return wp_response(201, self.render(*order, order->notes.back()));
        }
        if (request.method != "GET") return no_route();
        json::array items;
        for (auto it = order->notes.rbegin(); it != order->notes.rend(); ++it) {
            items.push_back(self.render(*order, *it));
        }
        return wp_response(200, items);
    }

    // ---- Products ---------------------------------------------------------------------------

    Response product_not_found() const {
        return woo_error(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
    }

    Response list_products() const {
        ListQuery q;
        if (auto error = parse_list(q,
                                    {"date", "id", "include", "title", "slug", "price",
                                     "popularity", "rating", "menu_order", "modified"},
                                    "date", true, true)) {
            return *error;
        }
        std::vector<std::string> skus;
        if (const auto sku = param("sku")) skus = split(*sku, ',', kIncludeIdsMax);
        const auto status = param("status").value_or("any");
        std::vector<const Product*> rows;
        for (const auto& [id, product] : self.products_) {
            if (!skus.empty() && !one_of(product.sku, skus)) continue;
            if (status == "any" ? product.status == "trash" : product.status != status) continue;
            if (!included(q, id) || !in_dates(q, product.created, product.modified)) continue;
            rows.push_back(&product);
        }
        sort_rows<Product>(rows, q.descending, [&](const Product& a, const Product& b) {
            if (q.orderby == "modified") return a.modified < b.modified;
            if (q.orderby == "title") return a.name < b.name;
            if (q.orderby == "price") {
                return a.sale_price.value_or(a.regular_price) <
                       b.sale_price.value_or(b.regular_price);
            }
            if (q.orderby == "date") return a.created < b.created;
            return a.id < b.id;
        });
        return page(q, "products", rows, [&](const Product& row) { return self.render(row); });
    }

    std::optional<Response> money_field(const json::object& body, std::string_view name,
                                        std::optional<Decimal>& out, bool& present) const {
        present = body.contains(name);
        if (!present) return std::nullopt;
        const auto& value = body.at(name);
        // Woo's schema types money as string: a JSON number is refused.
        if (!value.is_string()) {
            return invalid_param(std::string(name), std::string(name) + " is not of type string.");
        }
        if (value.get_string().empty()) {
            out.reset();
            return std::nullopt;
        }
        const auto parsed = Decimal::parse(value.get_string());
        if (!parsed) {
            return invalid_param(std::string(name), std::string(name) + " is not a number.");
        }
        out = *parsed;
        return std::nullopt;
    }

    std::optional<Response> apply_product(const json::object& body, Product& product) const {
        if (const auto* name = field(body, "name")) product.name = text_of(*name);
        if (const auto* sku = field(body, "sku")) {
            const std::string text = text_of(*sku);
            for (const auto& [id, other] : self.products_) {
                // WC_Product_Data_Store_CPT::is_existing_sku(): SKUs are unique.
                if (id != product.id && !text.empty() && other.sku == text) {
                    return woo_error(
                        400, "product_invalid_sku", "Invalid or duplicated SKU.",
                        json::object{{"resource_id", id}, {"unique_sku", text + "-1"}});
                }
            }
            product.sku = text;
        }
        if (const auto* status = field(body, "status")) {
            const std::string text = text_of(*status);
            if (text != "draft" && text != "pending" && text != "private" && text != "publish") {
                return invalid_param("status",
                                     "status is not one of draft, pending, private and publish.");
            }
            product.status = text;
        }
        std::optional<Decimal> money;
        bool present = false;
        if (auto error = money_field(body, "regular_price", money, present)) return error;
        if (present) product.regular_price = money.value_or(Decimal{});
        if (auto error = money_field(body, "sale_price", money, present)) return error;
        if (present) product.sale_price = money;
        if (const auto* manage = field(body, "manage_stock")) {
            if (!manage->is_bool()) {
                return invalid_param("manage_stock", "manage_stock is not of type boolean.");
            }
            product.manage_stock = manage->get_bool();
        }
        if (const auto* status = field(body, "stock_status")) {
            const std::string text = status->is_string() ? std::string(status->get_string()) : "";
            if (text != "instock" && text != "outofstock" && text != "onbackorder") {
                return invalid_param("stock_status",
                                     "stock_status is not one of instock, outofstock, and "
                                     "onbackorder.");
            }
            product.stock_status = text;
        }
        if (const auto* quantity = field(body, "stock_quantity")) {
            const auto value = quantity->is_string() ? std::nullopt : int_of(*quantity);
            if (!value) {
                return invalid_param("stock_quantity", "stock_quantity is not of type integer.");
            }
            product.stock_quantity = *value;
        }
        if (const auto* weight = field(body, "weight")) product.weight = text_of(*weight);
        if (const auto* dimensions = field(body, "dimensions");
            dimensions != nullptr && dimensions->is_object()) {
            for (const auto& name : {"length", "width", "height"}) {
                if (const auto* v = field(dimensions->as_object(), name)) {
                    product.dimensions[name] = text_of(*v);
                }
            }
        }
        return std::nullopt;
    }

    std::variant<std::int64_t, Response> create_product_from(const json::object& body) const {
        Product product;
        product.id = 0;
        if (auto error = apply_product(body, product)) return *error;
        product.id = self.next_post_id_++;
        product.created = now();
        product.modified = product.created;
        if (product.dimensions.empty()) {
            product.dimensions = {{"length", ""}, {"width", ""}, {"height", ""}};
        }
        const auto id = product.id;
        self.products_.emplace(id, std::move(product));
        self.fire("product", "created", id);
        return id;
    }

    std::variant<std::int64_t, Response> update_product_from(Product& product,
                                                             const json::object& body) const {
        Product updated = product;
        if (auto error = apply_product(body, updated)) return *error;
        updated.modified = now();
        product = std::move(updated);
        self.fire("product", "updated", product.id);
        return product.id;
    }

    std::variant<json::object, Response> delete_product(std::int64_t id, bool force) const {
        const auto found = self.products_.find(id);
        if (found == self.products_.end()) return product_not_found();
        json::object shown = self.render(found->second);
        if (force) {
            self.products_.erase(found);
        } else {
            if (found->second.status == "trash") {
                return woo_error(410, "woocommerce_rest_already_trashed",
                                 "The product has already been deleted.");
            }
            found->second.status = "trash";
            found->second.modified = now();
            shown = self.render(found->second);
        }
        self.fire("product", "deleted", id);
        return shown;
    }

    Response product(const std::vector<std::string>& path) const {
        if (path[1] == "batch") return products_batch();
        if (path.size() != 2) return no_route();
        const auto id = parse_int(path[1]);
        if (!id) return no_route();
        const auto found = self.products_.find(*id);
        if (found == self.products_.end()) return product_not_found();
        if (request.method == "GET") return wp_response(200, self.render(found->second));
        if (request.method == "PUT" || request.method == "POST" || request.method == "PATCH") {
            json::object body;
            if (auto error = parse_body(body)) return *error;
            auto updated = update_product_from(found->second, body);
            if (auto* error = std::get_if<Response>(&updated)) return *error;
            return wp_response(200, self.render(found->second));
        }
        if (request.method == "DELETE") {
            auto deleted =
                delete_product(*id, parse_bool(param("force").value_or("false")).value_or(false));
            if (auto* error = std::get_if<Response>(&deleted)) return *error;
            return wp_response(200, std::get<json::object>(deleted));
        }
        return no_route();
    }

    static json::object item_error(const Response& response) {
        auto parsed = json::parse(response.body).as_object();
        return json::object{{"id", 0}, {"error", std::move(parsed)}};
    }

    json::array batch_create(const json::array& list_items) const {
        json::array results;
        for (const auto& item : list_items) {
            if (!item.is_object()) {
                results.push_back(
                    item_error(invalid_param("create", "create[0] is not of type object.")));
                continue;
            }
            auto created = create_product_from(item.as_object());
            if (auto* error = std::get_if<Response>(&created)) {
                results.push_back(item_error(*error));
            } else {
                results.push_back(self.render(self.products_.at(std::get<std::int64_t>(created))));
            }
        }
        return results;
    }

    json::array batch_update(const json::array& list_items) const {
        json::array results;
        for (const auto& item : list_items) {
            const auto* id_value = item.is_object() ? field(item.as_object(), "id") : nullptr;
            const auto id = id_value != nullptr ? int_of(*id_value) : std::nullopt;
            const auto found = id ? self.products_.find(*id) : self.products_.end();
            if (found == self.products_.end()) {
                auto error = item_error(product_not_found());
                error["id"] = id.value_or(0);
                results.push_back(std::move(error));
                continue;
            }
            auto updated = update_product_from(found->second, item.as_object());
            if (auto* error = std::get_if<Response>(&updated)) {
                auto shown = item_error(*error);
                shown["id"] = *id;
                results.push_back(std::move(shown));
            } else {
                results.push_back(self.render(found->second));
            }
        }
        return results;
    }

    json::array batch_delete(const json::array& list_items) const {
        json::array results;
        for (const auto& item : list_items) {
            const auto id = int_of(item);
            // Batch deletes are forced (batch_items sets force=true).
            auto deleted = id ? delete_product(*id, true)
                              : std::variant<json::object, Response>(product_not_found());
            if (auto* error = std::get_if<Response>(&deleted)) {
                auto shown = item_error(*error);
                shown["id"] = id.value_or(0);
                results.push_back(std::move(shown));
            } else {
                results.push_back(std::get<json::object>(deleted));
            }
        }
        return results;
    }

    // WC_REST_Controller::batch_items(): create, update, delete in that order; at most
    // kBatchItemsMax objects in all, else 413 before anything is done.
    Response products_batch() const {
        if (request.method != "POST" && request.method != "PUT" && request.method != "PATCH") {
            return no_route();
        }
        json::object body;
        if (auto error = parse_body(body)) return *error;
        std::size_t total = 0;
        for (const auto& name : {"create", "update", "delete"}) {
            if (const auto* list = field(body, name)) {
                if (!list->is_array()) {
                    return invalid_param(name, std::string(name) + " is not of type array.");
                }
                total += list->as_array().size();
            }
        }
        if (total > kBatchItemsMax) {
            return woo_error(413, "woocommerce_rest_request_entity_too_large",
                             "Unable to accept more than 100 items for this request.");
        }
        json::object out;
        for (const auto& name : {"create", "update", "delete"}) {
            const auto* list = field(body, name);
            if (list == nullptr) continue;
            const std::string_view key = name;
            out[key] = key == "create"   ? batch_create(list->as_array())
                       : key == "update" ? batch_update(list->as_array())
                                         : batch_delete(list->as_array());
        }
        return wp_response(200, out);
    }

    // ---- Customers --------------------------------------------------------------------------

    Response customer_not_found() const {
        return woo_error(404, "woocommerce_rest_invalid_id", "Invalid resource ID.");
    }

    Response list_customers() const {
        ListQuery q;
        // Customers take no date filters in wc/v3 (unknown parameters are ignored by WP).
        if (auto error =
                parse_list(q, {"id", "include", "name", "registered_date"}, "name", false, false)) {
            return *error;
        }
        const auto email = param("email");
        const auto role = param("role").value_or("customer");
        if (role != "all" && role != "customer" && role != "administrator" &&
            role != "shop_manager") {
            return invalid_param(
                "role", "role is not one of all, administrator, customer and shop_manager.");
        }
        std::vector<const Customer*> rows;
        for (const auto& [id, customer] : self.customers_) {
            if (email && customer.email != *email) continue;
            if (role != "all" && role != "customer") continue;
            if (!included(q, id)) continue;
            rows.push_back(&customer);
        }
        sort_rows<Customer>(rows, q.descending, [&](const Customer& a, const Customer& b) {
            if (q.orderby == "name") {
                return std::tie(a.first_name, a.last_name) < std::tie(b.first_name, b.last_name);
            }
            if (q.orderby == "registered_date") return a.created < b.created;
            return a.id < b.id;
        });
        return page(q, "customers", rows, [&](const Customer& row) { return self.render(row); });
    }

    bool email_taken(const std::string& email, std::int64_t except) const {
        for (const auto& [id, c] : self.customers_) {
            if (id != except && c.email == email) return true;
        }
        return false;
    }

    Response create_customer() const {
        json::object body;
        if (auto error = parse_body(body)) return *error;
        const auto* email_value = field(body, "email");
        if (email_value == nullptr) return missing_param("email");
        const std::string email = text_of(*email_value);
        const auto at = email.find('@');
        if (at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos) {
            return woo_error(400, "registration-error-invalid-email",
                             "Please provide a valid email address.");
        }
        // wc_create_new_customer(): one account per email address.
        if (email_taken(email, 0)) {
            return woo_error(400, "registration-error-email-exists",
                             "An account is already registered with your email address. "
                             "Please log in.");
        }
        Customer customer;
        customer.email = email;
        if (const auto* username = field(body, "username")) {
            customer.username = text_of(*username);
            for (const auto& [id, c] : self.customers_) {
                if (c.username == customer.username) {
                    return woo_error(400, "registration-error-username-exists",
                                     "An account is already registered with that username. "
                                     "Please choose another.");
                }
            }
        } else {
            customer.username = email.substr(0, at);
            for (const auto& [id, c] : self.customers_) {
                if (c.username == customer.username) {
                    customer.username += std::to_string(self.next_customer_id_);
                    break;
                }
            }
        }
        customer.id = self.next_customer_id_++;
        customer.created = now();
        customer.modified = customer.created;
        customer.billing = empty_address(true);
        customer.shipping = empty_address(false);
        apply_customer(body, customer);
        const auto id = customer.id;
        self.customers_.emplace(id, std::move(customer));
        self.fire("customer", "created", id);
        return wp_response(201, self.render(self.customers_.at(id)));
    }

    void apply_customer(const json::object& body, Customer& customer) const {
        if (const auto* v = field(body, "first_name")) customer.first_name = text_of(*v);
        if (const auto* v = field(body, "last_name")) customer.last_name = text_of(*v);
        apply_address(customer.billing, field(body, "billing"), true);
        apply_address(customer.shipping, field(body, "shipping"), false);
    }

    Response customer(const std::vector<std::string>& path) const {
        if (path.size() != 2) return no_route();
        const auto id = parse_int(path[1]);
        if (!id) return no_route();
        const auto found = self.customers_.find(*id);
        if (found == self.customers_.end()) return customer_not_found();
        Customer& customer = found->second;
        if (request.method == "GET") return wp_response(200, self.render(customer));
        if (request.method == "PUT" || request.method == "POST" || request.method == "PATCH") {
            json::object body;
            if (auto error = parse_body(body)) return *error;
            if (const auto* email = field(body, "email")) {
                if (email_taken(text_of(*email), customer.id)) {
                    return woo_error(400, "woocommerce_rest_customer_invalid_email",
                                     "Email address is invalid.");
                }
                customer.email = text_of(*email);
            }
            if (const auto* username = field(body, "username");
                username != nullptr && text_of(*username) != customer.username) {
                return woo_error(400, "woocommerce_rest_customer_invalid_argument",
                                 "Username isn't editable.");
            }
            apply_customer(body, customer);
            customer.modified = now();
            self.fire("customer", "updated", customer.id);
            return wp_response(200, self.render(customer));
        }
        if (request.method == "DELETE") {
            if (!parse_bool(param("force").value_or("false")).value_or(false)) {
                return woo_error(501, "woocommerce_rest_trash_not_supported",
                                 "Customers do not support trashing.");
            }
            const json::object shown = self.render(customer);
            self.customers_.erase(found);
            self.fire("customer", "deleted", *id);
            return wp_response(200, shown);
        }
        return no_route();
    }

    // ---- Webhooks ---------------------------------------------------------------------------

    Response webhook_not_found() const {
        return woo_error(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
    }

    static bool valid_topic(std::string_view topic) {
        const auto dot = topic.find('.');
        return dot != std::string_view::npos && one_of(topic.substr(0, dot), kWebhookResources) &&
               one_of(topic.substr(dot + 1), kWebhookEvents);
    }

    std::optional<Response> apply_webhook(const json::object& body, Webhook& webhook) const {
        if (const auto* name = field(body, "name")) webhook.name = text_of(*name);
        if (const auto* topic = field(body, "topic")) {
            if (!valid_topic(text_of(*topic))) {
                return woo_error(400, "woocommerce_rest_webhook_invalid_topic",
                                 "Webhook topic is required and must be valid.");
            }
            webhook.topic = text_of(*topic);
        }
        if (const auto* url = field(body, "delivery_url")) {
            const std::string text = text_of(*url);
            if (!text.starts_with("http://") && !text.starts_with("https://")) {
                return invalid_param("delivery_url", "Invalid URI.");
            }
            webhook.delivery_url = text;
        }
        if (const auto* secret = field(body, "secret")) webhook.secret = text_of(*secret);
        if (const auto* status = field(body, "status")) {
            const std::string text = text_of(*status);
            if (!one_of(text, kWebhookStatuses)) {
                return invalid_param("status", "status is not one of active, paused and disabled.");
            }
            // WC_Webhook::set_status(): becoming active again resets the failure count.
            if (text == "active" && webhook.status != "active") webhook.failure_count = 0;
            webhook.status = text;
        }
        return std::nullopt;
    }

    Response create_webhook(const json::object& body, bool admin_screen) const {
        if (self.webhooks_.size() >= kWebhooksMax) {
            return woo_error(400, "woocommerce_rest_webhook_limit", "Too many webhooks.");
        }
        if (field(body, "topic") == nullptr) return missing_param("topic");
        if (field(body, "delivery_url") == nullptr) return missing_param("delivery_url");
        Webhook webhook;
        if (auto error = apply_webhook(body, webhook)) return *error;
        webhook.id = self.next_webhook_id_++;
        webhook.created = now();
        webhook.modified = webhook.created;
        if (webhook.name.empty()) webhook.name = "Webhook created on " + self.local_text(now());
        if (webhook.secret.empty()) webhook.secret = "sandbox-secret-" + std::to_string(webhook.id);
        if (admin_screen) webhook.secret = html_encode(webhook.secret);
        const auto id = webhook.id;
        Webhook& stored = self.webhooks_.emplace(id, std::move(webhook)).first->second;
        self.ping(stored);  // WC_Webhook::save(): a new webhook pings its delivery URL.
        return wp_response(201, self.render(stored));
    }

    Response list_webhooks() const {
        ListQuery q;
        if (auto error = parse_list(q, {"date", "id", "title"}, "date", true, true)) return *error;
        const auto status = param("status").value_or("all");
        if (status != "all" && !one_of(status, kWebhookStatuses)) {
            return invalid_param("status",
                                 "status is not one of all, active, paused and disabled.");
        }
        std::vector<const Webhook*> rows;
        for (const auto& [id, webhook] : self.webhooks_) {
            if (status != "all" && webhook.status != status) continue;
            if (!included(q, id) || !in_dates(q, webhook.created, webhook.modified)) continue;
            rows.push_back(&webhook);
        }
        sort_rows<Webhook>(rows, q.descending, [&](const Webhook& a, const Webhook& b) {
            if (q.orderby == "title") return a.name < b.name;
            if (q.orderby == "date") return a.created < b.created;
            return a.id < b.id;
        });
        return page(q, "webhooks", rows, [&](const Webhook& row) { return self.render(row); });
    }

    Response webhook(const std::vector<std::string>& path) const {
        if (path.size() != 2) return no_route();
        const auto id = parse_int(path[1]);
        if (!id) return no_route();
        const auto found = self.webhooks_.find(*id);
        if (found == self.webhooks_.end()) return webhook_not_found();
        Webhook& webhook = found->second;
        if (request.method == "GET") return wp_response(200, self.render(webhook));
        if (request.method == "PUT" || request.method == "POST" || request.method == "PATCH") {
            json::object body;
            if (auto error = parse_body(body)) return *error;
            Webhook updated = webhook;
            if (auto error = apply_webhook(body, updated)) return *error;
            updated.modified = now();
            webhook = std::move(updated);
            // A save while a ping is pending pings again (WC_Webhook::save()).
            if (webhook.pending_ping) self.ping(webhook);
            return wp_response(200, self.render(webhook));
        }
        if (request.method == "DELETE") {
            if (!parse_bool(param("force").value_or("false")).value_or(false)) {
                return woo_error(501, "woocommerce_rest_trash_not_supported",
                                 "Webhooks do not support trashing.");
            }
            const json::object shown = self.render(webhook);
            self.webhooks_.erase(found);
            return wp_response(200, shown);
        }
        return no_route();
    }

    // ---- Routing ----------------------------------------------------------------------------

    Response no_route() const {
        return woo_error(404, "rest_no_route",
                         "No route was found matching the URL and request method.");
    }

    Response route() const {
        const std::string path = net::url_path(request.url);
        if (!path.starts_with(kApiPrefix)) return no_route();
        std::string rest = path.substr(kApiPrefix.size());
        while (!rest.empty() && rest.back() == '/') rest.pop_back();
        const auto parts = split(rest, '/', kPathSegmentsMax);
        if (auto denied = authenticate()) return *denied;
        const std::string& resource = parts[0];
        const bool collection = parts.size() == 1;
        if (resource == "orders") {
            if (!collection) return order(parts);
            if (request.method == "GET") return list_orders();
            if (request.method == "POST") return create_order();
        } else if (resource == "products") {
            if (!collection) return product(parts);
            if (request.method == "GET") return list_products();
            if (request.method == "POST") {
                json::object body;
                if (auto error = parse_body(body)) return *error;
                auto created = create_product_from(body);
                if (auto* error = std::get_if<Response>(&created)) return *error;
                return wp_response(201,
                                   self.render(self.products_.at(std::get<std::int64_t>(created))));
            }
        } else if (resource == "customers") {
            if (!collection) return customer(parts);
            if (request.method == "GET") return list_customers();
            if (request.method == "POST") return create_customer();
        } else if (resource == "webhooks") {
            if (!collection) return webhook(parts);
            if (request.method == "GET") return list_webhooks();
            if (request.method == "POST") {
                json::object body;
                if (auto error = parse_body(body)) return *error;
                return create_webhook(body, false);
            }
        }
        return no_route();
    }

    // ---- Control ----------------------------------------------------------------------------

    // A shopper's checkout: the order is created pending (order.created), then paid
    // (order.updated): WooCommerce fires both for one checkout.
    Response checkout(const json::object& body) const {
        Order order = new_order();
        const Customer* customer = nullptr;
        if (const auto* id = field(body, "customer_id")) {
            const auto value = int_of(*id);
            const auto found = value ? self.customers_.find(*value) : self.customers_.end();
            if (found != self.customers_.end()) customer = &found->second;
        } else if (const auto* email = field(body, "email")) {
            for (const auto& [cid, c] : self.customers_) {
                if (c.email == text_of(*email)) customer = &c;
            }
        }
        if (customer != nullptr) {
            order.customer_id = customer->id;
            order.billing = customer->billing;
            order.shipping = customer->shipping;
        }
        const auto* lines = field(body, "lines");
        if (lines == nullptr) return missing_param("lines");
        if (auto error = build_lines(*lines, order)) return *error;
        if (auto error = apply_order(body, order)) return *error;
        if (order.payment_method.empty()) {
            order.payment_method = "stripe";
            order.payment_method_title = "Credit Card (Stripe)";
        }
        const auto id = order.id;
        self.orders_.emplace(id, std::move(order));
        self.fire("order", "created", id);
        Order& stored = self.orders_.at(id);
        if (gateway_refunds(stored.payment_method)) {
            self.mark_paid(stored, now());
            stored.status = "processing";
            stored.transaction_id = "ch_sandbox_" + std::to_string(id);
        } else {
            stored.status = "on-hold";  // Offline gateways wait for the shop to confirm payment.
        }
        for (const auto& line : stored.lines) {
            auto& product = self.products_.at(line.product_id);
            if (product.manage_stock) product.stock_quantity -= line.quantity;
        }
        self.fire("order", "updated", id);
        return wp_response(201, self.render(stored));
    }

    Response control_order(const std::vector<std::string>& parts, const json::object& body) const {
        Order* order = find_order(parts[1]);
        if (order == nullptr) return order_not_found();
        const std::string& action = parts[2];
        if (action == "status") {
            const auto* status = field(body, "status");
            if (status == nullptr) return missing_param("status");
            if (auto error = apply_order(json::object{{"status", *status}}, *order)) return *error;
            if (order->status == "processing") self.mark_paid(*order, now());
            order->modified = now();
            self.fire("order", "updated", order->id);
            return wp_response(200, self.render(*order));
        }
        if (action == "note") {
            const auto* note = field(body, "note");
            if (note == nullptr) return missing_param("note");
            const auto* customer = field(body, "customer_note");
            order->notes.push_back(Note{.id = self.next_note_id_++,
                                        .created = now(),
                                        .note = text_of(*note),
                                        .customer_note = customer != nullptr &&
                                                         customer->is_bool() &&
                                                         customer->get_bool()});
            return wp_response(201, self.render(*order, order->notes.back()));
        }
        if (action == "refund") {
            // A refund made by the shop manager in the admin screen: no gateway call.
            auto created = add_refund(*order, body, false);
            if (auto* error = std::get_if<Response>(&created)) return *error;
            return wp_response(201, self.render(*order, order->refunds.back()));
        }
        return no_route();
    }

    Response settings(const json::object& body) const {
        if (const auto* limit = field(body, "max_delivery_failures")) {
            const auto value = int_of(*limit);
            if (!value || *value < 0 || *value > 1'000'000) {
                return invalid_param("max_delivery_failures", "must be an integer from 0");
            }
            self.max_delivery_failures_ = static_cast<int>(*value);
        }
        if (const auto* zone = field(body, "timezone")) {
            const std::string text = text_of(*zone);
            if (!format_local(self.context_.clock.now(), text, "%Y").has_value()) {
                return invalid_param("timezone", "unknown time zone");
            }
            self.timezone_ = text;
        }
        return wp_response(200, json::object{{"max_delivery_failures", self.max_delivery_failures_},
                                             {"timezone", self.timezone_}});
    }

    // Every order in id order (stored and seeded), kStateRecordsMax at most.
    json::array dump_orders() const {
        json::array items;
        auto stored = self.orders_.begin();
        auto seeded = self.seed_orders().begin();
        const auto seeded_end = self.seed_orders().end();
        while (items.size() < kStateRecordsMax) {  // Bounded: one record per round.
            while (seeded != seeded_end && seeded->stored) ++seeded;
            const bool have_stored = stored != self.orders_.end();
            const bool have_seeded = seeded != seeded_end;
            if (!have_stored && !have_seeded) break;
            if (have_stored && (!have_seeded || stored->first < seeded->id)) {
                items.push_back(self.render(stored->second));
                ++stored;
            } else {
                items.push_back(self.render(self.generate_order(*seeded)));
                ++seeded;
            }
        }
        return items;
    }

    Response state() const {
        json::object out{{"timezone", self.timezone_},
                         {"max_delivery_failures", self.max_delivery_failures_},
                         {"counts", json::object{{"orders", self.order_count()},
                                                 {"products", self.products_.size()},
                                                 {"customers", self.customers_.size()},
                                                 {"webhooks", self.webhooks_.size()}}}};
        const auto dump = [&](const auto& rows) {
            json::array items;
            for (const auto& [id, row] : rows) {
                if (items.size() >= kStateRecordsMax) break;
                items.push_back(self.render(row));
            }
            return items;
        };
        out["orders"] = dump_orders();
        out["products"] = dump(self.products_);
        out["customers"] = dump(self.customers_);
        json::array webhooks;
        for (const auto& [id, w] : self.webhooks_) {
            auto shown = self.render(w);
            shown["secret"] = w.secret;
            shown["failure_count"] = w.failure_count;
            shown["pending_delivery"] = w.pending_ping;
            webhooks.push_back(std::move(shown));
        }
        out["webhooks"] = std::move(webhooks);
        json::array queue;
        for (const auto& q : self.queue_) {
            queue.push_back(json::object{{"webhook_id", q.webhook_id},
                                         {"object_id", q.object_id},
                                         {"event", q.event},
                                         {"due", format_iso8601(q.due)}});
        }
        out["queue"] = std::move(queue);
        out["deliveries"] = self.deliveries_;
        return wp_response(200, out);
    }

    Response control(std::string_view route_text) const {
        std::string route_path(route_text);
        while (!route_path.empty() && route_path.back() == '/') route_path.pop_back();
        const auto parts = split(route_path, '/', kPathSegmentsMax);
        if (request.method == "GET" && route_path == "state") return state();
        if (request.method != "POST") return no_route();
        json::object body;
        if (auto error = parse_body(body)) return *error;
        if (route_path == "checkout") return checkout(body);
        if (route_path == "settings") return settings(body);
        if (route_path == "webhooks") return create_webhook(body, true);
        if (parts.size() == 3 && parts[0] == "orders") return control_order(parts, body);
        if (parts.size() == 2 && parts[0] == "products") {
            const auto id = parse_int(parts[1]);
            const auto found = id ? self.products_.find(*id) : self.products_.end();
            if (found == self.products_.end()) return product_not_found();
            auto updated = update_product_from(found->second, body);
            if (auto* error = std::get_if<Response>(&updated)) return *error;
            return wp_response(200, self.render(found->second));
        }
        return no_route();
    }
};

net::HttpResponse WooCommerceEmulator::handle(const net::HttpRequest& request) {
    return Api{.self = *this, .request = request}.route();
}

net::HttpResponse WooCommerceEmulator::control(const net::HttpRequest& request,
                                               std::string_view route) {
    return Api{.self = *this, .request = request}.control(route);
}

}  // namespace mlc::sandbox::woocommerce

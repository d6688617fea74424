#include "sandbox/shipstation/shipstation_emulator.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <boost/json.hpp>

#include "common/assert.hpp"
#include "net/hmac.hpp"
#include "sandbox/shipstation/shipstation_format.hpp"

namespace mlc::sandbox::shipstation {
namespace {

namespace json = boost::json;
using Status = ShipStationEmulator::Status;

constexpr UtcTime kNoTime = UtcTime::min();
constexpr std::int64_t kManualStoreId = 310003;  // Orders created through the API land here.

constexpr std::array<std::pair<std::string_view, Status>, 7> kStatuses = {{
    {"awaiting_payment", Status::kAwaitingPayment},
    {"awaiting_shipment", Status::kAwaitingShipment},
    {"pending_fulfillment", Status::kPendingFulfillment},
    {"shipped", Status::kShipped},
    {"on_hold", Status::kOnHold},
    {"cancelled", Status::kCancelled},
    {"rejected_fulfillment", Status::kRejectedFulfillment},
}};

std::string_view status_text(Status status) {
    for (const auto& [text, value] : kStatuses) {
        if (value == status) return text;
    }
    return "awaiting_shipment";
}

std::optional<Status> parse_status(std::string_view text) {
    for (const auto& [name, value] : kStatuses) {
        if (name == text) return value;
    }
    return std::nullopt;
}

// Spec: only awaiting_payment, awaiting_shipment and on_hold orders can be changed through the API.
bool is_open(Status status) {
    return status == Status::kAwaitingPayment || status == Status::kAwaitingShipment ||
           status == Status::kOnHold;
}

// ASP.NET style error bodies, as V1 answers them.
net::HttpResponse asp_error(int status, std::string message, std::string exception = {}) {
    json::object body{{"Message", std::move(message)}};
    if (!exception.empty()) {
        body["ExceptionMessage"] = std::move(exception);
        body["ExceptionType"] = "System.ArgumentException";
        body["StackTrace"] = nullptr;
    }
    return net::json_response(status, json::serialize(body));
}

net::HttpResponse ok_json(const json::value& value) {
    return net::json_response(200, shipstation::serialize(value));
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool contains_nocase(std::string_view haystack, std::string_view needle) {
    return lower(haystack).find(lower(needle)) != std::string::npos;
}

std::string string_field(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string())
                                                  : std::string();
}

}  // namespace

// Parsed paging, sorting and date-range parameters shared by the list endpoints.
struct ShipStationEmulator::Query {
    std::int64_t page = 1;
    std::int64_t page_size = kPageSizeDefault;
    std::string sort_by;
    bool descending = false;
    std::map<std::string, std::pair<UtcTime, UtcTime>, std::less<>>
        ranges;  // "modifyDate" -> [a, b]
    std::string error;

    static Query parse(const net::HttpRequest& request,
                       std::initializer_list<std::string_view> dates) {
        Query query;
        for (const auto& name : dates) {
            query.ranges.emplace(std::string(name), std::pair{UtcTime::min(), UtcTime::max()});
        }
        for (const auto& [key, value] : net::url_query(request.url)) {
            if (key == "page") {
                const auto page = parse_int(value);
                if (!page || *page < 1)
                    query.error = "page must be a positive integer";
                else
                    query.page = *page;
            } else if (key == "pageSize") {
                const auto size = parse_int(value);
                // V1 refuses pageSize above 500 (and below 1) with 400.
                if (!size || *size < 1 || *size > kPageSizeMax) {
                    query.error = "pageSize must be between 1 and 500";
                } else {
                    query.page_size = *size;
                }
            } else if (key == "sortBy") {
                query.sort_by = value;
            } else if (key == "sortDir") {
                if (value != "ASC" && value != "DESC") query.error = "sortDir must be ASC or DESC";
                query.descending = value == "DESC";
            } else {
                for (auto& [name, range] : query.ranges) {
                    const bool start = key == name + "Start";
                    if (!start && key != name + "End") continue;
                    auto t = parse_request_time(value, !start);
                    if (!t) {
                        query.error = "The value '" + value + "' is not valid for " + key + ".";
                        break;
                    }
                    (start ? range.first : range.second) = *t;
                }
            }
        }
        return query;
    }
    bool in_range(std::string_view name, UtcTime t) const {
        const auto it = ranges.find(name);
        if (it == ranges.end()) return true;
        if (it->second.first == UtcTime::min() && it->second.second == UtcTime::max()) return true;
        return t != kNoTime && t >= it->second.first && t <= it->second.second;
    }
    std::int64_t pages(std::size_t total, bool single_page_zero) const {
        const auto count = static_cast<std::int64_t>((total + page_size - 1) / page_size);
        // The V1 docs' own samples answer pages: 0 for one page (quirk, off by default).
        return count == 1 && single_page_zero ? 0 : count;
    }
    template <typename T>
    std::pair<std::size_t, std::size_t> slice(const std::vector<T>& all) const {
        const auto begin = std::min<std::size_t>(all.size(), (page - 1) * page_size);
        const auto end = std::min<std::size_t>(all.size(), begin + page_size);
        return {begin, end};
    }
    // The requested page of `all` in the order `less` gives (a total order), the rest left
    // unsorted: linear in the matches rather than a sort of all of them per page (a 1M-order
    // backfill read its 2,000 pages at 12,000 orders a minute, the emulator's sort the limit).
    template <typename T, typename Less>
    std::pair<std::size_t, std::size_t> sorted_page(std::vector<T>& all, Less less) const {
        const auto [begin, end] = slice(all);
        if (begin < end) {
            const auto first = all.begin() + static_cast<std::ptrdiff_t>(begin);
            std::nth_element(all.begin(), first, all.end(), less);
            std::partial_sort(first, all.begin() + static_cast<std::ptrdiff_t>(end), all.end(),
                              less);
        }
        return {begin, end};
    }
};

ShipStationEmulator::ShipStationEmulator(EmulatorContext context)
    : context_(context),
      seed_(context.seed, context.volume, context.clock.now()),
      next_order_id_(kOrderIdBase + 1) {
    // Seeded orders spread over the 30 days before start-up, with sub-second parts so the 7-digit
    // fraction is exercised.
    const UtcTime epoch = context.clock.now();
    const auto span =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::hours{24 * 30});
    const std::size_t count = context.volume;
    orders_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto draw = mix(context.seed, 41, i);
        OrderRow row{};
        row.id = next_order_id_++;
        row.create = epoch - span +
                     span * static_cast<std::int64_t>(i) / static_cast<std::int64_t>(count) +
                     std::chrono::microseconds{static_cast<std::int64_t>(draw % 1'000'000)};
        row.modify =
            row.create + std::chrono::seconds{static_cast<std::int64_t>((draw >> 20) % 7200)};
        if (row.modify > epoch) row.modify = epoch;
        row.order_date =
            row.create - std::chrono::seconds{static_cast<std::int64_t>((draw >> 33) % 3600)};
        row.customer = seed_.order_customer(draw >> 8);
        row.store = static_cast<std::uint8_t>((draw >> 44) % 2);  // Web store or Amazon.
        const auto roll = (draw >> 50) % 100;
        row.status = roll < 10   ? Status::kAwaitingPayment
                     : roll < 65 ? Status::kAwaitingShipment
                     : roll < 88 ? Status::kShipped
                     : roll < 94 ? Status::kOnHold
                                 : Status::kCancelled;
        row.payment = row.status == Status::kAwaitingPayment ? kNoTime : row.order_date;
        orders_.push_back(row);
        if (row.status == Status::kShipped) {
            ShipmentRow shipment{
                .id = next_shipment_id_++,
                .order_id = row.id,
                .create = row.modify,
                .ship = row.modify,
                .void_time = kNoTime,
                .cost = Decimal::from_units(static_cast<__int128>(draw % 2000 + 500) * 10'000),
                .tracking = "1Z" + std::to_string(draw % 1'000'000'000'000ULL),
                .carrier = "ups",
                .service = "ups_ground",
                .batch = 0,
                .voided = false};
            shipments_.push_back(std::move(shipment));
        }
    }
    // The catalog's misfits (sandbox/catalog.hpp): the first order awaiting shipment sells the
    // unknown SKU, the second the inactive part.
    Misfit next = Misfit::kUnknownSku;
    for (auto& row : orders_) {
        if (next == Misfit::kNone) break;
        if (row.status != Status::kAwaitingShipment) continue;
        row.misfit = next;
        next = next == Misfit::kUnknownSku ? Misfit::kInactivePart : Misfit::kNone;
    }
}

ShipStationEmulator::~ShipStationEmulator() = default;

std::string ShipStationEmulator::api_key() const {
    return "ss-key-" + std::to_string(context_.seed);
}
std::string ShipStationEmulator::api_secret() const {
    return "ss-secret-" + std::to_string(mix(context_.seed, 99) % 1'000'000'000);
}
std::string ShipStationEmulator::api_key_v2() const {
    return "ss-v2-" + std::to_string(mix(context_.seed, 98) % 1'000'000'000);
}

// V2 is served at /v2/... of the same host (api.shipstation.com in production).
json::object ShipStationEmulator::connection_info(std::string_view base_url) const {
    return {{"base_url", base_url},
            {"api_key", api_key()},
            {"api_secret", api_secret()},
            {"v2_base_url", base_url},
            {"api_key_v2", api_key_v2()}};
}

std::size_t ShipStationEmulator::bytes_per_order() const {
    std::size_t bytes = orders_.capacity() * sizeof(OrderRow);
    for (const auto& detail : details_)
        bytes += shipstation::serialize(detail).size();  // A fair approximation.
    return orders_.empty() ? 0 : bytes / orders_.size();
}

net::HttpResponse ShipStationEmulator::handle(const net::HttpRequest& request) {
    if (net::url_path(request.url).starts_with("/v2/")) return handle_v2(request);
    const auto auth = net::find_header(request.headers, "Authorization");
    std::optional<std::string> decoded;
    if (auth && auth->starts_with("Basic ")) decoded = net::base64_decode(auth->substr(6));
    if (revoked_ || !decoded || *decoded != api_key() + ":" + api_secret()) {
        return asp_error(401, "Authorization has been denied for this request.");
    }
    // One window per key, measured on the emulator's clock: 40 requests, then 429 until it resets.
    const UtcTime now = context_.clock.now();
    // A clock set backwards (tests only) also starts a new window.
    if (window_count_ == 0 || now < window_start_ || now >= window_start_ + kRateWindow) {
        window_start_ = now;
        window_count_ = 0;
    }
    ++window_count_;
    const auto reset = std::chrono::ceil<std::chrono::seconds>(window_start_ + kRateWindow - now);
    net::HttpResponse response = window_count_ > kRequestsPerWindow
                                     ? asp_error(429, "Too Many Requests")
                                     : dispatch(request);
    net::set_header(response.headers, "X-Rate-Limit-Limit", std::to_string(kRequestsPerWindow));
    net::set_header(response.headers, "X-Rate-Limit-Remaining",
                    std::to_string(std::max(0, kRequestsPerWindow - window_count_)));
    net::set_header(response.headers, "X-Rate-Limit-Reset", std::to_string(reset.count()));
    return response;
}

net::HttpResponse ShipStationEmulator::dispatch(const net::HttpRequest& request) {
    const std::string path = net::url_path(request.url);
    const std::string& method = request.method;
    if (path == "/orders" && method == "GET") return list_orders(request);
    if (path == "/orders/createorder" && method == "POST") return create_order(request);
    if (path == "/orders/createorders" && method == "POST") return create_orders(request);
    if (path == "/orders/markasshipped" && method == "POST") return mark_as_shipped(request);
    if (path.starts_with("/orders/") && method == "GET") return get_order(path.substr(8));
    if (path == "/shipments" && method == "GET") return list_shipments(request);
    if (path == "/products" && method == "GET") return list_products(request);
    if (path.starts_with("/products/")) return product(request, std::string_view(path).substr(10));
    if (path == "/customers" && method == "GET") return list_customers(request);
    if (path == "/stores" && method == "GET") return list_stores();
    if (path.starts_with("/webhooks")) return webhooks(request, std::string_view(path).substr(9));
    return asp_error(404,
                     "No HTTP resource was found that matches the request URI '" + path + "'.");
}

// ---- Orders ---------------------------------------------------------------------------------

ShipStationEmulator::OrderRow* ShipStationEmulator::find_order(std::int64_t id) {
    const auto it =
        std::lower_bound(orders_.begin(), orders_.end(), id,
                         [](const OrderRow& row, std::int64_t v) { return row.id < v; });
    return it == orders_.end() || it->id != id ? nullptr : &*it;
}

std::optional<std::int64_t> ShipStationEmulator::find_by_key(const std::string& key) const {
    if (const auto it = keys_.find(key); it != keys_.end()) return it->second;
    if (key.starts_with("seed-")) {
        const auto id = parse_int(std::string_view(key).substr(5));
        if (!id) return std::nullopt;
        auto* self = const_cast<ShipStationEmulator*>(this);
        const OrderRow* row = self->find_order(*id);
        if (row != nullptr && row->detail < 0) return *id;
    }
    return std::nullopt;
}

std::string ShipStationEmulator::order_key_of(const OrderRow& row) const {
    if (row.detail < 0) return "seed-" + std::to_string(row.id);
    return string_field(details_[row.detail], "orderKey");
}

json::object ShipStationEmulator::seeded_detail(const OrderRow& row) const {
    json::array items = seed_.items(row.id, row.create, row.modify, row.misfit);
    Decimal subtotal;
    for (const auto& item : items) {
        const auto& line = item.as_object();
        subtotal += read_money(line.at("unitPrice")).value().mul(line.at("quantity").as_int64());
    }
    const Decimal shipping = Decimal::from_units((mix(context_.seed, 42, row.id) % 2) * 5'990'000);
    const Decimal total = subtotal + shipping;
    const bool paid = row.payment != kNoTime;
    const auto customer = seed_.customer(row.customer);
    const auto& store = seed_.stores()[row.store];
    return {{"orderNumber", "SS-" + std::to_string(row.id)},
            {"orderKey", "seed-" + std::to_string(row.id)},
            {"customerId", customer.at("customerId")},
            {"customerUsername", customer.at("email")},
            {"customerEmail", customer.at("email")},
            {"billTo", seed_.address(row.customer)},
            {"shipTo", seed_.address(row.customer)},
            {"items", std::move(items)},
            {"orderTotal", money(total)},
            {"amountPaid", money(paid ? total : Decimal())},
            {"taxAmount", money(Decimal())},
            {"shippingAmount", money(shipping)},
            {"requestedShippingService", shipping.is_zero() ? "Free Shipping" : "Standard"},
            {"paymentMethod", store.marketplace == "Amazon" ? "Amazon" : "Credit Card"},
            {"advancedOptions", json::object{{"source", store.marketplace}}}};
}

// A full V1 order: every field present, null when unset, row-owned fields from the row.
json::object ShipStationEmulator::render_order(const OrderRow& row) const {
    static constexpr std::array<std::string_view, 34> kFields = {"orderNumber",
                                                                 "orderKey",
                                                                 "shipByDate",
                                                                 "customerId",
                                                                 "customerUsername",
                                                                 "customerEmail",
                                                                 "billTo",
                                                                 "shipTo",
                                                                 "items",
                                                                 "orderTotal",
                                                                 "amountPaid",
                                                                 "taxAmount",
                                                                 "shippingAmount",
                                                                 "customerNotes",
                                                                 "internalNotes",
                                                                 "gift",
                                                                 "giftMessage",
                                                                 "paymentMethod",
                                                                 "requestedShippingService",
                                                                 "carrierCode",
                                                                 "serviceCode",
                                                                 "packageCode",
                                                                 "confirmation",
                                                                 "shipDate",
                                                                 "holdUntilDate",
                                                                 "weight",
                                                                 "dimensions",
                                                                 "insuranceOptions",
                                                                 "internationalOptions",
                                                                 "advancedOptions",
                                                                 "tagIds",
                                                                 "userId",
                                                                 "externallyFulfilled",
                                                                 "externallyFulfilledBy"};
    const json::object detail = row.detail < 0 ? seeded_detail(row) : details_[row.detail];
    json::object out;
    out["orderId"] = row.id;
    for (const auto& field : kFields) {
        const auto* value = detail.if_contains(field);
        out[field] = value != nullptr ? *value : json::value(nullptr);
    }
    out["orderDate"] = order_time(row.order_date);
    out["createDate"] = order_time(row.create);
    out["modifyDate"] = order_time(row.modify);
    out["paymentDate"] =
        row.payment == kNoTime ? json::value(nullptr) : json::value(order_time(row.payment));
    out["orderStatus"] = status_text(row.status);
    if (out["items"].is_null()) out["items"] = json::array{};
    if (out["gift"].is_null()) out["gift"] = false;
    if (out["externallyFulfilled"].is_null()) out["externallyFulfilled"] = false;
    json::object advanced =
        out["advancedOptions"].is_object() ? out["advancedOptions"].get_object() : json::object{};
    for (const auto* key :
         {"source", "customField1", "customField2", "customField3", "parentId", "billToParty",
          "billToAccount", "billToPostalCode", "billToCountryCode"}) {
        if (!advanced.contains(key)) advanced[key] = nullptr;
    }
    if (!advanced.contains("mergedOrSplit")) advanced["mergedOrSplit"] = false;
    if (!advanced.contains("mergedIds")) advanced["mergedIds"] = json::array{};
    advanced["storeId"] = seed_.stores()[row.store].id;
    out["advancedOptions"] = std::move(advanced);
    return out;
}

json::object& ShipStationEmulator::materialize(OrderRow& row) {
    if (row.detail < 0) {
        details_.push_back(seeded_detail(row));
        row.detail = static_cast<std::int32_t>(details_.size() - 1);
        keys_[order_key_of(row)] = row.id;
    }
    return details_[row.detail];
}

net::HttpResponse ShipStationEmulator::list_orders(const net::HttpRequest& request) {
    auto query = Query::parse(request, {"createDate", "modifyDate", "orderDate", "paymentDate"});
    if (!query.error.empty()) return asp_error(400, "The request is invalid.", query.error);
    std::optional<std::string> order_number, customer_name, item_keyword;
    std::optional<Status> status;
    std::optional<std::int64_t> store_id, batch;
    for (const auto& [key, value] : net::url_query(request.url)) {
        if (key == "orderNumber") order_number = value;
        if (key == "customerName") customer_name = value;
        if (key == "itemKeyword") item_keyword = value;
        if (key == "orderStatus") {
            status = parse_status(value);
            if (!status)
                return asp_error(400, "The request is invalid.",
                                 "Invalid orderStatus '" + value + "'");
        }
        if (key == "storeId" || key == "importBatch") {
            const auto number = parse_int(value);
            if (!number)
                return asp_error(400, "The request is invalid.", key + " must be a number");
            (key == "storeId" ? store_id : batch) = number;
        }
    }
    if (!query.sort_by.empty() && query.sort_by != "OrderDate" && query.sort_by != "ModifyDate" &&
        query.sort_by != "CreateDate") {
        return asp_error(400, "The request is invalid.",
                         "sortBy must be OrderDate, ModifyDate or CreateDate");
    }
    std::vector<const OrderRow*> matches;
    for (const auto& row : orders_) {  // Bounded by the order count (volume + created).
        if (status && row.status != *status) continue;
        if (store_id && seed_.stores()[row.store].id != *store_id) continue;
        if (batch && row.batch != static_cast<std::uint32_t>(*batch)) continue;
        if (!query.in_range("createDate", row.create) ||
            !query.in_range("modifyDate", row.modify) ||
            !query.in_range("orderDate", row.order_date) ||
            !query.in_range("paymentDate", row.payment)) {
            continue;
        }
        if (order_number || customer_name || item_keyword) {
            const json::object order = render_order(row);
            // V1 orderNumber filter is a "starts with" search.
            if (order_number && !string_field(order, "orderNumber").starts_with(*order_number))
                continue;
            if (customer_name) {
                const auto& bill = order.at("billTo");
                const auto& ship = order.at("shipTo");
                const bool hit =
                    (bill.is_object() &&
                     contains_nocase(string_field(bill.get_object(), "name"), *customer_name)) ||
                    (ship.is_object() &&
                     contains_nocase(string_field(ship.get_object(), "name"), *customer_name));
                if (!hit) continue;
            }
            if (item_keyword) {
                bool hit = false;
                for (const auto& item : order.at("items").as_array()) {
                    if (!item.is_object()) continue;
                    hit = hit ||
                          contains_nocase(string_field(item.get_object(), "sku"), *item_keyword) ||
                          contains_nocase(string_field(item.get_object(), "name"), *item_keyword);
                }
                if (!hit) continue;
            }
        }
        matches.push_back(&row);
    }
    UtcTime OrderRow::*field = nullptr;  // Null: by order id.
    if (query.sort_by == "OrderDate") field = &OrderRow::order_date;
    if (query.sort_by == "ModifyDate") field = &OrderRow::modify;
    if (query.sort_by == "CreateDate") field = &OrderRow::create;
    const auto [begin, end] = query.sorted_page(matches, [&](const OrderRow* a, const OrderRow* b) {
        if (field == nullptr) return query.descending ? a->id > b->id : a->id < b->id;
        if (a->*field != b->*field) {
            return query.descending ? a->*field > b->*field : a->*field < b->*field;
        }
        return a->id < b->id;
    });
    json::array page;
    for (auto i = begin; i < end; ++i) page.push_back(render_order(*matches[i]));
    return ok_json(json::object{{"orders", std::move(page)},
                                {"total", matches.size()},
                                {"page", query.page},
                                {"pages", query.pages(matches.size(), single_page_pages_zero_)}});
}

net::HttpResponse ShipStationEmulator::get_order(std::string_view id_text) {
    const auto id = parse_int(id_text);
    const OrderRow* row = id ? find_order(*id) : nullptr;
    if (row == nullptr) {
        return asp_error(404, "No HTTP resource was found that matches the request URI '/orders/" +
                                  std::string(id_text) + "'.");
    }
    return ok_json(render_order(*row));
}

ShipStationEmulator::UpsertResult ShipStationEmulator::upsert(const json::value& body_in,
                                                              std::uint32_t batch_for_new) {
    if (!body_in.is_object()) return {.error = "The order must be a JSON object."};
    json::value body_value = body_in;
    normalise_numbers(body_value);
    json::object body = std::move(body_value.get_object());
    const std::string order_number = string_field(body, "orderNumber");
    if (order_number.empty()) return {.error = "orderNumber is required."};
    const auto status = parse_status(string_field(body, "orderStatus"));
    if (!status) return {.error = "orderStatus is required and must be a valid status."};
    const auto order_date = parse_request_time(string_field(body, "orderDate"), false);
    if (!order_date) return {.error = "orderDate is required and must be a valid date."};
    if (!body.contains("billTo") || !body["billTo"].is_object() || !body.contains("shipTo") ||
        !body["shipTo"].is_object()) {
        return {.error = "billTo and shipTo are required."};
    }
    std::optional<UtcTime> payment;
    if (const auto text = string_field(body, "paymentDate"); !text.empty()) {
        auto parsed = parse_request_time(text, false);
        if (!parsed) return {.error = "paymentDate is not a valid date."};
        payment = *parsed;
    }
    std::optional<std::int64_t> store_id;
    if (const auto* advanced = body.if_contains("advancedOptions");
        advanced && advanced->is_object()) {
        if (const auto* store = advanced->get_object().if_contains("storeId");
            store && store->is_int64()) {
            store_id = store->get_int64();
        }
    }
    std::optional<std::uint8_t> store_index;
    if (store_id) {
        for (std::size_t i = 0; i < seed_.stores().size(); ++i) {
            if (seed_.stores()[i].id == *store_id) store_index = static_cast<std::uint8_t>(i);
        }
        if (!store_index)
            return {.error = "storeId " + std::to_string(*store_id) + " does not exist."};
    }
    // Match: orderKey first, then orderId (spec: createorder updates the order whose key matches).
    const std::string key = string_field(body, "orderKey");
    std::optional<std::int64_t> existing;
    if (!key.empty()) existing = find_by_key(key);
    if (!existing) {
        if (const auto* id = body.if_contains("orderId");
            id && id->is_int64() && find_order(id->get_int64())) {
            existing = id->get_int64();
        }
    }
    const UtcTime now = context_.clock.now();
    for (const auto* field :
         {"orderId", "orderStatus", "orderDate", "paymentDate", "createDate", "modifyDate"}) {
        body.erase(field);
    }
    auto& items = body["items"];
    if (!items.is_array()) items = json::array{};
    for (auto& item : items.get_array()) {
        if (!item.is_object()) return {.error = "items must be objects."};
        item.get_object()["orderItemId"] = next_item_id_++;
        item.get_object()["createDate"] = short_time(now);
        item.get_object()["modifyDate"] = short_time(now);
    }
    if (existing) {
        OrderRow& row = *find_order(*existing);
        if (!is_open(row.status)) {
            return {.id = row.id,
                    .error = "Order " + std::to_string(row.id) + " is " +
                             std::string(status_text(row.status)) +
                             " and cannot be changed through the API."};
        }
        if (store_index && *store_index != row.store) {
            return {.id = row.id, .error = "storeId can only be set when the order is created."};
        }
        const std::string old_key = order_key_of(row);
        learn_products(body["items"]);
        materialize(row) = std::move(body);  // Full replace: omitted fields are wiped.
        keys_.erase(old_key);
        const std::string new_key = order_key_of(row);
        if (!new_key.empty()) keys_[new_key] = row.id;
        row.status = *status;
        row.order_date = *order_date;
        row.payment = payment.value_or(kNoTime);
        row.modify = now;
        return {.ok = true, .id = row.id, .created = false, .error = {}};
    }
    OrderRow row{};
    row.id = next_order_id_++;
    row.create = row.modify = now;
    row.order_date = *order_date;
    row.payment = payment.value_or(kNoTime);
    row.status = *status;
    row.store = store_index.value_or(2);  // Manual Orders.
    static_assert(kManualStoreId == 310003);
    learn_products(body["items"]);
    details_.push_back(std::move(body));
    row.detail = static_cast<std::int32_t>(details_.size() - 1);
    if (!key.empty()) keys_[key] = row.id;
    // Spec: ORDER_NOTIFY fires only for new paid orders, never for edits.
    if (row.status != Status::kAwaitingPayment) {
        row.batch = batch_for_new;
        notify("ORDER_NOTIFY", batch_for_new, seed_.stores()[row.store].id);
    }
    orders_.push_back(row);
    return {.ok = true, .id = row.id, .created = true, .error = {}};
}

void ShipStationEmulator::notify(std::string event, std::uint32_t batch, std::int64_t store_id) {
    for (const auto& pending : pending_) {
        if (pending.event == event && pending.batch == batch && pending.store_id == store_id)
            return;
    }
    pending_.push_back(Notification{std::move(event), batch, store_id});
}

net::HttpResponse ShipStationEmulator::create_order(const net::HttpRequest& request) {
    json::error_code ec;
    const auto body = json::parse(request.body, ec);
    if (ec) return asp_error(400, "The request is invalid.", "Body is not valid JSON.");
    const auto result = upsert(body, new_batch());
    if (!result.ok) return asp_error(400, "The request is invalid.", result.error);
    return ok_json(render_order(*find_order(result.id)));
}

net::HttpResponse ShipStationEmulator::create_orders(const net::HttpRequest& request) {
    json::error_code ec;
    const auto body = json::parse(request.body, ec);
    if (ec || !body.is_array())
        return asp_error(400, "The request is invalid.", "Expected a JSON array of orders.");
    if (body.get_array().size() > kCreateOrdersMax) {
        return asp_error(400, "The request is invalid.",
                         "You can create at most 100 orders per call.");
    }
    const std::uint32_t batch = new_batch();
    json::array results;
    bool has_errors = false;
    for (const auto& order : body.get_array()) {
        const auto result = upsert(order, batch);
        has_errors = has_errors || !result.ok;
        const json::object* object = order.is_object() ? &order.get_object() : nullptr;
        results.push_back(json::object{
            {"orderId", result.id == 0 ? json::value(nullptr) : json::value(result.id)},
            {"orderNumber", object ? json::value(string_field(*object, "orderNumber")) : nullptr},
            {"orderKey", object ? json::value(string_field(*object, "orderKey")) : nullptr},
            {"success", result.ok},
            {"errorMessage", result.ok ? json::value(nullptr) : json::value(result.error)}});
    }
    return ok_json(json::object{{"hasErrors", has_errors}, {"results", std::move(results)}});
}

net::HttpResponse ShipStationEmulator::mark_as_shipped(const net::HttpRequest& request) {
    json::error_code ec;
    const auto body = json::parse(request.body, ec);
    if (ec || !body.is_object())
        return asp_error(400, "The request is invalid.", "Expected a JSON object.");
    const auto& object = body.get_object();
    const auto* id = object.if_contains("orderId");
    OrderRow* row = id && id->is_int64() ? find_order(id->get_int64()) : nullptr;
    if (row == nullptr) return asp_error(400, "The request is invalid.", "orderId not found.");
    if (!is_open(row->status)) {
        return asp_error(
            400, "The request is invalid.",
            "Order is " + std::string(status_text(row->status)) + " and cannot be shipped.");
    }
    auto ship_date = parse_request_time(string_field(object, "shipDate"), false);
    json::object& detail = materialize(*row);
    // Marked as shipped outside ShipStation: no label, so no shipment and no SHIP_NOTIFY.
    detail["shipDate"] = date_only(ship_date ? *ship_date : context_.clock.now());
    detail["carrierCode"] = string_field(object, "carrierCode");
    row->status = Status::kShipped;
    row->modify = context_.clock.now();
    return ok_json(
        json::object{{"orderId", row->id}, {"orderNumber", string_field(detail, "orderNumber")}});
}

// ---- Shipments, products, customers, stores -------------------------------------------------

json::object ShipStationEmulator::render_shipment(const ShipmentRow& shipment,
                                                  bool with_items) const {
    const auto* self = const_cast<ShipStationEmulator*>(this);
    const OrderRow* row = const_cast<ShipStationEmulator*>(self)->find_order(shipment.order_id);
    MLC_ASSERT(row != nullptr, "a shipment's order exists");
    const json::object order = render_order(*row);
    return {{"shipmentId", shipment.id},
            {"orderId", shipment.order_id},
            {"orderKey", order.at("orderKey")},
            {"userId", nullptr},
            {"customerEmail", order.at("customerEmail")},
            {"orderNumber", order.at("orderNumber")},
            {"createDate", order_time(shipment.create)},
            {"shipDate", date_only(shipment.ship)},
            {"shipmentCost", money(shipment.cost)},
            {"insuranceCost", money(Decimal())},
            {"trackingNumber", shipment.tracking},
            {"isReturnLabel", false},
            {"batchNumber", nullptr},
            {"carrierCode", shipment.carrier},
            {"serviceCode", shipment.service},
            {"packageCode", "package"},
            {"confirmation", nullptr},
            {"warehouseId", nullptr},
            {"voided", shipment.voided},
            {"voidDate", shipment.voided ? json::value(order_time(shipment.void_time)) : nullptr},
            {"marketplaceNotified", false},
            {"notifyErrorMessage", nullptr},
            {"shipTo", order.at("shipTo")},
            {"weight", nullptr},
            {"dimensions", nullptr},
            {"insuranceOptions", nullptr},
            {"advancedOptions", order.at("advancedOptions")},
            {"shipmentItems", with_items ? order.at("items") : nullptr},
            {"labelData", nullptr},
            {"formData", nullptr}};
}

net::HttpResponse ShipStationEmulator::list_shipments(const net::HttpRequest& request) {
    auto query = Query::parse(request, {"createDate", "shipDate", "voidDate"});
    if (!query.error.empty()) return asp_error(400, "The request is invalid.", query.error);
    std::map<std::string, std::string> filters;
    bool with_items = false;
    for (const auto& [key, value] : net::url_query(request.url)) {
        if (key == "includeShipmentItems") with_items = lower(value) == "true";
        for (const auto* name :
             {"orderId", "orderNumber", "trackingNumber", "carrierCode", "storeId", "batchId"}) {
            if (key == name) filters[key] = value;
        }
    }
    std::vector<const ShipmentRow*> matches;
    for (const auto& shipment : shipments_) {  // Bounded by the shipment count.
        if (!query.in_range("createDate", shipment.create) ||
            !query.in_range("shipDate", shipment.ship) ||
            !query.in_range("voidDate", shipment.voided ? shipment.void_time : kNoTime)) {
            continue;
        }
        const OrderRow* row = find_order(shipment.order_id);
        bool keep = true;
        for (const auto& [key, value] : filters) {
            if (key == "orderId") keep = keep && std::to_string(shipment.order_id) == value;
            if (key == "trackingNumber") keep = keep && shipment.tracking == value;
            if (key == "carrierCode") keep = keep && shipment.carrier == value;
            if (key == "batchId") keep = keep && std::to_string(shipment.batch) == value;
            if (key == "storeId")
                keep = keep && std::to_string(seed_.stores()[row->store].id) == value;
            if (key == "orderNumber")
                keep = keep && string_field(render_order(*row), "orderNumber") == value;
        }
        if (keep) matches.push_back(&shipment);
    }
    const bool by_id = query.sort_by.empty();
    const UtcTime ShipmentRow::*field =
        query.sort_by == "ShipDate" ? &ShipmentRow::ship : &ShipmentRow::create;
    const auto [begin, end] =
        query.sorted_page(matches, [&](const ShipmentRow* a, const ShipmentRow* b) {
            if (by_id || a->*field == b->*field) return a->id < b->id;
            return query.descending ? a->*field > b->*field : a->*field < b->*field;
        });
    json::array page;
    for (auto i = begin; i < end; ++i) page.push_back(render_shipment(*matches[i], with_items));
    return ok_json(json::object{{"shipments", std::move(page)},
                                {"total", matches.size()},
                                {"page", query.page},
                                {"pages", query.pages(matches.size(), single_page_pages_zero_)}});
}

net::HttpResponse ShipStationEmulator::list_products(const net::HttpRequest& request) {
    auto query = Query::parse(request, {});
    if (!query.error.empty()) return asp_error(400, "The request is invalid.", query.error);
    const auto sku = net::query_param(request.url, "sku");
    const auto name = net::query_param(request.url, "name");
    const bool show_inactive =
        lower(net::query_param(request.url, "showInactive").value_or("")) == "true";
    std::vector<json::object> matches;
    for (std::size_t i = 0; i < seed_.product_count(); ++i) {  // Bounded by the catalogue size.
        const auto id = SeedData::kProductIdBase + static_cast<std::int64_t>(i);
        const auto override_it = product_overrides_.find(id);
        json::object product =
            override_it != product_overrides_.end() ? override_it->second : seed_.product(i);
        if (sku && !string_field(product, "sku").starts_with(*sku)) continue;
        if (name && !contains_nocase(string_field(product, "name"), *name)) continue;
        const auto* active = product.if_contains("active");
        if (!show_inactive && active && active->is_bool() && !active->get_bool()) continue;
        matches.push_back(std::move(product));
    }
    for (auto it = product_overrides_.lower_bound(kItemProductIdBase);
         it != product_overrides_.end(); ++it) {  // Bounded by the SKUs orders brought.
        const json::object& product = it->second;
        if (sku && !string_field(product, "sku").starts_with(*sku)) continue;
        if (name && !contains_nocase(string_field(product, "name"), *name)) continue;
        const auto* active = product.if_contains("active");
        if (!show_inactive && active && active->is_bool() && !active->get_bool()) continue;
        matches.push_back(product);
    }
    const auto [begin, end] = query.slice(matches);
    json::array page;
    for (auto i = begin; i < end; ++i) page.push_back(matches[i]);
    return ok_json(json::object{{"products", std::move(page)},
                                {"total", matches.size()},
                                {"page", query.page},
                                {"pages", query.pages(matches.size(), single_page_pages_zero_)}});
}

net::HttpResponse ShipStationEmulator::product(const net::HttpRequest& request,
                                               std::string_view id_text) {
    const auto id = parse_int(id_text);
    const auto index = id ? *id - SeedData::kProductIdBase : -1;
    const auto existing = id ? product_overrides_.find(*id) : product_overrides_.end();
    const bool seeded = index >= 0 && index < static_cast<std::int64_t>(seed_.product_count());
    if (!seeded && existing == product_overrides_.end()) {
        return asp_error(404, "The requested product could not be found.");
    }
    json::object current = existing != product_overrides_.end()
                               ? existing->second
                               : seed_.product(static_cast<std::size_t>(index));
    if (request.method == "GET") return ok_json(current);
    if (request.method != "PUT")
        return asp_error(405, "The requested resource does not support this method.");
    json::error_code ec;
    auto body = json::parse(request.body, ec);
    if (ec || !body.is_object())
        return asp_error(400, "The request is invalid.", "Expected a JSON object.");
    normalise_numbers(body);
    // PUT replaces the whole product (spec); identity and create date stay the vendor's.
    json::object replaced = std::move(body.get_object());
    replaced["productId"] = *id;
    replaced["createDate"] = current.at("createDate");
    replaced["modifyDate"] = short_time(context_.clock.now());
    if (!replaced.contains("active")) replaced["active"] = true;
    product_overrides_[*id] = std::move(replaced);
    return ok_json(
        json::object{{"success", true}, {"message", "The requested product has been updated"}});
}

net::HttpResponse ShipStationEmulator::list_customers(const net::HttpRequest& request) {
    auto query = Query::parse(request, {});
    if (!query.error.empty()) return asp_error(400, "The request is invalid.", query.error);
    const auto total = seed_.customer_count();
    const auto begin = std::min<std::size_t>(total, (query.page - 1) * query.page_size);
    const auto end = std::min<std::size_t>(total, begin + query.page_size);
    json::array page;
    for (auto i = begin; i < end; ++i) page.push_back(seed_.customer(i));
    return ok_json(json::object{{"customers", std::move(page)},
                                {"total", total},
                                {"page", query.page},
                                {"pages", query.pages(total, single_page_pages_zero_)}});
}

net::HttpResponse ShipStationEmulator::list_stores() {
    json::array out;
    for (const auto& store : seed_.stores()) {
        out.push_back(json::object{{"storeId", store.id},
                                   {"storeName", store.name},
                                   {"marketplaceName", store.marketplace},
                                   {"active", true}});
    }
    return ok_json(out);
}

// ---- Webhooks -------------------------------------------------------------------------------

net::HttpResponse ShipStationEmulator::webhooks(const net::HttpRequest& request,
                                                std::string_view rest) {
    static constexpr std::array<std::string_view, 6> kEvents = {
        "ORDER_NOTIFY",     "ITEM_ORDER_NOTIFY",   "SHIP_NOTIFY",
        "ITEM_SHIP_NOTIFY", "FULFILLMENT_SHIPPED", "FULFILLMENT_REJECTED"};
    if ((rest.empty() || rest == "/") && request.method == "GET") {
        json::array hooks;
        for (const auto& hook : webhooks_) {
            hooks.push_back(
                json::object{{"IsLabelAPIHook", false},
                             {"WebHookID", hook.id},
                             {"SellerID", 1},
                             {"StoreID", hook.store_id ? json::value(*hook.store_id) : nullptr},
                             {"HookType", hook.event},
                             {"MessageFormat", "Json"},
                             {"Url", hook.target_url},
                             {"Name", hook.friendly_name},
                             {"BulkCopyBatchID", nullptr},
                             {"BulkCopyRecordID", nullptr},
                             {"Active", true},
                             {"WebhookLogs", json::array{}},
                             {"Seller", nullptr},
                             {"Store", nullptr}});
        }
        return ok_json(json::object{{"webhooks", std::move(hooks)}});
    }
    if (rest == "/subscribe" && request.method == "POST") {
        json::error_code ec;
        const auto body = json::parse(request.body, ec);
        if (ec || !body.is_object())
            return asp_error(400, "The request is invalid.", "Expected a JSON object.");
        const auto& object = body.get_object();
        const std::string target = string_field(object, "target_url");
        const std::string event = string_field(object, "event");
        if (target.empty() || std::find(kEvents.begin(), kEvents.end(), event) == kEvents.end()) {
            return asp_error(400, "The request is invalid.",
                             "target_url and a valid event are required.");
        }
        if (webhooks_.size() >= kWebhooksMax)
            return asp_error(400, "The request is invalid.", "Too many webhooks.");
        Webhook hook{.id = next_webhook_id_++,
                     .target_url = target,
                     .event = event,
                     .store_id = std::nullopt,
                     .friendly_name = string_field(object, "friendly_name")};
        if (const auto* store = object.if_contains("store_id"); store && store->is_int64())
            hook.store_id = store->get_int64();
        webhooks_.push_back(hook);
        return net::json_response(201, shipstation::serialize(json::object{{"id", hook.id}}));
    }
    if (rest.starts_with("/") && request.method == "DELETE") {
        const auto id = parse_int(rest.substr(1));
        const auto it = std::find_if(webhooks_.begin(), webhooks_.end(),
                                     [&](const Webhook& hook) { return id && hook.id == *id; });
        if (it == webhooks_.end())
            return asp_error(404, "The requested webhook could not be found.");
        webhooks_.erase(it);
        return net::HttpResponse{
            .status = 200, .headers = {}, .body = {}, .drop_connection = false};
    }
    return asp_error(404, "No HTTP resource was found that matches the request URI '/webhooks" +
                              std::string(rest) + "'.");
}

void ShipStationEmulator::tick() {
    // Deliveries are at most once: a notification leaves the queue whatever the receiver answers
    // (spec: retries of failed deliveries are undocumented).
    constexpr std::size_t kDeliveriesPerTick = 1'000;
    for (std::size_t n = 0; n < kDeliveriesPerTick && !pending_.empty(); ++n) {
        const Notification notification = pending_.front();
        pending_.pop_front();
        const std::string resource_url =
            notification.event == "ORDER_NOTIFY"
                ? base_url_ + "/orders?importBatch=" + std::to_string(notification.batch)
                : base_url_ + "/shipments?batchId=" + std::to_string(notification.batch) +
                      "&includeShipmentItems=False";
        const std::string payload = shipstation::serialize(
            json::object{{"resource_url", resource_url}, {"resource_type", notification.event}});
        for (const auto& hook : webhooks_) {
            if (hook.event != notification.event) continue;
            if (hook.store_id && *hook.store_id != notification.store_id) continue;
            net::HttpRequest post;
            post.method = "POST";
            post.url = hook.target_url;
            post.headers = {{"Content-Type", "application/json"}, {"User-Agent", "ShipStation"}};
            post.body = payload;
            const auto sent = context_.outbound.send(
                post, net::TransportOptions{.connect_timeout = std::chrono::milliseconds{2'000},
                                            .total_timeout = std::chrono::milliseconds{5'000}});
            deliveries_.push_back(json::object{
                {"webhook_id", hook.id},
                {"target_url", hook.target_url},
                {"resource_url", resource_url},
                {"resource_type", notification.event},
                {"status", sent ? json::value(sent->status) : nullptr},
                {"error", sent ? json::value(nullptr) : json::value(sent.error().message)}});
            if (deliveries_.size() > kDeliveriesKept) deliveries_.erase(deliveries_.begin());
        }
    }
}

// ---- Control --------------------------------------------------------------------------------

std::int64_t ShipStationEmulator::add_label(OrderRow& row, const json::object& body) {
    const UtcTime now = context_.clock.now();
    auto cost = body.contains("shipmentCost") ? read_money(body.at("shipmentCost"))
                                              : Result<Decimal>(Decimal());
    std::string tracking = string_field(body, "trackingNumber");
    if (tracking.empty())
        tracking =
            "1Z" + std::to_string(mix(context_.seed, 51, next_shipment_id_) % 1'000'000'000'000ULL);
    const std::string carrier = string_field(body, "carrierCode");
    const std::string service = string_field(body, "serviceCode");
    ShipmentRow shipment{.id = next_shipment_id_++,
                         .order_id = row.id,
                         .create = now,
                         .ship = now,
                         .void_time = kNoTime,
                         .cost = cost ? *cost : Decimal(),
                         .tracking = tracking,
                         .carrier = carrier.empty() ? "ups" : carrier,
                         .service = service.empty() ? "ups_ground" : service,
                         .batch = new_batch(),
                         .voided = false};
    json::object& detail = materialize(row);
    detail["shipDate"] = date_only(now);
    detail["carrierCode"] = shipment.carrier;
    detail["serviceCode"] = shipment.service;
    row.status = Status::kShipped;
    row.modify = now;
    notify("SHIP_NOTIFY", shipment.batch, seed_.stores()[row.store].id);
    shipments_.push_back(std::move(shipment));
    return shipments_.back().id;
}

bool ShipStationEmulator::has_product(const std::string& sku) const {
    if (item_product_skus_.contains(sku)) return true;
    if (!sku.starts_with("P")) return false;
    const auto number = parse_int(std::string_view(sku).substr(1));
    return number && *number > 10'000 &&
           *number <= 10'000 + static_cast<std::int64_t>(seed_.product_count()) &&
           seed_.product_sku(static_cast<std::size_t>(*number - 10'001)) == sku;
}

void ShipStationEmulator::learn_products(const json::value& items) {
    if (!items.is_array()) return;
    const std::string now = short_time(context_.clock.now());
    for (const auto& item : items.get_array()) {  // Bounded by the order's items.
        if (!item.is_object()) continue;
        const json::object& line = item.get_object();
        const std::string sku = string_field(line, "sku");
        if (sku.empty() || has_product(sku)) continue;
        const std::int64_t id = next_product_id_++;
        json::object product = seed_.product(0);  // Every field V1 lists, then this item's.
        for (auto& field : product) field.value() = nullptr;
        product["productId"] = id;
        product["sku"] = sku;
        product["name"] = string_field(line, "name").empty() ? sku : string_field(line, "name");
        product["price"] = line.contains("unitPrice") ? line.at("unitPrice") : json::value(nullptr);
        product["createDate"] = now;
        product["modifyDate"] = now;
        product["active"] = true;
        product_overrides_[id] = std::move(product);
        item_product_skus_[sku] = id;
    }
}

net::HttpResponse ShipStationEmulator::control_import(const net::HttpRequest& request) {
    json::error_code ec;
    const auto body = json::parse(request.body.empty() ? "{}" : request.body, ec);
    if (ec || !body.is_object())
        return net::json_response(400, R"({"error":"expected a JSON object"})");
    const auto& object = body.get_object();
    json::array created;
    const std::uint32_t batch = new_batch();
    if (const auto* count = object.if_contains("count")) {
        if (!count->is_int64() || count->get_int64() < 1 ||
            count->get_int64() > static_cast<std::int64_t>(kImportOrdersMax)) {
            return net::json_response(400, R"({"error":"count must be 1..10000"})");
        }
        // Seeded-style orders: details come from the seed, so they cost only their rows.
        const UtcTime now = context_.clock.now();
        for (std::int64_t i = 0; i < count->get_int64(); ++i) {
            const auto draw = mix(context_.seed, 43, static_cast<std::uint64_t>(next_order_id_));
            OrderRow row{};
            row.id = next_order_id_++;
            row.create = row.modify = row.order_date = row.payment = now;
            row.customer = seed_.order_customer(draw);
            row.store = 0;
            row.status = Status::kAwaitingShipment;
            row.batch = batch;
            orders_.push_back(row);
            created.push_back(row.id);
        }
        notify("ORDER_NOTIFY", batch, seed_.stores()[0].id);
    } else if (const auto* orders = object.if_contains("orders"); orders && orders->is_array()) {
        if (orders->get_array().size() > kImportOrdersMax) {
            return net::json_response(400, R"({"error":"at most 10000 orders per import"})");
        }
        for (const auto& order : orders->get_array()) {
            if (order.is_object()) {
                const auto key = string_field(order.get_object(), "orderKey");
                if (!key.empty() && find_by_key(key)) {
                    return net::json_response(
                        409,
                        shipstation::serialize(json::object{{"error", "orderKey exists: " + key}}));
                }
            }
            const auto result = upsert(order, batch);
            if (!result.ok)
                return net::json_response(
                    400, shipstation::serialize(json::object{{"error", result.error}}));
            created.push_back(result.id);
        }
    } else {
        return net::json_response(400, R"({"error":"send {\"orders\": [...]} or {\"count\": N}"})");
    }
    return ok_json(json::object{{"order_ids", std::move(created)}, {"import_batch", batch}});
}

net::HttpResponse ShipStationEmulator::control_order(const net::HttpRequest& request,
                                                     std::int64_t id, std::string_view action) {
    OrderRow* row = find_order(id);
    if (row == nullptr) return net::json_response(404, R"({"error":"no such order"})");
    json::error_code ec;
    const auto body = json::parse(request.body.empty() ? "{}" : request.body, ec);
    if (ec || !body.is_object())
        return net::json_response(400, R"({"error":"expected a JSON object"})");
    const UtcTime now = context_.clock.now();
    // Edits, holds and cancellations surface only through modifyDate: no webhook (spec).
    if (action == "update") {
        json::value fields = body;
        normalise_numbers(fields);
        json::object& detail = materialize(*row);
        for (const auto& [key, value] : fields.get_object()) {
            if (key == "orderStatus") {
                const auto status =
                    value.is_string() ? parse_status(value.get_string()) : std::nullopt;
                if (!status) return net::json_response(400, R"({"error":"invalid orderStatus"})");
                row->status = *status;
            } else if (key != "orderId" && key != "createDate" && key != "modifyDate") {
                detail[key] = value;
            }
        }
    } else if (action == "cancel") {
        row->status = Status::kCancelled;
    } else if (action == "hold") {
        row->status = Status::kOnHold;
    } else if (action == "release") {
        row->status = Status::kAwaitingShipment;
    } else if (action == "label") {
        if (row->status == Status::kCancelled)
            return net::json_response(409, R"({"error":"order is cancelled"})");
        const auto shipment_id = add_label(*row, body.get_object());
        return ok_json(json::object{{"shipmentId", shipment_id},
                                    {"trackingNumber", shipments_.back().tracking},
                                    {"batchId", shipments_.back().batch}});
    } else {
        return net::json_response(404, R"({"error":"unknown order action"})");
    }
    row->modify = now;
    return ok_json(render_order(*row));
}

net::HttpResponse ShipStationEmulator::control_state() {
    json::array orders, shipments, hooks;
    for (std::size_t i = 0; i < orders_.size() && i < kStateRecordsMax; ++i)
        orders.push_back(render_order(orders_[i]));
    for (std::size_t i = 0; i < shipments_.size() && i < kStateRecordsMax; ++i) {
        shipments.push_back(render_shipment(shipments_[i], true));
    }
    for (const auto& hook : webhooks_) {
        hooks.push_back(
            json::object{{"id", hook.id}, {"target_url", hook.target_url}, {"event", hook.event}});
    }
    return ok_json(json::object{{"orders_total", orders_.size()},
                                {"orders", std::move(orders)},
                                {"shipments_total", shipments_.size()},
                                {"shipments", std::move(shipments)},
                                {"webhooks", std::move(hooks)},
                                {"pending_notifications", pending_.size()},
                                {"deliveries", deliveries_},
                                {"bytes_per_order", bytes_per_order()}});
}

net::HttpResponse ShipStationEmulator::control(const net::HttpRequest& request,
                                               std::string_view route) {
    if (route == "state" && request.method == "GET") return control_state();
    if (route == "stats" && request.method == "GET") {
        return ok_json(json::object{{"orders", orders_.size()},
                                    {"shipments", shipments_.size()},
                                    {"bytes_per_order", bytes_per_order()},
                                    {"order_row_bytes", sizeof(OrderRow)}});
    }
    if (route == "orders" && request.method == "POST") return control_import(request);
    if (route == "revoke_key" && request.method == "POST") {
        revoked_ = true;
        return ok_json(json::object{{"revoked", true}});
    }
    if (route == "restore_key" && request.method == "POST") {
        revoked_ = false;
        return ok_json(json::object{{"revoked", false}});
    }
    if (route == "quirks" && request.method == "POST") {
        json::error_code ec;
        const auto body = json::parse(request.body, ec);
        const auto* flag = !ec && body.is_object()
                               ? body.get_object().if_contains("single_page_pages_zero")
                               : nullptr;
        if (flag == nullptr || !flag->is_bool())
            return net::json_response(400,
                                      R"({"error":"expected {\"single_page_pages_zero\": bool}"})");
        single_page_pages_zero_ = flag->get_bool();
        return ok_json(json::object{{"single_page_pages_zero", single_page_pages_zero_}});
    }
    if (request.method == "POST" &&
        (route.starts_with("orders/") || route.starts_with("shipments/"))) {
        const bool is_order = route.starts_with("orders/");
        const auto rest = route.substr(is_order ? 7 : 10);
        const auto slash = rest.find('/');
        const auto id = parse_int(rest.substr(0, slash));
        const auto action =
            slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (!id) return net::json_response(404, R"({"error":"expected a numeric id"})");
        if (is_order) return control_order(request, *id, action);
        auto it = std::find_if(shipments_.begin(), shipments_.end(),
                               [&](const ShipmentRow& s) { return s.id == *id; });
        if (it == shipments_.end() || action != "void")
            return net::json_response(404, R"({"error":"no such shipment or action"})");
        // Voided labels stay listed with voided: true (spec); no webhook.
        it->voided = true;
        it->void_time = context_.clock.now();
        return ok_json(render_shipment(*it, false));
    }
    return net::json_response(404, R"({"error":"unknown control route"})");
}

std::unique_ptr<Emulator> make_shipstation_emulator(EmulatorContext context) {
    return std::make_unique<ShipStationEmulator>(context);
}

}  // namespace mlc::sandbox::shipstation

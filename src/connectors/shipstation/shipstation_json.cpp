#include "connectors/shipstation/shipstation_json.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "common/time.hpp"
#include "connectors/shipstation/shipstation_errors.hpp"

namespace mlc::connectors::shipstation {
namespace json = boost::json;
namespace {

constexpr std::string_view kMarkedEscape = "\\u001f";  // How Boost.JSON writes kNumberMark.
constexpr std::size_t kLinesPerOrderMax = 1'000;       // Items of one order: far above V1 use.

bool is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}

// Every number token outside strings becomes "\u001f<token>". Strings are copied verbatim.
std::string mark_numbers(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    bool in_string = false;
    bool escaped = false;
    std::size_t i = 0;
    while (i < text.size()) {  // Bounded by the text (itself bounded by kJsonBytesMax).
        const char c = text[i];
        if (in_string) {
            out.push_back(c);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            ++i;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t end = i;
            while (end < text.size() && is_number_char(text[end])) ++end;
            out.push_back('"');
            out.append(kMarkedEscape);
            out.append(text.substr(i, end - i));
            out.push_back('"');
            i = end;
            continue;
        }
        if (c == '"') in_string = true;
        out.push_back(c);
        ++i;
    }
    return out;
}

// Whether the string token opening at `quote` starts with the escaped kNumberMark.
bool starts_marked(std::string_view text, std::size_t quote) {
    const auto rest = text.substr(quote + 1, kMarkedEscape.size());
    return rest.size() == kMarkedEscape.size() && rest.substr(0, 5) == "\\u001" &&
           (rest[5] == 'f' || rest[5] == 'F');
}

// Whether the text behind a mark is a number token as mark_numbers() or exact_number() wrote it.
// A vendor's string that merely starts with U+001F is not, and stays a (valid JSON) string.
bool is_number_token(std::string_view token) {
    return !token.empty() &&
           (token.front() == '-' || (token.front() >= '0' && token.front() <= '9')) &&
           std::all_of(token.begin(), token.end(), is_number_char);
}

// Inverse of mark_numbers on serialized text: "\u001f12.30" -> 12.30.
std::string unmark_numbers(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {  // Bounded by the text.
        const char c = text[i];
        if (c != '"') {
            out.push_back(c);
            ++i;
            continue;
        }
        // A string token starts here: find its end (escapes skip a character).
        std::size_t end = i + 1;
        while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
        end = std::min(end, text.size() - 1);
        const std::size_t from = i + 1 + kMarkedEscape.size();
        if (starts_marked(text, i) && is_number_token(text.substr(from, end - from))) {
            out.append(text.substr(from, end - from));
        } else {
            out.append(text.substr(i, end - i + 1));
        }
        i = end + 1;
    }
    return out;
}

Error invalid(std::string message) {
    return make_error(ErrorCode::kInvalidInput, std::string(kSystem), std::move(message));
}

const json::value* field(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value == nullptr || value->is_null() ? nullptr : value;
}

// Text of a string or number field; "" when missing or null.
std::string text(const json::object& object, std::string_view key) {
    const auto* value = field(object, key);
    if (value == nullptr) return {};
    if (const auto number = number_text(*value)) return *number;
    if (value->is_string()) return std::string(value->get_string());
    return {};
}

bool flag(const json::object& object, std::string_view key) {
    const auto* value = field(object, key);
    return value != nullptr && value->is_bool() && value->get_bool();
}

// Money or quantity; zero when missing or null (V1 sends null for unset amounts).
Result<Decimal> decimal(const json::object& object, std::string_view key) {
    const auto* value = field(object, key);
    if (value == nullptr) return Decimal();
    const auto number = number_text(*value);
    if (!number) return invalid("'" + std::string(key) + "' is not a number");
    auto parsed = Decimal::parse(*number);
    if (!parsed) return invalid("'" + std::string(key) + "': " + parsed.error().message);
    return *parsed;
}

Result<std::optional<UtcTime>> optional_time(const json::object& object, std::string_view key) {
    const std::string value = text(object, key);
    if (value.empty()) return std::optional<UtcTime>();
    auto parsed = parse_pacific(value);
    if (!parsed) return invalid("'" + std::string(key) + "': " + parsed.error().message);
    return std::optional<UtcTime>(*parsed);
}

Result<UtcTime> required_time(const json::object& object, std::string_view key) {
    MLC_TRY(auto value, optional_time(object, key));
    if (!value) return invalid("'" + std::string(key) + "' is missing");
    return *value;
}

model::Address address(const json::object& object, std::string_view key) {
    model::Address out;
    const auto* value = field(object, key);
    if (value == nullptr || !value->is_object()) return out;
    const auto& a = value->get_object();
    out.name = text(a, "name");
    out.company = text(a, "company");
    out.street1 = text(a, "street1");
    out.street2 = text(a, "street2");
    out.street3 = text(a, "street3");
    out.city = text(a, "city");
    out.state = text(a, "state");
    out.postal_code = text(a, "postalCode");
    out.country = text(a, "country");
    out.phone = text(a, "phone");
    out.residential = flag(a, "residential");
    return out;
}

json::object address_json(const model::Address& a) {
    auto or_null = [](const std::string& s) { return s.empty() ? json::value() : json::value(s); };
    return {{"name", a.name},
            {"company", or_null(a.company)},
            {"street1", a.street1},
            {"street2", or_null(a.street2)},
            {"street3", or_null(a.street3)},
            {"city", a.city},
            {"state", a.state},
            {"postalCode", a.postal_code},
            {"country", a.country},
            {"phone", or_null(a.phone)},
            {"residential", a.residential}};
}

const json::array* array_field(const json::object& object, std::string_view key) {
    const auto* value = field(object, key);
    return value != nullptr && value->is_array() ? &value->get_array() : nullptr;
}

// Lines and adjustments: V1 carries discounts as items with adjustment=true and a negative
// unitPrice; they become the order's discount_total, not lines.
Result<void> order_lines(const json::object& order, model::Order& out) {
    const auto* items = array_field(order, "items");
    if (items == nullptr) return ok();
    if (items->size() > kLinesPerOrderMax) {
        return invalid("order has " + std::to_string(items->size()) + " items, more than " +
                       std::to_string(kLinesPerOrderMax));
    }
    for (const auto& item_value : *items) {
        if (!item_value.is_object()) return invalid("an item is not an object");
        const auto& item = item_value.get_object();
        MLC_TRY(const Decimal quantity, decimal(item, "quantity"));
        MLC_TRY(const Decimal unit_price, decimal(item, "unitPrice"));
        MLC_TRY(const Decimal tax, decimal(item, "taxAmount"));
        if (flag(item, "adjustment")) {
            out.discount_total -= unit_price.mul(quantity);
            continue;
        }
        model::OrderLine line;
        line.line_key = text(item, "lineItemKey");
        if (line.line_key.empty()) line.line_key = text(item, "orderItemId");
        line.sku = text(item, "sku");
        line.description = text(item, "name");
        line.quantity = quantity;
        line.unit_price = unit_price;
        line.tax = tax;
        out.lines.push_back(std::move(line));
    }
    return ok();
}

template <typename T, typename Map>
Result<Page<T>> page_from_json(std::string_view body, std::string_view list_key, Map map,
                               std::string_view key_field, std::string_view noun) {
    MLC_TRY(const json::value parsed,
            parse_exact(body, "the " + std::string(list_key) + " answer"));
    if (!parsed.is_object())
        return invalid("the " + std::string(list_key) + " answer is not an object");
    const auto& object = parsed.get_object();
    const auto* list = array_field(object, list_key);
    if (list == nullptr) {
        return invalid("the answer has no '" + std::string(list_key) + "' array");
    }
    if (list->size() > kPageRecordsMax) {
        return invalid("the answer lists " + std::to_string(list->size()) +
                       " records, more than a V1 page holds (" + std::to_string(kPageRecordsMax) +
                       ")");
    }
    Page<T> page;
    for (const auto& element : *list) {
        std::string raw = serialize_exact(element);
        const std::string key =
            element.is_object() ? text(element.get_object(), key_field) : std::string();
        const std::string record_key = std::string(noun) + " " + key;
        if (!element.is_object()) {
            page.rejected.push_back({record_key, std::move(raw), invalid("not a JSON object")});
            continue;
        }
        Result<T> mapped = map(element.get_object());
        if (!mapped) {
            Error error = std::move(mapped).error();
            error.record_key = record_key;
            page.rejected.push_back({record_key, std::move(raw), std::move(error)});
            continue;
        }
        page.items.push_back({std::move(mapped).value(), std::move(raw)});
    }
    auto count = [&](std::string_view key) -> std::uint64_t {
        const std::string value = text(object, key);
        std::uint64_t out = 0;
        std::from_chars(value.data(), value.data() + value.size(), out);
        return out;
    };
    page.total = count("total");
    page.page = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, count("page")));
    const std::uint64_t pages = count("pages");
    // "pages: 0" (the docs' single-page samples) means no more, as does page >= pages.
    page.more = pages != 0 && page.page < pages;
    page.next_page = page.more ? page.page + 1 : 0;
    return page;
}

}  // namespace

// ---- Exact JSON ------------------------------------------------------------------------------

Result<json::value> parse_exact(std::string_view body, std::string_view what) {
    if (body.size() > kJsonBytesMax) {
        return invalid(std::string(what) + " is " + std::to_string(body.size()) +
                       " bytes, more than " + std::to_string(kJsonBytesMax));
    }
    json::error_code ec;
    json::value value = json::parse(mark_numbers(body), ec);
    if (ec) return invalid(std::string(what) + " is not valid JSON: " + ec.message());
    return value;
}

std::string serialize_exact(const json::value& value) {
    return unmark_numbers(json::serialize(value));
}

json::value exact_number(const Decimal& amount) {
    return json::string(std::string(1, kNumberMark) + amount.to_string());
}

json::value exact_number(std::int64_t whole) {
    return json::string(std::string(1, kNumberMark) + std::to_string(whole));
}

std::optional<std::string> number_text(const json::value& value) {
    if (value.is_string()) {
        const std::string_view s = value.get_string();
        if (!s.empty() && s.front() == kNumberMark) return std::string(s.substr(1));
        // V1 is loose in places: a numeric string is accepted where a number is expected.
        if (!s.empty() && s.find_first_not_of("+-.0123456789") == std::string_view::npos)
            return std::string(s);
        return std::nullopt;
    }
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    return std::nullopt;  // A double never carries money here: refuse it rather than round.
}

// ---- Times -----------------------------------------------------------------------------------

Result<UtcTime> parse_pacific(std::string_view text) { return parse_local(text, kPacificZone); }

Result<std::string> pacific_request_time(UtcTime t) {
    return format_local(std::chrono::floor<std::chrono::seconds>(t), kPacificZone,
                        "%Y-%m-%d %H:%M:%S");
}

Result<std::string> pacific_body_time(UtcTime t) {
    return format_local(t, kPacificZone, "%Y-%m-%dT%H:%M:%S", 7);
}

Result<std::string> pacific_date(UtcTime t) {
    return format_local(std::chrono::floor<std::chrono::seconds>(t), kPacificZone, "%Y-%m-%d");
}

// ---- Records ---------------------------------------------------------------------------------

Result<model::OrderStatus> order_status_from_text(std::string_view text) {
    using model::OrderStatus;
    if (text == "awaiting_payment") return OrderStatus::kPending;
    if (text == "awaiting_shipment" || text == "pending_fulfillment") return OrderStatus::kOpen;
    if (text == "on_hold") return OrderStatus::kOnHold;
    if (text == "shipped") return OrderStatus::kShipped;
    if (text == "cancelled" || text == "rejected_fulfillment") return OrderStatus::kCancelled;
    return invalid("unknown orderStatus '" + std::string(text) + "'");
}

std::string_view order_status_text(model::OrderStatus status) {
    using model::OrderStatus;
    switch (status) {
        case OrderStatus::kPending:
            return "awaiting_payment";
        case OrderStatus::kOpen:
            return "awaiting_shipment";
        case OrderStatus::kOnHold:
            return "on_hold";
        case OrderStatus::kShipped:
        case OrderStatus::kCompleted:
            return "shipped";
        case OrderStatus::kCancelled:
        case OrderStatus::kRefunded:
            return "cancelled";
    }
    return "awaiting_shipment";
}

Result<model::Order> order_from_json(const json::object& order) {
    model::Order out;
    out.source = {std::string(kSystem), text(order, "orderKey"), text(order, "orderId")};
    if (out.source.id.empty()) return invalid("order has no orderId");
    // Orders created in the ShipStation UI may lack a key: the id is then the stable key.
    if (out.source.key.empty()) out.source.key = out.source.id;
    out.number = text(order, "orderNumber");
    MLC_TRY(out.status, order_status_from_text(text(order, "orderStatus")));
    out.customer_code = text(order, "customerUsername");
    out.customer_email = text(order, "customerEmail");
    out.bill_to = address(order, "billTo");
    out.ship_to = address(order, "shipTo");
    out.customer_name = out.bill_to.name.empty() ? out.ship_to.name : out.bill_to.name;
    MLC_CHECK(order_lines(order, out));
    MLC_TRY(out.shipping_total, decimal(order, "shippingAmount"));
    MLC_TRY(out.tax_total, decimal(order, "taxAmount"));
    MLC_TRY(out.total, decimal(order, "orderTotal"));
    out.notes = text(order, "customerNotes");
    out.requested_service = text(order, "requestedShippingService");
    MLC_TRY(out.ordered_at, required_time(order, "orderDate"));
    MLC_TRY(out.paid_at, optional_time(order, "paymentDate"));
    MLC_TRY(out.ship_by, optional_time(order, "shipByDate"));
    MLC_TRY(out.modified_at, required_time(order, "modifyDate"));
    return out;
}

Result<model::Shipment> shipment_from_json(const json::object& shipment) {
    model::Shipment out;
    const std::string id = text(shipment, "shipmentId");
    if (id.empty()) return invalid("shipment has no shipmentId");
    out.source = {std::string(kSystem), id, id};
    out.order = {std::string(kSystem), text(shipment, "orderKey"), text(shipment, "orderId")};
    if (out.order.key.empty()) out.order.key = out.order.id;
    out.carrier = text(shipment, "carrierCode");
    out.service = text(shipment, "serviceCode");
    out.tracking_number = text(shipment, "trackingNumber");
    MLC_TRY(out.ship_date, optional_time(shipment, "shipDate"));
    MLC_TRY(out.cost, decimal(shipment, "shipmentCost"));
    out.voided = flag(shipment, "voided");
    out.ship_to = address(shipment, "shipTo");
    MLC_TRY(out.created_at, required_time(shipment, "createDate"));
    if (const auto* items = array_field(shipment, "shipmentItems")) {
        if (items->size() > kLinesPerOrderMax) return invalid("shipment has too many items");
        for (const auto& item_value : *items) {
            if (!item_value.is_object()) return invalid("a shipment item is not an object");
            const auto& item = item_value.get_object();
            model::ShipmentLine line;
            line.sku = text(item, "sku");
            MLC_TRY(line.quantity, decimal(item, "quantity"));
            line.order_line_key = text(item, "lineItemKey");
            if (line.order_line_key.empty()) line.order_line_key = text(item, "orderItemId");
            out.lines.push_back(std::move(line));
        }
    }
    return out;
}

Result<std::optional<UtcTime>> shipment_void_date(std::string_view raw) {
    MLC_TRY(const json::value parsed, parse_exact(raw, "a shipment"));
    if (!parsed.is_object()) return invalid("a shipment is not an object");
    return optional_time(parsed.get_object(), "voidDate");
}

Result<json::object> order_to_json(const model::Order& order, const OrderWriteOptions& options) {
    if (order.source.key.empty()) {
        // Without a stable orderKey every createorder call creates a new order (shipstation.md).
        return make_error(ErrorCode::kInternal, std::string(kSystem),
                          "order " + order.number + " has no source key to use as orderKey");
    }
    MLC_TRY(const std::string order_date, pacific_body_time(order.ordered_at));
    json::array items;
    for (const auto& line : order.lines) {  // Bounded by the model order's lines.
        items.push_back(json::object{{"lineItemKey", line.line_key},
                                     {"sku", line.sku},
                                     {"name", line.description},
                                     {"quantity", exact_number(line.quantity)},
                                     {"unitPrice", exact_number(line.unit_price)},
                                     {"taxAmount", exact_number(line.tax)},
                                     {"adjustment", false}});
    }
    if (!order.discount_total.is_zero()) {
        items.push_back(json::object{{"lineItemKey", "discount"},
                                     {"sku", nullptr},
                                     {"name", "Discount"},
                                     {"quantity", exact_number(1)},
                                     {"unitPrice", exact_number(-order.discount_total)},
                                     {"adjustment", true}});
    }
    json::object out{{"orderNumber", order.number},
                     {"orderKey", order.source.key},
                     {"orderDate", order_date},
                     {"orderStatus", order_status_text(order.status)},
                     {"customerUsername", order.customer_code},
                     {"customerEmail", order.customer_email},
                     {"billTo", address_json(order.bill_to)},
                     {"shipTo", address_json(order.ship_to)},
                     {"items", std::move(items)},
                     {"orderTotal", exact_number(order.total)},
                     {"amountPaid", exact_number(order.paid_at ? order.total : Decimal())},
                     {"taxAmount", exact_number(order.tax_total)},
                     {"shippingAmount", exact_number(order.shipping_total)},
                     {"customerNotes", order.notes},
                     {"requestedShippingService", order.requested_service}};
    if (order.paid_at) {
        MLC_TRY(const std::string paid, pacific_body_time(*order.paid_at));
        out["paymentDate"] = paid;
    }
    if (order.ship_by) {
        MLC_TRY(const std::string ship_by, pacific_body_time(*order.ship_by));
        out["shipByDate"] = ship_by;
    }
    if (options.order_id) out["orderId"] = exact_number(*options.order_id);
    if (options.store_id) {
        out["advancedOptions"] = json::object{{"storeId", exact_number(*options.store_id)}};
    }
    return out;
}

Result<Page<model::Order>> orders_page_from_json(std::string_view body) {
    return page_from_json<model::Order>(body, "orders", order_from_json, "orderId", "order");
}

Result<Page<model::Shipment>> shipments_page_from_json(std::string_view body) {
    return page_from_json<model::Shipment>(body, "shipments", shipment_from_json, "shipmentId",
                                           "shipment");
}

}  // namespace mlc::connectors::shipstation

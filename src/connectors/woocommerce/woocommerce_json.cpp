#include "connectors/woocommerce/woocommerce_json.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/time.hpp"

namespace mlc::connectors::woocommerce {
namespace json = boost::json;
namespace {

constexpr std::string_view kSystem = "woocommerce";
constexpr std::size_t kLinesMax = 1'000;        // Line items mapped per order or refund.
constexpr std::size_t kMetaEntriesMax = 1'000;  // meta_data entries searched per object.

Error invalid(std::string message) {
    return make_error(ErrorCode::kInvalidInput, std::string(kSystem), std::move(message));
}

bool is_number_char(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '+' || c == '.' ||
           c == 'e' || c == 'E';
}

// Wraps every number token with a fraction or an exponent in quotes, outside strings, so
// Boost.JSON keeps its exact text (it would read it as a double). Bounded by the text's length.
std::string quote_fractional_numbers(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    bool in_string = false;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (in_string) {
            out.push_back(c);
            if (c == '\\' && i + 1 < text.size()) {
                out.push_back(text[i + 1]);
                i += 2;
                continue;
            }
            if (c == '"') in_string = false;
            ++i;
            continue;
        }
        if (c == '"') {
            in_string = true;
            out.push_back(c);
            ++i;
            continue;
        }
        if (c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0) {
            std::size_t end = i;
            while (end < text.size() && is_number_char(text[end])) ++end;
            const std::string_view token = text.substr(i, end - i);
            if (token.find_first_of(".eE") != std::string_view::npos) {
                out.push_back('"');
                out.append(token);
                out.push_back('"');
            } else {
                out.append(token);
            }
            i = end;
            continue;
        }
        out.push_back(c);
        ++i;
    }
    return out;
}

const json::object* object_at(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_object() ? &value->as_object() : nullptr;
}

model::Address address_from_json(const json::object* address) {
    model::Address out;
    if (address == nullptr) return out;
    const std::string first = text_of(*address, "first_name");
    const std::string last = text_of(*address, "last_name");
    out.name = first.empty() ? last : last.empty() ? first : first + " " + last;
    out.company = text_of(*address, "company");
    out.street1 = text_of(*address, "address_1");
    out.street2 = text_of(*address, "address_2");
    out.city = text_of(*address, "city");
    out.state = text_of(*address, "state");
    out.postal_code = text_of(*address, "postcode");
    out.country = text_of(*address, "country");
    out.phone = text_of(*address, "phone");
    out.email = text_of(*address, "email");
    return out;
}

std::pair<std::string, std::string> split_name(const std::string& name) {
    const auto space = name.rfind(' ');
    if (space == std::string::npos) return {name, ""};
    return {name.substr(0, space), name.substr(space + 1)};
}

json::object address_to_json(const model::Address& address, bool with_email) {
    const auto [first, last] = split_name(address.name);
    json::object out{{"first_name", first},          {"last_name", last},
                     {"company", address.company},   {"address_1", address.street1},
                     {"address_2", address.street2}, {"city", address.city},
                     {"state", address.state},       {"postcode", address.postal_code},
                     {"country", address.country},   {"phone", address.phone}};
    if (with_email) out["email"] = address.email;
    return out;
}

std::string id_text(const json::object& object) { return std::to_string(int_of(object, "id")); }

// A whole-number quantity (Woo writes line quantities as integers; refunds as negatives).
Result<Decimal> quantity_of(const json::object& line) {
    const auto* value = line.if_contains("quantity");
    if (value == nullptr || value->is_null()) return Decimal{};
    if (value->is_int64()) return Decimal::from_int(value->get_int64());
    if (value->is_string()) {
        if (auto parsed = Decimal::parse(value->get_string())) return *parsed;
    }
    return invalid("line " + id_text(line) + ": quantity is not a number");
}

// subtotal / quantity, rounded half-even to Decimal's scale: exact for Woo's cent amounts over
// whole quantities in every realistic case, and never through the float `price`.
Decimal unit_price(Decimal subtotal, Decimal quantity) {
    if (quantity.is_zero()) return Decimal{};
    const __int128 scale = Decimal::from_int(1).units();
    const __int128 numerator = subtotal.units() * scale;
    const __int128 divisor = quantity.units();
    __int128 quotient = numerator / divisor;
    const __int128 remainder = numerator % divisor;
    const __int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
    const __int128 abs_divisor = divisor < 0 ? -divisor : divisor;
    const bool negative = (numerator < 0) != (divisor < 0);
    if (twice > abs_divisor || (twice == abs_divisor && quotient % 2 != 0)) {
        quotient += negative ? -1 : 1;
    }
    return Decimal::from_units(quotient);
}

Result<std::vector<model::OrderLine>> lines_from_json(const json::object& object,
                                                      std::string_view owner) {
    std::vector<model::OrderLine> lines;
    const auto* items = object.if_contains("line_items");
    if (items == nullptr || !items->is_array()) return lines;
    if (items->as_array().size() > kLinesMax) {
        return invalid(std::string(owner) + ": more than " + std::to_string(kLinesMax) +
                       " line items");
    }
    for (const auto& item : items->as_array()) {
        if (!item.is_object())
            return invalid(std::string(owner) + ": a line item is not an object");
        const auto& line = item.as_object();
        const std::string where = std::string(owner) + " line " + id_text(line);
        model::OrderLine out;
        out.line_key = id_text(line);
        out.sku = text_of(line, "sku");
        out.description = text_of(line, "name");
        MLC_TRY_CTX(out.quantity, quantity_of(line), "reading " + where);
        MLC_TRY_CTX(const Decimal subtotal, money_of(line, "subtotal"), "reading " + where);
        MLC_TRY_CTX(const Decimal total, money_of(line, "total"), "reading " + where);
        MLC_TRY_CTX(out.tax, money_of(line, "total_tax"), "reading " + where);
        out.unit_price = unit_price(subtotal, out.quantity);
        out.discount = subtotal - total;
        lines.push_back(std::move(out));
    }
    return lines;
}

template <typename T, typename Map>
Result<Page<T>> page_from_answer(const json::value& answer, std::string_view noun, Map map) {
    if (!answer.is_array()) return invalid("the " + std::string(noun) + " list is not an array");
    const auto& rows = answer.as_array();
    if (rows.size() > kRecordsPerAnswerMax) {
        return invalid("the " + std::string(noun) + " list holds more than " +
                       std::to_string(kRecordsPerAnswerMax) + " records");
    }
    Page<T> page;
    for (const auto& row : rows) {
        if (!row.is_object()) {
            page.rejected.push_back({"", json::serialize(row),
                                     invalid("a " + std::string(noun) + " is not an object")});
            continue;
        }
        const auto& object = row.as_object();
        auto mapped = map(object);
        if (!mapped) {
            page.rejected.push_back({std::string(noun) + " " + id_text(object), to_raw(object),
                                     std::move(mapped).error()});
            continue;
        }
        page.items.push_back({std::move(*mapped), to_raw(object)});
    }
    return page;
}

}  // namespace

// ---- Exact JSON --------------------------------------------------------------------------------

Result<json::value> parse_exact(std::string_view text, std::string_view what) {
    if (text.size() > kJsonBytesMax) {
        return invalid(std::string(what) + " is larger than " + std::to_string(kJsonBytesMax) +
                       " bytes");
    }
    json::parse_options options;
    options.max_depth = kJsonDepthMax;
    boost::system::error_code ec;
    json::value value = json::parse(quote_fractional_numbers(text), ec, {}, options);
    if (ec) return invalid(std::string(what) + " is not JSON: " + ec.message());
    return value;
}

std::string to_raw(const json::object& object) { return json::serialize(object); }

// ---- Fields ------------------------------------------------------------------------------------

std::string text_of(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr) return {};
    if (value->is_string()) return std::string(value->get_string());
    if (value->is_int64()) return std::to_string(value->get_int64());
    if (value->is_uint64()) return std::to_string(value->get_uint64());
    return {};
}

std::int64_t int_of(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr) return 0;
    if (value->is_int64()) return value->get_int64();
    if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
    return 0;
}

Result<Decimal> money_of(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) return Decimal{};
    if (value->is_int64()) return Decimal::from_int(value->get_int64());
    if (value->is_string()) {
        if (value->get_string().empty()) return Decimal{};
        if (auto parsed = Decimal::parse(value->get_string())) return *parsed;
    }
    return invalid("field '" + std::string(key) +
                   "' is not a money amount: " + json::serialize(*value));
}

Result<std::optional<UtcTime>> gmt_date_of(const json::object& object, std::string_view key) {
    const std::string field = std::string(key) + "_gmt";
    const std::string text = text_of(object, field);
    if (text.empty()) return std::optional<UtcTime>{};
    auto parsed = parse_local(text, "UTC");
    if (!parsed) return invalid("field '" + field + "' is not a date: " + text);
    return std::optional<UtcTime>{*parsed};
}

std::string gmt_request_time(UtcTime t) {
    return format_local(std::chrono::floor<std::chrono::seconds>(t), "UTC", "%Y-%m-%dT%H:%M:%S")
        .value_or("1970-01-01T00:00:00");
}

std::optional<std::string> meta_value(const json::object& object, std::string_view key) {
    const auto* meta = object.if_contains("meta_data");
    if (meta == nullptr || !meta->is_array()) return std::nullopt;
    std::size_t seen = 0;
    for (const auto& entry : meta->as_array()) {
        if (++seen > kMetaEntriesMax) break;
        if (!entry.is_object() || text_of(entry.as_object(), "key") != key) continue;
        const auto* value = entry.as_object().if_contains("value");
        if (value == nullptr || value->is_null()) return std::string();
        if (value->is_string() || value->is_int64() || value->is_uint64()) {
            return text_of(entry.as_object(), "value");
        }
        return json::serialize(*value);
    }
    return std::nullopt;
}

// ---- Records -----------------------------------------------------------------------------------

Result<model::OrderStatus> order_status_from_text(std::string_view status) {
    using model::OrderStatus;
    if (status == "pending" || status == "checkout-draft") return OrderStatus::kPending;
    // A failed payment can still be paid again: the order waits like a pending one.
    if (status == "failed") return OrderStatus::kPending;
    if (status == "processing") return OrderStatus::kOpen;
    if (status == "on-hold") return OrderStatus::kOnHold;
    if (status == "completed") return OrderStatus::kCompleted;
    if (status == "cancelled" || status == "trash") return OrderStatus::kCancelled;
    if (status == "refunded") return OrderStatus::kRefunded;
    return invalid("unknown order status '" + std::string(status) + "'");
}

// The ids under refunds[] (Woo lists {id, reason, total} per refund on the order).
std::vector<std::string> refund_ids_of(const json::object& object) {
    std::vector<std::string> out;
    const json::value* listed = object.if_contains("refunds");
    if (listed == nullptr || !listed->is_array()) return out;
    for (const json::value& entry : listed->get_array()) {
        if (!entry.is_object()) continue;
        const std::string id = id_text(entry.get_object());
        if (!id.empty() && id != "0") out.push_back(id);
    }
    return out;
}

Result<model::Order> order_from_json(const json::object& object) {
    const std::string id = id_text(object);
    const std::string where = "reading WooCommerce order " + id;
    model::Order order;
    order.source = {std::string(kSystem), id, id};
    order.number = text_of(object, "number");
    if (order.number.empty()) order.number = id;
    order.source_status = text_of(object, "status");
    MLC_TRY_CTX(order.status, order_status_from_text(order.source_status), where);
    order.refund_ids = refund_ids_of(object);
    order.currency = text_of(object, "currency");
    if (const auto customer = int_of(object, "customer_id"); customer != 0) {
        order.customer_code = std::to_string(customer);  // 0 is a guest checkout.
    }
    order.bill_to = address_from_json(object_at(object, "billing"));
    order.ship_to = address_from_json(object_at(object, "shipping"));
    order.customer_email = order.bill_to.email;
    order.customer_name = order.bill_to.name;
    MLC_TRY_CTX(order.lines, lines_from_json(object, "order " + id), where);
    MLC_TRY_CTX(order.shipping_total, money_of(object, "shipping_total"), where);
    MLC_TRY_CTX(order.tax_total, money_of(object, "total_tax"), where);
    MLC_TRY_CTX(order.discount_total, money_of(object, "discount_total"), where);
    MLC_TRY_CTX(order.total, money_of(object, "total"), where);
    order.notes = text_of(object, "customer_note");
    if (const auto* shipping = object.if_contains("shipping_lines");
        shipping != nullptr && shipping->is_array() && !shipping->as_array().empty() &&
        shipping->as_array().front().is_object()) {
        order.requested_service = text_of(shipping->as_array().front().as_object(), "method_title");
    }
    MLC_TRY_CTX(const auto created, gmt_date_of(object, "date_created"), where);
    if (!created) return with_context(invalid("date_created_gmt is missing"), where);
    order.ordered_at = *created;
    MLC_TRY_CTX(order.paid_at, gmt_date_of(object, "date_paid"), where);
    MLC_TRY_CTX(const auto modified, gmt_date_of(object, "date_modified"), where);
    order.modified_at = modified.value_or(*created);
    return order;
}

Result<model::Refund> refund_from_json(const json::object& object, std::int64_t order_id,
                                       std::string_view currency) {
    const std::string id = id_text(object);
    const std::string where =
        "reading WooCommerce refund " + id + " of order " + std::to_string(order_id);
    model::Refund refund;
    refund.source = {std::string(kSystem), id, id};
    refund.order = {std::string(kSystem), std::to_string(order_id), std::to_string(order_id)};
    MLC_TRY_CTX(const Decimal amount, money_of(object, "amount"), where);
    refund.amount = amount.is_negative() ? -amount : amount;  // Positive: refunded to the customer.
    refund.currency = std::string(currency);
    refund.reason = text_of(object, "reason");
    MLC_TRY_CTX(auto lines, lines_from_json(object, "refund " + id), where);
    for (auto& line : lines) {
        // Refund lines carry negative quantities and totals (what goes back): report them
        // positive, as the refund's amount is.
        if (line.quantity.is_negative()) line.quantity = -line.quantity;
        if (line.unit_price.is_negative()) line.unit_price = -line.unit_price;
        if (line.tax.is_negative()) line.tax = -line.tax;
        line.discount = Decimal{};
    }
    refund.lines = std::move(lines);
    MLC_TRY_CTX(const auto created, gmt_date_of(object, "date_created"), where);
    if (!created) return with_context(invalid("date_created_gmt is missing"), where);
    refund.created_at = *created;
    return refund;
}

Result<model::Item> item_from_json(const json::object& object) {
    const std::string id = id_text(object);
    const std::string where = "reading WooCommerce product " + id;
    model::Item item;
    item.sku = text_of(object, "sku");
    item.source = {std::string(kSystem), item.sku.empty() ? id : item.sku, id};
    item.description = text_of(object, "name");
    MLC_TRY_CTX(item.unit_price, money_of(object, "regular_price"), where);
    if (const std::string weight = text_of(object, "weight"); !weight.empty()) {
        auto parsed = Decimal::parse(weight);
        if (!parsed) return with_context(invalid("weight is not a number: " + weight), where);
        item.weight = *parsed;
    }
    const auto* manage = object.if_contains("manage_stock");
    item.stocked = manage != nullptr && manage->is_bool() && manage->get_bool();
    if (item.stocked) {
        if (const auto* quantity = object.if_contains("stock_quantity");
            quantity != nullptr && quantity->is_int64()) {
            item.quantity_on_hand = Decimal::from_int(quantity->get_int64());
        }
    }
    item.active = text_of(object, "status") == "publish";
    item.revision = text_of(object, "date_modified_gmt");
    return item;
}

Result<model::Party> party_from_json(const json::object& object) {
    const std::string id = id_text(object);
    model::Party party;
    party.source = {std::string(kSystem), id, id};
    party.code = text_of(object, "username");
    const std::string first = text_of(object, "first_name");
    const std::string last = text_of(object, "last_name");
    party.name = first.empty() ? last : last.empty() ? first : first + " " + last;
    party.email = text_of(object, "email");
    party.billing = address_from_json(object_at(object, "billing"));
    party.shipping = address_from_json(object_at(object, "shipping"));
    MLC_TRY_CTX(party.modified_at, gmt_date_of(object, "date_modified"),
                "reading WooCommerce customer " + id);
    return party;
}

json::object product_to_json(const model::Item& item) {
    json::object out{{"name", item.description},
                     {"sku", item.sku},
                     // Woo's schema types prices as strings: a JSON number is refused.
                     {"regular_price", item.unit_price.to_string(2)},
                     {"status", item.active ? "publish" : "draft"}};
    if (item.quantity_on_hand) {
        out["manage_stock"] = true;
        // Woo counts stock in whole units.
        out["stock_quantity"] = static_cast<std::int64_t>(item.quantity_on_hand->units() /
                                                          Decimal::from_int(1).units());
    } else {
        // No quantity known (the ERP has none to give): Woo does not count stock and shows the
        // status instead; an inactive part is out of stock, a non-stock (made or bought to
        // order) part is on backorder.
        out["manage_stock"] = false;
        out["stock_status"] =
            !item.active ? "outofstock" : (item.stocked ? "instock" : "onbackorder");
    }
    if (item.weight) out["weight"] = item.weight->to_string();
    return out;
}

json::object customer_to_json(const model::Party& party, bool with_username) {
    const auto [first, last] = split_name(party.name);
    json::object out{{"email", party.email}, {"first_name", first}, {"last_name", last}};
    if (with_username && !party.code.empty()) out["username"] = party.code;
    model::Address billing = party.billing;
    if (billing.email.empty()) billing.email = party.email;
    out["billing"] = address_to_json(billing, true);
    out["shipping"] = address_to_json(party.shipping, false);
    return out;
}

Result<Page<model::Order>> orders_from_answer(const json::value& answer) {
    return page_from_answer<model::Order>(answer, "order", order_from_json);
}

Result<Page<model::Item>> products_from_answer(const json::value& answer) {
    return page_from_answer<model::Item>(answer, "product", item_from_json);
}

Result<Page<model::Party>> customers_from_answer(const json::value& answer) {
    return page_from_answer<model::Party>(answer, "customer", party_from_json);
}

}  // namespace mlc::connectors::woocommerce

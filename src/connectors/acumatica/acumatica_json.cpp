#include "connectors/acumatica/acumatica_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "common/time.hpp"

namespace mlc::connectors::acumatica {
namespace json = boost::json;
namespace {

const json::array kNoRows;

Error invalid(std::string message) {
    return make_error(ErrorCode::kInvalidInput, "acumatica", std::move(message));
}

const json::value* value_field(const json::object& record, std::string_view name) {
    const json::value* field = record.if_contains(name);
    if (field == nullptr || !field->is_object()) return nullptr;
    const json::value* value = field->get_object().if_contains("value");
    return value == nullptr || value->is_null() ? nullptr : value;
}

const json::object& linked(const json::object& record, std::string_view name) {
    static const json::object kNone;
    const json::value* value = record.if_contains(name);
    return value != nullptr && value->is_object() ? value->get_object() : kNone;
}

std::string text_or(const json::object& record, std::string_view name) {
    return field_text(record, name).value_or("");
}

model::Address address_of(const json::object& address, const json::object& contact) {
    model::Address out;
    out.company = text_or(contact, "BusinessName");
    out.name = text_or(contact, "Attention");
    if (out.name.empty()) out.name = out.company;
    out.email = text_or(contact, "Email");
    out.phone = text_or(contact, "Phone1");
    out.street1 = text_or(address, "AddressLine1");
    out.street2 = text_or(address, "AddressLine2");
    out.city = text_or(address, "City");
    out.state = text_or(address, "State");
    out.postal_code = text_or(address, "PostalCode");
    out.country = text_or(address, "Country");
    return out;
}

model::OrderStatus status_of(const std::string& status, const json::object& order) {
    if (status == "Cancelled") return model::OrderStatus::kCancelled;
    if (status == "Completed") return model::OrderStatus::kCompleted;
    if (field_bool(order, "Hold").value_or(false) || status == "On Hold" ||
        status == "Credit Hold") {
        return model::OrderStatus::kOnHold;
    }
    if (!field_bool(order, "Approved").value_or(true) || status == "Pending Approval") {
        return model::OrderStatus::kPending;
    }
    return model::OrderStatus::kOpen;
}

Result<std::vector<model::OrderLine>> lines_of(const json::object& order) {
    std::vector<model::OrderLine> out;
    for (const json::value& row : rows_of(order, "Details")) {
        if (!row.is_object()) return invalid("a Details row is not an object");
        const json::object& line = row.get_object();
        model::OrderLine mapped;
        mapped.line_key = text_or(line, "LineNbr");
        mapped.sku = text_or(line, "InventoryID");
        mapped.description = text_or(line, "LineDescription");
        MLC_TRY(mapped.quantity, field_decimal(line, "OrderQty"));
        MLC_TRY(mapped.unit_price, field_decimal(line, "UnitPrice"));
        out.push_back(std::move(mapped));
    }
    return out;
}

}  // namespace

std::optional<std::string> field_text(const json::object& record, std::string_view name) {
    const json::value* value = value_field(record, name);
    if (value == nullptr) return std::nullopt;
    if (value->is_string()) {
        if (value->get_string().empty()) return std::nullopt;
        return std::string(value->get_string());
    }
    if (value->is_int64()) return std::to_string(value->get_int64());
    if (value->is_uint64()) return std::to_string(value->get_uint64());
    if (value->is_bool()) return value->get_bool() ? "true" : "false";
    return std::nullopt;
}

std::optional<bool> field_bool(const json::object& record, std::string_view name) {
    const json::value* value = value_field(record, name);
    if (value == nullptr || !value->is_bool()) return std::nullopt;
    return value->get_bool();
}

Result<Decimal> field_decimal(const json::object& record, std::string_view name) {
    const auto text = field_text(record, name);
    if (!text) return Decimal{};
    auto parsed = Decimal::parse(*text);
    if (!parsed) return invalid(std::string(name) + " '" + *text + "' is not a decimal");
    return *parsed;
}

Result<std::optional<UtcTime>> field_time(const json::object& record, std::string_view name) {
    const auto text = field_text(record, name);
    if (!text) return std::optional<UtcTime>();
    auto parsed = parse_iso8601(*text);
    if (!parsed) {
        // Offset-free: the instance's zone, UTC (acumatica.md: the sandbox answers +00:00).
        parsed = parse_iso8601(*text + "Z");
    }
    if (!parsed) return invalid(std::string(name) + " '" + *text + "' is not a date-time");
    return std::optional<UtcTime>(*parsed);
}

json::object value_of(json::value v) { return json::object{{"value", std::move(v)}}; }

const json::array& rows_of(const json::object& record, std::string_view name) {
    const json::value* rows = record.if_contains(name);
    return rows != nullptr && rows->is_array() ? rows->get_array() : kNoRows;
}

std::string order_key(std::string_view type, std::string_view nbr) {
    return std::string(type) + std::string(nbr);
}

Result<model::Order> order_from_json(const json::object& order) {
    const std::string type = text_or(order, "OrderType");
    const std::string nbr = text_or(order, "OrderNbr");
    if (type.empty() || nbr.empty()) return invalid("a sales order without OrderType/OrderNbr");
    model::Order out;
    out.source = {.system = "acumatica", .key = order_key(type, nbr), .id = type + "/" + nbr};
    out.number = nbr;
    out.source_status = text_or(order, "Status");
    out.status = status_of(out.source_status, order);
    out.currency = field_text(order, "CurrencyID").value_or("USD");
    out.customer_code = text_or(order, "CustomerID");
    out.ship_to = address_of(linked(order, "ShipToAddress"), linked(order, "ShipToContact"));
    out.bill_to = address_of(linked(order, "BillToAddress"), linked(order, "BillToContact"));
    if (out.bill_to.street1.empty()) out.bill_to = out.ship_to;
    out.customer_email = out.bill_to.email.empty() ? out.ship_to.email : out.bill_to.email;
    out.customer_name = out.bill_to.company.empty() ? out.ship_to.company : out.bill_to.company;
    MLC_TRY(out.lines, lines_of(order));
    MLC_TRY(out.total, field_decimal(order, "OrderTotal"));
    MLC_TRY(out.tax_total, field_decimal(order, "TaxTotal"));
    out.notes = text_or(order, "Description");
    out.requested_service = text_or(order, "ShipVia");
    MLC_TRY(const auto date, field_time(order, "Date"));
    MLC_TRY(const auto modified, field_time(order, "LastModified"));
    MLC_TRY(const auto requested, field_time(order, "RequestedOn"));
    if (!modified) return invalid("sales order " + type + "/" + nbr + " has no LastModified");
    out.modified_at = *modified;
    out.ordered_at = date.value_or(*modified);
    out.ship_by = requested;
    return out;
}

Result<Page<model::Order>> orders_from_json(const json::value& answer) {
    if (!answer.is_array()) return invalid("the GET SalesOrder answer is not an array");
    Page<model::Order> page;
    for (const json::value& entry : answer.get_array()) {
        const std::string raw = json::serialize(entry);
        if (!entry.is_object()) {
            page.rejected.push_back({.key = {}, .raw = raw, .error = invalid("not an object")});
            continue;
        }
        auto order = order_from_json(entry.get_object());
        if (!order) {
            const json::object& o = entry.get_object();
            page.rejected.push_back(
                {.key = "sales order " + text_or(o, "OrderType") + "/" + text_or(o, "OrderNbr"),
                 .raw = raw,
                 .error = std::move(order).error()});
            continue;
        }
        page.items.push_back({std::move(*order), raw});
    }
    page.total = page.items.size() + page.rejected.size();
    return page;
}

}  // namespace mlc::connectors::acumatica

#include "connectors/epicor/epicor_json.hpp"

#include <cctype>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/exact_json.hpp"
#include "common/time.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

Error bad_field(std::string_view field, const json::value& value) {
    return make_error(ErrorCode::kInvalidInput, "epicor",
                      "field " + std::string(field) +
                          " is not a decimal: " + json::serialize(value).substr(0, 64));
}

model::OrderStatus status_of(const json::object& head) {
    if (bool_of(head, "VoidOrder")) return model::OrderStatus::kCancelled;
    if (bool_of(head, "OrderHeld")) return model::OrderStatus::kOnHold;
    if (!bool_of(head, "OpenOrder")) return model::OrderStatus::kCompleted;
    return model::OrderStatus::kOpen;
}

}  // namespace

const NameSet& decimal_fields() {
    static const NameSet kFields = [] {
        NameSet names{"UnitPrice",        "DocUnitPrice",  "SellingQuantity",     "OrderQty",
                      "DocExtPriceDtl",   "DocTotalOrder", "OurReqQty",           "SellingReqQty",
                      "Weight",           "PkgWeight",     "OurInventoryShipQty", "NetWeight",
                      "GrossWeight",      "PartLength",    "PartWidth",           "PartHeight",
                      "ipSellingQuantity"};
        for (int i = 1; i <= 20; ++i) {
            names.insert((i < 10 ? "Number0" : "Number") + std::to_string(i));
        }
        return names;
    }();
    return kFields;
}

Result<json::value> parse_exact(std::string_view text) {
    return parse_exact_json(text, kBodyBytesMax, "epicor", "answer");
}

std::string write_exact(const json::value& value) {
    return write_exact_json(value, decimal_fields());
}

std::string text_of(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t int_of(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    if (v == nullptr) return 0;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    return 0;
}

bool bool_of(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    return v != nullptr && v->is_bool() && v->get_bool();
}

Result<Decimal> decimal_of(const json::object& row, std::string_view field) {
    const json::value* v = row.if_contains(field);
    if (v == nullptr || v->is_null()) return Decimal{};
    if (v->is_int64()) return Decimal::from_int(v->get_int64());
    if (v->is_string()) {
        if (auto d = Decimal::parse(v->get_string())) return *d;
    }
    return bad_field(field, *v);
}

Result<std::optional<UtcTime>> date_of(const json::object& row, std::string_view field,
                                       std::string_view zone) {
    const std::string text = text_of(row, field);
    if (text.empty()) return std::optional<UtcTime>{};
    MLC_TRY_CTX(UtcTime t, parse_local(text, zone), "reading Epicor field " + std::string(field));
    return std::optional<UtcTime>{t};
}

Result<std::string> format_epicor_datetime(UtcTime t, std::string_view zone) {
    return format_local(t, zone, "%Y-%m-%dT%H:%M:%S");
}

Result<std::string> format_epicor_date(UtcTime t, std::string_view zone) {
    return format_local(t, zone, "%Y-%m-%dT00:00:00");
}

Result<model::Party> party_from_customer(const json::object& row, std::string_view zone) {
    model::Party party;
    party.source = {.system = "epicor",
                    .key = text_of(row, "CustID"),
                    .id = std::to_string(int_of(row, "CustNum"))};
    party.code = text_of(row, "CustID");
    party.name = text_of(row, "Name");
    party.email = text_of(row, "EMailAddress");
    model::Address address{.name = party.name,
                           .company = party.name,
                           .street1 = text_of(row, "Address1"),
                           .street2 = text_of(row, "Address2"),
                           .street3 = text_of(row, "Address3"),
                           .city = text_of(row, "City"),
                           .state = text_of(row, "State"),
                           .postal_code = text_of(row, "Zip"),
                           .country = text_of(row, "Country"),
                           .phone = text_of(row, "PhoneNum"),
                           .email = party.email};
    party.billing = address;
    party.shipping = address;
    // ChangeDate is the day of the last change; ChangeTime its seconds since midnight (spec).
    MLC_TRY(std::optional<UtcTime> changed, date_of(row, "ChangeDate", zone));
    if (changed) *changed += std::chrono::seconds{int_of(row, "ChangeTime")};
    party.modified_at = changed;
    return party;
}

Result<model::Item> item_from_part(const json::object& row) {
    model::Item item;
    item.source = {.system = "epicor", .key = text_of(row, "PartNum"), .id = ""};
    item.sku = text_of(row, "PartNum");
    item.description = text_of(row, "PartDescription");
    MLC_TRY(item.unit_price, decimal_of(row, "UnitPrice"));
    if (row.contains("NetWeight")) {
        MLC_TRY(Decimal weight, decimal_of(row, "NetWeight"));
        item.weight = weight;
        std::string unit = text_of(row, "NetWeightUOM");
        for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        item.weight_unit = unit;
    }
    item.active = !bool_of(row, "InActive");
    item.stocked = !bool_of(row, "NonStock");
    item.revision = std::to_string(int_of(row, "SysRevID"));
    return item;
}

Result<model::Order> order_from_rows(const json::object& head, const json::array& lines,
                                     std::string_view source_key_field, std::string_view zone) {
    model::Order order;
    const std::int64_t order_num = int_of(head, "OrderNum");
    order.source = {.system = "epicor", .key = std::to_string(order_num), .id = ""};
    order.number = text_of(head, source_key_field);
    order.status = status_of(head);
    if (!text_of(head, "CurrencyCode").empty()) order.currency = text_of(head, "CurrencyCode");
    order.customer_code = text_of(head, "CustomerCustID");
    order.customer_name = text_of(head, "CustomerName");
    order.ship_to.name = text_of(head, "OTSName");
    order.ship_to.street1 = text_of(head, "OTSAddress1");
    order.ship_to.street2 = text_of(head, "OTSAddress2");
    order.ship_to.street3 = text_of(head, "OTSAddress3");
    order.ship_to.city = text_of(head, "OTSCity");
    order.ship_to.state = text_of(head, "OTSState");
    order.ship_to.postal_code = text_of(head, "OTSZIP");
    order.ship_to.phone = text_of(head, "OTSPhoneNum");
    MLC_TRY(order.total, decimal_of(head, "DocTotalOrder"));
    MLC_TRY(std::optional<UtcTime> ordered, date_of(head, "OrderDate", zone));
    order.ordered_at = ordered.value_or(UtcTime{});
    MLC_TRY(order.ship_by, date_of(head, "RequestDate", zone));
    MLC_TRY(std::optional<UtcTime> changed, date_of(head, "ChangeDate", zone));
    if (changed) order.modified_at = *changed + std::chrono::seconds{int_of(head, "ChangeTime")};
    order.requested_service = text_of(head, "ShipViaCode");
    for (const json::value& value : lines) {
        if (!value.is_object()) continue;
        const json::object& line = value.get_object();
        if (bool_of(line, "VoidLine")) continue;
        model::OrderLine out;
        out.line_key = std::to_string(int_of(line, "OrderLine"));
        out.sku = text_of(line, "PartNum");
        out.description = text_of(line, "LineDesc");
        MLC_TRY(out.quantity, decimal_of(line, "SellingQuantity"));
        MLC_TRY(out.unit_price, decimal_of(line, "DocUnitPrice"));
        order.lines.push_back(std::move(out));
    }
    return order;
}

Result<json::object> order_header_fields(const model::Order& order,
                                         std::string_view source_key_field, std::string_view zone) {
    json::object fields;
    fields[source_key_field] = order.source.key;
    if (order.ordered_at != UtcTime{}) {
        MLC_TRY(fields["OrderDate"], format_epicor_date(order.ordered_at, zone));
    }
    if (order.ship_by) {
        MLC_TRY(std::string by, format_epicor_date(*order.ship_by, zone));
        fields["RequestDate"] = by;
        fields["NeedByDate"] = by;
    }
    // One-time ship-to (OTS*): the buyer's address for this order only.
    const model::Address& to = order.ship_to;
    if (!to.street1.empty() || !to.name.empty()) {
        fields["OTSName"] = to.name.empty() ? to.company : to.name;
        fields["OTSAddress1"] = to.street1;
        fields["OTSAddress2"] = to.street2;
        fields["OTSAddress3"] = to.street3;
        fields["OTSCity"] = to.city;
        fields["OTSState"] = to.state;
        fields["OTSZIP"] = to.postal_code;
        fields["OTSPhoneNum"] = to.phone;
    }
    return fields;
}

}  // namespace mlc::connectors::epicor

#include "flows/shipstation_epicor/e2e/sandbox_views.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "net/hmac.hpp"

namespace mlc::flows::shipstation_epicor::e2e {
namespace {

namespace json = boost::json;

Error view_error(std::string system, std::string message) {
    return make_error(ErrorCode::kInternal, std::move(system), std::move(message));
}

Result<json::value> parse_body(const net::HttpResponse& response, const std::string& system) {
    if (response.status != 200) {
        return view_error(system, "sandbox answered " + std::to_string(response.status) + ": " +
                                      response.body.substr(0, 200));
    }
    boost::system::error_code ec;
    json::value parsed = json::parse(response.body, ec);
    if (ec) return view_error(system, "sandbox answer is not JSON: " + ec.message());
    return parsed;
}

std::string text(const json::object& object, std::string_view field) {
    const json::value* value = object.if_contains(field);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// Exact for the values the sandboxes write (at most 6 decimals, far below 2^53): a JSON number
// read as double is printed back at Decimal's scale and parsed, so no money is compared as double.
Decimal decimal(const json::value* value) {
    if (value == nullptr || value->is_null()) return Decimal();
    if (value->is_int64()) return Decimal::from_int(value->get_int64());
    if (value->is_uint64())
        return Decimal::from_int(static_cast<std::int64_t>(value->get_uint64()));
    if (value->is_string()) return Decimal::parse(value->get_string()).value_or(Decimal());
    if (value->is_double()) {
        return Decimal::parse(fmt::format("{:.{}f}", value->get_double(), Decimal::kScale))
            .value_or(Decimal());
    }
    return Decimal();
}

std::int64_t integer(const json::object& object, std::string_view field) {
    const json::value* value = object.if_contains(field);
    if (value == nullptr) return 0;
    if (value->is_int64()) return value->get_int64();
    if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
    return 0;
}

bool flag(const json::object& object, std::string_view field) {
    const json::value* value = object.if_contains(field);
    return value != nullptr && value->is_bool() && value->get_bool();
}

ShipStationOrder shipstation_order(const json::object& raw) {
    ShipStationOrder order;
    order.id = std::to_string(integer(raw, "orderId"));
    order.key = text(raw, "orderKey");
    order.status = text(raw, "orderStatus");
    order.email = text(raw, "customerEmail");
    if (const json::value* ship_to = raw.if_contains("shipTo"); ship_to && ship_to->is_object()) {
        order.ship_to_name = text(ship_to->get_object(), "name");
    }
    if (const json::value* items = raw.if_contains("items"); items && items->is_array()) {
        for (const json::value& item : items->get_array()) {
            if (!item.is_object()) continue;
            const json::object& line = item.get_object();
            if (flag(line, "adjustment")) continue;  // V1 adjustment lines carry no SKU.
            order.lines.push_back(LineView{.part = text(line, "sku"),
                                           .quantity = decimal(line.if_contains("quantity")),
                                           .unit_price = decimal(line.if_contains("unitPrice"))});
        }
    }
    std::sort(order.lines.begin(), order.lines.end());
    return order;
}

Result<json::object> epicor_tables(sandbox::SandboxHost& host) {
    net::HttpRequest request;
    request.method = "GET";
    request.url = "/__sandbox/state";
    MLC_TRY(json::value state, parse_body(host.handle("epicor", request), "epicor"));
    if (!state.is_object() || !state.get_object().contains("tables")) {
        return view_error("epicor", "sandbox state has no tables");
    }
    return state.get_object().at("tables").as_object();
}

const json::array& rows(const json::object& tables, std::string_view table) {
    static const json::array kEmpty;
    const json::value* found = tables.if_contains(table);
    return found != nullptr && found->is_array() ? found->get_array() : kEmpty;
}

constexpr int kRateWindowWaitsMax = 3;  // One wait always opens a new window; 3 is plenty.

net::HttpResponse vendor_get(sandbox::SandboxHost& host, std::string url) {
    const json::object ports = host.ports();
    const json::object& info = ports.at("shipstation").as_object();
    const std::string credentials = std::string(info.at("api_key").as_string()) + ":" +
                                    std::string(info.at("api_secret").as_string());
    net::HttpRequest request;
    request.method = "GET";
    request.url = std::move(url);
    net::set_header(request.headers, "Authorization", "Basic " + net::base64_encode(credentials));
    for (int wait = 0;; ++wait) {  // Bounded by kRateWindowWaitsMax.
        net::HttpResponse response = host.handle("shipstation", request);
        if (response.status != 429 || wait == kRateWindowWaitsMax) return response;
        // A view reads every page at once: past 40 pages ShipStation refuses the rest of the
        // minute. Only the emulator's clock moves past the window; the flow's clock stays.
        net::HttpRequest advance;
        advance.method = "POST";
        advance.url = std::string(sandbox::SandboxHost::kControlPrefix) + "clock";
        advance.body = R"({"advance_seconds": 60})";
        host.handle("shipstation", advance);
    }
}

}  // namespace

Result<std::map<std::string, std::vector<std::string>>> shipstation_tracking(
    sandbox::SandboxHost& host) {
    std::map<std::string, std::vector<std::string>> out;
    for (std::uint32_t page = 1; page <= kViewPagesMax; ++page) {
        MLC_TRY(json::value body,
                parse_body(vendor_get(host, "/shipments?pageSize=500&page=" + std::to_string(page)),
                           "shipstation"));
        const json::object& listing = body.as_object();
        for (const json::value& value : listing.at("shipments").as_array()) {
            const json::object& shipment = value.as_object();
            if (flag(shipment, "voided")) continue;
            out[text(shipment, "orderKey")].push_back(text(shipment, "trackingNumber"));
        }
        if (integer(listing, "page") >= integer(listing, "pages")) {
            for (auto& [key, numbers] : out) std::sort(numbers.begin(), numbers.end());
            return out;
        }
    }
    return view_error("shipstation", "more than " + std::to_string(kViewPagesMax) + " pages");
}

Result<std::vector<ShipStationOrder>> shipstation_orders(sandbox::SandboxHost& host) {
    std::vector<ShipStationOrder> out;
    for (std::uint32_t page = 1; page <= kViewPagesMax; ++page) {
        // By orderId (no sortBy), so pages never shift under ties.
        MLC_TRY(json::value body,
                parse_body(vendor_get(host, "/orders?pageSize=500&page=" + std::to_string(page)),
                           "shipstation"));
        const json::object& listing = body.as_object();
        for (const json::value& order : listing.at("orders").as_array()) {
            out.push_back(shipstation_order(order.as_object()));
        }
        if (integer(listing, "page") >= integer(listing, "pages")) return out;
    }
    return view_error("shipstation", "more than " + std::to_string(kViewPagesMax) + " pages");
}

Result<std::set<std::int64_t>> epicor_order_nums(sandbox::SandboxHost& host) {
    MLC_TRY(json::object tables, epicor_tables(host));
    std::set<std::int64_t> out;
    for (const json::value& row : rows(tables, "OrderHed")) {
        out.insert(integer(row.as_object(), "OrderNum"));
    }
    return out;
}

Result<EpicorView> epicor_view(sandbox::SandboxHost& host, const std::set<std::int64_t>& baseline) {
    MLC_TRY(json::object tables, epicor_tables(host));
    std::map<std::int64_t, std::string> cust_ids;  // CustNum -> CustID
    for (const json::value& row : rows(tables, "Customer")) {
        cust_ids[integer(row.as_object(), "CustNum")] = text(row.as_object(), "CustID");
    }
    std::map<std::int64_t, EpicorOrder> orders;  // OrderNum -> order
    std::map<std::int64_t, std::string> keys;    // OrderNum -> PONum
    for (const json::value& value : rows(tables, "OrderHed")) {
        const json::object& row = value.as_object();
        const std::int64_t num = integer(row, "OrderNum");
        if (baseline.contains(num)) continue;
        EpicorOrder& order = orders[num];
        order.order_num = num;
        order.cust_id = cust_ids[integer(row, "CustNum")];
        order.void_order = flag(row, "VoidOrder");
        order.open_order = flag(row, "OpenOrder");
        order.ship_to_name = text(row, "OTSName");
        keys[num] = text(row, "PONum");
    }
    EpicorView view;
    for (const json::value& value : rows(tables, "OrderDtl")) {
        const json::object& row = value.as_object();
        auto found = orders.find(integer(row, "OrderNum"));
        if (found == orders.end()) continue;
        found->second.lines.push_back(
            LineView{.part = text(row, "PartNum"),
                     .quantity = decimal(row.if_contains("OrderQty")),
                     .unit_price = decimal(row.if_contains("UnitPrice"))});
        ++view.lines;
    }
    for (const json::value& value : rows(tables, "ShipHead")) {
        const json::object& row = value.as_object();
        auto found = orders.find(integer(row, "OrderNum"));
        if (found != orders.end()) found->second.tracking.push_back(text(row, "TrackingNumber"));
    }
    for (auto& [num, order] : orders) {
        std::sort(order.lines.begin(), order.lines.end());
        std::sort(order.tracking.begin(), order.tracking.end());
        view.by_key[keys[num]].push_back(std::move(order));
        ++view.orders;
    }
    for (const auto& [key, under] : view.by_key) {
        if (under.size() > 1) view.duplicated_keys.push_back(key);
    }
    return view;
}

}  // namespace mlc::flows::shipstation_epicor::e2e

// ShipStation V2 (../shared/specs/shipstation-v2/openapi.yaml) over the same account the V1 routes
// serve: a V1 order is a V2 shipment ("se-<orderId>", external_shipment_id = orderKey) and a V1
// shipment is a V2 label ("se-<shipmentId>"), as ShipStation's legacy-migration guide maps the
// ids, so a label made through V1 (or the control API) is listed here at once.
//
// Served: GET /v2/labels (label_status, tracking_number, shipment_id, service_code, batch_id,
// created_at_start/end, sort_by created_at|modified_at, sort_dir asc|desc, page, page_size;
// newest first by default, 25 a page, `links` first/last/prev/next), GET /v2/labels/{label_id},
// GET /v2/shipments/{shipment_id}, GET /v2/shipments/external_shipment_id/{id}. Auth: header
// `API-Key`; 200 requests a minute, then 429 with Retry-After. Errors are V2 error bodies
// {request_id, errors: [{error_source, error_type, error_code, message}]}.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"
#include "sandbox/shipstation/shipstation_format.hpp"

namespace mlc::sandbox::shipstation {
namespace {

namespace json = boost::json;
constexpr std::size_t kExternalIdMax = 50;  // V2 cuts external ids to 50 characters.

std::optional<std::int64_t> to_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// "se-123" -> 123.
std::optional<std::int64_t> se_number(std::string_view id) {
    if (!id.starts_with("se-")) return std::nullopt;
    return to_int(id.substr(3));
}

std::string se_id(std::int64_t number) { return "se-" + std::to_string(number); }

// "2018-09-23T15:00:00.000Z".
std::string v2_time(UtcTime t) {
    return format_local(t, "UTC", "%Y-%m-%dT%H:%M:%S", 3).value_or("") + "Z";
}

std::string text_of(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string())
                                                  : std::string();
}

json::value nullable(std::string text) {
    return text.empty() ? json::value(nullptr) : json::value(std::move(text));
}

json::object amount(const Decimal& value) {
    return json::object{{"currency", "usd"}, {"amount", money(value)}};
}

// The paging parameters of a V2 list.
struct V2Paging {
    std::int64_t page = 1;
    std::int64_t page_size = ShipStationEmulator::kV2PageSizeDefault;
    bool ascending = false;  // V2 lists newest first unless asked.
    std::string sort_by = "created_at";
    UtcTime from = UtcTime::min();
    UtcTime to = UtcTime::max();
    std::string error;
};

void read_paging(V2Paging& paging, const std::string& key, const std::string& value) {
    if (key == "page" || key == "page_size") {
        const auto number = to_int(value);
        const std::int64_t max = key == "page" ? std::numeric_limits<std::int64_t>::max()
                                               : ShipStationEmulator::kV2PageSizeMax;
        if (!number || *number < 1 || *number > max) {
            paging.error = key + " must be an integer from 1 to " +
                           (key == "page" ? std::string("the last page") : std::to_string(max));
            return;
        }
        (key == "page" ? paging.page : paging.page_size) = *number;
    } else if (key == "sort_dir") {
        if (value != "asc" && value != "desc") paging.error = "sort_dir must be asc or desc";
        paging.ascending = value == "asc";
    } else if (key == "sort_by") {
        if (value != "created_at" && value != "modified_at")
            paging.error = "sort_by must be created_at or modified_at";
        paging.sort_by = value;
    } else if (key == "created_at_start" || key == "created_at_end") {
        auto at = parse_iso8601(value);
        if (!at || value.size() < 20) {  // A date-time with its offset, not a date.
            paging.error = key + " must be an ISO 8601 date-time ('" + value + "')";
            return;
        }
        (key == "created_at_start" ? paging.from : paging.to) = *at;
    }
}

// {first, last, prev, next}: every page's href, prev/next empty objects at the ends.
json::object links(const std::string& base, const net::HttpRequest& request, std::int64_t page,
                   std::int64_t pages) {
    auto href = [&](std::int64_t number) {
        std::string url = base + net::url_path(request.url);
        char separator = '?';
        for (const auto& [key, value] : net::url_query(request.url)) {
            if (key == "page") continue;
            url += separator + net::url_encode(key) + "=" + net::url_encode(value);
            separator = '&';
        }
        return json::object{{"href", url + separator + "page=" + std::to_string(number)}};
    };
    const std::int64_t last = std::max<std::int64_t>(pages, 1);
    return json::object{{"first", href(1)},
                        {"last", href(last)},
                        {"prev", page > 1 ? href(std::min(page - 1, last)) : json::object{}},
                        {"next", page < pages ? href(page + 1) : json::object{}}};
}

}  // namespace

net::HttpResponse ShipStationEmulator::v2_error(int status, std::string_view type,
                                                std::string_view code, std::string message) {
    char request_id[40];
    std::snprintf(request_id, sizeof request_id, "00000000-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(v2_requests_));
    json::object error{{"error_source", "ShipStation"},
                       {"error_type", type},
                       {"error_code", code},
                       {"message", std::move(message)}};
    return net::json_response(
        status, json::serialize(json::object{{"request_id", request_id},
                                             {"errors", json::array{std::move(error)}}}));
}

net::HttpResponse ShipStationEmulator::handle_v2(const net::HttpRequest& request) {
    ++v2_requests_;
    const auto key = net::find_header(request.headers, "API-Key");
    if (revoked_ || !key || *key != api_key_v2()) {
        return v2_error(401, "security", "unauthorized",
                        "The API key is invalid. Please see https://www.shipstation.com/docs/api/");
    }
    const UtcTime now = context_.clock.now();
    if (v2_window_count_ == 0 || now < v2_window_start_ || now >= v2_window_start_ + kRateWindow) {
        v2_window_start_ = now;
        v2_window_count_ = 0;
    }
    if (++v2_window_count_ > kV2RequestsPerWindow) {
        const auto wait =
            std::chrono::ceil<std::chrono::seconds>(v2_window_start_ + kRateWindow - now);
        net::HttpResponse refused =
            v2_error(429, "system", "rate_limit_exceeded", "You have exceeded the rate limit.");
        net::set_header(refused.headers, "Retry-After", std::to_string(wait.count()));
        return refused;
    }
    const std::string path = net::url_path(request.url);
    if (request.method != "GET") {
        return v2_error(404, "validation", "invalid_identifier",
                        request.method + " " + path + " is not served by this sandbox");
    }
    if (path == "/v2/labels") return v2_list_labels(request);
    if (path.starts_with("/v2/labels/")) return v2_label(std::string_view(path).substr(11));
    constexpr std::string_view kByExternal = "/v2/shipments/external_shipment_id/";
    if (path.starts_with(kByExternal))
        return v2_shipment(std::string_view(path).substr(kByExternal.size()), true);
    if (path.starts_with("/v2/shipments/"))
        return v2_shipment(std::string_view(path).substr(14), false);
    return v2_error(404, "validation", "invalid_identifier", "No resource matches " + path);
}

json::object ShipStationEmulator::render_label(const ShipmentRow& shipment) const {
    const OrderRow* row = const_cast<ShipStationEmulator*>(this)->find_order(shipment.order_id);
    std::string external = row != nullptr ? order_key_of(*row) : std::string();
    if (external.size() > kExternalIdMax) external.resize(kExternalIdMax);
    const std::string id = se_id(shipment.id);
    const std::string download = base_url_ + "/v2/downloads/10/" + id + "/label-" + id;
    return {
        {"label_id", id},
        {"status", shipment.voided ? "voided" : "completed"},
        {"shipment_id", se_id(shipment.order_id)},
        {"external_shipment_id", nullable(external)},
        {"external_order_id", nullptr},
        {"ship_date", date_only(shipment.ship) + "T00:00:00Z"},
        {"created_at", v2_time(shipment.create)},
        {"shipment_cost", amount(shipment.cost)},
        {"insurance_cost", amount(Decimal())},
        {"tracking_number", shipment.tracking},
        {"is_return_label", false},
        {"rma_number", nullptr},
        {"is_international", false},
        {"batch_id", shipment.batch == 0 ? std::string() : se_id(shipment.batch)},
        {"carrier_id", "se-" + std::to_string(shipment.carrier.size() * 1000 + 17)},
        {"service_code", shipment.service},
        {"package_code", "package"},
        {"voided", shipment.voided},
        {"voided_at", shipment.voided ? json::value(v2_time(shipment.void_time)) : nullptr},
        {"label_format", "pdf"},
        {"display_scheme", "label"},
        {"label_layout", "4x6"},
        {"trackable", true},
        {"label_image_id", nullptr},
        {"carrier_code", shipment.carrier},
        {"confirmation", "none"},
        {"tracking_status", "in_transit"},
        {"label_download", json::object{{"href", download + ".pdf"}, {"pdf", download + ".pdf"}}},
        {"form_download", nullptr},
        {"insurance_claim", nullptr},
        {"packages", json::array{}},
        {"charge_event", "carrier_default"}};
}

net::HttpResponse ShipStationEmulator::v2_list_labels(const net::HttpRequest& request) {
    V2Paging paging;
    std::map<std::string, std::string> filters;
    for (const auto& [key, value] : net::url_query(request.url)) {
        read_paging(paging, key, value);
        if (key == "label_status" && value != "processing" && value != "completed" &&
            value != "error" && value != "voided") {
            paging.error = "label_status must be processing, completed, error or voided";
        }
        for (const auto* name :
             {"label_status", "tracking_number", "shipment_id", "service_code", "batch_id"}) {
            if (key == name) filters[key] = value;
        }
    }
    if (!paging.error.empty())
        return v2_error(400, "validation", "invalid_field_value", paging.error);
    std::vector<const ShipmentRow*> matches;
    for (const auto& shipment : shipments_) {  // Bounded by the shipment count.
        if (shipment.create < paging.from || shipment.create > paging.to) continue;
        bool keep = true;
        for (const auto& [key, value] : filters) {
            if (key == "label_status")
                keep = keep && value == (shipment.voided ? "voided" : "completed");
            if (key == "tracking_number") keep = keep && shipment.tracking == value;
            if (key == "shipment_id") keep = keep && se_id(shipment.order_id) == value;
            if (key == "service_code") keep = keep && shipment.service == value;
            if (key == "batch_id") keep = keep && se_id(shipment.batch) == value;
        }
        if (keep) matches.push_back(&shipment);
    }
    const bool by_modified = paging.sort_by == "modified_at";
    auto key = [by_modified](const ShipmentRow* s) {
        return by_modified && s->voided ? s->void_time : s->create;
    };
    std::stable_sort(matches.begin(), matches.end(),
                     [&](const ShipmentRow* a, const ShipmentRow* b) {
                         if (key(a) != key(b))
                             return paging.ascending ? key(a) < key(b) : key(a) > key(b);
                         return paging.ascending ? a->id < b->id : a->id > b->id;
                     });
    const auto total = static_cast<std::int64_t>(matches.size());
    const std::int64_t pages = (total + paging.page_size - 1) / paging.page_size;
    json::array page;
    for (std::int64_t i = (paging.page - 1) * paging.page_size;
         i < total && i < paging.page * paging.page_size; ++i) {
        page.push_back(render_label(*matches[static_cast<std::size_t>(i)]));
    }
    return net::json_response(200, shipstation::serialize(json::object{
                                       {"labels", std::move(page)},
                                       {"total", total},
                                       {"page", paging.page},
                                       {"pages", pages},
                                       {"links", links(base_url_, request, paging.page, pages)}}));
}

net::HttpResponse ShipStationEmulator::v2_label(std::string_view label_id) {
    const auto number = se_number(label_id);
    const auto found =
        std::find_if(shipments_.begin(), shipments_.end(),
                     [&](const ShipmentRow& s) { return number && s.id == *number; });
    // The spec: an empty body answers a label id that names no label.
    if (found == shipments_.end()) {
        return net::HttpResponse{
            .status = 404, .headers = {}, .body = {}, .drop_connection = false};
    }
    return net::json_response(200, shipstation::serialize(render_label(*found)));
}

// A V1 order as a V2 shipment (the fields a reader of labels needs to find its order).
json::object ShipStationEmulator::render_v2_shipment(const OrderRow& row) const {
    const json::object order = render_order(row);
    std::string external = order_key_of(row);
    if (external.size() > kExternalIdMax) external.resize(kExternalIdMax);
    const std::string status = row.status == Status::kShipped     ? "label_purchased"
                               : row.status == Status::kCancelled ? "cancelled"
                                                                  : "pending";
    json::array items;
    if (const auto* lines = order.if_contains("items"); lines && lines->is_array()) {
        for (const auto& line : lines->get_array()) {
            if (!line.is_object()) continue;
            items.push_back(json::object{{"sku", line.get_object().at("sku")},
                                         {"name", line.get_object().at("name")},
                                         {"quantity", line.get_object().at("quantity")}});
        }
    }
    return {{"shipment_id", se_id(row.id)},
            {"external_shipment_id", nullable(external)},
            {"shipment_number", text_of(order, "orderNumber")},
            {"shipment_status", status},
            {"created_at", v2_time(row.create)},
            {"modified_at", v2_time(row.modify)},
            {"items", std::move(items)}};
}

net::HttpResponse ShipStationEmulator::v2_shipment(std::string_view id, bool by_external_id) {
    std::optional<std::int64_t> order_id;
    if (by_external_id) {
        const auto decoded = net::url_query("?id=" + std::string(id));  // Percent-decoded.
        order_id = decoded.empty() ? std::nullopt : find_by_key(decoded.front().second);
    } else {
        order_id = se_number(id);
    }
    const OrderRow* row = order_id ? find_order(*order_id) : nullptr;
    if (row == nullptr) {
        return v2_error(404, "validation", "invalid_identifier",
                        "Shipment " + std::string(id) + " was not found");
    }
    return net::json_response(200, shipstation::serialize(render_v2_shipment(*row)));
}

}  // namespace mlc::sandbox::shipstation

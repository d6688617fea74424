// AcumaticaEmulator control routes (below /__sandbox/): what a person does in the Acumatica UI,
// and the state for assertions.
#include <boost/json/serialize.hpp>

#include "common/exact_json.hpp"
#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/acumatica/acumatica_json.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

net::HttpResponse control_error(int status, std::string message) {
    return json_answer(status, json::object{{"error", std::move(message)}});
}

json::object value(const json::value& v) { return {{"value", v}}; }

}  // namespace

net::HttpResponse AcumaticaEmulator::control(const net::HttpRequest& request,
                                             std::string_view route) {
    complete_due_actions();
    expire_idle_sessions();
    if (request.method == "GET" && route == "state") return control_state();
    if (request.method != "POST") return control_error(404, "unknown control route");
    auto body = parse_exact_json(request.body.empty() ? "{}" : request.body, kBodyBytesMax,
                                 "acumatica", "control body");
    if (!body || !body->is_object()) return control_error(400, "the body must be a JSON object");
    const json::object& fields = body->get_object();
    if (route == "limits") return control_limits(fields);
    if (route == "sessions") return control_session(fields);
    if (route == "orders") return control_order(fields);
    if (route == "shipments") return control_shipment(fields);
    if (route == "orders/cancel") return control_cancel(fields);
    if (route.starts_with("records/")) return control_write(route.substr(8), fields);
    return control_error(404, "unknown control route");
}

net::HttpResponse AcumaticaEmulator::control_state() const {
    const std::size_t waiting = RequestQueue(queue_).waiting(now());
    json::object sessions{
        {"open", sessions_.size()},           {"max", sessions_max_},
        {"opened_total", sessions_opened_},   {"closed_total", sessions_closed_},
        {"expired_total", sessions_expired_}, {"logins_refused", logins_refused_}};
    json::object queue{{"requests_per_minute", queue_.limits().requests_per_minute},
                       {"waiting", waiting},
                       {"delayed_total", queue_.delayed_total()},
                       {"declined_total", queue_.declined_total()}};
    json::object state{{"sessions", sessions}, {"queue", queue}, {"requests", requests_}};
    Projection all;
    for (const std::string_view name : top_level_entities()) {
        const EntitySpec& entity = *find_entity(name);
        for (const FieldSpec& field : entity.fields) {
            if (field.type == FieldType::kLinked || field.type == FieldType::kDetail)
                all.expand.insert(std::string(field.name));
        }
        json::array rows;
        const auto found = records_.find(name);
        if (found != records_.end()) {
            for (const auto& [key, record] : found->second) {
                if (rows.size() >= kStateRecordsMax) break;
                rows.push_back(render(entity, record, all, kVersions[0]));
            }
        }
        state[name] = std::move(rows);
        all.expand.clear();
    }
    return json_answer(200, state);
}

// {"user"?, "logout_after_seconds"}: another integration logs in (a licence seat, refused past
// sessions_max like any login) and signs out after that long.
net::HttpResponse AcumaticaEmulator::control_session(const json::object& body) {
    const json::value* after = body.if_contains("logout_after_seconds");
    if (after == nullptr || !after->is_int64() || after->get_int64() <= 0) {
        return control_error(400, "logout_after_seconds must be a positive whole number");
    }
    if (sessions_.size() >= sessions_max_) {
        ++logins_refused_;
        return control_error(409, "API Login Limit");
    }
    const json::value* user = body.if_contains("user");
    Session session{.session_id = new_guid(),
                    .user = user != nullptr && user->is_string() ? std::string(user->get_string())
                                                                 : "other-integration",
                    .opened = now(),
                    .last_used = now(),
                    .logs_out_at = now() + std::chrono::seconds(after->get_int64())};
    sessions_.emplace(new_guid() + new_guid(), std::move(session));
    ++sessions_opened_;
    return net::json_response(200, json::serialize(json::object{{"open", sessions_.size()}}));
}

net::HttpResponse AcumaticaEmulator::control_limits(const json::object& body) {
    RequestQueueLimits limits = queue_.limits();
    if (const json::value* v = body.if_contains("requests_per_minute");
        v != nullptr && v->is_int64())
        limits.requests_per_minute = v->get_int64();
    if (const json::value* v = body.if_contains("waiting_max"); v != nullptr && v->is_int64())
        limits.waiting_max = static_cast<std::size_t>(v->get_int64());
    queue_.set_limits(limits);
    if (const json::value* v = body.if_contains("sessions_max"); v != nullptr && v->is_int64())
        sessions_max_ = static_cast<std::size_t>(v->get_int64());
    if (const json::value* v = body.if_contains("login_limit_status");
        v != nullptr && v->is_int64()) {
        if (v->get_int64() != 429 && v->get_int64() != 500)
            return control_error(400, "login_limit_status is 429 or 500");
        login_limit_status_ = static_cast<int>(v->get_int64());
    }
    return json_answer(200, json::object{{"requests_per_minute", limits.requests_per_minute},
                                         {"waiting_max", limits.waiting_max},
                                         {"sessions_max", sessions_max_},
                                         {"login_limit_status", login_limit_status_}});
}

// {"CustomerID", "lines": [{"InventoryID", "OrderQty", "UnitPrice"?}], "Hold"?, "ShipVia"?,
// "CustomerOrder"?}: a sales order entered by a person.
net::HttpResponse AcumaticaEmulator::control_order(const json::object& body) {
    json::object changes{{"OrderType", value("SO")}};
    for (const std::string_view name :
         {"CustomerID", "Hold", "ShipVia", "CustomerOrder", "Description", "Approved"}) {
        if (const json::value* v = body.if_contains(name)) changes[name] = value(*v);
    }
    json::array rows;
    if (const json::value* lines = body.if_contains("lines");
        lines != nullptr && lines->is_array()) {
        for (const json::value& line : lines->get_array()) {
            if (!line.is_object()) return control_error(400, "lines are objects");
            json::object row;
            for (const auto& [key, v] : line.get_object()) row[key] = value(v);
            rows.push_back(std::move(row));
        }
    }
    changes["Details"] = std::move(rows);
    return control_write("SalesOrder", changes);
}

// An Acumatica-shaped body written through the same rules as PUT (a person's edit in the UI).
net::HttpResponse AcumaticaEmulator::control_write(std::string_view entity_name,
                                                   const json::object& body) {
    const EntitySpec* entity = find_entity(entity_name);
    if (entity == nullptr || !entity->top_level) return control_error(404, "unknown entity");
    net::HttpRequest request;
    request.method = "PUT";
    request.body = json::serialize(body);
    net::HttpResponse response = put_entity(*entity, request, kVersions[0]);
    return response;
}

// {"OrderType"?: "SO", "OrderNbr"}: a person cancels the order in the UI (Cancel Order); an order
// with a confirmed shipment or Completed cannot be cancelled (422).
net::HttpResponse AcumaticaEmulator::control_cancel(const json::object& body) {
    const json::value* type = body.if_contains("OrderType");
    const json::value* nbr = body.if_contains("OrderNbr");
    if (nbr == nullptr || !nbr->is_string()) return control_error(400, "OrderNbr is a string");
    const std::string key = (type != nullptr && type->is_string() ? std::string(type->get_string())
                                                                  : std::string("SO")) +
                            "/" + std::string(nbr->get_string());
    json::object* order = find_record("SalesOrder", key);
    if (order == nullptr) return control_error(404, "No entity satisfies the condition.");
    const std::string status = field_string(*order, "Status").value_or("");
    if (status == "Completed" || status == "Back Order" || status == "Cancelled")
        return control_error(422, "The order cannot be cancelled in the '" + status + "' status.");
    set_field(*order, "Status", "Cancelled");
    touch(*find_entity("SalesOrder"), *order);
    return json_answer(200, render(*find_entity("SalesOrder"), *order, {}, kVersions[0]));
}

// {"OrderType", "OrderNbr", "TrackingNbr", "BoxID"?, "Weight"?, "ShipVia"?}: a warehouse user
// creates the shipment of the order, packs it with the tracking number and confirms it.
net::HttpResponse AcumaticaEmulator::control_shipment(const json::object& body) {
    auto text = [&](std::string_view name, std::string_view fallback) -> std::string {
        const json::value* v = body.if_contains(name);
        return v != nullptr && v->is_string() ? std::string(v->get_string())
                                              : std::string(fallback);
    };
    const std::string order_key = text("OrderType", "SO") + "/" + text("OrderNbr", "");
    std::string shipment_nbr;
    if (std::string why = create_shipment(order_key, {}, &shipment_nbr); !why.empty())
        return control_error(422, why);
    json::object& shipment = *find_record("Shipment", shipment_nbr);
    json::object package{{"id", new_guid()}};
    set_field(package, "LineNbr", std::int64_t{1});
    set_field(package, "BoxID", json::string(text("BoxID", "LARGE")));
    set_field(package, "TrackingNbr", json::string(text("TrackingNbr", "")));
    const auto weight = Decimal::parse(text("Weight", "1"));
    if (!weight) return control_error(400, "Weight is a decimal text");
    set_decimal(package, "Weight", *weight);
    shipment["Packages"] = json::array{package};
    if (body.contains("ShipVia")) set_field(shipment, "ShipVia", json::string(text("ShipVia", "")));
    recompute_shipment(shipment);
    if (std::string why = confirm_shipment(shipment_nbr); !why.empty())
        return control_error(422, why);
    Projection projection{.expand = {"Details", "Packages", "Orders"}};
    return json_answer(200, render(*find_entity("Shipment"), shipment, projection, kVersions[0]));
}

}  // namespace mlc::sandbox::acumatica

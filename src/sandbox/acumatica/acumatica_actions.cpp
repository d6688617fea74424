// AcumaticaEmulator shipments: the Shipment write rules, and the long-running actions
// SalesOrderCreateShipment, ConfirmShipment and CorrectShipment (202 + Location, polled until 204).
#include <algorithm>
#include <map>

#include "common/exact_json.hpp"
#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/acumatica/acumatica_json.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

constexpr std::string_view kNewKey = "<NEW>";

json::array& rows_of(json::object& record, std::string_view name) {
    json::value& rows = record[name];
    if (!rows.is_array()) rows = json::array{};
    return rows.get_array();
}

// Why an order cannot ship now, or empty.
std::string order_not_shippable(const json::object& order) {
    const std::string status = field_string(order, "Status").value_or("");
    if (status != "Open" && status != "Back Order") {
        return "The order cannot be shipped in the '" + status + "' status.";
    }
    return {};
}

std::string shipment_not_confirmable(const json::object& shipment) {
    const std::string status = field_string(shipment, "Status").value_or("");
    if (status != "Open") return "The shipment cannot be confirmed in the '" + status + "' status.";
    const json::value* details = shipment.if_contains("Details");
    if (details == nullptr || details->as_array().empty()) return "The shipment has no lines.";
    return {};
}

std::string shipment_not_correctable(const json::object& shipment) {
    const std::string status = field_string(shipment, "Status").value_or("");
    if (status != "Confirmed") {
        return "The shipment cannot be corrected in the '" + status + "' status.";
    }
    return {};
}

struct PlannedLine {
    json::object* order = nullptr;
    json::object* line = nullptr;
    Decimal quantity;
};

}  // namespace

json::object* AcumaticaEmulator::find_record(std::string_view entity, const std::string& key) {
    Records& all = records(entity);
    const auto found = all.find(key);
    return found == all.end() ? nullptr : &found->second;
}

json::object* AcumaticaEmulator::order_line(json::object& order, std::int64_t line_nbr) {
    for (json::value& row : rows_of(order, "Details")) {
        const json::value* nbr = field_value(row.get_object(), "LineNbr");
        if (nbr != nullptr && nbr->is_int64() && nbr->get_int64() == line_nbr)
            return &row.get_object();
    }
    return nullptr;
}

bool AcumaticaEmulator::add_shipment_lines(json::object& shipment, const json::object& changes,
                                           FieldErrors& errors) {
    const json::value* sent = changes.if_contains("Details");
    if (sent == nullptr || sent->as_array().empty()) {
        errors.emplace_back("Details", "The shipment has no lines.");
        return false;
    }
    std::vector<PlannedLine> planned;
    std::size_t index = 0;
    for (const json::value& row_value : sent->as_array()) {
        const json::object& row = row_value.get_object();
        const std::string path = "Details/" + std::to_string(index++) + "/";
        const std::string key = field_string(row, "OrderType").value_or("") + "/" +
                                field_string(row, "OrderNbr").value_or("");
        json::object* order = find_record("SalesOrder", key);
        if (order == nullptr) {
            errors.emplace_back(path + "OrderNbr", "'Order Nbr.' cannot be found in the system.");
            continue;
        }
        if (field_string(*order, "CustomerID") != field_string(shipment, "CustomerID")) {
            errors.emplace_back(path + "OrderNbr", "The order belongs to another customer.");
            continue;
        }
        if (std::string why = order_not_shippable(*order); !why.empty()) {
            errors.emplace_back(path + "OrderNbr", why);
            continue;
        }
        const json::value* line_nbr = field_value(row, "OrderLineNbr");
        json::object* line =
            line_nbr != nullptr ? order_line(*order, line_nbr->as_int64()) : nullptr;
        if (line == nullptr) {
            errors.emplace_back(path + "OrderLineNbr",
                                "'Order Line Nbr.' cannot be found in the system.");
            continue;
        }
        const Decimal available =
            field_decimal(*line, "OpenQty") - field_decimal(*line, "QtyOnShipments");
        const Decimal quantity =
            field_value(row, "ShippedQty") ? field_decimal(row, "ShippedQty") : available;
        if (quantity.is_negative() || quantity.is_zero() || quantity > available) {
            errors.emplace_back(path + "ShippedQty",
                                "The quantity must be greater than 0 and at most the open quantity "
                                "not on shipments (" +
                                    available.to_string() + ").");
            continue;
        }
        planned.push_back({order, line, quantity});
    }
    if (!errors.empty()) return false;
    json::array& details = rows_of(shipment, "Details");
    std::map<std::string, Decimal> per_order;
    for (const PlannedLine& plan : planned) {
        json::object row{{"id", new_guid()}};
        set_field(row, "LineNbr", static_cast<std::int64_t>(details.size()) + 1);
        for (const std::string_view name : {"OrderType", "OrderNbr"})
            set_field(row, name, *field_value(*plan.order, name));
        set_field(row, "OrderLineNbr", *field_value(*plan.line, "LineNbr"));
        for (const std::string_view name : {"InventoryID", "UOM", "WarehouseID"}) {
            if (const json::value* value = field_value(*plan.line, name))
                set_field(row, name, *value);
        }
        set_decimal(row, "ShippedQty", plan.quantity);
        set_decimal(row, "OrderedQty", field_decimal(*plan.line, "OrderQty"));
        details.push_back(std::move(row));
        set_decimal(*plan.line, "QtyOnShipments",
                    field_decimal(*plan.line, "QtyOnShipments") + plan.quantity);
        per_order[key_text(*find_entity("SalesOrder"), *plan.order)] += plan.quantity;
    }
    for (const auto& [order_key, quantity] : per_order) {
        link_shipment(shipment, *find_record("SalesOrder", order_key), quantity);
    }
    return true;
}

void AcumaticaEmulator::link_shipment(json::object& shipment, json::object& order,
                                      Decimal quantity) {
    const std::string shipment_nbr = field_string(shipment, "ShipmentNbr").value_or("");
    json::object link{{"id", new_guid()}};
    for (const std::string_view name : {"OrderType", "OrderNbr"})
        set_field(link, name, *field_value(order, name));
    set_field(link, "ShipmentNbr", json::string(shipment_nbr));
    set_field(link, "ShipmentType", "Shipment");
    set_decimal(link, "ShippedQty", quantity);
    rows_of(shipment, "Orders").push_back(link);
    json::object on_order{{"id", new_guid()}};
    set_field(on_order, "ShipmentNbr", json::string(shipment_nbr));
    set_field(on_order, "ShipmentType", "Shipment");
    set_field(on_order, "Status", "Open");
    set_decimal(on_order, "ShippedQty", quantity);
    on_order["ShipmentDate"] = shipment["ShipmentDate"];
    set_time(on_order, "LastModifiedDateTime", now());
    rows_of(order, "Shipments").push_back(std::move(on_order));
    touch(*find_entity("SalesOrder"), order);
    refresh_order_status(order);
}

void AcumaticaEmulator::recompute_shipment(json::object& shipment) {
    Decimal shipped, weight;
    for (const json::value& row : rows_of(shipment, "Details"))
        shipped += field_decimal(row.get_object(), "ShippedQty");
    const json::array& packages = rows_of(shipment, "Packages");
    for (const json::value& row : packages) weight += field_decimal(row.get_object(), "Weight");
    // Counted before the writes below: a new key can rehash `shipment` and move its arrays.
    const auto count = static_cast<std::int64_t>(packages.size());
    set_decimal(shipment, "ShippedQty", shipped);
    set_decimal(shipment, "PackageWeight", weight);
    set_field(shipment, "PackageCount", count);
}

std::string AcumaticaEmulator::create_shipment(const std::string& order_key,
                                               const json::object& parameters,
                                               std::string* shipment_nbr) {
    json::object* order = find_record("SalesOrder", order_key);
    if (order == nullptr) return "No entity satisfies the condition.";
    if (std::string why = order_not_shippable(*order); !why.empty()) return why;
    json::object changes;
    changes["CustomerID"] = (*order)["CustomerID"];
    changes["ShipmentDate"] = json::object{
        {"value", format_time(field_time(parameters, "ShipmentDate")
                                  .value_or(std::chrono::floor<std::chrono::days>(now())))}};
    if (const auto warehouse = field_string(parameters, "WarehouseID"))
        set_field(changes, "WarehouseID", json::string(*warehouse));
    if (const json::value* ship_via = field_value(*order, "ShipVia"))
        set_field(changes, "ShipVia", *ship_via);
    json::array rows;
    for (const json::value& line_value : rows_of(*order, "Details")) {
        const json::object& line = line_value.get_object();
        const Decimal available =
            field_decimal(line, "OpenQty") - field_decimal(line, "QtyOnShipments");
        if (available.is_negative() || available.is_zero()) continue;
        json::object row;
        for (const std::string_view name : {"OrderType", "OrderNbr"})
            set_field(row, name, *field_value(*order, name));
        set_field(row, "OrderLineNbr", *field_value(line, "LineNbr"));
        rows.push_back(std::move(row));
    }
    if (rows.empty()) return "The order has no lines left to ship.";
    changes["Details"] = std::move(rows);
    FieldErrors errors;
    auto written = upsert(*find_entity("Shipment"), changes, errors);
    if (!written) return errors.empty() ? written.error().message : errors.front().second;
    if (shipment_nbr != nullptr) *shipment_nbr = *written;
    return {};
}

std::string AcumaticaEmulator::confirm_shipment(const std::string& shipment_key) {
    json::object* shipment = find_record("Shipment", shipment_key);
    if (shipment == nullptr) return "No entity satisfies the condition.";
    if (std::string why = shipment_not_confirmable(*shipment); !why.empty()) return why;
    set_field(*shipment, "Status", "Confirmed");
    for (json::value& package : rows_of(*shipment, "Packages"))
        set_field(package.get_object(), "Confirmed", true);
    const EntitySpec& order_spec = *find_entity("SalesOrder");
    for (const json::value& row_value : rows_of(*shipment, "Details")) {
        const json::object& row = row_value.get_object();
        const std::string key = field_string(row, "OrderType").value_or("") + "/" +
                                field_string(row, "OrderNbr").value_or("");
        json::object* order = find_record("SalesOrder", key);
        json::object* line = order == nullptr
                                 ? nullptr
                                 : order_line(*order, field_value(row, "OrderLineNbr")->as_int64());
        if (line == nullptr) continue;
        const Decimal quantity = field_decimal(row, "ShippedQty");
        const Decimal open = field_decimal(*line, "OpenQty") - quantity;
        set_decimal(*line, "OpenQty", open.is_negative() ? Decimal{} : open);
        set_decimal(*line, "QtyOnShipments", field_decimal(*line, "QtyOnShipments") - quantity);
        set_field(*line, "Completed", !open.is_negative() && open.is_zero());
        for (json::value& link : rows_of(*order, "Shipments")) {
            if (field_string(link.get_object(), "ShipmentNbr") != shipment_key) continue;
            set_field(link.get_object(), "Status", "Confirmed");
            set_time(link.get_object(), "LastModifiedDateTime", now());
        }
        touch(order_spec, *order);
    }
    // Statuses after every line moved (a shipment may cover several orders).
    for (const json::value& link : rows_of(*shipment, "Orders")) {
        const json::object& row = link.get_object();
        json::object* order =
            find_record("SalesOrder", field_string(row, "OrderType").value_or("") + "/" +
                                          field_string(row, "OrderNbr").value_or(""));
        if (order != nullptr) refresh_order_status(*order);
    }
    touch(*find_entity("Shipment"), *shipment);
    return {};
}

// Correct Shipment: what confirming did, undone (the shipment Open and its packages unconfirmed,
// the shipped quantities open and on the shipment again, the orders' statuses refreshed).
std::string AcumaticaEmulator::correct_shipment(const std::string& shipment_key) {
    json::object* shipment = find_record("Shipment", shipment_key);
    if (shipment == nullptr) return "No entity satisfies the condition.";
    if (std::string why = shipment_not_correctable(*shipment); !why.empty()) return why;
    set_field(*shipment, "Status", "Open");
    for (json::value& package : rows_of(*shipment, "Packages"))
        set_field(package.get_object(), "Confirmed", false);
    const EntitySpec& order_spec = *find_entity("SalesOrder");
    for (const json::value& row_value : rows_of(*shipment, "Details")) {
        const json::object& row = row_value.get_object();
        json::object* order =
            find_record("SalesOrder", field_string(row, "OrderType").value_or("") + "/" +
                                          field_string(row, "OrderNbr").value_or(""));
        json::object* line = order == nullptr
                                 ? nullptr
                                 : order_line(*order, field_value(row, "OrderLineNbr")->as_int64());
        if (line == nullptr) continue;
        const Decimal quantity = field_decimal(row, "ShippedQty");
        set_decimal(*line, "OpenQty", field_decimal(*line, "OpenQty") + quantity);
        set_decimal(*line, "QtyOnShipments", field_decimal(*line, "QtyOnShipments") + quantity);
        set_field(*line, "Completed", false);
        for (json::value& link : rows_of(*order, "Shipments")) {
            if (field_string(link.get_object(), "ShipmentNbr") != shipment_key) continue;
            set_field(link.get_object(), "Status", "Open");
            set_time(link.get_object(), "LastModifiedDateTime", now());
        }
        touch(order_spec, *order);
        refresh_order_status(*order);
    }
    touch(*find_entity("Shipment"), *shipment);
    return {};
}

net::HttpResponse AcumaticaEmulator::post_action(const EntitySpec& entity,
                                                 const net::HttpRequest& request,
                                                 std::string_view version,
                                                 std::string_view action) {
    const bool create = entity.name == "SalesOrder" && action == "SalesOrderCreateShipment";
    const bool confirm = entity.name == "Shipment" && action == "ConfirmShipment";
    const bool correct = entity.name == "Shipment" && action == "CorrectShipment";
    if (!create && !confirm && !correct) {
        return http_error(501, "The action " + std::string(action) + " of " +
                                   std::string(entity.name) + " is not emulated.");
    }
    auto body = parse_exact_json(request.body, kBodyBytesMax, "acumatica", "action body");
    const json::value* target =
        body && body->is_object() ? body->get_object().if_contains("entity") : nullptr;
    if (target == nullptr || !target->is_object()) {
        return http_error(400, "The request is invalid.", "The body needs an \"entity\" object.",
                          "System.ArgumentException");
    }
    const std::string key = key_text(entity, target->get_object());
    json::object* record = find_record(entity.name, key);
    if (record == nullptr) return http_error(404, "No entity satisfies the condition.");
    const std::string why = create    ? order_not_shippable(*record)
                            : correct ? shipment_not_correctable(*record)
                                      : shipment_not_confirmable(*record);
    if (!why.empty()) {
        json::object answer = render(entity, *record, {}, version);
        answer["error"] = why;
        return json_answer(422, answer);
    }
    Action pending{.entity = std::string(entity.name),
                   .action = std::string(action),
                   .key = key,
                   .due = now() + kActionDuration};
    if (const json::value* parameters = body->get_object().if_contains("parameters");
        parameters != nullptr && parameters->is_object()) {
        pending.parameters = parameters->get_object();
    }
    const std::string guid = new_guid();
    actions_.emplace(guid, std::move(pending));
    net::HttpResponse response;
    response.status = 202;
    response.headers.emplace_back("Location", base_url_ + "/entity/" + std::string(kEndpoint) +
                                                  "/" + std::string(version) + "/" +
                                                  std::string(entity.name) + "/" +
                                                  std::string(action) + "/status/" + guid);
    return response;
}

net::HttpResponse AcumaticaEmulator::action_status(std::string_view version,
                                                   std::string_view entity, std::string_view guid) {
    const auto found = actions_.find(guid);
    if (found == actions_.end() || found->second.entity != entity) {
        return http_error(404, "No entity satisfies the condition.");
    }
    const Action& action = found->second;
    net::HttpResponse response;
    const std::string prefix = base_url_ + "/entity/" + std::string(kEndpoint) + "/" +
                               std::string(version) + "/" + std::string(entity) + "/";
    if (!action.done) {
        response.status = 202;
        response.headers.emplace_back("Location",
                                      prefix + action.action + "/status/" + std::string(guid));
        return response;
    }
    if (action.failure_status != 0) {
        return http_error(action.failure_status, "An error has occurred.", action.failure,
                          "PX.Data.PXException");
    }
    response.status = 204;
    const json::object* record = find_record(entity, action.key);
    if (record != nullptr)
        response.headers.emplace_back("Location",
                                      prefix + std::string(record->at("id").as_string()));
    return response;
}

void AcumaticaEmulator::run_action(Action& action) {
    const std::string failure = action.action == "ConfirmShipment" ? confirm_shipment(action.key)
                                : action.action == "CorrectShipment"
                                    ? correct_shipment(action.key)
                                    : create_shipment(action.key, action.parameters, nullptr);
    action.done = true;
    if (!failure.empty()) {
        action.failure_status = 500;
        action.failure = failure;
    }
}

void AcumaticaEmulator::complete_due_actions() {
    std::size_t done = 0;
    for (auto& [guid, action] : actions_) {
        if (!action.done && action.due <= now()) run_action(action);
        if (action.done) ++done;
    }
    // Forget the oldest finished actions past the bound (a poll then answers 404).
    for (auto it = actions_.begin(); it != actions_.end() && done > kActionsKept;) {
        if (!it->second.done || it->second.due + kActionDuration > now()) {
            ++it;
            continue;
        }
        it = actions_.erase(it);
        --done;
    }
}

}  // namespace mlc::sandbox::acumatica

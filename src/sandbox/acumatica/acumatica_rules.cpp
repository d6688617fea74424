// AcumaticaEmulator business rules of each entity's write (defaults, references, statuses), the
// same for API PUTs and control routes.
#include <algorithm>
#include <array>
#include <functional>

#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/acumatica/acumatica_json.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

constexpr std::string_view kNewKey = "<NEW>";  // Acumatica's placeholder for an auto number.
constexpr std::string_view kWarehouse = "MAIN";
constexpr std::array<std::string_view, 5> kCustomerStatuses = {"Active", "On Hold", "Credit Hold",
                                                               "Inactive", "One-Time"};
constexpr std::array<std::string_view, 6> kItemStatuses = {
    "Active", "No Sales", "No Purchases", "No Request", "Inactive", "Marked for Deletion"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& values, std::string_view value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

std::string quoted(std::string_view label) {
    std::string out(1, '\'');  // Not `"'" + std::string`: GCC 12 -O3 false -Wrestrict (105651).
    out.append(label).push_back('\'');
    return out;
}

UtcTime midnight(UtcTime time) { return std::chrono::floor<std::chrono::days>(time); }

json::array& rows_of(json::object& record, std::string_view name) {
    json::value& rows = record[name];
    if (!rows.is_array()) rows = json::array{};
    return rows.get_array();
}

std::int64_t next_line_nbr(const json::array& rows) {
    std::int64_t max = 0;
    for (const json::value& row : rows) {
        const json::value* nbr = field_value(row.get_object(), "LineNbr");
        if (nbr != nullptr && nbr->is_int64()) max = std::max(max, nbr->get_int64());
    }
    return max + 1;
}

// Detail rows of `changes[name]` onto `record[name]`: a row with a known id is updated (or
// removed with "delete": true), a row without one is added. Returns the indexes (in the changes)
// of added rows paired with their index in the stored array, for the entity's defaults.
std::vector<std::pair<std::size_t, std::size_t>> merge_rows(
    const EntitySpec& row_spec, json::object& record, const json::object& changes,
    std::string_view name, const std::function<std::string()>& new_id,
    AcumaticaEmulator::FieldErrors& errors) {
    std::vector<std::pair<std::size_t, std::size_t>> added;
    const json::value* sent = changes.if_contains(name);
    if (sent == nullptr) return added;
    json::array& rows = rows_of(record, name);
    std::size_t index = 0;
    for (const json::value& change_value : sent->get_array()) {
        const json::object& change = change_value.get_object();
        const std::size_t at = index++;
        const json::value* id = change.if_contains("id");
        if (id == nullptr) {
            json::object row{{"id", new_id()}};
            for (const auto& [key, value] : change) {
                if (key != "delete" && find_field(row_spec, key) != nullptr) row[key] = value;
            }
            rows.push_back(std::move(row));
            added.emplace_back(at, rows.size() - 1);
            continue;
        }
        auto match = std::find_if(rows.begin(), rows.end(), [&](const json::value& row) {
            return row.get_object().at("id") == *id;
        });
        if (match == rows.end()) {
            errors.emplace_back(std::string(name) + "/" + std::to_string(at) + "/id",
                                "The row with this id cannot be found.");
            continue;
        }
        const json::value* remove = change.if_contains("delete");
        if (remove != nullptr && remove->as_bool()) {
            rows.erase(match);
            continue;
        }
        for (const auto& [key, value] : change) {
            if (key != "id" && find_field(row_spec, key) != nullptr)
                match->get_object()[key] = value;
        }
    }
    return added;
}

void merge_scalars(const EntitySpec& entity, json::object& record, const json::object& changes) {
    for (const auto& [key, value] : changes) {
        const FieldSpec* field = find_field(entity, key);
        if (key == "note") record["note"] = value;
        if (field == nullptr || field->type == FieldType::kDetail) continue;
        if (field->type != FieldType::kLinked) {
            record[key] = value;
            continue;
        }
        json::value& target = record[key];
        if (!target.is_object()) target = json::object{};
        merge_scalars(*find_entity(field->entity), target.get_object(), value.get_object());
    }
}

}  // namespace

bool AcumaticaEmulator::write_customer(json::object& record, const json::object& changes,
                                       bool inserting, FieldErrors& errors) {
    const EntitySpec& spec = *find_entity("Customer");
    merge_scalars(spec, record, changes);
    if (inserting) {
        if (!field_string(record, "CustomerID"))
            errors.emplace_back("CustomerID", "'Customer ID' cannot be empty.");
        if (!field_string(record, "Status")) set_field(record, "Status", "Active");
        if (!field_string(record, "CustomerClass")) set_field(record, "CustomerClass", "DEFAULT");
        if (!field_string(record, "CurrencyID")) set_field(record, "CurrencyID", "USD");
    }
    if (field_string(record, "CustomerName").value_or("").empty()) {
        errors.emplace_back("CustomerName", "'Customer Name' cannot be empty.");
    }
    if (!one_of(kCustomerStatuses, field_string(record, "Status").value_or(""))) {
        errors.emplace_back("Status", "The value is not one of the allowed values.");
    }
    return errors.empty();
}

bool AcumaticaEmulator::write_stock_item(json::object& record, const json::object& changes,
                                         bool inserting, FieldErrors& errors) {
    const EntitySpec& spec = *find_entity("StockItem");
    merge_scalars(spec, record, changes);
    if (inserting) {
        if (!field_string(record, "InventoryID"))
            errors.emplace_back("InventoryID", "'Inventory ID' cannot be empty.");
        if (!field_string(record, "ItemStatus")) set_field(record, "ItemStatus", "Active");
        if (!field_string(record, "ItemClass")) set_field(record, "ItemClass", "STOCKITEM");
        if (!field_string(record, "BaseUOM")) set_field(record, "BaseUOM", "EA");
        if (!field_string(record, "SalesUOM")) set_field(record, "SalesUOM", "EA");
        if (!field_string(record, "WeightUOM")) set_field(record, "WeightUOM", "LB");
    }
    if (!one_of(kItemStatuses, field_string(record, "ItemStatus").value_or(""))) {
        errors.emplace_back("ItemStatus", "The value is not one of the allowed values.");
    }
    for (const std::string_view name : {"DefaultPrice", "DimensionWeight"}) {
        if (field_decimal(record, name).is_negative()) {
            errors.emplace_back(std::string(name), "The value cannot be negative.");
        }
    }
    return errors.empty();
}

void AcumaticaEmulator::recompute_order(json::object& order) {
    Decimal total, quantity;
    for (json::value& row_value : rows_of(order, "Details")) {
        json::object& row = row_value.get_object();
        const Decimal extended =
            field_decimal(row, "OrderQty").mul(field_decimal(row, "UnitPrice")).round(2);
        set_decimal(row, "ExtendedPrice", extended);
        total += extended;
        quantity += field_decimal(row, "OrderQty");
    }
    set_decimal(order, "OrderTotal", total);
    set_decimal(order, "OrderedQty", quantity);
    set_decimal(order, "TaxTotal", Decimal{});
}

namespace {

// The status a sales order shows from its lines and flags; Cancelled stays.
std::string order_status(const json::object& order) {
    const std::string current = field_string(order, "Status").value_or("");
    if (current == "Cancelled") return current;
    bool all_shipped = true, all_on_shipments = true, some_shipped = false, any_rows = false;
    const json::value* rows = order.if_contains("Details");
    for (const json::value& row_value :
         rows != nullptr && rows->is_array() ? rows->get_array() : json::array{}) {
        const json::object& row = row_value.get_object();
        any_rows = true;
        const Decimal open = field_decimal(row, "OpenQty");
        all_shipped = all_shipped && open.is_zero();
        all_on_shipments = all_on_shipments && open <= field_decimal(row, "QtyOnShipments");
        some_shipped = some_shipped || open < field_decimal(row, "OrderQty");
    }
    const bool shipped_before = some_shipped || current == "Completed";
    if (any_rows && all_shipped && shipped_before) return "Completed";
    if (any_rows && all_on_shipments && current != "On Hold" && !field_bool(order, "Hold")) {
        const json::value* shipments = order.if_contains("Shipments");
        if (shipments != nullptr && shipments->is_array() && !shipments->get_array().empty())
            return "Shipping";
    }
    if (some_shipped) return "Back Order";
    if (field_bool(order, "Hold")) return "On Hold";
    if (field_bool(order, "CreditHold")) return "Credit Hold";
    if (!field_bool(order, "Approved")) return "Pending Approval";
    return "Open";
}

}  // namespace

std::string AcumaticaEmulator::refresh_order_status(json::object& order) {
    std::string status = order_status(order);
    set_field(order, "Status", json::string(status));
    return status;
}

bool AcumaticaEmulator::check_order_customer(json::object& order, bool inserting,
                                             FieldErrors& errors) {
    const std::optional<std::string> customer_id = field_string(order, "CustomerID");
    if (!customer_id) {
        errors.emplace_back("CustomerID", "'Customer ID' cannot be empty.");
        return false;
    }
    const auto found = records("Customer").find(*customer_id);
    if (found == records("Customer").end()) {
        errors.emplace_back("CustomerID", "'Customer ID' cannot be found in the system.");
        return false;
    }
    const json::object& customer = found->second;
    const std::string status = field_string(customer, "Status").value_or("");
    if (status != "Active" && status != "One-Time") {
        errors.emplace_back("CustomerID", "The customer status is '" + status + "'.");
        return false;
    }
    if (!inserting) return true;
    if (!field_string(order, "CurrencyID"))
        set_field(order, "CurrencyID",
                  field_value(customer, "CurrencyID") ? *field_value(customer, "CurrencyID")
                                                      : json::value("USD"));
    if (!field_string(order, "ShipVia") && field_string(customer, "ShipVia"))
        set_field(order, "ShipVia", *field_value(customer, "ShipVia"));
    const json::value* shipping = customer.if_contains("ShippingContact");
    if (shipping == nullptr || !shipping->is_object()) return true;
    const json::object& contact = shipping->get_object();
    if (!order.contains("ShipToAddress") && contact.contains("Address")) {
        order["ShipToAddress"] = contact.at("Address");
    }
    if (!order.contains("ShipToContact")) {
        json::object doc;
        for (const auto& [to, from] :
             {std::pair{"Attention", "DisplayName"}, std::pair{"BusinessName", "CompanyName"},
              std::pair{"Email", "Email"}, std::pair{"Phone1", "Phone1"}}) {
            if (const json::value* value = field_value(contact, from)) set_field(doc, to, *value);
        }
        order["ShipToContact"] = std::move(doc);
    }
    return true;
}

// Defaults of a new order line from its stock item; false (with an error) when the item cannot be
// sold.
bool AcumaticaEmulator::default_order_line(json::object& row, std::int64_t line_nbr,
                                           const std::string& path, FieldErrors& errors) {
    const std::optional<std::string> item_id = field_string(row, "InventoryID");
    if (!item_id) {
        errors.emplace_back(path + "InventoryID", "'Inventory ID' cannot be empty.");
        return false;
    }
    const auto found = records("StockItem").find(*item_id);
    if (found == records("StockItem").end()) {
        errors.emplace_back(path + "InventoryID", "'Inventory ID' cannot be found in the system.");
        return false;
    }
    const json::object& item = found->second;
    const std::string status = field_string(item, "ItemStatus").value_or("");
    if (status != "Active" && status != "No Purchases" && status != "No Request") {
        errors.emplace_back(path + "InventoryID", "The item status is '" + status + "'.");
        return false;
    }
    set_field(row, "LineNbr", line_nbr);
    if (!field_value(row, "UnitPrice"))
        set_decimal(row, "UnitPrice", field_decimal(item, "DefaultPrice"));
    if (!field_value(row, "OrderQty")) set_decimal(row, "OrderQty", Decimal{});
    if (!field_value(row, "UOM")) set_field(row, "UOM", *field_value(item, "SalesUOM"));
    if (!field_value(row, "LineDescription") && field_value(item, "Description"))
        set_field(row, "LineDescription", *field_value(item, "Description"));
    if (!field_value(row, "WarehouseID")) set_field(row, "WarehouseID", json::string(kWarehouse));
    set_decimal(row, "QtyOnShipments", Decimal{});
    set_field(row, "Completed", false);
    return true;
}

bool AcumaticaEmulator::write_sales_order(json::object& record, const json::object& changes,
                                          bool inserting, FieldErrors& errors) {
    const EntitySpec& spec = *find_entity("SalesOrder");
    const std::string status = field_string(record, "Status").value_or("");
    if (!inserting && (status == "Completed" || status == "Cancelled")) {
        errors.emplace_back(
            "", "The document cannot be modified in the " + quoted(status) + " status.");
        return false;
    }
    if (inserting) {
        const auto type = field_string(changes, "OrderType");
        if (!type) errors.emplace_back("OrderType", "'Order Type' cannot be empty.");
        if (type && *type != "SO")
            errors.emplace_back("OrderType", "'Order Type' cannot be found in the system.");
        const auto nbr = field_string(changes, "OrderNbr");
        if (nbr && *nbr != kNewKey)
            errors.emplace_back("OrderNbr", "'Order Nbr.' cannot be found in the system.");
        if (!errors.empty()) return false;
    }
    const json::value* shipments = record.if_contains("Shipments");
    const bool has_shipments = shipments != nullptr && !shipments->as_array().empty();
    if (changes.contains("Details") && has_shipments) {
        errors.emplace_back("Details", "The lines of an order with shipments cannot be changed.");
        return false;
    }
    merge_scalars(spec, record, changes);
    if (inserting) {
        set_field(record, "OrderNbr", json::string(next_number(next_order_nbr_, 6)));
        if (!field_value(record, "Date")) set_time(record, "Date", midnight(now()));
        if (!field_value(record, "RequestedOn")) record["RequestedOn"] = record["Date"];
        for (const auto& [name, fallback] : {std::pair{"Hold", false}, std::pair{"Approved", true},
                                             std::pair{"CreditHold", false}}) {
            if (!field_value(record, name)) set_field(record, name, fallback);
        }
        record["Shipments"] = json::array{};
    }
    if (!check_order_customer(record, inserting, errors)) return false;
    const auto added = merge_rows(
        *find_entity("SalesOrderDetail"), record, changes, "Details", [this] { return new_guid(); },
        errors);
    json::array& rows = rows_of(record, "Details");
    for (const auto& [change_index, row_index] : added) {
        const std::string path = "Details/" + std::to_string(change_index) + "/";
        default_order_line(rows[row_index].get_object(), next_line_nbr(rows), path, errors);
    }
    for (json::value& row : rows) {
        json::object& line = row.get_object();
        if (field_decimal(line, "OrderQty").is_negative()) {
            errors.emplace_back("Details", "The quantity cannot be negative.");
        }
        // Before any shipment the whole quantity is open; afterwards shipments move it.
        if (!has_shipments) set_decimal(line, "OpenQty", field_decimal(line, "OrderQty"));
    }
    if (!errors.empty()) return false;
    recompute_order(record);
    refresh_order_status(record);
    return true;
}

bool AcumaticaEmulator::write_shipment(json::object& record, const json::object& changes,
                                       bool inserting, FieldErrors& errors) {
    const EntitySpec& spec = *find_entity("Shipment");
    if (!inserting) {
        const std::string status = field_string(record, "Status").value_or("");
        if (status != "Open" && status != "On Hold") {
            errors.emplace_back(
                "", "The shipment cannot be modified in the " + quoted(status) + " status.");
            return false;
        }
        if (changes.contains("Details")) {
            errors.emplace_back("Details", "The lines of a saved shipment cannot be changed.");
            return false;
        }
    } else {
        const auto nbr = field_string(changes, "ShipmentNbr");
        if (nbr && *nbr != kNewKey)
            errors.emplace_back("ShipmentNbr", "'Shipment Nbr.' cannot be found in the system.");
        const auto type = field_string(changes, "Type");
        if (type && *type != "Shipment")
            errors.emplace_back("Type", "The value is not one of the allowed values.");
        if (!errors.empty()) return false;
    }
    merge_scalars(spec, record, changes);
    if (inserting) {
        set_field(record, "ShipmentNbr", json::string(next_number(next_shipment_nbr_, 6)));
        set_field(record, "Type", "Shipment");
        if (!field_value(record, "ShipmentDate")) set_time(record, "ShipmentDate", midnight(now()));
        if (!field_value(record, "WarehouseID"))
            set_field(record, "WarehouseID", json::string(kWarehouse));
        if (!field_value(record, "Hold")) set_field(record, "Hold", false);
        const auto customer_id = field_string(record, "CustomerID");
        const json::object* customer =
            customer_id ? find_record("Customer", *customer_id) : nullptr;
        if (customer == nullptr) {
            errors.emplace_back("CustomerID", customer_id
                                                  ? "'Customer ID' cannot be found in the system."
                                                  : "'Customer ID' cannot be empty.");
            return false;
        }
        if (!field_value(record, "ShipVia") && field_value(*customer, "ShipVia"))
            set_field(record, "ShipVia", *field_value(*customer, "ShipVia"));
    }
    const auto added = merge_rows(
        *find_entity("ShipmentPackage"), record, changes, "Packages", [this] { return new_guid(); },
        errors);
    json::array& packages = rows_of(record, "Packages");
    for (const auto& [change_index, row_index] : added) {
        json::object& package = packages[row_index].get_object();
        set_field(package, "LineNbr", next_line_nbr(packages));
        if (!field_value(package, "Confirmed")) set_field(package, "Confirmed", false);
        if (!field_string(package, "BoxID"))
            errors.emplace_back("Packages/" + std::to_string(change_index) + "/BoxID",
                                "'Box ID' cannot be empty.");
        if (field_decimal(package, "Weight").is_negative())
            errors.emplace_back("Packages/" + std::to_string(change_index) + "/Weight",
                                "The value cannot be negative.");
    }
    if (!errors.empty()) return false;
    if (inserting && !add_shipment_lines(record, changes, errors)) return false;
    set_field(record, "Status", field_bool(record, "Hold") ? "On Hold" : "Open");
    recompute_shipment(record);
    return true;
}

}  // namespace mlc::sandbox::acumatica

#include "sandbox/acumatica/acumatica_schema.hpp"

#include <array>

namespace mlc::sandbox::acumatica {
namespace {

using T = FieldType;

constexpr FieldSpec S(std::string_view name, std::string_view display = {}) {
    return {.name = name, .type = T::kString, .display = display};
}
// A text field the system computes (a document's Status): a PUT value is ignored.
constexpr FieldSpec Ro(std::string_view name) {
    return {.name = name, .type = T::kString, .read_only = true};
}
constexpr FieldSpec D(std::string_view name, bool read_only = false) {
    return {.name = name, .type = T::kDecimal, .read_only = read_only};
}
constexpr FieldSpec B(std::string_view name) { return {.name = name, .type = T::kBool}; }
constexpr FieldSpec I(std::string_view name, bool read_only = false) {
    return {.name = name, .type = T::kInt, .read_only = read_only};
}
constexpr FieldSpec Dt(std::string_view name, bool read_only = false) {
    return {.name = name, .type = T::kDateTime, .read_only = read_only};
}
constexpr FieldSpec Link(std::string_view name, std::string_view entity) {
    return {.name = name, .type = T::kLinked, .entity = entity};
}
constexpr FieldSpec Rows(std::string_view name, std::string_view entity, bool read_only = false) {
    return {.name = name, .type = T::kDetail, .entity = entity, .read_only = read_only};
}

constexpr std::array kAddress = {S("AddressLine1"), S("AddressLine2"), S("City"),
                                 S("Country"),      S("PostalCode"),   S("State")};
constexpr std::array kDocContact = {S("Attention"), S("BusinessName"), S("Email"), S("Phone1")};
constexpr std::array kContact = {
    S("Attention"), S("CompanyName"), S("DisplayName"), S("Email"),
    S("FirstName"), S("LastName"),    S("Phone1"),      Link("Address", "Address")};

constexpr std::array kSalesOrderDetail = {I("LineNbr", true),
                                          S("InventoryID", "Inventory ID"),
                                          S("LineDescription"),
                                          D("OrderQty"),
                                          D("OpenQty", true),
                                          D("QtyOnShipments", true),
                                          D("UnitPrice"),
                                          D("ExtendedPrice", true),
                                          S("UOM"),
                                          S("WarehouseID"),
                                          B("Completed")};
constexpr std::array kSalesOrderShipment = {S("ShipmentNbr"),  Dt("ShipmentDate"),
                                            S("ShipmentType"), S("Status"),
                                            D("ShippedQty"),   Dt("LastModifiedDateTime")};
constexpr std::array kSalesOrder = {S("OrderType", "Order Type"),
                                    S("OrderNbr", "Order Nbr."),
                                    S("CustomerID", "Customer ID"),
                                    S("CustomerOrder"),
                                    Dt("Date"),
                                    Dt("RequestedOn"),
                                    Ro("Status"),
                                    B("Hold"),
                                    B("Approved"),
                                    B("CreditHold"),
                                    S("Description"),
                                    S("ExternalRef"),
                                    S("CurrencyID"),
                                    D("OrderTotal", true),
                                    D("OrderedQty", true),
                                    D("TaxTotal", true),
                                    S("ShipVia", "Ship Via"),
                                    Dt("LastModified", true),
                                    Dt("CreatedDate", true),
                                    Link("ShipToAddress", "Address"),
                                    Link("ShipToContact", "DocContact"),
                                    Link("BillToAddress", "Address"),
                                    Link("BillToContact", "DocContact"),
                                    Rows("Details", "SalesOrderDetail"),
                                    Rows("Shipments", "SalesOrderShipment", true)};

constexpr std::array kShipmentDetail = {I("LineNbr", true),    S("OrderType"),   S("OrderNbr"),
                                        I("OrderLineNbr"),     S("InventoryID"), D("ShippedQty"),
                                        D("OrderedQty", true), S("UOM"),         S("WarehouseID")};
constexpr std::array kShipmentOrderDetail = {S("OrderType"), S("OrderNbr"), S("ShipmentNbr"),
                                             S("ShipmentType"), D("ShippedQty")};
constexpr std::array kShipmentPackage = {
    I("LineNbr", true), S("BoxID", "Box ID"), S("TrackingNbr"), D("Weight"),
    B("Confirmed"),     S("Description"),     S("Type"),        S("UOM")};
constexpr std::array kShipment = {S("ShipmentNbr", "Shipment Nbr."),
                                  S("Type"),
                                  Ro("Status"),
                                  Dt("ShipmentDate"),
                                  S("CustomerID", "Customer ID"),
                                  S("ShipVia", "Ship Via"),
                                  S("WarehouseID", "Warehouse ID"),
                                  B("Hold"),
                                  D("ShippedQty", true),
                                  I("PackageCount", true),
                                  D("PackageWeight", true),
                                  Dt("CreatedDateTime", true),
                                  Dt("LastModifiedDateTime", true),
                                  Rows("Details", "ShipmentDetail"),
                                  Rows("Orders", "ShipmentOrderDetail", true),
                                  Rows("Packages", "ShipmentPackage")};

constexpr std::array kCustomer = {S("CustomerID", "Customer ID"),
                                  S("CustomerName", "Customer Name"),
                                  S("Status"),
                                  S("Email"),
                                  S("CustomerClass"),
                                  S("CurrencyID"),
                                  S("ShipVia"),
                                  S("Terms"),
                                  Dt("CreatedDateTime", true),
                                  Dt("LastModifiedDateTime", true),
                                  Link("MainContact", "Contact"),
                                  Link("ShippingContact", "Contact"),
                                  Link("BillingContact", "Contact")};

constexpr std::array kStockItem = {S("InventoryID", "Inventory ID"),
                                   S("Description"),
                                   S("ItemStatus"),
                                   S("ItemClass"),
                                   S("BaseUOM"),
                                   S("SalesUOM"),
                                   D("DefaultPrice"),
                                   D("DimensionWeight"),
                                   S("WeightUOM"),
                                   Dt("LastModified", true),
                                   Dt("LastModifiedDateTime", true)};

constexpr std::array<std::string_view, 2> kSalesOrderKeys = {"OrderType", "OrderNbr"};
constexpr std::array<std::string_view, 1> kShipmentKeys = {"ShipmentNbr"};
constexpr std::array<std::string_view, 1> kCustomerKeys = {"CustomerID"};
constexpr std::array<std::string_view, 1> kStockItemKeys = {"InventoryID"};
constexpr std::array<std::string_view, 4> kTopLevel = {"Customer", "SalesOrder", "Shipment",
                                                       "StockItem"};

const std::array kEntities = {
    EntitySpec{.name = "SalesOrder",
               .fields = kSalesOrder,
               .keys = kSalesOrderKeys,
               .modified_field = "LastModified",
               .top_level = true},
    EntitySpec{.name = "Shipment",
               .fields = kShipment,
               .keys = kShipmentKeys,
               .modified_field = "LastModifiedDateTime",
               .top_level = true},
    EntitySpec{.name = "Customer",
               .fields = kCustomer,
               .keys = kCustomerKeys,
               .modified_field = "LastModifiedDateTime",
               .top_level = true},
    EntitySpec{.name = "StockItem",
               .fields = kStockItem,
               .keys = kStockItemKeys,
               .modified_field = "LastModifiedDateTime",
               .top_level = true},
    EntitySpec{.name = "SalesOrderDetail", .fields = kSalesOrderDetail},
    EntitySpec{.name = "SalesOrderShipment", .fields = kSalesOrderShipment},
    EntitySpec{.name = "ShipmentDetail", .fields = kShipmentDetail},
    EntitySpec{.name = "ShipmentOrderDetail", .fields = kShipmentOrderDetail},
    EntitySpec{.name = "ShipmentPackage", .fields = kShipmentPackage},
    EntitySpec{.name = "Address", .fields = kAddress},
    EntitySpec{.name = "DocContact", .fields = kDocContact},
    EntitySpec{.name = "Contact", .fields = kContact},
};

}  // namespace

const EntitySpec* find_entity(std::string_view name) {
    for (const EntitySpec& entity : kEntities) {
        if (entity.name == name) return &entity;
    }
    return nullptr;
}

const FieldSpec* find_field(const EntitySpec& entity, std::string_view name) {
    for (const FieldSpec& field : entity.fields) {
        if (field.name == name) return &field;
    }
    return nullptr;
}

std::span<const std::string_view> top_level_entities() { return kTopLevel; }

}  // namespace mlc::sandbox::acumatica

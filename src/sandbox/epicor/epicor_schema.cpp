#include "sandbox/epicor/epicor_schema.hpp"

#include <initializer_list>
#include <utility>

namespace mlc::sandbox::epicor {
namespace {

constexpr auto S = FieldType::kString;
constexpr auto I = FieldType::kInt;
constexpr auto M = FieldType::kDecimal;  // Money, quantities, weights: exact decimal text.
constexpr auto B = FieldType::kBool;
constexpr auto D = FieldType::kDate;

FieldTypes fields(std::initializer_list<std::pair<const std::string, FieldType>> list) {
    FieldTypes types(list);
    // Every row (spec): SysRevID bumped on every write, SysRowID GUID, RowMod A/U/D/empty.
    types.emplace("Company", S);
    types.emplace("SysRevID", I);
    types.emplace("SysRowID", S);
    types.emplace("RowMod", S);
    return types;
}

void add_numbered(FieldTypes& types, const std::string& prefix, int count, FieldType type) {
    for (int i = 1; i <= count; ++i) {
        types.emplace(prefix + (i < 10 ? "0" : "") + std::to_string(i), type);
    }
}

TableDef with_stamp(TableDef def) {
    def.types.emplace("ChangeDate", D);
    def.types.emplace("ChangeTime", I);  // Seconds since midnight (spec)
    def.change_stamp = true;
    return def;
}

TableDef ud01() {
    FieldTypes types = fields({{"Key1", S}, {"Key2", S}, {"Key3", S}, {"Key4", S}, {"Key5", S}});
    add_numbered(types, "Character", 10, S);
    add_numbered(types, "Number", 10, M);
    add_numbered(types, "Date", 5, D);
    add_numbered(types, "CheckBox", 5, B);
    return {.name = "UD01",
            .entity_set = "UD01s",
            .service = "Ice.BO.UD01Svc",
            .keys = {"Company", "Key1", "Key2", "Key3", "Key4", "Key5"},
            .types = std::move(types)};
}

}  // namespace

std::vector<TableDef> make_epicor_tables() {
    std::vector<TableDef> tables;
    tables.push_back(with_stamp({.name = "Customer",
                                 .entity_set = "Customers",
                                 .service = "Erp.BO.CustomerSvc",
                                 .keys = {"Company", "CustNum"},
                                 .types = fields({{"CustID", S},
                                                  {"CustNum", I},
                                                  {"Name", S},
                                                  {"Address1", S},
                                                  {"Address2", S},
                                                  {"Address3", S},
                                                  {"City", S},
                                                  {"State", S},
                                                  {"Zip", S},
                                                  {"Country", S},
                                                  {"PhoneNum", S},
                                                  {"EMailAddress", S},
                                                  {"ShipViaCode", S},
                                                  {"TermsCode", S},
                                                  {"CurrencyCode", S},
                                                  {"CreditHold", B}})}));
    tables.push_back({.name = "Part",
                      .entity_set = "Parts",
                      .service = "Erp.BO.PartSvc",
                      .keys = {"Company", "PartNum"},
                      .types = fields({{"PartNum", S},
                                       {"PartDescription", S},
                                       {"IUM", S},
                                       {"SalesUM", S},
                                       {"UnitPrice", M},
                                       {"TypeCode", S},
                                       {"NonStock", B},
                                       {"InActive", B},
                                       {"NetWeight", M},
                                       {"NetWeightUOM", S},
                                       {"GrossWeight", M},
                                       {"GrossWeightUOM", S},
                                       {"PartLength", M},
                                       {"PartWidth", M},
                                       {"PartHeight", M},
                                       {"UPCCode1", S},
                                       {"UPCCode2", S},
                                       {"UPCCode3", S}})});
    tables.push_back(with_stamp(
        {.name = "OrderHed",
         .entity_set = "SalesOrders",
         .service = "Erp.BO.SalesOrderSvc",
         .keys = {"Company", "OrderNum"},
         .types = fields(
             {{"OrderNum", I},     {"CustNum", I},       {"BTCustNum", I},   {"CustomerCustID", S},
              {"CustomerName", S}, {"PONum", S},         {"OrderDate", D},   {"RequestDate", D},
              {"NeedByDate", D},   {"OpenOrder", B},     {"VoidOrder", B},   {"OrderHeld", B},
              {"ShipToNum", S},    {"ShipViaCode", S},   {"TermsCode", S},   {"CurrencyCode", S},
              {"OrderStatus", S},  {"DocTotalOrder", M}, {"OTSName", S},     {"OTSAddress1", S},
              {"OTSAddress2", S},  {"OTSAddress3", S},   {"OTSCity", S},     {"OTSState", S},
              {"OTSZIP", S},       {"OTSCountryNum", I}, {"OTSPhoneNum", S}, {"ChangedBy", S}}),
         .children = {{"OrderDtls", "OrderDtl", {"OrderNum"}},
                      {"OrderRels", "OrderRel", {"OrderNum"}}}}));
    tables.push_back({.name = "OrderDtl",
                      .entity_set = "OrderDtls",
                      .service = "Erp.BO.SalesOrderSvc",
                      .keys = {"Company", "OrderNum", "OrderLine"},
                      .types = fields({{"OrderNum", I},
                                       {"OrderLine", I},
                                       {"PartNum", S},
                                       {"LineDesc", S},
                                       {"IUM", S},
                                       {"SalesUM", S},
                                       {"SellingQuantity", M},
                                       {"OrderQty", M},
                                       {"UnitPrice", M},
                                       {"DocUnitPrice", M},
                                       {"DocExtPriceDtl", M},
                                       {"RequestDate", D},
                                       {"OpenLine", B},
                                       {"VoidLine", B}}),
                      .children = {{"OrderRels", "OrderRel", {"OrderNum", "OrderLine"}}},
                      .parent = "OrderHed"});
    tables.push_back({.name = "OrderRel",
                      .entity_set = "OrderRels",
                      .service = "Erp.BO.SalesOrderSvc",
                      .keys = {"Company", "OrderNum", "OrderLine", "OrderRelNum"},
                      .types = fields({{"OrderNum", I},
                                       {"OrderLine", I},
                                       {"OrderRelNum", I},
                                       {"OurReqQty", M},
                                       {"SellingReqQty", M},
                                       {"ShipToNum", S},
                                       {"ShipViaCode", S},
                                       {"ReqDate", D},
                                       {"OpenRelease", B},
                                       {"WarehouseCode", S}}),
                      .parent = "OrderDtl"});
    tables.push_back({.name = "ShipHead",
                      .entity_set = "CustShips",
                      .service = "Erp.BO.CustShipSvc",
                      .keys = {"Company", "PackNum"},
                      .types = fields({{"PackNum", I},
                                       {"CustNum", I},
                                       {"OrderNum", I},
                                       {"ShipDate", D},
                                       {"ShipViaCode", S},
                                       {"TrackingNumber", S},
                                       {"ShipStatus", S},
                                       {"Weight", M}}),
                      .children = {{"ShipDtls", "ShipDtl", {"PackNum"}},
                                   {"CartonTrkDtls", "CartonTrkDtl", {"PackNum"}}}});
    tables.push_back({.name = "ShipDtl",
                      .entity_set = "ShipDtls",
                      .service = "Erp.BO.CustShipSvc",
                      .keys = {"Company", "PackNum", "PackLine"},
                      .types = fields({{"PackNum", I},
                                       {"PackLine", I},
                                       {"OrderNum", I},
                                       {"OrderLine", I},
                                       {"OrderRelNum", I},
                                       {"PartNum", S},
                                       {"OurInventoryShipQty", M}}),
                      .parent = "ShipHead"});
    tables.push_back(
        {.name = "CartonTrkDtl",
         .entity_set = "CartonTrkDtls",
         .service = "Erp.BO.CustShipSvc",
         .keys = {"Company", "PackNum", "CaseNum"},
         .types = fields({{"PackNum", I}, {"CaseNum", I}, {"TrackingNumber", S}, {"PkgWeight", M}}),
         .parent = "ShipHead"});
    tables.push_back(ud01());
    tables.push_back(
        {.name = "GLJrnGrp",
         .entity_set = "GLJrnGrps",
         .service = "Erp.BO.GLJrnGrpSvc",
         .keys = {"Company", "GroupID"},
         .types =
             fields({{"GroupID", S}, {"Description", S}, {"FiscalYear", I}, {"FiscalPeriod", I}})});
    tables.push_back({.name = "GLJrnHed",
                      .entity_set = "GLJournalEntries",
                      .service = "Erp.BO.GLJournalEntrySvc",
                      .keys = {"Company", "BookID", "FiscalYear", "JournalCode", "JournalNum"},
                      .types = fields({{"FiscalYear", I},
                                       {"FiscalPeriod", I},
                                       {"JournalNum", I},
                                       {"JournalCode", S},
                                       {"JEDate", D},
                                       {"GroupID", S},
                                       {"BookID", S},
                                       {"TotDebit", M},
                                       {"TotCredit", M},
                                       {"Description", S},
                                       {"Posted", B}}),
                      .children = {{"GLJrnDtlMnls",
                                    "GLJrnDtlMnl",
                                    {"BookID", "FiscalYear", "JournalCode", "JournalNum"}}}});
    tables.push_back(
        {.name = "GLJrnDtlMnl",
         .entity_set = "GLJrnDtlMnls",
         .service = "Erp.BO.GLJournalEntrySvc",
         .keys = {"Company", "BookID", "FiscalYear", "JournalCode", "JournalNum", "JournalLine"},
         .types = fields({{"BookID", S},
                          {"FiscalYear", I},
                          {"JournalCode", S},
                          {"JournalNum", I},
                          {"JournalLine", I},
                          {"GLAccount", S},
                          {"TransAmt", M},
                          {"Description", S}}),
         .parent = "GLJrnHed"});
    tables.push_back({.name = "APInvHed",
                      .entity_set = "APInvoices",
                      .service = "Erp.BO.APInvoiceSvc",
                      .keys = {"Company", "VendorNum", "InvoiceNum"},
                      .types = fields({{"VendorNum", I},
                                       {"InvoiceNum", S},
                                       {"InvoiceDate", D},
                                       {"DueDate", D},
                                       {"DocInvoiceAmt", M},
                                       {"GroupID", S},
                                       {"Posted", B},
                                       {"DebitMemo", B},
                                       {"CurrencyCode", S}})});
    return tables;
}

}  // namespace mlc::sandbox::epicor

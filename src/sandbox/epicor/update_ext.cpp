// UpdateExt of Erp.BO.SalesOrderSvc and Erp.BO.CustShipSvc: a whole tableset written in one call.
//
// POST .../<Svc>/UpdateExt {"ds": {<table>: [rows]}, "continueProcessingOnError": bool,
// "rollbackParentOnChildError": bool} -> 200 {"returnObj": {"BOUpdError": [...]}, "parameters":
// {"ds": <rows as stored>, "errorsOccurred": bool}} (the method's published signature: ds and both
// flags required, returnObj an Ice BOUpdError tableset of TableName, ErrorLevel, ErrorType,
// ErrorText, ErrorSysRowID, SysRowID, RowMod). What the emulator does with it:
//  * rows with RowMod "A" are added through the same rules as every other route (the BO's GetNew
//    defaults: OrderNum/PackNum assigned, customer defaults from CustNum or CustomerCustID, part
//    defaults, a release per line), "U" rows update a stored row with just the fields sent; any
//    other RowMod is a row error;
//  * child rows (OrderDtl; ShipDtl, CartonTrkDtl) belong to the head row sent with the same link
//    value (OrderNum/PackNum, 0 for a new head) and take its assigned number; a child of no head
//    sent needs its head stored already;
//  * a failing row: with continueProcessingOnError true it becomes a BOUpdError row and the rest
//    goes on (a failing head skips its children; with rollbackParentOnChildError true a failing
//    child undoes its head and the head's other children); with it false the whole call is undone
//    and answers 400 like every business error (Ice.Common.BusinessObjectException, ErrorDetails);
//  * a malformed ds (not an object, an unknown table, a row that is not one, mistyped fields, two
//    rows with one key) answers 400 before anything is written.
// Not emulated: RowMod "D", OrderRel rows (Epicor makes them with each line), ExtensionTables
// content (accepted, ignored).

#include <array>
#include <set>

#include <boost/json/serialize.hpp>

#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/epicor/epicor_rows.hpp"

namespace mlc::sandbox::epicor {

namespace json = boost::json;
using net::HttpRequest;
using net::HttpResponse;

namespace {

constexpr std::string_view kMethod = "UpdateExt";
constexpr std::string_view kQuantityRequired = "Selling quantity must be greater than zero.";

// A service's UpdateExt tableset: the head table, the child tables written with it, and a table a
// caller may send back empty but not write.
struct ExtService {
    std::string_view service;
    std::string_view tableset;
    std::string_view head;
    std::array<std::string_view, 2> children;
    std::string_view read_only;
};

constexpr std::array<ExtService, 2> kExtServices{{
    {"Erp.BO.SalesOrderSvc",
     "Erp.Tablesets.UpdExtSalesOrderTableset",
     "OrderHed",
     {"OrderDtl", ""},
     "OrderRel"},
    {"Erp.BO.CustShipSvc",
     "Erp.Tablesets.UpdExtCustShipTableset",
     "ShipHead",
     {"ShipDtl", "CartonTrkDtl"},
     ""},
}};

const ExtService* ext_service(std::string_view service) {
    for (const ExtService& candidate : kExtServices) {
        if (candidate.service == service) return &candidate;
    }
    return nullptr;
}

std::vector<std::string> written_tables(const ExtService& service) {
    std::vector<std::string> tables{std::string(service.head)};
    for (std::string_view child : service.children) {
        if (!child.empty()) tables.emplace_back(child);
    }
    return tables;
}

// The fields of a sent row a write applies (RowMod and the row identity are the server's).
json::object applied_fields(const json::object& sent) {
    json::object fields = sent;
    for (const char* managed : {"RowMod", "SysRowID", "SysRevID"}) fields.erase(managed);
    return fields;
}

std::string key_values_text(const TableDef& def, const json::object& row) {
    std::string text;
    for (const std::string& key : def.keys) {
        const json::value* v = row.if_contains(key);
        if (!text.empty()) text += ", ";
        text += v == nullptr     ? std::string()
                : v->is_string() ? std::string(v->get_string())
                                 : json::serialize(*v);
    }
    return text;
}

const ChildLink* link_to(const TableDef& head, std::string_view child) {
    for (const ChildLink& link : head.children) {
        if (link.table == child) return &link;
    }
    return nullptr;
}

bool same_link(const ChildLink& link, const json::object& a, const json::object& b) {
    for (const std::string& field : link.fields) {
        if (num(a, field) != num(b, field)) return false;
    }
    return true;
}

}  // namespace

struct EpicorEmulator::ExtRun {
    struct Undo {
        const TableDef* def = nullptr;
        json::object key{};                    // The row written (its key fields)
        std::optional<json::object> before{};  // nullopt: the row was added
    };
    const ExtService* service = nullptr;
    std::string company{};
    bool continue_on_error = false;
    bool rollback_parent = false;
    json::object ds{};  // Typed rows as sent, Company filled in
    std::vector<Undo> undo{};
    json::array errors{};               // BOUpdError rows
    std::vector<json::object> heads{};  // Head rows written (keys): what the answer's ds holds
    std::optional<Refusal> stopped{};   // The error that ends a call without continueProcessing
};

struct EpicorEmulator::ExtGroup {
    const json::object* head = nullptr;  // nullptr: children of a stored head
    std::vector<std::pair<const TableDef*, const json::object*>> children{};
};

HttpResponse EpicorEmulator::update_ext(const HttpRequest& request, const std::string& service,
                                        const std::string& company) {
    if (request.method != "POST") {
        return error(405, "Method not allowed.", "System.Web.HttpException");
    }
    ExtRun run{.service = ext_service(service), .company = company};
    if (auto bad = read_ext_request(request, run)) return *bad;
    for (const ExtGroup& group : ext_groups(run)) {
        if (apply_ext_group(run, group)) continue;
        // continueProcessingOnError false: nothing of this call stays, the error is the answer.
        undo_ext(run, 0);
        Refusal refusal = *run.stopped;
        refusal.type = std::string(kBusinessType);
        return refusal_answer(refusal);
    }
    return ext_answer(run);
}

std::optional<HttpResponse> EpicorEmulator::read_ext_request(const HttpRequest& request,
                                                             ExtRun& run) {
    const auto malformed = [&](std::string message) {
        return error(400, std::string(kDeserializeMessage), std::string(kDeserializeType),
                     {detail(std::move(message), "", "", "", std::string(kMethod))});
    };
    auto body = parse_exact(request.body);
    if (!body || !body->is_object()) return malformed("The body must be a JSON object.");
    const json::object& in = body->as_object();
    for (const char* parameter :
         {"ds", "continueProcessingOnError", "rollbackParentOnChildError"}) {
        if (!in.contains(parameter)) {
            return malformed("Parameter " + std::string(parameter) +
                             " is not found in the input object.");
        }
    }
    for (const char* parameter : {"continueProcessingOnError", "rollbackParentOnChildError"}) {
        if (auto typed = coerce(FieldType::kBool, in.at(parameter)); !typed) {
            return malformed(typed.error().message);
        }
    }
    run.continue_on_error = in.at("continueProcessingOnError").as_bool();
    run.rollback_parent = in.at("rollbackParentOnChildError").as_bool();
    const json::object* ds = object_at(in, "ds");
    if (ds == nullptr) return malformed("Parameter ds must be a tableset object.");
    const std::vector<std::string> tables = written_tables(*run.service);
    for (const auto& member : *ds) {
        const std::string_view name = member.key();
        const bool known = std::find(tables.begin(), tables.end(), name) != tables.end() ||
                           name == run.service->read_only || name == "ExtensionTables";
        if (!known) {
            return malformed("The property '" + std::string(name) + "' does not exist on type '" +
                             std::string(run.service->tableset) + "'.");
        }
    }
    if (!run.service->read_only.empty()) {
        const json::value* rows = ds->if_contains(run.service->read_only);
        if (rows != nullptr && !(rows->is_array() && rows->as_array().empty())) {
            return refusal_answer({std::string(run.service->read_only) +
                                       " rows are written by Epicor with each line; UpdateExt "
                                       "of them is not emulated.",
                                   std::string(kBusinessType), std::string(run.service->read_only),
                                   "", std::string(kMethod)});
        }
    }
    if (auto bad = read_tableset(*ds, tables, kMethod, false, run.ds)) return *bad;
    for (const std::string& table : tables) {
        const TableDef& def = *database_.table(table);
        std::set<std::string> keys;
        for (json::value& row : run.ds[table].as_array()) {
            json::object& fields = row.as_object();
            if (!fields.contains("Company")) fields["Company"] = run.company;
            if (!keys.insert(database_.key_of(def, fields)).second) {
                std::string columns;
                for (const std::string& key : def.keys)
                    columns += (columns.empty() ? "" : ", ") + key;
                return malformed("Column '" + columns + "' is constrained to be unique.  Value '" +
                                 key_values_text(def, fields) + "' is already present.");
            }
        }
    }
    return std::nullopt;
}

std::vector<EpicorEmulator::ExtGroup> EpicorEmulator::ext_groups(const ExtRun& run) {
    const TableDef& head_def = *database_.table(run.service->head);
    std::vector<ExtGroup> groups;
    for (const json::value& head : run.ds.at(head_def.name).as_array()) {
        groups.push_back({.head = &head.as_object()});
    }
    for (std::string_view child : run.service->children) {
        if (child.empty()) continue;
        const TableDef* def = database_.table(child);
        const ChildLink& link = *link_to(head_def, child);
        for (const json::value& value : run.ds.at(def->name).as_array()) {
            const json::object& row = value.as_object();
            auto group = std::find_if(groups.begin(), groups.end(), [&](const ExtGroup& g) {
                const json::object& anchor = g.head ? *g.head : *g.children.front().second;
                return same_link(link, anchor, row);
            });
            // A child of no head sent joins (or starts) a group of its stored head.
            if (group == groups.end()) {
                groups.push_back({});
                group = std::prev(groups.end());
            }
            group->children.emplace_back(def, &row);
        }
    }
    return groups;
}

bool EpicorEmulator::apply_ext_group(ExtRun& run, const ExtGroup& group) {
    const TableDef& head_def = *database_.table(run.service->head);
    const std::size_t mark = run.undo.size();
    std::optional<json::object> head;
    if (group.head != nullptr) {
        if (auto refused = apply_ext_row(run, head_def, *group.head)) {
            record_ext_error(run, *refused, *group.head);
            return run.continue_on_error;  // Its children are not tried.
        }
        head = run.undo.back().key;
    }
    for (const auto& [def, sent_row] : group.children) {
        json::object sent = *sent_row;
        const ChildLink& link = *link_to(head_def, def->name);
        if (head) {
            for (const std::string& field : link.fields) sent[field] = head->at(field);
        }
        if (auto refused = apply_ext_row(run, *def, sent)) {
            record_ext_error(run, *refused, sent);
            if (!run.continue_on_error) return false;
            if (run.rollback_parent && head) {
                undo_ext(run, mark);  // The head and its other children go with the child.
                return true;
            }
            continue;
        }
        if (!head) {
            json::object key{{"Company", run.company}};
            for (const std::string& field : link.fields) key[field] = sent.at(field);
            run.heads.push_back(std::move(key));
        }
    }
    if (head) run.heads.push_back(std::move(*head));
    return true;
}

std::optional<EpicorEmulator::Refusal> EpicorEmulator::apply_ext_row(ExtRun& run,
                                                                     const TableDef& def,
                                                                     const json::object& sent) {
    const std::string mod(str(sent, "RowMod"));
    const auto refuse = [&](std::string message, std::string_view type, std::string field) {
        return Refusal{std::move(message), std::string(type), def.name, std::move(field),
                       std::string(kMethod)};
    };
    const bool lines = def.name == "OrderDtl";
    if (mod == "A") {
        json::object row = database_.new_row(def);
        for (const auto& field : applied_fields(sent)) row[field.key()] = field.value();
        if (lines && !(Decimal{} < dec(row, "SellingQuantity"))) {
            return refuse(std::string(kQuantityRequired), kBlType, "SellingQuantity");
        }
        if (auto refused = new_row_rules(def, row, kMethod)) return refused;
        const json::object& stored = store_new_row(def, std::move(row));
        run.undo.push_back({.def = &def, .key = stored, .before = std::nullopt});
        return std::nullopt;
    }
    if (mod != "U") {
        return refuse("RowMod '" + mod + "' is not valid: A adds a row, U updates one.", kBlType,
                      "RowMod");
    }
    json::object* stored = database_.find(def, sent);
    if (stored == nullptr || str(*stored, "Company") != run.company) {
        return refuse("Record not found.", kBusinessType, def.keys.back());
    }
    json::object before = *stored;
    json::object updated = *stored;
    for (const auto& field : applied_fields(sent)) updated[field.key()] = field.value();
    if (lines && !(Decimal{} < dec(updated, "SellingQuantity"))) {
        return refuse(std::string(kQuantityRequired), kBlType, "SellingQuantity");
    }
    if (auto refused = update_row(def, *stored, std::move(updated), kMethod)) return refused;
    run.undo.push_back({.def = &def, .key = before, .before = before});
    return std::nullopt;
}

void EpicorEmulator::record_ext_error(ExtRun& run, const Refusal& refusal,
                                      const json::object& sent) {
    run.errors.push_back(json::object{{"TableName", refusal.table},
                                      {"ErrorLevel", "Error"},
                                      {"ErrorType", refusal.type},
                                      {"ErrorText", refusal.message},
                                      {"ErrorSysRowID", std::string(str(sent, "SysRowID"))},
                                      {"SysRowID", database_.new_guid()},
                                      {"RowMod", "A"}});
    if (!run.continue_on_error && !run.stopped) run.stopped = refusal;
}

void EpicorEmulator::undo_ext(ExtRun& run, std::size_t down_to) {
    while (run.undo.size() > down_to) {
        ExtRun::Undo undo = std::move(run.undo.back());
        run.undo.pop_back();
        if (!undo.before) {
            database_.erase(*undo.def, undo.key);  // Its releases and cartons go with it.
        } else if (json::object* row = database_.find(*undo.def, undo.key)) {
            *row = std::move(*undo.before);
        }
        if (undo.def->name == "OrderDtl") refresh_order_totals(num(undo.key, "OrderNum"));
    }
}

HttpResponse EpicorEmulator::ext_answer(ExtRun& run) {
    const TableDef& head_def = *database_.table(run.service->head);
    json::object ds{{head_def.name, json::array{}}};
    for (const ChildLink& link : head_def.children) ds[link.table] = json::array{};
    std::set<std::string> seen;
    for (const json::object& key : run.heads) {
        json::object* head = database_.find(head_def, key);
        if (head == nullptr || !seen.insert(database_.key_of(head_def, key)).second) continue;
        for (auto& [table, rows] : tableset_of(head_def, *head)) {
            for (json::value& row : rows.as_array()) ds[table].as_array().push_back(std::move(row));
        }
    }
    const bool failed = !run.errors.empty();
    return json_answer(
        200, json::object{
                 {"returnObj", json::object{{"BOUpdError", std::move(run.errors)}}},
                 {"parameters", json::object{{"ds", std::move(ds)}, {"errorsOccurred", failed}}}});
}

}  // namespace mlc::sandbox::epicor

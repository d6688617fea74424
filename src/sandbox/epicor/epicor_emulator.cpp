#include "sandbox/epicor/epicor_emulator.hpp"

#include <algorithm>
#include <cstdio>

#include <boost/json/serialize.hpp>

#include "common/decimal.hpp"
#include "net/hmac.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/epicor/epicor_rows.hpp"

namespace mlc::sandbox::epicor {
namespace {

namespace json = boost::json;
using net::HttpRequest;
using net::HttpResponse;

constexpr std::size_t kPathSegmentsMax = 16;   // Longer paths are not Epicor routes.
constexpr std::size_t kKeyValuesMax = 8;       // OData key values in one segment.
constexpr std::int64_t kFirstOrderNum = 5001;  // Seeded and new sales orders count from here.
constexpr std::string_view kBadCredentials = "Invalid username or password.";

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start < path.size() && segments.size() <= kPathSegmentsMax) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        if (slash > start) segments.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return segments;
}

std::string hex(std::uint64_t value, int digits) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%0*llx", digits, static_cast<unsigned long long>(value));
    return std::string(buffer).substr(0, static_cast<std::size_t>(digits));
}

std::uint64_t next_random(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

HttpResponse no_content() {
    HttpResponse response;
    response.status = 204;
    return response;
}

// "'EPIC06',5001" -> ["EPIC06", 5001]; strings in single quotes ('' escapes one).
std::optional<json::array> parse_key_values(std::string_view text) {
    json::array values;
    std::size_t i = 0;
    while (i <= text.size() && values.size() < kKeyValuesMax) {
        if (i < text.size() && text[i] == '\'') {
            std::string value;
            ++i;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '\'') {
                    if (i + 1 < text.size() && text[i + 1] == '\'') {
                        value += '\'';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                value += text[i++];
            }
            if (!closed) return std::nullopt;
            values.emplace_back(value);
        } else {
            const std::size_t start = i;
            if (i < text.size() && text[i] == '-') ++i;
            while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
            const std::string_view digits = text.substr(start, i - start);
            if (digits.empty() || digits == "-" || digits.size() > 18) return std::nullopt;
            values.emplace_back(std::stoll(std::string(digits)));
        }
        if (i == text.size()) return values;
        if (text[i] != ',') return std::nullopt;
        ++i;
    }
    return std::nullopt;
}

// "SalesOrders('EPIC06',5001)" -> name and key text.
std::pair<std::string, std::optional<std::string>> split_segment(std::string_view segment) {
    const std::size_t open = segment.find('(');
    if (open == std::string_view::npos || segment.back() != ')') {
        return {std::string(segment), std::nullopt};
    }
    return {std::string(segment.substr(0, open)),
            std::string(segment.substr(open + 1, segment.size() - open - 2))};
}

}  // namespace

struct EpicorEmulator::Call {
    const HttpRequest& request;
    std::string company{};
    std::string service{};
    std::string username{};
    std::vector<std::string> rest{};  // Segments after the service
    const TableDef* def = nullptr;
    std::optional<json::object> key{};     // Key values from the URL, by field
    std::optional<json::object> parent{};  // Parent row (copy) for a child collection
    const ChildLink* link = nullptr;
};

EpicorEmulator::EpicorEmulator(EmulatorContext context)
    : clock_(context.clock),
      secret_state_(context.seed * 0x2545f4914f6cdd1dULL + 17),
      database_(context.clock, "EPIC06", context.seed) {
    seed(context.seed, context.volume);
}

json::object EpicorEmulator::connection_info(std::string_view base_url) const {
    return {{"base_url", std::string(base_url) + "/" + instance_},
            {"instance", instance_},
            {"company", database_.company()},
            {"username", username_},
            {"password", password_},
            {"api_key", api_key_}};
}

HttpResponse EpicorEmulator::json_answer(int status, const json::value& body) {
    HttpResponse response;
    response.status = status;
    response.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    response.body = write_exact(body, database_.decimal_fields());
    return response;
}

HttpResponse EpicorEmulator::error(int status, std::string message, std::string type,
                                   json::array details) {
    ++correlation_counter_;
    json::object body{
        {"HttpStatus", status},
        {"ReasonPhrase", "REST API Exception"},
        {"ErrorMessage", std::move(message)},
        {"ErrorType", std::move(type)},
        {"CorrelationId", "00000000-0000-4000-8000-" + hex(correlation_counter_, 12)}};
    if (!details.empty()) body["ErrorDetails"] = std::move(details);
    return json_answer(status, body);
}

// ---------------------------------------------------------------------------------------------
// Auth

std::optional<HttpResponse> EpicorEmulator::authenticate(const HttpRequest& request,
                                                         std::string_view company,
                                                         std::string& username) {
    const auto authorization = net::find_header(request.headers, "Authorization");
    const std::string_view auth = authorization.value_or("");
    bool identified = false;
    if (auth.starts_with("Basic ")) {
        const auto decoded = net::base64_decode(auth.substr(6));
        const std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon != std::string::npos) {
            const auto user = users_.find(std::string_view(*decoded).substr(0, colon));
            if (user != users_.end() && user->second.password == decoded->substr(colon + 1)) {
                username = user->first;
                identified = true;
            }
        }
    } else if (auth.starts_with("Bearer ")) {
        const auto token = tokens_.find(auth.substr(7));
        // No refresh tokens (spec): an expired token is simply refused; get a new one.
        if (token != tokens_.end() && clock_.now() < token->second.expires) {
            username = token->second.username;
            identified = true;
        }
    }
    if (!identified)
        return error(401, std::string(kBadCredentials), std::string(kUnauthorizedType));
    // A missing or wrong key answers 401 even with a valid token (spec).
    const std::string_view key = net::find_header(request.headers, "x-api-key").value_or("");
    if (key != api_key_) {
        return error(
            401,
            "Invalid API Key " + std::string(key) + ".\r\nCompany " + std::string(company) + ".",
            std::string(kUnauthorizedType));
    }
    const User& user = users_.find(username)->second;
    if (std::find(user.companies.begin(), user.companies.end(), company) == user.companies.end()) {
        return error(401, "Access denied (Erp.BO.Company.GetRows).",
                     std::string(kUnauthorizedType));
    }
    return std::nullopt;
}

std::string EpicorEmulator::issue_token(const std::string& username) {
    const UtcTime now = clock_.now();
    if (tokens_.size() >= kTokensMax) {
        std::erase_if(tokens_, [&](const auto& entry) { return entry.second.expires <= now; });
    }
    if (tokens_.size() >= kTokensMax) tokens_.erase(tokens_.begin());
    ++token_counter_;
    std::string token = "eyJ" + hex(next_random(secret_state_), 16) +
                        hex(next_random(secret_state_), 16) + "." + hex(token_counter_, 8);
    tokens_[token] = {.username = username, .expires = now + kTokenLifetime};
    return token;
}

HttpResponse EpicorEmulator::token_resource(const HttpRequest& request) {
    if (request.method != "POST")
        return error(405, "Method not allowed.", "System.Web.HttpException");
    // Legacy resource: credentials in `username`/`password` headers (spec, Auth).
    const auto user_header = net::find_header(request.headers, "username");
    const auto password_header = net::find_header(request.headers, "password");
    const auto user = users_.find(user_header.value_or(""));
    if (!user_header || !password_header || user == users_.end() ||
        user->second.password != *password_header) {
        return error(401, std::string(kBadCredentials), std::string(kUnauthorizedType));
    }
    return json_answer(200, json::object{{"AccessToken", issue_token(user->first)},
                                         {"ExpiresIn", kTokenLifetime.count()},
                                         {"TokenType", "Bearer"}});
}

HttpResponse EpicorEmulator::get_access_token(const std::string& username) {
    json::object token{{"AccessToken", issue_token(username)},
                       {"ExpiresIn", kTokenLifetime.count()},
                       {"RefreshToken", ""},
                       {"TokenType", "Bearer"}};
    return json_answer(
        200, json::object{{"returnObj", json::object{{"TokenService", json::array{token}}}}});
}

// ---------------------------------------------------------------------------------------------
// Routing

HttpResponse EpicorEmulator::handle(const HttpRequest& request) {
    const std::vector<std::string> segments = split_path(net::url_path(request.url));
    if (segments.size() < 2 || segments[0] != instance_ || segments.size() > kPathSegmentsMax) {
        return error(404, "The requested resource was not found.", "System.Web.HttpException");
    }
    if (segments[1] == "TokenResource.svc" && segments.size() == 2) return token_resource(request);
    if (segments.size() >= 6 && segments[1] == "api" && segments[2] == "v2" &&
        segments[3] == "odata") {
        return route_v2(request, segments);
    }
    return error(404, "The requested resource was not found.", "System.Web.HttpException");
}

HttpResponse EpicorEmulator::route_v2(const HttpRequest& request,
                                      const std::vector<std::string>& segments) {
    Call call{.request = request, .company = segments[4], .service = segments[5]};
    if (auto denied = authenticate(request, call.company, call.username)) return *denied;
    call.rest.assign(segments.begin() + 6, segments.end());
    if (call.rest.empty() || call.rest.size() > 2) {
        return error(404, "Resource not found for the segment '" + call.service + "'.",
                     std::string(kODataType));
    }
    if (call.service == "Ice.LIB.TokenServiceSvc" && call.rest.size() == 1 &&
        call.rest[0] == "GetAccessToken") {
        if (request.method != "POST")
            return error(405, "Method not allowed.", "System.Web.HttpException");
        return get_access_token(call.username);
    }
    const auto [name, key_text] = split_segment(call.rest[0]);
    const TableDef* def = database_.table_for_set(call.service, name);
    if (def == nullptr) {
        if (call.rest.size() == 1 && !key_text) return method_request(call);
        return error(404, "Resource not found for the segment '" + name + "'.",
                     std::string(kODataType));
    }
    const auto read_key = [&](const TableDef& table,
                              const std::string& text) -> std::optional<json::object> {
        const auto values = parse_key_values(text);
        if (!values || values->size() != table.keys.size()) return std::nullopt;
        json::object key;
        for (std::size_t i = 0; i < table.keys.size(); ++i) {
            const bool is_int = table.types.at(table.keys[i]) == FieldType::kInt;
            if ((*values)[i].is_int64() != is_int) return std::nullopt;
            key[table.keys[i]] = (*values)[i];
        }
        return key;
    };
    const auto bad_key = [&](const TableDef& table) {
        return error(400,
                     "The number of keys specified in the URI does not match number of key "
                     "properties for the resource '" +
                         table.row_type() + "'.",
                     std::string(kODataType));
    };
    call.def = def;
    if (key_text) {
        call.key = read_key(*def, *key_text);
        if (!call.key) return bad_key(*def);
    }
    if (call.rest.size() == 2) {
        const auto [child_name, child_key] = split_segment(call.rest[1]);
        // An init-capture: clang 14 cannot capture a structured binding itself.
        const auto link =
            std::find_if(def->children.begin(), def->children.end(),
                         [&name = child_name](const ChildLink& l) { return l.nav == name; });
        if (!call.key || link == def->children.end()) {
            return error(404, "Resource not found for the segment '" + child_name + "'.",
                         std::string(kODataType));
        }
        const json::object* parent = database_.find(*def, *call.key);
        if (parent == nullptr || (*call.key)["Company"] != json::value(call.company)) {
            return error(404, "Record not found.", std::string(kBusinessType));
        }
        call.parent = *parent;
        call.link = &*link;
        call.def = database_.table(link->table);
        call.key.reset();
        if (child_key) {
            call.key = read_key(*call.def, *child_key);
            if (!call.key) return bad_key(*call.def);
        }
    }
    return entity_request(call);
}

HttpResponse EpicorEmulator::entity_request(Call& call) {
    const std::string& method = call.request.method;
    if (!call.key) {
        if (method == "GET") return list_rows(call);
        if (method == "POST") return create_row(call);
        return error(405, "Method not allowed.", "System.Web.HttpException");
    }
    json::object* row = database_.find(*call.def, *call.key);
    bool in_parent = row != nullptr && str(*row, "Company") == call.company;
    if (row != nullptr && call.parent && call.link) {
        for (const std::string& field : call.link->fields) {
            in_parent = in_parent && row->at(field) == call.parent->at(field);
        }
    }
    if (!in_parent) return error(404, "Record not found.", std::string(kBusinessType));
    if (method == "GET") return get_row(call, *row);
    if (method == "PATCH") return patch_row(call, *row);
    if (method == "DELETE") return delete_row(call, *row);
    return error(405, "Method not allowed.", "System.Web.HttpException");
}

// ---------------------------------------------------------------------------------------------
// OData entity sets

namespace {

Result<void> check_query(const ODataQuery& query, const TableDef& def) {
    MLC_CHECK(check_filter(query.filter, def.types, def.row_type()));
    MLC_CHECK(check_fields(query.select, def.types, def.row_type()));
    for (const OrderKey& key : query.orderby) {
        MLC_CHECK(check_fields({key.field}, def.types, def.row_type()));
    }
    for (const std::string& nav : query.expand) {
        const bool known = std::any_of(def.children.begin(), def.children.end(),
                                       [&](const ChildLink& l) { return l.nav == nav; });
        if (!known) {
            return make_error(
                ErrorCode::kInvalidInput, "epicor",
                "Could not find a property named '" + nav + "' on type '" + def.row_type() + "'.");
        }
    }
    return ok();
}

}  // namespace

HttpResponse EpicorEmulator::list_rows(Call& call) {
    auto query = parse_odata_query(net::url_query(call.request.url));
    if (!query) return error(400, query.error().message, std::string(kODataType));
    if (auto checked = check_query(*query, *call.def); !checked) {
        return error(400, checked.error().message, std::string(kODataType));
    }
    std::vector<const json::object*> rows;
    if (call.link) {
        for (const json::object* row : database_.children(*call.link, *call.parent)) {
            rows.push_back(row);
        }
    } else if (auto equality = required_string_equality(query->filter, call.def->types)) {
        // `PONum eq 'SS-1'`: a lookup, not a scan of every order (a backfill asks once per order).
        rows = database_.rows_with(*call.def, equality->field, equality->value);
    } else {
        for (const auto& [key, row] : database_.rows(*call.def)) rows.push_back(&row);
    }
    std::erase_if(rows, [&](const json::object* row) {
        return str(*row, "Company") != call.company ||
               !matches(query->filter, *row, call.def->types);
    });
    if (!query->orderby.empty()) {
        std::stable_sort(rows.begin(), rows.end(),
                         [&](const json::object* a, const json::object* b) {
                             return compare_rows(*a, *b, query->orderby, call.def->types) < 0;
                         });
    }
    // No @odata.nextLink (spec): clients page with $top/$skip until a page is short.
    const std::size_t begin = std::min(query->skip, rows.size());
    const std::size_t end = query->top ? std::min(rows.size(), begin + *query->top) : rows.size();
    json::array value;
    for (std::size_t i = begin; i < end; ++i) {
        json::object out;
        if (query->select.empty()) {
            out = *rows[i];
        } else {
            for (const std::string& field : query->select) out[field] = rows[i]->at(field);
        }
        for (const std::string& nav : query->expand) {
            const ChildLink& link =
                *std::find_if(call.def->children.begin(), call.def->children.end(),
                              [&](const ChildLink& l) { return l.nav == nav; });
            json::array children;
            for (const json::object* child : database_.children(link, *rows[i])) {
                children.push_back(*child);
            }
            out[nav] = std::move(children);
        }
        value.push_back(std::move(out));
    }
    const std::string context = base_url_ + "/" + instance_ + "/api/v2/odata/" + call.company +
                                "/" + call.service + "/$metadata#" + call.def->entity_set;
    return json_answer(200, json::object{{"@odata.context", context}, {"value", std::move(value)}});
}

HttpResponse EpicorEmulator::get_row(Call& call, const json::object& row) {
    auto query = parse_odata_query(net::url_query(call.request.url));
    if (!query) return error(400, query.error().message, std::string(kODataType));
    if (auto checked = check_query(*query, *call.def); !checked) {
        return error(400, checked.error().message, std::string(kODataType));
    }
    json::object out{{"@odata.context", base_url_ + "/" + instance_ + "/api/v2/odata/" +
                                            call.company + "/" + call.service + "/$metadata#" +
                                            call.def->entity_set + "/$entity"}};
    if (query->select.empty()) {
        for (const auto& member : row) out[member.key()] = member.value();
    } else {
        for (const std::string& field : query->select) out[field] = row.at(field);
    }
    for (const std::string& nav : query->expand) {
        const ChildLink& link = *std::find_if(call.def->children.begin(), call.def->children.end(),
                                              [&](const ChildLink& l) { return l.nav == nav; });
        json::array children;
        for (const json::object* child : database_.children(link, row)) children.push_back(*child);
        out[nav] = std::move(children);
    }
    return json_answer(200, out);
}

HttpResponse EpicorEmulator::create_row(Call& call) {
    auto body = parse_exact(call.request.body);
    if (!body || !body->is_object()) {
        return error(400, "Unable to deserialize entity", std::string(kDeserializeType));
    }
    json::object row = database_.new_row(*call.def);
    if (auto coerced = coerce_into(*call.def, body->get_object(), row, false); !coerced) {
        json::array details{detail(coerced.error().message, call.def->name, "", "", "")};
        return error(400, "Unable to deserialize entity", std::string(kDeserializeType),
                     std::move(details));
    }
    if (call.link) {
        for (const std::string& field : call.link->fields) row[field] = call.parent->at(field);
    }
    acting_user_ = call.username;
    if (auto refused = prepare_new_row(*call.def, row, "Update")) return *refused;
    json::object stored = store_new_row(*call.def, std::move(row));
    json::object answer{{"@odata.context", base_url_ + "/" + instance_ + "/api/v2/odata/" +
                                               call.company + "/" + call.service + "/$metadata#" +
                                               call.def->entity_set + "/$entity"}};
    for (const auto& member : stored) answer[member.key()] = member.value();
    return json_answer(201, answer);
}

namespace {

// Epicor's journal rules: a posted journal's lines cannot change, and a journal is posted only
// when its debits equal its credits (and it has lines). `before` is the stored row of an update.
std::optional<std::pair<std::string, std::string>> journal_refusal(EpicorDatabase& db,
                                                                   const TableDef& def,
                                                                   const json::object& row,
                                                                   const json::object* before) {
    if (def.name == "GLJrnDtlMnl") {
        const json::object* head = db.find(*db.table("GLJrnHed"), row);
        if (head != nullptr && flag(*head, "Posted")) {
            return std::pair{"Journal " + std::to_string(num(row, "JournalNum")) +
                                 " is posted: its lines cannot change.",
                             std::string("JournalNum")};
        }
    } else if (def.name == "GLJrnHed" && flag(row, "Posted") &&
               (before == nullptr || !flag(*before, "Posted"))) {
        const Decimal debit = before ? dec(*before, "TotDebit") : Decimal();
        const Decimal credit = before ? dec(*before, "TotCredit") : Decimal();
        if (debit.is_zero() || debit != credit) {
            return std::pair{"The journal is out of balance (debits " + debit.to_string(2) +
                                 ", credits " + credit.to_string(2) + "): it cannot be posted.",
                             std::string("Posted")};
        }
    }
    return std::nullopt;
}

// TotDebit and TotCredit of the journal of `line`, from its lines.
void refresh_journal_totals(EpicorDatabase& db, const json::object& line) {
    const TableDef& heads = *db.table("GLJrnHed");
    json::object* head = db.find(heads, line);
    if (head == nullptr) return;
    Decimal debit, credit;
    for (const json::object* each : db.children(heads.children[0], *head)) {
        const Decimal amount = dec(*each, "TransAmt");
        (amount.is_negative() ? credit : debit) += amount.is_negative() ? -amount : amount;
    }
    (*head)["TotDebit"] = debit.to_string();
    (*head)["TotCredit"] = credit.to_string();
    db.touch(heads, *head);
}

}  // namespace

HttpResponse EpicorEmulator::patch_row(Call& call, json::object& row) {
    auto body = parse_exact(call.request.body);
    if (!body || !body->is_object()) {
        return error(400, "Unable to deserialize entity", std::string(kDeserializeType));
    }
    json::object updated = row;
    if (auto coerced = coerce_into(*call.def, body->get_object(), updated, false); !coerced) {
        json::array details{detail(coerced.error().message, call.def->name, "", "", "")};
        return error(400, "Unable to deserialize entity", std::string(kDeserializeType),
                     std::move(details));
    }
    for (const std::string& key : call.def->keys) {
        if (updated.at(key) != row.at(key)) {
            return error(400, "Key field " + key + " cannot be changed.", std::string(kBlType),
                         {detail("Key field " + key + " cannot be changed.", call.def->name, key,
                                 program_of(*call.def), "Update")});
        }
    }
    acting_user_ = call.username;
    if (auto refused = update_row(*call.def, row, std::move(updated), "Update")) {
        return refusal_answer(*refused);
    }
    return no_content();
}

std::optional<EpicorEmulator::Refusal> EpicorEmulator::update_row(const TableDef& def,
                                                                  json::object& row,
                                                                  json::object updated,
                                                                  std::string_view method) {
    if (auto refused = row_references(def, updated, method)) return refused;
    if (auto journal = journal_refusal(database_, def, updated, &row)) {
        return Refusal{journal->first, std::string(kBlType), def.name, journal->second,
                       std::string(method)};
    }
    if (def.name == "OrderDtl") {
        if (dec(updated, "SellingQuantity") != dec(row, "SellingQuantity")) {
            updated["OrderQty"] = updated.at("SellingQuantity");
        }
        updated["DocExtPriceDtl"] =
            dec(updated, "DocUnitPrice").mul(dec(updated, "SellingQuantity")).round(2).to_string();
    }
    if (updated.contains("ChangedBy")) updated["ChangedBy"] = acting_user_;
    row = std::move(updated);
    database_.touch(def, row);
    if (def.name == "OrderDtl") refresh_order_totals(num(row, "OrderNum"));
    if (def.name == "GLJrnDtlMnl") refresh_journal_totals(database_, row);
    return std::nullopt;
}

HttpResponse EpicorEmulator::delete_row(Call& call, const json::object& row) {
    const json::object copy = row;
    database_.erase(*call.def, copy);
    if (call.def->name == "OrderDtl") refresh_order_totals(num(copy, "OrderNum"));
    return no_content();
}

// ---------------------------------------------------------------------------------------------
// Business rules

HttpResponse EpicorEmulator::refusal_answer(const Refusal& refusal) {
    const TableDef* def = database_.table(refusal.table);
    return error(400, refusal.message, refusal.type,
                 {detail(refusal.message, refusal.table, refusal.field,
                         def != nullptr ? program_of(*def) : std::string(), refusal.method)});
}

std::optional<HttpResponse> EpicorEmulator::check_references(const TableDef& def, json::object& row,
                                                             std::string_view method) {
    if (auto refused = row_references(def, row, method)) return refusal_answer(*refused);
    return std::nullopt;
}

std::optional<HttpResponse> EpicorEmulator::prepare_new_row(const TableDef& def, json::object& row,
                                                            std::string_view method) {
    if (auto refused = new_row_rules(def, row, method)) return refusal_answer(*refused);
    return std::nullopt;
}

std::optional<EpicorEmulator::Refusal> EpicorEmulator::row_references(const TableDef& def,
                                                                      json::object& row,
                                                                      std::string_view method) {
    const auto refuse = [&](std::string message, std::string field) {
        return Refusal{std::move(message), std::string(kBusinessType), def.name, std::move(field),
                       std::string(method)};
    };
    if (def.name == "OrderHed") {
        const TableDef& customers = *database_.table("Customer");
        json::object* customer = nullptr;
        if (num(row, "CustNum") != 0) {
            customer = database_.find(
                customers, {{"Company", database_.company()}, {"CustNum", num(row, "CustNum")}});
        } else if (!str(row, "CustomerCustID").empty()) {
            customer = database_.find_by(customers, "CustID", row.at("CustomerCustID"));
        }
        if (customer == nullptr) return refuse("Customer not found.", "CustNum");
        row["CustNum"] = customer->at("CustNum");
        row["BTCustNum"] = customer->at("CustNum");
        row["CustomerCustID"] = customer->at("CustID");
        row["CustomerName"] = customer->at("Name");
        for (const char* field : {"ShipViaCode", "TermsCode", "CurrencyCode"}) {
            if (str(row, field).empty()) row[field] = customer->at(field);
        }
    } else if (def.name == "OrderDtl") {
        json::object* part =
            database_.find(*database_.table("Part"),
                           {{"Company", database_.company()}, {"PartNum", str(row, "PartNum")}});
        if (part == nullptr) return refuse("Part not found.", "PartNum");
        if (flag(*part, "InActive")) {
            return refuse("Part " + std::string(str(row, "PartNum")) + " is inactive.", "PartNum");
        }
    } else if (def.name == "ShipHead") {
        // A pack of an order takes the order's customer and ship-via when it names none (Epicor's
        // order lookup on a pack fills them); a pack for no known customer is refused.
        const std::int64_t order_num = num(row, "OrderNum");
        if (order_num != 0) {
            const json::object* order =
                database_.find(*database_.table("OrderHed"),
                               {{"Company", database_.company()}, {"OrderNum", order_num}});
            if (order == nullptr) {
                return refuse("Sales order " + std::to_string(order_num) + " not found.",
                              "OrderNum");
            }
            if (num(row, "CustNum") == 0) row["CustNum"] = order->at("CustNum");
            if (str(row, "ShipViaCode").empty()) row["ShipViaCode"] = order->at("ShipViaCode");
        }
        if (database_.find(*database_.table("Customer"),
                           {{"Company", database_.company()}, {"CustNum", num(row, "CustNum")}}) ==
            nullptr) {
            return refuse("Customer not found.", "CustNum");
        }
    } else if (def.name == "GLJrnHed") {
        // A journal group is required (spec: Erp.BO.GLJrnGrpSvc).
        if (str(row, "GroupID").empty()) return refuse("A journal group is required.", "GroupID");
        if (database_.find(*database_.table("GLJrnGrp"),
                           {{"Company", database_.company()}, {"GroupID", row.at("GroupID")}}) ==
            nullptr) {
            return refuse("Journal group " + std::string(str(row, "GroupID")) + " is not valid.",
                          "GroupID");
        }
    }
    return std::nullopt;
}

std::optional<EpicorEmulator::Refusal> EpicorEmulator::new_row_rules(const TableDef& def,
                                                                     json::object& row,
                                                                     std::string_view method) {
    const auto refuse = [&](std::string message, std::string field) {
        return Refusal{std::move(message), std::string(kBlType), def.name, std::move(field),
                       std::string(method)};
    };
    const auto parent_exists = [&](const TableDef& child) {
        const TableDef& parent = *database_.table(child.parent);
        return database_.find(parent, row) != nullptr;
    };
    const json::object no_scope;
    if (auto journal = journal_refusal(database_, def, row, nullptr)) {
        return refuse(journal->first, journal->second);
    }
    if (def.name == "Customer") {
        if (str(row, "CustID").empty()) return refuse("Customer ID is required.", "CustID");
        if (database_.find_by(def, "CustID", row.at("CustID")) != nullptr) {
            return refuse("Customer ID " + std::string(str(row, "CustID")) + " already exists.",
                          "CustID");
        }
        if (num(row, "CustNum") == 0)
            row["CustNum"] = database_.next_number(def, "CustNum", no_scope);
    } else if (def.name == "Part") {
        if (str(row, "PartNum").empty()) return refuse("Part number is required.", "PartNum");
        for (const char* um : {"IUM", "SalesUM"}) {
            if (str(row, um).empty()) row[um] = "EA";
        }
    } else if (def.name == "OrderHed") {
        // Epicor assigns OrderNum (spec); a caller's 0 means "assign".
        if (num(row, "OrderNum") == 0) {
            row["OrderNum"] = database_.next_number(def, "OrderNum", no_scope, kFirstOrderNum);
        }
        if (row.at("OrderDate").is_null()) row["OrderDate"] = database_.today();
        row["OpenOrder"] = true;
        if (str(row, "OrderStatus").empty()) row["OrderStatus"] = "OPEN";
        row["ChangedBy"] = acting_user_;
    } else if (def.name == "OrderDtl") {
        json::object* order = database_.find(*database_.table("OrderHed"), row);
        if (order == nullptr) {
            return refuse("Sales order " + std::to_string(num(row, "OrderNum")) + " not found.",
                          "OrderNum");
        }
        if (auto refused = row_references(def, row, method)) return refused;
        const json::object& part = *database_.find(*database_.table("Part"), row);
        if (num(row, "OrderLine") == 0) {
            row["OrderLine"] =
                database_.next_number(def, "OrderLine", {{"OrderNum", row.at("OrderNum")}});
        }
        if (str(row, "LineDesc").empty()) row["LineDesc"] = part.at("PartDescription");
        for (const char* um : {"IUM", "SalesUM"}) {
            if (str(row, um).empty()) row[um] = part.at(um);
        }
        if (dec(row, "DocUnitPrice").is_zero()) {
            row["DocUnitPrice"] =
                dec(row, "UnitPrice").is_zero() ? part.at("UnitPrice") : row.at("UnitPrice");
        }
        if (dec(row, "UnitPrice").is_zero()) row["UnitPrice"] = row.at("DocUnitPrice");
        if (dec(row, "OrderQty").is_zero()) row["OrderQty"] = row.at("SellingQuantity");
        row["DocExtPriceDtl"] =
            dec(row, "DocUnitPrice").mul(dec(row, "SellingQuantity")).round(2).to_string();
        if (row.at("RequestDate").is_null()) row["RequestDate"] = order->at("RequestDate");
        row["OpenLine"] = true;
    } else if (!def.parent.empty()) {
        if (!parent_exists(def)) return refuse("Parent record not found.", def.keys.back());
        const std::string& number = def.keys.back();
        if (def.types.at(number) == FieldType::kInt && num(row, number) == 0) {
            json::object scope;
            for (std::size_t i = 0; i + 1 < def.keys.size(); ++i) {
                scope[def.keys[i]] = row.at(def.keys[i]);
            }
            row[number] = database_.next_number(def, number, scope);
        }
        if (def.name == "OrderRel") row["OpenRelease"] = true;
    } else if (def.name == "ShipHead") {
        if (auto refused = row_references(def, row, method)) return refused;
        if (num(row, "PackNum") == 0)
            row["PackNum"] = database_.next_number(def, "PackNum", no_scope);
    } else if (def.name == "UD01") {
        if (str(row, "Key1").empty()) return refuse("Key1 is required.", "Key1");
    } else if (def.name == "GLJrnGrp") {
        if (str(row, "GroupID").empty()) return refuse("Group ID is required.", "GroupID");
    } else if (def.name == "GLJrnHed") {
        if (auto refused = row_references(def, row, method)) return refused;
        if (str(row, "BookID").empty()) row["BookID"] = "MAIN";
        if (str(row, "JournalCode").empty()) row["JournalCode"] = "GJ";
        if (row.at("JEDate").is_null()) row["JEDate"] = database_.today();
        if (num(row, "JournalNum") == 0) {
            row["JournalNum"] = database_.next_number(def, "JournalNum",
                                                      {{"BookID", row.at("BookID")},
                                                       {"FiscalYear", row.at("FiscalYear")},
                                                       {"JournalCode", row.at("JournalCode")}});
        }
    } else if (def.name == "APInvHed") {
        if (num(row, "VendorNum") <= 0) return refuse("Supplier is required.", "VendorNum");
        if (str(row, "InvoiceNum").empty())
            return refuse("Invoice number is required.", "InvoiceNum");
        // Unique on VendorNum + InvoiceNum (spec).
        if (database_.find(def, row) != nullptr) {
            return refuse("Duplicate invoice number " + std::string(str(row, "InvoiceNum")) +
                              " for supplier " + std::to_string(num(row, "VendorNum")) + ".",
                          "InvoiceNum");
        }
    }
    if (def.name == "OrderHed") {
        if (auto refused = row_references(def, row, method)) return refused;
    }
    if (database_.find(def, row) != nullptr) {
        return refuse("A " + def.name + " record with the same key already exists.",
                      def.keys.back());
    }
    return std::nullopt;
}

json::object& EpicorEmulator::store_new_row(const TableDef& def, json::object row) {
    json::object& stored = database_.insert(def, std::move(row));
    if (def.name == "OrderDtl") {
        // Epicor creates release 1 with each new line.
        const TableDef& rels = *database_.table("OrderRel");
        json::object rel = database_.new_row(rels);
        rel["OrderNum"] = stored.at("OrderNum");
        rel["OrderLine"] = stored.at("OrderLine");
        rel["OrderRelNum"] = 1;
        rel["OurReqQty"] = stored.at("OrderQty");
        rel["SellingReqQty"] = stored.at("SellingQuantity");
        rel["ReqDate"] = stored.at("RequestDate");
        rel["OpenRelease"] = true;
        rel["WarehouseCode"] = "MAIN";
        json::object* order = database_.find(*database_.table("OrderHed"), stored);
        if (order != nullptr) {
            rel["ShipToNum"] = order->at("ShipToNum");
            rel["ShipViaCode"] = order->at("ShipViaCode");
        }
        const std::int64_t order_num = num(stored, "OrderNum");
        json::object copy = stored;
        if (database_.find(rels, rel) == nullptr) database_.insert(rels, std::move(rel));
        refresh_order_totals(order_num);
        return *database_.find(def, copy);
    }
    if (def.name == "GLJrnDtlMnl") refresh_journal_totals(database_, stored);
    return stored;
}

void EpicorEmulator::refresh_order_totals(std::int64_t order_num) {
    const TableDef& heads = *database_.table("OrderHed");
    json::object* order =
        database_.find(heads, {{"Company", database_.company()}, {"OrderNum", order_num}});
    if (order == nullptr) return;
    Decimal total;
    for (const json::object* line : database_.children(heads.children[0], *order)) {
        if (!flag(*line, "VoidLine")) total += dec(*line, "DocExtPriceDtl");
    }
    (*order)["DocTotalOrder"] = total.to_string();
    // A line write changes the header's totals: the header is written too.
    database_.touch(heads, *order);
}

// ---------------------------------------------------------------------------------------------
// Business-object methods

HttpResponse EpicorEmulator::method_request(Call& call) {
    if (call.rest[0] == "UpdateExt" &&
        (call.service == "Erp.BO.SalesOrderSvc" || call.service == "Erp.BO.CustShipSvc")) {
        acting_user_ = call.username;
        return update_ext(call.request, call.service, call.company);
    }
    if (call.service == "Erp.BO.SalesOrderSvc") return sales_order_method(call);
    return error(404, "Resource not found for the segment '" + call.rest[0] + "'.",
                 std::string(kODataType));
}

std::optional<HttpResponse> EpicorEmulator::read_tableset(const json::object& sent,
                                                          const std::vector<std::string>& tables,
                                                          std::string_view method, bool defaults,
                                                          json::object& out) {
    for (const std::string& table : tables) {
        const TableDef& def = *database_.table(table);
        json::array typed;
        if (const json::value* rows = sent.if_contains(table)) {
            if (!rows->is_array() || rows->as_array().size() > kTablesetRowsMax) {
                return error(400, std::string(kDeserializeMessage), std::string(kDeserializeType),
                             {detail("'" + table + "' must be an array of at most " +
                                         std::to_string(kTablesetRowsMax) + " rows.",
                                     table, "", "", std::string(method))});
            }
            for (const json::value& sent_row : rows->as_array()) {
                json::object row = defaults ? database_.new_row(def) : json::object{};
                if (defaults) row["SysRowID"] = "00000000-0000-0000-0000-000000000000";
                auto coerced = sent_row.is_object()
                                   ? coerce_into(def, sent_row.as_object(), row, true)
                                   : Result<void>(make_error(ErrorCode::kInvalidInput, "epicor",
                                                             "row is not an object"));
                if (!coerced) {
                    return error(
                        400, std::string(kDeserializeMessage), std::string(kDeserializeType),
                        {detail(coerced.error().message, table, "", "", std::string(method))});
                }
                typed.push_back(std::move(row));
            }
        }
        out[table] = std::move(typed);
    }
    return std::nullopt;
}

json::object EpicorEmulator::tableset_of(const TableDef& head, const json::object& head_row) {
    json::object ds{{head.name, json::array{head_row}}};
    for (const ChildLink& link : head.children) {
        json::array rows;
        for (const json::object* child : database_.children(link, head_row)) rows.push_back(*child);
        ds[link.table] = std::move(rows);
    }
    return ds;
}

json::object EpicorEmulator::order_tableset(std::int64_t order_num) {
    const TableDef& heads = *database_.table("OrderHed");
    json::object* order =
        database_.find(heads, {{"Company", database_.company()}, {"OrderNum", order_num}});
    if (order == nullptr) {
        return {
            {"OrderHed", json::array{}}, {"OrderDtl", json::array{}}, {"OrderRel", json::array{}}};
    }
    return tableset_of(heads, *order);
}

namespace {

// The row a UI method works on: the last one being added or updated, else the last one.
json::object* editing_row(json::object& ds, std::string_view table) {
    json::value* rows = ds.if_contains(table);
    if (rows == nullptr || !rows->is_array() || rows->as_array().empty()) return nullptr;
    json::array& array = rows->as_array();
    for (auto it = array.rbegin(); it != array.rend(); ++it) {
        const std::string_view mod = str(it->as_object(), "RowMod");
        if (mod == "A" || mod == "U") return &it->as_object();
    }
    return &array.back().as_object();
}

std::optional<Decimal> decimal_param(const json::object& parameters, std::string_view name) {
    const json::value* v = parameters.if_contains(name);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return Decimal::from_int(v->get_int64());
    if (v->is_string()) {
        if (auto d = Decimal::parse(v->get_string())) return *d;
    }
    return std::nullopt;
}

}  // namespace

HttpResponse EpicorEmulator::sales_order_method(Call& call) {
    const std::string& name = call.rest[0];
    const bool readable = name == "GetByID";
    if (call.request.method != "POST" && !(readable && call.request.method == "GET")) {
        return error(405, "Method not allowed.", "System.Web.HttpException");
    }
    json::object parameters;
    if (call.request.method == "GET") {
        for (const auto& [param, value] : net::url_query(call.request.url)) {
            const bool digits = !value.empty() && value.size() < 18 &&
                                std::all_of(value.begin(), value.end(), [](char c) {
                                    return std::isdigit(static_cast<unsigned char>(c));
                                });
            parameters[param] = digits ? json::value(std::stoll(value)) : json::value(value);
        }
    } else if (!call.request.body.empty()) {
        auto body = parse_exact(call.request.body);
        if (!body || !body->is_object()) {
            return error(400, "Unable to deserialize entity", std::string(kDeserializeType));
        }
        parameters = std::move(body->get_object());
    }
    // The tableset as sent back by the caller: rows typed like the entity sets.
    json::object ds;
    if (const json::object* sent = object_at(parameters, "ds")) ds = *sent;
    if (auto bad = read_tableset(ds, {"OrderHed", "OrderDtl", "OrderRel"}, name, true, ds)) {
        return *bad;
    }
    acting_user_ = call.username;
    const std::string program = "Erp.BO.SalesOrder.dll";
    const auto refuse = [&](std::string message, std::string table, std::string field) {
        return error(400, message, std::string(kBusinessType),
                     {detail(message, std::move(table), std::move(field), program, name)});
    };
    std::optional<json::value> return_obj;
    if (name == "GetNewOrderHed") {
        json::object row = database_.new_row(*database_.table("OrderHed"));
        row["RowMod"] = "A";
        row["SysRowID"] = database_.new_guid();
        row["OrderDate"] = database_.today();
        row["OpenOrder"] = true;
        row["OrderStatus"] = "OPEN";
        ds["OrderHed"].as_array().push_back(std::move(row));
    } else if (name == "ChangeOrderHedCustomerCustID") {
        json::object* row = editing_row(ds, "OrderHed");
        if (row == nullptr) return refuse("No sales order header to change.", "OrderHed", "");
        if (const json::value* proposed = parameters.if_contains("proposedCustomerCustID")) {
            if (proposed->is_string()) (*row)["CustomerCustID"] = *proposed;
        }
        (*row)["CustNum"] = 0;
        for (const char* field : {"ShipViaCode", "TermsCode", "CurrencyCode"}) (*row)[field] = "";
        if (auto refused = check_references(*database_.table("OrderHed"), *row, name)) {
            return *refused;
        }
    } else if (name == "ChangeSoldToContact") {
        // Contacts are not emulated: the tableset comes back unchanged.
    } else if (name == "MasterUpdate") {
        return master_update(call, ds, parameters);
    } else if (name == "GetNewOrderDtl") {
        const std::int64_t order_num = num(parameters, "orderNum");
        const TableDef& lines = *database_.table("OrderDtl");
        json::object* order = database_.find(*database_.table("OrderHed"),
                                             {{"Company", call.company}, {"OrderNum", order_num}});
        if (order == nullptr) {
            return refuse("Sales order " + std::to_string(order_num) + " not found.", "OrderHed",
                          "OrderNum");
        }
        std::int64_t line = database_.next_number(lines, "OrderLine", {{"OrderNum", order_num}});
        for (const json::value& sent : ds["OrderDtl"].as_array()) {
            if (num(sent.as_object(), "OrderNum") == order_num) {
                line = std::max(line, num(sent.as_object(), "OrderLine") + 1);
            }
        }
        json::object row = database_.new_row(lines);
        row["OrderNum"] = order_num;
        row["OrderLine"] = line;
        row["RowMod"] = "A";
        row["SysRowID"] = database_.new_guid();
        row["OpenLine"] = true;
        row["RequestDate"] = order->at("RequestDate");
        ds["OrderDtl"].as_array().push_back(std::move(row));
    } else if (name == "ChangePartNumMaster") {
        json::object* row = editing_row(ds, "OrderDtl");
        if (row == nullptr) return refuse("No sales order line to change.", "OrderDtl", "");
        if (const json::value* part = parameters.if_contains("partNum")) {
            if (part->is_string()) (*row)["PartNum"] = *part;
        }
        const TableDef& lines = *database_.table("OrderDtl");
        if (auto refused = check_references(lines, *row, name)) return *refused;
        const json::object& part = *database_.find(
            *database_.table("Part"), {{"Company", call.company}, {"PartNum", row->at("PartNum")}});
        (*row)["LineDesc"] = part.at("PartDescription");
        (*row)["IUM"] = part.at("IUM");
        (*row)["SalesUM"] = part.at("SalesUM");
        (*row)["UnitPrice"] = part.at("UnitPrice");
        (*row)["DocUnitPrice"] = part.at("UnitPrice");
        (*row)["DocExtPriceDtl"] =
            dec(*row, "DocUnitPrice").mul(dec(*row, "SellingQuantity")).round(2).to_string();
        parameters["uomCode"] = part.at("SalesUM");
        for (const char* out : {"cDeleteComponentsMessage", "questionString", "cWarningMessage",
                                "cConfigPartMessage", "cSubPartMessage", "cMsgType"}) {
            parameters[out] = "";
        }
        for (const char* out :
             {"lSubstitutePartExist", "lIsPhantom", "multipleMatch", "promptToExplodeBOM",
              "explodeBOMerrMessage", "multiSubsAvail", "runOutQtyAvail"}) {
            parameters[out] = false;
        }
    } else if (name == "ChangeSellingQtyMaster") {
        json::object* row = editing_row(ds, "OrderDtl");
        if (row == nullptr) return refuse("No sales order line to change.", "OrderDtl", "");
        const auto quantity = decimal_param(parameters, "ipSellingQuantity");
        if (!quantity || !(Decimal{} < *quantity)) {
            return refuse("Selling quantity must be greater than zero.", "OrderDtl",
                          "SellingQuantity");
        }
        (*row)["SellingQuantity"] = quantity->to_string();
        (*row)["OrderQty"] = quantity->to_string();
        (*row)["DocExtPriceDtl"] = dec(*row, "DocUnitPrice").mul(*quantity).round(2).to_string();
        for (const char* out :
             {"pcMessage", "pcNeqQtyAction", "opWarningMsg", "cSellingQuantityChangedMsgText"}) {
            parameters[out] = "";
        }
    } else if (name == "GetByID") {
        const std::int64_t order_num = num(parameters, "orderNum");
        if (database_.find(*database_.table("OrderHed"),
                           {{"Company", call.company}, {"OrderNum", order_num}}) == nullptr) {
            return refuse("Record not found.", "OrderHed", "OrderNum");
        }
        return json_answer(200, json::object{{"returnObj", order_tableset(order_num)}});
    } else {
        // UpdateMaster belongs to CustShipSvc; the sales order method is MasterUpdate (spec).
        return error(404, "Resource not found for the segment '" + name + "'.",
                     std::string(kODataType));
    }
    parameters["ds"] = std::move(ds);
    json::object answer;
    if (return_obj) answer["returnObj"] = *return_obj;
    answer["parameters"] = std::move(parameters);
    return json_answer(200, answer);
}

HttpResponse EpicorEmulator::master_update(Call& call, json::object& ds, json::object& parameters) {
    const auto is_new = [](const json::value& row) {
        return str(row.as_object(), "RowMod") == "A";
    };
    const auto is_changed = [](const json::value& row) {
        return str(row.as_object(), "RowMod") == "U";
    };
    const TableDef& heads = *database_.table("OrderHed");
    const TableDef& lines = *database_.table("OrderDtl");
    const TableDef& rels = *database_.table("OrderRel");
    // Validate every reference first so that a refused update writes nothing.
    for (json::value& row : ds["OrderHed"].as_array()) {
        if (is_new(row) || is_changed(row)) {
            if (auto refused = check_references(heads, row.as_object(), "MasterUpdate")) {
                return *refused;
            }
        }
    }
    for (json::value& row : ds["OrderDtl"].as_array()) {
        if (is_new(row) || is_changed(row)) {
            if (auto refused = check_references(lines, row.as_object(), "MasterUpdate")) {
                return *refused;
            }
        }
    }
    std::int64_t order_num = num(parameters, "iOrderNum");
    const auto merge = [&](const TableDef& def, const json::object& sent) {
        json::object* stored = database_.find(def, sent);
        if (stored == nullptr) return false;
        for (const auto& member : sent) {
            const std::string_view field = member.key();
            if (field == "SysRevID" || field == "SysRowID" || field == "RowMod") continue;
            (*stored)[field] = member.value();
        }
        database_.touch(def, *stored);
        return true;
    };
    for (json::value& value : ds["OrderHed"].as_array()) {
        json::object& row = value.as_object();
        if (is_new(value)) {
            if (auto refused = prepare_new_row(heads, row, "MasterUpdate")) return *refused;
            order_num = num(store_new_row(heads, row), "OrderNum");
        } else if (is_changed(value)) {
            if (!merge(heads, row))
                return error(400, "Record not found.", std::string(kBusinessType));
            order_num = num(row, "OrderNum");
        }
    }
    for (json::value& value : ds["OrderDtl"].as_array()) {
        json::object& row = value.as_object();
        if (num(row, "OrderNum") == 0) row["OrderNum"] = order_num;
        if (is_new(value)) {
            if (auto refused = prepare_new_row(lines, row, "MasterUpdate")) return *refused;
            store_new_row(lines, row);
        } else if (is_changed(value)) {
            row["DocExtPriceDtl"] =
                dec(row, "DocUnitPrice").mul(dec(row, "SellingQuantity")).round(2).to_string();
            if (!merge(lines, row))
                return error(400, "Record not found.", std::string(kBusinessType));
            refresh_order_totals(num(row, "OrderNum"));
        } else {
            continue;
        }
        if (order_num == 0) order_num = num(row, "OrderNum");
    }
    for (json::value& value : ds["OrderRel"].as_array()) {
        if (is_changed(value) && !merge(rels, value.as_object())) {
            return error(400, "Record not found.", std::string(kBusinessType));
        }
    }
    (void)call;
    for (const char* out : {"cResponseMsg", "cDisplayMsg", "cCompliantMsg",
                            "cResponseMsgCreditHold", "cResponseMsgOrdRel"}) {
        parameters[out] = "";
    }
    parameters["lContinue"] = true;
    // The whole order as stored comes back: the caller sends this `ds` to its next call.
    parameters["ds"] = order_tableset(order_num);
    return json_answer(200,
                       json::object{{"returnObj", false}, {"parameters", std::move(parameters)}});
}

// ---------------------------------------------------------------------------------------------
// Control API (/__sandbox/...): what an Epicor user would do in the client

HttpResponse EpicorEmulator::control(const HttpRequest& request, std::string_view route) {
    if (route == "state" && request.method == "GET") {
        return json_answer(200, json::object{{"instance", instance_},
                                             {"company", database_.company()},
                                             {"live_tokens", tokens_.size()},
                                             {"tables", database_.dump()}});
    }
    if (request.method != "POST") return error(404, "Unknown control route.", "Sandbox");
    if (route == "customers")
        return control_upsert(*database_.table("Customer"), "CustID", request);
    if (route == "parts") return control_upsert(*database_.table("Part"), "PartNum", request);
    if (route == "orders/ship") return control_ship(request);
    if (route == "users") return control_user(request);
    if (route == "ud-fields") return control_user_field(request);
    return error(404, "Unknown control route.", "Sandbox");
}

// {"table": "ShipHead", "field": "CarrierStatus_c", "type": "string"}: what an administrator does
// in Extended UD Table Maintenance before regenerating the data model. Types: string, int,
// decimal, bool, date.
HttpResponse EpicorEmulator::control_user_field(const HttpRequest& request) {
    static constexpr std::pair<std::string_view, FieldType> kTypes[] = {
        {"string", FieldType::kString},
        {"int", FieldType::kInt},
        {"decimal", FieldType::kDecimal},
        {"bool", FieldType::kBool},
        {"date", FieldType::kDate}};
    auto body = parse_exact(request.body);
    if (!body || !body->is_object()) return error(400, "Body must be an object.", "Sandbox");
    const json::object& in = body->as_object();
    const std::string_view type_name = str(in, "type").empty() ? "string" : str(in, "type");
    const auto* type = std::find_if(std::begin(kTypes), std::end(kTypes),
                                    [&](const auto& t) { return t.first == type_name; });
    if (type == std::end(kTypes)) {
        return error(400, "type is one of string, int, decimal, bool, date.", "Sandbox");
    }
    const std::string field(str(in, "field"));
    if (auto refused = database_.add_user_field(str(in, "table"), field, type->second)) {
        return error(400, *refused, "Sandbox");
    }
    return json_answer(200, json::object{{"table", str(in, "table")}, {"field", field}});
}

HttpResponse EpicorEmulator::control_upsert(const TableDef& def, std::string_view by_field,
                                            const HttpRequest& request) {
    auto body = parse_exact(request.body);
    if (!body || !body->is_object() || !body->as_object().contains(by_field)) {
        return error(400, "Body must be an object with " + std::string(by_field) + ".", "Sandbox");
    }
    json::object* existing = database_.find_by(def, by_field, body->as_object().at(by_field));
    json::object row = existing != nullptr ? *existing : database_.new_row(def);
    if (auto coerced = coerce_into(def, body->as_object(), row, false); !coerced) {
        return error(400, coerced.error().message, "Sandbox");
    }
    acting_user_ = username_;
    if (existing != nullptr) {
        for (const std::string& key : def.keys) row[key] = existing->at(key);
        *existing = std::move(row);
        database_.touch(def, *existing);
        return json_answer(200, *existing);
    }
    if (auto refused = prepare_new_row(def, row, "Update")) return *refused;
    return json_answer(201, store_new_row(def, std::move(row)));
}

// {"OrderNum": 5001, "TrackingNumber": "1Z...", "ShipViaCode": "UPSG", "Weight": 2.5}: packs every
// open line of the order, records the carton's tracking, and closes the releases, lines and order.
HttpResponse EpicorEmulator::control_ship(const HttpRequest& request) {
    auto body = parse_exact(request.body);
    if (!body || !body->is_object()) return error(400, "Body must be an object.", "Sandbox");
    const json::object& in = body->as_object();
    const TableDef& heads = *database_.table("OrderHed");
    json::object* order = database_.find(
        heads, {{"Company", database_.company()}, {"OrderNum", num(in, "OrderNum")}});
    if (order == nullptr) return error(404, "Sales order not found.", "Sandbox");
    const Decimal weight = dec(in, "Weight");
    const TableDef& ship_heads = *database_.table("ShipHead");
    json::object head = database_.new_row(ship_heads);
    head["CustNum"] = order->at("CustNum");
    head["OrderNum"] = order->at("OrderNum");
    head["ShipDate"] = database_.today();
    head["ShipViaCode"] =
        str(in, "ShipViaCode").empty() ? order->at("ShipViaCode") : in.at("ShipViaCode");
    head["TrackingNumber"] = std::string(str(in, "TrackingNumber"));
    head["ShipStatus"] = "SHIPPED";
    head["Weight"] = weight.to_string();
    if (auto refused = prepare_new_row(ship_heads, head, "UpdateMaster")) return *refused;
    json::object& pack = store_new_row(ship_heads, std::move(head));
    const json::value pack_num = pack.at("PackNum");
    const TableDef& ship_lines = *database_.table("ShipDtl");
    const TableDef& rels = *database_.table("OrderRel");
    for (json::object* rel : database_.children(heads.children[1], *order)) {
        if (!flag(*rel, "OpenRelease")) continue;
        json::object line = database_.new_row(ship_lines);
        line["PackNum"] = pack_num;
        line["OrderNum"] = rel->at("OrderNum");
        line["OrderLine"] = rel->at("OrderLine");
        line["OrderRelNum"] = rel->at("OrderRelNum");
        json::object* order_line = database_.find(*database_.table("OrderDtl"), *rel);
        line["PartNum"] = order_line != nullptr ? order_line->at("PartNum") : json::value("");
        line["OurInventoryShipQty"] = rel->at("OurReqQty");
        if (auto refused = prepare_new_row(ship_lines, line, "UpdateMaster")) return *refused;
        store_new_row(ship_lines, std::move(line));
        (*rel)["OpenRelease"] = false;
        database_.touch(rels, *rel);
    }
    for (json::object* line : database_.children(heads.children[0], *order)) {
        (*line)["OpenLine"] = false;
        database_.touch(*database_.table("OrderDtl"), *line);
    }
    const TableDef& cartons = *database_.table("CartonTrkDtl");
    json::object carton = database_.new_row(cartons);
    carton["PackNum"] = pack_num;
    carton["TrackingNumber"] = std::string(str(in, "TrackingNumber"));
    carton["PkgWeight"] = weight.to_string();
    if (auto refused = prepare_new_row(cartons, carton, "UpdateMaster")) return *refused;
    store_new_row(cartons, std::move(carton));
    (*order)["OpenOrder"] = false;
    (*order)["OrderStatus"] = "CLOSED";
    database_.touch(heads, *order);
    json::object answer =
        *database_.find(ship_heads, {{"Company", database_.company()}, {"PackNum", pack_num}});
    for (const ChildLink& link : ship_heads.children) {
        json::array children;
        for (const json::object* child : database_.children(link, answer))
            children.push_back(*child);
        answer[link.nav] = std::move(children);
    }
    return json_answer(201, answer);
}

// {"username": "clerk", "password": "...", "companies": ["EPIC06"]}
HttpResponse EpicorEmulator::control_user(const HttpRequest& request) {
    auto body = parse_exact(request.body);
    if (!body || !body->is_object()) return error(400, "Body must be an object.", "Sandbox");
    const json::object& in = body->as_object();
    if (str(in, "username").empty() || users_.size() >= kUsersMax) {
        return error(400,
                     "A username is required (at most " + std::to_string(kUsersMax) + " users).",
                     "Sandbox");
    }
    User user{.password = std::string(str(in, "password"))};
    if (const json::value* companies = in.if_contains("companies");
        companies && companies->is_array()) {
        for (const json::value& company : companies->as_array()) {
            if (company.is_string() && user.companies.size() < kUsersMax) {
                user.companies.emplace_back(company.as_string());
            }
        }
    }
    users_[std::string(str(in, "username"))] = std::move(user);
    return json_answer(201, json::object{{"username", str(in, "username")}});
}

// ---------------------------------------------------------------------------------------------
// Seeded data: a pure function of (seed, volume, the clock's date).

namespace {

constexpr std::size_t kSeedOrdersMin = 3;
constexpr std::size_t kSeedOrdersMax = 20'000;
constexpr std::size_t kSeedLinesMax = 3;  // Lines per seeded order

constexpr std::string_view kNames[] = {"Acme",  "Globex", "Initech",  "Umbrella", "Stark",
                                       "Wayne", "Hooli",  "Vandelay", "Soylent",  "Tyrell"};
constexpr std::string_view kSuffixes[] = {"Supply", "Industries", "Trading", "Outfitters",
                                          "Hardware"};
constexpr std::string_view kShipVias[] = {"UPSG", "FDXG", "USPS"};
constexpr std::string_view kAdjectives[] = {"Steel", "Brass", "Nylon", "Oak", "Carbon", "Copper"};
constexpr std::string_view kNouns[] = {"Bracket", "Hinge", "Widget", "Gasket",
                                       "Spindle", "Valve", "Clamp"};

template <typename T, std::size_t N>
const T& pick(const T (&items)[N], std::uint64_t random) {
    return items[random % N];
}

std::string padded(std::string_view prefix, std::uint64_t n, int width) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%0*llu", width, static_cast<unsigned long long>(n));
    return std::string(prefix) + buffer;
}

}  // namespace

void EpicorEmulator::seed(std::uint64_t seed, std::size_t volume) {
    std::uint64_t state = seed;
    const auto random = [&] { return next_random(state); };
    password_ = "epicor-" + hex(random(), 12);
    api_key_ = hex(random(), 16) + hex(random(), 16);
    users_[username_] = {.password = password_, .companies = {database_.company()}};

    // Customers and parts are the shared catalog's (sandbox/catalog.hpp); the other draws stay.
    const std::size_t customers = catalog::customer_count(volume);
    const std::size_t parts = catalog::part_count(volume);
    const std::size_t orders = std::clamp(volume / 50, kSeedOrdersMin, kSeedOrdersMax);
    const TableDef& customer_def = *database_.table("Customer");
    for (std::size_t i = 1; i <= customers; ++i) {
        json::object row = database_.new_row(customer_def);
        const std::string name =
            std::string(pick(kNames, random())) + " " + std::string(pick(kSuffixes, random()));
        random();  // Was the city draw: the address is the catalog's (UPS knows it).
        const catalog::Address address = catalog::customer_address(seed, i);
        row["CustNum"] = static_cast<std::int64_t>(i);
        row["CustID"] = catalog::customer_id(i);
        row["Name"] = name + " " + std::to_string(i);
        random();  // Was the street number draw.
        row["Address1"] = address.number + " " + address.street;
        row["City"] = address.city;
        row["State"] = address.state;
        row["Zip"] = address.zip;
        row["Country"] = "USA";
        row["PhoneNum"] = padded("555-", random() % 10000, 4);
        random();  // Was the e-mail draw: every fourth customer has none (catalog.hpp).
        row["EMailAddress"] = catalog::customer_email(i);
        row["ShipViaCode"] = pick(kShipVias, random());
        row["TermsCode"] = "N30";
        row["CurrencyCode"] = "USD";
        row["CreditHold"] = random() % 25 == 0;
        database_.insert(customer_def, std::move(row));
    }
    const TableDef& part_def = *database_.table("Part");
    for (std::size_t i = 1; i <= parts; ++i) {
        json::object row = database_.new_row(part_def);
        row["PartNum"] = catalog::part_number(i);
        row["PartDescription"] =
            std::string(pick(kAdjectives, random())) + " " + std::string(pick(kNouns, random()));
        row["IUM"] = "EA";
        row["SalesUM"] = "EA";
        row["TypeCode"] = "P";
        // Weights 0.01 - 20.00 lb, exact decimals.
        random();  // Was the price draw: the catalog's price (1.00 - 500.99).
        row["UnitPrice"] = catalog::part_price(seed, i).to_string();
        const Decimal net = Decimal::from_units((1 + random() % 2'000) * 10'000);
        row["NetWeight"] = net.to_string();
        row["NetWeightUOM"] = "LB";
        row["GrossWeight"] = (net + Decimal::from_units(100'000)).to_string();
        row["GrossWeightUOM"] = "LB";
        row["PartLength"] =
            Decimal::from_int(static_cast<std::int64_t>(1 + random() % 30)).to_string();
        row["PartWidth"] =
            Decimal::from_int(static_cast<std::int64_t>(1 + random() % 30)).to_string();
        row["PartHeight"] =
            Decimal::from_int(static_cast<std::int64_t>(1 + random() % 30)).to_string();
        row["UPCCode1"] = padded("", random() % 1'000'000'000'000ULL, 12);
        random();  // Was the InActive draw: only the catalog's kInactivePart is inactive.
        row["InActive"] = catalog::part_inactive(i);
        database_.insert(part_def, std::move(row));
    }
    const TableDef& head_def = *database_.table("OrderHed");
    const TableDef& line_def = *database_.table("OrderDtl");
    const Rows& part_rows = database_.rows(part_def);
    std::vector<const json::object*> active_parts;
    for (const auto& [key, row] : part_rows) {
        if (!flag(row, "InActive")) active_parts.push_back(&row);
    }
    const auto today = std::chrono::floor<std::chrono::days>(clock_.now());
    acting_user_ = username_;
    for (std::size_t i = 0; i < orders; ++i) {
        json::object head = database_.new_row(head_def);
        head["OrderNum"] = kFirstOrderNum + static_cast<std::int64_t>(i);
        head["CustNum"] = static_cast<std::int64_t>(1 + random() % customers);
        head["PONum"] = padded("PO-", 100'000 + random() % 900'000, 6);
        head["OrderDate"] =
            format_epicor_datetime(today - std::chrono::days{1 + static_cast<int>(random() % 30)});
        head["RequestDate"] =
            format_epicor_datetime(today + std::chrono::days{static_cast<int>(random() % 14)});
        if (prepare_new_row(head_def, head, "Seed")) continue;
        store_new_row(head_def, std::move(head));
        const std::size_t line_count = 1 + random() % kSeedLinesMax;
        for (std::size_t l = 0; l < line_count && !active_parts.empty(); ++l) {
            json::object line = database_.new_row(line_def);
            line["OrderNum"] = kFirstOrderNum + static_cast<std::int64_t>(i);
            line["PartNum"] = active_parts[random() % active_parts.size()]->at("PartNum");
            line["SellingQuantity"] =
                Decimal::from_int(static_cast<std::int64_t>(1 + random() % 5)).to_string();
            if (prepare_new_row(line_def, line, "Seed")) continue;
            store_new_row(line_def, std::move(line));
        }
    }
}

}  // namespace mlc::sandbox::epicor

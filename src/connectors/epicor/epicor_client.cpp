#include "connectors/epicor/epicor_client.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "connectors/epicor/epicor_errors.hpp"
#include "connectors/epicor/epicor_json.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

constexpr std::string_view kSalesOrderSvc = "Erp.BO.SalesOrderSvc";
constexpr std::string_view kCustomerSvc = "Erp.BO.CustomerSvc";
constexpr std::string_view kPartSvc = "Erp.BO.PartSvc";
constexpr std::string_view kCustShipSvc = "Erp.BO.CustShipSvc";
constexpr std::string_view kUd01Svc = "Ice.BO.UD01Svc";
// Threads whose last 401 answer is kept at once; more means a leak, so the map starts over.
constexpr std::size_t kKeptThreadsMax = 1024;
constexpr std::string_view kEmptyGuid = "00000000-0000-0000-0000-000000000000";

std::string service_path(std::string_view service, std::string_view rest) {
    return std::string(service) + "/" + std::string(rest);
}

// The tableset `ds` a BO method answered with ({"parameters": {"ds": {...}}}).
Result<json::object> tableset_of(const json::value& answer, std::string_view method) {
    if (answer.is_object()) {
        if (const json::value* parameters = answer.get_object().if_contains("parameters");
            parameters != nullptr && parameters->is_object()) {
            if (const json::value* ds = parameters->get_object().if_contains("ds");
                ds != nullptr && ds->is_object()) {
                return ds->get_object();
            }
        }
    }
    return make_error(ErrorCode::kInvalidInput, "epicor",
                      std::string(method) + " answered without parameters.ds");
}

// The row a UI method works on: the last one added or updated (RowMod A/U), else the last one.
json::object* editing_row(json::object& ds, std::string_view table) {
    json::value* rows = ds.if_contains(table);
    if (rows == nullptr || !rows->is_array() || rows->get_array().empty()) return nullptr;
    json::array& array = rows->get_array();
    for (auto it = array.rbegin(); it != array.rend(); ++it) {
        if (!it->is_object()) continue;
        const std::string mod = text_of(it->get_object(), "RowMod");
        if (mod == "A" || mod == "U") return &it->get_object();
    }
    return array.back().is_object() ? &array.back().get_object() : nullptr;
}

Result<std::int64_t> parse_int(std::string_view text, std::string_view what) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return make_error(ErrorCode::kInvalidInput, "epicor",
                          std::string(what) + " is not a number: '" + std::string(text) + "'");
    }
    return value;
}

Error unresolved_customer(std::string_view cust_id, std::string_view company,
                          std::string_view record_key) {
    Error error = make_error(ErrorCode::kUnresolved, "epicor",
                             "Epicor company " + std::string(company) + " has no customer '" +
                                 std::string(cust_id) +
                                 "': create the customer in Epicor or map it, then replay");
    error.record_key = std::string(record_key);
    return error;
}

// The OrderDtl fields a new line sets. A zero price keeps Epicor's list price (the source had
// none to give).
json::object line_fields(const model::OrderLine& line) {
    json::object fields{{"PartNum", line.sku}, {"SellingQuantity", line.quantity.to_string()}};
    if (!line.unit_price.is_zero()) {
        fields["DocUnitPrice"] = line.unit_price.to_string();
        fields["UnitPrice"] = line.unit_price.to_string();
    }
    if (!line.description.empty()) fields["LineDesc"] = line.description;
    return fields;
}

// What an update does to one line: add a new one, change a stored one, or void a stored one
// (`fields` for the last two: what to write over it).
struct LineChange {
    enum Kind { kAdd, kChange, kVoid } kind = kAdd;
    const model::OrderLine* line = nullptr;  // The source line (kAdd, kChange)
    std::string line_key{};                  // The stored OrderLine (kChange, kVoid)
    json::object fields{};
};

// Lines are matched by PartNum in order: changed ones are changed (quantity, and the price when
// the source gives one), new ones added, stored ones left unmatched voided.
std::vector<LineChange> plan_line_changes(const std::vector<model::OrderLine>& have,
                                          const std::vector<model::OrderLine>& want) {
    std::vector<LineChange> changes;
    std::vector<bool> used(have.size(), false);
    for (const model::OrderLine& line : want) {
        std::optional<std::size_t> match;
        for (std::size_t i = 0; i < have.size() && !match; ++i) {
            if (!used[i] && have[i].sku == line.sku) match = i;
        }
        if (!match) {
            changes.push_back({.kind = LineChange::kAdd, .line = &line});
            continue;
        }
        used[*match] = true;
        const bool price_changed =
            !line.unit_price.is_zero() && line.unit_price != have[*match].unit_price;
        if (line.quantity == have[*match].quantity && !price_changed) continue;
        json::object fields{{"SellingQuantity", line.quantity.to_string()}};
        if (price_changed) {
            fields["DocUnitPrice"] = line.unit_price.to_string();
            fields["UnitPrice"] = line.unit_price.to_string();
        }
        changes.push_back({.kind = LineChange::kChange,
                           .line = &line,
                           .line_key = have[*match].line_key,
                           .fields = std::move(fields)});
    }
    for (std::size_t i = 0; i < have.size(); ++i) {
        if (used[i]) continue;
        changes.push_back({.kind = LineChange::kVoid,
                           .line_key = have[i].line_key,
                           .fields = {{"VoidLine", true}, {"OpenLine", false}}});
    }
    return changes;
}

}  // namespace

// Keeps, per thread, the last 401 answer the transport saw: HttpClient reports a 401 as an Error
// without the body, and only the body's ErrorMessage tells Epicor's three 401 causes apart.
class EpicorClient::UnauthorizedKeeper final : public net::HttpTransport {
  public:
    explicit UnauthorizedKeeper(net::HttpTransport& inner) : inner_(inner) {}

    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        Result<net::HttpResponse> answer = inner_.send(request, options);
        if (answer && answer->status == 401) {
            std::lock_guard lock(mutex_);
            if (kept_.size() >= kKeptThreadsMax) kept_.clear();
            kept_[std::this_thread::get_id()] = *answer;
        }
        return answer;
    }

    std::optional<net::HttpResponse> take() {
        std::lock_guard lock(mutex_);
        const auto it = kept_.find(std::this_thread::get_id());
        if (it == kept_.end()) return std::nullopt;
        net::HttpResponse response = std::move(it->second);
        kept_.erase(it);
        return response;
    }

  private:
    net::HttpTransport& inner_;
    std::mutex mutex_;
    std::map<std::thread::id, net::HttpResponse> kept_;  // Guarded by mutex_.
};

EpicorClient::EpicorClient(EpicorClientConfig config, EpicorClientDeps deps)
    : config_(std::move(config)),
      clock_(deps.clock),
      credentials_(deps.credentials),
      keeper_(std::make_unique<UnauthorizedKeeper>(deps.transport)),
      http_({.system = "epicor", .retry = deps.retry}, *keeper_, deps.clock, deps.limiters,
            deps.seed, deps.logger, deps.observer) {
    while (config_.base_url.ends_with('/')) config_.base_url.pop_back();
}

EpicorClient::~EpicorClient() = default;

Result<void> EpicorClient::check_config() const {
    MLC_CHECK(odata::check_field_name(config_.source_key_field, "the source-key field"));
    MLC_CHECK(odata::check_field_name(config_.customer_lookup_field, "the customer lookup field"));
    if (config_.tracking_target == TrackingTarget::kOrderField) {
        MLC_CHECK(odata::check_field_name(config_.tracking_order_field, "the tracking field"));
    }
    if (config_.company.empty() || config_.base_url.empty()) {
        return make_error(ErrorCode::kConfig, "epicor",
                          "connection '" + config_.connection +
                              "' needs base_url (https://server/instance) and company");
    }
    return ok();
}

std::string EpicorClient::url(std::string_view path) const {
    return config_.base_url + "/api/v2/odata/" + net::url_encode(config_.company) + "/" +
           std::string(path);
}

std::string EpicorClient::order_path(std::int64_t order_num) const {
    return service_path(kSalesOrderSvc, "SalesOrders" + odata::key({config_.company, order_num}));
}

Result<json::value> EpicorClient::call(const Call& c) {
    net::HttpRequest request{.method = c.method, .url = url(c.path)};
    request.headers = {{"Accept", "application/json"}};
    if (c.body) {
        request.body = write_exact(*c.body);
        request.headers.emplace_back("Content-Type", "application/json");
    }
    const EpicorErrorContext context{.connection = config_.connection,
                                     .company = config_.company,
                                     .record_key = c.record_key,
                                     .subject = c.subject};
    std::optional<net::HttpResponse> refused;
    const auth::SendFn send = [&](const net::HttpRequest& attempt) -> Result<net::HttpResponse> {
        (void)keeper_->take();  // Forget a 401 left by an earlier call on this thread.
        Result<net::HttpResponse> answer = http_.call(
            {.request = attempt, .connection = config_.connection, .idempotent = c.idempotent});
        if (!answer && answer.error().code == ErrorCode::kUnauthorized) {
            if (auto kept = keeper_->take()) {
                refused = *kept;
                return *kept;  // The token manager renews once and retries on this 401.
            }
        }
        return answer;
    };
    Result<net::HttpResponse> response = credentials_.authorized_call(request, send);
    if (!response) {
        if (response.error().code == ErrorCode::kAuthFailed && refused) {
            return epicor_auth_error(*refused, context);
        }
        Error error = std::move(response).error();
        if (error.system.empty()) error.system = "epicor";
        if (error.record_key.empty()) error.record_key = c.record_key;
        return error;
    }
    if (response->status < 200 || response->status >= 300) {
        return map_epicor_error(*response, context);
    }
    if (response->body.empty()) return json::value(nullptr);
    return parse_exact(response->body);
}

Result<std::vector<json::object>> EpicorClient::list_rows(std::string_view service,
                                                          std::string_view entity_set,
                                                          odata::Query query) {
    const std::size_t page_size = std::clamp<std::size_t>(config_.page_size, 1, kPageSizeMax);
    std::vector<json::object> rows;
    for (std::size_t page = 0; page < config_.pages_max; ++page) {
        query.top = page_size;
        query.skip = page * page_size;
        MLC_TRY(json::value answer,
                call({.path = service_path(service, entity_set) + odata::query_string(query),
                      .idempotent = true}));
        const json::value* value =
            answer.is_object() ? answer.get_object().if_contains("value") : nullptr;
        if (value == nullptr || !value->is_array()) {
            return make_error(ErrorCode::kInvalidInput, "epicor",
                              std::string(entity_set) + " answered without a value array");
        }
        for (const json::value& row : value->get_array()) {
            if (row.is_object()) rows.push_back(row.get_object());
        }
        // No @odata.nextLink on v2 (spec): a short page is the last one.
        if (value->get_array().size() < page_size) return rows;
    }
    return make_error(ErrorCode::kConfig, "epicor",
                      std::string(entity_set) + " has more than " +
                          std::to_string(config_.pages_max) + " pages of " +
                          std::to_string(page_size) + " rows for connection '" +
                          config_.connection + "': narrow the filter or raise pages_max");
}

Result<std::optional<model::Party>> EpicorClient::find_customer(std::string_view field,
                                                                std::string_view value) {
    MLC_CHECK(odata::check_field_name(field, "the customer lookup field"));
    // Several customers may share an e-mail: the lowest CustNum wins, deterministically.
    odata::Query query{.filter = odata::eq(field, value), .orderby = "CustNum", .top = 1};
    MLC_TRY(json::value answer,
            call({.path = service_path(kCustomerSvc, "Customers") + odata::query_string(query),
                  .idempotent = true}));
    const json::value* rows =
        answer.is_object() ? answer.get_object().if_contains("value") : nullptr;
    if (rows == nullptr || !rows->is_array() || rows->get_array().empty() ||
        !rows->get_array()[0].is_object()) {
        return std::optional<model::Party>{};
    }
    MLC_TRY(model::Party party,
            party_from_customer(rows->get_array()[0].get_object(), config_.server_zone));
    return std::optional<model::Party>{std::move(party)};
}

Result<std::optional<model::Party>> EpicorClient::find_customer_by_id(std::string_view cust_id) {
    return find_customer("CustID", cust_id);
}

Result<std::optional<model::Party>> EpicorClient::find_customer_by_email(std::string_view email) {
    return find_customer("EMailAddress", email);
}

Result<std::optional<model::Party>> EpicorClient::find_customer_by_field(std::string_view value) {
    return find_customer(config_.customer_lookup_field, value);
}

Result<std::optional<model::Item>> EpicorClient::find_part(std::string_view part_num) {
    const Result<json::value> answer =
        call({.path = service_path(kPartSvc,
                                   "Parts" + odata::key({config_.company, std::string(part_num)})),
              .idempotent = true,
              .subject = "part '" + std::string(part_num) + "'"});
    if (!answer) {
        if (answer.error().code == ErrorCode::kNotFound) return std::optional<model::Item>{};
        return answer.error();
    }
    if (!answer->is_object()) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "part answer is not an object");
    }
    MLC_TRY(model::Item item, item_from_part(answer->get_object()));
    return std::optional<model::Item>{std::move(item)};
}

Result<EpicorOrder> EpicorClient::order_from(const json::object& head) {
    json::array lines;
    if (const json::value* dtls = head.if_contains("OrderDtls"); dtls && dtls->is_array()) {
        lines = dtls->get_array();
    }
    if (lines.size() > kOrderLinesMax) {
        return make_error(ErrorCode::kRejected, "epicor",
                          "order " + std::to_string(int_of(head, "OrderNum")) + " has more than " +
                              std::to_string(kOrderLinesMax) + " lines");
    }
    MLC_TRY(model::Order order,
            order_from_rows(head, lines, config_.source_key_field, config_.server_zone));
    std::int64_t last_line = 0;
    for (const json::value& line : lines) {
        if (line.is_object())
            last_line = std::max(last_line, int_of(line.get_object(), "OrderLine"));
    }
    return EpicorOrder{.order_num = int_of(head, "OrderNum"),
                       .cust_num = int_of(head, "CustNum"),
                       .source_key = text_of(head, config_.source_key_field),
                       .sys_rev_id = int_of(head, "SysRevID"),
                       .last_line = last_line,
                       .order = std::move(order)};
}

Result<std::optional<EpicorOrder>> EpicorClient::find_order_by_source_key(
    std::string_view source_key) {
    MLC_CHECK(odata::check_field_name(config_.source_key_field, "the source-key field"));
    // Two rows tell a duplicate apart from a unique hit.
    odata::Query query{.filter = odata::eq(config_.source_key_field, source_key),
                       .expand = {"OrderDtls"},
                       .orderby = "OrderNum",
                       .top = 2};
    const std::string record_key = "order " + std::string(source_key);
    MLC_TRY(json::value answer,
            call({.path = service_path(kSalesOrderSvc, "SalesOrders") + odata::query_string(query),
                  .idempotent = true,
                  .record_key = record_key}));
    const json::value* rows =
        answer.is_object() ? answer.get_object().if_contains("value") : nullptr;
    if (rows == nullptr || !rows->is_array() || rows->get_array().empty()) {
        return std::optional<EpicorOrder>{};
    }
    if (rows->get_array().size() > 1) {
        Error error =
            make_error(ErrorCode::kConflict, "epicor",
                       "more than one Epicor sales order has " + config_.source_key_field + " '" +
                           std::string(source_key) + "': void the duplicate, then replay");
        error.record_key = record_key;
        return error;
    }
    if (!rows->get_array()[0].is_object()) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "sales order row is not an object");
    }
    MLC_TRY(EpicorOrder order, order_from(rows->get_array()[0].get_object()));
    return std::optional<EpicorOrder>{std::move(order)};
}

Result<EpicorOrder> EpicorClient::get_order(std::int64_t order_num) {
    odata::Query query{.expand = {"OrderDtls"}};
    MLC_TRY(json::value answer, call({.path = order_path(order_num) + odata::query_string(query),
                                      .idempotent = true,
                                      .record_key = "order " + std::to_string(order_num)}));
    if (!answer.is_object()) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "sales order is not an object");
    }
    return order_from(answer.get_object());
}

Result<std::int64_t> EpicorClient::customer_number(std::string_view cust_id,
                                                   std::string_view record_key) {
    MLC_TRY(std::optional<model::Party> customer, find_customer_by_id(cust_id));
    if (!customer) return unresolved_customer(cust_id, config_.company, record_key);
    return parse_int(customer->source.id, "CustNum");
}

Result<EpicorOrder> EpicorClient::create_order(const CreateOrderRequest& request) {
    const std::string record_key = "order " + request.order.source.key;
    if (request.order.lines.size() > kOrderLinesMax) {
        Error error =
            make_error(ErrorCode::kRejected, "epicor",
                       "the order has more than " + std::to_string(kOrderLinesMax) + " lines");
        error.record_key = record_key;
        return error;
    }
    const std::string context = "while creating " + record_key + " in Epicor";
    if (config_.create_route == OrderCreateRoute::kUpdateExt) {
        MLC_TRY_CTX(EpicorOrder created, create_order_ext(request), context);
        return created;
    }
    MLC_TRY(std::int64_t cust_num, customer_number(request.customer_id, record_key));
    if (config_.create_route == OrderCreateRoute::kUiSequence) {
        MLC_TRY_CTX(std::int64_t order_num, create_order_ui(request, cust_num), context);
        return get_order(order_num);
    }
    MLC_TRY_CTX(std::int64_t order_num, create_order_entities(request, cust_num), context);
    return get_order(order_num);
}

Result<json::object> EpicorClient::sales_order_method(std::string_view name, json::object body,
                                                      bool idempotent,
                                                      const std::string& record_key,
                                                      std::string subject) {
    MLC_TRY(json::value answer, call({.method = "POST",
                                      .path = service_path(kSalesOrderSvc, name),
                                      .body = json::value(std::move(body)),
                                      .idempotent = idempotent,
                                      .record_key = record_key,
                                      .subject = std::move(subject)}));
    return tableset_of(answer, name);
}

Result<std::int64_t> EpicorClient::create_order_ui(const CreateOrderRequest& request,
                                                   std::int64_t cust_num) {
    const model::Order& order = request.order;
    const std::string record_key = "order " + order.source.key;
    // 1-2: a new header, then the customer (Epicor fills ship-via, terms, currency from it).
    // Neither writes anything, so both may be repeated.
    MLC_TRY(json::object ds,
            sales_order_method("GetNewOrderHed", {{"ds", json::object{}}}, true, record_key));
    MLC_TRY(ds, sales_order_method(
                    "ChangeOrderHedCustomerCustID",
                    {{"ds", ds}, {"orderNum", 0}, {"proposedCustomerCustID", request.customer_id}},
                    true, record_key, "customer '" + request.customer_id + "'"));
    // 3: source key, dates, one-time ship-to on the row being added.
    json::object* head = editing_row(ds, "OrderHed");
    if (head == nullptr) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "GetNewOrderHed gave no OrderHed");
    }
    MLC_TRY(json::object fields,
            order_header_fields(order, config_.source_key_field, config_.server_zone));
    for (const auto& field : fields) (*head)[field.key()] = field.value();
    // 4: MasterUpdate writes the header and Epicor assigns OrderNum. Never repeated blindly:
    // after an uncertain answer the flow looks the order up by its source key.
    MLC_TRY(ds, sales_order_method("MasterUpdate",
                                   {{"lCheckForOrderChangedMsg", false},
                                    {"lcheckForResponse", false},
                                    {"cTableName", "OrderHed"},
                                    {"iCustNum", cust_num},
                                    {"iOrderNum", 0},
                                    {"lweLicensed", false},
                                    {"ds", ds}},
                                   false, record_key));
    json::object* stored = editing_row(ds, "OrderHed");
    const std::int64_t order_num = stored != nullptr ? int_of(*stored, "OrderNum") : 0;
    if (order_num == 0) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "MasterUpdate gave no OrderNum");
    }
    // 5: per line; each MasterUpdate answers the whole order, sent back with the next line.
    for (const model::OrderLine& line : order.lines) {
        MLC_TRY(ds, add_line_ui(std::move(ds), {.order_num = order_num, .cust_num = cust_num}, line,
                                record_key));
    }
    return order_num;
}

Result<json::object> EpicorClient::add_line_ui(json::object ds, const OrderIds& ids,
                                               const model::OrderLine& line,
                                               const std::string& record_key) {
    const std::string part = "part '" + line.sku + "'";
    MLC_TRY(ds, sales_order_method("GetNewOrderDtl", {{"ds", ds}, {"orderNum", ids.order_num}},
                                   true, record_key));
    MLC_TRY(ds, sales_order_method("ChangePartNumMaster",
                                   {{"partNum", line.sku},
                                    {"lSubstitutePartExist", false},
                                    {"lIsPhantom", false},
                                    {"uomCode", ""},
                                    {"SysRowID", kEmptyGuid},
                                    {"rowType", ""},
                                    {"salesKitView", false},
                                    {"removeKitComponents", false},
                                    {"suppressUserPrompts", true},
                                    {"getPartXRefInfo", true},
                                    {"checkPartRevisionChange", true},
                                    {"checkChangeKitParent", true},
                                    {"ds", ds}},
                                   true, record_key, part));
    MLC_TRY(ds, sales_order_method("ChangeSellingQtyMaster",
                                   {{"ds", ds},
                                    {"ipSellingQuantity", line.quantity.to_string()},
                                    {"chkSellQty", false},
                                    {"negInvTest", false},
                                    {"chkCustomerAllowShip", false},
                                    {"chkSellQtyLessThanShippedQty", false},
                                    {"suppressUserPrompts", true},
                                    {"lKeepUnitPrice", true},
                                    {"pcPartNum", line.sku},
                                    {"pcWhseCode", ""},
                                    {"pcBinNum", ""},
                                    {"pcLotNum", ""},
                                    {"pcDimCode", ""},
                                    {"pdDimConvFactor", 1}},
                                   true, record_key, part));
    json::object* row = editing_row(ds, "OrderDtl");
    if (row == nullptr) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "GetNewOrderDtl gave no row");
    }
    // A zero price keeps Epicor's list price (the source had none to give).
    if (!line.unit_price.is_zero()) {
        (*row)["DocUnitPrice"] = line.unit_price.to_string();
        (*row)["UnitPrice"] = line.unit_price.to_string();
    }
    if (!line.description.empty()) (*row)["LineDesc"] = line.description;
    return sales_order_method("MasterUpdate",
                              {{"lCheckForOrderChangedMsg", false},
                               {"lcheckForResponse", false},
                               {"cTableName", "OrderDtl"},
                               {"iCustNum", ids.cust_num},
                               {"iOrderNum", ids.order_num},
                               {"lweLicensed", false},
                               {"ds", ds}},
                              false, record_key, part);
}

Result<void> EpicorClient::add_line_entity(std::int64_t order_num, const model::OrderLine& line,
                                           const std::string& record_key) {
    MLC_TRY(json::value created, call({.method = "POST",
                                       .path = order_path(order_num) + "/OrderDtls",
                                       .body = json::value(line_fields(line)),
                                       .record_key = record_key,
                                       .subject = "part '" + line.sku + "'"}));
    (void)created;
    return ok();
}

Result<std::int64_t> EpicorClient::create_order_entities(const CreateOrderRequest& request,
                                                         std::int64_t cust_num) {
    const model::Order& order = request.order;
    const std::string record_key = "order " + order.source.key;
    MLC_TRY(json::object body,
            order_header_fields(order, config_.source_key_field, config_.server_zone));
    body["OrderNum"] = 0;  // Epicor assigns it.
    body["CustNum"] = cust_num;
    MLC_TRY(json::value created, call({.method = "POST",
                                       .path = service_path(kSalesOrderSvc, "SalesOrders"),
                                       .body = json::value(std::move(body)),
                                       .record_key = record_key}));
    const std::int64_t order_num =
        created.is_object() ? int_of(created.get_object(), "OrderNum") : 0;
    if (order_num == 0) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "POST SalesOrders gave no OrderNum");
    }
    for (const model::OrderLine& line : order.lines) {
        MLC_CHECK(add_line_entity(order_num, line, record_key));
    }
    return order_num;
}

Result<void> EpicorClient::patch_line(std::int64_t order_num, std::string_view line_key,
                                      json::object body, const std::string& record_key,
                                      std::string subject) {
    MLC_TRY(std::int64_t line_num, parse_int(line_key, "OrderLine"));
    MLC_TRY(json::value done, call({.method = "PATCH",
                                    .path = order_path(order_num) + "/OrderDtls" +
                                            odata::key({config_.company, order_num, line_num}),
                                    .body = json::value(std::move(body)),
                                    .idempotent = true,  // Fixed values: a repeat changes nothing.
                                    .record_key = record_key,
                                    .subject = std::move(subject)}));
    (void)done;
    return ok();
}

Result<void> EpicorClient::patch_order(std::int64_t order_num, json::object body,
                                       const std::string& record_key) {
    MLC_TRY(json::value done, call({.method = "PATCH",
                                    .path = order_path(order_num),
                                    .body = json::value(std::move(body)),
                                    .idempotent = true,
                                    .record_key = record_key}));
    (void)done;
    return ok();
}

Result<EpicorOrder> EpicorClient::update_order(std::int64_t order_num, const model::Order& order) {
    const std::string record_key = "order " + order.source.key;
    const std::string context = "while updating " + record_key + " in Epicor";
    if (order.lines.size() > kOrderLinesMax) {
        return make_error(ErrorCode::kRejected, "epicor", "the order has too many lines");
    }
    MLC_TRY_CTX(EpicorOrder current, get_order(order_num), context);
    if (config_.write_route == WriteRoute::kUpdateExt) {
        MLC_TRY_CTX(EpicorOrder updated, update_order_ext(current, order), context);
        return updated;
    }
    MLC_CHECK_CTX(update_order_entities(current, order), context);
    return get_order(order_num);
}

Result<void> EpicorClient::update_order_entities(const EpicorOrder& current,
                                                 const model::Order& order) {
    const std::string record_key = "order " + order.source.key;
    const std::int64_t order_num = current.order_num;
    MLC_TRY(json::object fields,
            order_header_fields(order, config_.source_key_field, config_.server_zone));
    MLC_CHECK(patch_order(order_num, std::move(fields), record_key));
    for (LineChange& change : plan_line_changes(current.order.lines, order.lines)) {
        if (change.kind == LineChange::kAdd) {
            MLC_CHECK(add_line_entity(order_num, *change.line, record_key));
            continue;
        }
        std::string subject = change.line ? "part '" + change.line->sku + "'" : std::string();
        MLC_CHECK(patch_line(order_num, change.line_key, std::move(change.fields), record_key,
                             std::move(subject)));
    }
    return ok();
}

Result<void> EpicorClient::cancel_order(std::int64_t order_num) {
    const std::string record_key = "order " + std::to_string(order_num);
    const std::string context = "while cancelling " + record_key + " in Epicor";
    MLC_TRY_CTX(EpicorOrder current, get_order(order_num), context);
    if (config_.write_route == WriteRoute::kUpdateExt) {
        MLC_CHECK_CTX(cancel_order_ext(current), context);
        return ok();
    }
    const bool void_it = config_.cancel_mode == CancelMode::kVoid;
    for (const model::OrderLine& line : current.order.lines) {
        json::object body{{"OpenLine", false}};
        if (void_it) body["VoidLine"] = true;
        MLC_CHECK_CTX(patch_line(order_num, line.line_key, std::move(body), record_key), context);
    }
    json::object head{{"OpenOrder", false}};
    if (void_it) head["VoidOrder"] = true;
    MLC_CHECK_CTX(patch_order(order_num, std::move(head), record_key), context);
    return ok();
}

Result<void> EpicorClient::create_staging_row(const StagingRow& row) {
    json::object body;
    for (std::size_t i = 0; i < row.keys.size(); ++i) {
        body["Key" + std::to_string(i + 1)] = row.keys[i];
    }
    for (const auto& [field, text] : row.texts) {
        MLC_CHECK(odata::check_field_name(field, "UD01 field"));
        body[field] = text;
    }
    for (const auto& [field, number] : row.numbers) {
        MLC_CHECK(odata::check_field_name(field, "UD01 field"));
        body[field] = number.to_string();
    }
    for (const auto& [field, date] : row.dates) {
        MLC_CHECK(odata::check_field_name(field, "UD01 field"));
        MLC_TRY(body[field], format_epicor_datetime(date, config_.server_zone));
    }
    const Result<json::value> created = call({.method = "POST",
                                              .path = service_path(kUd01Svc, "UD01s"),
                                              .body = json::value(std::move(body)),
                                              .record_key = "staging row " + row.keys[0]});
    // Same keys already staged (an earlier attempt whose answer was lost): done.
    if (!created && created.error().code == ErrorCode::kConflict) return ok();
    if (!created) return created.error();
    return ok();
}

Result<std::int64_t> EpicorClient::write_tracking(const TrackingWrite& write) {
    const std::string record_key = "order " + std::to_string(write.order_num);
    const std::string context = "while writing tracking " + write.tracking_number + " to Epicor";
    if (config_.tracking_target == TrackingTarget::kOrderField) {
        MLC_CHECK(odata::check_field_name(config_.tracking_order_field, "the tracking field"));
        MLC_CHECK_CTX(
            patch_order(write.order_num, {{config_.tracking_order_field, write.tracking_number}},
                        record_key),
            context);
        return 0;
    }
    // A pack for this order and tracking number already there (an earlier attempt): reuse it.
    odata::Query query{.filter = odata::and_(odata::eq("OrderNum", write.order_num),
                                             odata::eq("TrackingNumber", write.tracking_number)),
                       .expand = {"CartonTrkDtls"},
                       .orderby = "PackNum",
                       .top = 1};
    MLC_TRY_CTX(json::value found,
                call({.path = service_path(kCustShipSvc, "CustShips") + odata::query_string(query),
                      .idempotent = true,
                      .record_key = record_key}),
                context);
    std::int64_t pack_num = 0;
    bool has_carton = false;
    const json::value* rows = found.is_object() ? found.get_object().if_contains("value") : nullptr;
    if (rows != nullptr && rows->is_array() && !rows->get_array().empty() &&
        rows->get_array()[0].is_object()) {
        const json::object& pack = rows->get_array()[0].get_object();
        pack_num = int_of(pack, "PackNum");
        const json::value* cartons = pack.if_contains("CartonTrkDtls");
        has_carton = cartons != nullptr && cartons->is_array() && !cartons->get_array().empty();
    }
    if (pack_num != 0 && has_carton) return pack_num;
    if (config_.write_route == WriteRoute::kUpdateExt) {
        MLC_TRY_CTX(pack_num, write_tracking_ext(write, pack_num, record_key), context);
        return pack_num;
    }
    if (pack_num == 0) {
        MLC_TRY_CTX(pack_num, create_pack(write, record_key), context);
    }
    if (!has_carton) {
        json::object carton{{"TrackingNumber", write.tracking_number}};
        if (write.weight) carton["PkgWeight"] = write.weight->to_string();
        const std::string path =
            "CustShips" + odata::key({config_.company, pack_num}) + "/CartonTrkDtls";
        MLC_TRY_CTX(json::value created,
                    call({.method = "POST",
                          .path = service_path(kCustShipSvc, path),
                          .body = json::value(std::move(carton)),
                          .record_key = record_key}),
                    context);
        (void)created;
    }
    return pack_num;
}

Result<json::object> EpicorClient::user_field_body(const UserFieldWrite& fields) const {
    json::object body;
    for (const auto& [name, text] : fields.texts) {
        MLC_CHECK(odata::check_field_name(name, "a user field"));
        body[name] = text;
    }
    for (const auto& [name, day] : fields.dates) {
        MLC_CHECK(odata::check_field_name(name, "a user field"));
        if (!day) {
            body[name] = nullptr;
            continue;
        }
        MLC_TRY(body[name], format_epicor_date(*day, config_.server_zone));
    }
    return body;
}

Result<void> EpicorClient::write_pack_fields(std::int64_t pack_num, const UserFieldWrite& fields) {
    MLC_TRY(json::object body, user_field_body(fields));
    const std::string path = "CustShips" + odata::key({config_.company, pack_num});
    MLC_TRY_CTX(
        json::value done,
        call({.method = "PATCH",
              .path = service_path(kCustShipSvc, path),
              .body = json::value(std::move(body)),
              .idempotent = true,
              .record_key = "pack " + std::to_string(pack_num)}),
        "while writing the carrier's status on Epicor CustShip " + std::to_string(pack_num));
    (void)done;
    return ok();
}

Result<void> EpicorClient::write_release_fields(const ReleaseNum& release,
                                                const UserFieldWrite& fields) {
    MLC_TRY(json::object body, user_field_body(fields));
    const std::string name = std::to_string(release.order_num) + "-" +
                             std::to_string(release.line) + "-" + std::to_string(release.rel);
    MLC_TRY_CTX(
        json::value done,
        call({.method = "PATCH",
              .path = order_path(release.order_num) + "/OrderRels" +
                      odata::key({config_.company, release.order_num, release.line, release.rel}),
              .body = json::value(std::move(body)),
              .idempotent = true,
              .record_key = "release " + name}),
        "while writing the carrier's status on Epicor release " + name);
    (void)done;
    return ok();
}

Result<std::vector<ReleaseNum>> EpicorClient::releases_of(std::int64_t order_num) {
    MLC_TRY(std::vector<json::object> rows,
            list_rows(kSalesOrderSvc, "OrderRels",
                      {.filter = odata::eq("OrderNum", order_num),
                       .select = {"OrderNum", "OrderLine", "OrderRelNum"},
                       .orderby = "OrderLine,OrderRelNum"}));
    std::vector<ReleaseNum> out;
    out.reserve(rows.size());
    for (const json::object& row : rows) {
        out.push_back({.order_num = int_of(row, "OrderNum"),
                       .line = int_of(row, "OrderLine"),
                       .rel = int_of(row, "OrderRelNum")});
    }
    return out;
}

Result<std::int64_t> EpicorClient::create_pack(const TrackingWrite& write,
                                               const std::string& record_key) {
    MLC_TRY(EpicorOrder order, get_order(write.order_num));
    json::object head{{"PackNum", 0},  // Epicor assigns it.
                      {"CustNum", order.cust_num},
                      {"OrderNum", write.order_num},
                      {"ShipViaCode", write.ship_via_code.empty() ? order.order.requested_service
                                                                  : write.ship_via_code},
                      {"TrackingNumber", write.tracking_number},
                      {"ShipStatus", "SHIPPED"}};
    if (write.weight) head["Weight"] = write.weight->to_string();
    MLC_TRY(head["ShipDate"],
            format_epicor_date(write.ship_date.value_or(clock_.now()), config_.server_zone));
    MLC_TRY(json::value created, call({.method = "POST",
                                       .path = service_path(kCustShipSvc, "CustShips"),
                                       .body = json::value(std::move(head)),
                                       .record_key = record_key}));
    const std::int64_t pack_num = created.is_object() ? int_of(created.get_object(), "PackNum") : 0;
    if (pack_num == 0) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "POST CustShips gave no PackNum");
    }
    return pack_num;
}

Result<std::vector<model::Item>> EpicorClient::list_parts_changed_since(std::int64_t sys_rev_id) {
    MLC_TRY(std::vector<json::object> rows, list_rows(kPartSvc, "Parts",
                                                      {.filter = odata::gt("SysRevID", sys_rev_id),
                                                       .orderby = "SysRevID,PartNum"}));
    std::vector<model::Item> items;
    items.reserve(rows.size());
    for (const json::object& row : rows) {
        MLC_TRY(model::Item item, item_from_part(row));
        items.push_back(std::move(item));
    }
    return items;
}

Result<std::vector<json::object>> EpicorClient::list_rows_page(std::string_view service,
                                                               std::string_view entity_set,
                                                               odata::Query query) {
    query.top = std::clamp<std::size_t>(query.top.value_or(kPageSizeMax), 1, kPageSizeMax);
    MLC_TRY(json::value answer,
            call({.path = service_path(service, entity_set) + odata::query_string(query),
                  .idempotent = true}));
    const json::value* value =
        answer.is_object() ? answer.get_object().if_contains("value") : nullptr;
    if (value == nullptr || !value->is_array()) {
        return make_error(ErrorCode::kInvalidInput, "epicor",
                          std::string(entity_set) + " answered without a value array");
    }
    std::vector<json::object> rows;
    rows.reserve(value->get_array().size());
    for (const json::value& row : value->get_array()) {
        if (row.is_object()) rows.push_back(row.get_object());
    }
    return rows;
}

// ---------------------------------------------------------------------------------------------
// UpdateExt: a whole tableset in one call.
//
// Every Epicor BO publishes UpdateExt ("apply input data to the service by calling
// GetByID/GetNew/Update"): {"ds", "continueProcessingOnError", "rollbackParentOnChildError"} ->
// {"returnObj": {"BOUpdError": [...]}, "parameters": {"ds", "errorsOccurred"}}. This client always
// sends continueProcessingOnError=false and rollbackParentOnChildError=true, so that a write is
// all or nothing. With continueProcessingOnError true and no rollback, a refused line leaves the
// header and the other lines written while the call still answers 200 (errorsOccurred true): a
// half order that a flow would count as created and never complete. With it false the first
// refused row fails the call (400, like every business error) and rollbackParentOnChildError
// makes a refused line take its header with it rather than leave the header Epicor wrote before
// the line. Should a tenant still answer 200 with errorsOccurred, the write is reported as failed,
// naming what Epicor kept (a replay finds it and brings it up to date): never silent.

Result<json::object> EpicorClient::update_ext(ExtWrite write) {
    json::object body{{"ds", write.ds},
                      {"continueProcessingOnError", false},
                      {"rollbackParentOnChildError", true}};
    Result<json::value> answer = call({.method = "POST",
                                       .path = service_path(write.service, "UpdateExt"),
                                       .body = json::value(std::move(body)),
                                       .record_key = write.record_key});
    if (!answer) return ext_error(write, std::move(answer).error());
    const json::object* parameters = nullptr;
    const json::value* failed = nullptr;
    if (answer->is_object()) {
        const json::value* p = answer->get_object().if_contains("parameters");
        parameters = p != nullptr && p->is_object() ? &p->get_object() : nullptr;
        const json::value* r = answer->get_object().if_contains("returnObj");
        failed =
            r != nullptr && r->is_object() ? r->get_object().if_contains("BOUpdError") : nullptr;
    }
    const json::value* ds = parameters != nullptr ? parameters->if_contains("ds") : nullptr;
    if (ds == nullptr || !ds->is_object()) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "UpdateExt answered without a ds");
    }
    const bool has_rows = failed != nullptr && failed->is_array() && !failed->get_array().empty();
    if (!has_rows && !bool_of(*parameters, "errorsOccurred")) return ds->get_object();
    const EpicorErrorContext context{.connection = config_.connection,
                                     .company = config_.company,
                                     .record_key = write.record_key};
    const json::value* first = has_rows ? &failed->get_array()[0] : nullptr;
    Error error = first != nullptr && first->is_object()
                      ? map_upd_error(first->get_object(), context)
                      : make_error(ErrorCode::kInvalidInput, "epicor",
                                   "UpdateExt answered errorsOccurred without a BOUpdError row");
    error = ext_error(write, std::move(error));
    for (const auto& [table, key] : {std::pair{"OrderHed", "OrderNum"}, {"ShipHead", "PackNum"}}) {
        const json::value* kept = ds->get_object().if_contains(table);
        if (kept == nullptr || !kept->is_array()) continue;
        for (const json::value& row : kept->get_array()) {
            if (!row.is_object()) continue;
            error.message += "; Epicor kept " + std::string(table) + " " + std::string(key) + " " +
                             std::to_string(int_of(row.get_object(), key)) +
                             " without the refused rows: a replay finds it and completes it";
        }
    }
    return error;
}

Error EpicorClient::ext_error(const ExtWrite& write, Error error) {
    if (error.code != ErrorCode::kUnresolved) return error;
    if (error.message.find("Customer not found") != std::string::npos &&
        !write.customer_id.empty()) {
        Error named = unresolved_customer(write.customer_id, config_.company, write.record_key);
        named.http_status = error.http_status;
        return named;
    }
    if (error.message.find("Part not found") != std::string::npos && !write.skus.empty()) {
        return unknown_parts_error(write.skus, std::move(error));
    }
    return error;
}

// Epicor's "Part not found." names no part: one read of the order's parts tells which it lacks.
Error EpicorClient::unknown_parts_error(const std::vector<std::string>& skus, Error error) {
    constexpr std::size_t kPartsPerRead = 40;  // PartNums per $filter (keeps the URL short).
    const std::set<std::string> distinct(skus.begin(), skus.end());
    std::set<std::string> known;
    for (auto it = distinct.begin(); it != distinct.end();) {
        std::string filter;
        for (std::size_t n = 0; n < kPartsPerRead && it != distinct.end(); ++n, ++it) {
            filter += (filter.empty() ? "" : " or ") + odata::eq("PartNum", *it);
        }
        auto rows = list_rows(kPartSvc, "Parts", {.filter = filter, .select = {"PartNum"}});
        if (!rows) return error;  // Epicor's own words stand.
        for (const json::object& row : *rows) known.insert(text_of(row, "PartNum"));
    }
    std::string missing;
    for (const std::string& sku : distinct) {
        if (!known.contains(sku)) missing += (missing.empty() ? "'" : ", '") + sku + "'";
    }
    if (missing.empty()) return error;
    const std::string vague = "has no part (";
    const std::size_t at = error.message.find(vague);
    if (at == std::string::npos) {
        error.message += " (part " + missing + ")";
    } else {
        error.message.insert(at + vague.size() - 1, missing + " ");
    }
    return error;
}

Result<EpicorOrder> EpicorClient::order_from_tableset(const json::object& ds,
                                                      std::int64_t order_num) {
    const json::value* heads = ds.if_contains("OrderHed");
    const json::object* head = nullptr;
    for (std::size_t i = 0; heads != nullptr && heads->is_array() && i < heads->get_array().size();
         ++i) {
        const json::value& row = heads->get_array()[i];
        if (row.is_object() &&
            (order_num == 0 || int_of(row.get_object(), "OrderNum") == order_num)) {
            head = &row.get_object();
            break;
        }
    }
    if (head == nullptr) {
        return make_error(ErrorCode::kInvalidInput, "epicor",
                          "UpdateExt answered without the order");
    }
    json::object order = *head;
    json::array lines;
    if (const json::value* dtls = ds.if_contains("OrderDtl"); dtls != nullptr && dtls->is_array()) {
        for (const json::value& line : dtls->get_array()) {
            if (line.is_object() &&
                int_of(line.get_object(), "OrderNum") == int_of(order, "OrderNum")) {
                lines.push_back(line);
            }
        }
    }
    order["OrderDtls"] = std::move(lines);
    return order_from(order);
}

Result<EpicorOrder> EpicorClient::create_order_ext(const CreateOrderRequest& request) {
    const model::Order& order = request.order;
    MLC_TRY(json::object head,
            order_header_fields(order, config_.source_key_field, config_.server_zone));
    head["OrderNum"] = 0;  // Epicor assigns it.
    // The customer by CustID: the BO defaults CustNum (and ship-via, terms, currency) from it, as
    // ChangeOrderHedCustomerCustID does, so no customer lookup comes first.
    head["CustomerCustID"] = request.customer_id;
    head["RowMod"] = "A";
    ExtWrite write{.service = kSalesOrderSvc,
                   .record_key = "order " + order.source.key,
                   .customer_id = request.customer_id};
    json::array lines;
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
        json::object row = line_fields(order.lines[i]);
        row["OrderNum"] = 0;
        // Distinct line numbers: the tableset's rows are unique by Company, OrderNum, OrderLine.
        row["OrderLine"] = static_cast<std::int64_t>(i + 1);
        row["RowMod"] = "A";
        lines.push_back(std::move(row));
        write.skus.push_back(order.lines[i].sku);
    }
    write.ds = {{"OrderHed", json::array{std::move(head)}}, {"OrderDtl", std::move(lines)}};
    MLC_TRY(json::object stored, update_ext(std::move(write)));
    return order_from_tableset(stored, 0);
}

Result<EpicorOrder> EpicorClient::update_order_ext(const EpicorOrder& current,
                                                   const model::Order& order) {
    const std::int64_t order_num = current.order_num;
    MLC_TRY(json::object head,
            order_header_fields(order, config_.source_key_field, config_.server_zone));
    head["OrderNum"] = order_num;
    head["RowMod"] = "U";
    ExtWrite write{.service = kSalesOrderSvc, .record_key = "order " + order.source.key};
    json::array lines;
    std::int64_t next_line = current.last_line;
    for (LineChange& change : plan_line_changes(current.order.lines, order.lines)) {
        json::object row;
        if (change.kind == LineChange::kAdd) {
            row = line_fields(*change.line);
            row["OrderLine"] = ++next_line;
            row["RowMod"] = "A";
        } else {
            row = std::move(change.fields);
            MLC_TRY(row["OrderLine"], parse_int(change.line_key, "OrderLine"));
            row["RowMod"] = "U";
        }
        row["OrderNum"] = order_num;
        if (change.line != nullptr) write.skus.push_back(change.line->sku);
        lines.push_back(std::move(row));
    }
    write.ds = {{"OrderHed", json::array{std::move(head)}}, {"OrderDtl", std::move(lines)}};
    MLC_TRY(json::object stored, update_ext(std::move(write)));
    return order_from_tableset(stored, order_num);
}

// The header and every line closed (and voided, by config) in one UpdateExt: all or nothing.
Result<void> EpicorClient::cancel_order_ext(const EpicorOrder& current) {
    const bool void_it = config_.cancel_mode == CancelMode::kVoid;
    json::object head{{"OrderNum", current.order_num}, {"OpenOrder", false}, {"RowMod", "U"}};
    if (void_it) head["VoidOrder"] = true;
    json::array lines;
    for (const model::OrderLine& line : current.order.lines) {  // Bounded by kOrderLinesMax.
        json::object row{{"OrderNum", current.order_num}, {"OpenLine", false}, {"RowMod", "U"}};
        MLC_TRY(row["OrderLine"], parse_int(line.line_key, "OrderLine"));
        if (void_it) row["VoidLine"] = true;
        lines.push_back(std::move(row));
    }
    ExtWrite write{
        .service = kSalesOrderSvc,
        .ds = {{"OrderHed", json::array{std::move(head)}}, {"OrderDtl", std::move(lines)}},
        .record_key = "order " + std::to_string(current.order_num)};
    MLC_TRY(json::object stored, update_ext(std::move(write)));
    (void)stored;
    return ok();
}

Result<std::int64_t> EpicorClient::write_tracking_ext(const TrackingWrite& write,
                                                      std::int64_t pack_num,
                                                      const std::string& record_key) {
    json::object ds;
    if (pack_num == 0) {
        // No CustNum: the BO takes it (and the ship-via when none is given) from the order.
        json::object head{{"PackNum", 0},  // Epicor assigns it.
                          {"OrderNum", write.order_num},
                          {"TrackingNumber", write.tracking_number},
                          {"ShipStatus", "SHIPPED"},
                          {"RowMod", "A"}};
        if (!write.ship_via_code.empty()) head["ShipViaCode"] = write.ship_via_code;
        if (write.weight) head["Weight"] = write.weight->to_string();
        MLC_TRY(head["ShipDate"],
                format_epicor_date(write.ship_date.value_or(clock_.now()), config_.server_zone));
        ds["ShipHead"] = json::array{std::move(head)};
    }
    json::object carton{
        {"PackNum", pack_num}, {"TrackingNumber", write.tracking_number}, {"RowMod", "A"}};
    if (write.weight) carton["PkgWeight"] = write.weight->to_string();
    ds["CartonTrkDtl"] = json::array{std::move(carton)};
    MLC_TRY(json::object stored,
            update_ext({.service = kCustShipSvc, .ds = std::move(ds), .record_key = record_key}));
    const json::value* heads = stored.if_contains("ShipHead");
    const std::int64_t written = heads != nullptr && heads->is_array() &&
                                         !heads->get_array().empty() &&
                                         heads->get_array()[0].is_object()
                                     ? int_of(heads->get_array()[0].get_object(), "PackNum")
                                     : 0;
    if (written == 0) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "CustShip UpdateExt gave no PackNum");
    }
    return written;
}

Result<json::object> EpicorClient::create_row(std::string path, json::object body,
                                              std::string record_key) {
    MLC_TRY(json::value created, call({.method = "POST",
                                       .path = std::move(path),
                                       .body = json::value(std::move(body)),
                                       .record_key = std::move(record_key)}));
    if (!created.is_object()) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "a created row is not an object");
    }
    return std::move(created.get_object());
}

Result<std::optional<json::object>> EpicorClient::get_row(std::string path) {
    Result<json::value> row = call({.path = std::move(path), .idempotent = true});
    if (!row && row.error().code == ErrorCode::kNotFound) return std::optional<json::object>();
    if (!row) return row.error();
    if (!row->is_object()) {
        return make_error(ErrorCode::kInvalidInput, "epicor", "a row is not an object");
    }
    return std::optional<json::object>(std::move(row->get_object()));
}

}  // namespace mlc::connectors::epicor

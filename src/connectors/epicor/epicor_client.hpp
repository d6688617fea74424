#pragma once
// EpicorClient: Epicor Kinetic REST v2 (OData v4) for one connection (epicor-kinetic.md).
//
// URLs are `<base_url>/api/v2/odata/<Company>/<Service>/<EntitySet|Method>`, where base_url is the
// tenant base `https://<server>/<instance>`. Every call carries x-api-key plus Basic or Bearer,
// applied by the connection's auth::TokenManager (Bearer from its EpicorToken source, renewed
// before the hour runs out and once on 401; Epicor has no refresh tokens).
//
// What it does:
//  * lists with $top/$skip until a short page (v2 emits no nextLink), bounded by `pages_max`;
//  * lookups: customer by CustID / EMailAddress / a configured field, part by PartNum, sales order
//    by the configured source-key field (PONum or a UD field such as ShipStationKey_c): how an
//    uncertain create is found after a crash instead of being repeated;
//  * sales order create in one UpdateExt call (OrderHed + OrderDtl rows, RowMod "A"; the default),
//    the way the UI does (GetNewOrderHed, ChangeOrderHedCustomerCustID, fields, MasterUpdate ->
//    OrderNum; per line GetNewOrderDtl, ChangePartNumMaster, ChangeSellingQtyMaster, price,
//    MasterUpdate) or through the entity sets (POST SalesOrders, then OrderDtls), chosen by config;
//  * order update (lines matched by PartNum: changed, new, voided), by default in one UpdateExt
//    call (RowMod "U"/"A" rows) after reading the order, else header PATCH and a PATCH or POST per
//    line; cancel (void or close), UD01 staging rows, shipment tracking (a CustShip with
//    TrackingNumber and a CartonTrkDtl, by default one CustShipSvc UpdateExt after the lookup; or a
//    configured order field), parts changed since a SysRevID.
// Errors: epicor_errors.hpp maps every non-2xx answer once.
//
// Lifecycle: one per connection, built at start-up. Thread safety: every member may be called
// from several threads (the HttpClient, TokenManager and transport are thread-safe; the client's
// own state is the per-thread 401 keeper, locked). Ownership: borrows everything in
// EpicorClientDeps, which must outlive it.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/token_manager.hpp"
#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"
#include "connectors/epicor/odata.hpp"
#include "model/model.hpp"
#include "net/http_client.hpp"
#include "net/rate_limiter.hpp"

namespace mlc::connectors::epicor {

// "clients use $top up to 1000" (spec, Answers): the largest page we ask for.
constexpr std::size_t kPageSizeMax = 1000;
// Pages one list call reads before it stops with an error (1,000,000 rows at kPageSizeMax).
constexpr std::size_t kPagesMax = 1000;
// Lines of one order this connector writes or reads (a bigger order is parked, not truncated).
constexpr std::size_t kOrderLinesMax = 2000;

// kUpdateExt: one `SalesOrderSvc/UpdateExt` with header and lines (1 call); kUiSequence: the UI's
// method sequence (4 + 4 per line calls, after a customer lookup); kEntitySets: POST SalesOrders
// and one POST per line (after a customer lookup).
enum class OrderCreateRoute { kUiSequence, kEntitySets, kUpdateExt };
// How update_order and write_tracking write: one UpdateExt call, or a PATCH/POST per row.
enum class WriteRoute { kUpdateExt, kEntitySets };
enum class CancelMode { kVoid, kClose };
enum class TrackingTarget { kCustShip, kOrderField };

struct EpicorClientConfig {
    std::string connection{};  // "epicor-main": limiter key, error messages.
    std::string base_url{};    // Tenant base "https://host/EpicorERP" (no trailing slash needed).
    std::string company{};     // "EPIC06": mandatory in every v2 URL.
    // Where the source system's key is written and searched: PONum or a UD field.
    std::string source_key_field = "PONum";
    // Customer field for lookup_customer_by_field (e.g. a UD field with the shop's customer id).
    std::string customer_lookup_field = "CustID";
    OrderCreateRoute create_route = OrderCreateRoute::kUpdateExt;
    WriteRoute write_route = WriteRoute::kUpdateExt;
    CancelMode cancel_mode = CancelMode::kVoid;
    TrackingTarget tracking_target = TrackingTarget::kCustShip;
    std::string tracking_order_field{};  // For kOrderField: the OrderHed field (e.g. a UD field).
    std::string server_zone = "UTC";     // Epicor server local time zone (dates carry no offset).
    std::size_t page_size = kPageSizeMax;
    std::size_t pages_max = kPagesMax;
};

struct EpicorClientDeps {
    net::HttpTransport& transport;
    Clock& clock;
    net::RateLimiterRegistry& limiters;
    auth::TokenManager& credentials;  // x-api-key + Basic, or + Bearer (EpicorToken source).
    net::RetryOptions retry{};
    std::uint64_t seed = 1;  // Retry jitter.
    std::shared_ptr<spdlog::logger> logger{};
    net::ClientObserver* observer = nullptr;
};

// A sales order as Epicor holds it.
struct EpicorOrder {
    std::int64_t order_num = 0;
    std::int64_t cust_num = 0;
    std::string source_key{};  // Value of the configured source-key field.
    std::int64_t sys_rev_id = 0;
    std::int64_t last_line = 0;  // Highest OrderLine, voided lines included (the next is +1).
    model::Order order{};  // source.key = OrderNum, number = source key, lines keyed OrderLine.
};

struct CreateOrderRequest {
    const model::Order& order;  // order.source.key goes into the source-key field.
    std::string customer_id{};  // Epicor CustID (resolved by the flow).
};

// A UD01 staging row (Ice.BO.UD01Svc): Key1..Key5 plus Character/Number/Date fields by name.
struct StagingRow {
    std::array<std::string, 5> keys{};
    std::vector<std::pair<std::string, std::string>> texts{};  // "Character01", "..."
    std::vector<std::pair<std::string, Decimal>> numbers{};    // "Number01", 12.5
    std::vector<std::pair<std::string, UtcTime>> dates{};      // "Date01", t
};

struct TrackingWrite {
    std::int64_t order_num = 0;
    std::string tracking_number{};
    std::string ship_via_code{};  // Epicor ShipViaCode; empty: the order's.
    std::optional<Decimal> weight{};
    std::optional<UtcTime> ship_date{};
};

// User fields ("_c": UD columns the tenant added) written on a CustShip or an order release: what
// a carrier says of a shipment (its status, delivered and estimated delivery dates). A date
// without a value clears the field.
struct UserFieldWrite {
    std::vector<std::pair<std::string, std::string>> texts{};
    std::vector<std::pair<std::string, std::optional<UtcTime>>> dates{};
    bool empty() const { return texts.empty() && dates.empty(); }
};

// An order release: OrderRel (Company, OrderNum, OrderLine, OrderRelNum).
struct ReleaseNum {
    std::int64_t order_num = 0;
    std::int64_t line = 0;
    std::int64_t rel = 0;
};

class EpicorClient {
  public:
    EpicorClient(EpicorClientConfig config, EpicorClientDeps deps);
    ~EpicorClient();
    EpicorClient(const EpicorClient&) = delete;
    EpicorClient& operator=(const EpicorClient&) = delete;

    // kConfig when a configured field name is not an Epicor identifier.
    Result<void> check_config() const;

    // Every row of `entity_set` matching `query` (top/skip are set here), page by page.
    Result<std::vector<boost::json::object>> list_rows(std::string_view service,
                                                       std::string_view entity_set,
                                                       odata::Query query);

    Result<std::optional<model::Party>> find_customer_by_id(std::string_view cust_id);
    Result<std::optional<model::Party>> find_customer_by_email(std::string_view email);
    Result<std::optional<model::Party>> find_customer_by_field(std::string_view value);
    Result<std::optional<model::Item>> find_part(std::string_view part_num);

    Result<std::optional<EpicorOrder>> find_order_by_source_key(std::string_view source_key);
    Result<EpicorOrder> get_order(std::int64_t order_num);

    // Creates the order with its lines and returns it as stored. A customer or part Epicor does
    // not know -> kUnresolved naming it.
    Result<EpicorOrder> create_order(const CreateOrderRequest& request);
    // Brings an existing order to `order`: header fields, changed/new/removed lines.
    Result<EpicorOrder> update_order(std::int64_t order_num, const model::Order& order);
    // Void (or close, by config) the order and its open lines.
    Result<void> cancel_order(std::int64_t order_num);

    // Creates a UD01 row; a row with the same keys already there counts as done.
    Result<void> create_staging_row(const StagingRow& row);

    // Records a shipment's tracking; returns the PackNum (0 for kOrderField). Idempotent: a
    // CustShip for the same order and tracking number is found and reused.
    Result<std::int64_t> write_tracking(const TrackingWrite& write);
    // PATCHes user fields on a CustShip / a release (fixed values: a repeat changes nothing). A
    // field the tenant does not have is kConfig naming it.
    Result<void> write_pack_fields(std::int64_t pack_num, const UserFieldWrite& fields);
    Result<void> write_release_fields(const ReleaseNum& release, const UserFieldWrite& fields);
    // The releases of an order, in key order.
    Result<std::vector<ReleaseNum>> releases_of(std::int64_t order_num);

    // Parts whose SysRevID is above `sys_rev_id`, in SysRevID order (Part has no change date).
    Result<std::vector<model::Item>> list_parts_changed_since(std::int64_t sys_rev_id);

    // One page of `entity_set` matching `query` as given ($top defaults to and is capped at
    // kPageSizeMax; $skip as set): for flows that commit a cursor page by page (keyset paging on
    // SysRevID + key) instead of reading a whole listing at once.
    Result<std::vector<boost::json::object>> list_rows_page(std::string_view service,
                                                            std::string_view entity_set,
                                                            odata::Query query);

    // One row POSTed to `path` (after the company: "Erp.BO.GLJrnGrpSvc/GLJrnGrps", or a child
    // set below its parent's key), answered as stored. kConflict when a row with its key exists
    // (Epicor's "same key" refusal): a repeat after a lost answer. For writers of tables this
    // client has no method for (GL journals, AP invoices: epicor_journals.hpp).
    Result<boost::json::object> create_row(std::string path, boost::json::object body,
                                           std::string record_key);
    // The row at `path` ("...GLJrnGrps('EPIC06','AMZ2602')"); nullopt on 404.
    Result<std::optional<boost::json::object>> get_row(std::string path);

    const EpicorClientConfig& config() const { return config_; }

  private:
    class UnauthorizedKeeper;
    struct Call {
        std::string method = "GET";
        std::string path;  // After the company: "Erp.BO.PartSvc/Parts('EPIC06','P1')"
        std::optional<boost::json::value> body{};
        bool idempotent = false;  // Repeating it is harmless (GET, PATCH of fixed values, GetNew*)
        std::string record_key{};
        std::string subject{};
    };

    Result<boost::json::value> call(const Call& call);
    std::string url(std::string_view path) const;
    Result<std::optional<model::Party>> find_customer(std::string_view field,
                                                      std::string_view value);
    Result<std::int64_t> customer_number(std::string_view cust_id, std::string_view record_key);
    struct OrderIds {
        std::int64_t order_num = 0;
        std::int64_t cust_num = 0;
    };
    // POST Erp.BO.SalesOrderSvc/<name>; answers the tableset `ds` it returned.
    Result<boost::json::object> sales_order_method(std::string_view name, boost::json::object body,
                                                   bool idempotent, const std::string& record_key,
                                                   std::string subject = {});
    Result<std::int64_t> create_order_ui(const CreateOrderRequest& request, std::int64_t cust_num);
    Result<boost::json::object> add_line_ui(boost::json::object ds, const OrderIds& ids,
                                            const model::OrderLine& line,
                                            const std::string& record_key);
    Result<void> patch_line(std::int64_t order_num, std::string_view line_key,
                            boost::json::object body, const std::string& record_key,
                            std::string subject = {});
    Result<void> patch_order(std::int64_t order_num, boost::json::object body,
                             const std::string& record_key);
    Result<boost::json::object> user_field_body(const UserFieldWrite& fields) const;
    Result<std::int64_t> create_pack(const TrackingWrite& write, const std::string& record_key);
    Result<std::int64_t> create_order_entities(const CreateOrderRequest& request,
                                               std::int64_t cust_num);
    Result<void> add_line_entity(std::int64_t order_num, const model::OrderLine& line,
                                 const std::string& record_key);
    Result<EpicorOrder> order_from(const boost::json::object& head);

    // UpdateExt: one tableset write, all or nothing (epicor_client.cpp explains the flags).
    struct ExtWrite {
        std::string_view service{};
        boost::json::object ds{};
        std::string record_key{};
        std::string customer_id{};        // Named when Epicor does not know the customer
        std::vector<std::string> skus{};  // Looked up when Epicor does not know a part
    };
    Result<boost::json::object> update_ext(ExtWrite write);
    Error ext_error(const ExtWrite& write, Error error);
    Error unknown_parts_error(const std::vector<std::string>& skus, Error error);
    Result<void> cancel_order_ext(const EpicorOrder& current);
    Result<EpicorOrder> order_from_tableset(const boost::json::object& ds, std::int64_t order_num);
    Result<EpicorOrder> create_order_ext(const CreateOrderRequest& request);
    Result<EpicorOrder> update_order_ext(const EpicorOrder& current, const model::Order& order);
    Result<void> update_order_entities(const EpicorOrder& current, const model::Order& order);
    Result<std::int64_t> write_tracking_ext(const TrackingWrite& write, std::int64_t pack_num,
                                            const std::string& record_key);
    std::string order_path(std::int64_t order_num) const;

    EpicorClientConfig config_;
    Clock& clock_;
    auth::TokenManager& credentials_;
    std::unique_ptr<UnauthorizedKeeper> keeper_;
    net::HttpClient http_;
};

}  // namespace mlc::connectors::epicor

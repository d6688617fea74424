#pragma once
// AcumaticaEmulator: an Acumatica instance's contract-based REST API (../shared/specs/acumatica.md,
// Default_24.200.001.openapi.json) as a pure request handler.
//
// Served: POST /entity/auth/login {"name", "password", "tenant", "branch"?, "locale"?} -> 204
// with the ASP.NET_SessionId and .ASPXAUTH cookies; POST /entity/auth/logout -> 204; GET /entity
// (the published endpoints); under /entity/Default/<version>/ for 24.200.001 and 25.200.001 (any
// other endpoint or version: 404): GET <Entity> (a bare array; $filter, $select, $expand, $top,
// $skip), GET <Entity>/<key>[/<key>] and <Entity>/<guid>, PUT <Entity> (upsert by key fields,
// If-None-Match/If-Match: * -> 412, 422 with per-field errors), POST <Entity>/<Action> (202 and a
// Location .../<Entity>/<Action>/status/<guid> to poll: 202 while running, 204 when done) for
// SalesOrderCreateShipment and Shipment ConfirmShipment / CorrectShipment (a confirmed shipment
// back to Open, its quantities open on the orders again; refused (422) unless Confirmed). Entities:
// SalesOrder, Customer, StockItem, Shipment (acumatica_schema.hpp).
//
// Limits: a session expires after kSessionIdle without a request; at most sessions_max open
// sessions (a login past it answers "API Login Limit"); the per-minute request queue of
// request_queue.hpp (the delay Acumatica would hold a request is reported in the
// X-Sandbox-Queue-Delay-Ms header; more than 20 waiting -> 429).
//
// Control routes (below /__sandbox/, acumatica_control.cpp): GET state, POST limits,
// POST sessions {"user", "logout_after_seconds"} (another integration holds a licence seat, then
// logs out: counted opened and closed like any session),
// POST orders, POST orders/cancel, POST customers, POST items, POST shipments
// (a warehouse user creates, packs with a tracking number and confirms a shipment).
//
// Lifecycle: built by the sandbox framework (or a test) with an EmulatorContext; lives as long as
// the host. Thread safety: none of its own; the framework serialises every call (emulator.hpp).
// Ownership: borrows the context's clock; never calls out.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/decimal.hpp"
#include "sandbox/acumatica/acumatica_schema.hpp"
#include "sandbox/acumatica/request_queue.hpp"
#include "sandbox/emulator.hpp"

namespace mlc::sandbox::acumatica {

class AcumaticaEmulator final : public Emulator {
  public:
    static constexpr std::string_view kEndpoint = "Default";
    static constexpr std::array<std::string_view, 2> kVersions = {"24.200.001", "25.200.001"};
    static constexpr std::chrono::minutes kSessionIdle{20};
    static constexpr std::size_t kSessionsMaxDefault = 2;  // A trial licence: 2 API users.
    // Not published per tier in the fact sheet; a control route changes it (POST limits).
    static constexpr std::int64_t kRequestsPerMinuteDefault = 200;
    static constexpr std::chrono::seconds kActionDuration{1};  // A long-running action's run.
    static constexpr std::size_t kActionsKept = 10'000;        // Finished actions kept to poll.
    static constexpr std::size_t kSeedOrdersMax = 100'000;     // volume is clamped to this.
    static constexpr std::size_t kStateRecordsMax = 5'000;     // State dump lists at most this.
    static constexpr std::size_t kDetailRowsMax = 500;         // Rows in one detail collection.
    static constexpr std::string_view kDelayHeader = "X-Sandbox-Queue-Delay-Ms";

    explicit AcumaticaEmulator(EmulatorContext context);
    ~AcumaticaEmulator() override;

    std::string_view system() const override { return "acumatica"; }
    net::HttpResponse handle(const net::HttpRequest& request) override;
    net::HttpResponse control(const net::HttpRequest& request, std::string_view route) override;
    boost::json::object connection_info(std::string_view base_url) const override;
    void tick() override;
    void set_base_url(std::string_view base_url) override { base_url_ = base_url; }

    const std::string& user_name() const { return user_name_; }
    const std::string& password() const { return password_; }
    const std::string& tenant() const { return tenant_; }

    // Per-field problems of one write: path ("CustomerID", "Details/1/InventoryID") -> message.
    using FieldErrors = std::vector<std::pair<std::string, std::string>>;
    // What $select and $expand ask for: field paths ("Details", "MainContact/Address").
    struct Projection {
        std::set<std::string, std::less<>> expand = {};
        std::set<std::string, std::less<>> select = {};
    };

  private:
    struct Session {
        std::string session_id = {};
        std::string user = {};
        UtcTime opened{};
        UtcTime last_used{};
        std::optional<UtcTime> logs_out_at = {};  // Another integration's (POST sessions).
    };
    struct Action {
        std::string entity = {};  // "Shipment"
        std::string action = {};  // "ConfirmShipment"
        std::string key = {};     // The record's key text ("SO/000001")
        boost::json::object parameters = {};
        UtcTime due{};
        bool done = false;
        int failure_status = 0;  // 0: succeeded (or running); else the status polls answer.
        std::string failure = {};
    };
    using Records = std::map<std::string, boost::json::object>;  // key text -> stored record

    // acumatica_emulator.cpp: sessions, routing, the queue.
    net::HttpResponse login(const net::HttpRequest& request);
    net::HttpResponse logout(const net::HttpRequest& request);
    Session* session_of(const net::HttpRequest& request);
    void expire_idle_sessions();
    net::HttpResponse entity_route(const net::HttpRequest& request, std::string_view path);
    net::HttpResponse entity_call(const net::HttpRequest& request, std::string_view version,
                                  const std::vector<std::string>& segments);
    net::HttpResponse list_endpoints() const;

    // acumatica_read.cpp: reads and rendering.
    net::HttpResponse get_list(const EntitySpec& entity, const net::HttpRequest& request,
                               std::string_view version);
    net::HttpResponse get_one(const EntitySpec& entity, const net::HttpRequest& request,
                              std::string_view version, const std::vector<std::string>& ids);
    boost::json::object render(const EntitySpec& entity, const boost::json::object& stored,
                               const Projection& projection, std::string_view version) const;
    const boost::json::object* find_by_id(const Records& records, std::string_view id) const;

    // acumatica_write.cpp: PUT and the business rules of each entity.
    net::HttpResponse put_entity(const EntitySpec& entity, const net::HttpRequest& request,
                                 std::string_view version);
    // The stored record after applying `changes` (normalised client fields), or per-field errors.
    // `user` writes come from control routes (a person in the UI) and skip API-only checks.
    Result<std::string> upsert(const EntitySpec& entity, const boost::json::object& changes,
                               FieldErrors& errors);
    bool write_sales_order(boost::json::object& record, const boost::json::object& changes,
                           bool inserting, FieldErrors& errors);
    bool write_customer(boost::json::object& record, const boost::json::object& changes,
                        bool inserting, FieldErrors& errors);
    bool write_stock_item(boost::json::object& record, const boost::json::object& changes,
                          bool inserting, FieldErrors& errors);
    bool write_shipment(boost::json::object& record, const boost::json::object& changes,
                        bool inserting, FieldErrors& errors);
    void recompute_order(boost::json::object& order);
    std::string refresh_order_status(boost::json::object& order);
    bool check_order_customer(boost::json::object& order, bool inserting, FieldErrors& errors);
    bool default_order_line(boost::json::object& row, std::int64_t line_nbr,
                            const std::string& path, FieldErrors& errors);
    // Shipment lines from order lines: checks every row, then (all good) fills them and puts
    // the quantities on the orders.
    bool add_shipment_lines(boost::json::object& shipment, const boost::json::object& changes,
                            FieldErrors& errors);
    void recompute_shipment(boost::json::object& shipment);
    // The shipment's Orders row and the order's Shipments row for `quantity` of the order.
    void link_shipment(boost::json::object& shipment, boost::json::object& order, Decimal quantity);
    boost::json::object* find_record(std::string_view entity, const std::string& key);
    boost::json::object* order_line(boost::json::object& order, std::int64_t line_nbr);

    // acumatica_actions.cpp: long-running actions.
    net::HttpResponse post_action(const EntitySpec& entity, const net::HttpRequest& request,
                                  std::string_view version, std::string_view action);
    net::HttpResponse action_status(std::string_view version, std::string_view entity,
                                    std::string_view guid);
    void complete_due_actions();
    void run_action(Action& action);
    // Both return an empty string on success, else the failure message.
    std::string create_shipment(const std::string& order_key, const boost::json::object& parameters,
                                std::string* shipment_nbr);
    std::string confirm_shipment(const std::string& shipment_key);
    // CorrectShipment: a confirmed shipment back to Open, its quantities open on the orders again.
    std::string correct_shipment(const std::string& shipment_key);

    // acumatica_seed.cpp
    void seed_data();
    void seed_order(std::size_t index, std::size_t customers, std::size_t items);

    // acumatica_control.cpp
    net::HttpResponse control_state() const;
    net::HttpResponse control_limits(const boost::json::object& body);
    net::HttpResponse control_session(const boost::json::object& body);
    net::HttpResponse control_order(const boost::json::object& body);
    net::HttpResponse control_write(std::string_view entity, const boost::json::object& body);
    net::HttpResponse control_shipment(const boost::json::object& body);
    net::HttpResponse control_cancel(const boost::json::object& body);

    std::string new_guid();
    std::string next_number(std::int64_t& counter, std::size_t width);
    Records& records(std::string_view entity) { return records_[std::string(entity)]; }
    static std::string key_text(const EntitySpec& entity, const boost::json::object& record);
    void touch(const EntitySpec& entity, boost::json::object& record);
    UtcTime now() const { return context_.clock.now(); }

    EmulatorContext context_;
    std::string base_url_ = "http://acumatica.sandbox.test";
    std::string user_name_ = "admin";
    std::string password_;
    std::string tenant_ = "MLC";
    std::string branch_ = "MAIN";
    std::map<std::string, Session, std::less<>> sessions_;  // by .ASPXAUTH value
    std::size_t sessions_max_ = kSessionsMaxDefault;
    int login_limit_status_ = 500;  // The sheet saw "API Login Limit" as 500 and as 429.
    std::uint64_t sessions_opened_ = 0, sessions_closed_ = 0, sessions_expired_ = 0;
    std::uint64_t logins_refused_ = 0, requests_ = 0;
    RequestQueue queue_;
    std::map<std::string, Records, std::less<>> records_;  // entity name -> records
    std::map<std::string, Action, std::less<>> actions_;   // by guid
    std::int64_t next_order_nbr_ = 1, next_shipment_nbr_ = 1, next_customer_nbr_ = 1;
    std::uint64_t next_guid_ = 1;
};

std::unique_ptr<Emulator> make_acumatica_emulator(EmulatorContext context);

}  // namespace mlc::sandbox::acumatica

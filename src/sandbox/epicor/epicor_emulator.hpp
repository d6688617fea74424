#pragma once
// EpicorEmulator: Epicor Kinetic REST v2 (OData v4) as a pure request handler, as strict as the
// vendor (../shared/specs/epicor-kinetic.md). Serves
//   /<instance>/api/v2/odata/<Company>/<Service>/<EntitySet>[(<keys>)][/<Child>]   (OData CRUD)
//   /<instance>/api/v2/odata/<Company>/<Service>/<Method>                          (BO methods)
//   /<instance>/TokenResource.svc/ and .../Ice.LIB.TokenServiceSvc/GetAccessToken  (tokens)
// with x-api-key + Basic/Bearer on every v2 call, tokens expiring after 1 h on the emulator's
// clock (no refresh), Epicor-shaped errors, and deterministic seeded data.
//
// Dates travel as "2024-03-15T00:00:00" without offset in server local time; the emulated
// server's local time is UTC.
//
// Lifecycle: built by the sandbox framework (or a test) with an EmulatorContext; seeds its data
// in the constructor. Thread safety: none of its own; the framework serialises calls.
// Ownership: borrows the context's Clock, which must outlive it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "sandbox/emulator.hpp"
#include "sandbox/epicor/epicor_database.hpp"

namespace mlc::sandbox::epicor {

constexpr std::chrono::seconds kTokenLifetime{3600};  // "1 h is usual" (spec, Auth)
constexpr std::size_t kTokensMax = 10'000;            // Live tokens kept; expired ones dropped
constexpr std::size_t kUsersMax = 1'000;              // Users the control API may add
constexpr std::size_t kTablesetRowsMax = 10'000;      // Rows per table in a method's `ds`

class EpicorEmulator final : public Emulator {
  public:
    explicit EpicorEmulator(EmulatorContext context);

    std::string_view system() const override { return "epicor"; }
    net::HttpResponse handle(const net::HttpRequest& request) override;
    net::HttpResponse control(const net::HttpRequest& request, std::string_view route) override;
    boost::json::object connection_info(std::string_view base_url) const override;
    void set_base_url(std::string_view base_url) override { base_url_ = base_url; }

    const std::string& instance() const { return instance_; }
    const std::string& company() const { return database_.company(); }

  private:
    struct User {
        std::string password{};
        std::vector<std::string> companies{};
    };
    struct Token {
        std::string username{};
        UtcTime expires{};
    };
    struct Call;  // One routed v2 request (epicor_emulator.cpp)

    // Auth: the user name, or the 401 to answer.
    std::optional<net::HttpResponse> authenticate(const net::HttpRequest& request,
                                                  std::string_view company, std::string& username);
    net::HttpResponse token_resource(const net::HttpRequest& request);
    net::HttpResponse get_access_token(const std::string& username);
    std::string issue_token(const std::string& username);

    net::HttpResponse route_v2(const net::HttpRequest& request,
                               const std::vector<std::string>& segments);
    net::HttpResponse entity_request(Call& call);
    net::HttpResponse list_rows(Call& call);
    net::HttpResponse get_row(Call& call, const boost::json::object& row);
    net::HttpResponse create_row(Call& call);
    net::HttpResponse patch_row(Call& call, boost::json::object& row);
    net::HttpResponse delete_row(Call& call, const boost::json::object& row);
    net::HttpResponse method_request(Call& call);

    // A business rule a row breaks: Epicor's words, the ErrorType, and where (table, field,
    // method).
    struct Refusal {
        std::string message{};
        std::string type{};  // Ice.BLException or Ice.Common.BusinessObjectException
        std::string table{};
        std::string field{};
        std::string method{};
    };
    // The 400 Epicor answers for a refusal (ErrorDetails with one entry).
    net::HttpResponse refusal_answer(const Refusal& refusal);

    // References a row makes (customer, part, journal group, a pack's order): what fails.
    std::optional<Refusal> row_references(const TableDef& def, boost::json::object& row,
                                          std::string_view method);
    // Business rules on a row about to be created (fills Epicor's defaults and numbers).
    std::optional<Refusal> new_row_rules(const TableDef& def, boost::json::object& row,
                                         std::string_view method);
    // The same, as the 400 to answer.
    std::optional<net::HttpResponse> check_references(const TableDef& def, boost::json::object& row,
                                                      std::string_view method);
    std::optional<net::HttpResponse> prepare_new_row(const TableDef& def, boost::json::object& row,
                                                     std::string_view method);
    boost::json::object& store_new_row(const TableDef& def, boost::json::object row);
    // Writes `updated` over the stored `row` after its references are checked (line totals, the
    // order's totals, ChangedBy, SysRevID): an entity PATCH and an UpdateExt "U" row.
    std::optional<Refusal> update_row(const TableDef& def, boost::json::object& row,
                                      boost::json::object updated, std::string_view method);
    void refresh_order_totals(std::int64_t order_num);

    // The rows of `tables` in a method's `ds`, typed like the entity sets, into `out`; with
    // `defaults` every row starts from the table's defaults (the UI methods send whole rows), else
    // a row holds only the fields sent (UpdateExt applies just those). The 400 on a bad row.
    std::optional<net::HttpResponse> read_tableset(const boost::json::object& sent,
                                                   const std::vector<std::string>& tables,
                                                   std::string_view method, bool defaults,
                                                   boost::json::object& out);
    // A head row and every child collection of it, as a method's `ds`.
    boost::json::object tableset_of(const TableDef& head, const boost::json::object& head_row);

    // Sales order UI methods (each takes and returns the whole tableset `ds`).
    net::HttpResponse sales_order_method(Call& call);
    boost::json::object order_tableset(std::int64_t order_num);
    net::HttpResponse master_update(Call& call, boost::json::object& ds,
                                    boost::json::object& parameters);

    // UpdateExt (Erp.BO.SalesOrderSvc, Erp.BO.CustShipSvc): a whole tableset of added ("A") and
    // updated ("U") rows in one call, BOUpdError rows for what failed (update_ext.cpp).
    struct ExtRun;
    struct ExtGroup;
    net::HttpResponse update_ext(const net::HttpRequest& request, const std::string& service,
                                 const std::string& company);
    std::optional<net::HttpResponse> read_ext_request(const net::HttpRequest& request, ExtRun& run);
    // Head rows with the child rows that share their link values; children of no head row sent
    // form groups of their own (their head must be stored already).
    std::vector<ExtGroup> ext_groups(const ExtRun& run);
    std::optional<Refusal> apply_ext_row(ExtRun& run, const TableDef& def,
                                         const boost::json::object& sent);
    // Applies one head row and its children; false when the call must stop (and be undone).
    bool apply_ext_group(ExtRun& run, const ExtGroup& group);
    void record_ext_error(ExtRun& run, const Refusal& refusal, const boost::json::object& sent);
    void undo_ext(ExtRun& run, std::size_t down_to);
    net::HttpResponse ext_answer(ExtRun& run);

    net::HttpResponse error(int status, std::string message, std::string type,
                            boost::json::array details = {});
    net::HttpResponse json_answer(int status, const boost::json::value& body);

    net::HttpResponse control_upsert(const TableDef& def, std::string_view by_field,
                                     const net::HttpRequest& request);
    net::HttpResponse control_ship(const net::HttpRequest& request);
    net::HttpResponse control_user(const net::HttpRequest& request);
    net::HttpResponse control_user_field(const net::HttpRequest& request);

    void seed(std::uint64_t seed, std::size_t volume);

    Clock& clock_;
    std::string instance_ = "EpicorERP";
    std::string base_url_ = "http://127.0.0.1";
    std::string username_ = "manager";
    std::string password_;
    std::string api_key_;
    std::map<std::string, User, std::less<>> users_;
    std::map<std::string, Token, std::less<>> tokens_;
    std::uint64_t token_counter_ = 0;
    std::uint64_t correlation_counter_ = 0;
    std::uint64_t secret_state_;
    std::string acting_user_;  // The caller of the request being handled (ChangedBy)
    EpicorDatabase database_;
};

}  // namespace mlc::sandbox::epicor

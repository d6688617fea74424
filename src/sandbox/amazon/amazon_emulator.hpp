#pragma once
// AmazonEmulator: Amazon's Selling Partner API (../shared/specs/amazon-sp-api.md and the models
// in ../shared/specs/amazon-sp-api/) as a pure request handler, as strict as Amazon:
//   POST /auth/o2/token                       Login with Amazon, refresh-token grant
//   /{na|eu|fe}/...                           the regional hosts sellingpartnerapi-{na,eu,fe}
//     GET  /orders/2026-01-01/orders          searchOrders (camelCase, no payload wrapper)
//     GET  /orders/2026-01-01/orders/{id}     getOrder
//     GET  /orders/v0/orders, /orders/v0/orders/{id}, /orders/v0/orders/{id}/orderItems
//     GET/POST /reports/2021-06-30/reports, GET/DELETE .../reports/{id},
//     GET  /reports/2021-06-30/documents/{id}
//   /sandbox/{na|eu|fe}/...                   the sandbox hosts: every operation of the models,
//                                             answered from their static examples
//   GET /documents/{id}?X-Amz-Expires=...     the presigned document URL (no access token)
// Every SP-API call needs x-amz-access-token; each operation has a token bucket with the rate and
// burst of its usage plan; successes carry x-amzn-RateLimit-Limit, a 429 QuotaExceeded never.
// Orders older than two years (emulator clock) are never returned.
//
// Control routes (below /__sandbox/): GET state, POST orders {"count", "status",
// "amazon_fulfilled"}, POST orders/{id}/status {"status"}, POST orders/{id}/items/{itemId}
// {"quantity"} (an unshipped line changed), POST reports/{id}/advance
// {"status"?}, POST settlements/close, POST client-secret/rotate.
//
// Lifecycle: built by the sandbox framework (or a test) with an EmulatorContext; lives as long as
// the host. Thread safety: none of its own; the framework serialises every call (emulator.hpp).
// Ownership: borrows the context's clock.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "sandbox/amazon/amazon_operations.hpp"
#include "sandbox/amazon/amazon_records.hpp"
#include "sandbox/amazon/amazon_settlement.hpp"
#include "sandbox/amazon/amazon_static_sandbox.hpp"
#include "sandbox/emulator.hpp"

namespace mlc::sandbox::amazon {

class AmazonEmulator final : public Emulator {
  public:
    static constexpr std::chrono::seconds kAccessTokenLifetime{3600};     // "expires_in": 3600
    static constexpr std::chrono::hours kClientSecretLifetime{24 * 180};  // Rotate every 180 days
    static constexpr std::chrono::hours kOrdersKept{24 * 730};   // Older than two years: never
    static constexpr std::chrono::hours kPageTokenLifetime{24};  // searchOrders paginationToken
    static constexpr std::chrono::minutes kBeforeMargin{2};      // *Before >= 2 minutes before now
    static constexpr std::int64_t kOrdersPageMax = 100;          // maxResultsPerPage 1-100
    static constexpr std::size_t kMarketplaceIdsMax = 50;
    static constexpr std::size_t kPageTokensKept = 10'000;
    static constexpr std::chrono::hours kReportsKept{24 * 90};  // Reports are kept 90 days
    static constexpr std::chrono::minutes kDocumentUrlLifetime{5};
    static constexpr std::chrono::hours kSettlementPeriod{24 * 14};
    static constexpr std::int64_t kReportsPageDefault = 10;  // getReports pageSize 1-100
    static constexpr std::int64_t kReportsPageMax = 100;
    static constexpr std::size_t kReportTypesMax = 10;
    static constexpr std::chrono::seconds kReportQueued{30};      // IN_QUEUE, then IN_PROGRESS
    static constexpr std::chrono::seconds kReportProcessing{60};  // ... then DONE
    static constexpr std::size_t kSeedOrdersMax = 5'000;
    static constexpr std::size_t kOrdersCreatedPerCallMax = 1'000;
    static constexpr std::size_t kStateRecordsMax = 2'000;

    explicit AmazonEmulator(EmulatorContext context);
    ~AmazonEmulator() override;

    std::string_view system() const override { return "amazon"; }
    net::HttpResponse handle(const net::HttpRequest& request) override;
    net::HttpResponse control(const net::HttpRequest& request, std::string_view route) override;
    boost::json::object connection_info(std::string_view base_url) const override;
    void set_base_url(std::string_view base_url) override { base_url_ = base_url; }

    std::string client_id() const;
    std::string client_secret() const { return client_secret_; }
    std::string refresh_token() const;
    const std::vector<Order>& orders() const { return orders_; }

  private:
    struct PageCursor {
        std::string query = {};  // The request target of the first page
        std::size_t offset = 0;
        UtcTime issued = {};
        UtcTime before = {};  // The effective createdBefore / lastUpdatedBefore
    };
    struct OrderQuery {
        bool by_created = true;
        UtcTime after = {};
        UtcTime before = {};
        std::vector<std::string> marketplaces = {};
        std::vector<std::string> statuses = {};  // v0 OrderStatus values
        std::vector<std::string> channels = {};  // "AFN" / "MFN"
        std::size_t page_size = kOrdersPageMax;
    };
    struct Route {
        std::string region = {};  // "na", "eu", "fe"
        bool sandbox = false;
        std::string path = {};  // Below the host
    };

    net::HttpResponse dispatch(const net::HttpRequest& request, const Route& route);
    net::HttpResponse live(const net::HttpRequest& request, const Route& route,
                           const Operation& operation,
                           const std::map<std::string, std::string>& params);
    net::HttpResponse create_token(const net::HttpRequest& request);
    std::optional<net::HttpResponse> check_access_token(const net::HttpRequest& request) const;
    bool take_token(const Route& route, std::string_view api, std::string_view id, double rate,
                    int burst);
    const StaticSandbox& static_sandbox();

    // Orders (amazon_orders.cpp)
    net::HttpResponse search_orders(const net::HttpRequest& request, const Route& route);
    net::HttpResponse get_order(std::string_view id, bool v0);
    net::HttpResponse get_orders_v0(const net::HttpRequest& request, const Route& route);
    net::HttpResponse get_order_items_v0(std::string_view id);
    std::optional<net::HttpResponse> read_order_query(const net::HttpRequest& request,
                                                      const Route& route, bool v0,
                                                      OrderQuery& query) const;
    std::vector<const Order*> select_orders(const OrderQuery& query) const;
    const Order* visible_order(std::string_view id) const;
    std::string new_page_token(PageCursor cursor, bool v0);
    // confirmShipment (amazon_shipments.cpp)
    net::HttpResponse confirm_shipment(std::string_view id, const net::HttpRequest& request);

    // Reports (amazon_reports.cpp)
    net::HttpResponse get_reports(const net::HttpRequest& request);
    net::HttpResponse create_report(const net::HttpRequest& request, const Route& route);
    net::HttpResponse get_report(std::string_view id);
    net::HttpResponse cancel_report(std::string_view id);
    net::HttpResponse get_report_document(std::string_view id);
    net::HttpResponse download_document(const net::HttpRequest& request, std::string_view id);
    void refresh_report(Report& report);
    void finish_report(Report& report, UtcTime at);
    Report* find_report(std::string_view id);
    std::string add_document(std::string text, bool gzip, UtcTime at);
    std::string document_signature(std::string_view id, std::int64_t expires_epoch_s) const;

    // Seeded data and settlements (amazon_seed.cpp)
    void seed_orders();
    Order make_order(std::uint64_t n, UtcTime created, std::string status, bool afn) const;
    void seed_settlements();
    // `extra`: rows a test adds (a fee type Amazon introduced, a shipping charge), with their
    // posted time (default: an hour before `end`).
    void close_settlement(UtcTime end, std::vector<SettlementRow> extra = {});

    // Control (amazon_control.cpp)
    net::HttpResponse control_state() const;
    net::HttpResponse control_create_orders(const net::HttpRequest& request);
    net::HttpResponse control_order_status(std::string_view id, const net::HttpRequest& request);
    net::HttpResponse control_order_item(std::string_view id, std::string_view item_id,
                                         const net::HttpRequest& request);
    net::HttpResponse control_advance_report(std::string_view id, const net::HttpRequest& request);

    EmulatorContext context_;
    std::string base_url_ = "http://127.0.0.1";
    std::string client_secret_;
    std::uint64_t secret_generation_ = 0;
    UtcTime secret_created_ = {};
    std::unordered_map<std::string, UtcTime> access_tokens_;  // token -> expiry
    std::uint64_t tokens_issued_ = 0;
    std::map<std::string, TokenBucket> buckets_;  // "region|api|operation" -> bucket
    std::vector<Order> orders_;
    std::unordered_map<std::string, std::size_t> order_index_;
    std::uint64_t next_order_ = 0;
    std::map<std::string, PageCursor> page_tokens_;
    std::uint64_t next_page_token_ = 0;
    std::vector<Report> reports_;
    std::map<std::string, ReportDocument> documents_;
    std::uint64_t next_report_ = 0;
    UtcTime settled_until_ = {};  // End of the last closed settlement
    Decimal reserve_held_ = {};   // The last settlement's current reserve
    std::unique_ptr<StaticSandbox> static_sandbox_;
};

std::unique_ptr<Emulator> make_amazon_emulator(EmulatorContext context);

}  // namespace mlc::sandbox::amazon

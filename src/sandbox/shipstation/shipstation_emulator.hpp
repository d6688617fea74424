#pragma once
// ShipStationEmulator: ShipStation V1 (../shared/specs/shipstation.md) as a pure request handler:
// Basic auth, 40 requests a minute per key with X-Rate-Limit-* headers, Pacific local times with
// no offset, orders (filters, sorting, paging, createorder upsert as a full replace with the
// shipped/cancelled lock, createorders, markasshipped), shipments (voided labels listed), products
// (GET/PUT), customers, stores, webhooks with ORDER_NOTIFY/SHIP_NOTIFY delivered at most once from
// tick(). Seeded orders are compact rows (bytes_per_order()); their details are computed from the
// seed on demand and only orders written through the API or the control routes keep a JSON body.
//
// Control routes (below /__sandbox/): POST orders (import {"orders": [...]} or {"count": N}),
// POST orders/{id}/update|cancel|hold|release|label, POST shipments/{id}/void, POST revoke_key,
// POST restore_key, POST quirks {"single_page_pages_zero": bool}, GET state, GET stats.
//
// Lifecycle: built by the sandbox framework (or a test) with an EmulatorContext; lives as long as
// the host. Thread safety: none of its own; the framework serialises every call (emulator.hpp).
// Ownership: borrows the context's clock and outbound transport.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "common/decimal.hpp"
#include "sandbox/emulator.hpp"
#include "sandbox/shipstation/shipstation_seed.hpp"

namespace mlc::sandbox::shipstation {

class ShipStationEmulator final : public Emulator {
  public:
    static constexpr std::int64_t kPageSizeMax = 500;      // V1 pageSize maximum; 501 is a 400.
    static constexpr std::int64_t kPageSizeDefault = 100;  // V1 default pageSize.
    static constexpr std::size_t kCreateOrdersMax = 100;   // V1 createorders: up to 100 per call.
    static constexpr int kRequestsPerWindow = 40;          // V1: 40 requests a minute per key.
    static constexpr std::chrono::seconds kRateWindow{60};
    static constexpr int kV2RequestsPerWindow = 200;  // V2: 200 requests a minute per API key.
    static constexpr std::int64_t kV2PageSizeDefault = 25;
    static constexpr std::int64_t kV2PageSizeMax = 500;  // Not in the spec: bounds one answer.
    static constexpr std::size_t kWebhooksMax = 100;
    static constexpr std::size_t kImportOrdersMax = 10'000;  // One control import call.
    static constexpr std::size_t kStateRecordsMax = 5'000;   // State dump lists at most this many.
    static constexpr std::size_t kDeliveriesKept = 1'000;
    static constexpr std::int64_t kOrderIdBase = 100'000;
    static constexpr std::int64_t kShipmentIdBase = 700'000;
    // Products ShipStation makes from order items with a new SKU (V1 has no product create).
    static constexpr std::int64_t kItemProductIdBase = 3'000'000;

    explicit ShipStationEmulator(EmulatorContext context);
    ~ShipStationEmulator() override;

    std::string_view system() const override { return "shipstation"; }
    net::HttpResponse handle(const net::HttpRequest& request) override;
    net::HttpResponse control(const net::HttpRequest& request, std::string_view route) override;
    boost::json::object connection_info(std::string_view base_url) const override;
    void tick() override;
    void set_base_url(std::string_view base_url) override { base_url_ = base_url; }

    std::string api_key() const;
    std::string api_secret() const;
    std::string api_key_v2() const;  // The V2 `API-Key` of the same account.
    std::size_t order_count() const { return orders_.size(); }
    std::size_t bytes_per_order() const;

    enum class Status : std::uint8_t {
        kAwaitingPayment,
        kAwaitingShipment,
        kPendingFulfillment,
        kShipped,
        kOnHold,
        kCancelled,
        kRejectedFulfillment,
    };

  private:
    // One order: everything filters and sorts need, nothing else (see bytes_per_order()).
    struct OrderRow {
        std::int64_t id;
        UtcTime create;
        UtcTime modify;
        UtcTime order_date;
        UtcTime payment;           // kNoTime when unpaid
        std::uint32_t batch = 0;   // importBatch of its ORDER_NOTIFY (0: none)
        std::int32_t detail = -1;  // Index into details_, or -1: computed from the seed
        std::uint32_t customer = 0;
        std::uint8_t store = 0;  // Index into SeedData::stores()
        Status status = Status::kAwaitingShipment;
        Misfit misfit = Misfit::kNone;  // The catalog's misfit its first line sells, if any.
    };
    struct ShipmentRow {
        std::int64_t id;
        std::int64_t order_id;
        UtcTime create;
        UtcTime ship;
        UtcTime void_time;
        Decimal cost;
        std::string tracking;
        std::string carrier;
        std::string service;
        std::uint32_t batch = 0;
        bool voided = false;
    };
    struct Webhook {
        std::int64_t id;
        std::string target_url;
        std::string event;
        std::optional<std::int64_t> store_id;
        std::string friendly_name;
    };
    struct Notification {
        std::string event;
        std::uint32_t batch;
        std::int64_t store_id;
    };
    struct Query;

    net::HttpResponse dispatch(const net::HttpRequest& request);
    net::HttpResponse list_orders(const net::HttpRequest& request);
    net::HttpResponse get_order(std::string_view id_text);
    net::HttpResponse create_order(const net::HttpRequest& request);
    net::HttpResponse create_orders(const net::HttpRequest& request);
    net::HttpResponse mark_as_shipped(const net::HttpRequest& request);
    net::HttpResponse list_shipments(const net::HttpRequest& request);
    net::HttpResponse list_products(const net::HttpRequest& request);
    net::HttpResponse product(const net::HttpRequest& request, std::string_view id_text);
    net::HttpResponse list_customers(const net::HttpRequest& request);
    net::HttpResponse list_stores();
    net::HttpResponse webhooks(const net::HttpRequest& request, std::string_view rest);

    // V2 (shipstation_v2.cpp): the same account's shipments (V1 orders) and labels (V1
    // shipments) at /v2/..., API-Key auth, 200 requests a minute, V2 error bodies and paging.
    net::HttpResponse handle_v2(const net::HttpRequest& request);
    net::HttpResponse v2_error(int status, std::string_view type, std::string_view code,
                               std::string message);
    net::HttpResponse v2_list_labels(const net::HttpRequest& request);
    net::HttpResponse v2_label(std::string_view label_id);
    net::HttpResponse v2_shipment(std::string_view shipment_id, bool by_external_id);
    boost::json::object render_label(const ShipmentRow& shipment) const;
    boost::json::object render_v2_shipment(const OrderRow& row) const;

    net::HttpResponse control_import(const net::HttpRequest& request);
    net::HttpResponse control_order(const net::HttpRequest& request, std::int64_t id,
                                    std::string_view action);
    net::HttpResponse control_state();

    // Upsert one order (createorder semantics). Returns the stored order's JSON or a message.
    struct UpsertResult {
        bool ok = false;
        std::int64_t id = 0;
        bool created = false;
        std::string error;
    };
    UpsertResult upsert(const boost::json::value& body, std::uint32_t batch_for_new);
    std::uint32_t new_batch() { return ++batch_counter_; }

    OrderRow* find_order(std::int64_t id);
    std::optional<std::int64_t> find_by_key(const std::string& key) const;
    boost::json::object& materialize(OrderRow& row);
    boost::json::object seeded_detail(const OrderRow& row) const;
    boost::json::object render_order(const OrderRow& row) const;
    boost::json::object render_shipment(const ShipmentRow& shipment, bool with_items) const;
    std::string order_key_of(const OrderRow& row) const;
    std::int64_t add_label(OrderRow& row, const boost::json::object& body);
    // A product for every item whose SKU the catalogue does not hold yet (as ShipStation does).
    void learn_products(const boost::json::value& items);
    bool has_product(const std::string& sku) const;
    void notify(std::string event, std::uint32_t batch, std::int64_t store_id);

    EmulatorContext context_;
    SeedData seed_;
    std::string base_url_ = "https://ssapi.shipstation.com";
    std::vector<OrderRow> orders_;  // Sorted by id.
    std::vector<boost::json::object> details_;
    std::unordered_map<std::string, std::int64_t> keys_;  // orderKey -> id for orders with a detail
    std::vector<ShipmentRow> shipments_;
    std::map<std::int64_t, boost::json::object> product_overrides_;  // And item-made products.
    std::unordered_map<std::string, std::int64_t> item_product_skus_;
    std::int64_t next_product_id_ = kItemProductIdBase;
    std::vector<Webhook> webhooks_;
    std::deque<Notification> pending_;
    boost::json::array deliveries_;
    std::int64_t next_order_id_;
    std::int64_t next_item_id_ = 900'000'000;
    std::int64_t next_shipment_id_ = kShipmentIdBase + 1;
    std::int64_t next_webhook_id_ = 40'001;
    std::uint32_t batch_counter_ = 0;
    bool revoked_ = false;
    bool single_page_pages_zero_ = false;
    UtcTime window_start_{};
    int window_count_ = 0;
    UtcTime v2_window_start_{};
    int v2_window_count_ = 0;
    std::uint64_t v2_requests_ = 0;  // V2 request_id counter.
};

std::unique_ptr<Emulator> make_shipstation_emulator(EmulatorContext context);

}  // namespace mlc::sandbox::shipstation

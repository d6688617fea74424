#pragma once
// WooCommerceEmulator: the WooCommerce REST API wc/v3 and its webhooks
// (../shared/specs/woocommerce.md) as a pure request handler, served under /wp-json/wc/v3/.
//
// API: consumer key/secret as HTTP Basic or consumer_key/consumer_secret query parameters (401
// Woo errors otherwise); orders (+ refunds, notes), products (+ batch, at most 100 objects),
// customers (unique email), webhooks (CRUD); page/per_page (1..100) with X-WP-Total,
// X-WP-TotalPages and Link; after/before/modified_after/modified_before read as site-local wall
// time unless dates_are_gmt=true; orderby/order; money as strings; dates with and without _gmt.
// Every answer is JSON as wp_json_encode writes it (wp_json.hpp).
//
// Webhooks: events are queued per (webhook, object) and coalesced while queued; tick() delivers
// those due (each queued with a seeded delay of kDeliveryDelayMin..Max seconds of the emulator
// clock, so deliveries can arrive late and out of order) with the X-WC-Webhook-* headers and the
// HMAC-SHA256 signature; the body is the resource as GET shows it at delivery time. Failures are
// never retried and disable the webhook by WC_Webhook::failed_delivery()'s rule. Creating a
// webhook sends the ping (form body webhook_id=N) synchronously, as WC_Webhook::save() does.
//
// Control routes (below /__sandbox/):
//   POST checkout {"customer_id"|"email", "lines": [{"sku"|"product_id", "quantity"}],
//                  "payment_method"}        a shopper's checkout: order.created + order.updated
//   POST orders/{id}/status {"status"}      POST orders/{id}/note {"note", "customer_note"}
//   POST orders/{id}/refund {"amount", "reason"}
//   POST products/{id} {fields as the API takes them}
//   POST settings {"max_delivery_failures": N, "timezone": "America/Chicago"}
//   GET state                               everything, webhooks with failure counts, queue,
//                                           delivery log
//
// Lifecycle: built by the sandbox framework (or a test) with an EmulatorContext; lives as long as
// the host. Thread safety: none of its own; the framework serialises every call (emulator.hpp).
// Ownership: borrows the context's clock and outbound transport.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/decimal.hpp"
#include "sandbox/emulator.hpp"

namespace mlc::sandbox::woocommerce {

class WooCommerceEmulator final : public Emulator {
  public:
    static constexpr std::string_view kApiPrefix = "/wp-json/wc/v3/";
    static constexpr std::string_view kDefaultTimezone = "America/New_York";
    static constexpr std::int64_t kPerPageMax = 100;     // wc/v3 per_page maximum.
    static constexpr std::int64_t kPerPageDefault = 10;  // WP REST default per_page.
    static constexpr std::size_t kBatchItemsMax = 100;   // woocommerce_rest_batch_items_limit.
    static constexpr int kDefaultMaxDeliveryFailures =
        5;  // woocommerce_max_webhook_delivery_failures
    static constexpr std::chrono::seconds kDeliveryDelayMin{1};
    static constexpr std::chrono::seconds kDeliveryDelayMax{30};
    static constexpr std::size_t kDeliveriesPerTick = 1'000;
    static constexpr std::size_t kDeliveriesKept = 1'000;  // Delivery log in the state dump.
    static constexpr std::size_t kQueueMax = 100'000;      // Queued deliveries; more are dropped.
    static constexpr std::size_t kWebhooksMax = 100;
    // Seeded orders are generated on demand from (seed, index) and stored whole only once
    // changed, so a million of them cost ~56 bytes each (SeedOrder) until then.
    static constexpr std::size_t kSeedOrdersMax = 1'000'000;
    static constexpr std::size_t kStateRecordsMax = 5'000;  // State dump lists at most this many.
    static constexpr std::size_t kLinesPerOrderMax = 100;   // Checkout / API order lines.

    explicit WooCommerceEmulator(EmulatorContext context);
    ~WooCommerceEmulator() override;

    std::string_view system() const override { return "woocommerce"; }
    net::HttpResponse handle(const net::HttpRequest& request) override;
    net::HttpResponse control(const net::HttpRequest& request, std::string_view route) override;
    boost::json::object connection_info(std::string_view base_url) const override;
    void tick() override;
    void set_base_url(std::string_view base_url) override;

    const std::string& consumer_key() const { return consumer_key_; }
    const std::string& consumer_secret() const { return consumer_secret_; }

    struct Customer {
        std::int64_t id = 0;
        UtcTime created{};
        UtcTime modified{};
        std::string email, first_name, last_name, username;
        boost::json::object billing, shipping;
        bool paying = false;  // is_paying_customer: set once an order of theirs is paid.
    };
    struct Product {
        std::int64_t id = 0;
        UtcTime created{};
        UtcTime modified{};
        std::string name, sku, status = "publish";
        Decimal regular_price;
        std::optional<Decimal> sale_price;
        bool manage_stock = true;
        std::int64_t stock_quantity = 0;
        // Set by the client only while manage_stock is false; with stock managed Woo derives it
        // from the quantity.
        std::string stock_status = "instock";
        std::string weight;
        boost::json::object dimensions;
    };
    struct LineItem {
        std::int64_t id = 0;
        std::string name, sku;
        std::int64_t product_id = 0;
        std::int64_t quantity = 0;
        Decimal subtotal, total, total_tax;
    };
    struct Refund {
        std::int64_t id = 0;
        UtcTime created{};
        Decimal amount;
        std::string reason;
        bool refunded_payment = false;
    };
    struct Note {
        std::int64_t id = 0;
        UtcTime created{};
        std::string note;
        bool customer_note = false;
    };
    struct Order {
        std::int64_t id = 0;
        std::string order_key, status = "pending", currency = "USD";
        UtcTime created{};
        UtcTime modified{};
        std::optional<UtcTime> paid, completed;
        Decimal discount_total, shipping_total, total_tax;
        std::int64_t customer_id = 0;
        std::string customer_note, payment_method, payment_method_title, transaction_id;
        boost::json::object billing, shipping;
        boost::json::array meta_data;
        std::vector<LineItem> lines;
        std::vector<Refund> refunds;
        std::vector<Note> notes;
    };
    struct Webhook {
        std::int64_t id = 0;
        std::string name, status = "active", topic, delivery_url, secret;
        UtcTime created{};
        UtcTime modified{};
        int failure_count = 0;
        bool pending_ping = true;
    };

  private:
    // A seeded order as listing and filtering need it; the rest is generated from (seed, index)
    // on demand (generate_order). Once an order changes it is stored whole in orders_ and its
    // row only marks it `stored` (listed from orders_, or gone after a forced delete).
    struct SeedOrder {
        std::int64_t id = 0;
        std::int64_t first_line_id = 0;
        std::int64_t refund_id = 0;  // 0: no seeded refund.
        UtcTime created{};
        UtcTime modified{};
        std::int32_t customer_id = 0;
        std::uint32_t index = 0;  // The draw index i of every mix(seed, salt, i).
        std::uint8_t status = 0;  // Index into the seed statuses.
        bool stored = false;      // Taken over by orders_ (or deleted).
    };

    // The order with this id as GET shows it now: a stored one, or a seeded one generated into
    // `scratch`. Null when there is none.
    const Order* find_order(std::int64_t id, std::optional<Order>& scratch) const;
    // The stored order with this id, storing a seeded one first (before a change). Null: none.
    Order* order_for_update(std::int64_t id);
    // Seeded rows in id order (listing); taken-over ones are flagged `stored`.
    const std::vector<SeedOrder>& seed_orders() const { return seed_orders_; }
    Order generate_order(const SeedOrder& row) const;
    const SeedOrder* seed_row(std::int64_t id) const;  // Binary search by id; null: not seeded.
    static std::string_view seed_status(const SeedOrder& row);
    std::size_t order_count() const;  // Stored + seeded-not-taken-over.

    struct Queued {
        std::uint64_t sequence = 0;
        UtcTime due{};
        std::int64_t webhook_id = 0;
        std::int64_t object_id = 0;
        std::string event;  // created, updated, deleted, restored
    };
    struct Api;  // Request handlers (woocommerce_emulator.cpp)

    // Rendering: the resource exactly as GET shows it.
    boost::json::object render(const Customer& customer) const;
    boost::json::object render(const Product& product) const;
    boost::json::object render(const Order& order) const;
    boost::json::object render(const Order& order, const Refund& refund) const;
    boost::json::object render(const Order& order, const Note& note) const;
    boost::json::object render(const Webhook& webhook) const;
    void put_date(boost::json::object& out, std::string_view name,
                  std::optional<UtcTime> time) const;
    std::string local_text(UtcTime time) const;

    // Queues `resource.event` for `id` on every active webhook of that topic (coalescing).
    void fire(std::string_view resource, std::string_view event, std::int64_t id);
    void deliver(const Queued& queued);
    void record_delivery_result(Webhook& webhook, bool success);
    bool ping(Webhook& webhook);

    Decimal order_total(const Order& order) const;
    Decimal refunded_total(const Order& order) const;
    void mark_paid(Order& order, UtcTime when);
    void seed_data();
    void seed_customers(std::size_t count);
    void seed_products(std::size_t count);
    void seed_orders(std::size_t count);
    // Seeded records as they were at seeding time: pure functions of (seed, index, epoch).
    Customer seeded_customer(std::size_t index) const;
    Product seeded_product(std::size_t index) const;

    EmulatorContext context_;
    std::string base_url_ = "http://woocommerce.sandbox.test";
    std::string timezone_ = std::string(kDefaultTimezone);
    int max_delivery_failures_ = kDefaultMaxDeliveryFailures;
    std::string consumer_key_, consumer_secret_;
    std::map<std::int64_t, Customer> customers_;
    std::map<std::int64_t, Product> products_;
    std::map<std::int64_t, Order> orders_;  // Created, or seeded and since changed.
    std::vector<SeedOrder> seed_orders_;    // Ascending id.
    UtcTime seed_epoch_{};                  // The clock at construction, whole seconds.
    std::size_t seed_customer_count_ = 0;
    std::size_t seed_ordering_customers_ = 0;  // The first ones, whom Epicor has too.
    std::size_t seed_product_count_ = 0;
    std::int64_t seed_first_product_id_ = 0;
    std::chrono::seconds seed_order_step_{0};
    std::map<std::int64_t, Webhook> webhooks_;
    std::vector<Queued> queue_;
    boost::json::array deliveries_;
    std::int64_t next_post_id_ = 1000;  // Orders, products, refunds share WordPress post ids.
    std::int64_t next_customer_id_ = 1;
    std::int64_t next_item_id_ = 1;
    std::int64_t next_note_id_ = 1;
    std::int64_t next_webhook_id_ = 1;
    std::uint64_t next_sequence_ = 1;
};

std::unique_ptr<Emulator> make_woocommerce_emulator(EmulatorContext context);

}  // namespace mlc::sandbox::woocommerce

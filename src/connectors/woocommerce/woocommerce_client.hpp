#pragma once
// WooCommerceClient: the WooCommerce REST API wc/v3 (woocommerce.md) in model terms: products
// (list, by SKU, batch create/update), customers (by email, list, create, update), orders (changed
// since, one order, its refunds) and webhooks (create, list, set status).
//
//  * Base: `base_url` is the site root ("https://shop.example"); the API lives under
//    /wp-json/wc/v3 (a base_url that already ends so is accepted as is).
//  * Auth (chosen per connection): the consumer key/secret as HTTP Basic, or as consumer_key /
//    consumer_secret query parameters for servers that strip Authorization (woocommerce.md,
//    Auth). Both are read from the vault at each call, so a rotated secret takes effect at once.
//    Error messages never carry the query (net::HttpClient) and debug logs redact it.
//  * Paging: page/per_page (per_page at most 100) with X-WP-Total / X-WP-TotalPages.
//  * Orders are listed by date_modified ascending with modified_after read as UTC
//    (dates_are_gmt=true): a poller's cursor never depends on the store's time zone.
//  * Money strings become mlc::Decimal, `_gmt` dates become UTC (woocommerce_json.hpp); the
//    site-local date fields are never read.
//  * Retries: the net client repeats 429 on every call, and 5xx and dropped connections on
//    idempotent ones; GETs are also repeated (kGetRoundsMax rounds) after a cut body. Creates
//    (POST) are never repeated blindly: Woo does not dedupe them, the caller looks up by SKU/email
//    first.
//  * Errors ({code, message, data.status}) map once to ErrorCode (woocommerce_errors.hpp), naming
//    the record and the fix.
//
// Lifecycle: built once per connection; borrows the transport, clock, limiter registry and vault
// (and logger/observer), which must outlive it. Thread safety: every method is safe from several
// threads (the net client and vault are; the client holds no mutable state of its own).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/connector.hpp"
#include "model/model.hpp"
#include "net/http_client.hpp"
#include "net/http_transport.hpp"
#include "net/rate_limiter.hpp"
#include "net/retry_policy.hpp"

namespace mlc::connectors::woocommerce {

inline constexpr std::string_view kApiPath = "/wp-json/wc/v3";
inline constexpr std::uint32_t kPerPageMax = 100;    // wc/v3 per_page maximum.
inline constexpr std::size_t kBatchItemsMax = 100;   // POST /products/batch: objects per call.
inline constexpr std::uint32_t kGetRoundsMax = 3;    // Rounds of a GET (see above).
inline constexpr std::uint32_t kListPagesMax = 100;  // Webhooks/refunds read whole: 10,000 rows.

// WooCommerce itself sets no request limit; hosts do. 5 a second with a burst of 10 is polite
// on shared hosting; `rate_per_minute` in the connection overrides it.
inline const net::RateLimit kRateLimit{.requests_per_second = 5.0, .burst = 10.0};

enum class AuthMode {
    kBasic,  // Authorization: Basic base64(consumer_key:consumer_secret).
    kQuery,  // ?consumer_key=...&consumer_secret=... (servers that strip Authorization).
};
// "basic" | "query"; kConfig naming the value otherwise.
Result<AuthMode> auth_mode_from_text(std::string_view text);
std::string_view to_string(AuthMode mode);

struct WooCommerceClientConfig {
    std::string name;      // The connection's name: the rate-limit key, named in every error.
    std::string base_url;  // Site root: "https://shop.example".
    AuthMode auth = AuthMode::kBasic;
    std::string consumer_key_secret;       // Vault secret holding the consumer key (ck_...).
    std::string consumer_secret_secret;    // Vault secret holding the consumer secret (cs_...).
    std::uint32_t per_page = kPerPageMax;  // Default page size of lists (1..100).
    net::RateLimiterConfig rate_limit{.connection = kRateLimit, .per_operation = {}};
    net::RetryOptions retry{};
};

struct WooCommerceDependencies {
    net::HttpTransport& transport;
    Clock& clock;
    net::RateLimiterRegistry& limiters;
    const auth::Vault& vault;
    std::uint64_t seed = 1;  // Retry jitter.
    std::shared_ptr<spdlog::logger> logger = nullptr;
    net::ClientObserver* observer = nullptr;
};

// ---- Requests --------------------------------------------------------------------------------

struct ListProductsRequest {
    std::uint32_t page = 1;
    std::optional<UtcTime> modified_after{};  // Exclusive, whole seconds (WP_Date_Query).
    std::string sku{};                        // Exact SKU (comma-separated for several).
    std::uint32_t per_page = 0;               // 0: the connection's per_page.
};

struct ListOrdersRequest {
    std::optional<UtcTime> modified_after{};  // Exclusive, whole seconds; sent as UTC.
    std::uint32_t page = 1;
    std::uint32_t per_page = 0;  // 0: the connection's per_page.
    // Statuses to list ("processing", "completed", ...); empty: Woo's default (all but trash).
    std::vector<std::string> statuses{};
};

struct ListCustomersRequest {
    std::uint32_t page = 1;
    std::uint32_t per_page = 0;  // 0: the connection's per_page.
};

struct ProductUpdate {
    std::int64_t id = 0;  // Woo product id.
    model::Item item{};   // Fields written: see woocommerce_json.hpp product_to_json.
};

struct BatchProductsRequest {
    std::vector<model::Item> create{};
    std::vector<ProductUpdate> update{};  // create + update: at most kBatchItemsMax in all.
};

// One object of a batch: the product as Woo now shows it, or why Woo refused that one object.
struct BatchItemResult {
    std::string sku;      // The SKU sent (names the record).
    std::int64_t id = 0;  // Woo's id (0 when a create failed).
    std::optional<Record<model::Item>> product{};
    std::optional<Error> error{};
};

struct BatchProductsResult {
    std::vector<BatchItemResult> created;  // In request order.
    std::vector<BatchItemResult> updated;  // In request order.
};

struct Webhook {
    std::int64_t id = 0;
    std::string name;
    std::string topic;  // "order.created", ...
    std::string delivery_url;
    std::string status;  // active | paused | disabled
};

struct CreateWebhookRequest {
    std::string name{};
    std::string topic{};
    std::string delivery_url{};
    std::string secret{};  // Signs deliveries (HMAC-SHA256); never logged.
    std::string status = "active";
};

// An order as mapped, plus the vendor's object for fields the model lacks (date_modified_gmt,
// meta_data, refunds[]).
struct OrderRecord {
    Record<model::Order> record;
    boost::json::object raw;
};

class WooCommerceClient final {
  public:
    WooCommerceClient(WooCommerceClientConfig config, WooCommerceDependencies dependencies);
    ~WooCommerceClient();
    WooCommerceClient(const WooCommerceClient&) = delete;
    WooCommerceClient& operator=(const WooCommerceClient&) = delete;

    // ---- Products
    // GET /products?page=&per_page=&orderby=modified&order=asc[&modified_after=&dates_are_gmt=true]
    // [&sku=].
    Result<Page<model::Item>> list_products(const ListProductsRequest& request);
    // The product whose SKU is exactly `sku`, or nullopt.
    Result<std::optional<Record<model::Item>>> product_by_sku(std::string_view sku);
    // POST /products/batch. A refused object is reported in its BatchItemResult; the call fails
    // only when the whole request does (more than kBatchItemsMax objects is kInvalidInput before
    // anything is sent).
    Result<BatchProductsResult> batch_products(const BatchProductsRequest& request);

    // ---- Customers
    // The customer with exactly this email (Woo keeps emails unique), or nullopt.
    Result<std::optional<Record<model::Party>>> customer_by_email(std::string_view email);
    Result<Page<model::Party>> list_customers(const ListCustomersRequest& request);
    // A duplicate email is kConflict (registration-error-email-exists): look it up instead.
    Result<Record<model::Party>> create_customer(const model::Party& customer);
    Result<Record<model::Party>> update_customer(std::int64_t customer_id,
                                                 const model::Party& customer);

    // ---- Orders
    // GET /orders?orderby=modified&order=asc&dates_are_gmt=true[&modified_after=]&page=&per_page=
    Result<Page<model::Order>> list_orders(const ListOrdersRequest& request);
    // The same page with each order's vendor object (OrderRecord::raw).
    Result<std::vector<OrderRecord>> list_orders_raw(const ListOrdersRequest& request,
                                                     Page<model::Order>* page_out = nullptr);
    // Orders modified after `since`, the connection's page size.
    Result<Page<model::Order>> list_changed(const ChangedSince& request);
    Result<OrderRecord> get_order(std::int64_t order_id);
    // PUT /orders/<id> {status}: "completed" once shipped, and so on.
    Result<OrderRecord> set_order_status(std::int64_t order_id, std::string_view status);
    // POST /orders/<id>/notes {note, customer_note}: returns the note's id.
    Result<std::int64_t> add_order_note(std::int64_t order_id, std::string_view note,
                                        bool customer_note);
    // GET /orders/<id>/notes: the notes' ids and texts, newest first.
    Result<std::vector<std::pair<std::int64_t, std::string>>> list_order_notes(
        std::int64_t order_id);
    // Every refund of the order (all pages, kListPagesMax at most), oldest first.
    Result<std::vector<Record<model::Refund>>> list_refunds(std::int64_t order_id);

    // ---- Webhooks
    Result<Webhook> create_webhook(const CreateWebhookRequest& request);
    Result<std::vector<Webhook>> list_webhooks();  // Every page (kListPagesMax at most).
    // PUT /webhooks/<id> {status}: "active" re-enables a disabled webhook (and resets its
    // failure count).
    Result<Webhook> update_webhook_status(std::int64_t webhook_id, std::string_view status);

    const WooCommerceClientConfig& config() const { return config_; }

  private:
    class AuthBodyCapture;
    struct Call;
    struct Answer;
    Result<Answer> send(const Call& call);
    Result<Answer> get(const Call& call);
    std::uint32_t page_size(std::uint32_t requested) const;

    WooCommerceClientConfig config_;
    Clock& clock_;
    const auth::Vault& vault_;
    std::unique_ptr<AuthBodyCapture> capture_;
    std::unique_ptr<net::HttpClient> http_;
};

}  // namespace mlc::connectors::woocommerce

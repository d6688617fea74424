#pragma once
// ShipStationClient: ShipStation V1 (shipstation.md) in model terms: orders changed since a time,
// one order, shipments, webhook subscriptions, following a webhook's resource_url, creating or
// updating an order, marking an order shipped.
//
//  * Auth: Basic base64(apiKey:apiSecret), both read from the vault at each call (a rotated
//    secret takes effect at once). V1 has no token to refresh, so a 401 is kAuthFailed naming the
//    connection.
//  * Budget: 40 requests a minute per key pair. The net client's rate limiter paces every call
//    from the X-Rate-Limit-* headers, and the connection's local bucket (kRateLimit, configured
//    on the shared registry at construction) keeps any 60 s window at 40 requests or fewer even
//    before the first answer. A 429 waits X-Rate-Limit-Reset seconds through the retry policy.
//  * Times go out as Pacific wall time and come back to UTC (shipstation_json.hpp).
//  * GETs are repeated (kGetRoundsMax rounds) when the answer is a body that is not JSON (a cut
//    transfer), on top of the net client's own retries of 429/5xx and dropped connections.
//    createorder is repeated after a lost answer too: ShipStation dedupes it by orderKey.
//    markasshipped and webhook subscribe are never repeated blindly.
//  * resource_url (ORDER_NOTIFY/SHIP_NOTIFY) is followed with our credentials only when its host
//    is the configured base host, a *.shipstation.com host over https (V1 hands out hosts such as
//    ssapi6.shipstation.com), or one of `resource_hosts_extra` (a sandbox); any other host is
//    refused, so a forged event cannot make us send the key pair elsewhere.
//
// Lifecycle: built once per connection; borrows the transport, clock, limiter registry and vault
// (and logger/observer), which must outlive it. Thread safety: every method is safe from several
// threads (the net client and vault are; the client holds no mutable state of its own).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

namespace mlc::connectors::shipstation {

inline constexpr std::uint32_t kOrdersPageSizeMax = 500;     // V1 pageSize maximum.
inline constexpr std::uint32_t kShipmentsPageSizeMax = 500;  // V1 pageSize maximum.
inline constexpr std::uint32_t kResourcePagesMax = 100;      // One webhook batch: 50,000 records.
inline constexpr std::uint32_t kGetRoundsMax = 3;            // Rounds of a GET (see above).
inline constexpr std::size_t kResourceHostsExtraMax = 16;    // Configured extra hosts.
inline constexpr std::size_t kCreateOrdersMax = 100;         // V1 createorders: orders a call.
inline constexpr std::uint32_t kProductsPageSizeMax = 500;   // V1 pageSize maximum.

// 39 a minute with no burst: any 60 s window then holds at most 40 requests (V1: 40/minute).
inline const net::RateLimit kRateLimit{.requests_per_second = 39.0 / 60.0, .burst = 1.0};

struct ShipStationConnection {
    std::string name;  // The connection's name: the rate-limit key, named in every error.
    std::string base_url = "https://ssapi.shipstation.com";
    std::string api_key_secret;     // Vault secret holding the API key.
    std::string api_secret_secret;  // Vault secret holding the API secret.
    // Hosts ("host:port") besides the base host and *.shipstation.com that resource_urls may use.
    std::vector<std::string> resource_hosts_extra{};
    net::RateLimiterConfig rate_limit{.connection = kRateLimit, .per_operation = {}};
    net::RetryOptions retry{};
};

struct ShipStationDependencies {
    net::HttpTransport& transport;
    Clock& clock;
    net::RateLimiterRegistry& limiters;
    const auth::Vault& vault;
    std::uint64_t seed = 1;  // Retry jitter.
    std::shared_ptr<spdlog::logger> logger = nullptr;
    net::ClientObserver* observer = nullptr;
};

struct ListOrdersRequest {
    UtcTime modified_since{};  // Sent as America/Los_Angeles local time: V1 speaks Pacific.
    std::uint32_t page = 1;
    std::uint32_t page_size = kOrdersPageSizeMax;  // Above the maximum: the maximum.
};

struct ListShipmentsRequest {
    UtcTime created_since{};  // Pacific on the wire, as above.
    // Set: shipments voided at or after it (voidDateStart) instead of created since.
    std::optional<UtcTime> voided_since{};
    std::uint32_t page = 1;
    std::uint32_t page_size = kShipmentsPageSizeMax;
    bool include_items = true;  // V1 lists shipment items only when asked.
};

// What a webhook's resource_url lists: orders (ORDER_NOTIFY) or shipments (SHIP_NOTIFY).
struct ResourceBatch {
    std::vector<Record<model::Order>> orders;
    std::vector<Record<model::Shipment>> shipments;
    std::vector<RejectedRecord> rejected;
};

struct SubscribeWebhookRequest {
    std::string target_url;
    std::string event;  // ORDER_NOTIFY, SHIP_NOTIFY, ...
    std::optional<std::int64_t> store_id{};
    std::string friendly_name{};
};

struct Webhook {
    std::int64_t id = 0;
    std::string event;
    std::string target_url;
    std::string name;
    std::optional<std::int64_t> store_id;
    bool active = true;
};

struct CreateOrUpdateOrderRequest {
    model::Order order;  // The FULL order: V1 wipes fields left out of an update.
    std::optional<std::int64_t> order_id{};  // Update by id; otherwise by orderKey.
    std::optional<std::int64_t> store_id{};  // Only on create: V1 locks storeId afterwards.
};

struct ListProductsRequest {
    std::string sku{};  // V1 matches SKUs that start with it; empty: every product.
    std::uint32_t page = 1;
    std::uint32_t page_size = kProductsPageSizeMax;
};

// A V1 product: its id, SKU and the whole JSON (PUT replaces the whole product, so an update
// starts from what ShipStation holds).
struct ProductRecord {
    std::int64_t id = 0;
    std::string sku{};
    boost::json::object json{};
};

struct ProductsPage {
    std::vector<ProductRecord> products{};
    bool more = false;
};

struct MarkAsShippedRequest {
    std::int64_t order_id = 0;
    std::string carrier_code;
    UtcTime ship_date{};  // Sent as its Pacific calendar date.
    std::string tracking_number;
    bool notify_customer = false;
    bool notify_sales_channel = false;
};

class ShipStationClient final {
  public:
    ShipStationClient(ShipStationConnection connection, ShipStationDependencies dependencies);
    ~ShipStationClient();
    ShipStationClient(const ShipStationClient&) = delete;
    ShipStationClient& operator=(const ShipStationClient&) = delete;

    // GET /orders?modifyDateStart=...&sortBy=ModifyDate&sortDir=ASC&page=P&pageSize=N.
    Result<Page<model::Order>> list_orders_modified_since(const ListOrdersRequest& request);
    // The page above with the maximum page size (the orders Source reads through it).
    Result<Page<model::Order>> list_changed(const ChangedSince& request);
    Result<Record<model::Order>> get_order(std::int64_t order_id);
    Result<Page<model::Shipment>> list_shipments(const ListShipmentsRequest& request);
    // Follows every page of the listing (kResourcePagesMax at most).
    Result<ResourceBatch> fetch_resource_url(std::string_view resource_url);

    Result<std::int64_t> subscribe_webhook(const SubscribeWebhookRequest& request);
    Result<std::vector<Webhook>> list_webhooks();
    Result<void> delete_webhook(std::int64_t webhook_id);

    Result<Record<model::Order>> create_or_update_order(const CreateOrUpdateOrderRequest& request);
    // POST /orders/createorders (at most kCreateOrdersMax; more is kInvalidInput, nothing sent):
    // one outcome per order in order, its orderId or the vendor's refusal (kRejected naming the
    // orderKey). Deduped by orderKey like createorder, so a lost answer is sent again.
    Result<std::vector<Result<std::string>>> create_orders(
        const std::vector<CreateOrUpdateOrderRequest>& requests);
    Result<void> mark_as_shipped(const MarkAsShippedRequest& request);

    // Products: GET /products (inactive ones too), GET and PUT
    // /products/{id}. V1 cannot create a product: ShipStation makes one from an order item.
    Result<ProductsPage> list_products(const ListProductsRequest& request);
    Result<ProductRecord> get_product(std::int64_t product_id);
    // PUT /products/{id} with the whole product (an idempotent replace: repeated after a loss).
    Result<void> update_product(const ProductRecord& product);

    const ShipStationConnection& connection() const { return connection_; }

  private:
    class ResetAsRetryAfter;
    struct Call;
    Result<std::string> send(const Call& call);
    template <typename Parse>
    auto get(const Call& call, Parse parse) -> decltype(parse(std::string_view()));
    Result<void> check_resource_url(std::string_view url) const;

    ShipStationConnection connection_;
    Clock& clock_;
    const auth::Vault& vault_;
    std::unique_ptr<ResetAsRetryAfter> transport_;
    std::unique_ptr<net::HttpClient> http_;
};

}  // namespace mlc::connectors::shipstation

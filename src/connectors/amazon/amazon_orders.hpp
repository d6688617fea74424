#pragma once
// Amazon orders as model::Order records (vendor JSON stops here), and the orders source of a
// seller connection:
//
//  * Orders 2026-01-01 (the default): searchOrders by lastUpdatedAfter with includedData
//    BUYER, RECIPIENT, PROCEEDS, FULFILLMENT (camelCase, no payload wrapper), the following pages
//    by paginationToken: one call per 100 orders, items included.
//  * v0 (`orders_api: v0`, a per-connection fallback): getOrders by LastUpdatedAfter, NextToken
//    URL-encoded, then getOrderItems once per order. Amazon retires v0 on 2027-03-27
//    (amazon-sp-api.md): from that date on the injected clock, the source refuses to run with a
//    message naming the switch (kConfig).
//  * The cursor is the newest lastUpdatedTime written (connectors::TimePosition), read again from
//    it minus the overlap; never later than two minutes before now (Amazon refuses a later
//    After date). A first start older than two years is refused (kConfig): Amazon never returns
//    orders older than that, so such a backfill would silently miss them.
//  * Records: key, number and replay = AmazonOrderId; customer_code = the marketplace id (the
//    recipe maps it to a customer); status from the fulfillment status (Canceled ->
//    kCancelled); version = lastUpdatedTime. An order that cannot be mapped (no id, a bad date
//    or amount) is a RejectedRecord naming it.
//
// Lifecycle: the source lives as long as its flow; a scan, one run. Thread safety: as
// AmazonClient; one flow calls its source from one thread. Ownership: borrows the client.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "connectors/amazon/amazon_client.hpp"
#include "connectors/connector.hpp"
#include "connectors/time_position.hpp"
#include "model/model.hpp"

namespace mlc::connectors::amazon {

enum class OrdersApi { k2026, kV0 };

inline constexpr std::string_view kV0RetiredOn = "2027-03-27T00:00:00Z";  // amazon-sp-api.md
inline constexpr std::chrono::hours kOrdersKept{24 * 730};  // Older orders are never returned.
inline constexpr std::chrono::minutes kBeforeMargin{2};     // *After/Before <= now - 2 minutes.
inline constexpr std::uint32_t kOrdersPageMax = 100;

struct OrdersSourceOptions {
    OrdersApi api = OrdersApi::k2026;
    TimeWindow window = {};  // start: the first-ever lastUpdatedAfter; overlap of later reads.
    std::uint32_t page_size = kOrdersPageMax;
};

// "orders_api: v0" is refused from kV0RetiredOn on; a window start older than two years is
// refused. kConfig naming the connection, why and the fix.
Result<void> check_orders_options(const OrdersSourceOptions& options, UtcTime now,
                                  std::string_view connection);

// One 2026-01-01 order object -> the model (kInvalidInput naming the order and the field).
Result<model::Order> order_from_2026(const boost::json::object& order);
// One v0 order object and its getOrderItems OrderItems -> the model.
Result<model::Order> order_from_v0(const boost::json::object& order,
                                   const boost::json::array& items);

// "amazon:order:<AmazonOrderId>".
std::string order_ref(const model::Order& order);

class OrdersSource final : public Source<model::Order> {
  public:
    OrdersSource(AmazonClient& client, OrdersSourceOptions options)
        : client_(client), options_(options) {}
    std::string system() const override { return std::string(kSystem); }
    Result<std::unique_ptr<Scan<model::Order>>> scan(const std::string& position) override;
    // getOrder (2026-01-01), or v0 getOrder + getOrderItems.
    Result<std::optional<Record<model::Order>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Order& order) const override;

    // One page of orders updated at or after `after` (`token` empty), or the page `token` names;
    // `next` receives the token of the page after it (empty: the last page).
    Result<Page<model::Order>> list(UtcTime after, const std::string& token, std::string& next);

  private:
    Result<Page<model::Order>> search_2026(UtcTime after, const std::string& token,
                                           std::string& next);
    Result<Page<model::Order>> get_orders_v0(UtcTime after, const std::string& token,
                                             std::string& next);
    Result<Record<model::Order>> with_items_v0(const boost::json::object& order);

    AmazonClient& client_;
    OrdersSourceOptions options_;
};

}  // namespace mlc::connectors::amazon

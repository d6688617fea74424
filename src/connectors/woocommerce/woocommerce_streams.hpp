#pragma once
// WooCommerce as a pipeline source (connector.hpp):
//  * OrdersSource: orders by date_modified_gmt (a time position, time_position.hpp), key the
//    Woo order id, ref "woocommerce:order:<id>", replay by id (GET /orders/{id}); versions are
//    exact (Woo stamps whole seconds in UTC), so an equal version is the copy already written.
//  * RefundsSource / OrderRefunds: refunds hang off their order (Children<Order, Refund>): the
//    order lists their ids, and they are read (GET /orders/{id}/refunds) only when one is not
//    written yet. Key the refund id, ref "woocommerce:order:<id>:refund:<refund id>", replay
//    "<order id>:<refund id>".
//  * OrderEvents: a verified order.* delivery -> the order it carries (Woo sends the whole order,
//    woocommerce.md), a skip for other topics and deleted orders, or a broken payload to park.
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none (one run is one thread).
// Ownership: borrows the client.

#include <cstdint>
#include <memory>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/time_position.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"

namespace mlc::connectors::woocommerce {

class OrdersSource final : public Source<model::Order> {
  public:
    OrdersSource(WooCommerceClient& client, TimeWindow window, std::uint32_t per_page)
        : client_(client), window_(window), per_page_(per_page) {}
    std::string system() const override { return "woocommerce"; }
    Result<std::unique_ptr<Scan<model::Order>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Order>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Order& order) const override;
    // date_modified_gmt has whole seconds: an edit in the second of the copy written (a payment
    // plugin right after checkout) is compared by content, not skipped for its equal version.
    std::chrono::seconds version_tolerance() const override { return std::chrono::seconds{1}; }

  private:
    WooCommerceClient& client_;
    TimeWindow window_;
    std::uint32_t per_page_;
};

// Refunds are not listed on their own: scan() reads nothing (they arrive as an order's children).
class RefundsSource final : public Source<model::Refund>,
                            public Children<model::Order, model::Refund> {
  public:
    explicit RefundsSource(WooCommerceClient& client) : client_(client) {}
    std::string system() const override { return "woocommerce-refund"; }
    Result<std::unique_ptr<Scan<model::Refund>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Refund>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Refund& refund) const override;
    std::vector<std::string> keys(const model::Order& order) const override {
        return order.refund_ids;
    }
    Result<std::vector<Record<model::Refund>>> read(const model::Order& order) override;

  private:
    WooCommerceClient& client_;
};

class OrderEvents final : public EventDecoder<model::Order> {
  public:
    Decoded<model::Order> decode(std::string_view topic, std::string_view body) const override;
};

}  // namespace mlc::connectors::woocommerce

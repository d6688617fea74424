#pragma once
// WooCommerce as a pipeline target for shipments (connector.hpp): a shipment marks its Woo order
// completed (unless it was cancelled, refunded or failed meanwhile: that status stays) and leaves
// an order note with the carrier and tracking number (customer-visible when configured). Written
// once per shipment. The source key as the target stores it is
// "<Woo order id>:<tracking number>": find_by_source() looks for a note of that order holding the
// tracking number, so an uncertain write is found instead of noted twice.
//
// Lifecycle: one per flow, built by its recipe. Thread safety: that of WooCommerceClient.
// Ownership: borrows the client.

#include <cstdint>
#include <optional>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"

namespace mlc::connectors::woocommerce {

struct Fulfilment {
    std::int64_t order_id = 0;
    std::string tracking_number = {};
    std::string carrier = {};
    std::optional<UtcTime> ship_date = {};
};

class Fulfilments final : public Target<Fulfilment> {
  public:
    Fulfilments(WooCommerceClient& client, bool customer_note)
        : client_(client), customer_note_(customer_note) {}
    std::string system() const override { return "woocommerce"; }
    // Id "<order id>:<note id>".
    std::string ref(const std::string& id) const override;
    bool updates() const override { return false; }
    Result<std::optional<std::string>> find_by_source(const std::string& source_key) override;
    Result<std::string> create(const Fulfilment& fulfilment) override;
    Result<void> update(const std::string&, const Fulfilment&) override { return ok(); }
    Result<void> close(const std::string&) override { return ok(); }
    std::string describe(const Fulfilment& fulfilment) const override;

  private:
    WooCommerceClient& client_;
    bool customer_note_;
};

// The note a shipment leaves: "Shipped via ups, tracking 1Z999 (2025-06-02)".
std::string fulfilment_note(const Fulfilment& fulfilment);

}  // namespace mlc::connectors::woocommerce

#pragma once
// WooRefundSync: Woo refunds of a bound order -> one credit record each in Epicor, never twice.
//
// The Epicor fact sheet lists no AR credit-memo service, so a refund becomes a row of the UD01
// staging table (Ice.BO.UD01Svc: "the usual staging table for records a person reviews",
// epicor-kinetic.md) for accounting to turn into a credit memo:
//   Key1 "WooRefund", Key2 <Woo refund id>, Key3 <Epicor OrderNum>, Key4/Key5 empty;
//   Character01 "<prefix><Woo order id>" (the order's searchable key), Character02 the reason,
//   Character03 the currency; Number01 the amount (positive); Date01 when Woo recorded it.
// Never twice: each refund id gets a binding (system "woocommerce-refund") committed with the
// page; a crash after the row was written but before the commit finds the row by its keys
// (create_staging_row treats a row with the same keys as done).
//
// Refund ids come from the order's refunds[] (so an order without refunds costs no call); the
// refunds themselves are read through GET /orders/<id>/refunds (woocommerce.md, Objects).
//
// Lifecycle: owned by the runner. Thread safety: none (one run is one thread). Ownership: borrows
// both clients and the options.

#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "connectors/epicor/epicor_client.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "engine/flow_runner.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"
#include "flows/epicor_woocommerce/orders_page.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kRefundRowKey = "WooRefund";
inline constexpr std::size_t kRefundsPerOrderMax = 1'000;  // refunds[] entries read per order.
inline constexpr std::size_t kRefundReasonMax = 1'000;     // Characters kept of a reason.

class WooRefundSync {
  public:
    WooRefundSync(const WooOrdersOptions& options, connectors::woocommerce::WooCommerceClient& woo,
                  connectors::epicor::EpicorClient& epicor)
        : options_(options), woo_(woo), epicor_(epicor) {}

    // Writes the refunds of `raw_order` (a Woo order object) not yet recorded, against Epicor
    // order `order_num`; returns how many it wrote. Bindings and audit go to `page`.
    Result<std::int64_t> sync(const boost::json::object& raw_order, const std::string& order_num,
                              engine::RunContext& ctx, OrdersPage& page);

  private:
    const WooOrdersOptions& options_;
    connectors::woocommerce::WooCommerceClient& woo_;
    connectors::epicor::EpicorClient& epicor_;
};

}  // namespace mlc::flows::epicor_woocommerce

#pragma once
// The recipe "woocommerce-to-epicor-orders" (integration 4, inbound half). A recipe only: the
// record protocol is src/pipeline's, Woo's source and event decoder and Epicor's targets and
// resolver are their connectors'. What it chooses:
//
//   orders:  WooCommerce OrdersSource (date_modified_gmt, overlap `options.overlap`) and the
//            verified deliveries of order.created/order.updated (pipeline::drain, coalesced by
//            date_modified_gmt) -> Epicor OrderResolver (billing email or a fixed CustID, SKU ->
//            PartNum; the source key "<source_key_prefix><id>") -> Epicor SalesOrders. Statuses
//            outside `options.statuses` wait (not yet) unless already in Epicor; cancelled,
//            refunded, failed and trashed orders close the Epicor order.
//   refunds: the order's refunds (children read only when one is new) -> one Epicor UD01 credit
//            row each, linked to the order's binding (`refunds: false` turns them off).
//   webhooks: with a public URL (`mlc run`), order.created/order.updated are kept pointing at
//            the flow's intake, and a webhook Woo disabled raises an alert (WooSubscriptions
//            under pipeline::WebhookUpkeep, rechecked every pipeline::kWebhookRecheck).
//
// Lifecycle: the flow (pipeline::Flow) owns the connections, sources and targets it borrows
// (WooEpicorOrdersConnections through keep_alive). Thread safety: see the clients. Ownership:
// borrows the transport, clock, store and vault from engine::Dependencies, which outlive the
// scheduler.

#include <memory>

#include "auth/vault.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"

namespace mlc::flows::connections {
struct WooCommerceConnection;
struct EpicorConnection;
}  // namespace mlc::flows::connections

namespace mlc::flows::epicor_woocommerce {

struct WooEpicorOrdersConnections {
    std::unique_ptr<connections::WooCommerceConnection> woo;
    std::unique_ptr<connections::EpicorConnection> epicor;
    ~WooEpicorOrdersConnections();
};

// kConfig naming the flow, the connection and the fix when a connection is missing or of the
// wrong system; the builders' errors otherwise.
Result<std::shared_ptr<WooEpicorOrdersConnections>> open_woo_orders_connections(
    const engine::FlowConfig& flow, const WooOrdersOptions& options,
    const engine::Dependencies& deps);

// What the flow borrows when built outside a config (tests, the crash-test worker).
struct WooOrdersWiring {
    connectors::woocommerce::WooCommerceClient& woo;
    connectors::epicor::EpicorClient& epicor;
    auth::Vault* vault = nullptr;      // Needed to register webhooks (their secret).
    std::string public_base_url = {};  // engine::Dependencies::public_base_url.
    std::shared_ptr<void> keep_alive = nullptr;
};

// Binding systems, stream and direction (existing stores keep working with them).
inline constexpr const char* kWooOrderSystem = "woocommerce";
inline constexpr const char* kWooRefundSystem = "woocommerce-refund";
inline constexpr const char* kWooOrdersStream = "orders";
inline constexpr const char* kWooRefundsStream = "refunds";
inline constexpr const char* kWooDirection = "woocommerce->epicor";
inline constexpr const char* kRefundRowKey = "WooRefund";  // UD01 Key1 of a refund's row.
inline constexpr std::size_t kRefundsPerOrderMax = 1'000;  // refunds[] entries looked at.

std::unique_ptr<engine::FlowRunner> make_woo_orders_flow(WooOrdersOptions options,
                                                         WooOrdersWiring wiring);

Result<std::unique_ptr<engine::FlowRunner>> make_woo_orders_runner(
    const engine::FlowConfig& flow, const engine::Dependencies& deps);

// Registers "woocommerce-to-epicor-orders" in `registry`.
void add_woocommerce_epicor_orders_recipes(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::epicor_woocommerce

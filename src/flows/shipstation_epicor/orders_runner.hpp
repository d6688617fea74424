#pragma once
// OrdersRunner: the recipe "shipstation-to-epicor-orders" (issue 5). One run reads ShipStation
// orders modified since `cursor - overlap`, page by page (V1 sorts by ModifyDate ascending), and
// for each order:
//   * resolves customer and lines (order_resolver.hpp); unresolved -> dead letter naming the fix;
//   * unchanged since the last write (binding's content hash) -> skipped;
//   * bound (confirmed) -> Epicor order updated, or cancelled when ShipStation cancelled it;
//   * bound but pending (a create whose answer was lost, or a crash after it) -> looked up in
//     Epicor by the orderKey in the source-key field first, never blindly created again;
//   * not bound -> a pending binding is stored, then the Epicor sales order is created with the
//     orderKey in the source-key field, and the binding confirmed with the OrderNum.
// The page's bindings, audit events (ShipStation orderId/orderKey -> Epicor OrderNum), dead letters
// and the cursor (the page's latest modifyDate) are committed together (StateStore::commit_page),
// so the cursor never passes an order that was neither written nor parked. Then, unless
// `shipments: false`, the shipments stream writes tracking back (shipment_sync.hpp).
//
// `target: ud01` stages each resolved order once as a UD01 row for a person to review instead
// (Key1 = orderKey; see stage()); a staged order is never staged again, edits included.
//
// Webhooks (webhook_inbox.hpp, webhook_registrar.hpp): each run first leases the flow's inbox
// events. ORDER_NOTIFY only made the run happen (the poll reads the details) and is marked done in
// the commit of the poll's last page; SHIP_NOTIFY is followed after the orders poll, before the
// shipments poll. When the recipe got a public base URL (`mlc run` serving the intake) and
// `webhooks` is not false, the run also ensures the flow's ShipStation subscriptions (first run,
// then every kWebhookRecheck); a failure there raises an alert and never stops the poll.
//
// Lifecycle: built once per flow by the recipe factory (orders_recipe.hpp), lives with the
// scheduler. Thread safety: none; the engine serialises run_once/replay of one flow. Ownership:
// borrows both clients (owned by the recipe's connection holder, or by a test).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/vault.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "engine/flow_runner.hpp"
#include "flows/shipstation_epicor/order_resolver.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "flows/shipstation_epicor/shipment_sync.hpp"
#include "flows/shipstation_epicor/webhook_inbox.hpp"

namespace mlc::flows::shipstation_epicor {

inline constexpr const char* kSourceSystem = "shipstation";
inline constexpr const char* kOrdersStream = "orders";
inline constexpr const char* kDirection = "shipstation->epicor";
// Open dead letters of the flow read per run, to mark the ones a run heals as resolved.
inline constexpr std::size_t kOpenLettersScanMax = 10'000;
// How far a V1 modifyDate can read behind the truth: the repeated hour when Pacific time falls
// back (offset-free wall time cannot say PDT or PST).
inline constexpr std::chrono::hours kPacificWallTimeAmbiguity{1};
// Bindings of `target: ud01` live apart from sales-order bindings: switching the target to
// sales_order later moves the reviewed orders into the backlog instead of "updating" a UD01 row.
inline constexpr const char* kStagedSourceSystem = "shipstation-staged";
// How often a long-running runner checks that its ShipStation webhooks still exist (a person may
// delete them in ShipStation's settings); the first run always checks.
inline constexpr std::chrono::seconds kWebhookRecheck{3600};
// Characters of the UD01 row's line summary (Character04). The spec names no width for UD
// Character fields; this keeps a long order's summary readable and bounded.
inline constexpr std::size_t kStagedLinesTextMax = 1000;

// Where the flow's ShipStation webhooks point; empty public_base_url: none are registered.
struct OrdersWebhooks {
    std::string public_base_url;   // engine::Dependencies::public_base_url
    auth::Vault* vault = nullptr;  // Holds the URL token "webhook.<flow>.shipstation".
};

class OrdersRunner final : public engine::FlowRunner {
  public:
    // `keep_alive` owns whatever the clients need (limiters, token manager); may be null.
    OrdersRunner(OrdersOptions options, connectors::shipstation::ShipStationClient& shipstation,
                 connectors::epicor::EpicorClient& epicor,
                 std::shared_ptr<void> keep_alive = nullptr, OrdersWebhooks webhooks = {});

    Result<engine::RunSummary> run_once(engine::RunContext& ctx) override;
    // Fetches the parked order again from ShipStation (its details may have changed) and writes it.
    Result<void> replay(const store::DeadLetter& letter, engine::RunContext& ctx) override;

    const OrdersOptions& options() const { return options_; }

  private:
    enum class Outcome { kCreated, kUpdated, kSkipped, kParked };
    struct PageState;

    Result<void> run_orders(engine::RunContext& ctx, engine::RunSummary& summary,
                            const LeasedEvents& events);
    // Never fails the run: a failure is logged and raised as an alert, retried next run.
    void ensure_webhooks(engine::RunContext& ctx);
    std::vector<std::string> webhook_events() const;
    const char* binding_system() const;
    Result<Outcome> process(const connectors::Record<model::Order>& record, OrderResolver& resolver,
                            engine::RunContext& ctx, PageState& page);
    Result<Outcome> write(const ResolvedOrder& resolved, const std::string& hash,
                          std::optional<store::Binding> binding, engine::RunContext& ctx,
                          PageState& page);
    Result<Outcome> create(const ResolvedOrder& resolved, const std::string& hash,
                           engine::RunContext& ctx, PageState& page);
    Result<Outcome> stage(const ResolvedOrder& resolved, const std::string& hash,
                          engine::RunContext& ctx, PageState& page);
    void park(const connectors::Record<model::Order>& record, const Error& error,
              engine::RunContext& ctx, PageState& page);
    Result<UtcTime> start_time(engine::RunContext& ctx);

    OrdersOptions options_;
    connectors::shipstation::ShipStationClient& shipstation_;
    connectors::epicor::EpicorClient& epicor_;
    ShipmentSync shipments_;
    WebhookInbox inbox_;
    std::shared_ptr<void> keep_alive_;
    OrdersWebhooks webhooks_;
    std::optional<UtcTime> webhooks_checked_at_;
    std::string inbox_owner_;  // Random, made by the first run that leases.
};

}  // namespace mlc::flows::shipstation_epicor

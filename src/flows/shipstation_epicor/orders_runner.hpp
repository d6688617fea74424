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
// Lifecycle: built once per flow by the recipe factory (orders_recipe.hpp), lives with the
// scheduler. Thread safety: none; the engine serialises run_once/replay of one flow. Ownership:
// borrows both clients (owned by the recipe's connection holder, or by a test).

#include <memory>
#include <optional>
#include <string>

#include "connectors/epicor/epicor_client.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "engine/flow_runner.hpp"
#include "flows/shipstation_epicor/order_resolver.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "flows/shipstation_epicor/shipment_sync.hpp"

namespace mlc::flows::shipstation_epicor {

inline constexpr const char* kSourceSystem = "shipstation";
inline constexpr const char* kOrdersStream = "orders";
inline constexpr const char* kDirection = "shipstation->epicor";
// Open dead letters of the flow read per run, to mark the ones a run heals as resolved.
inline constexpr std::size_t kOpenLettersScanMax = 10'000;

class OrdersRunner final : public engine::FlowRunner {
  public:
    // `keep_alive` owns whatever the clients need (limiters, token manager); may be null.
    OrdersRunner(OrdersOptions options, connectors::shipstation::ShipStationClient& shipstation,
                 connectors::epicor::EpicorClient& epicor,
                 std::shared_ptr<void> keep_alive = nullptr);

    Result<engine::RunSummary> run_once(engine::RunContext& ctx) override;
    // Fetches the parked order again from ShipStation (its details may have changed) and writes it.
    Result<void> replay(const store::DeadLetter& letter, engine::RunContext& ctx) override;

    const OrdersOptions& options() const { return options_; }

  private:
    enum class Outcome { kCreated, kUpdated, kSkipped, kParked };
    struct PageState;

    Result<void> run_orders(engine::RunContext& ctx, engine::RunSummary& summary);
    Result<Outcome> process(const connectors::Record<model::Order>& record, OrderResolver& resolver,
                            engine::RunContext& ctx, PageState& page);
    Result<Outcome> write(const ResolvedOrder& resolved, const std::string& hash,
                          std::optional<store::Binding> binding, engine::RunContext& ctx,
                          PageState& page);
    Result<Outcome> create(const ResolvedOrder& resolved, const std::string& hash,
                           engine::RunContext& ctx, PageState& page);
    void park(const connectors::Record<model::Order>& record, const Error& error,
              engine::RunContext& ctx, PageState& page);
    Result<UtcTime> start_time(engine::RunContext& ctx);

    OrdersOptions options_;
    connectors::shipstation::ShipStationClient& shipstation_;
    connectors::epicor::EpicorClient& epicor_;
    ShipmentSync shipments_;
    std::shared_ptr<void> keep_alive_;
};

}  // namespace mlc::flows::shipstation_epicor

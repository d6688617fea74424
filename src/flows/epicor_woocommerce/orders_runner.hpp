#pragma once
// WooOrdersRunner: the recipe "woocommerce-to-epicor-orders" (issue 6, inbound half). One run:
//   1. webhooks (when a server runs, i.e. a public base URL is known, and not a dry run): makes
//      sure order.created and order.updated point at this flow's intake, and raises an alert for
//      one Woo has disabled (webhook_registrar.hpp). Without a server nothing is registered: the
//      poll alone brings orders in. A failure here is logged, never fatal: the poll still runs.
//   2. inbox: the verified deliveries the intake stored (net/webhook_intake.hpp) are leased in
//      batches; per batch, deliveries of one order are coalesced to the newest date_modified_gmt,
//      each order goes through process(), and the batch's bindings, audit, dead letters and
//      inbox "done" marks are committed together.
//   3. poll (the safety net: Woo never retries a failed delivery, woocommerce.md): orders modified
//      after `cursor - overlap`, by date_modified ascending, page by page, through the same
//      process(); the cursor (newest date_modified_gmt of the page) moves with the page commit.
//
// process(), for one Woo order:
//   * older than what the binding last wrote (date_modified_gmt in Binding::source_version) ->
//     skipped: out-of-order deliveries never overwrite newer data; the same version as written ->
//     skipped (created + updated of one checkout, duplicated deliveries);
//   * not bound and its status not in options.statuses (pending, cancelled...) -> skipped;
//   * bound and cancelled/refunded/failed/trash -> the Epicor order is closed/voided;
//   * customer (email or configured account) and SKUs resolved (orders_resolver.hpp); unresolved
//     -> dead letter naming the order, the SKU/email and the fix, healed by replay;
//   * bound (confirmed) and changed (content hash) -> Epicor order updated; unchanged -> skipped;
//   * bound but pending (a create whose answer was lost, or a crash) -> looked up in Epicor by the
//     source key ("WOO-<id>" in PONum by default) first, never blindly created again;
//   * not bound -> pending binding stored, Epicor order created (UI GetNew/Change/MasterUpdate
//     sequence unless configured otherwise), binding confirmed in the page commit;
//   * then its refunds (refund_sync.hpp) against the bound OrderNum, once per Woo refund id.
//
// Lifecycle: built once per flow by the recipe factory (orders_recipe.hpp). Thread safety: none;
// the engine serialises run_once/replay of one flow. Ownership: borrows both clients and the
// vault; `keep_alive` owns whatever they need.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "auth/vault.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "engine/flow_runner.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"
#include "flows/epicor_woocommerce/orders_page.hpp"
#include "flows/epicor_woocommerce/orders_resolver.hpp"
#include "flows/epicor_woocommerce/refund_sync.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kWooOrdersStream = "orders";
// A leased inbox event not finished by then (crash, kill) is leased again by the next run.
inline constexpr std::chrono::seconds kInboxLease{300};
// Open dead letters of the flow read per run, to mark the ones a run heals as resolved.
inline constexpr std::size_t kWooOpenLettersScanMax = 10'000;

// One Woo order as the flow processes it: mapped, plus the vendor object (status text,
// refunds[]) and its raw text (for dead letters).
struct WooOrderInput {
    model::Order order;
    boost::json::object raw;
    std::string raw_text;
};

struct WooOrdersWiring {
    connectors::woocommerce::WooCommerceClient& woo;
    connectors::epicor::EpicorClient& epicor;
    auth::Vault* vault = nullptr;      // Needed to register webhooks (their secret).
    std::string public_base_url = {};  // engine::Dependencies::public_base_url.
    std::shared_ptr<void> keep_alive = nullptr;
};

class WooOrdersRunner final : public engine::FlowRunner {
  public:
    WooOrdersRunner(WooOrdersOptions options, WooOrdersWiring wiring);

    Result<engine::RunSummary> run_once(engine::RunContext& ctx) override;
    // Fetches the parked order again from Woo (it may have changed) and writes it.
    Result<void> replay(const store::DeadLetter& letter, engine::RunContext& ctx) override;

    // The three steps of run_once, public for tests and the crash-test worker.
    void ensure_webhooks(engine::RunContext& ctx);
    Result<void> drain_inbox(engine::RunContext& ctx, engine::RunSummary& summary);
    Result<void> poll(engine::RunContext& ctx, engine::RunSummary& summary);

    const WooOrdersOptions& options() const { return options_; }

  private:
    enum class Outcome { kCreated, kUpdated, kSkipped, kParked };

    Result<bool> drain_batch(engine::RunContext& ctx, engine::RunSummary& summary,
                             const std::map<std::string, std::int64_t>& open_letters);
    Result<Outcome> process(const WooOrderInput& input, WooOrderResolver& resolver,
                            engine::RunContext& ctx, OrdersPage& page);
    // process() with parking: kPark errors become dead letters; others are returned.
    Result<Outcome> process_or_park(const WooOrderInput& input, WooOrderResolver& resolver,
                                    engine::RunContext& ctx, OrdersPage& page);
    Result<Outcome> write(const WooOrderInput& input, const WooResolvedOrder& resolved,
                          const std::string& hash, std::optional<store::Binding> binding,
                          engine::RunContext& ctx, OrdersPage& page);
    Result<Outcome> create(const WooOrderInput& input, const WooResolvedOrder& resolved,
                           const std::string& hash, engine::RunContext& ctx, OrdersPage& page);
    Result<Outcome> close(const WooOrderInput& input, store::Binding binding,
                          engine::RunContext& ctx, OrdersPage& page);
    Result<void> refunds(const WooOrderInput& input, const std::string& order_num,
                         engine::RunContext& ctx, OrdersPage& page);
    void park(const WooOrderInput& input, const Error& error, engine::RunContext& ctx,
              OrdersPage& page);
    Result<std::map<std::string, std::int64_t>> open_letters(engine::RunContext& ctx);
    Result<UtcTime> poll_start(engine::RunContext& ctx);
    std::string source_key(const model::Order& order) const;
    static void tally(engine::RunSummary& summary, Outcome outcome);

    WooOrdersOptions options_;
    connectors::woocommerce::WooCommerceClient& woo_;
    connectors::epicor::EpicorClient& epicor_;
    auth::Vault* vault_;
    std::string public_base_url_;
    WooRefundSync refunds_;
    std::shared_ptr<void> keep_alive_;
};

}  // namespace mlc::flows::epicor_woocommerce

#pragma once
// AmazonTraffic: the demo's Amazon side of the business (issue 12). Shoppers order on Amazon
// (the Amazon sandbox's control route POST orders, Unshipped: payment authorised); the
// amazon-to-epicor-orders flow brings each into Epicor as a sales order of the marketplace's
// customer (kAmazonCustomer), the emulator's SKUs mapped onto the demo catalog by the flow's
// mappings.parts. Once an order is in Epicor the seller ships it there (the Epicor sandbox's
// orders/ship: a pack with a UPS tracking number) and the flow's confirm_shipments stream
// confirms the pack to Amazon (confirmShipment), and every kSettlementEvery Amazon closes a
// settlement (settlements/close): the amazon-settlements-to-epicor flow posts it to Epicor as
// balanced GL journals. This class plays the shoppers, the seller and Amazon's settlement cycle:
//  * prepare(): the Amazon marketplace's customer in Epicor;
//  * create_orders(): new Amazon orders, now; they reach searchOrders kSearchLag later (Amazon
//    answers only up to two minutes before now), so visible() says when to wake the flow;
//  * act(): ships the orders that are in Epicor, in Epicor; close_settlement() closes one;
//  * refresh(): the flows' bindings (orders in Epicor, packs confirmed to Amazon, settlements
//    posted) and, once per posted
//    settlement, its reconciliation: the deposit and the ledger's check as `mlc settlements show`
//    computes them (flows/amazon_epicor read_settlement_ledger: read again from Amazon, put
//    through the flow's ledger), and the journal net as Epicor holds it (the journals found by
//    their Description, the clearing account's amount summed).
//
// Lifecycle: prepare() once, then any mix of create_orders(), act() and refresh().
// Thread safety: none; the demo companion's thread owns it. Ownership: borrows the sandbox
// clients, the clock, the vault and the transport.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/vault.hpp"
#include "cli/demo/sandbox_client.hpp"
#include "cli/demo/shipstation_traffic.hpp"
#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "net/http_transport.hpp"
#include "store/state_store.hpp"

namespace mlc::cli::demo {

// The Amazon flows' binding source systems (flows/amazon_epicor kSourceSystem, kSettlementSystem
// and kPackSystem; demo_command.cpp asserts they match). Order keys are AmazonOrderIds,
// settlements' the settlement ids.
inline constexpr std::string_view kAmazonOrderBindingSystem = "amazon";
inline constexpr std::string_view kAmazonSettlementBindingSystem = "amazon-settlement";
// The orders flow's packs confirmed to Amazon (flows/amazon_epicor kPackSystem), keyed by PackNum.
inline constexpr std::string_view kAmazonPackBindingSystem = "epicor-pack";
// The Epicor CustID the Amazon marketplace's orders are booked to (mappings.customers).
inline constexpr std::string_view kAmazonCustomer = "AMZUS";
// searchOrders answers up to two minutes before now (the emulator, as Amazon): an order is read
// by the first flow run after this.
inline constexpr std::chrono::seconds kSearchLag{125};
// Continuous mode: Amazon closes a settlement this often (Amazon's cycle is 14 days).
inline constexpr std::chrono::minutes kSettlementEvery{3};
inline constexpr std::size_t kAmazonOrdersTrackedMax = 10'000;

struct AmazonCounts {
    std::size_t placed = 0;      // Orders placed on Amazon by the demo.
    std::size_t in_epicor = 0;   // ...in Epicor (the orders flow's binding is confirmed).
    std::size_t shipped = 0;     // ...shipped in Epicor and confirmed to Amazon by the flow.
    std::size_t closed = 0;      // Settlements Amazon closed during the demo.
    std::size_t posted = 0;      // ...posted to Epicor as journals by the settlements flow.
    std::size_t held = 0;        // ...held (open dead letter: unmapped type or mismatch).
    std::size_t checked_ok = 0;  // Posted ones whose check (lines == deposit == journal net) holds.
};

// The reconciliation of the newest posted settlement, as `mlc settlements show` prints it.
struct SettlementFigures {
    std::string id = {};
    std::size_t journals = 0;  // In Epicor: one per fiscal period.
    Decimal journal_net = {};  // In Epicor: the clearing account's amount over the journals.
    Decimal deposit = {};      // total-amount of Amazon's report.
    bool ok = false;           // The ledger's check holds and journal_net == deposit.
};

class AmazonTraffic {
  public:
    struct Deps {
        SandboxClient& amazon;  // Control API: orders, orders/<id>/status, settlements/close.
        SandboxClient& epicor;  // Control API: customers, orders/ship.
        Clock& clock;
        auth::Vault& vault;  // The demo's vault: the Amazon connection's secrets.
        net::HttpTransport& transport;
    };
    explicit AmazonTraffic(Deps deps);

    Result<void> prepare();
    // `count` new Amazon orders (Unshipped); how many were placed.
    Result<std::size_t> create_orders(std::size_t count);
    // True once per batch of orders that became readable by searchOrders since the last call.
    bool visible(SteadyTime now);
    // Ships up to `max_actions` orders that are in Epicor, in Epicor (a pack with a UPS tracking
    // number); how many were shipped. The orders flow (confirm_shipments) confirms them to Amazon.
    Result<std::size_t> act(std::size_t max_actions);
    Result<void> close_settlement();
    struct Flows {
        const engine::Config& config;
        std::string orders = {};
        std::string settlements = {};
    };
    Result<void> refresh(store::StateStore& store, const Flows& flows);

    AmazonCounts counts() const;
    const std::optional<SettlementFigures>& last_settlement() const { return last_; }
    const std::vector<OpenDeadLetter>& dead_letters() const { return dead_letters_; }
    // AmazonOrderIds not in Epicor yet, for a failed final summary.
    std::vector<std::string> not_in_epicor() const;

  private:
    struct Order {
        std::string id = {};
        SteadyTime placed_at = {};
        bool in_epicor = false;
        std::int64_t epicor_order = 0;  // Its OrderNum once in Epicor.
        std::int64_t pack = 0;          // The PackNum it shipped in, in Epicor.
        bool shipped = false;           // ...and confirmed to Amazon by the orders flow.
    };
    Result<void> refresh_settlements(store::StateStore& store, const Flows& flows);

    Deps deps_;
    std::vector<Order> orders_;
    SteadyTime visible_up_to_ = {};  // Orders placed before this were announced by visible().
    std::size_t closed_ = 0;
    std::size_t posted_ = 0;
    std::size_t held_ = 0;
    std::size_t checked_ok_ = 0;
    std::vector<std::string> reconciled_;  // Posted settlements whose check was read.
    std::optional<SettlementFigures> last_;
    std::vector<OpenDeadLetter> dead_letters_;
};

}  // namespace mlc::cli::demo

#pragma once
// DemoCompanion: the part of `mlc demo` that runs beside the daemon (cli/daemon.hpp
// DaemonHooks::companion). It plays the business through the sandboxes (ShipStationTraffic),
// wakes the orders flow after it writes (as ShipStation's ORDER_NOTIFY webhook would), and
// prints a summary every kSummaryEvery: orders created, landed in Epicor, tracking written back,
// open dead letters with the command that shows and replays them, and where /metrics is.
//
// Two modes:
//  * continuous (default): one new order every 60/orders_per_minute seconds until `stop`;
//  * --orders N --exit-when-done: N orders (plus one selling an unknown SKU) in one import, then
//    waits, bounded by wait_budget(N), until each has landed and played its fate; prints the
//    final summary and ends the daemon. verdict() is then 0, or 1 when something is missing.
// With the WooCommerce flows, continuous mode also checks out a store order every other
// ShipStation order and completes or refunds the landed ones (not counted by --exit-when-done).
// With the Acumatica flow (AcumaticaTraffic), an Acumatica sales order is entered every other
// ShipStation order (--orders N: N of them at once, counted by --exit-when-done), and the ones in
// ShipStation are labelled or cancelled; the summary shows them coming back shipped.
// With the UPS flow (UpsTraffic), a confirmed Epicor order shipping via UPSG is entered every other
// ShipStation order (--orders N: N at once, counted by --exit-when-done); the summary shows them
// shipped by UPS with tracking back in Epicor, in transit and delivered on the UPS sandbox's
// clock, or parked (the ambiguous address).
//
// With the Amazon flows (AmazonTraffic), an Amazon order is placed every other ShipStation order
// (--orders N: N at once, counted by --exit-when-done); once in Epicor the seller ships it, and a
// settlement closes every kSettlementEvery (--exit-when-done: one, once the orders shipped); the
// summary shows the settlements posted with the journal net and the deposit of the last one.
//
// Lifecycle: built before the daemon starts, run() once on the companion thread, verdict() after
// the daemon returned. Thread safety: run() is the only user while it runs. Ownership: borrows the
// traffic generator, clock and output stream.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/daemon.hpp"
#include "cli/demo/acumatica_traffic.hpp"
#include "cli/demo/amazon_traffic.hpp"
#include "cli/demo/shipstation_traffic.hpp"
#include "cli/demo/ups_traffic.hpp"
#include "cli/demo/woo_traffic.hpp"
#include "common/clock.hpp"

namespace mlc::cli::demo {

inline constexpr std::chrono::seconds kSummaryEvery{10};
// ShipStation V1 allows 40 requests a minute per key (shipstation.md) and each orders-flow run
// spends two or three (orders page, shipments page): waking it at most this often keeps the
// demo's own nudges well inside the budget.
inline constexpr std::chrono::seconds kTriggerSpacing{5};
// The Acumatica flow spends one or two ShipStation requests a run from the same 40 a minute.
inline constexpr std::chrono::seconds kAcumaticaTriggerSpacing{10};
// The UPS flow spends an Address Validation and a ship per new release and a Quantum View read a
// run, far inside UPS's limits; woken at most this often after the demo wrote or moved a package.
inline constexpr std::chrono::seconds kUpsTriggerSpacing{5};
// searchOrders refills one call per 179 s after a burst of 20 (amazon-sp-api.md): the demo wakes
// the Amazon orders flow at most this often, only when orders became readable or are awaited.
inline constexpr std::chrono::seconds kAmazonTriggerSpacing{30};
inline constexpr std::size_t kDefaultOrdersPerMinute = 6;
inline constexpr std::size_t kOrdersPerMinuteMax = 600;
inline constexpr std::size_t kDemoOrdersMax = kTrackedOrdersMax - 1;  // --orders N, plus one.
// Continuous mode: every kUnknownSkuEvery-th new order sells kUnknownSku (the first at order 3,
// so a dead letter shows within the first minute).
inline constexpr std::size_t kUnknownSkuEvery = 15;

// How long --exit-when-done waits for N orders: a fixed allowance for start-up and the flow's
// schedule plus a per-order share (an order costs about ten Epicor calls at the demo's pace).
std::chrono::seconds wait_budget(std::size_t orders);

struct DemoCompanionSettings {
    std::string orders_flow;  // The shipstation-to-epicor-orders flow's name.
    std::size_t orders_per_minute = kDefaultOrdersPerMinute;
    std::optional<std::size_t> orders;  // --orders N: one import of N, then only their fates.
    bool exit_when_done = false;
    std::string command_prefix;           // "mlc --data-dir D -c D/mlc.yaml": printed in hints.
    std::string woo_orders_flow;          // Empty: no WooCommerce flows run (no store traffic).
    std::string acumatica_flow;           // Empty: no Acumatica flow runs (no Acumatica traffic).
    std::string ups_flow;                 // Empty: no Epicor -> UPS flow runs (no UPS traffic).
    std::string amazon_orders_flow;       // Empty: no Amazon flows run (no Amazon traffic).
    std::string amazon_settlements_flow;  // Empty: no settlements are closed.
};

// The traffic generators beside the ShipStation one; any may be null (not in this demo).
struct DemoSideTraffic {
    WooTraffic* woo = nullptr;
    AcumaticaTraffic* acumatica = nullptr;
    UpsTraffic* ups = nullptr;
    AmazonTraffic* amazon = nullptr;
};

class DemoCompanion {
  public:
    DemoCompanion(ShipStationTraffic& traffic, DemoSideTraffic side, Clock& clock,
                  std::ostream& out, DemoCompanionSettings settings);

    void run(const DaemonView& view, const std::atomic<bool>& stop);
    int verdict() const { return verdict_; }

  private:
    // One pass: create what is due, read progress, play fates, wake the flow. False on an error
    // that ends the demo (already printed).
    bool turn(const DaemonView& view, SteadyTime now);
    Result<void> woo_turn(const DaemonView& view, bool new_order);
    Result<void> acumatica_turn(const DaemonView& view, SteadyTime now, bool new_order);
    bool acumatica_active() const;
    bool acumatica_done() const;
    Result<void> ups_turn(const DaemonView& view, SteadyTime now, bool new_order);
    bool ups_active() const;
    bool ups_done() const;
    void print_ups_summary();
    void print_ups_final(bool complete);
    Result<void> amazon_turn(const DaemonView& view, SteadyTime now, bool new_order);
    Result<void> amazon_settle(const DaemonView& view, SteadyTime now);
    bool amazon_active() const;
    bool amazon_done() const;
    std::string amazon_figures() const;
    void print_amazon_final(bool complete);
    bool done() const;
    void print_acumatica_final(bool complete);
    void print_summary(const DaemonView& view, SteadyTime now);
    void print_final(const DaemonView& view, SteadyTime now, bool complete);
    void fail(const DaemonView& view, const Error& error);

    ShipStationTraffic& traffic_;
    WooTraffic* woo_;
    AcumaticaTraffic* acumatica_;
    UpsTraffic* ups_;
    AmazonTraffic* amazon_;
    Clock& clock_;
    std::ostream& out_;
    DemoCompanionSettings settings_;
    SteadyTime started_{};
    SteadyTime next_order_{};
    std::optional<SteadyTime> last_trigger_;
    bool wrote_since_trigger_ = false;
    std::optional<SteadyTime> acumatica_last_trigger_;
    bool acumatica_wrote_ = false;
    std::optional<SteadyTime> ups_last_trigger_;
    bool ups_wrote_ = false;
    std::optional<SteadyTime> amazon_last_trigger_;
    std::optional<SteadyTime> settlements_last_trigger_;
    SteadyTime next_settlement_{};
    int verdict_ = 0;  // kExitOk until the demo fails or --exit-when-done finds something missing.
};

}  // namespace mlc::cli::demo

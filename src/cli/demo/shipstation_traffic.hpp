#pragma once
// ShipStationTraffic: the demo's ShipStation side of the business, driven through the sandboxes'
// control APIs (src/sandbox/shipstation/README.md, src/sandbox/epicor/README.md): it loads the
// catalog into Epicor as parts (plus the web-orders customer), imports new store orders into
// ShipStation (some selling a SKU Epicor lacks), and, once the flow has landed an order in Epicor,
// plays its fate: a delivery-address edit, a cancellation, or a label (shipment + tracking).
// refresh() reads the flow's progress from the state store (bindings and open dead letters), so
// the counts are what the flow really did, not what was asked.
//
// Lifecycle: prepare_epicor() once, then any mix of create_orders(), act() and refresh().
// Thread safety: none; the demo companion's thread owns it. Ownership: borrows both sandbox
// clients and the clock.

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cli/demo/demo_catalog.hpp"
#include "cli/demo/sandbox_client.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/state_store.hpp"

namespace mlc::cli::demo {

// The orders flow's binding source systems (flows/shipstation_epicor/orders_recipe.hpp
// kSourceSystem and kShipmentSourceSystem; demo_command.cpp asserts they match).
inline constexpr std::string_view kOrderBindingSystem = "shipstation";
inline constexpr std::string_view kShipmentBindingSystem = "shipstation-shipment";
// Orders one demo tracks, at most (about 28 hours at 6 a minute); past it the demo stops creating.
inline constexpr std::size_t kTrackedOrdersMax = 10'000;
// Open dead letters read per refresh.
inline constexpr std::size_t kDeadLettersReadMax = 1'000;

// What happens to an order after it lands in Epicor, drawn at creation.
enum class OrderFate { kStaysOpen, kShipped, kEditedThenShipped, kCancelled };

struct DemoOrder {
    DemoOrderSpec spec;
    std::string key;      // orderKey: the flow's source key.
    std::int64_t id = 0;  // ShipStation orderId.
    OrderFate fate = OrderFate::kStaysOpen;
    bool landed = false;  // The flow's binding is confirmed: the Epicor order exists.
    bool parked = false;  // An open dead letter holds it (unknown SKU).
    bool edited = false;
    bool cancelled = false;
    std::string shipment_id;  // Set once labelled.
    bool tracked = false;     // The flow wrote the label's tracking to the Epicor order.
};

struct TrafficCounts {
    std::size_t created = 0;      // Orders imported into ShipStation.
    std::size_t unknown_sku = 0;  // ...of which sell kUnknownSku.
    std::size_t landed = 0;       // In Epicor (bindings confirmed).
    std::size_t expected_to_land = 0;
    std::size_t parked = 0;  // Unknown-SKU orders parked as dead letters.
    std::size_t edited = 0;
    std::size_t cancelled = 0;
    std::size_t labelled = 0;
    std::size_t tracked = 0;
    std::size_t fates_pending = 0;  // Landed orders whose edit/cancel/label is still to come.
};

// A label bought for ShipStation order `order_id` in the ShipStation sandbox, as a warehouse user
// would (UPS Ground, a generated tracking number): its shipmentId. `key` names it in errors.
Result<std::string> label_order(SandboxClient& shipstation, std::int64_t order_id,
                                const std::string& key);

struct OpenDeadLetter {
    std::int64_t id = 0;
    std::string source_key;
    std::string message;
};

class ShipStationTraffic {
  public:
    ShipStationTraffic(SandboxClient& shipstation, SandboxClient& epicor, Clock& clock,
                       std::uint64_t seed, std::string run_tag);

    // Every catalog SKU but kUnknownSku as an Epicor part; the web-orders customer.
    Result<void> prepare_epicor();
    // One store import of `count` orders (ShipStation sends one ORDER_NOTIFY per import);
    // `unknown_sku` of them sell kUnknownSku. Returns how many were created (kTrackedOrdersMax
    // bounds the total).
    Result<std::size_t> create_orders(std::size_t count, std::size_t unknown_sku);
    // Plays the fate of up to `max_actions` landed orders (edit, cancel or label), at most one
    // step per order per call so the flow sees an edit before the label. Returns the steps taken.
    Result<std::size_t> act(std::size_t max_actions);
    // Reads the flow's bindings and open dead letters.
    Result<void> refresh(store::StateStore& store, const std::string& flow);

    TrafficCounts counts() const;
    const std::vector<OpenDeadLetter>& dead_letters() const { return dead_letters_; }
    const std::vector<DemoOrder>& orders() const { return orders_; }

  private:
    OrderFate draw_fate();

    SandboxClient& shipstation_;
    SandboxClient& epicor_;
    Clock& clock_;
    std::mt19937_64 rng_;
    std::string run_tag_;
    std::vector<DemoOrder> orders_;
    std::vector<OpenDeadLetter> dead_letters_;
};

}  // namespace mlc::cli::demo

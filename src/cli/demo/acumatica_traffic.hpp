#pragma once
// AcumaticaTraffic: the demo's Acumatica side of the business (issue 13), driven through the
// sandboxes' control APIs (src/sandbox/acumatica/README.md: records/StockItem, records/Customer,
// POST orders, orders/cancel; src/sandbox/shipstation/README.md: orders/{id}/label). It stocks
// the demo catalog as Acumatica stock items and a few customers with ship-to addresses, enters
// sales orders as a person would, and once the acumatica-to-shipstation-orders flow has put an
// order into ShipStation (orderKey SO<number>) plays its fate: cancelled in Acumatica (the flow
// cancels the ShipStation order), labelled in ShipStation (the flow brings the label back as a
// confirmed Acumatica shipment with the tracking number), or left open. refresh() reads the
// flow's bindings, so the counts are what the flow did, not what was asked.
//
// Lifecycle: prepare() once, then any mix of create_orders(), act() and refresh().
// Thread safety: none; the demo companion's thread owns it. Ownership: borrows both sandbox
// clients.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cli/demo/sandbox_client.hpp"
#include "common/result.hpp"
#include "store/state_store.hpp"

namespace mlc::cli::demo {

// The acumatica-to-shipstation-orders flow's binding source systems
// (flows/acumatica_shipstation/orders_recipe.hpp kOrderSystem and kShipmentSystem; demo_command.cpp
// asserts they match). Order keys are order type + number ("SO000021"); shipments' are
// ShipStation shipmentIds.
inline constexpr std::string_view kAcumaticaOrderBindingSystem = "acumatica";
inline constexpr std::string_view kAcumaticaShipmentBindingSystem = "shipstation-shipment";
// Sales orders one demo tracks, at most; past it the demo stops entering them.
inline constexpr std::size_t kAcumaticaOrdersTrackedMax = 10'000;

struct AcumaticaCounts {
    std::size_t created = 0;    // Sales orders entered in Acumatica.
    std::size_t landed = 0;     // ...in ShipStation (the flow's binding is confirmed).
    std::size_t cancelled = 0;  // Cancelled in Acumatica after landing.
    std::size_t labelled = 0;   // Labelled in ShipStation.
    std::size_t shipped = 0;    // Back in Acumatica: shipment confirmed with the tracking number.
    std::size_t fates_pending = 0;  // Landed orders whose cancel/label is still to come.
};

class AcumaticaTraffic {
  public:
    AcumaticaTraffic(SandboxClient& acumatica, SandboxClient& shipstation, std::uint64_t seed);

    // The demo catalog as Acumatica stock items (same SKUs as everywhere in the demo) and the
    // demo's Acumatica customers with their shipping addresses.
    Result<void> prepare();
    // `count` sales orders entered in Acumatica (Open: approved, not on hold). Returns how many
    // were created (kAcumaticaOrdersTrackedMax bounds the total).
    Result<std::size_t> create_orders(std::size_t count);
    // Plays the fate of up to `max_actions` landed orders (cancel or label), one step per order.
    Result<std::size_t> act(std::size_t max_actions);
    // Reads the flow's bindings: landed orders (with their ShipStation orderId) and labels back.
    Result<void> refresh(store::StateStore& store, const std::string& flow);

    AcumaticaCounts counts() const;
    // Order keys ("SO000021") not in ShipStation yet, for a failed final summary.
    std::vector<std::string> not_landed() const;

  private:
    enum class Fate { kStaysOpen, kShipped, kCancelled };
    struct Order {
        std::string key = {};  // "SO" + OrderNbr: the flow's source key.
        std::string nbr = {};  // OrderNbr.
        Fate fate = Fate::kStaysOpen;
        std::int64_t shipstation_id = 0;  // ShipStation orderId, once landed.
        bool cancelled = false;
        std::string shipment_id = {};  // ShipStation shipmentId, once labelled.
        bool shipped = false;          // The flow confirmed the Acumatica shipment.
    };
    Fate draw_fate();

    SandboxClient& acumatica_;
    SandboxClient& shipstation_;
    std::mt19937_64 rng_;
    std::vector<Order> orders_;
};

}  // namespace mlc::cli::demo

#pragma once
// UpsTraffic: the demo's Epicor -> UPS side of the business (issue 11). A distributor confirms
// sales orders in Epicor that ship via UPS Ground (ShipViaCode UPSG) to a one-time ship-to; the
// epicor-to-ups-shipments flow turns each release into a UPS shipment with its label, and UPS
// tracking comes back into Epicor as a CustShip. This class plays the people and the world:
//  * prepare(): net weights on the demo parts (Epicor control route POST parts), the distributor's
//    Epicor customer, the carrier status user fields on ShipHead and OrderRel (POST ud-fields),
//    and the ship-to addresses UPS knows (the UPS sandbox's GET state);
//  * create_orders(): confirmed sales orders entered through Epicor's REST API as an integration
//    user would (Erp.BO.SalesOrderSvc/UpdateExt: OrderHed with ShipViaCode UPSG and the one-time
//    ship-to, OrderDtl rows), one in kAmbiguousEvery to "200 OAK AVE" NEW YORK NY 10001, which
//    UPS cannot place without N or S: that order parks with the candidates;
//  * act(): the carrier's world, on the UPS sandbox's control routes: a shipped package gets its
//    origin scan (packages/<n>/advance: in transit) and kDeliverAfter later is delivered
//    (packages/<n>/deliver);
//  * refresh(): the flow's bindings (shipments per release, tracking per package) and open dead
//    letters, so the counts are what the flow did.
//
// Lifecycle: prepare() once, then any mix of create_orders(), act() and refresh().
// Thread safety: none; the demo companion's thread owns it. Ownership: borrows the sandbox
// clients, the transport and the clock.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cli/demo/sandbox_client.hpp"
#include "cli/demo/shipstation_traffic.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_transport.hpp"
#include "store/state_store.hpp"

namespace mlc::cli::demo {

// The epicor-to-ups-shipments flow's binding source systems (flows/epicor_ups/shipments_recipe
// kReleaseSystem and its tracking stream's; demo_command.cpp asserts the first). Release keys are
// "<OrderNum>-<OrderLine>-<OrderRelNum>"; packages' are UPS tracking numbers.
inline constexpr std::string_view kUpsReleaseBindingSystem = "epicor-release";
inline constexpr std::string_view kUpsPackageBindingSystem = "ups-package";
// The Epicor customer the demo's UPS orders are booked to (ships via UPSG by default).
inline constexpr std::string_view kUpsDemoCustomer = "DIST01";
inline constexpr std::string_view kUpsDemoShipVia = "UPSG";
// One order in this many ships to the ambiguous "200 OAK AVE" and parks.
inline constexpr std::size_t kAmbiguousEvery = 7;
// A package is delivered this long after its origin scan (the emulator's clock moves it).
inline constexpr std::chrono::seconds kDeliverAfter{30};
inline constexpr std::size_t kUpsOrdersTrackedMax = 10'000;

// What the demo says to Epicor's REST API (the ports file's epicor entry).
struct EpicorApi {
    std::string base_url = {};  // "http://127.0.0.1:PORT/EpicorERP"
    std::string company = {};
    std::string api_key = {};
    std::string username = {};
    std::string password = {};
};

struct UpsCounts {
    std::size_t created = 0;     // Confirmed Epicor orders shipping via UPSG.
    std::size_t ambiguous = 0;   // ...of them to the ambiguous address (meant to park).
    std::size_t shipped = 0;     // Every release has its UPS shipment (label in the folder).
    std::size_t tracked = 0;     // ...and every package's tracking is back in Epicor (CustShip).
    std::size_t in_transit = 0;  // Shipped orders with a package scanned, not all delivered.
    std::size_t delivered = 0;   // Shipped orders whose every package is delivered.
    std::size_t parked = 0;      // Orders with an open dead letter in the flow.
};

class UpsTraffic {
  public:
    struct Deps {
        SandboxClient& epicor;  // Control API: parts, customers.
        SandboxClient& ups;     // Control API: state, packages/<n>/advance|deliver.
        net::HttpTransport& transport;
        Clock& clock;
    };
    UpsTraffic(Deps deps, EpicorApi api, std::uint64_t seed);

    // Weights on the demo parts, the customer, UPS's address book; then waits (a few seconds at
    // most) until the clock passes `since`: the flow's start plus its overlap, so the flow reads
    // the demo's orders and never the sandbox's seeded ones.
    Result<void> prepare(UtcTime since);
    // `count` confirmed orders entered in Epicor; how many were created.
    Result<std::size_t> create_orders(std::size_t count);
    // Advances or delivers up to `max_actions` shipped packages; how many moved.
    Result<std::size_t> act(std::size_t max_actions);
    Result<void> refresh(store::StateStore& store, const std::string& flow);

    UpsCounts counts() const;
    const std::vector<OpenDeadLetter>& dead_letters() const { return dead_letters_; }
    // UPS packages (the sandbox's seeded ones aside) whose reference is no release of these
    // orders: ship_vias keeps every other Epicor order (the web orders) away from UPS, so 0.
    Result<std::size_t> foreign_packages();
    // Orders ("<OrderNum>") neither shipped nor parked, for a failed final summary.
    std::vector<std::string> not_shipped() const;

  private:
    struct Package {
        std::string release = {};   // "<OrderNum>-<line>-1": the flow's source key.
        std::string tracking = {};  // UPS tracking number, once shipped.
        bool tracked = false;       // The flow wrote it into Epicor.
        std::optional<SteadyTime> advanced_at = {};
        bool delivered = false;
    };
    struct Order {
        std::int64_t order_num = 0;
        bool ambiguous = false;
        bool parked = false;
        std::vector<Package> packages = {};
    };
    struct ShipTo {
        std::string line = {};
        std::string city = {};
        std::string state = {};
        std::string postal_code = {};
    };
    Result<void> read_address_book();
    Result<std::int64_t> enter_order(const ShipTo& to, const boost::json::array& lines);
    Result<bool> move_package(Package& package, SteadyTime now);

    Deps deps_;
    EpicorApi api_;
    std::mt19937_64 rng_;
    std::vector<ShipTo> addresses_;
    std::vector<Order> orders_;
    std::vector<OpenDeadLetter> dead_letters_;
};

}  // namespace mlc::cli::demo

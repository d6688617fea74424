#pragma once
// Sandbox views: what the ShipStation and Epicor emulators hold, read independently of the
// connectors under test (ShipStation through its raw V1 JSON, Epicor through the sandbox's
// `GET /__sandbox/state` table dump), so an end-to-end test compares the two systems as a person
// comparing both screens would.
//
//   * shipstation_orders(): every order (GET /orders, 500 a page), as orderKey, status, e-mail and
//     lines (sku, quantity, unit price);
//   * epicor_view(): every sales order that is not one of the emulator's seeded ones, grouped by
//     the source-key field (PONum): customer CustID, void/open flags, lines, tracking numbers.
//     More than one order under one key is a duplicate.
//
// Pure readers over a SandboxHost (no state of their own). They call the host directly, never
// through the flow's transport, so they add nothing to the flow's traffic counts; the ShipStation
// reads do count against the emulator's 40-a-minute window, so callers move the clock a minute on
// afterwards (advance_past_rate_window).

#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"
#include "sandbox/sandbox_host.hpp"

namespace mlc::flows::shipstation_epicor::e2e {

inline constexpr std::uint32_t kViewPagesMax = 2'000;  // 1,000,000 orders at 500 a page.

struct LineView {
    std::string part;  // ShipStation SKU; Epicor PartNum (the tests make them equal).
    Decimal quantity;
    Decimal unit_price;
    auto operator<=>(const LineView&) const = default;
    bool operator==(const LineView&) const = default;
};

struct ShipStationOrder {
    std::string id;
    std::string key;              // orderKey
    std::string status;           // orderStatus: awaiting_shipment, cancelled, ...
    std::string email;            // customerEmail (the seed's customerUsername is the same)
    std::string ship_to_name;     // shipTo.name
    std::vector<LineView> lines;  // Sorted.
};

// One Epicor sales order as a user would check it; the OrderNum is left out of the comparison.
struct EpicorOrder {
    std::int64_t order_num = 0;
    std::string cust_id;
    bool void_order = false;
    bool open_order = true;
    std::string ship_to_name;           // OTSName
    std::vector<LineView> lines;        // Sorted.
    std::vector<std::string> tracking;  // CustShip TrackingNumbers of the order, sorted.
    bool same_content(const EpicorOrder& other) const {
        return cust_id == other.cust_id && void_order == other.void_order &&
               open_order == other.open_order && ship_to_name == other.ship_to_name &&
               lines == other.lines && tracking == other.tracking;
    }
};

struct EpicorView {
    std::map<std::string, std::vector<EpicorOrder>> by_key;  // PONum -> orders under it
    std::size_t orders = 0;                                  // Not counting seeded ones.
    std::size_t lines = 0;
    std::vector<std::string> duplicated_keys;  // Keys with more than one order.
};

Result<std::vector<ShipStationOrder>> shipstation_orders(sandbox::SandboxHost& host);
// `baseline`: OrderNums present before the flow ran (the emulator's seeded orders).
Result<EpicorView> epicor_view(sandbox::SandboxHost& host,
                               const std::set<std::int64_t>& baseline = {});
Result<std::set<std::int64_t>> epicor_order_nums(sandbox::SandboxHost& host);
// orderKey -> tracking numbers of its labels that are not voided (GET /shipments), sorted.
Result<std::map<std::string, std::vector<std::string>>> shipstation_tracking(
    sandbox::SandboxHost& host);

}  // namespace mlc::flows::shipstation_epicor::e2e

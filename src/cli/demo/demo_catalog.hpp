#pragma once
// The demo's made-up business: a distributor's catalog (loaded into the Epicor sandbox as parts),
// its web-orders customer account, a few shoppers, and the ShipStation order JSON built from them.
// One SKU is sold in ShipStation but deliberately missing from Epicor, so the demo shows a dead
// letter whose message names the SKU and the mapping that fixes it.
//
// Pure functions over constant tables: no I/O, no clock (times are passed in). Thread safety:
// none needed.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"
#include "sandbox/catalog.hpp"

namespace mlc::cli::demo {

struct DemoProduct {
    std::string_view sku;  // ShipStation SKU = Epicor PartNum (exact match, no mapping needed).
    std::string_view name;
    std::string_view price;  // Exact decimal text: money is never a double.
};

// The Epicor CustID every web order is booked to (the flow's `customer` option): the per-store
// "web orders" account the issue describes.
inline constexpr std::string_view kWebOrdersCustomer = "WEB01";
// Sold in ShipStation, never created in Epicor: orders holding it are parked as dead letters. The
// sandboxes' shared catalog's unknown SKU, listed with its other deliberate misfits there.
inline constexpr std::string_view kUnknownSku = sandbox::catalog::kUnknownSku;
// Lines per generated order, at most (ShipStation accepts more; a demo needs no more).
inline constexpr std::size_t kDemoLinesMax = 3;

// The parts the demo creates in Epicor (every SKU except kUnknownSku).
const std::vector<DemoProduct>& demo_catalog();

// What one generated order holds, drawn by the traffic generator from its seeded RNG.
struct DemoOrderSpec {
    std::int64_t sequence = 0;  // 1, 2, ...: orderNumber DEMO-<run>-<sequence>
    std::string run_tag;        // Distinguishes demo runs: orderKeys never repeat across runs.
    std::uint64_t draw = 0;     // Random bits choosing shopper, products and quantities.
    bool unknown_sku = false;   // One line sells kUnknownSku.
    UtcTime ordered_at{};
};

// The orderKey (ShipStation's idempotency key, the flow's source key) of a spec.
std::string demo_order_key(const DemoOrderSpec& spec);

// A ShipStation createorder body (shipstation.md: orderNumber, orderKey, orderDate in Pacific
// local time, orderStatus, billTo/shipTo, items). Money values are exact-number markers
// (sandbox_client.hpp renders them as bare JSON numbers).
Result<boost::json::object> shipstation_order(const DemoOrderSpec& spec);

// A changed delivery address for an edit (the customer moved the parcel to their office).
boost::json::object edited_ship_to(const DemoOrderSpec& spec);

}  // namespace mlc::cli::demo

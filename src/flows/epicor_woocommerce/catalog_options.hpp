#pragma once
// CatalogOptions: the options and mapping tables of one "epicor-to-woocommerce-catalog" flow,
// parsed once from its FlowConfig (mlc.yaml `flows.<name>.options` / `mappings`). Pure: no I/O.
//
//   connections: {source: epicor-main, target: store}   # an epicor and a woocommerce connection
//   options:
//     parts: true              # Epicor parts -> Woo products (SKU = PartNum)
//     customers: true          # Epicor customers -> Woo customers (keyed by e-mail)
//     page_size: 500           # Epicor rows read per request ($top, 1..1000)
//     pages_per_run: 100       # Epicor pages one run reads per stream before it yields
//     changes: sysrevid        # sysrevid: rows whose SysRevID is past the cursor (Part has no
//                              #   change date, epicor-kinetic.md); full: every row every run,
//                              #   unchanged ones skipped by content hash
//     price_field: UnitPrice   # Part field holding the web price (a decimal)
//     stock_field: ""          # Part field carrying an on-hand quantity (a UD field such as
//                              #   OnHand_c). Empty (default): the fact sheet's Part has no
//                              #   on-hand quantity, so Woo does not manage stock and the stock
//                              #   status comes from InActive / NonStock.
//     currency: USD            # Store currency: prices are written with its minor digits
//   mappings:
//     countries: {"USA": "US"} # Epicor Country text -> Woo ISO 3166 alpha-2 code
//
// Value type; thread safety: none needed.

#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "engine/config.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kCatalogRecipe = "epicor-to-woocommerce-catalog";
// "clients use $top up to 1000" (epicor-kinetic.md, Answers).
inline constexpr std::uint32_t kEpicorPageSizeMax = 1000;
inline constexpr std::uint32_t kCatalogPagesPerRunMax = 10'000;  // 10,000,000 rows at the max.

enum class ChangeDetection { kSysRevId, kFullScan };

struct CatalogOptions {
    bool parts = true;
    bool customers = true;
    std::uint32_t page_size = 500;
    std::uint32_t pages_per_run = 100;
    ChangeDetection changes = ChangeDetection::kSysRevId;
    std::string price_field = "UnitPrice";
    std::string stock_field;  // Empty: no quantity; stock status from InActive / NonStock.
    std::string currency = "USD";
    engine::ScalarMap countries;  // Epicor Country -> ISO alpha-2, checked before built-ins.
};

// kConfig naming the flow, the option and the accepted values for anything not understood.
Result<CatalogOptions> parse_catalog_options(const engine::FlowConfig& flow);

}  // namespace mlc::flows::epicor_woocommerce

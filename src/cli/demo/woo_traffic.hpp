#pragma once
// WooTraffic: the demo's web store, driven through the WooCommerce sandbox's control API
// (src/sandbox/woocommerce/README.md: POST checkout, orders/{id}/status, orders/{id}/refund).
// Shoppers buy the demo catalog by SKU once the epicor-to-woocommerce-catalog flow has put it in
// the store; landed orders are then completed or partly refunded, which the woocommerce-to-epicor-
// orders flow hears through its signed webhooks. refresh() reads that flow's bindings.
//
// Lifecycle: built when the WooCommerce flows run; checkout(), act() and refresh() in any order.
// Thread safety: none; the demo companion's thread owns it. Ownership: borrows the client.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cli/demo/sandbox_client.hpp"
#include "common/result.hpp"
#include "store/state_store.hpp"

namespace mlc::cli::demo {

// The Woo orders flow's binding source system (flows/epicor_woocommerce/orders_recipe.hpp
// kWooOrderSystem; demo_command.cpp asserts they match). Keys are Woo order ids.
inline constexpr std::string_view kWooOrderBindingSystem = "woocommerce";
inline constexpr std::size_t kWooOrdersTrackedMax = 10'000;

struct WooCounts {
    std::size_t created = 0;
    std::size_t landed = 0;
    std::size_t completed = 0;
    std::size_t refunded = 0;
    bool catalog_in_store = false;  // A checkout found the demo's SKUs in the store.
};

class WooTraffic {
  public:
    WooTraffic(SandboxClient& woo, std::uint64_t seed);

    // One shopper's checkout. False (no error) while the store does not sell the demo's SKUs yet.
    Result<bool> checkout();
    // Completes or partly refunds up to `max_actions` landed orders, one step per order.
    Result<std::size_t> act(std::size_t max_actions);
    Result<void> refresh(store::StateStore& store, const std::string& flow);
    WooCounts counts() const;

  private:
    enum class Fate { kStaysProcessing, kCompleted, kRefunded };
    struct Order {
        std::int64_t id = 0;
        Fate fate = Fate::kStaysProcessing;
        bool landed = false;
        bool done = false;
    };

    SandboxClient& woo_;
    std::mt19937_64 rng_;
    std::vector<Order> orders_;
    bool catalog_in_store_ = false;
};

}  // namespace mlc::cli::demo

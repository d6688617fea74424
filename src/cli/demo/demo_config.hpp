#pragma once
// The configuration `mlc demo` writes to <data-dir>/mlc.yaml: one connection per running sandbox
// (base URL from the ports file, credentials as vault secret *names*), the flows this build has a
// recipe for, and the demo's state database in the data directory. The file is ordinary mlc.yaml,
// so a user can read it, `mlc config check` it and run it with `mlc run -c`.
//
// Pure: text in, text out. Thread safety: none needed.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace mlc::cli::demo {

inline constexpr const char* kShipStationOrdersRecipe = "shipstation-to-epicor-orders";
inline constexpr const char* kWooCatalogRecipe = "epicor-to-woocommerce-catalog";
inline constexpr const char* kWooOrdersRecipe = "woocommerce-to-epicor-orders";
inline constexpr const char* kWooShipStationRecipe = "woocommerce-to-shipstation-orders";
inline constexpr const char* kAcumaticaShipStationRecipe = "acumatica-to-shipstation-orders";
inline constexpr const char* kUpsShipmentsRecipe = "epicor-to-ups-shipments";
inline constexpr const char* kAmazonOrdersRecipe = "amazon-to-epicor-orders";
inline constexpr const char* kAmazonSettlementsRecipe = "amazon-settlements-to-epicor";
// The UPS flow's look-back on each poll. Every poll reads from its newest change minus this; the
// sandbox's seeded orders (stamped before ups_since) stay out when the demo's first order comes
// later than ups_since + this (UpsTraffic::prepare waits for it). Loopback and one clock: seconds
// are plenty, where a real tenant keeps the recipe's 10 minutes.
inline constexpr std::chrono::seconds kDemoUpsOverlap{3};
// The Acumatica sandbox's request queue starts delaying past half of its 200 a minute; the demo's
// flow spends a handful a run, so this only bounds a runaway.
inline constexpr int kDemoAcumaticaPerMinute = 90;
// UPS publishes no limit and the connection paces itself at 300 a minute; the demo's flow spends
// three requests a release (validate, look up, ship), so the sandbox gets more.
inline constexpr int kDemoUpsPerMinute = 3000;
// Sandbox requests to Epicor are local and cheap; a real tenant keeps the recipe's gentler default.
inline constexpr int kDemoEpicorPerMinute = 6000;

struct DemoConfigRequest {
    boost::json::object ports;  // The sandboxes' ports file: {system: {base_url, credentials}}.
    std::filesystem::path data_dir;  // Absolute: the state database lives there.
    std::uint16_t server_port = 8787;
    std::vector<std::string> recipes;  // Recipes this build registers (RecipeRegistry::names()).
    UtcTime orders_since{};            // Where the order flows start reading (the demo's start).
    // Where epicor-to-ups-shipments starts reading: after the Epicor sandbox seeded its orders
    // (stamped at start-up; a third of them ship via UPSG), so only the demo's orders ship.
    UtcTime ups_since{};
};

struct DemoConfig {
    std::string yaml;
    // Vault secret name -> value, from the ports file; stored before the daemon starts.
    std::map<std::string, std::string> secrets;
    std::vector<std::string> flows;  // Flow names, in the order written.
};

// kConfig when the ports file lacks a system or credential a flow needs.
Result<DemoConfig> make_demo_config(const DemoConfigRequest& request);

// Which flows the demo runs: shipstation-to-epicor-orders always (kConfig when this build lacks
// it), the WooCommerce recipes when this build registers them and a woocommerce sandbox runs,
// acumatica-to-shipstation-orders likewise with an acumatica sandbox, epicor-to-ups-shipments with
// a ups sandbox.
Result<std::vector<std::string>> demo_recipes(const std::vector<std::string>& registered,
                                              const boost::json::object& ports);

}  // namespace mlc::cli::demo

#include "cli/demo/demo_config.hpp"

#include <algorithm>
#include <sstream>

#include <boost/json.hpp>

#include "cli/demo/amazon_traffic.hpp"
#include "cli/demo/demo_catalog.hpp"
#include "common/time.hpp"

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

// Each flow runs at least this often; the demo also wakes the orders flow after it writes
// (as ShipStation's ORDER_NOTIFY would), so records move within seconds either way.
constexpr std::string_view kFlowEvery = "20s";
constexpr std::string_view kAmazonFlowEvery = "1m";
// The Amazon sandbox's seller SKUs: MLC-SKU-001 .. MLC-SKU-024.
constexpr std::size_t kAmazonSkus = 24;
constexpr std::chrono::days kLwaSecretLifetime{180};

std::string fmt_sku(std::size_t n) {
    const std::string digits = std::to_string(n);
    return "        \"MLC-SKU-" + std::string(3 - std::min<std::size_t>(3, digits.size()), '0') +
           digits + "\"";
}

Result<std::string> field(const json::object& ports, std::string_view system,
                          std::string_view name) {
    const auto* entry = ports.if_contains(system);
    const auto* value =
        entry != nullptr && entry->is_object() ? entry->get_object().if_contains(name) : nullptr;
    if (value == nullptr || !value->is_string() || value->get_string().empty()) {
        return make_error(ErrorCode::kConfig, "demo",
                          "the " + std::string(system) + " sandbox did not report its " +
                              std::string(name) + " (ports file)");
    }
    return std::string(value->get_string());
}

// YAML double-quoted scalar: sandbox URLs and ISO times need no escapes, but quote anyway.
std::string yaml_quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Secrets {
    std::map<std::string, std::string>& values;
    std::ostringstream& yaml;
    // Writes `role: <vault name>` and remembers the value to store under that name.
    void add(std::string_view role, std::string name, std::string value) {
        yaml << "      " << role << ": " << name << "\n";
        values[std::move(name)] = std::move(value);
    }
};

Result<void> shipstation_connection(const json::object& ports, Secrets secrets) {
    MLC_TRY(const std::string base_url, field(ports, "shipstation", "base_url"));
    MLC_TRY(std::string key, field(ports, "shipstation", "api_key"));
    MLC_TRY(std::string secret, field(ports, "shipstation", "api_secret"));
    secrets.yaml << "  shipstation:\n"
                 << "    system: shipstation\n"
                 << "    base_url: " << yaml_quoted(base_url) << "\n"
                 << "    options:\n"
                 << "      auth: basic\n"
                 << "      rate_per_minute: 40   # ShipStation V1: 40 requests a minute per key\n"
                 << "    secrets:\n";
    secrets.add("api_key", "demo_shipstation_api_key", std::move(key));
    secrets.add("api_secret", "demo_shipstation_api_secret", std::move(secret));
    return ok();
}

Result<void> epicor_connection(const json::object& ports, Secrets secrets) {
    MLC_TRY(const std::string base_url, field(ports, "epicor", "base_url"));
    MLC_TRY(const std::string company, field(ports, "epicor", "company"));
    MLC_TRY(std::string key, field(ports, "epicor", "api_key"));
    MLC_TRY(std::string user, field(ports, "epicor", "username"));
    MLC_TRY(std::string password, field(ports, "epicor", "password"));
    secrets.yaml << "  epicor:\n"
                 << "    system: epicor\n"
                 << "    base_url: " << yaml_quoted(base_url) << "\n"
                 << "    options:\n"
                 << "      company: " << company << "\n"
                 << "      auth: basic\n"
                 << "      rate_per_minute: " << kDemoEpicorPerMinute
                 << "   # the sandbox; a shared real tenant wants far less\n"
                 << "    secrets:\n";
    secrets.add("api_key", "demo_epicor_api_key", std::move(key));
    secrets.add("username", "demo_epicor_username", std::move(user));
    secrets.add("password", "demo_epicor_password", std::move(password));
    return ok();
}

Result<void> woocommerce_connection(const json::object& ports, Secrets secrets) {
    // The site root (woocommerce_connection.hpp); the client adds /wp-json/wc/v3 itself.
    MLC_TRY(const std::string base_url, field(ports, "woocommerce", "site_url"));
    MLC_TRY(std::string key, field(ports, "woocommerce", "consumer_key"));
    MLC_TRY(std::string secret, field(ports, "woocommerce", "consumer_secret"));
    secrets.yaml << "  woocommerce:\n"
                 << "    system: woocommerce\n"
                 << "    base_url: " << yaml_quoted(base_url) << "\n"
                 << "    secrets:\n";
    secrets.add("consumer_key", "demo_woocommerce_consumer_key", std::move(key));
    secrets.add("consumer_secret", "demo_woocommerce_consumer_secret", std::move(secret));
    return ok();
}

Result<void> acumatica_connection(const json::object& ports, Secrets secrets) {
    MLC_TRY(const std::string base_url, field(ports, "acumatica", "base_url"));
    MLC_TRY(const std::string user, field(ports, "acumatica", "name"));
    MLC_TRY(const std::string tenant, field(ports, "acumatica", "tenant"));
    MLC_TRY(std::string password, field(ports, "acumatica", "password"));
    secrets.yaml << "  acumatica:\n"
                 << "    system: acumatica\n"
                 << "    base_url: " << yaml_quoted(base_url) << "\n"
                 << "    options:\n"
                 << "      user: " << yaml_quoted(user) << "\n"
                 << "      tenant: " << yaml_quoted(tenant) << "\n"
                 << "      rate_per_minute: " << kDemoAcumaticaPerMinute
                 << "   # below the licence's request queue\n"
                 << "    secrets:\n";
    secrets.add("password", "demo_acumatica_password", std::move(password));
    return ok();
}

// The demo warehouse ships from the address the UPS sandbox's Address Validation always knows
// (src/sandbox/ups/README.md), as flows/testing/sandboxes.cpp add_ups_shipper does.
Result<void> ups_connection(const json::object& ports, Secrets secrets) {
    MLC_TRY(const std::string base_url, field(ports, "ups", "base_url"));
    MLC_TRY(const std::string account, field(ports, "ups", "account_number"));
    MLC_TRY(std::string client_id, field(ports, "ups", "client_id"));
    MLC_TRY(std::string client_secret, field(ports, "ups", "client_secret"));
    secrets.yaml << "  ups:\n"
                 << "    system: ups\n"
                 << "    base_url: " << yaml_quoted(base_url) << "\n"
                 << "    options:\n"
                 << "      account_number: " << yaml_quoted(account) << "\n"
                 << "      shipper_name: \"MLC DEMO WAREHOUSE\"\n"
                 << "      shipper_phone: \"2135550100\"\n"
                 << "      shipper_street1: \"100 MAIN ST\"\n"
                 << "      shipper_city: \"LOS ANGELES\"\n"
                 << "      shipper_state: CA\n"
                 << "      shipper_postal_code: \"90012\"\n"
                 << "      shipper_country: US\n"
                 << "      rate_per_minute: " << kDemoUpsPerMinute
                 << "   # the sandbox; a real account keeps the gentler default\n"
                 << "    secrets:\n";
    secrets.add("client_id", "demo_ups_client_id", std::move(client_id));
    secrets.add("client_secret", "demo_ups_client_secret", std::move(client_secret));
    return ok();
}

// The seller's LWA app (secrets from the ports file) on the sandbox's North America host.
Result<void> amazon_connection(const json::object& ports, UtcTime now, Secrets secrets) {
    MLC_TRY(const std::string base_url, field(ports, "amazon", "base_url"));
    MLC_TRY(const std::string token_url, field(ports, "amazon", "lwa_token_url"));
    MLC_TRY(const std::string marketplace, field(ports, "amazon", "marketplace_id"));
    MLC_TRY(std::string client_id, field(ports, "amazon", "client_id"));
    MLC_TRY(std::string client_secret, field(ports, "amazon", "client_secret"));
    MLC_TRY(std::string refresh_token, field(ports, "amazon", "refresh_token"));
    secrets.yaml << "  amazon:\n"
                 << "    system: amazon\n"
                 << "    base_url: " << yaml_quoted(base_url) << "\n"
                 << "    options:\n"
                 << "      lwa_token_url: " << yaml_quoted(token_url) << "\n"
                 << "      marketplace_ids: " << marketplace << "\n"
                 << "      client_secret_rotate_by: "
                 << format_iso8601(now + kLwaSecretLifetime).substr(0, 10)
                 << "   # the sandbox made the LWA secret now; Amazon's last 180 days\n"
                 << "    secrets:\n";
    secrets.add("client_id", "demo_amazon_client_id", std::move(client_id));
    secrets.add("client_secret", "demo_amazon_client_secret", std::move(client_secret));
    secrets.add("refresh_token", "demo_amazon_refresh_token", std::move(refresh_token));
    return ok();
}

void flow(std::ostringstream& yaml, std::string_view recipe, std::string_view source,
          std::string_view target, std::string_view every = kFlowEvery) {
    yaml << "  " << recipe << ":\n"
         << "    recipe: " << recipe << "\n"
         << "    connections:\n"
         << "      source: " << source << "\n"
         << "      target: " << target << "\n"
         << "    schedule:\n"
         << "      every: " << every << "\n"
         << "      jitter: 10%\n"
         << "    enabled: true\n";
}

// Epicor orders confirmed to ship via UPS Ground -> UPS shipments, labels in the data dir, UPS
// tracking back into Epicor as a CustShip.
void ups_flow(std::ostringstream& yaml, const DemoConfigRequest& request) {
    flow(yaml, kUpsShipmentsRecipe, "epicor", "ups");
    yaml << "    options:\n"
         << "      start: " << yaml_quoted(format_iso8601(request.ups_since))
         << "   # the sandbox's seeded orders are not shipped\n"
         << "      overlap: " << kDemoUpsOverlap.count()
         << "s   # the sandbox; a real tenant keeps 10m\n"
         << "      ship_vias: UPSG   # only orders shipping via UPS Ground; the web orders are "
            "ShipStation's\n"
         << "      labels_dir: " << yaml_quoted((request.data_dir / "labels").string())
         << "   # mlc labels get ORDER reprints one\n"
         << "    mappings:\n"
         << "      services:\n"
         << "        UPSG: \"03\"   # Epicor ShipVia -> UPS Ground\n";
}

// Amazon orders into Epicor on the marketplace's customer, the emulator's SKUs (MLC-SKU-001..024)
// mapped onto the demo catalog's parts; settlements posted as GL journals over the built-in US
// account table. Both read only what came after the demo started (the seeded history stays out).
// searchOrders refills one call per 179 s after a burst of 20, getReports one per 45 s after 10:
// a minute's schedule (and the demo's wake-ups when orders become readable) stays near them.
void amazon_orders_flow(std::ostringstream& yaml, const DemoConfigRequest& request) {
    flow(yaml, kAmazonOrdersRecipe, "amazon", "epicor", kAmazonFlowEvery);
    const json::value* marketplace =
        request.ports.at("amazon").as_object().if_contains("marketplace_id");
    yaml << "    options:\n"
         << "      start: " << yaml_quoted(format_iso8601(request.orders_since))
         << "   # the sandbox's seeded orders are not replayed\n"
         << "      confirm_shipments: true   # packs shipped in Epicor -> confirmShipment\n"
         << "    mappings:\n"
         << "      carriers: {UPSG: UPS}   # Epicor Ship Via -> Amazon carrierCode\n"
         << "      customers:   # marketplace -> Epicor customer\n"
         << "        "
         << (marketplace != nullptr && marketplace->is_string()
                 ? std::string(marketplace->get_string())
                 : std::string("ATVPDKIKX0DER"))
         << ": " << kAmazonCustomer << "\n"
         << "      parts:   # seller SKU -> Epicor PartNum\n";
    const auto& catalog = demo_catalog();
    for (std::size_t i = 1; i <= kAmazonSkus; ++i) {
        yaml << fmt_sku(i) << ": " << catalog[(i - 1) % catalog.size()].sku << "\n";
    }
}

void amazon_settlements_flow(std::ostringstream& yaml, const DemoConfigRequest& request) {
    flow(yaml, kAmazonSettlementsRecipe, "amazon", "epicor", kAmazonFlowEvery);
    yaml << "    options:\n"
         << "      start: " << yaml_quoted(format_iso8601(request.orders_since))
         << "   # the sandbox's seeded settlements are not posted\n"
         << "      clearing_account: \"1050\"   # the deposit; GL accounts: the built-in US "
            "table\n";
}

// The connections the chosen flows use (ShipStation and Epicor always).
Result<void> connections(const DemoConfigRequest& request, const std::vector<std::string>& flows,
                         Secrets secrets) {
    const auto runs = [&](std::string_view recipe) {
        return std::find(flows.begin(), flows.end(), recipe) != flows.end();
    };
    MLC_CHECK(shipstation_connection(request.ports, secrets));
    MLC_CHECK(epicor_connection(request.ports, secrets));
    if (runs(kWooOrdersRecipe) || runs(kWooCatalogRecipe)) {
        MLC_CHECK(woocommerce_connection(request.ports, secrets));
    }
    if (runs(kAcumaticaShipStationRecipe)) {
        MLC_CHECK(acumatica_connection(request.ports, secrets));
    }
    if (runs(kUpsShipmentsRecipe)) {
        MLC_CHECK(ups_connection(request.ports, secrets));
    }
    if (runs(kAmazonOrdersRecipe) || runs(kAmazonSettlementsRecipe)) {
        MLC_CHECK(amazon_connection(request.ports, request.orders_since, secrets));
    }
    return ok();
}

}  // namespace

Result<std::vector<std::string>> demo_recipes(const std::vector<std::string>& registered,
                                              const json::object& ports) {
    const auto has = [&](std::string_view recipe) {
        return std::find(registered.begin(), registered.end(), recipe) != registered.end();
    };
    if (!has(kShipStationOrdersRecipe)) {
        return make_error(ErrorCode::kConfig, "demo",
                          std::string("this mlc was built without the ") +
                              kShipStationOrdersRecipe +
                              " recipe (its connectors were missing at build time)");
    }
    std::vector<std::string> out = {kShipStationOrdersRecipe};
    if (ports.contains("woocommerce")) {
        for (const char* recipe : {kWooCatalogRecipe, kWooOrdersRecipe, kWooShipStationRecipe}) {
            if (has(recipe)) out.emplace_back(recipe);
        }
    }
    if (ports.contains("acumatica") && has(kAcumaticaShipStationRecipe)) {
        out.emplace_back(kAcumaticaShipStationRecipe);
    }
    if (ports.contains("ups") && has(kUpsShipmentsRecipe)) out.emplace_back(kUpsShipmentsRecipe);
    if (ports.contains("amazon")) {
        for (const char* recipe : {kAmazonOrdersRecipe, kAmazonSettlementsRecipe}) {
            if (has(recipe)) out.emplace_back(recipe);
        }
    }
    return out;
}

Result<DemoConfig> make_demo_config(const DemoConfigRequest& request) {
    DemoConfig out;
    MLC_TRY(out.flows, demo_recipes(request.recipes, request.ports));
    std::ostringstream yaml;
    yaml << "# Written by `mlc demo` for the sandboxes it started; rewritten on every demo run.\n"
         << "# The sandboxes' credentials are in the vault under the names below (never here).\n"
         << "# Reuse it while the sandboxes run: mlc --data-dir " << request.data_dir.string()
         << " -c " << (request.data_dir / "mlc.yaml").string() << " status\n"
         << "version: 1\n\n"
         << "store:\n"
         << "  path: " << yaml_quoted((request.data_dir / "demo-state.db").string()) << "\n\n"
         << "server:\n"
         << "  address: 127.0.0.1\n"
         << "  port: " << request.server_port << "\n\n"
         << "log:\n"
         << "  format: text\n"
         << "  level: warn   # the demo prints its own summary; --log-level info shows each run\n\n"
         << "alerts:\n"
         << "  check_every: 10s   # a real daemon looks every minute\n"
         << "  dead_letters_max: 0   # the demo's unknown SKU raises an alert (acknowledge it in "
            "the console); a real one keeps 25\n\n"
         << "connections:\n";
    MLC_CHECK(connections(request, out.flows, Secrets{out.secrets, yaml}));
    yaml << "\nflows:\n";
    flow(yaml, kShipStationOrdersRecipe, "shipstation", "epicor");
    yaml << "    options:\n"
         << "      customer: " << kWebOrdersCustomer << "   # every web order on one account\n"
         << "      start: " << yaml_quoted(format_iso8601(request.orders_since))
         << "   # the sandbox's seeded history is not replayed\n";
    for (const auto& name : out.flows) {
        if (name == kWooCatalogRecipe) flow(yaml, name, "epicor", "woocommerce");
        if (name == kWooShipStationRecipe) {
            // Store orders out to ShipStation for fulfilment, labels back as tracking notes. Their
            // own orderKey prefix keeps them apart from the woo-orders flow's WOO- keys in Epicor
            // (the shipstation flow then brings them into Epicor too: Woo -> ShipStation -> ERP).
            flow(yaml, name, "woocommerce", "shipstation");
            yaml << "    options:\n"
                 << "      order_key_prefix: WEB-\n"
                 << "      start: " << yaml_quoted(format_iso8601(request.orders_since)) << "\n";
        }
        if (name == kAcumaticaShipStationRecipe) {
            // Acumatica sales orders out to ShipStation (orderKey SO<number>), labels back as
            // confirmed Acumatica shipments with the tracking number.
            flow(yaml, name, "acumatica", "shipstation");
            yaml << "    options:\n"
                 << "      start: " << yaml_quoted(format_iso8601(request.orders_since))
                 << "   # the sandbox's seeded orders are not sent\n";
        }
        if (name == kUpsShipmentsRecipe) ups_flow(yaml, request);
        if (name == kAmazonOrdersRecipe) amazon_orders_flow(yaml, request);
        if (name == kAmazonSettlementsRecipe) amazon_settlements_flow(yaml, request);
        if (name != kWooOrdersRecipe) continue;
        flow(yaml, name, "woocommerce", "epicor");
        yaml << "    options:\n"
             << "      customer: " << kWebOrdersCustomer << "\n"
             << "      start: " << yaml_quoted(format_iso8601(request.orders_since)) << "\n";
    }
    out.yaml = yaml.str();
    return out;
}

}  // namespace mlc::cli::demo

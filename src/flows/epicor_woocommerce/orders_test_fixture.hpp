#pragma once
// Test fixture of "woocommerce-to-epicor-orders": the WooCommerce and Epicor emulators in process
// (InProcessTransport), the SQLite store in a fresh temporary directory, a ManualClock, both real
// clients, and the webhook intake (net::WebhookIntake) mounted at kPublicBase so the emulator's
// signed deliveries reach the flow's inbox exactly as they would over HTTP.
//
// Test-only. Lifecycle: one per test. Thread safety: the test's thread, plus whatever thread an
// emulator tick delivers from (the intake and store are thread-safe).

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/credential_headers.hpp"
#include "auth/testing/fake_vault.hpp"
#include "auth/token_manager.hpp"
#include "common/time.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "engine/webhooks.hpp"
#include "flows/epicor_woocommerce/orders_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "flows/testing/test_store.hpp"
#include "net/router.hpp"
#include "net/webhook_intake.hpp"
#include "pipeline/webhooks.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "sandbox/woocommerce/woocommerce_emulator.hpp"

namespace mlc::flows::epicor_woocommerce::testing {

namespace json = boost::json;

inline constexpr std::string_view kPublicBase = "http://mlc.test";
inline constexpr std::string_view kFlow = "woo-orders";
inline constexpr std::string_view kWebCustomer = "WEB01";
// The shared catalog's unknown SKU: a Woo product the fixture adds, never an Epicor part. Every
// seeded Woo product is an Epicor part (sandbox/catalog.hpp).
inline constexpr std::string_view kMissingSku = sandbox::catalog::kUnknownSku;
inline constexpr std::size_t kWooProducts = 20;  // The emulator seeds at least 20 products.
inline constexpr std::chrono::seconds kDeliveryWait{31};  // Past kDeliveryDelayMax.

// mkdtemp'd directory, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "mlc-woo-orders-XXXXXX").string();
        char* made = mkdtemp(pattern.data());
        EXPECT_NE(made, nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// A delivery as the intake received it (for forging, replaying and re-encoding in tests).
struct SeenDelivery {
    net::HttpRequest request;
    int status = 0;
};

class WooOrdersFixture {
  public:
    // `store`: SQLite in the temporary directory (store_path_), or PostgreSQL in a schema of its
    // own; nothing is built when that store is unavailable here (the test skips in its SetUp).
    explicit WooOrdersFixture(std::size_t volume = 40,
                              flows::testing::StoreKind store = flows::testing::StoreKind::sqlite)
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 7, .volume = volume}) {
        if (!flows::testing::store_unavailable(store).empty()) return;
        flows::testing::serve_sandboxes(host_, transport_, {"woocommerce", "epicor"});
        const json::object ports = host_.ports();
        woo_info_ = ports.at("woocommerce").as_object();
        epicor_info_ = ports.at("epicor").as_object();
        (void)vault_.put("woo.key", std::string(woo_info_.at("consumer_key").as_string()));
        (void)vault_.put("woo.secret", std::string(woo_info_.at("consumer_secret").as_string()));
        (void)vault_.put("ep.key", std::string(epicor_info_.at("api_key").as_string()));
        (void)vault_.put("ep.password", std::string(epicor_info_.at("password").as_string()));
        store_path_ = dir_.path() + "/state.db";
        auto opened = flows::testing::TestStore::open(store, store_path_);
        EXPECT_TRUE(opened) << opened.error().describe();
        store_ = std::move(*opened);
        build_clients();
        intake_ = std::make_unique<net::WebhookIntake>(net::WebhookIntakeDeps{
            .store = *store_,
            .clock = clock_,
            .secrets = pipeline::webhook_secrets(&vault_),
            .channels = {{connectors::woocommerce::kWebhookSource,
                          std::make_shared<connectors::woocommerce::WooWebhookChannel>()}},
            .notify = {},
            .metrics = nullptr,
            .logger = log_});
        intake_->mount(router_);
        transport_.add_route(std::string(kPublicBase), [this](const net::HttpRequest& request) {
            if (receiver_down_.load()) {
                net::HttpResponse down;
                down.status = 503;
                return down;
            }
            net::HttpResponse response = router_.handle(request);
            std::lock_guard lock(seen_mutex_);
            seen_.push_back(SeenDelivery{.request = request, .status = response.status});
            return response;
        });
        seed_epicor();
        // Seeded Woo history ends now: the flow starts here, and the first checkout is later.
        options_.start = clock_.now();
        options_.fixed_customer = std::string(kWebCustomer);
        clock_.advance(std::chrono::seconds{5});
    }

    void build_clients() {
        connectors::woocommerce::WooCommerceClientConfig woo_config;
        woo_config.name = "woo";
        woo_config.base_url = std::string(woo_info_.at("site_url").as_string());
        woo_config.consumer_key_secret = "woo.key";
        woo_config.consumer_secret_secret = "woo.secret";
        woo_ = std::make_unique<connectors::woocommerce::WooCommerceClient>(
            woo_config, connectors::woocommerce::WooCommerceDependencies{.transport = transport_,
                                                                         .clock = clock_,
                                                                         .limiters = limiters_,
                                                                         .vault = vault_,
                                                                         .seed = 1,
                                                                         .logger = log_,
                                                                         .observer = nullptr});
        auth::TokenManagerOptions manager;
        manager.connection = "ep";
        manager.system = "epicor";
        auth::CredentialHeaders headers;
        headers.api_key("x-api-key", "ep.key")
            .basic(std::string(epicor_info_.at("username").as_string()), "ep.password");
        credentials_ = std::make_unique<auth::TokenManager>(
            std::move(manager), nullptr, std::move(headers), clock_, *store_, vault_);
        connectors::epicor::EpicorClientConfig config;
        config.connection = "ep";
        config.base_url = std::string(epicor_info_.at("base_url").as_string());
        config.company = std::string(epicor_info_.at("company").as_string());
        config.source_key_field = "PONum";
        config.customer_lookup_field = "EMailAddress";
        epicor_ = std::make_unique<connectors::epicor::EpicorClient>(
            std::move(config), connectors::epicor::EpicorClientDeps{.transport = transport_,
                                                                    .clock = clock_,
                                                                    .limiters = limiters_,
                                                                    .credentials = *credentials_,
                                                                    .observer = nullptr});
    }

    std::unique_ptr<engine::FlowRunner> runner(std::string public_base = std::string(kPublicBase)) {
        return make_woo_orders_flow(options_,
                                    WooOrdersWiring{.woo = *woo_,
                                                    .epicor = *epicor_,
                                                    .vault = &vault_,
                                                    .public_base_url = std::move(public_base),
                                                    .keep_alive = nullptr});
    }

    engine::RunContext context() {
        return engine::RunContext{.clock = clock_,
                                  .store = *store_,
                                  .log = *log_,
                                  .stop_requested = stop_,
                                  .flow = std::string(kFlow),
                                  .dry_run = false,
                                  .attempt = 1,
                                  .renew = {}};
    }
    Result<engine::RunSummary> run(engine::FlowRunner& flow) {
        return flows::testing::run_once(flow, clock_, *store_, *log_, std::string(kFlow));
    }

    net::HttpResponse control(const std::string& system, std::string method, std::string route,
                              std::string body = {}) {
        return flows::testing::control(host_, system, std::move(method), std::move(route),
                                       std::move(body));
    }

    // The SKU of the i-th (0-based, below kWooProducts - 1) seeded Woo product Epicor accepts:
    // the catalog's parts P10001, P10002, P10004, ... (the inactive P10003 left out).
    static std::string sku(std::size_t i) {
        const std::size_t part = i + 1;
        return sandbox::catalog::part_number(part < sandbox::catalog::kInactivePart ? part
                                                                                    : part + 1);
    }

    // Epicor has every seeded Woo SKU (the shared catalog's parts); kMissingSku is sold in Woo
    // only. One web customer.
    void seed_epicor() {
        const auto product = woo_api("POST", "products",
                                     json::object{{"name", "Wall Bracket 8in (discontinued)"},
                                                  {"sku", kMissingSku},
                                                  {"regular_price", "17.80"}});
        EXPECT_EQ(product.status, 201) << product.body;
        add_customer(std::string(kWebCustomer), "web-orders@example.com");
    }
    // A request to the Woo sandbox's REST API (wc/v3), authenticated.
    net::HttpResponse woo_api(std::string method, const std::string& route,
                              const json::object& body = {}) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url =
            "/wp-json/wc/v3/" + route +
            "?consumer_key=" + std::string(woo_info_.at("consumer_key").as_string()) +
            "&consumer_secret=" + std::string(woo_info_.at("consumer_secret").as_string());
        request.headers = {{"Content-Type", "application/json"}};
        request.body = json::serialize(body);
        return host_.handle("woocommerce", request);
    }
    // A Woo customer Epicor has no customer for; returns the Woo customer id.
    std::int64_t add_woo_customer(const std::string& email) {
        const json::object billing{{"first_name", "New"}, {"email", email}, {"country", "US"}};
        const auto answer =
            woo_api("POST", "customers",
                    json::object{{"email", email}, {"first_name", "New"}, {"billing", billing}});
        EXPECT_EQ(answer.status, 201) << answer.body;
        if (answer.status != 201) return 0;
        return json::parse(answer.body).as_object().at("id").to_number<std::int64_t>();
    }
    void add_part(const std::string& part_num) {
        const auto answer = flows::testing::add_epicor_part(host_, part_num);
        EXPECT_LT(answer.status, 300) << answer.body;
    }
    void add_customer(const std::string& cust_id, const std::string& email) {
        const auto answer = control("epicor", "POST", "customers",
                                    json::serialize(json::object{{"CustID", cust_id},
                                                                 {"Name", "Customer " + cust_id},
                                                                 {"EMailAddress", email},
                                                                 {"CurrencyCode", "USD"}}));
        EXPECT_LT(answer.status, 300) << answer.body;
    }

    // A shopper's checkout (order.created + order.updated); returns the Woo order id.
    std::int64_t checkout(std::vector<std::pair<std::string, int>> lines,
                          std::int64_t customer_id = 1) {
        json::array items;
        for (const auto& [sku, quantity] : lines) {
            items.push_back(json::object{{"sku", sku}, {"quantity", quantity}});
        }
        const auto answer =
            control("woocommerce", "POST", "checkout",
                    json::serialize(json::object{{"customer_id", customer_id}, {"lines", items}}));
        EXPECT_EQ(answer.status, 201) << answer.body;
        if (answer.status != 201) return 0;
        return json::parse(answer.body).as_object().at("id").to_number<std::int64_t>();
    }
    net::HttpResponse woo_control(const std::string& route, json::object body) {
        clock_.advance(std::chrono::seconds{1});  // A later date_modified for each change.
        return control("woocommerce", "POST", route, json::serialize(body));
    }
    // Lets every queued delivery fall due and delivers it.
    void deliver_all() {
        clock_.advance(kDeliveryWait);
        host_.tick_all();
    }
    json::object woo_state() {
        return json::parse(control("woocommerce", "GET", "state").body).as_object();
    }

    // Epicor sales orders: PONum -> OrderNums (more than one is a duplicate).
    std::map<std::string, std::vector<std::int64_t>> epicor_orders() {
        auto rows = epicor_->list_rows("Erp.BO.SalesOrderSvc", "SalesOrders",
                                       {.select = {"OrderNum", "PONum"}});
        EXPECT_TRUE(rows) << rows.error().describe();
        std::map<std::string, std::vector<std::int64_t>> out;
        if (!rows) return out;
        for (const auto& row : *rows) {
            const std::string po(row.at("PONum").as_string());
            if (!po.starts_with("WOO-")) continue;  // Seeded Epicor orders.
            out[po].push_back(row.at("OrderNum").to_number<std::int64_t>());
        }
        return out;
    }
    std::vector<json::object> ud01_rows() {
        auto rows = epicor_->list_rows("Ice.BO.UD01Svc", "UD01s", {});
        EXPECT_TRUE(rows) << rows.error().describe();
        return rows ? *rows : std::vector<json::object>{};
    }
    std::vector<SeenDelivery> seen() {
        std::lock_guard lock(seen_mutex_);
        return seen_;
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    json::object woo_info_;
    json::object epicor_info_;
    TempDir dir_;
    std::string store_path_;
    auth::testing::FakeVault vault_;
    flows::testing::TestStore store_;
    net::RateLimiterRegistry limiters_;
    std::unique_ptr<connectors::woocommerce::WooCommerceClient> woo_;
    std::unique_ptr<auth::TokenManager> credentials_;
    std::unique_ptr<connectors::epicor::EpicorClient> epicor_;
    net::Router router_;
    std::unique_ptr<net::WebhookIntake> intake_;
    std::atomic<bool> receiver_down_{false};
    std::mutex seen_mutex_;
    std::vector<SeenDelivery> seen_;
    WooOrdersOptions options_;
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    std::atomic<bool> stop_{false};
};

}  // namespace mlc::flows::epicor_woocommerce::testing

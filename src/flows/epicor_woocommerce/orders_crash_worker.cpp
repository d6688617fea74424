// mlc_woo_orders_worker: a test helper process for orders_crash_test.cpp. It processes the inbox
// of one "woocommerce-to-epicor-orders" flow once (one run: inbox, then poll) against the
// WooCommerce and Epicor emulators the test serves over HTTP, on the test's SQLite file, and
// exits 0 when the inbox is drained (1 on an error). The test SIGKILLs it at random points and
// starts it again, proving that nothing is lost or duplicated.
//
// Arguments (all required, `--name value`): --store --flow --now (ISO UTC: the worker's
// ManualClock, so inbox leases of a killed worker can be expired by starting the next one later)
// --woo --woo-key --woo-secret --epicor --company --api-key --user --password --customer.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <iostream>
#include <map>
#include <string>

#include "auth/credential_headers.hpp"
#include "auth/testing/fake_vault.hpp"
#include "auth/token_manager.hpp"
#include "common/time.hpp"
#include "flows/epicor_woocommerce/orders_recipe.hpp"
#include "net/curl_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace {

using namespace mlc;
namespace ew = flows::epicor_woocommerce;

constexpr int kArgsMax = 64;

int fail(const std::string& what, const Error& error) {
    std::cerr << "mlc_woo_orders_worker: " << what << ": " << error.describe() << "\n";
    return 1;
}

int run(const std::map<std::string, std::string>& args) {
    const auto arg = [&](const std::string& name) {
        auto it = args.find(name);
        return it == args.end() ? std::string() : it->second;
    };
    auto now = parse_iso8601(arg("now"));
    if (!now) return fail("--now", now.error());
    ManualClock clock(*now);
    auto store = store::SqliteStateStore::open(arg("store"));
    if (!store) return fail("store", store.error());
    auth::testing::FakeVault vault;
    (void)vault.put("woo.key", arg("woo-key"));
    (void)vault.put("woo.secret", arg("woo-secret"));
    (void)vault.put("ep.key", arg("api-key"));
    (void)vault.put("ep.password", arg("password"));
    net::CurlTransport transport;
    net::RateLimiterRegistry limiters;
    auto log =
        std::make_shared<spdlog::logger>("worker", std::make_shared<spdlog::sinks::null_sink_mt>());

    connectors::woocommerce::WooCommerceClientConfig woo_config;
    woo_config.name = "woo";
    woo_config.base_url = arg("woo");
    woo_config.consumer_key_secret = "woo.key";
    woo_config.consumer_secret_secret = "woo.secret";
    connectors::woocommerce::WooCommerceClient woo(woo_config, {.transport = transport,
                                                                .clock = clock,
                                                                .limiters = limiters,
                                                                .vault = vault,
                                                                .seed = 1,
                                                                .logger = log,
                                                                .observer = nullptr});
    auth::TokenManagerOptions manager;
    manager.connection = "ep";
    manager.system = "epicor";
    auth::CredentialHeaders headers;
    headers.api_key("x-api-key", "ep.key").basic(arg("user"), "ep.password");
    auth::TokenManager credentials(std::move(manager), nullptr, std::move(headers), clock, **store,
                                   vault);
    connectors::epicor::EpicorClientConfig config;
    config.connection = "ep";
    config.base_url = arg("epicor");
    config.company = arg("company");
    connectors::epicor::EpicorClient epicor(std::move(config), {.transport = transport,
                                                                .clock = clock,
                                                                .limiters = limiters,
                                                                .credentials = credentials,
                                                                .observer = nullptr});
    ew::WooOrdersOptions options;
    options.fixed_customer = arg("customer");
    // The crash test proves the inbox path: the poll (the same run's safety net) starts after
    // every order the test makes, so only the delivered orders reach Epicor.
    options.start = *now + std::chrono::hours(24 * 365);
    options.inbox_batch = 5;  // Small batches: more commit points for the kills to land between.
    // No public URL: nothing registered; the run drains the inbox, then polls.
    auto runner = ew::make_woo_orders_flow(options, {.woo = woo,
                                                     .epicor = epicor,
                                                     .vault = &vault,
                                                     .public_base_url = {},
                                                     .keep_alive = nullptr});
    std::atomic<bool> stop{false};
    engine::RunContext ctx{.clock = clock,
                           .store = **store,
                           .log = *log,
                           .stop_requested = stop,
                           .flow = arg("flow"),
                           .dry_run = false,
                           .attempt = 1,
                           .renew = {}};
    auto summary = runner->run_once(ctx);
    if (!summary) return fail("run_once", summary.error());
    std::cout << "created " << summary->created << " skipped " << summary->skipped << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> args;
    for (int i = 1; i + 1 < argc && i < kArgsMax; i += 2) {
        std::string name = argv[i];
        if (!name.starts_with("--")) return 2;
        args[name.substr(2)] = argv[i + 1];
    }
    return run(args);
}

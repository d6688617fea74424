// mlc_acumatica_orders_worker: a test helper process for kill_restart_e2e_test.cpp. It runs the
// "acumatica-to-shipstation-orders" flow once (orders out, items, labels back) against the
// Acumatica and ShipStation emulators the test serves over HTTP, on the test's SQLite file, and
// exits 0 when the run succeeded (1 on an error). The test SIGKILLs it at random requests and
// starts it again: nothing may be lost or doubled.
//
// Arguments (`--name value`): --store (SQLite path) --ports (the sandbox ports file: base URLs and
// credentials) --now (ISO UTC: the worker's ManualClock), optionally --per-page and
// --pages-per-run (the flow's options). Every request carries the
// worker's clock in X-Test-Now, so the emulators' time moves with the worker's waits as it does in
// process.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/acumatica_shipstation/orders_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "net/curl_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace {

using namespace mlc;

constexpr int kArgsMax = 16;
constexpr const char* kFlow = "acu-to-ss";

// Sends the worker's clock with every request.
class NowHeader final : public net::HttpTransport {
  public:
    NowHeader(net::HttpTransport& inner, const Clock& clock) : inner_(inner), clock_(clock) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        net::HttpRequest stamped = request;
        stamped.headers.emplace_back("X-Test-Now", format_iso8601(clock_.now()));
        return inner_.send(stamped, options);
    }

  private:
    net::HttpTransport& inner_;
    const Clock& clock_;
};

int fail(const std::string& what, const Error& error) {
    std::cerr << "mlc_acumatica_orders_worker: " << what << ": " << error.describe() << "\n";
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
    std::ifstream in(arg("ports"));
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    const boost::json::value ports = boost::json::parse(text.str(), ec);
    if (ec || !ports.is_object()) return 2;
    engine::Config config;
    auth::testing::FakeVault vault;
    flows::testing::connect_sandbox(config, vault, ports.as_object(), "acumatica", "acu");
    flows::testing::connect_sandbox(config, vault, ports.as_object(), "shipstation", "ss");
    engine::FlowConfig flow;
    flow.name = kFlow;
    flow.recipe = flows::acumatica_shipstation::kRecipe;
    flow.connections = {{"source", "acu"}, {"target", "ss"}};
    if (!arg("per-page").empty()) flow.options["per_page"] = arg("per-page");
    if (!arg("pages-per-run").empty()) flow.options["pages_per_run"] = arg("pages-per-run");
    net::CurlTransport curl;
    NowHeader transport(curl, clock);
    engine::RecipeRegistry registry;
    flows::acumatica_shipstation::add_acumatica_shipstation_recipes(registry);
    auto runner = registry.create(flow, engine::Dependencies{.clock = clock,
                                                             .store = **store,
                                                             .config = &config,
                                                             .vault = &vault,
                                                             .transport = &transport});
    if (!runner) return fail("recipe", runner.error());
    auto log =
        std::make_shared<spdlog::logger>("worker", std::make_shared<spdlog::sinks::null_sink_mt>());
    auto summary = flows::testing::run_once(**runner, clock, **store, *log, kFlow);
    if (!summary) return fail("run_once", summary.error());
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

// `mlc demo`: the README's first command. Starts every sandbox this binary has (the same emulators
// and ports file as `mlc sandbox`), writes a config for them to <data-dir>/mlc.yaml (credentials in
// the vault, under a master key created there when missing), and runs the daemon on it with a
// companion that plays a business through the sandboxes and prints a live summary
// (cli/demo/demo_companion.hpp). SIGINT/SIGTERM stop it gracefully.
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "auth/sodium_vault.hpp"
#include "cli/commands.hpp"
#include "cli/daemon.hpp"
#include "cli/demo/acumatica_traffic.hpp"
#include "cli/demo/amazon_traffic.hpp"
#include "cli/demo/demo_companion.hpp"
#include "cli/demo/demo_config.hpp"
#include "cli/demo/sandbox_client.hpp"
#include "cli/demo/shipstation_traffic.hpp"
#include "cli/demo/ups_traffic.hpp"
#include "cli/demo/woo_traffic.hpp"
#include "cli/flow_setup.hpp"
#include "console/users.hpp"
#include "net/curl_transport.hpp"
#include "sandbox/run_sandbox.hpp"
#include "sandbox/standard_emulators.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

#include "flows/acumatica_shipstation/orders_recipe.hpp"
#include "flows/amazon_epicor/confirmations.hpp"
#include "flows/amazon_epicor/orders_options.hpp"
#include "flows/amazon_epicor/orders_recipe.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "flows/epicor_woocommerce/catalog_options.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"
#include "flows/epicor_woocommerce/orders_recipe.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "flows/shipstation_epicor/orders_recipe.hpp"

namespace mlc::cli {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// The demo reads the orders flow's bindings by their source systems: keep the names in step.
static_assert(std::string_view(flows::shipstation_epicor::kSourceSystem) ==
              demo::kOrderBindingSystem);
static_assert(std::string_view(flows::shipstation_epicor::kShipmentSourceSystem) ==
              demo::kShipmentBindingSystem);
static_assert(std::string_view(flows::shipstation_epicor::kOrdersRecipe) ==
              demo::kShipStationOrdersRecipe);
static_assert(std::string_view(flows::epicor_woocommerce::kWooOrderSystem) ==
              demo::kWooOrderBindingSystem);
static_assert(std::string_view(flows::epicor_woocommerce::kWooOrdersRecipe) ==
              demo::kWooOrdersRecipe);
static_assert(std::string_view(flows::epicor_woocommerce::kCatalogRecipe) ==
              demo::kWooCatalogRecipe);
static_assert(std::string_view(flows::acumatica_shipstation::kRecipe) ==
              demo::kAcumaticaShipStationRecipe);
static_assert(std::string_view(flows::acumatica_shipstation::kOrderSystem) ==
              demo::kAcumaticaOrderBindingSystem);
static_assert(std::string_view(flows::acumatica_shipstation::kShipmentSystem) ==
              demo::kAcumaticaShipmentBindingSystem);
static_assert(std::string_view(flows::epicor_ups::kShipmentsRecipe) == demo::kUpsShipmentsRecipe);
static_assert(std::string_view(flows::epicor_ups::kPackageSystem) ==
              demo::kUpsPackageBindingSystem);
static_assert(std::string_view(flows::epicor_ups::kReleaseSystem) ==
              demo::kUpsReleaseBindingSystem);
static_assert(std::string_view(flows::amazon_epicor::kOrdersRecipe) == demo::kAmazonOrdersRecipe);
static_assert(std::string_view(flows::amazon_epicor::kSettlementsRecipe) ==
              demo::kAmazonSettlementsRecipe);
static_assert(std::string_view(flows::amazon_epicor::kSourceSystem) ==
              demo::kAmazonOrderBindingSystem);
static_assert(std::string_view(flows::amazon_epicor::kSettlementSystem) ==
              demo::kAmazonSettlementBindingSystem);
static_assert(std::string_view(flows::amazon_epicor::kPackSystem) ==
              demo::kAmazonPackBindingSystem);

constexpr const char* kDemoDataDir = "./.mlc-demo";  // Never the real ./.mlc by default.
constexpr const char* kDemoConfigFile = "mlc.yaml";
constexpr const char* kDemoStateFile = "demo-state.db";
constexpr std::string_view kDemoUser = "demo";
constexpr std::size_t kDemoPasswordBytes = 9;  // 18 hex characters, at least kPasswordMin.
constexpr const char* kDefaultPortsFile = "ports.json";
// Seeded records per sandbox: enough to look real, few enough that no seeded ShipStation order is
// modified inside the orders flow's two-hour overlap (they span the 30 days before start-up), so
// the demo's counts are its own orders.
constexpr std::size_t kDemoSandboxVolume = 20;
// The sandboxes bind loopback ports at once; this only bounds a wedged start.
constexpr std::chrono::seconds kSandboxStartTimeout{30};
// The order flows start reading a little before the demo began (clock skew between threads).
constexpr std::chrono::minutes kOrdersSinceMargin{1};
constexpr std::int64_t kRunTagModulus = 0x1000000;  // Six hex digits of the start time (us).

struct DemoOptions {
    std::string ports_file;  // Empty: <data-dir>/ports.json.
    std::uint16_t port = 8787;
    std::uint64_t seed = 1;
    std::size_t orders_per_minute = demo::kDefaultOrdersPerMinute;
    std::size_t orders = 0;  // 0: continuous.
    bool exit_when_done = false;
    bool demo_user = true;  // --no-demo-user: start with no console user, as an installation does
};

// The data directory (0700), a fresh master key (0600) when there is none, an empty vault.
Result<auth::MasterKey> prepare_data_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return make_error(ErrorCode::kConfig, "cannot create the demo data directory " +
                                                  dir.string() + ": " + ec.message());
    }
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    const fs::path key_path = dir / kMasterKeyFile;
    if (!fs::exists(key_path, ec)) MLC_CHECK(auth::generate_master_key_file(key_path));
    const fs::path vault_path = dir / kVaultFile;
    if (!fs::exists(vault_path, ec)) {
        std::ofstream out(vault_path, std::ios::binary);
        out << "{}\n";
        if (!out) return make_error(ErrorCode::kConfig, "cannot write " + vault_path.string());
        out.close();
        ::chmod(vault_path.c_str(), S_IRUSR | S_IWUSR);
    }
    return auth::read_master_key_file(key_path);
}

// The sandboxes start empty every run, so the demo's state starts empty too: a binding to an
// Epicor order of an earlier run would point at nothing.
void remove_old_state(const fs::path& dir) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(dir / (std::string(kDemoStateFile) + suffix), ec);
    }
}

// The console user "demo" (admin) with a fresh random password, in the demo's new state store:
// a prospect logs in with what the terminal prints. The password lives only in this run's output
// and its Argon2id hash; the next demo run makes another.
Result<std::string> add_demo_user(const engine::Config& config, Clock& clock) {
    MLC_TRY(auto store, store::SqliteStateStore::open(config.store.path));
    unsigned char bytes[kDemoPasswordBytes];
    randombytes_buf(bytes, sizeof bytes);
    std::string password(2 * sizeof bytes + 1, '\0');
    sodium_bin2hex(password.data(), password.size(), bytes, sizeof bytes);
    password.pop_back();
    MLC_TRY(std::string hash, console::hash_password(password, console::interactive_cost()));
    MLC_CHECK(
        store->put_console_user({.name = std::string(kDemoUser),
                                 .role = std::string(console::to_string(console::Role::kAdmin)),
                                 .password_hash = std::move(hash),
                                 .created_at = clock.now()}));
    return password;
}

Result<void> write_text(const fs::path& path, const std::string& text) {
    const fs::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) return make_error(ErrorCode::kConfig, "cannot write " + temporary.string());
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) return make_error(ErrorCode::kConfig, "cannot write " + path.string());
    return ok();
}

// The sandboxes, served on a thread of their own until stop() (run_sandbox is `mlc sandbox`).
class SandboxThread {
  public:
    SandboxThread(Clock& clock, sandbox::SandboxOptions options) : clock_(clock) {
        sandbox::add_standard_emulators(registry_);
        options.systems = registry_.names();
        auto ready = ready_.get_future();
        thread_ = std::thread([this, options = std::move(options)] {
            const auto result = sandbox::run_sandbox(
                options,
                sandbox::SandboxEnvironment{.registry = registry_,
                                            .clock = clock_,
                                            .outbound = outbound_,
                                            .out = lines_,
                                            .on_ready =
                                                [this](const json::object& ports) {
                                                    announced_.store(true);
                                                    ready_.set_value(ports);
                                                }},
                stop_);
            if (announced_.exchange(true)) return;
            ready_.set_value(result ? make_error(ErrorCode::kInternal, "sandbox",
                                                 "the sandboxes stopped before they were ready")
                                    : result.error());
        });
        ready_future_ = std::move(ready);
    }
    ~SandboxThread() { stop(); }
    SandboxThread(const SandboxThread&) = delete;
    SandboxThread& operator=(const SandboxThread&) = delete;

    Result<json::object> wait_ready() {
        if (ready_future_.wait_for(kSandboxStartTimeout) != std::future_status::ready) {
            return make_error(ErrorCode::kTransient, "sandbox",
                              "the sandboxes did not start within 30 s");
        }
        return ready_future_.get();
    }
    void stop() {
        stop_.store(true);
        if (thread_.joinable()) thread_.join();
    }

  private:
    Clock& clock_;
    sandbox::EmulatorRegistry registry_;
    net::CurlTransport outbound_;  // Webhook deliveries to the daemon.
    std::ostringstream lines_;     // The start-up lines `mlc sandbox` prints (credentials too).
    std::atomic<bool> stop_{false};
    std::atomic<bool> announced_{false};
    std::promise<Result<json::object>> ready_;
    std::future<Result<json::object>> ready_future_;
    std::thread thread_;
};

std::string own_binary() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("mlc") : self.string();
}

Result<void> store_secrets(auth::Vault& vault, const std::map<std::string, std::string>& secrets) {
    for (const auto& [name, value] : secrets) MLC_CHECK(vault.put(name, value));
    return ok();
}

// Builds each optional (WooCommerce) flow once against a scratch store, so a recipe that cannot
// start on the sandboxes is left out with a note instead of stopping the whole demo.
std::vector<std::string> startable_recipes(Clock& clock, const demo::DemoConfigRequest& request,
                                           const engine::RecipeRegistry& registry,
                                           auth::Vault& vault) {
    std::vector<std::string> recipes = request.recipes;
    auto text = demo::make_demo_config(request);
    if (!text) return recipes;  // make_demo_config reports it again to the caller.
    const auto parsed = engine::parse_config(text->yaml, "demo");
    auto scratch = store::SqliteStateStore::open(":memory:");
    if (!parsed.issues.empty() || !scratch) return recipes;
    engine::Dependencies deps{.clock = clock, .store = **scratch};
    deps.config = &parsed.config;
    deps.vault = &vault;
    for (const auto& name : text->flows) {
        if (name == demo::kShipStationOrdersRecipe) continue;  // The core: its errors must show.
        auto built = registry.create(parsed.config.flows.at(name), deps);
        if (built) continue;
        std::cout << "demo: leaving out flow " << name << ": " << built.error().describe() << "\n";
        recipes.erase(std::remove(recipes.begin(), recipes.end(), name), recipes.end());
    }
    return recipes;
}

// The WooCommerce, Acumatica and UPS traffic, each only when its flow runs in this demo. Not
// movable once started: each traffic generator borrows its client.
struct SideTraffic {
    std::optional<demo::SandboxClient> woo_client;
    std::optional<demo::WooTraffic> woo;
    std::optional<demo::SandboxClient> acumatica_client;
    std::optional<demo::AcumaticaTraffic> acumatica;
    std::optional<demo::SandboxClient> ups_client;
    std::optional<demo::UpsTraffic> ups;
    std::optional<demo::SandboxClient> amazon_client;
    std::optional<demo::AmazonTraffic> amazon;

    demo::DemoSideTraffic view() {
        return {.woo = woo ? &*woo : nullptr,
                .acumatica = acumatica ? &*acumatica : nullptr,
                .ups = ups ? &*ups : nullptr,
                .amazon = amazon ? &*amazon : nullptr};
    }
};

struct SideTrafficRequest {
    const std::vector<std::string>& flows;  // The demo config's flows.
    const json::object& ports;
    net::HttpTransport& transport;
    demo::SandboxClient& shipstation;  // Acumatica orders are labelled there.
    demo::SandboxClient& epicor;       // UPS orders' parts and customer are set up there.
    Clock& clock;
    auth::Vault& vault;      // The Amazon traffic reads settlements through the flow's connection.
    UtcTime ups_since = {};  // The UPS flow's orders come after it (its start plus overlap).
    std::uint64_t seed = 1;
};

// Epicor's REST API as the ports file describes it (the UPS traffic enters orders there).
demo::EpicorApi epicor_api(const json::object& ports) {
    const json::object& epicor = ports.at("epicor").as_object();
    const auto text = [&](const char* name) {
        const json::value* value = epicor.if_contains(name);
        return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
    };
    return {.base_url = text("base_url"),
            .company = text("company"),
            .api_key = text("api_key"),
            .username = text("username"),
            .password = text("password")};
}

demo::SandboxClient sandbox_client(const SideTrafficRequest& request, const char* system) {
    return demo::SandboxClient(
        request.transport, demo::url_origin(request.ports.at(system).at("base_url").as_string()),
        system);
}

Result<void> start_side_traffic(SideTraffic& side, const SideTrafficRequest& request) {
    const auto runs = [&](std::string_view recipe) {
        return std::find(request.flows.begin(), request.flows.end(), recipe) != request.flows.end();
    };
    if (runs(demo::kWooOrdersRecipe)) {
        side.woo_client.emplace(sandbox_client(request, "woocommerce"));
        side.woo.emplace(*side.woo_client, request.seed);
    }
    if (runs(demo::kAcumaticaShipStationRecipe)) {
        side.acumatica_client.emplace(sandbox_client(request, "acumatica"));
        side.acumatica.emplace(*side.acumatica_client, request.shipstation, request.seed);
        MLC_CHECK(side.acumatica->prepare());
    }
    if (runs(demo::kUpsShipmentsRecipe)) {
        side.ups_client.emplace(sandbox_client(request, "ups"));
        side.ups.emplace(demo::UpsTraffic::Deps{.epicor = request.epicor,
                                                .ups = *side.ups_client,
                                                .transport = request.transport,
                                                .clock = request.clock},
                         epicor_api(request.ports), request.seed);
        MLC_CHECK(side.ups->prepare(request.ups_since));
    }
    if (runs(demo::kAmazonOrdersRecipe)) {
        side.amazon_client.emplace(sandbox_client(request, "amazon"));
        side.amazon.emplace(demo::AmazonTraffic::Deps{.amazon = *side.amazon_client,
                                                      .epicor = request.epicor,
                                                      .clock = request.clock,
                                                      .vault = request.vault,
                                                      .transport = request.transport});
        MLC_CHECK(side.amazon->prepare());
    }
    return ok();
}

int run_demo(CliContext& ctx, const fs::path& data_dir, const DemoOptions& options) {
    if (options.exit_when_done && options.orders == 0) {
        std::cerr << "mlc: demo --exit-when-done needs --orders N (how many orders to wait for)\n";
        return kExitUsage;
    }
    auto key = prepare_data_dir(data_dir);
    if (!key) return fail(key.error());
    // Before any thread starts, so every sandbox and daemon thread inherits the blocked mask and
    // the daemon's SignalWatcher alone receives SIGINT/SIGTERM (also one sent during start-up).
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    const std::string ports_file =
        options.ports_file.empty() ? (data_dir / kDefaultPortsFile).string() : options.ports_file;
    SandboxThread sandboxes(ctx.clock(), sandbox::SandboxOptions{.systems = {},
                                                                 .seed = options.seed,
                                                                 .volume = kDemoSandboxVolume,
                                                                 .ports_file = ports_file,
                                                                 .address = "127.0.0.1"});
    auto ports = sandboxes.wait_ready();
    if (!ports) return fail(ports.error());
    std::cout << "demo: sandboxes running (base URLs and credentials in " << ports_file << ")\n";
    for (const auto& [system, info] : *ports) {
        const auto* url = info.is_object() ? info.get_object().if_contains("base_url") : nullptr;
        if (url != nullptr && url->is_string()) {
            std::cout << "  " << std::string(system) << ": " << std::string(url->get_string())
                      << "\n";
        }
    }

    const engine::RecipeRegistry registry = make_recipe_registry();
    demo::DemoConfigRequest request{
        .ports = *ports,
        .data_dir = data_dir,
        .server_port = options.port,
        .recipes = registry.names(),
        .orders_since = ctx.clock().now() - kOrdersSinceMargin,
        .ups_since =
            std::chrono::floor<std::chrono::seconds>(ctx.clock().now()) + std::chrono::seconds{1}};
    auth::SodiumVault vault(data_dir / kVaultFile, *key);
    if (auto opened = vault.verify(); !opened) return fail(opened.error());
    auto config_text = demo::make_demo_config(request);
    if (!config_text) return fail(config_text.error());
    if (auto stored = store_secrets(vault, config_text->secrets); !stored) {
        return fail(stored.error());
    }
    request.recipes = startable_recipes(ctx.clock(), request, registry, vault);
    config_text = demo::make_demo_config(request);
    if (!config_text) return fail(config_text.error());
    const fs::path config_path = data_dir / kDemoConfigFile;
    if (auto written = write_text(config_path, config_text->yaml); !written) {
        return fail(written.error());
    }
    remove_old_state(data_dir);
    auto config = engine::load_config(config_path);
    if (!config) return fail(config.error());
    if (options.demo_user) {
        auto password = add_demo_user(*config, ctx.clock());
        if (!password) return fail(password.error());
        std::cout << "demo: console login: user " << kDemoUser << ", password " << *password
                  << " (admin; made for this run)\n";
    }
    std::cout << "demo: config " << config_path.string() << " (flows:";
    for (const auto& flow : config_text->flows) std::cout << " " << flow;
    std::cout << "); secrets in the vault of " << data_dir.string() << "\n" << std::flush;

    net::CurlTransport control_transport;
    demo::SandboxClient shipstation(
        control_transport, demo::url_origin(ports->at("shipstation").at("base_url").as_string()),
        "shipstation");
    demo::SandboxClient epicor(control_transport,
                               demo::url_origin(ports->at("epicor").at("base_url").as_string()),
                               "epicor");
    // A tag per run keeps orderKeys unique across demo runs (ShipStation upserts by orderKey).
    const auto run_tag =
        fmt::format("{:x}", ctx.clock().now().time_since_epoch().count() % kRunTagModulus);
    demo::ShipStationTraffic traffic(shipstation, epicor, ctx.clock(), options.seed, run_tag);
    if (auto prepared = traffic.prepare_epicor(); !prepared) return fail(prepared.error());

    GlobalOptions daemon_options = ctx.options();
    daemon_options.data_dir = data_dir.string();
    daemon_options.config_path = config_path.string();
    // The demo's own key file, never MLC_MASTER_KEY: the demo vault was made under that file.
    CliContext daemon_ctx(daemon_options, Environment{}, ctx.clock());
    const std::string prefix =
        own_binary() + " --data-dir " + data_dir.string() + " -c " + config_path.string();
    SideTraffic side;
    if (auto started =
            start_side_traffic(side, {.flows = config_text->flows,
                                      .ports = *ports,
                                      .transport = control_transport,
                                      .shipstation = shipstation,
                                      .epicor = epicor,
                                      .clock = ctx.clock(),
                                      .vault = vault,
                                      .ups_since = request.ups_since + demo::kDemoUpsOverlap,
                                      .seed = options.seed});
        !started) {
        return fail(started.error());
    }
    demo::DemoCompanion companion(
        traffic, side.view(), ctx.clock(), std::cout,
        {.orders_flow = demo::kShipStationOrdersRecipe,
         .orders_per_minute = options.orders_per_minute,
         .orders = options.orders > 0 ? std::optional<std::size_t>(options.orders) : std::nullopt,
         .exit_when_done = options.exit_when_done,
         .command_prefix = prefix,
         .woo_orders_flow = side.woo ? demo::kWooOrdersRecipe : "",
         .acumatica_flow = side.acumatica ? demo::kAcumaticaShipStationRecipe : "",
         .ups_flow = side.ups ? demo::kUpsShipmentsRecipe : "",
         .amazon_orders_flow = side.amazon ? demo::kAmazonOrdersRecipe : "",
         .amazon_settlements_flow =
             side.amazon && std::find(config_text->flows.begin(), config_text->flows.end(),
                                      demo::kAmazonSettlementsRecipe) != config_text->flows.end()
                 ? demo::kAmazonSettlementsRecipe
                 : ""});
    const int daemon_exit =
        run_daemon(daemon_ctx, *config,
                   DaemonHooks{.companion = [&companion](const DaemonView& view,
                                                         const std::atomic<bool>& stop) {
                       companion.run(view, stop);
                   }});
    sandboxes.stop();
    std::cout << "demo stopped; the config stays in " << config_path.string()
              << " (the sandboxes are gone with this process)\n";
    if (daemon_exit != kExitOk) return daemon_exit;
    return companion.verdict();
}

}  // namespace

void add_demo_command(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto options = std::make_shared<DemoOptions>();
    auto* command = app.add_subcommand(
        "demo",
        "Start the sandboxes and every flow on them with a generated config "
        "(<data-dir>/mlc.yaml, secrets in its vault), generate orders, edits, cancellations and "
        "shipments, and print a live summary; SIGINT/SIGTERM stop it. Data dir default "
        "./.mlc-demo");
    command->add_option("--ports-file", options->ports_file,
                        "Write the sandboxes' {system: {base_url, credentials}} JSON here "
                        "(default <data-dir>/ports.json)");
    command
        ->add_option("--port", options->port,
                     "Daemon port for the web console, /metrics and webhooks (0: any free)")
        ->capture_default_str();
    command->add_option("--seed", options->seed, "Seed for the sandboxes and the generated traffic")
        ->capture_default_str();
    command
        ->add_option("--orders-per-minute", options->orders_per_minute,
                     "New ShipStation orders a minute in continuous mode")
        ->check(CLI::Range(std::size_t{1}, demo::kOrdersPerMinuteMax))
        ->capture_default_str();
    command
        ->add_option("--orders", options->orders,
                     "Create N orders at once (plus one with an unknown SKU) instead of a steady "
                     "stream")
        ->check(CLI::Range(std::size_t{1}, demo::kDemoOrdersMax));
    command->add_flag("--exit-when-done", options->exit_when_done,
                      "With --orders: exit once every order landed and shipped (0), or 1 when "
                      "something is still missing after a bounded wait");
    command->add_flag("--no-demo-user{false}", options->demo_user,
                      "Make no console user: the console asks for one to be created with "
                      "`mlc console user add`, as a new installation does");
    command->callback([&app, &ctx, &exit_code, options] {
        // Without an explicit --data-dir (or MLC_DATA_DIR) the demo keeps to its own folder.
        std::string dir = ctx.options().data_dir;
        if (app.get_option("--data-dir")->count() == 0 && dir == GlobalOptions{}.data_dir) {
            dir = kDemoDataDir;
        }
        std::error_code ec;
        const fs::path absolute = fs::absolute(dir, ec);
        exit_code = run_demo(ctx, ec ? fs::path(dir) : absolute.lexically_normal(), *options);
    });
}

}  // namespace mlc::cli

#include "flows/testing/sandboxes.hpp"

#include <atomic>
#include <memory>

#include <boost/json.hpp>

#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "sandbox/woocommerce/woocommerce_emulator.hpp"

namespace mlc::flows::testing {
namespace {

namespace json = boost::json;

std::string text(const json::object& info, std::string_view field) {
    return std::string(info.at(field).as_string());
}

// The connection's secrets: role -> the field of the ports file that holds its value.
std::vector<std::pair<std::string, std::string>> secret_fields(const std::string& system) {
    if (system == "shipstation") return {{"api_key", "api_key"}, {"api_secret", "api_secret"}};
    if (system == "epicor") {
        return {{"api_key", "api_key"}, {"username", "username"}, {"password", "password"}};
    }
    if (system == "woocommerce") {
        return {{"consumer_key", "consumer_key"}, {"consumer_secret", "consumer_secret"}};
    }
    if (system == "acumatica") return {{"password", "password"}};
    if (system == "ups") return {{"client_id", "client_id"}, {"client_secret", "client_secret"}};
    if (system == "amazon") {
        return {{"client_id", "client_id"},
                {"client_secret", "client_secret"},
                {"refresh_token", "refresh_token"}};
    }
    return {};
}

// The sandbox warehouse every UPS sandbox connection ships from: an address the emulator's
// Address Validation knows (ups_address_book.hpp), so `mlc ping` reads it as valid.
void add_ups_shipper(engine::ConnectionConfig& connection, const std::string& account) {
    connection.options["account_number"] = account;
    connection.options["shipper_name"] = "MLC SANDBOX WAREHOUSE";
    connection.options["shipper_phone"] = "2135550100";
    connection.options["shipper_street1"] = "100 MAIN ST";
    connection.options["shipper_city"] = "LOS ANGELES";
    connection.options["shipper_state"] = "CA";
    connection.options["shipper_postal_code"] = "90012";
    connection.options["shipper_country"] = "US";
}

}  // namespace

void serve_sandboxes(sandbox::SandboxHost& host, sandbox::InProcessTransport& transport,
                     std::initializer_list<std::string_view> systems) {
    for (std::string_view system : systems) {
        if (system == "shipstation") {
            host.add("shipstation", sandbox::shipstation::make_shipstation_emulator);
        } else if (system == "epicor") {
            host.add("epicor", [](sandbox::EmulatorContext context) {
                return std::unique_ptr<sandbox::Emulator>(
                    std::make_unique<sandbox::epicor::EpicorEmulator>(context));
            });
        } else if (system == "woocommerce") {
            host.add("woocommerce", sandbox::woocommerce::make_woocommerce_emulator);
        } else if (system == "acumatica") {
            host.add("acumatica", sandbox::acumatica::make_acumatica_emulator);
        } else if (system == "ups") {
            host.add("ups", sandbox::ups::make_ups_emulator);
        } else if (system == "amazon") {
            host.add("amazon", sandbox::amazon::make_amazon_emulator);
        }
    }
    sandbox::serve_in_process(host, transport);
}

engine::ConnectionConfig& connect_sandbox(engine::Config& config, auth::Vault& vault,
                                          const json::object& ports, const std::string& system,
                                          const std::string& name) {
    const json::object& info = ports.at(system).as_object();
    engine::ConnectionConfig connection{.name = name,
                                        .system = system,
                                        .base_url = text(info, "base_url"),
                                        .options = {},
                                        .secrets = {},
                                        .secret_lines = {}};
    if (system == "woocommerce") connection.base_url = text(info, "site_url");
    if (system == "epicor") connection.options["company"] = text(info, "company");
    if (system == "acumatica") {
        connection.options["user"] = text(info, "name");
        connection.options["tenant"] = text(info, "tenant");
    }
    if (system == "ups") add_ups_shipper(connection, text(info, "account_number"));
    if (system == "amazon") {  // The na host of the emulator, its LWA endpoint and marketplace.
        connection.options["lwa_token_url"] = text(info, "lwa_token_url");
        connection.options["marketplace_ids"] = text(info, "marketplace_id");
    }
    for (const auto& [role, field] : secret_fields(system)) {
        const std::string secret = name + "." + role;
        (void)vault.put(secret, text(info, field));
        connection.secrets[role] = secret;
    }
    return config.connections.insert_or_assign(name, std::move(connection)).first->second;
}

net::HttpResponse control(sandbox::SandboxHost& host, const std::string& system, std::string method,
                          std::string route, std::string body) {
    net::HttpRequest request;
    request.method = std::move(method);
    request.url = std::string(sandbox::SandboxHost::kControlPrefix) + std::move(route);
    request.body = std::move(body);
    return host.handle(system, request);
}

net::HttpResponse add_epicor_part(sandbox::SandboxHost& host, const std::string& part_num,
                                  const std::string& price) {
    return control(host, "epicor", "POST", "parts",
                   json::serialize(json::object{{"PartNum", part_num},
                                                {"PartDescription", "Part " + part_num},
                                                {"IUM", "EA"},
                                                {"SalesUM", "EA"},
                                                {"TypeCode", "P"},
                                                {"UnitPrice", price},
                                                {"InActive", false}}));
}

Result<engine::RunSummary> run_once(engine::FlowRunner& flow, Clock& clock,
                                    store::StateStore& store, spdlog::logger& log,
                                    const std::string& name, bool dry_run) {
    const std::atomic<bool> never{false};
    engine::RunContext ctx{.clock = clock,
                           .store = store,
                           .log = log,
                           .stop_requested = never,
                           .flow = name,
                           .dry_run = dry_run,
                           .attempt = 1,
                           .renew = {}};
    return flow.run_once(ctx);
}

Result<net::HttpResponse> LosingTransport::send(const net::HttpRequest& request,
                                                const net::TransportOptions& options) {
    auto response = inner_.send(request, options);
    if (!needle_.empty() && request.method == "POST" &&
        request.url.find(needle_) != std::string::npos && --countdown_ == 0) {
        needle_.clear();
        return make_error(ErrorCode::kTransient, "test", "connection reset after sending");
    }
    return response;
}

}  // namespace mlc::flows::testing

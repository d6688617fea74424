#include "flows/shipstation_epicor/orders_recipe.hpp"

#include <charconv>

#include "auth/epicor_token.hpp"
#include "auth/vault.hpp"
#include "flows/shipstation_epicor/orders_runner.hpp"
#include "net/curl_transport.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

namespace ss = connectors::shipstation;
namespace ep = connectors::epicor;

// Epicor publishes no request limit (epicor-kinetic.md); be gentle with a shared tenant.
constexpr double kEpicorDefaultPerMinute = 600.0;

Error config_error(const engine::FlowConfig& flow, std::string message) {
    return make_error(ErrorCode::kConfig, "flow " + flow.name + ": " + std::move(message));
}

Result<const engine::ConnectionConfig*> connection(const engine::FlowConfig& flow,
                                                   const engine::Dependencies& deps,
                                                   std::string_view role, std::string_view system) {
    auto named = flow.connections.find(role);
    if (named == flow.connections.end()) {
        return config_error(flow, "connections." + std::string(role) + " is missing: name a " +
                                      std::string(system) + " connection");
    }
    auto found = deps.config->connections.find(named->second);
    if (found == deps.config->connections.end()) {
        return config_error(flow, "connection '" + named->second + "' is not defined");
    }
    if (found->second.system != system) {
        return config_error(flow, "connections." + std::string(role) + " must be a " +
                                      std::string(system) + " connection, '" + named->second +
                                      "' is " + found->second.system);
    }
    return &found->second;
}

Result<std::string> secret_name(const engine::FlowConfig& flow,
                                const engine::ConnectionConfig& conn, std::string_view role) {
    auto it = conn.secrets.find(role);
    if (it == conn.secrets.end() || it->second.empty()) {
        return config_error(flow, "connection '" + conn.name + "' needs secrets." +
                                      std::string(role) + " (a vault secret name)");
    }
    return it->second;
}

std::optional<double> per_minute(const engine::ConnectionConfig& conn) {
    auto it = conn.options.find("rate_per_minute");
    if (it == conn.options.end()) return std::nullopt;
    double value = 0;
    const auto [end, ec] =
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec != std::errc() || value <= 0) return std::nullopt;
    return value;
}

std::string option_or(const engine::ConnectionConfig& conn, std::string_view name,
                      std::string fallback) {
    auto it = conn.options.find(name);
    return it == conn.options.end() ? fallback : it->second;
}

Result<void> build_shipstation(const engine::FlowConfig& flow, const engine::ConnectionConfig& conn,
                               const engine::Dependencies& deps,
                               ShipStationEpicorConnections& out) {
    MLC_TRY(std::string key, secret_name(flow, conn, "api_key"));
    MLC_TRY(std::string secret, secret_name(flow, conn, "api_secret"));
    ss::ShipStationConnection settings{.name = conn.name,
                                       .base_url = conn.base_url,
                                       .api_key_secret = std::move(key),
                                       .api_secret_secret = std::move(secret)};
    // Never above V1's 40 a minute, whatever the config says (shipstation.md).
    if (auto rate = per_minute(conn); rate && *rate < 40.0) {
        settings.rate_limit.connection = {.requests_per_second = *rate / 60.0, .burst = 1.0};
    }
    if (deps.metrics != nullptr) {
        out.shipstation_metrics =
            std::make_unique<net::ClientMetrics>(*deps.metrics, "shipstation");
    }
    out.shipstation = std::make_unique<ss::ShipStationClient>(
        std::move(settings),
        ss::ShipStationDependencies{.transport = *deps.transport,
                                    .clock = deps.clock,
                                    .limiters = *out.limiters,
                                    .vault = *deps.vault,
                                    .observer = out.shipstation_metrics.get()});
    return ok();
}

// Bearer: tokens from Epicor's token resource, renewed by the TokenManager before their hour runs
// out (refresh_skew) and once on 401; Epicor has no refresh tokens (epicor-kinetic.md, Auth).
//   options.token_form: service (default: .../Ice.LIB.TokenServiceSvc/GetAccessToken, Basic)
//                       | resource (legacy <instance>/TokenResource.svc/, credential headers)
//   options.token_url:  overrides the URL the form implies (a proxy, another instance path).
Result<std::unique_ptr<auth::TokenSource>> epicor_token_source(
    const engine::FlowConfig& flow, const engine::ConnectionConfig& conn,
    const std::string& company, const std::string& user, const std::string& password_secret,
    const std::string& api_key_secret, const engine::Dependencies& deps) {
    std::string base = conn.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    const std::string form = option_or(conn, "token_form", "service");
    auth::EpicorTokenConfig config{
        .system = "epicor",
        .form = auth::EpicorTokenForm::kTokenService,
        .token_url = base + "/api/v2/odata/" + company + "/Ice.LIB.TokenServiceSvc/GetAccessToken",
        .user = user,
        .password_secret = password_secret,
        .api_key_secret = api_key_secret};
    if (form == "resource") {
        config.form = auth::EpicorTokenForm::kTokenResource;
        config.token_url = base + "/TokenResource.svc/";
    } else if (form != "service") {
        return config_error(flow, "connection '" + conn.name + "': options.token_form is '" + form +
                                      "'; expected service or resource");
    }
    config.token_url = option_or(conn, "token_url", config.token_url);
    return std::unique_ptr<auth::TokenSource>(
        std::make_unique<auth::EpicorToken>(std::move(config), *deps.transport, *deps.vault));
}

Result<void> build_epicor(const engine::FlowConfig& flow, const OrdersOptions& options,
                          const engine::ConnectionConfig& conn, const engine::Dependencies& deps,
                          ShipStationEpicorConnections& out) {
    const std::string company = option_or(conn, "company", "");
    if (company.empty()) {
        return config_error(flow, "connection '" + conn.name +
                                      "' needs options.company (the v2 URL's Company segment)");
    }
    const std::string auth_mode = option_or(conn, "auth", "basic");
    if (auth_mode != "basic" && auth_mode != "bearer") {
        return config_error(flow, "connection '" + conn.name + "': options.auth is '" + auth_mode +
                                      "'; expected basic or bearer");
    }
    MLC_TRY(std::string api_key, secret_name(flow, conn, "api_key"));
    MLC_TRY(std::string password, secret_name(flow, conn, "password"));
    std::string user = option_or(conn, "user", "");
    if (user.empty()) {
        MLC_TRY(std::string user_secret, secret_name(flow, conn, "username"));
        MLC_TRY_CTX(user, deps.vault->get(user_secret),
                    "while reading the Epicor user of connection " + conn.name);
    }
    auth::TokenManagerOptions manager;
    manager.connection = conn.name;
    manager.system = "epicor";
    auth::CredentialHeaders headers;
    // v2 wants x-api-key on every request, whichever identity comes with it (epicor-kinetic.md).
    headers.api_key("x-api-key", api_key);
    std::unique_ptr<auth::TokenSource> source;
    if (auth_mode == "bearer") {
        MLC_TRY(source, epicor_token_source(flow, conn, company, user, password, api_key, deps));
    } else {
        // Basic: a 401 names which of Epicor's three causes it is (key, password, company).
        manager.describe_rejection = [password, api_key](const net::HttpResponse& response,
                                                         std::string_view name) {
            return auth::epicor_auth_error(response, name, password, api_key);
        };
        headers.basic(std::move(user), password);
    }
    out.epicor_credentials = std::make_unique<auth::TokenManager>(
        std::move(manager), std::move(source), std::move(headers), deps.clock, deps.store,
        *deps.vault);
    const double rate = per_minute(conn).value_or(kEpicorDefaultPerMinute);
    out.limiters->configure(conn.name, {.connection = {.requests_per_second = rate / 60.0,
                                                       .burst = std::max(1.0, rate / 60.0)},
                                        .per_operation = {}});
    ep::EpicorClientConfig config{
        .connection = conn.name,
        .base_url = conn.base_url,
        .company = company,
        .source_key_field = options.source_key_field,
        .customer_lookup_field = options.customer_field,
        .create_route = options.create_route == CreateRoute::kEntitySets
                            ? ep::OrderCreateRoute::kEntitySets
                            : ep::OrderCreateRoute::kUiSequence,
    };
    if (deps.metrics != nullptr) {
        out.epicor_metrics = std::make_unique<net::ClientMetrics>(*deps.metrics, "epicor");
    }
    out.epicor = std::make_unique<ep::EpicorClient>(
        std::move(config), ep::EpicorClientDeps{.transport = *deps.transport,
                                                .clock = deps.clock,
                                                .limiters = *out.limiters,
                                                .credentials = *out.epicor_credentials,
                                                .observer = out.epicor_metrics.get()});
    return out.epicor->check_config();
}

}  // namespace

Result<std::shared_ptr<ShipStationEpicorConnections>> build_connections(
    const engine::FlowConfig& flow, const OrdersOptions& options,
    const engine::Dependencies& deps) {
    if (deps.config == nullptr || deps.vault == nullptr) {
        return config_error(flow, "recipe " + std::string(kOrdersRecipe) +
                                      " needs the vault: run `mlc init`, then `mlc secret set` for "
                                      "each secret the connections name");
    }
    MLC_TRY(auto source, connection(flow, deps, "source", "shipstation"));
    MLC_TRY(auto target, connection(flow, deps, "target", "epicor"));
    auto out = std::make_shared<ShipStationEpicorConnections>();
    if (deps.limiters != nullptr) out->limiters = deps.limiters;
    engine::Dependencies with_transport = deps;
    if (with_transport.transport == nullptr) {
        out->own_transport = std::make_unique<net::CurlTransport>();
        with_transport.transport = out->own_transport.get();
    }
    MLC_CHECK(build_shipstation(flow, *source, with_transport, *out));
    MLC_CHECK(build_epicor(flow, options, *target, with_transport, *out));
    return out;
}

Result<std::unique_ptr<engine::FlowRunner>> make_orders_runner(const engine::FlowConfig& flow,
                                                               const engine::Dependencies& deps) {
    MLC_TRY(OrdersOptions options, parse_orders_options(flow));
    MLC_TRY(auto connections, build_connections(flow, options, deps));
    auto& shipstation = *connections->shipstation;
    auto& epicor = *connections->epicor;
    // The factory captures the public base: a flow built by `mlc run` registers its webhooks.
    OrdersWebhooks webhooks{.public_base_url = deps.public_base_url, .vault = deps.vault};
    return std::unique_ptr<engine::FlowRunner>(std::make_unique<OrdersRunner>(
        std::move(options), shipstation, epicor, std::move(connections), std::move(webhooks)));
}

void add_shipstation_epicor_recipes(engine::RecipeRegistry& registry) {
    registry.add(kOrdersRecipe, make_orders_runner);
}

}  // namespace mlc::flows::shipstation_epicor

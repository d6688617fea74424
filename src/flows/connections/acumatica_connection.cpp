#include "flows/connections/acumatica_connection.hpp"

#include "auth/session_login.hpp"
#include "connectors/acumatica/acumatica_streams.hpp"
#include "flows/connections/ping.hpp"

namespace mlc::flows::connections {

namespace acu = connectors::acumatica;
using connectors::PingReport;
using connectors::PingStatus;

namespace {

constexpr SecretNeed kPassword{.role = "password", .holds = "the Acumatica API user's password"};
constexpr SecretNeed kNeeds[] = {kPassword};
constexpr const char* kCheckVersion = "version";
constexpr const char* kCheckLogout = "logout";

std::string trim_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

Result<std::unique_ptr<auth::TokenManager>> make_credentials(const engine::ConnectionConfig& conn,
                                                             const engine::Dependencies& deps,
                                                             net::HttpTransport& transport) {
    auth::SessionLoginConfig session;
    session.base_url = trim_slashes(conn.base_url);
    session.user = option_or(conn, "user", "");
    session.tenant = option_or(conn, "tenant", "");
    session.branch = option_or(conn, "branch", "");
    if (session.user.empty() || session.tenant.empty()) {
        return connection_error(conn,
                                "needs options.user (the API user) and options.tenant (the "
                                "tenant's login name)");
    }
    MLC_TRY(session.password_secret, secret_name(conn, kPassword));
    auth::TokenManagerOptions manager;
    manager.connection = conn.name;
    manager.system = "acumatica";
    return std::make_unique<auth::TokenManager>(
        std::move(manager),
        std::make_unique<auth::SessionLogin>(std::move(session), transport, *deps.vault),
        auth::CredentialHeaders{}, deps.clock, deps.store, *deps.vault);
}

}  // namespace

Result<std::unique_ptr<AcumaticaConnection>> open_acumatica(
    const engine::ConnectionConfig& connection, const engine::Dependencies& deps) {
    if (connection.system != "acumatica") {
        return connection_error(connection, "is not an acumatica connection");
    }
    if (deps.vault == nullptr) {
        return connection_error(connection,
                                "needs the vault: run `mlc init`, then `mlc secret set` for each "
                                "secret the connection names");
    }
    auto out = std::make_unique<AcumaticaConnection>();
    net::HttpTransport& transport = out->wire(deps, "acumatica");
    MLC_TRY(out->credentials, make_credentials(connection, deps, transport));
    const double rate = rate_per_minute(connection).value_or(kAcumaticaDefaultPerMinute);
    net::RetryOptions login_wait = acu::kLoginWaitDefault;
    if (const std::string wait = option_or(connection, "login_wait", ""); !wait.empty()) {
        auto parsed = engine::parse_duration(wait);
        if (!parsed) {
            return connection_error(connection, "options.login_wait: " + parsed.error().message);
        }
        login_wait.max_total_delay = *parsed;
    }
    acu::AcumaticaClientConfig config{
        .connection = connection.name,
        .base_url = trim_slashes(connection.base_url),
        .endpoint = option_or(connection, "endpoint", acu::kDefaultEndpoint),
        .version = option_or(connection, "version", acu::kDefaultVersion),
        .rate_limit = {.connection = {.requests_per_second = rate / 60.0, .burst = 1.0},
                       .per_operation = {}},
        .retry = {},
        .login_wait = login_wait};
    out->client = std::make_unique<acu::AcumaticaClient>(
        std::move(config), acu::AcumaticaClientDeps{.transport = transport,
                                                    .clock = deps.clock,
                                                    .limiters = *out->limiters,
                                                    .credentials = *out->credentials,
                                                    .observer = out->metrics.get()});
    return out;
}

PingReport ping_acumatica(const engine::ConnectionConfig& connection,
                          const engine::Dependencies& deps) {
    PingReport report{.connection = connection.name, .system = "acumatica", .checks = {}};
    PingStart start(report, connection, deps, kNeeds,
                    {kCheckVersion, kCheckAuth, kCheckRead, kCheckLogout});
    if (!start.passed()) return report;
    auto opened = open_acumatica(connection, start.probe_deps());
    if (!opened_or_report(report, opened)) return report;
    acu::AcumaticaClient& client = *(*opened)->client;
    if (auto version = client.check_version(); !version) {
        report.checks.push_back({.name = kCheckVersion,
                                 .status = PingStatus::kFail,
                                 .detail = version.error().describe()});
        skip(report, {kCheckAuth, kCheckRead, kCheckLogout}, "not tried: no served version");
        return report;
    }
    report.checks.push_back({.name = kCheckVersion,
                             .status = PingStatus::kOk,
                             .detail = "the instance serves " + client.config().endpoint + " " +
                                       client.config().version});
    acu::SalesOrdersSource orders(client, {.window = {}, .page_size = 1});
    auto page = orders.list(UtcTime{}, 1);
    if (!page) {
        const bool auth = page.error().code == ErrorCode::kAuthFailed ||
                          page.error().code == ErrorCode::kRateLimited;
        report.checks.push_back({.name = auth ? kCheckAuth : kCheckRead,
                                 .status = PingStatus::kFail,
                                 .detail = page.error().describe()});
        if (auth) skip(report, {kCheckRead}, "not tried: no session");
    } else {
        report.checks.push_back(
            {.name = kCheckAuth, .status = PingStatus::kOk, .detail = "logged in"});
        report.checks.push_back(
            {.name = kCheckRead,
             .status = PingStatus::kOk,
             .detail = page->items.empty()
                           ? std::string("the instance lists no sales orders yet")
                           : "read sales order " + page->items.front().value.source.id});
    }
    auto ended = client.end_session();
    report.checks.push_back({.name = kCheckLogout,
                             .status = ended ? PingStatus::kOk : PingStatus::kWarn,
                             .detail = ended ? std::string("logged out: no licence seat held")
                                             : ended.error().describe()});
    return report;
}

}  // namespace mlc::flows::connections

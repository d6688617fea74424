#include "flows/connections/epicor_connection.hpp"

#include <boost/json.hpp>

#include "auth/epicor_token.hpp"
#include "flows/connections/ping.hpp"
#include "net/curl_transport.hpp"

namespace mlc::flows::connections {

namespace ep = connectors::epicor;
using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;

namespace {

constexpr SecretNeed kApiKey{.role = "api_key",
                             .holds = "the Epicor API key (x-api-key) of this company"};
constexpr SecretNeed kPassword{.role = "password", .holds = "the Epicor user's password"};
constexpr SecretNeed kUsername{.role = "username", .holds = "the Epicor user name"};
// A bearer token living less than this warns: the manager renews 5 minutes ahead, so a short
// lifetime (set by the Epicor administrator, 1 h usual) means a token request every few calls.
constexpr std::chrono::minutes kTokenLifetimeWarn{10};

std::string trim_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::string token_url(const std::string& base, const std::string& company, bool resource) {
    if (resource) return base + "/TokenResource.svc/";
    return base + "/api/v2/odata/" + net::url_encode(company) +
           "/Ice.LIB.TokenServiceSvc/GetAccessToken";
}

Result<std::unique_ptr<auth::TokenManager>> make_credentials(const engine::ConnectionConfig& conn,
                                                             const engine::Dependencies& deps,
                                                             net::HttpTransport& transport,
                                                             EpicorConnection& out) {
    auth::TokenManagerOptions manager;
    manager.connection = conn.name;
    manager.system = "epicor";
    auth::CredentialHeaders headers;
    headers.api_key("x-api-key", out.api_key_secret);
    if (!out.bearer) {
        // Basic has no token source: a 401 names which of Epicor's three causes it is.
        manager.describe_rejection = [password = out.password_secret, key = out.api_key_secret](
                                         const net::HttpResponse& response, std::string_view name) {
            return auth::epicor_auth_error(response, name, password, key);
        };
        headers.basic(out.user, out.password_secret);
        return std::make_unique<auth::TokenManager>(std::move(manager), nullptr, std::move(headers),
                                                    deps.clock, deps.store, *deps.vault);
    }
    const std::string form = option_or(conn, "token_form", "service");
    if (form != "service" && form != "resource") {
        return connection_error(conn,
                                "options.token_form must be service "
                                "(Ice.LIB.TokenServiceSvc/GetAccessToken) or resource "
                                "(TokenResource.svc), not '" +
                                    form + "'");
    }
    auth::EpicorTokenConfig token{
        .form = form == "resource" ? auth::EpicorTokenForm::kTokenResource
                                   : auth::EpicorTokenForm::kTokenService,
        .token_url = token_url(out.base_url, out.company, form == "resource"),
        .user = out.user,
        .password_secret = out.password_secret,
        .api_key_secret = out.api_key_secret,
    };
    return std::make_unique<auth::TokenManager>(
        std::move(manager),
        std::make_unique<auth::EpicorToken>(std::move(token), transport, *deps.vault),
        std::move(headers), deps.clock, deps.store, *deps.vault);
}

// Fills the settings part of `out` (no clients yet).
Result<void> read_settings(const engine::ConnectionConfig& conn, const engine::Dependencies& deps,
                           EpicorConnection& out) {
    out.company = option_or(conn, "company", "");
    if (out.company.empty()) {
        return connection_error(conn,
                                "needs options.company (the v2 URL's Company segment, "
                                "e.g. EPIC06)");
    }
    const std::string scheme = option_or(conn, "auth", "basic");
    if (scheme != "basic" && scheme != "bearer") {
        return connection_error(conn, "options.auth must be basic or bearer, not '" + scheme + "'");
    }
    out.bearer = scheme == "bearer";
    out.base_url = trim_slashes(conn.base_url);
    MLC_TRY(out.api_key_secret, secret_name(conn, kApiKey));
    MLC_TRY(out.password_secret, secret_name(conn, kPassword));
    out.user = option_or(conn, "user", "");
    if (out.user.empty()) {
        MLC_TRY(std::string user_secret, secret_name(conn, kUsername));
        MLC_TRY_CTX(out.user, deps.vault->get(user_secret),
                    "while reading the Epicor user of connection " + conn.name);
    }
    return ok();
}

}  // namespace

Result<std::unique_ptr<EpicorConnection>> open_epicor(const engine::ConnectionConfig& connection,
                                                      const engine::Dependencies& deps,
                                                      const EpicorOpenOptions& options) {
    if (connection.system != "epicor") {
        return connection_error(connection, "is not an epicor connection");
    }
    if (deps.vault == nullptr) {
        return connection_error(connection,
                                "needs the vault: run `mlc init`, then `mlc secret set` for each "
                                "secret the connection names");
    }
    auto out = std::make_unique<EpicorConnection>();
    MLC_CHECK(read_settings(connection, deps, *out));
    net::HttpTransport& transport = out->wire(deps, "epicor");
    MLC_TRY(out->credentials, make_credentials(connection, deps, transport, *out));
    const double rate = rate_per_minute(connection).value_or(kEpicorDefaultPerMinute);
    out->limiters->configure(connection.name, {.connection = {.requests_per_second = rate / 60.0,
                                                              .burst = std::max(1.0, rate / 60.0)},
                                               .per_operation = {}});
    ep::EpicorClientConfig config{
        .connection = connection.name,
        .base_url = out->base_url,
        .company = out->company,
        .source_key_field = options.source_key_field,
        .customer_lookup_field = options.customer_lookup_field,
        .create_route = options.create_route,
        .server_zone = option_or(connection, "server_zone", "UTC"),
    };
    ep::EpicorClientDeps client_deps{.transport = transport,
                                     .clock = deps.clock,
                                     .limiters = *out->limiters,
                                     .credentials = *out->credentials,
                                     .observer = out->metrics.get()};
    if (options.retry) client_deps.retry = *options.retry;
    out->client = std::make_unique<ep::EpicorClient>(std::move(config), std::move(client_deps));
    MLC_CHECK(out->client->check_config());
    return out;
}

namespace {

std::string secret_or_option(const engine::ConnectionConfig& conn, std::string_view role) {
    auto it = conn.secrets.find(role);
    return it == conn.secrets.end() ? std::string(role) : it->second;
}

// One line per 401 cause (epicor-kinetic.md: told apart only by ErrorMessage).
std::string auth_failure(const engine::ConnectionConfig& conn, const EpicorConnection& epicor,
                         const net::HttpResponse& answer) {
    const std::string user_fix = option_or(conn, "user", "").empty()
                                     ? "`mlc secret set " + secret_or_option(conn, "username") + "`"
                                     : "options.user in mlc.yaml";
    switch (auth::classify_epicor_auth_failure(answer)) {
        case auth::EpicorAuthFailure::kPassword:
            return "Epicor rejected user '" + epicor.user +
                   "' or its password (Invalid username or password): fix the password with "
                   "`mlc secret set " +
                   epicor.password_secret + "` (or the user: " + user_fix + ")";
        case auth::EpicorAuthFailure::kApiKey:
            return "Epicor rejected the API key for company " + epicor.company +
                   " (Invalid API Key): create or copy a key for this company in Epicor's API Key "
                   "Maintenance, then `mlc secret set " +
                   epicor.api_key_secret + "`";
        case auth::EpicorAuthFailure::kAccessDenied:
            return "user '" + epicor.user + "' is not allowed into company " + epicor.company +
                   " (Access denied): give the user access to the company in Epicor's User "
                   "Account Security Maintenance, or fix options.company";
        case auth::EpicorAuthFailure::kOther:
            break;
    }
    return "Epicor refused the credentials (HTTP " + std::to_string(answer.status) +
           "): check the user (" + user_fix + "), the password (`mlc secret set " +
           epicor.password_secret + "`) and the API key (`mlc secret set " + epicor.api_key_secret +
           "`)";
}

std::string read_failure(const EpicorConnection& epicor, int status) {
    if (status == 404) {
        return "Epicor answered HTTP 404 for Erp.BO.CustomerSvc/Customers: check that base_url is "
               "the tenant base with its instance (https://host/<instance>) and that company " +
               epicor.company + " exists";
    }
    return "Epicor answered HTTP " + std::to_string(status) +
           " for Erp.BO.CustomerSvc/Customers?$top=1: check the user's rights to CustomerSvc";
}

std::string first_customer(const std::string& body) {
    boost::system::error_code ec;
    const boost::json::value json = boost::json::parse(body, ec);
    const boost::json::value* rows =
        !ec && json.is_object() ? json.get_object().if_contains("value") : nullptr;
    if (rows == nullptr || !rows->is_array()) return "?";
    if (rows->get_array().empty()) return {};
    const auto& row = rows->get_array().front();
    const auto* id = row.is_object() ? row.get_object().if_contains("CustID") : nullptr;
    return id != nullptr && id->is_string() ? std::string(id->get_string()) : "?";
}

// Auth and read from one GET of the first customer through the connection's credentials.
void read_one_customer(const engine::ConnectionConfig& conn, EpicorConnection& epicor,
                       AnswerRecorder& recorder, PingReport& report) {
    net::HttpRequest request{.method = "GET",
                             .url = epicor.base_url + "/api/v2/odata/" +
                                    net::url_encode(epicor.company) +
                                    "/Erp.BO.CustomerSvc/Customers?$top=1",
                             .headers = {{"Accept", "application/json"}},
                             .body = {},
                             .remote_address = {}};
    recorder.forget();
    const auth::SendFn send = [&recorder](const net::HttpRequest& attempt) {
        return recorder.send(attempt, kProbeTimeouts);
    };
    auto response = epicor.credentials->authorized_call(request, send);
    const auto answer = recorder.last();
    if (answer && (answer->status == 401 || answer->status == 403)) {
        report.checks.push_back({.name = kCheckAuth,
                                 .status = PingStatus::kFail,
                                 .detail = auth_failure(conn, epicor, *answer)});
        skip(report, {kCheckRead}, "not tried: the credentials were refused");
        return;
    }
    if (!response || !answer) {
        const Error error =
            response ? make_error(ErrorCode::kTransient, "no answer") : response.error();
        skip(report, {kCheckAuth}, "not confirmed: no answer");
        report.checks.push_back(
            {.name = kCheckRead,
             .status = PingStatus::kFail,
             .detail = answer ? error.describe()
                              : describe_unreachable(host_of(request.url), conn.name, error)});
        return;
    }
    const std::string how = epicor.bearer ? "bearer token" : "Basic";
    report.checks.push_back({.name = kCheckAuth,
                             .status = PingStatus::kOk,
                             .detail = "user '" + epicor.user + "' and the API key accepted (" +
                                       how + ", company " + epicor.company + ")"});
    if (response->status < 200 || response->status >= 300) {
        report.checks.push_back({.name = kCheckRead,
                                 .status = PingStatus::kFail,
                                 .detail = read_failure(epicor, response->status)});
        return;
    }
    const std::string cust_id = first_customer(response->body);
    report.checks.push_back(
        {.name = kCheckRead,
         .status = PingStatus::kOk,
         .detail = cust_id.empty() ? "company " + epicor.company + " has no customers yet"
                                   : "read customer " + cust_id + " of company " + epicor.company});
}

PingCheck token_check(const engine::ConnectionConfig& conn, const engine::Dependencies& deps) {
    auto cached = deps.store.get_token(conn.name);
    if (!cached || !*cached) {
        return {.name = kCheckToken,
                .status = PingStatus::kWarn,
                .detail = "the bearer token was not cached in the state store" +
                          (cached ? std::string() : ": " + cached.error().describe())};
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::minutes>((*cached)->expires_at - deps.clock.now());
    const auto lifetime = std::chrono::duration_cast<std::chrono::minutes>((*cached)->expires_at -
                                                                           (*cached)->obtained_at);
    std::string detail = "bearer token expires in " + std::to_string(left.count()) +
                         " minutes (lifetime " + std::to_string(lifetime.count()) +
                         " minutes; renewed 5 minutes before it runs out)";
    if (lifetime < kTokenLifetimeWarn) {
        return {.name = kCheckToken,
                .status = PingStatus::kWarn,
                .detail = detail +
                          ": a lifetime this short means a token request every few "
                          "minutes; ask the Epicor administrator for 1 h"};
    }
    return {.name = kCheckToken, .status = PingStatus::kOk, .detail = std::move(detail)};
}

}  // namespace

PingReport ping_epicor(const engine::ConnectionConfig& connection,
                       const engine::Dependencies& deps) {
    PingReport report{.connection = connection.name, .system = "epicor", .checks = {}};
    std::vector<SecretNeed> needs{kApiKey, kPassword};
    if (option_or(connection, "user", "").empty()) needs.push_back(kUsername);
    PingStart start(report, connection, deps, needs, {kCheckAuth, kCheckRead, kCheckToken});
    if (!start.passed()) return report;
    auto opened = open_epicor(connection, start.probe_deps());
    if (!opened_or_report(report, opened)) return report;
    AnswerRecorder& recorder = start.recorder();
    read_one_customer(connection, **opened, recorder, report);
    if (!(*opened)->bearer) {
        skip(report, {kCheckToken}, "Basic auth: no token to expire");
    } else if (has_failed(report, kCheckAuth)) {
        skip(report, {kCheckToken}, "no token: the credentials were refused");
    } else {
        report.checks.push_back(token_check(connection, deps));
    }
    return report;
}

}  // namespace mlc::flows::connections

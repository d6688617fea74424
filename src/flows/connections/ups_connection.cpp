#include "flows/connections/ups_connection.hpp"

#include <algorithm>
#include <charconv>

#include "flows/connections/ping.hpp"

namespace mlc::flows::connections {

namespace ups = connectors::ups;
using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;

namespace {

constexpr SecretNeed kClientId{.role = "client_id",
                               .holds = "the UPS app's client id (developer.ups.com, My Apps)"};
constexpr SecretNeed kClientSecret{.role = "client_secret", .holds = "the UPS app's client secret"};
constexpr SecretNeed kNeeds[] = {kClientId, kClientSecret};
constexpr int kDailyTokenBudgetMax = 100'000;  // A bound on a typed number, far above UPS's cap.

std::string trim_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

Result<ups::UpsShipper> read_shipper(const engine::ConnectionConfig& conn) {
    ups::UpsShipper shipper;
    shipper.account_number = option_or(conn, "account_number", "");
    shipper.name = option_or(conn, "shipper_name", "");
    shipper.attention_name = option_or(conn, "shipper_attention", "");
    shipper.phone = option_or(conn, "shipper_phone", "");
    model::Address& from = shipper.address;
    from.name = shipper.name;
    from.street1 = option_or(conn, "shipper_street1", "");
    from.street2 = option_or(conn, "shipper_street2", "");
    from.city = option_or(conn, "shipper_city", "");
    from.state = option_or(conn, "shipper_state", "");
    from.postal_code = option_or(conn, "shipper_postal_code", "");
    from.country = option_or(conn, "shipper_country", "US");
    std::vector<std::string> missing;
    const std::pair<const char*, const std::string*> required[] = {
        {"account_number", &shipper.account_number},
        {"shipper_name", &shipper.name},
        {"shipper_street1", &from.street1},
        {"shipper_city", &from.city},
        {"shipper_state", &from.state},
        {"shipper_postal_code", &from.postal_code}};
    for (const auto& [name, value] : required) {
        if (value->empty()) missing.push_back(std::string("options.") + name);
    }
    if (!missing.empty()) {
        std::string list;
        for (const auto& name : missing) list += (list.empty() ? "" : ", ") + name;
        return connection_error(conn, "needs " + list +
                                          " (the UPS account shipments are billed to and the "
                                          "address packages leave from)");
    }
    if (shipper.account_number.size() != 6) {
        return connection_error(conn,
                                "options.account_number must be the 6-character UPS "
                                "account number, not '" +
                                    shipper.account_number + "'");
    }
    return shipper;
}

Result<int> read_budget(const engine::ConnectionConfig& conn) {
    const std::string text = option_or(conn, "daily_token_budget", "");
    if (text.empty()) return auth::kUpsDailyTokenBudget;
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 ||
        value > kDailyTokenBudgetMax) {
        return connection_error(conn,
                                "options.daily_token_budget must be a whole number of token "
                                "requests a day between 1 and 100000 (UPS: about 250), not '" +
                                    text + "'");
    }
    return value;
}

}  // namespace

Result<std::unique_ptr<UpsConnection>> open_ups(const engine::ConnectionConfig& connection,
                                                const engine::Dependencies& deps,
                                                const UpsOpenOptions& options) {
    if (connection.system != "ups") return connection_error(connection, "is not a ups connection");
    if (deps.vault == nullptr) {
        return connection_error(connection,
                                "needs the vault: run `mlc init`, then `mlc secret set` for each "
                                "secret the connection names");
    }
    auto out = std::make_unique<UpsConnection>();
    MLC_TRY(out->shipper, read_shipper(connection));
    MLC_TRY(out->daily_token_budget, read_budget(connection));
    MLC_TRY(out->client_id_secret, secret_name(connection, kClientId));
    MLC_TRY(out->client_secret_secret, secret_name(connection, kClientSecret));
    MLC_TRY_CTX(std::string client_id, deps.vault->get(out->client_id_secret),
                "while reading the UPS client id of connection " + connection.name);
    out->base_url = trim_slashes(connection.base_url);
    out->merchant_id = option_or(connection, "merchant_id", "");
    net::HttpTransport& transport = out->wire(deps, "ups");
    out->credentials = ups::make_ups_credentials({.connection = connection.name,
                                                  .base_url = out->base_url,
                                                  .client_id = std::move(client_id),
                                                  .client_secret_secret = out->client_secret_secret,
                                                  .merchant_id = out->merchant_id,
                                                  .daily_token_budget = out->daily_token_budget},
                                                 transport, deps.clock, deps.store, *deps.vault);
    const double rate = rate_per_minute(connection).value_or(kUpsDefaultPerMinute);
    out->limiters->configure(connection.name, {.connection = {.requests_per_second = rate / 60.0,
                                                              .burst = std::max(1.0, rate / 60.0)},
                                               .per_operation = {}});
    ups::UpsClientDeps client_deps{.transport = transport,
                                   .clock = deps.clock,
                                   .limiters = *out->limiters,
                                   .credentials = *out->credentials,
                                   .observer = out->metrics.get()};
    if (options.retry) client_deps.retry = *options.retry;
    out->client = std::make_unique<ups::UpsClient>(
        ups::UpsClientConfig{.connection = connection.name,
                             .base_url = out->base_url,
                             .transaction_src = "mlc",
                             .account_number = out->shipper.account_number},
        std::move(client_deps));
    return out;
}

namespace {

PingCheck token_check(const engine::ConnectionConfig& conn, const engine::Dependencies& deps,
                      UpsConnection& ups) {
    net::HttpRequest probe{.method = "GET", .url = ups.base_url + "/api/"};
    if (auto applied = ups.credentials->apply(probe); !applied) {
        return {
            .name = kCheckToken,
            .status = PingStatus::kFail,
            .detail = applied.error().describe() + (applied.error().code == ErrorCode::kAuthFailed
                                                        ? " (secrets " + ups.client_id_secret +
                                                              ", " + ups.client_secret_secret + ")"
                                                        : std::string())};
    }
    const auto cached = deps.store.get_token(conn.name);
    const auto used = deps.store.token_requests_on(conn.name, deps.clock.now());
    std::string detail = "token obtained";
    if (cached && *cached) {
        const auto left = std::chrono::duration_cast<std::chrono::minutes>((*cached)->expires_at -
                                                                           deps.clock.now());
        detail += ", expires in " + std::to_string(left.count()) +
                  " minutes (cached sealed in the state store, shared by every flow on " +
                  conn.name + ")";
    }
    if (!used) return {.name = kCheckToken, .status = PingStatus::kOk, .detail = detail};
    detail += "; " + std::to_string(*used) + " of " + std::to_string(ups.daily_token_budget) +
              " token requests used today (UTC)";
    const bool high = *used * 100 >= ups.daily_token_budget * auth::kBudgetWarnPercent;
    return {.name = kCheckToken,
            .status = high ? PingStatus::kWarn : PingStatus::kOk,
            .detail = high ? detail +
                                 ": find why tokens are not reused, or raise "
                                 "options.daily_token_budget"
                           : detail};
}

PingCheck read_check(UpsConnection& ups) {
    auto check = ups.client->validate(ups.shipper.address);
    if (!check) {
        return {.name = kCheckRead,
                .status = PingStatus::kFail,
                .detail = "Address Validation of the shipper's address failed: " +
                          check.error().describe()};
    }
    const std::string where = ups.shipper.address.street1 + ", " + ups.shipper.address.city;
    switch (check->kind) {
        case ups::AddressCheck::kValid:
            return {.name = kCheckRead,
                    .status = PingStatus::kOk,
                    .detail = "Address Validation answered: the shipper's address (" + where +
                              ") is valid" +
                              (check->corrected ? ", standardised as " + check->address.street1 +
                                                      " " + check->address.postal_code
                                                : std::string()) +
                              " (" + check->classification + ")"};
        case ups::AddressCheck::kAmbiguous:
            return {.name = kCheckRead,
                    .status = PingStatus::kWarn,
                    .detail = "Address Validation answered, but the shipper's address (" + where +
                              ") is ambiguous: make options.shipper_street1 one of UPS's " +
                              std::to_string(check->candidates.size()) + " candidates"};
        case ups::AddressCheck::kNone:
            break;
    }
    return {.name = kCheckRead,
            .status = PingStatus::kWarn,
            .detail = "Address Validation answered, but UPS does not know the shipper's address (" +
                      where + "): check the shipper_* options"};
}

}  // namespace

PingReport ping_ups(const engine::ConnectionConfig& connection, const engine::Dependencies& deps) {
    PingReport report{.connection = connection.name, .system = "ups", .checks = {}};
    PingStart start(report, connection, deps, kNeeds, {kCheckToken, kCheckRead});
    if (!start.passed()) return report;
    auto opened = open_ups(connection, start.probe_deps());
    if (!opened_or_report(report, opened)) return report;
    report.checks.push_back(token_check(connection, deps, **opened));
    if (report.checks.back().status == PingStatus::kFail) {
        skip(report, {kCheckRead}, "not tried: no token");
        return report;
    }
    report.checks.push_back(read_check(**opened));
    return report;
}

}  // namespace mlc::flows::connections

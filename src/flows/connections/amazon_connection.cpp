#include "flows/connections/amazon_connection.hpp"

#include <charconv>

#include "common/time.hpp"
#include "flows/connections/ping.hpp"

namespace mlc::flows::connections {

namespace amazon = connectors::amazon;
using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;
using namespace std::chrono_literals;

namespace {

constexpr SecretNeed kClientId{
    .role = "client_id", .holds = "the LWA client id of the app (Seller Central, Develop Apps)"};
constexpr SecretNeed kClientSecret{.role = "client_secret", .holds = "the LWA client secret"};
constexpr SecretNeed kRefreshToken{.role = "refresh_token",
                                   .holds = "the seller's LWA refresh token (Atzr|...)"};
constexpr SecretNeed kNeeds[] = {kClientId, kClientSecret, kRefreshToken};

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text + ",") {
        if (c == ',') {
            if (!item.empty()) out.push_back(item);
            item.clear();
        } else if (c != ' ') {
            item += c;
        }
    }
    return out;
}

Result<std::string> read_endpoint(const engine::ConnectionConfig& conn) {
    std::string url = conn.base_url;
    if (url.empty()) {
        const auto region = amazon::region_endpoint(option_or(conn, "region", "na"),
                                                    option_or(conn, "sandbox", "false") == "true");
        if (!region) {
            return connection_error(conn, "options.region must be na, eu or fe, not '" +
                                              option_or(conn, "region", "") + "'");
        }
        url = *region;
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

Result<amazon::AmazonClientConfig> read_client_config(const engine::ConnectionConfig& conn) {
    amazon::AmazonClientConfig config{.connection = conn.name};
    MLC_TRY(config.endpoint, read_endpoint(conn));
    const std::string region = option_or(conn, "region", "na");
    config.marketplace_ids =
        split_list(option_or(conn, "marketplace_ids", region == "na" ? "ATVPDKIKX0DER" : ""));
    if (config.marketplace_ids.empty()) {
        return connection_error(conn,
                                "needs options.marketplace_ids (comma-separated, e.g. "
                                "A1PA6795UKMFR9 for Germany): every SP-API call names them");
    }
    if (const std::string date = option_or(conn, "client_secret_rotate_by", ""); !date.empty()) {
        auto due = parse_iso8601(date + "T00:00:00Z");
        if (!due) {
            return connection_error(conn,
                                    "options.client_secret_rotate_by must be a date "
                                    "(YYYY-MM-DD), not '" +
                                        date + "'");
        }
        config.secret_rotate_by = *due;
    }
    const std::string days = option_or(conn, "rotation_warning_days", "14");
    int value = 0;
    const auto [end, ec] = std::from_chars(days.data(), days.data() + days.size(), value);
    if (ec != std::errc() || end != days.data() + days.size() || value < 1 || value > 179) {
        return connection_error(conn,
                                "options.rotation_warning_days must be a whole number of "
                                "days between 1 and 179, not '" +
                                    days + "'");
    }
    config.rotation_warning = std::chrono::hours(24 * value);
    return config;
}

Result<amazon::OrdersApi> read_orders_api(const engine::ConnectionConfig& conn) {
    const std::string api = option_or(conn, "orders_api", "2026-01-01");
    if (api == "2026-01-01") return amazon::OrdersApi::k2026;
    if (api == "v0") return amazon::OrdersApi::kV0;
    return connection_error(conn,
                            "options.orders_api must be 2026-01-01 (the default) or v0 "
                            "(the fallback, until 2027-03-27), not '" +
                                api + "'");
}

}  // namespace

Result<std::unique_ptr<AmazonConnection>> open_amazon(const engine::ConnectionConfig& connection,
                                                      const engine::Dependencies& deps,
                                                      const AmazonOpenOptions& options) {
    if (connection.system != "amazon") {
        return connection_error(connection, "is not an amazon connection");
    }
    if (deps.vault == nullptr) {
        return connection_error(connection,
                                "needs the vault: run `mlc init`, then `mlc secret set` for each "
                                "secret the connection names");
    }
    auto out = std::make_unique<AmazonConnection>();
    MLC_TRY(amazon::AmazonClientConfig config, read_client_config(connection));
    MLC_TRY(out->orders_api, read_orders_api(connection));
    MLC_TRY(const std::string client_id_secret, secret_name(connection, kClientId));
    MLC_TRY(out->client_secret_secret, secret_name(connection, kClientSecret));
    MLC_TRY(out->refresh_token_secret, secret_name(connection, kRefreshToken));
    MLC_TRY_CTX(std::string client_id, deps.vault->get(client_id_secret),
                "while reading the LWA client id of connection " + connection.name);
    out->endpoint = config.endpoint;
    config.client_secret_secret = out->client_secret_secret;
    net::HttpTransport& transport = out->wire(deps, "amazon");
    out->credentials = amazon::make_amazon_credentials(
        {.connection = connection.name,
         .token_url = option_or(connection, "lwa_token_url", std::string(amazon::kLwaTokenUrl)),
         .client_id = std::move(client_id),
         .client_secret_secret = out->client_secret_secret,
         .refresh_token_secret = out->refresh_token_secret},
        transport, deps.clock, deps.store, *deps.vault);
    out->limiters->configure(connection.name, amazon::amazon_rate_limits());
    out->client = std::make_unique<amazon::AmazonClient>(
        std::move(config), amazon::AmazonClientDeps{.transport = transport,
                                                    .clock = deps.clock,
                                                    .limiters = *out->limiters,
                                                    .credentials = *out->credentials,
                                                    .store = &deps.store,
                                                    .retry = options.retry,
                                                    .observer = out->metrics.get()});
    return out;
}

namespace {

PingCheck token_check(const engine::ConnectionConfig& conn, const engine::Dependencies& deps,
                      AmazonConnection& amazon) {
    net::HttpRequest probe{.method = "GET", .url = amazon.endpoint + "/"};
    if (auto applied = amazon.credentials->apply(probe); !applied) {
        return {
            .name = kCheckToken, .status = PingStatus::kFail, .detail = applied.error().describe()};
    }
    std::string detail = "LWA access token obtained";
    const auto cached = deps.store.get_token(conn.name);
    if (cached && *cached) {
        const auto left = std::chrono::duration_cast<std::chrono::minutes>((*cached)->expires_at -
                                                                           deps.clock.now());
        detail += ", expires in " + std::to_string(left.count()) +
                  " minutes (cached sealed in the state store, one per seller connection)";
    }
    const auto& due = amazon.client->config().secret_rotate_by;
    if (!due) {
        return {.name = kCheckToken,
                .status = PingStatus::kWarn,
                .detail = detail +
                          "; options.client_secret_rotate_by is not set: set it to the "
                          "date the LWA client secret's 180 days end, to be alerted "
                          "before Amazon refuses it"};
    }
    const auto days = std::chrono::floor<std::chrono::days>(*due - deps.clock.now()).count();
    const bool soon = deps.clock.now() + amazon.client->config().rotation_warning >= *due;
    return {
        .name = kCheckToken,
        .status = soon ? PingStatus::kWarn : PingStatus::kOk,
        .detail = detail + "; the client secret is due for rotation in " + std::to_string(days) +
                  " days" +
                  (soon ? ": rotate it, then `mlc secret set " + amazon.client_secret_secret + "`"
                        : std::string())};
}

PingCheck read_check(AmazonConnection& amazon, Clock& clock) {
    connectors::amazon::OrdersSource orders(*amazon.client,
                                            {.api = amazon.orders_api,
                                             .window = {.start = clock.now() - 24h, .overlap = {}},
                                             .page_size = 1});
    std::string next;
    auto page = orders.list(clock.now() - 24h, "", next);
    const std::string op =
        amazon.orders_api == amazon::OrdersApi::kV0 ? "getOrders (v0)" : "searchOrders";
    if (!page) {
        return {.name = kCheckRead,
                .status = PingStatus::kFail,
                .detail = op + " of the last day failed: " + page.error().describe()};
    }
    return {
        .name = kCheckRead,
        .status = amazon.orders_api == amazon::OrdersApi::kV0 ? PingStatus::kWarn : PingStatus::kOk,
        .detail = op + " answered (" + std::to_string(page->items.size()) +
                  (page->items.size() == 1 ? " order" : " orders") +
                  " of the last day read, one at most)" +
                  (amazon.orders_api == amazon::OrdersApi::kV0
                       ? ": orders_api v0 is retired on 2027-03-27; move to 2026-01-01"
                       : std::string())};
}

}  // namespace

PingReport ping_amazon(const engine::ConnectionConfig& connection,
                       const engine::Dependencies& deps) {
    PingReport report{.connection = connection.name, .system = "amazon", .checks = {}};
    PingStart start(report, connection, deps, kNeeds, {kCheckToken, kCheckRead});
    if (!start.passed()) return report;
    auto opened = open_amazon(connection, start.probe_deps());
    if (!opened_or_report(report, opened)) return report;
    report.checks.push_back(token_check(connection, deps, **opened));
    if (report.checks.back().status == PingStatus::kFail) {
        skip(report, {kCheckRead}, "not tried: no token");
        return report;
    }
    report.checks.push_back(read_check(**opened, deps.clock));
    return report;
}

}  // namespace mlc::flows::connections

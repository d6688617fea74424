#include "flows/connections/shipstation_connection.hpp"

#include <charconv>

#include "common/time.hpp"
#include "flows/connections/ping.hpp"
#include "net/curl_transport.hpp"

namespace mlc::flows::connections {

namespace ss = connectors::shipstation;
using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;

namespace {

constexpr SecretNeed kApiKey{.role = "api_key", .holds = "the ShipStation V1 API key"};
constexpr SecretNeed kApiSecret{.role = "api_secret", .holds = "the ShipStation V1 API secret"};
constexpr SecretNeed kNeeds[] = {kApiKey, kApiSecret};
// V1 allows 40 requests a minute per key pair (shipstation.md): never configure more.
constexpr double kV1RequestsPerMinute = 40.0;
// Less headroom than this share of the window left: another process is spending the key's budget.
constexpr std::int64_t kHeadroomWarnPercent = 25;
// Ping's own retry bounds: a person is waiting, and the reach probe already proved the host.
const net::RetryOptions kPingRetry{.max_attempts = 2,
                                   .base_delay = std::chrono::milliseconds(500),
                                   .max_delay = std::chrono::seconds(5),
                                   .max_total_delay = std::chrono::seconds(10)};
// "Every order" for the one-order read: V1 has no earlier data than this.
constexpr std::string_view kReadSince = "2000-01-01T00:00:00Z";

std::optional<std::int64_t> header_number(const net::Headers& headers, std::string_view name) {
    const auto text = net::find_header(headers, name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end == text->data() || value < 0) return std::nullopt;
    return value;
}

PingCheck rate_limit_check(const std::optional<net::HttpResponse>& answer) {
    const net::Headers none;
    const net::Headers& headers = answer ? answer->headers : none;
    const auto limit = header_number(headers, "X-Rate-Limit-Limit");
    const auto remaining = header_number(headers, "X-Rate-Limit-Remaining");
    const auto reset = header_number(headers, "X-Rate-Limit-Reset");
    if (!limit || !remaining || *limit == 0) {
        return {.name = kCheckRateLimit,
                .status = PingStatus::kWarn,
                .detail =
                    "the answer carried no X-Rate-Limit-Limit/Remaining headers: flows "
                    "pace at 39 requests a minute without them"};
    }
    std::string detail = std::to_string(*remaining) + " of " + std::to_string(*limit) +
                         " requests left in this minute";
    if (reset) detail += " (window resets in " + std::to_string(*reset) + " s)";
    if (*remaining * 100 < *limit * kHeadroomWarnPercent) {
        return {.name = kCheckRateLimit,
                .status = PingStatus::kWarn,
                .detail = detail +
                          ": something else is spending this API key's budget (another "
                          "process or integration); flows will run slower"};
    }
    return {.name = kCheckRateLimit, .status = PingStatus::kOk, .detail = std::move(detail)};
}

std::string auth_fix(const engine::ConnectionConfig& connection) {
    auto name = [&connection](std::string_view role) {
        auto it = connection.secrets.find(role);
        return it == connection.secrets.end() ? std::string(role) : it->second;
    };
    return "ShipStation refused the API key and secret (HTTP 401): copy both from ShipStation "
           "(Settings > Account > API Settings) with `mlc secret set " +
           name("api_key") + "` and `mlc secret set " + name("api_secret") + "`";
}

// Auth and read from one GET /orders?pageSize=1 (the answer also carries the rate-limit headers).
void read_one_order(const engine::ConnectionConfig& connection, ss::ShipStationClient& client,
                    const AnswerRecorder& recorder, PingReport& report) {
    const UtcTime since = parse_iso8601(kReadSince).value();
    auto page =
        client.list_orders_modified_since({.modified_since = since, .page = 1, .page_size = 1});
    const auto answer = recorder.last();
    const int status = answer ? answer->status : 0;
    if (status == 401 || status == 403) {
        report.checks.push_back(
            {.name = kCheckAuth, .status = PingStatus::kFail, .detail = auth_fix(connection)});
        skip(report, {kCheckRead}, "not tried: the credentials were refused");
        return;
    }
    if (status == 0) {
        skip(report, {kCheckAuth}, "not confirmed: no answer");
    } else {
        report.checks.push_back({.name = kCheckAuth,
                                 .status = PingStatus::kOk,
                                 .detail = "API key and secret accepted"});
    }
    if (!page) {
        report.checks.push_back(
            {.name = kCheckRead,
             .status = PingStatus::kFail,
             .detail = "GET /orders?pageSize=1 failed: " + page.error().describe()});
        return;
    }
    std::string detail = page->items.empty()
                             ? std::string("the account lists no orders yet")
                             : "read order " + page->items.front().value.number + " (1 of " +
                                   std::to_string(page->total) + " orders)";
    report.checks.push_back(
        {.name = kCheckRead, .status = PingStatus::kOk, .detail = std::move(detail)});
}

}  // namespace

Result<std::unique_ptr<ShipStationConnection>> open_shipstation(
    const engine::ConnectionConfig& connection, const engine::Dependencies& deps,
    const ShipStationOpenOptions& options) {
    if (connection.system != "shipstation") {
        return connection_error(connection, "is not a shipstation connection");
    }
    if (deps.vault == nullptr) {
        return connection_error(connection,
                                "needs the vault: run `mlc init`, then `mlc secret set` for each "
                                "secret the connection names");
    }
    MLC_TRY(std::string key, secret_name(connection, kApiKey));
    MLC_TRY(std::string secret, secret_name(connection, kApiSecret));
    ss::ShipStationConnection settings{.name = connection.name,
                                       .base_url = connection.base_url,
                                       .api_key_secret = std::move(key),
                                       .api_secret_secret = std::move(secret)};
    if (auto rate = rate_per_minute(connection); rate && *rate < kV1RequestsPerMinute) {
        settings.rate_limit.connection = {.requests_per_second = *rate / 60.0, .burst = 1.0};
    }
    if (options.retry) settings.retry = *options.retry;
    auto out = std::make_unique<ShipStationConnection>();
    net::HttpTransport& transport = out->wire(deps, "shipstation");
    const ss::ShipStationDependencies needs{.transport = transport,
                                            .clock = deps.clock,
                                            .limiters = *out->limiters,
                                            .vault = *deps.vault,
                                            .observer = out->metrics.get()};
    out->client = std::make_unique<ss::ShipStationClient>(std::move(settings), needs);
    if (auto v2 = connection.secrets.find("api_key_v2");
        v2 != connection.secrets.end() && !v2->second.empty()) {
        ss::ShipStationV2Connection v2_settings{.name = connection.name,
                                                .api_key_secret = v2->second};
        if (auto base = connection.options.find("v2_base_url"); base != connection.options.end())
            v2_settings.base_url = base->second;
        if (options.retry) v2_settings.retry = *options.retry;
        out->v2 = std::make_unique<ss::ShipStationV2Client>(std::move(v2_settings), needs);
    }
    return out;
}

PingReport ping_shipstation(const engine::ConnectionConfig& connection,
                            const engine::Dependencies& deps) {
    PingReport report{.connection = connection.name, .system = "shipstation", .checks = {}};
    PingStart start(report, connection, deps, kNeeds, {kCheckAuth, kCheckRead, kCheckRateLimit});
    if (!start.passed()) return report;
    auto opened = open_shipstation(connection, start.probe_deps(), {.retry = kPingRetry});
    if (!opened_or_report(report, opened)) return report;
    AnswerRecorder& recorder = start.recorder();
    recorder.forget();  // The reach probe's answer says nothing about the credentials.
    read_one_order(connection, *(*opened)->client, recorder, report);
    const auto answer = recorder.last();
    if (!answer || answer->status == 401 || answer->status == 403) {
        skip(report, {kCheckRateLimit}, "not known: no authorised answer");
        return report;
    }
    report.checks.push_back(rate_limit_check(answer));
    return report;
}

}  // namespace mlc::flows::connections

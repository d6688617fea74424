#include "flows/connections/woocommerce_connection.hpp"

#include <algorithm>
#include <charconv>

#include "flows/connections/ping.hpp"
#include "net/curl_transport.hpp"

namespace mlc::flows::connections {

namespace woo = connectors::woocommerce;
using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;

namespace {

constexpr SecretNeed kConsumerKey{.role = "consumer_key",
                                  .holds = "the WooCommerce REST API consumer key (ck_...)"};
constexpr SecretNeed kConsumerSecret{.role = "consumer_secret",
                                     .holds = "the WooCommerce REST API consumer secret (cs_...)"};
constexpr SecretNeed kNeeds[] = {kConsumerKey, kConsumerSecret};
constexpr const char* kCheckWebhooks = "webhooks";
// Ping's own retry bounds: a person is waiting, and the reach probe already proved the host.
const net::RetryOptions kPingRetry{.max_attempts = 2,
                                   .base_delay = std::chrono::milliseconds(500),
                                   .max_delay = std::chrono::seconds(5),
                                   .max_total_delay = std::chrono::seconds(10)};
constexpr std::size_t kWebhooksNamedMax = 5;  // Webhooks named one by one in a ping line.

std::optional<std::uint32_t> per_page_option(const engine::ConnectionConfig& connection) {
    const std::string text = option_or(connection, "per_page", "");
    if (text.empty()) return woo::kPerPageMax;
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 ||
        value > woo::kPerPageMax) {
        return std::nullopt;
    }
    return value;
}

// Auth and read from one GET /products?per_page=1.
void read_one_product(woo::WooCommerceClient& client, PingReport& report) {
    auto page = client.list_products({.page = 1, .per_page = 1});
    if (!page && page.error().code == ErrorCode::kAuthFailed) {
        report.checks.push_back(
            {.name = kCheckAuth, .status = PingStatus::kFail, .detail = page.error().message});
        skip(report, {kCheckRead, kCheckWebhooks}, "not tried: the credentials were refused");
        return;
    }
    if (!page && page.error().http_status == 0) {
        skip(report, {kCheckAuth}, "not confirmed: no answer");
    } else {
        report.checks.push_back({.name = kCheckAuth,
                                 .status = PingStatus::kOk,
                                 .detail = "consumer key and secret accepted (" +
                                           std::string(woo::to_string(client.config().auth)) +
                                           " auth)"});
    }
    if (!page) {
        report.checks.push_back(
            {.name = kCheckRead,
             .status = PingStatus::kFail,
             .detail = "GET products?per_page=1 failed: " + page.error().describe()});
        return;
    }
    std::string detail = page->items.empty()
                             ? std::string("the store lists no products yet")
                             : "read product " + page->items.front().value.sku + " (1 of " +
                                   std::to_string(page->total) + " products)";
    report.checks.push_back(
        {.name = kCheckRead, .status = PingStatus::kOk, .detail = std::move(detail)});
}

std::string describe_hooks(const std::vector<const woo::Webhook*>& hooks) {
    std::string out;
    for (std::size_t i = 0; i < hooks.size() && i < kWebhooksNamedMax; ++i) {
        out += (out.empty() ? "" : ", ") + std::string("webhook ") + std::to_string(hooks[i]->id) +
               " (" + hooks[i]->topic + " -> " + hooks[i]->delivery_url + ")";
    }
    if (hooks.size() > kWebhooksNamedMax) {
        out += " and " + std::to_string(hooks.size() - kWebhooksNamedMax) + " more";
    }
    return out;
}

PingCheck webhooks_check(woo::WooCommerceClient& client) {
    auto hooks = client.list_webhooks();
    if (!hooks) {
        return {.name = kCheckWebhooks,
                .status = PingStatus::kWarn,
                .detail = "could not list webhooks: " + hooks.error().describe()};
    }
    if (hooks->empty()) {
        return {.name = kCheckWebhooks,
                .status = PingStatus::kOk,
                .detail =
                    "none registered: flows poll (modified_after); `mlc run` with a "
                    "server.public_url registers them"};
    }
    std::vector<const woo::Webhook*> disabled;
    std::vector<const woo::Webhook*> paused;
    std::size_t active = 0;
    for (const auto& hook : *hooks) {  // Bounded by list_webhooks (kListPagesMax pages).
        if (hook.status == "disabled") disabled.push_back(&hook);
        if (hook.status == "paused") paused.push_back(&hook);
        if (hook.status == "active") ++active;
    }
    const std::string counts =
        std::to_string(active) + " of " + std::to_string(hooks->size()) + " webhooks active";
    if (!disabled.empty()) {
        // woocommerce.md: Woo disables a webhook after repeated failed deliveries and never
        // retries; it stays disabled until set active again.
        return {.name = kCheckWebhooks,
                .status = PingStatus::kWarn,
                .detail = counts + "; disabled by WooCommerce after failed deliveries: " +
                          describe_hooks(disabled) +
                          ". Make sure the delivery URL answers 2xx, then `mlc webhooks enable "
                          "<flow>` (or set it Active in WooCommerce > Settings > Advanced > "
                          "Webhooks); polling catches up the changes it missed"};
    }
    if (!paused.empty()) {
        return {.name = kCheckWebhooks,
                .status = PingStatus::kWarn,
                .detail = counts +
                          "; paused (Woo queues nothing for them): " + describe_hooks(paused) +
                          ". Set them active with `mlc webhooks enable "
                          "<flow>` when events should flow again"};
    }
    return {.name = kCheckWebhooks, .status = PingStatus::kOk, .detail = counts};
}

}  // namespace

Result<std::unique_ptr<WooCommerceConnection>> open_woocommerce(
    const engine::ConnectionConfig& connection, const engine::Dependencies& deps,
    const WooCommerceOpenOptions& options) {
    if (connection.system != "woocommerce") {
        return connection_error(connection, "is not a woocommerce connection");
    }
    if (deps.vault == nullptr) {
        return connection_error(connection,
                                "needs the vault: run `mlc init`, then `mlc secret set` for each "
                                "secret the connection names");
    }
    MLC_TRY(std::string key, secret_name(connection, kConsumerKey));
    MLC_TRY(std::string secret, secret_name(connection, kConsumerSecret));
    auto auth = woo::auth_mode_from_text(option_or(connection, "auth", "basic"));
    if (!auth) {
        return connection_error(connection,
                                "options.auth '" + option_or(connection, "auth", "") +
                                    "' is not basic or query: use basic (HTTP Basic) or query "
                                    "(when the host strips the Authorization header)");
    }
    const auto per_page = per_page_option(connection);
    if (!per_page) {
        return connection_error(connection,
                                "options.per_page must be a whole number from 1 to "
                                "100 (the wc/v3 maximum)");
    }
    woo::WooCommerceClientConfig settings{.name = connection.name,
                                          .base_url = connection.base_url,
                                          .auth = *auth,
                                          .consumer_key_secret = std::move(key),
                                          .consumer_secret_secret = std::move(secret),
                                          .per_page = *per_page};
    if (auto rate = rate_per_minute(connection)) {
        const double per_second = *rate / 60.0;
        settings.rate_limit.connection = {.requests_per_second = per_second,
                                          .burst = std::max(1.0, per_second)};
    }
    if (options.retry) settings.retry = *options.retry;
    auto out = std::make_unique<WooCommerceConnection>();
    net::HttpTransport& transport = out->wire(deps, "woocommerce");
    out->client = std::make_unique<woo::WooCommerceClient>(
        std::move(settings), woo::WooCommerceDependencies{.transport = transport,
                                                          .clock = deps.clock,
                                                          .limiters = *out->limiters,
                                                          .vault = *deps.vault,
                                                          .observer = out->metrics.get()});
    return out;
}

PingReport ping_woocommerce(const engine::ConnectionConfig& connection,
                            const engine::Dependencies& deps) {
    PingReport report{.connection = connection.name, .system = "woocommerce", .checks = {}};
    PingStart start(report, connection, deps, kNeeds, {kCheckAuth, kCheckRead, kCheckWebhooks});
    if (!start.passed()) return report;
    auto opened = open_woocommerce(connection, start.probe_deps(), {.retry = kPingRetry});
    if (!opened_or_report(report, opened)) return report;
    auto& client = *(*opened)->client;
    read_one_product(client, report);
    if (has_failed(report, kCheckAuth)) return report;
    report.checks.push_back(webhooks_check(client));
    return report;
}

}  // namespace mlc::flows::connections

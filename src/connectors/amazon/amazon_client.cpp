#include "connectors/amazon/amazon_client.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "auth/lwa_refresh_token.hpp"
#include "common/time.hpp"

namespace mlc::connectors::amazon {
namespace {

std::string trim_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

struct UsagePlan {
    std::string_view operation;
    net::RateLimit limit;
};
// From the models' usage plans (orders_2026-01-01.json, ordersV0.json, reports_2021-06-30.json).
constexpr UsagePlan kUsagePlans[] = {
    {"searchOrders", {.requests_per_second = 0.0056, .burst = 20}},
    {"getOrders", {.requests_per_second = 0.0167, .burst = 20}},
    {"getOrder", {.requests_per_second = 0.5, .burst = 30}},
    {"getOrderItems", {.requests_per_second = 0.5, .burst = 30}},
    {"confirmShipment", {.requests_per_second = 2.0, .burst = 10}},
    {"getReports", {.requests_per_second = 0.0222, .burst = 10}},
    {"createReport", {.requests_per_second = 0.0167, .burst = 15}},
    {"getReport", {.requests_per_second = 2.0, .burst = 15}},
    {"cancelReport", {.requests_per_second = 0.0222, .burst = 10}},
    {"getReportDocument", {.requests_per_second = 0.0167, .burst = 15}},
};
// Operations not listed (a presigned document download) share this polite bucket.
constexpr net::RateLimit kOtherOperations{.requests_per_second = 1.0, .burst = 5};

}  // namespace

std::optional<std::string> region_endpoint(std::string_view region, bool sandbox) {
    if (region != "na" && region != "eu" && region != "fe") return std::nullopt;
    return std::string("https://") + (sandbox ? "sandbox." : "") + "sellingpartnerapi-" +
           std::string(region) + ".amazon.com";
}

net::RateLimiterConfig amazon_rate_limits() {
    net::RateLimiterConfig out{.connection = kOtherOperations, .per_operation = {}};
    for (const auto& plan : kUsagePlans)
        out.per_operation[std::string(plan.operation)] = plan.limit;
    return out;
}

net::RetryOptions operation_retry(std::string_view operation) {
    double rate = kOtherOperations.requests_per_second;
    for (const auto& plan : kUsagePlans) {
        if (plan.operation == operation) rate = plan.limit.requests_per_second;
    }
    // One token of the bucket refills in 1/rate seconds: the first retry waits up to that long
    // (full jitter), later ones up to twice it, six refills in all at most.
    const auto refill = std::chrono::milliseconds(
        std::max<std::int64_t>(500, static_cast<std::int64_t>(std::ceil(1000.0 / rate))));
    return net::RetryOptions{.max_attempts = 6,
                             .base_delay = refill,
                             .max_delay = refill * 2,
                             .max_total_delay = refill * 6};
}

std::unique_ptr<auth::TokenManager> make_amazon_credentials(const AmazonCredentialsConfig& config,
                                                            net::HttpTransport& transport,
                                                            Clock& clock, store::StateStore& store,
                                                            const auth::Vault& vault) {
    auth::TokenManagerOptions options;
    options.connection = config.connection;
    options.system = std::string(kSystem);
    options.refresh_skew = std::chrono::minutes(5);
    options.describe_rejection = [](const net::HttpResponse& response,
                                    std::string_view connection) {
        return map_amazon_error(response, {.connection = connection,
                                           .operation = "a call with a fresh access token",
                                           .record_key = {}});
    };
    auth::LwaRefreshTokenConfig source;
    source.system = std::string(kSystem);
    source.token_url = config.token_url;
    source.client_id = config.client_id;
    source.client_secret_secret = config.client_secret_secret;
    source.refresh_token_secret = config.refresh_token_secret;
    return std::make_unique<auth::TokenManager>(
        std::move(options),
        std::make_unique<auth::LwaRefreshToken>(std::move(source), transport, vault),
        auth::CredentialHeaders{}, clock, store, vault);
}

AmazonClient::AmazonClient(AmazonClientConfig config, AmazonClientDeps deps)
    : config_(std::move(config)),
      clock_(deps.clock),
      credentials_(deps.credentials),
      store_(deps.store),
      retry_(deps.retry),
      http_({.system = std::string(kSystem), .retry = deps.retry.value_or(net::RetryOptions{})},
            deps.transport, deps.clock, deps.limiters, deps.seed, deps.logger, deps.observer) {
    config_.endpoint = trim_slashes(config_.endpoint);
}

Result<net::HttpResponse> AmazonClient::call(const AmazonRequest& r) {
    check_secret_rotation();
    net::HttpRequest request{.method = r.method,
                             .url = r.url.empty() ? config_.endpoint + r.path : r.url};
    request.headers = {{"Accept", "application/json"}};
    if (!r.body.empty()) {
        request.body = r.body;
        request.headers.emplace_back("Content-Type", "application/json");
    }
    const AmazonErrorContext context{
        .connection = config_.connection, .operation = r.operation, .record_key = r.record_key};
    net::CallRequest call{.request = {},
                          .connection = config_.connection,
                          .operation = r.operation,
                          .idempotent = r.idempotent,
                          .retry = retry_ ? retry_ : operation_retry(r.operation)};
    const auth::SendFn send = [&](const net::HttpRequest& attempt) -> Result<net::HttpResponse> {
        call.request = attempt;
        Result<net::HttpResponse> answer = http_.call(call);
        if (!answer && answer.error().code == ErrorCode::kUnauthorized) {
            return net::HttpResponse{.status = 401, .headers = {}, .body = {}};
        }
        // SP-API answers an expired or unknown access token with 403 Unauthorized: the token
        // manager refreshes on a 401, once.
        if (answer && answer->status == 403 &&
            read_amazon_error(answer->body).code == "Unauthorized") {
            answer->status = 401;
        }
        return answer;
    };
    Result<net::HttpResponse> response =
        r.authorized ? credentials_.authorized_call(request, send) : send(request);
    if (!response) return map_call_error(std::move(response).error(), context);
    if (response->status == 401 && !r.authorized) response->status = 403;
    if (response->status < 200 || response->status >= 300) {
        return map_amazon_error(*response, context);
    }
    return response;
}

void AmazonClient::check_secret_rotation() {
    if (!config_.secret_rotate_by || store_ == nullptr) return;
    const UtcTime now = clock_.now();
    const auto today = std::chrono::floor<std::chrono::days>(now);
    {
        std::lock_guard lock(rotation_mutex_);
        if (rotation_checked_ == today) return;
        rotation_checked_ = today;
    }
    const UtcTime due = *config_.secret_rotate_by;
    if (now + config_.rotation_warning < due) return;
    const bool passed = now >= due;
    const auto days = std::chrono::floor<std::chrono::days>(due - now).count();
    store::Alert alert;
    alert.key = "lwa-secret-rotation:" + config_.connection;
    alert.severity = passed ? "error" : "warning";
    alert.message =
        "connection '" + config_.connection + "': the LWA client secret " +
        (passed ? "was due for rotation on " + format_iso8601(due) +
                      " (Amazon refuses token requests with invalid_client once it is 180 days "
                      "old)"
                : "is due for rotation on " + format_iso8601(due) + " (in " + std::to_string(days) +
                      " days; Amazon refuses it after 180 days)") +
        ": rotate it in Seller Central (Develop Apps), then `mlc secret set " +
        config_.client_secret_secret +
        "` and set options.client_secret_rotate_by 180 days on; the seller need not authorise "
        "again";
    alert.raised_at = now;
    (void)store_->raise_alert(alert);
}

}  // namespace mlc::connectors::amazon

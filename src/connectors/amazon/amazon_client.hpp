#pragma once
// AmazonClient: the Selling Partner API of one seller connection (amazon-sp-api.md, the models
// in ../shared/specs/amazon-sp-api/) on the regional host (sellingpartnerapi-na/-eu/-fe).
//
//  * Auth: Login with Amazon refresh-token grant (auth::LwaRefreshToken) through the connection's
//    auth::TokenManager (make_amazon_credentials): one access token per seller connection, cached
//    sealed in the state store for its hour and refreshed 5 minutes before it expires; the client
//    secret is read from the vault at each refresh, so `mlc secret set <name>.client_secret`
//    replaces a rotated secret without the seller authorising again. Every call carries
//    `x-amz-access-token`. A 403 Unauthorized (expired or revoked token) refreshes once and
//    retries once.
//  * Secret rotation: LWA client secrets live 180 days. With `secret_rotate_by` set, the client
//    raises the alert "lwa-secret-rotation:<connection>" (warning, then error once the date has
//    passed) when fewer than `rotation_warning` remain, checked once per UTC day of the clock.
//  * Rate limits: a token bucket per operation with its usage plan (amazon_rate_limits());
//    `x-amzn-RateLimit-Limit` on a success resets the operation's rate (net::RateLimiter); a 429
//    QuotaExceeded (Amazon sends no Retry-After) is waited out with full-jitter backoff on the
//    injected clock, the delays scaled to the operation's refill time (operation_retry()).
//  * Errors: amazon_errors.hpp maps every non-2xx answer once.
//
// call() is the generic operation every SP-API reader uses: the Orders source here, and the
// settlement reports reading (getReports/getReport/getReportDocument, amazon_reports.*, another
// helper's) on top of it: name the operation (its usage plan must be in amazon_rate_limits()),
// the path below the regional host with its query, and get the 2xx answer back. A presigned
// document URL goes through call() with `url` set and `authorized` false.
//
// Lifecycle: one per connection (or per flow on it), built at start-up. Thread safety: every
// member may be called from several threads (HttpClient, TokenManager and the transport are; the
// rotation check is locked). Ownership: borrows everything in AmazonClientDeps.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/token_manager.hpp"
#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/amazon/amazon_errors.hpp"
#include "net/http_client.hpp"
#include "net/rate_limiter.hpp"
#include "store/state_store.hpp"

namespace mlc::connectors::amazon {

inline constexpr std::string_view kLwaTokenUrl = "https://api.amazon.com/auth/o2/token";
inline constexpr std::chrono::hours kSecretLifetime{24 * 180};  // LWA client secrets: 180 days.
inline constexpr std::chrono::hours kRotationWarningDefault{24 * 14};

// The regional hosts (amazon-sp-api.md, Regions); nullopt for another name.
std::optional<std::string> region_endpoint(std::string_view region, bool sandbox = false);

// The usage plans of the operations this connector (and the reports reading) calls, from the
// models: searchOrders 0.0056/s burst 20, getOrders 0.0167/20, getOrder and getOrderItems 0.5/30,
// confirmShipment 2/10,
// getReports 0.0222/10, createReport 0.0167/15, getReport 2/15, getReportDocument 0.0167/15.
net::RateLimiterConfig amazon_rate_limits();

// The retry bounds of one operation: a 429 is waited out over the bucket's refill time.
net::RetryOptions operation_retry(std::string_view operation);

struct AmazonCredentialsConfig {
    std::string connection = {};
    std::string token_url = std::string(kLwaTokenUrl);
    std::string client_id = {};             // amzn1.application-oa2-client...: its value.
    std::string client_secret_secret = {};  // Vault name of the LWA client secret.
    std::string refresh_token_secret = {};  // Vault name of the seller's refresh token.
};
std::unique_ptr<auth::TokenManager> make_amazon_credentials(const AmazonCredentialsConfig& config,
                                                            net::HttpTransport& transport,
                                                            Clock& clock, store::StateStore& store,
                                                            const auth::Vault& vault);

struct AmazonClientConfig {
    std::string connection = {};  // "amazon-us": limiter key, token cache row, messages.
    std::string endpoint = {};    // Regional host root: https://sellingpartnerapi-na.amazon.com
    std::vector<std::string> marketplace_ids = {};  // ATVPDKIKX0DER
    std::optional<UtcTime> secret_rotate_by = {};   // When the LWA secret's 180 days end.
    std::chrono::seconds rotation_warning = kRotationWarningDefault;
    std::string client_secret_secret = {};  // Named in the rotation alert.
};

struct AmazonClientDeps {
    net::HttpTransport& transport;
    Clock& clock;
    net::RateLimiterRegistry& limiters;  // Configure the connection with amazon_rate_limits().
    auth::TokenManager& credentials;     // make_amazon_credentials()
    store::StateStore* store = nullptr;  // For the rotation alert; none raised when null.
    std::optional<net::RetryOptions> retry = {};  // Nullopt: operation_retry() per operation.
    std::uint64_t seed = 1;                       // Retry jitter.
    std::shared_ptr<spdlog::logger> logger = {};
    net::ClientObserver* observer = nullptr;
};

// One SP-API operation call.
struct AmazonRequest {
    std::string operation = {};  // The usage plan's name: "searchOrders".
    std::string method = "GET";
    std::string path = {};  // Below the regional host, query included: "/orders/2026-01-01/orders?"
    std::string url = {};   // Instead of the host and path: a presigned document URL.
    std::string body = {};  // JSON, sent when not empty.
    bool idempotent = true;
    bool authorized = true;       // False: no access token (a presigned document URL).
    std::string record_key = {};  // For errors: "order 113-...", "settlement report 123".
};

class AmazonClient final {
  public:
    AmazonClient(AmazonClientConfig config, AmazonClientDeps deps);
    AmazonClient(const AmazonClient&) = delete;
    AmazonClient& operator=(const AmazonClient&) = delete;

    // The 2xx answer (body and headers); any other answer mapped by map_amazon_error.
    Result<net::HttpResponse> call(const AmazonRequest& request);

    // Raises or clears nothing unless secret_rotate_by is set; at most once per UTC day.
    void check_secret_rotation();

    const AmazonClientConfig& config() const { return config_; }
    Clock& clock() const { return clock_; }

  private:
    AmazonClientConfig config_;
    Clock& clock_;
    auth::TokenManager& credentials_;
    store::StateStore* store_;
    std::optional<net::RetryOptions> retry_;
    net::HttpClient http_;
    std::mutex rotation_mutex_;
    std::optional<std::chrono::sys_days> rotation_checked_;  // Guarded by rotation_mutex_.
};

}  // namespace mlc::connectors::amazon

#pragma once
// UpsClient: the UPS REST APIs of one connection (ups.md, the OpenAPI files in
// ../shared/specs/ups/) in the connector's terms: Address Validation, Shipping (ship, void,
// label recovery),
// Tracking (by number, by reference), Quantum View and Track Alert subscriptions.
//
//  * Auth: OAuth client credentials through the connection's auth::TokenManager
//    (make_ups_credentials): the token is sealed in the store's cache for its whole life
//    (`expires_in`, a string), shared by every client and flow on the connection and by other
//    processes on the same store; a 401 refreshes it once and retries once; token requests count
//    against a daily budget (250 by default) with a warning alert at 80 % and an error alert when
//    spent.
//  * Every call carries `transId` (unique per request: the client's prefix and a counter, stamped
//    on each attempt) and `transactionSrc` (UpsClientConfig::transaction_src, "mlc").
//  * Retries and pacing are net::HttpClient's: 429 10429 (UPS sends no rate headers) and
//    502/503/504 are retried with full jitter; a ship (POST) is never repeated after a lost
//    answer (UPS does not dedupe it: the shipments target looks it up by reference instead),
//    but is after a 429, which UPS refused unapplied.
//  * Errors: ups_errors.hpp maps every non-2xx answer once; JSON: ups_json.hpp.
//
// Lifecycle: one per connection (or per flow on it), built at start-up. Thread safety: every
// member may be called from several threads (the HttpClient, TokenManager and transport are;
// the transId counter is atomic). Ownership: borrows everything in UpsClientDeps, which must
// outlive it.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/token_manager.hpp"
#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/ups/ups_errors.hpp"
#include "connectors/ups/ups_json.hpp"
#include "connectors/ups/ups_types.hpp"
#include "model/model.hpp"
#include "net/http_client.hpp"
#include "net/rate_limiter.hpp"
#include "store/state_store.hpp"

namespace mlc::connectors::ups {

inline constexpr std::string_view kShipVersion = "v2409";  // Shipping.yaml: current version.
inline constexpr std::size_t kTransIdLengthMax = 32;       // transId: "Length 32".
// UPS publishes no rate limits (ups.md); this keeps a burst of flows polite.
inline const net::RateLimit kDefaultRateLimit{.requests_per_second = 5.0, .burst = 10.0};

struct UpsClientConfig {
    std::string connection = {};                           // "ups-main": limiter key, messages.
    std::string base_url = "https://onlinetools.ups.com";  // Host root; the APIs are below /api/.
    std::string transaction_src = "mlc";
    std::string account_number = {};  // shipperNum of reference searches.
};

struct UpsClientDeps {
    net::HttpTransport& transport;
    Clock& clock;
    net::RateLimiterRegistry& limiters;
    auth::TokenManager& credentials;  // make_ups_credentials()
    net::RetryOptions retry = {};
    std::uint64_t seed = 1;  // Retry jitter and the transId prefix.
    std::shared_ptr<spdlog::logger> logger = {};
    net::ClientObserver* observer = nullptr;
};

// The OAuth client-credentials token manager of a UPS connection.
struct UpsCredentialsConfig {
    std::string connection = {};
    std::string base_url = "https://onlinetools.ups.com";  // Token at /security/v1/oauth/token.
    std::string client_id = {};                            // The app's client id (its value).
    std::string client_secret_secret = {};                 // Vault name of the client secret.
    std::string merchant_id = {};                          // x-merchant-id when not empty.
    std::optional<int> daily_token_budget = auth::kUpsDailyTokenBudget;
};
std::unique_ptr<auth::TokenManager> make_ups_credentials(const UpsCredentialsConfig& config,
                                                         net::HttpTransport& transport,
                                                         Clock& clock, store::StateStore& store,
                                                         const auth::Vault& vault);

class UpsClient final {
  public:
    UpsClient(UpsClientConfig config, UpsClientDeps deps);
    ~UpsClient();
    UpsClient(const UpsClient&) = delete;
    UpsClient& operator=(const UpsClient&) = delete;

    // POST /api/addressvalidation/v2/3 (validation and classification).
    Result<AddressCheck> validate(const model::Address& address);
    // POST /api/shipments/v2409/ship. Never repeated after a lost answer (see above).
    Result<ShipResult> ship(const UpsShipper& shipper, const UpsShipmentDraft& draft);
    // POST /api/labels/v1/recovery by TrackingNumber: that package's label again, in
    // `label_format`. A read, so retried like one; kRejected (parked) when UPS has no label for
    // the number (unknown to the account, voided).
    Result<ShippedPackage> recover_label(const std::string& tracking_number,
                                         const std::string& label_format);
    // DELETE /api/shipments/v2409/void/cancel/{shipment id}: every package of the shipment.
    Result<void> void_shipment(const std::string& shipment_id);
    // GET /api/track/v1/details/{number}; nullopt for TW0001 (unknown, or older than 120 days).
    Result<std::optional<TrackedPackage>> track_package(const std::string& tracking_number);
    // The details as the model's tracking event; kNotFound for an unknown number.
    Result<model::TrackingEvent> track(const std::string& tracking_number);
    // GET /api/track/v1/reference/details/{reference}?shipperNum=<account>: every package
    // shipped under the reference (empty for TW0001).
    Result<std::vector<TrackedPackage>> track_reference(const std::string& reference);
    // POST /api/quantumview/v3/events over [begin, end], the page after `bookmark`.
    Result<QuantumViewPage> quantum_view(UtcTime begin, UtcTime end, const std::string& bookmark);
    // POST /api/track/v2/subscription/standard/package: Track Alert for `numbers` (1 to 100,
    // else kInvalidInput; the caller batches), each for 14 days from now; subscribing a number
    // again renews it. A request UPS refuses as holding no valid number (VSS210) answers every
    // number invalid. UPS pushes to the URL and credential set in its portal (ups_track_alert.hpp).
    Result<TrackAlertAnswer> subscribe_track_alert(const std::vector<std::string>& numbers);

    const UpsClientConfig& config() const { return config_; }
    Clock& clock() const { return clock_; }

  private:
    class Stamp;
    struct Call {
        std::string method = "GET";
        std::string path = {};  // Below the host: "/api/track/v1/details/1Z..."
        std::optional<boost::json::object> body = {};
        bool idempotent = true;
        UpsErrorContext context = {};
    };
    Result<std::string> send(const Call& call);

    UpsClientConfig config_;
    Clock& clock_;
    auth::TokenManager& credentials_;
    std::unique_ptr<Stamp> stamp_;
    net::HttpClient http_;
};

}  // namespace mlc::connectors::ups

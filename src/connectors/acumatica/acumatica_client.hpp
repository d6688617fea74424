#pragma once
// AcumaticaClient: Acumatica's contract-based REST API (acumatica.md) for one connection:
// <base>/entity/<endpoint>/<version>/<Entity>, every field {"value": ...}.
//
//  * Version: the endpoint and version come from the connection (default Default/24.200.001).
//    Before the first entity call the client reads GET /entity once; a version the instance does
//    not publish is kConfig naming the versions it serves (an unserved version answers 404).
//  * Sessions: the connection's TokenManager holds the session cookies of auth::SessionLogin:
//    the first call logs in, every later call reuses the session, a 401 logs in again once.
//    end_session() logs out (the recipe calls it at the end of every run: a session holds a
//    licence seat until it times out). A login refused with "API Login Limit" (every seat held by
//    other sessions) waits for a seat to free up within the call: up to `login_wait` in total
//    (connection option login_wait, default 5 minutes), each wait drawn with full jitter on the
//    clock (net::RetryPolicy), then logs in again; past it the error is kRateLimited and the run
//    ends, the next one logs in again.
//  * Throttling: the licence's request queue holds a request past half the per-minute limit
//    (acumatica.md, Throttling); the sandbox answers at once and reports the hold in
//    X-Sandbox-Queue-Delay-Ms. Either way the connection's rate limiter is closed for that long,
//    so the next request waits its turn instead of queueing more; a 429 is retried by the net
//    client's policy (full jitter).
//  * Actions answer 202 and a Location polled on the clock (kActionPollsMax polls,
//    kActionPollDelay apart) until 204.
//
// Lifecycle: built once per connection; borrows transport, clock, limiters, credentials and
// observer, which must outlive it. Thread safety: none (one flow's run uses it at a time).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "auth/token_manager.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_client.hpp"
#include "net/rate_limiter.hpp"
#include "net/retry_policy.hpp"

namespace mlc::connectors::acumatica {

inline constexpr const char* kSystem = "acumatica";
inline constexpr const char* kDefaultEndpoint = "Default";
inline constexpr const char* kDefaultVersion = "24.200.001";
inline constexpr std::uint32_t kActionPollsMax = 60;              // An action's 202 polls.
inline constexpr std::chrono::seconds kActionPollDelay{1};        // Between two polls.
inline constexpr std::size_t kAnswerBytesMax = 64 * 1024 * 1024;  // One answer.
inline constexpr const char* kQueueDelayHeader = "X-Sandbox-Queue-Delay-Ms";
inline constexpr std::chrono::minutes kQueueDelayMax{10};  // Past it Acumatica declines (429).

// A seat is waited for this long in total, 5 s doubling to 1 minute between logins, jittered.
inline constexpr net::RetryOptions kLoginWaitDefault{.max_attempts = 20,
                                                     .base_delay = std::chrono::seconds(5),
                                                     .max_delay = std::chrono::minutes(1),
                                                     .max_total_delay = std::chrono::minutes(5)};

struct AcumaticaClientConfig {
    std::string connection = {};  // Rate-limit key, named in every error.
    std::string base_url = {};    // "https://host/site".
    std::string endpoint = kDefaultEndpoint;
    std::string version = kDefaultVersion;
    net::RateLimiterConfig rate_limit = {};
    net::RetryOptions retry = {};
    // Waiting for a licence seat ("API Login Limit"): max_total_delay 0 fails at once.
    net::RetryOptions login_wait = kLoginWaitDefault;
};

struct AcumaticaClientDeps {
    net::HttpTransport& transport;
    Clock& clock;
    net::RateLimiterRegistry& limiters;
    auth::TokenManager& credentials;  // Session login (auth::SessionLogin).
    net::ClientObserver* observer = nullptr;
    std::uint64_t seed = 1;
};

// One entity call: `path` below the endpoint ("SalesOrder?$top=10"), JSON body or none.
struct EntityCall {
    std::string method = "GET";
    std::string path = {};
    std::optional<boost::json::value> body = {};
    std::string record_key = {};  // "sales order SO/000123"
    // A PUT that adds a detail row without its id (a new package) inserts it again when repeated:
    // never repeated after a lost answer, the caller looks again first (a PUT is otherwise an
    // upsert by key fields and repeated).
    bool inserts_rows = false;
};

class AcumaticaClient final {
  public:
    AcumaticaClient(AcumaticaClientConfig config, AcumaticaClientDeps deps);
    ~AcumaticaClient();
    AcumaticaClient(const AcumaticaClient&) = delete;
    AcumaticaClient& operator=(const AcumaticaClient&) = delete;

    // The "<endpoint> <version>" pairs the instance publishes (GET /entity, no session needed).
    Result<std::vector<std::string>> served_versions();
    // kConfig naming the served versions when the connection's is not one of them (read once).
    Result<void> check_version();
    // An entity call with the session; the answer's JSON (null for an empty body). Non-2xx
    // answers are mapped by acumatica_errors.hpp.
    Result<boost::json::value> call(const EntityCall& call);
    // POST <Entity>/<Action> {"entity": keys, "parameters"}; polls a 202 until 204.
    Result<void> action(const std::string& entity, const std::string& action,
                        boost::json::object keys, const std::string& record_key);
    // Logs out (if logged in). Called at the end of every run.
    Result<void> end_session();

    const AcumaticaClientConfig& config() const { return config_; }

  private:
    class QueueDelayAsBlock;
    Result<net::HttpResponse> send(net::HttpRequest request, const std::string& record_key,
                                   bool repeatable);
    std::string entity_url(const std::string& path) const;
    Result<net::HttpResponse> seated_call(const net::HttpRequest& request,
                                          const auth::SendFn& send);

    AcumaticaClientConfig config_;
    Clock& clock_;
    auth::TokenManager& credentials_;
    std::unique_ptr<QueueDelayAsBlock> transport_;
    std::unique_ptr<net::HttpClient> http_;
    net::RetryPolicy login_wait_;
    bool version_checked_ = false;
};

}  // namespace mlc::connectors::acumatica

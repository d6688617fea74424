#pragma once
// `mlc ping`: probes of a connection (mlc.yaml) and of a flow, each finding reported as one line
// that says what is wrong and how to fix it (connectors/ping.hpp is the report shape).
//
//  * ping_connection() dispatches on the connection's system (shipstation_connection.hpp,
//    epicor_connection.hpp; WooCommerce when the build has it) and never writes to a vendor.
//  * ping_flow() pings the flow's connections, then, for "shipstation-to-epicor-orders", reads a
//    sample of recent ShipStation orders and reports how many customers and SKUs resolve in
//    Epicor (fit_check.hpp), writing nothing; other recipes: connections only, and it says so.
//  * The helpers below (secrets, reach, unreachable-host wording, the answer recorder) are shared
//    by every system's ping.
//
// Functions: no state of their own; thread safety: one call per thread (each builds its clients).
// Ownership: borrow everything in engine::Dependencies.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "connectors/ping.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "net/http_transport.hpp"

namespace mlc::flows::connections {

// A probe waits no longer than this for one answer: ping is run by a person at a terminal.
inline constexpr net::TransportOptions kProbeTimeouts{.connect_timeout = std::chrono::seconds(10),
                                                      .total_timeout = std::chrono::seconds(30)};
// Fit-check sample bounds (`mlc ping <flow> --sample N`): one ShipStation V1 page at most.
inline constexpr std::uint32_t kDefaultFitSample = 100;
inline constexpr std::uint32_t kFitSampleMax = 500;  // V1 pageSize maximum (shipstation.md).
// Answer bytes the recorder keeps (an Epicor 401 body is well under 1 KiB).
inline constexpr std::size_t kRecordedBodyBytesMax = 16 * 1024;

// Check names, shared so the CLI and tests read the same words.
inline constexpr const char* kCheckSecrets = "secrets";
inline constexpr const char* kCheckConfig = "config";
inline constexpr const char* kCheckReach = "reach";
inline constexpr const char* kCheckAuth = "auth";
inline constexpr const char* kCheckRead = "read";
inline constexpr const char* kCheckRateLimit = "rate limit";
inline constexpr const char* kCheckToken = "token";
inline constexpr const char* kCheckFit = "fit";
inline constexpr const char* kCheckUnresolved = "unresolved";

// A vault secret a connection needs: its role under `secrets:` and what it holds (for the fix).
struct SecretNeed {
    std::string_view role;   // "api_key"
    std::string_view holds;  // "the ShipStation V1 API key"
};

// One "secrets" check: FAIL naming each role missing from mlc.yaml, each secret missing from the
// vault (with the `mlc secret set NAME` that fixes it), or the missing vault itself (`mlc init`).
connectors::PingCheck check_secrets(const engine::ConnectionConfig& connection,
                                    const auth::Vault* vault, std::span<const SecretNeed> needs);

// One "reach" check: an unauthenticated GET of `base_url`. Any HTTP answer means the host is
// reachable; no answer is a FAIL naming the host, what failed (DNS, connect, TLS, timeout) and
// the fix.
connectors::PingCheck probe_reach(net::HttpTransport& transport, std::string_view base_url,
                                  std::string_view connection);

// "host:port" of a URL ("" when it has no scheme).
std::string host_of(std::string_view url);
// One line for a transport error (no HTTP answer) talking to `host`: the failure and its fix.
std::string describe_unreachable(std::string_view host, std::string_view connection,
                                 const Error& error);

// Appends a kSkipped check named `name` saying why it was not tried.
void skip(connectors::PingReport& report, std::initializer_list<const char*> names,
          std::string_view reason);
bool has_failed(const connectors::PingReport& report, std::string_view check);

// A transport that keeps a copy of the last answer it passed on (status, headers, the start of the
// body), so a ping can read vendor headers (ShipStation X-Rate-Limit-*) and tell Epicor's 401
// causes apart. Lifecycle: lives for one ping. Thread safety: send() and last() may be called from
// several threads. Ownership: borrows the inner transport.
class AnswerRecorder final : public net::HttpTransport {
  public:
    explicit AnswerRecorder(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override;
    // The last answer received (none when no request got an HTTP answer yet).
    std::optional<net::HttpResponse> last() const;
    // The URL of the request that got last().
    std::string last_url() const;
    // Forgets the last answer (before the call whose answer matters).
    void forget();

  private:
    net::HttpTransport& inner_;
    mutable std::mutex mutex_;
    std::optional<net::HttpResponse> last_;  // Guarded by mutex_.
    std::string last_url_;                   // Guarded by mutex_.
};

// The two checks every connection ping starts with: its secrets, then an unauthenticated reach of
// its host, over a transport that records answers (deps.transport, or curl). When one fails, the
// checks named in `later` are reported skipped and passed() is false. Then the ping opens its
// connection with probe_deps() and reads through it. Lifecycle: lives for one ping. Ownership:
// borrows the report and deps; owns the curl transport it may make and the recorder.
class PingStart {
  public:
    PingStart(connectors::PingReport& report, const engine::ConnectionConfig& connection,
              const engine::Dependencies& deps, std::span<const SecretNeed> needs,
              std::initializer_list<const char*> later);
    bool passed() const { return passed_; }
    // deps with the recorder as transport and no metrics (a ping is not the daemon's traffic).
    engine::Dependencies probe_deps() const;
    AnswerRecorder& recorder() { return *recorder_; }

  private:
    engine::Dependencies deps_;
    std::unique_ptr<net::HttpTransport> own_;
    std::unique_ptr<AnswerRecorder> recorder_;
    bool passed_ = false;
};

// True when the connection opened; otherwise a "config" FAIL with the builder's error.
template <typename T>
bool opened_or_report(connectors::PingReport& report, const Result<T>& opened) {
    if (opened) return true;
    report.checks.push_back({.name = kCheckConfig,
                             .status = connectors::PingStatus::kFail,
                             .detail = opened.error().describe()});
    return false;
}

// ---- Config helpers shared by the connection builders (open_shipstation, open_epicor, ...). ----

// The vault secret name under `secrets.<role>`; kConfig naming the field and what it holds.
Result<std::string> secret_name(const engine::ConnectionConfig& connection, const SecretNeed& need);
// options.rate_per_minute as a positive number; nullopt when absent or not one.
std::optional<double> rate_per_minute(const engine::ConnectionConfig& connection);
std::string option_or(const engine::ConnectionConfig& connection, std::string_view name,
                      std::string fallback);
// kConfig "connection '<name>' (<system>): <message>".
Error connection_error(const engine::ConnectionConfig& connection, std::string message);

// Pings one connection of any system; an unknown system reports one skipped check.
connectors::PingReport ping_connection(const engine::ConnectionConfig& connection,
                                       const engine::Dependencies& deps);

struct FlowPingRequest {
    UtcTime since{};  // Fit sample: orders modified since then (the CLI: 30 days back).
    std::uint32_t sample = kDefaultFitSample;  // Clamped to 1..kFitSampleMax.
};

struct FlowPingReport {
    std::string flow;
    std::string recipe;
    std::vector<connectors::PingReport> connections;  // In role order (source, target, ...).
    std::vector<connectors::PingCheck> checks;        // Fit check lines (or why none).
    // The `mappings:` YAML block to paste under `flows.<flow>:` for what did not resolve, each
    // key mapped to a placeholder for the Epicor ID; empty when everything sampled resolved.
    std::string mappings = {};

    bool ok() const;
};

// Each connection `flow` names pinged (a name mlc.yaml lacks: one failed "config" check).
std::vector<connectors::PingReport> ping_flow_connections(const engine::FlowConfig& flow,
                                                          const engine::Dependencies& deps);
// The failed checks of those, one line ("ss (shipstation) auth: ...; ..."), or nullopt when none
// failed: the daemon's "connection_failing" alert (engine/alert_rules.hpp) asks this.
std::optional<std::string> connection_problems(const engine::FlowConfig& flow,
                                               const engine::Dependencies& deps);

// Connections of `flow`, then the recipe's fit check (writes nothing). The fit check FAILs when
// orders were sampled and none of them would go through; it warns when only some would.
FlowPingReport ping_flow(const engine::FlowConfig& flow, const engine::Dependencies& deps,
                         const FlowPingRequest& request);

}  // namespace mlc::flows::connections

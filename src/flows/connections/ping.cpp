#include "flows/connections/ping.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/time.hpp"
#include "flows/connections/acumatica_connection.hpp"
#include "flows/connections/amazon_connection.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/shipstation_connection.hpp"
#include "flows/connections/ups_connection.hpp"
#include "flows/connections/woocommerce_connection.hpp"
#include "flows/shipstation_epicor/fit_check.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "net/curl_transport.hpp"

namespace mlc::flows::connections {

using connectors::PingCheck;
using connectors::PingReport;
using connectors::PingStatus;

namespace {

bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::any_of(needles.begin(), needles.end(), [&lower](std::string_view needle) {
        return lower.find(needle) != std::string::npos;
    });
}

std::string field(const engine::ConnectionConfig& connection, std::string_view rest) {
    return "connections." + connection.name + "." + std::string(rest);
}

}  // namespace

PingCheck check_secrets(const engine::ConnectionConfig& connection, const auth::Vault* vault,
                        std::span<const SecretNeed> needs) {
    std::vector<std::string> problems;
    std::vector<std::string> names;
    std::vector<std::string> vault_names;
    bool vault_listed = false;
    if (vault != nullptr) {
        if (auto listed = vault->list()) {
            vault_names = std::move(*listed);
            vault_listed = true;
        } else {
            return {.name = kCheckSecrets,
                    .status = PingStatus::kFail,
                    .detail = "cannot read the vault: " + listed.error().describe()};
        }
    }
    for (const SecretNeed& need : needs) {
        auto it = connection.secrets.find(need.role);
        if (it == connection.secrets.end() || it->second.empty()) {
            problems.push_back(field(connection, "secrets." + std::string(need.role)) +
                               " is missing in mlc.yaml: name the vault secret holding " +
                               std::string(need.holds));
            continue;
        }
        names.push_back(it->second);
        if (vault_listed &&
            std::find(vault_names.begin(), vault_names.end(), it->second) == vault_names.end()) {
            problems.push_back("vault secret '" + it->second + "' (" + std::string(need.holds) +
                               ") is not set: run `mlc secret set " + it->second + "`");
        }
    }
    if (vault == nullptr) {
        std::string fix = "no vault: run `mlc init`";
        for (const auto& name : names) fix += ", then `mlc secret set " + name + "`";
        problems.insert(problems.begin(), fix);
    }
    if (!problems.empty()) {
        std::string detail;
        for (const auto& problem : problems) detail += (detail.empty() ? "" : "; ") + problem;
        return {.name = kCheckSecrets, .status = PingStatus::kFail, .detail = std::move(detail)};
    }
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    return {.name = kCheckSecrets, .status = PingStatus::kOk, .detail = "in the vault: " + listed};
}

std::string host_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    std::string_view authority = url.substr(scheme + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    const auto at = authority.rfind('@');
    return std::string(at == std::string_view::npos ? authority : authority.substr(at + 1));
}

std::string describe_unreachable(std::string_view host, std::string_view connection,
                                 const Error& error) {
    const std::string h(host);
    const std::string base = "connections." + std::string(connection) + ".base_url";
    const std::string& why = error.message;
    // libcurl's wording (curl_easy_strerror and its error buffer) names the failing stage.
    if (contains_any(why, {"resolve", "name or service not known"})) {
        return "cannot resolve host " + h + " (DNS): check the host name in " + base +
               " and this machine's DNS settings";
    }
    if (contains_any(why, {"ssl", "tls", "certificate", "handshake"})) {
        return "TLS with " + h + " failed (" + why + "): check that the host in " + base +
               " matches its certificate and that the system CA store trusts it";
    }
    if (contains_any(why, {"timeout", "timed out"})) {
        return h + " did not answer in time (" + why +
               "): check the network path (firewall, VPN, proxy) and the port in " + base;
    }
    if (contains_any(why, {"connect", "refused", "unreachable", "no route"})) {
        return "cannot connect to " + h + " (" + why + "): check the port in " + base +
               ", that the server is up, and any firewall";
    }
    return "no answer from " + h + " (" + why + "): check " + base + " and the network";
}

PingCheck probe_reach(net::HttpTransport& transport, std::string_view base_url,
                      std::string_view connection) {
    const std::string host = host_of(base_url);
    if (host.empty()) {
        return {.name = kCheckReach,
                .status = PingStatus::kFail,
                .detail = "base_url '" + std::string(base_url) + "' of connection " +
                          std::string(connection) +
                          " is not an absolute URL: write it as https://host[/path]"};
    }
    net::HttpRequest request{.method = "GET", .url = std::string(base_url)};
    auto answer = transport.send(request, kProbeTimeouts);
    if (!answer) {
        return {.name = kCheckReach,
                .status = PingStatus::kFail,
                .detail = describe_unreachable(host, connection, answer.error())};
    }
    const bool tls = base_url.starts_with("https://");
    return {.name = kCheckReach,
            .status = PingStatus::kOk,
            .detail = host + " answered (HTTP " + std::to_string(answer->status) +
                      (tls ? ", TLS verified)" : ", plain HTTP)")};
}

void skip(PingReport& report, std::initializer_list<const char*> names, std::string_view reason) {
    for (const char* name : names) {
        report.checks.push_back(
            {.name = name, .status = PingStatus::kSkipped, .detail = std::string(reason)});
    }
}

PingStart::PingStart(PingReport& report, const engine::ConnectionConfig& connection,
                     const engine::Dependencies& deps, std::span<const SecretNeed> needs,
                     std::initializer_list<const char*> later)
    : deps_(deps) {
    report.checks.push_back(check_secrets(connection, deps.vault, needs));
    if (report.checks.back().status == PingStatus::kFail) {
        skip(report, {kCheckReach}, "not tried: set the secrets first");
        skip(report, later, "not tried: set the secrets first");
        return;
    }
    net::HttpTransport* inner = deps.transport;
    if (inner == nullptr) {
        own_ = std::make_unique<net::CurlTransport>();
        inner = own_.get();
    }
    recorder_ = std::make_unique<AnswerRecorder>(*inner);
    report.checks.push_back(probe_reach(*recorder_, connection.base_url, connection.name));
    if (report.checks.back().status == PingStatus::kFail) {
        skip(report, later, "not tried: the host is unreachable");
        return;
    }
    passed_ = true;
}

engine::Dependencies PingStart::probe_deps() const {
    engine::Dependencies probe = deps_;
    probe.transport = recorder_.get();
    probe.metrics = nullptr;
    return probe;
}

bool has_failed(const PingReport& report, std::string_view check) {
    return std::any_of(report.checks.begin(), report.checks.end(), [check](const PingCheck& c) {
        return c.name == check && c.status == PingStatus::kFail;
    });
}

Result<net::HttpResponse> AnswerRecorder::send(const net::HttpRequest& request,
                                               const net::TransportOptions& options) {
    auto answer = inner_.send(request, options);
    if (answer) {
        net::HttpResponse copy{.status = answer->status, .headers = answer->headers, .body = {}};
        copy.body = answer->body.substr(0, kRecordedBodyBytesMax);
        std::lock_guard lock(mutex_);
        last_ = std::move(copy);
        last_url_ = request.url;
    }
    return answer;
}

std::optional<net::HttpResponse> AnswerRecorder::last() const {
    std::lock_guard lock(mutex_);
    return last_;
}

std::string AnswerRecorder::last_url() const {
    std::lock_guard lock(mutex_);
    return last_url_;
}

Result<std::string> secret_name(const engine::ConnectionConfig& connection,
                                const SecretNeed& need) {
    auto it = connection.secrets.find(need.role);
    if (it == connection.secrets.end() || it->second.empty()) {
        return connection_error(connection, "needs secrets." + std::string(need.role) +
                                                ": the name of the vault secret holding " +
                                                std::string(need.holds));
    }
    return it->second;
}

std::optional<double> rate_per_minute(const engine::ConnectionConfig& connection) {
    auto it = connection.options.find("rate_per_minute");
    if (it == connection.options.end()) return std::nullopt;
    double value = 0;
    const auto [end, ec] =
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec != std::errc() || value <= 0) return std::nullopt;
    return value;
}

std::string option_or(const engine::ConnectionConfig& connection, std::string_view name,
                      std::string fallback) {
    auto it = connection.options.find(name);
    return it == connection.options.end() || it->second.empty() ? fallback : it->second;
}

Error connection_error(const engine::ConnectionConfig& connection, std::string message) {
    return make_error(ErrorCode::kConfig, "connection '" + connection.name + "' (" +
                                              connection.system + "): " + std::move(message));
}

void AnswerRecorder::forget() {
    std::lock_guard lock(mutex_);
    last_.reset();
    last_url_.clear();
}

PingReport ping_connection(const engine::ConnectionConfig& connection,
                           const engine::Dependencies& deps) {
    if (connection.system == "shipstation") return ping_shipstation(connection, deps);
    if (connection.system == "epicor") return ping_epicor(connection, deps);
    if (connection.system == "woocommerce") return ping_woocommerce(connection, deps);
    if (connection.system == "acumatica") return ping_acumatica(connection, deps);
    if (connection.system == "ups") return ping_ups(connection, deps);
    if (connection.system == "amazon") return ping_amazon(connection, deps);
    PingReport report{.connection = connection.name, .system = connection.system, .checks = {}};
    report.checks.push_back(
        {.name = "ping",
         .status = PingStatus::kSkipped,
         .detail = "pinging " + connection.system + " connections is not supported in this build"});
    return report;
}

bool FlowPingReport::ok() const {
    const bool connections_ok = std::all_of(connections.begin(), connections.end(),
                                            [](const PingReport& r) { return r.ok(); });
    return connections_ok && std::none_of(checks.begin(), checks.end(), [](const PingCheck& c) {
               return c.status == PingStatus::kFail;
           });
}

namespace {

namespace se = shipstation_epicor;

const engine::ConnectionConfig* role_connection(const engine::FlowConfig& flow,
                                                const engine::Dependencies& deps,
                                                std::string_view role) {
    auto named = flow.connections.find(role);
    if (named == flow.connections.end() || deps.config == nullptr) return nullptr;
    auto found = deps.config->connections.find(named->second);
    return found == deps.config->connections.end() ? nullptr : &found->second;
}

std::string fit_summary(const se::FitReport& fit, const FlowPingRequest& request) {
    const std::string since = format_iso8601(request.since).substr(0, 10);
    return std::to_string(fit.orders) + " ShipStation orders modified since " + since + ": " +
           std::to_string(fit.orders_ready) + " ready to write; customers " +
           std::to_string(fit.customers_resolved) + " resolve, " +
           std::to_string(fit.customers_unresolved) + " do not; SKUs " +
           std::to_string(fit.skus_resolved) + " resolve, " + std::to_string(fit.skus_unresolved) +
           " do not";
}

// The orders recipe's fit check: both clients from the flow's own options, one sample, no writes.
void check_orders_fit(const engine::FlowConfig& flow, const engine::Dependencies& deps,
                      const FlowPingRequest& request, FlowPingReport& report) {
    auto fail = [&report](std::string detail) {
        report.checks.push_back(
            {.name = kCheckFit, .status = PingStatus::kFail, .detail = std::move(detail)});
    };
    auto options = se::parse_orders_options(flow);
    if (!options) return fail(options.error().describe());
    const auto* source = role_connection(flow, deps, "source");
    const auto* target = role_connection(flow, deps, "target");
    if (source == nullptr || target == nullptr || source->system != "shipstation" ||
        target->system != "epicor") {
        return fail("flow " + flow.name +
                    " needs connections.source (a shipstation connection) "
                    "and connections.target (an epicor connection)");
    }
    auto shipstation = open_shipstation(*source, deps);
    if (!shipstation) return fail(shipstation.error().describe());
    auto epicor = open_epicor(*target, deps,
                              {.source_key_field = options->source_key_field,
                               .customer_lookup_field = options->customer_field});
    if (!epicor) return fail(epicor.error().describe());
    const std::uint32_t sample = std::clamp<std::uint32_t>(request.sample, 1, kFitSampleMax);
    auto fit = se::check_fit(*(*shipstation)->client, *(*epicor)->client, *options,
                             {.since = request.since, .sample = sample});
    if (!fit) return fail("fit check stopped: " + fit.error().describe());
    PingStatus status = PingStatus::kOk;
    if (fit->orders == 0 || fit->orders_ready < fit->orders) status = PingStatus::kWarn;
    // Not one sampled order would go through: the flow as configured does nothing but park.
    if (fit->orders > 0 && fit->orders_ready == 0) status = PingStatus::kFail;
    std::string detail = fit_summary(*fit, request);
    if (fit->orders == 0) detail += " (widen --since to sample older orders)";
    if (fit->orders > 0 && fit->orders_ready == 0) {
        detail += "; the flow would park every one of them as a dead letter until mapped";
    } else if (fit->orders_ready < fit->orders) {
        detail += "; the flow would park the rest as dead letters until mapped";
    }
    report.mappings = se::mappings_block(*fit);
    report.checks.push_back({.name = kCheckFit, .status = status, .detail = std::move(detail)});
    for (const std::string& problem : fit->problems) {
        report.checks.push_back(
            {.name = kCheckUnresolved, .status = PingStatus::kWarn, .detail = problem});
    }
}

}  // namespace

std::vector<PingReport> ping_flow_connections(const engine::FlowConfig& flow,
                                              const engine::Dependencies& deps) {
    std::vector<PingReport> reports;
    for (const auto& [role, name] : flow.connections) {
        const auto* connection = role_connection(flow, deps, role);
        if (connection == nullptr) {
            PingReport missing{.connection = name, .system = "?", .checks = {}};
            missing.checks.push_back({.name = kCheckConfig,
                                      .status = PingStatus::kFail,
                                      .detail = "flows." + flow.name + ".connections." + role +
                                                " names '" + name +
                                                "', which mlc.yaml does not define"});
            reports.push_back(std::move(missing));
            continue;
        }
        reports.push_back(ping_connection(*connection, deps));
    }
    return reports;
}

std::optional<std::string> connection_problems(const engine::FlowConfig& flow,
                                               const engine::Dependencies& deps) {
    std::string problems;
    for (const PingReport& report : ping_flow_connections(flow, deps)) {
        for (const PingCheck& check : report.checks) {
            if (check.status != PingStatus::kFail) continue;
            problems += (problems.empty() ? "" : "; ") + report.connection + " (" + report.system +
                        ") " + check.name + ": " + check.detail;
        }
    }
    if (problems.empty()) return std::nullopt;
    return problems;
}

FlowPingReport ping_flow(const engine::FlowConfig& flow, const engine::Dependencies& deps,
                         const FlowPingRequest& request) {
    FlowPingReport report{.flow = flow.name,
                          .recipe = flow.recipe,
                          .connections = ping_flow_connections(flow, deps),
                          .checks = {}};
    if (flow.recipe != se::kOrdersRecipe) {
        report.checks.push_back(
            {.name = kCheckFit,
             .status = PingStatus::kSkipped,
             .detail = "recipe " + flow.recipe + " has no fit check: connections only"});
        return report;
    }
    const bool connections_ok = std::all_of(report.connections.begin(), report.connections.end(),
                                            [](const PingReport& r) { return r.ok(); });
    if (!connections_ok) {
        report.checks.push_back({.name = kCheckFit,
                                 .status = PingStatus::kSkipped,
                                 .detail = "not tried: fix the connections above first"});
        return report;
    }
    check_orders_fit(flow, deps, request, report);
    return report;
}

}  // namespace mlc::flows::connections

#include "connectors/acumatica/acumatica_client.hpp"

#include <charconv>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "auth/session_login.hpp"
#include "common/exact_json.hpp"
#include "connectors/acumatica/acumatica_errors.hpp"
#include "connectors/acumatica/acumatica_json.hpp"

namespace mlc::connectors::acumatica {
namespace json = boost::json;
namespace {

constexpr std::size_t kEndpointsMax = 200;  // Endpoints one instance lists (far above real use).

std::optional<std::chrono::milliseconds> delay_of(const net::Headers& headers) {
    const auto text = net::find_header(headers, kQueueDelayHeader);
    if (!text) return std::nullopt;
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), ms);
    if (ec != std::errc() || end == text->data() || ms <= 0) return std::nullopt;
    return std::min<std::chrono::milliseconds>(std::chrono::milliseconds(ms), kQueueDelayMax);
}

}  // namespace

// The licence's request queue holds a request past half the per-minute limit; the sandbox reports
// the hold instead of making us wait. Closing the connection's limiter for that long makes the
// next request wait as it would have behind the real queue (never more than kQueueDelayMax).
class AcumaticaClient::QueueDelayAsBlock final : public net::HttpTransport {
  public:
    QueueDelayAsBlock(net::HttpTransport& inner, Clock& clock, net::RateLimiter& limiter)
        : inner_(inner), clock_(clock), limiter_(limiter) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        auto response = inner_.send(request, options);
        if (!response) return response;
        if (const auto delay = delay_of(response->headers)) {
            limiter_.block_until({}, clock_.steady_now() + *delay);
        }
        return response;
    }

  private:
    net::HttpTransport& inner_;
    Clock& clock_;
    net::RateLimiter& limiter_;
};

AcumaticaClient::AcumaticaClient(AcumaticaClientConfig config, AcumaticaClientDeps deps)
    : config_(std::move(config)),
      clock_(deps.clock),
      credentials_(deps.credentials),
      login_wait_(config_.login_wait, deps.seed ^ 0x5ea7ULL) {
    while (config_.base_url.ends_with('/')) config_.base_url.pop_back();
    deps.limiters.configure(config_.connection, config_.rate_limit);
    transport_ = std::make_unique<QueueDelayAsBlock>(deps.transport, deps.clock,
                                                     deps.limiters.limiter(config_.connection));
    http_ = std::make_unique<net::HttpClient>(
        net::HttpClientOptions{
            .system = kSystem, .retry = config_.retry, .transport = {}, .log_body_bytes_max = 2048},
        *transport_, deps.clock, deps.limiters, deps.seed, nullptr, deps.observer);
}

AcumaticaClient::~AcumaticaClient() = default;

std::string AcumaticaClient::entity_url(const std::string& path) const {
    return config_.base_url + "/entity/" + config_.endpoint + "/" + config_.version + "/" + path;
}

Result<std::vector<std::string>> AcumaticaClient::served_versions() {
    net::HttpRequest request{.method = "GET", .url = config_.base_url + "/entity"};
    request.headers = {{"Accept", "application/json"}};
    MLC_TRY(net::HttpResponse answer,
            http_->call({.request = std::move(request), .connection = config_.connection}));
    const ErrorContext context{.connection = config_.connection, .what = "GET /entity"};
    if (answer.status != 200) return error_from_response(answer, context);
    MLC_TRY(json::value parsed,
            parse_exact_json(answer.body, kAnswerBytesMax, kSystem, "the GET /entity answer"));
    const json::value* list =
        parsed.is_object() ? parsed.get_object().if_contains("endpoints") : nullptr;
    std::vector<std::string> out;
    if (list == nullptr || !list->is_array()) return out;
    for (const json::value& entry : list->get_array()) {
        if (!entry.is_object() || out.size() >= kEndpointsMax) continue;
        const json::object& endpoint = entry.get_object();
        const json::value* name = endpoint.if_contains("name");
        const json::value* version = endpoint.if_contains("version");
        if (name == nullptr || version == nullptr || !name->is_string() || !version->is_string())
            continue;
        out.push_back(std::string(name->get_string()) + " " + std::string(version->get_string()));
    }
    return out;
}

Result<void> AcumaticaClient::check_version() {
    if (version_checked_) return ok();
    MLC_TRY(const std::vector<std::string> served, served_versions());
    const std::string wanted = config_.endpoint + " " + config_.version;
    std::string listed;
    for (const std::string& pair : served) {
        if (pair == wanted) {
            version_checked_ = true;
            return ok();
        }
        listed += (listed.empty() ? "" : ", ") + pair;
    }
    return make_error(ErrorCode::kConfig, kSystem,
                      "connection '" + config_.connection + "': the instance does not serve " +
                          "endpoint " + wanted + "; it serves " +
                          (listed.empty() ? std::string("no endpoint") : listed) +
                          ": set options.endpoint and options.version to one of them");
}

Result<net::HttpResponse> AcumaticaClient::send(net::HttpRequest request,
                                                const std::string& record_key, bool repeatable) {
    // HttpClient turns a 401 into kUnauthorized; the token manager wants the answer to log in
    // again once (an idle session expires after 20 minutes).
    const auth::SendFn send = [&](const net::HttpRequest& attempt) -> Result<net::HttpResponse> {
        Result<net::HttpResponse> answer = http_->call(
            {.request = attempt, .connection = config_.connection, .idempotent = repeatable});
        if (!answer && answer.error().code == ErrorCode::kUnauthorized) {
            net::HttpResponse refused;
            refused.status = 401;
            return refused;
        }
        return answer;
    };
    Result<net::HttpResponse> answer = seated_call(request, send);
    if (!answer) {
        Error error = std::move(answer).error();
        if (error.system.empty()) error.system = kSystem;
        if (error.record_key.empty()) error.record_key = record_key;
        return error;
    }
    return answer;
}

// The call; a login refused because every licence seat is held waits for one (jittered, on the
// clock, at most login_wait in total) and logs in again.
Result<net::HttpResponse> AcumaticaClient::seated_call(const net::HttpRequest& request,
                                                       const auth::SendFn& send) {
    std::chrono::milliseconds waited{0};
    for (std::uint32_t retry = 0;; ++retry) {
        Result<net::HttpResponse> answer = credentials_.authorized_call(request, send);
        if (answer || !auth::is_login_limit(answer.error())) return answer;
        const std::chrono::milliseconds wait = login_wait_.next_delay(retry);
        if (retry + 1 >= config_.login_wait.max_attempts ||
            waited + wait > config_.login_wait.max_total_delay) {
            Error error = std::move(answer).error();
            error.context.push_back("waited " + std::to_string(waited.count() / 1000) +
                                    " s for a licence seat (connection option login_wait)");
            return error;
        }
        waited += wait;
        clock_.sleep_for(wait);
    }
}

Result<json::value> AcumaticaClient::call(const EntityCall& c) {
    MLC_CHECK(check_version());
    net::HttpRequest request{.method = c.method, .url = entity_url(c.path)};
    request.headers = {{"Accept", "application/json"}};
    if (c.body) {
        request.body = json::serialize(*c.body);
        request.headers.emplace_back("Content-Type", "application/json");
    }
    const std::string what = c.method + " " + net::url_path(request.url);
    // PUT upserts by key fields (repeatable) unless it inserts detail rows; POST runs an action
    // (not repeated blindly).
    const bool repeatable = c.method == "GET" || (c.method == "PUT" && !c.inserts_rows);
    MLC_TRY(net::HttpResponse answer, send(std::move(request), c.record_key, repeatable));
    if (answer.status < 200 || answer.status >= 300) {
        return error_from_response(
            answer, {.connection = config_.connection, .what = what, .record_key = c.record_key});
    }
    if (answer.body.empty()) return json::value(nullptr);
    return parse_exact_json(answer.body, kAnswerBytesMax, kSystem, "the " + what + " answer");
}

Result<void> AcumaticaClient::action(const std::string& entity, const std::string& action,
                                     json::object keys, const std::string& record_key) {
    MLC_CHECK(check_version());
    net::HttpRequest request{.method = "POST", .url = entity_url(entity + "/" + action)};
    request.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
    request.body =
        json::serialize(json::object{{"entity", std::move(keys)}, {"parameters", json::object{}}});
    const std::string what = "POST " + entity + "/" + action;
    for (std::uint32_t poll = 0; poll <= kActionPollsMax; ++poll) {
        MLC_TRY(net::HttpResponse answer, send(request, record_key, poll > 0));
        if (answer.status == 204 || answer.status == 200) return ok();
        if (answer.status != 202) {
            return error_from_response(
                answer, {.connection = config_.connection, .what = what, .record_key = record_key});
        }
        const auto location = net::find_header(answer.headers, "Location");
        if (!location) {
            return make_error(ErrorCode::kInvalidInput, kSystem,
                              what + " answered 202 without a Location to poll");
        }
        // The status is polled with GET; actions run for a while on the instance's side.
        request = net::HttpRequest{.method = "GET", .url = std::string(*location)};
        request.headers = {{"Accept", "application/json"}};
        clock_.sleep_for(kActionPollDelay);
    }
    return make_error(ErrorCode::kTransient, kSystem,
                      what + " for " + record_key + " was still running after " +
                          std::to_string(kActionPollsMax) + " polls: the next run looks again");
}

Result<void> AcumaticaClient::end_session() { return credentials_.release(); }

}  // namespace mlc::connectors::acumatica

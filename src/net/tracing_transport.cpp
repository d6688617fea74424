#include "net/tracing_transport.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <string_view>

#include "common/log.hpp"
#include "net/redaction.hpp"

namespace mlc::net {

namespace {

// Where the vendors of this project put a request's id (shipstation.md, amazon-sp-api.md, ...).
constexpr std::array<std::string_view, 5> kRequestIdHeaders = {
    "X-Request-Id", "x-amzn-RequestId", "Request-Id", "X-Correlation-Id", "X-Amz-Cf-Id"};

}  // namespace

std::string response_request_id(const HttpResponse& response) {
    for (const std::string_view name : kRequestIdHeaders) {
        if (const auto found = find_header(response.headers, name)) return std::string(*found);
    }
    return {};
}

TracingTransport::TracingTransport(HttpTransport& inner, const Clock& clock,
                                   std::shared_ptr<spdlog::logger> logger)
    : inner_(inner), clock_(clock), logger_(std::move(logger)) {}

Result<HttpResponse> TracingTransport::send(const HttpRequest& request,
                                            const TransportOptions& options) {
    if (!logger_ || !logger_->should_log(spdlog::level::debug)) {
        return inner_.send(request, options);
    }
    const SteadyTime sent = clock_.steady_now();
    Result<HttpResponse> answer = inner_.send(request, options);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - sent).count();
    const std::string url = redact_url(request.url);
    LogFields fields;
    fields.add("method", request.method)
        .add("url", url)
        .add("status", answer ? static_cast<std::int64_t>(answer->status) : 0)
        .add("duration_ms", static_cast<std::int64_t>(ms))
        .add("request_bytes", static_cast<std::int64_t>(request.body.size()));
    std::string line = "http " + request.method + " " + url + " -> ";
    if (answer) {
        const std::string id = response_request_id(*answer);
        fields.add("response_bytes", static_cast<std::int64_t>(answer->body.size()));
        if (!id.empty()) fields.add("request_id", id);
        line += std::to_string(answer->status) + " in " + std::to_string(ms) + " ms" +
                (id.empty() ? "" : " (request id " + id + ")");
    } else {
        fields.add("error", answer.error().message);
        line += "no answer in " + std::to_string(ms) + " ms: " + answer.error().message;
    }
    log_with_fields(*logger_, spdlog::level::debug, line, fields);
    return answer;
}

}  // namespace mlc::net

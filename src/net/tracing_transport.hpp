#pragma once
// TracingTransport: the request-level debug trace. Wraps the transport every connector client
// sends through and writes one debug line per request: method, URL with its secret query values
// masked (redaction.hpp: api keys, tokens, signatures, user:password@), status (0: no answer),
// duration on the clock, the vendor's request id when it sends one (X-Request-Id,
// x-amzn-RequestId, ...), and the bytes each way. Headers and bodies are never written (they hold
// the Authorization header, cookies, passwords in login bodies, tokens in token answers). With
// JSON logs each of these is a field of the line (common/log.hpp).
//
// Lifecycle: borrows the inner transport, the clock and the logger, which outlive it. Thread
// safety: send() is as thread safe as the inner transport. Costs nothing but a level check when
// the logger is above debug.

#include <memory>

#include "common/clock.hpp"
#include "net/http_transport.hpp"

namespace spdlog {
class logger;
}

namespace mlc::net {

class TracingTransport final : public HttpTransport {
  public:
    TracingTransport(HttpTransport& inner, const Clock& clock,
                     std::shared_ptr<spdlog::logger> logger);
    using HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest& request, const TransportOptions& options) override;

  private:
    HttpTransport& inner_;
    const Clock& clock_;
    std::shared_ptr<spdlog::logger> logger_;
};

// The vendor's id of the request in `response`'s headers, or "" when it sent none.
std::string response_request_id(const HttpResponse& response);

}  // namespace mlc::net

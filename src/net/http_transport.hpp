#pragma once
// HttpTransport: one HTTP exchange, nothing more (no retries, no rate limits: those are layered
// on top in HttpClient). The real one is CurlTransport; tests use testing/scripted_transport.hpp
// or route straight into a sandbox.
//
// A Result error means no HTTP answer was received (connection refused, timeout, TLS failure):
// code kTransient. Any HTTP status, 500 included, is a successful exchange.
//
// Thread safety: implementations are safe to call from several threads.

#include <chrono>

#include "common/result.hpp"
#include "net/http_types.hpp"

namespace mlc::net {

struct TransportOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{60'000};
};

class HttpTransport {
  public:
    virtual ~HttpTransport() = default;
    virtual Result<HttpResponse> send(const HttpRequest& request,
                                      const TransportOptions& options) = 0;
    Result<HttpResponse> send(const HttpRequest& request) { return send(request, {}); }
};

}  // namespace mlc::net

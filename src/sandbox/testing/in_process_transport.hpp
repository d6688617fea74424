#pragma once
// InProcessTransport: an HttpTransport that hands a request whose URL starts with a registered
// base URL straight to that handler (a SandboxHost's handler()) without sockets, and any other URL
// to a fallback transport. Fast, hermetic end-to-end tests run connectors against the sandboxes
// through it. A handler answer with drop_connection becomes a kTransient error, as a real client
// would see it.
//
// Lifecycle: add routes, then send. Thread safety: send() and add_route() are safe from several
// threads. Ownership: borrows the fallback transport (may be null: unrouted URLs then fail).

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "net/http_transport.hpp"

namespace mlc::sandbox {

class SandboxHost;

class InProcessTransport final : public net::HttpTransport {
  public:
    using Handler = std::function<net::HttpResponse(const net::HttpRequest&)>;

    explicit InProcessTransport(net::HttpTransport* fallback = nullptr) : fallback_(fallback) {}

    void add_route(std::string base_url, Handler handler);
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override;

  private:
    net::HttpTransport* fallback_;
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, Handler>> routes_;
};

// Gives every system of `host` the base URL "http://<system>.sandbox.test" and routes it through
// `transport`.
void serve_in_process(SandboxHost& host, InProcessTransport& transport);

}  // namespace mlc::sandbox

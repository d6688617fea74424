#pragma once
// HttpServer: a small HTTP/1.1 server on Boost.Beast/Asio. It reads a request (bounded by
// body_limit: 413 past it; header and idle timeouts), hands it to one HttpHandler on a worker
// thread and writes the answer; keep-alive; graceful stop (stops accepting, finishes requests in
// flight). Binds 127.0.0.1 by default; port 0 picks an ephemeral port (tests).
//
// Lifecycle: construct, start() (returns once listening), stop() (or destructor).
// Thread safety: the handler is called from several threads at once.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "net/http_types.hpp"

namespace spdlog {
class logger;
}

namespace mlc::net {

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
    std::size_t body_limit_bytes = 1 << 20;  // 1 MiB: 413 past it
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    int threads = 2;  // I/O threads (reading and writing).
    // Threads that run the handler; 0: as many as `threads`. A handler that waits (the webhook
    // intake waits for its group commit) holds one, so this bounds the deliveries that can share
    // a commit.
    int workers = 0;
    std::string name =
        "http";  // For the start-up log line ("sandbox shipstation listening on ...")
};

class HttpServer {
  public:
    HttpServer(HttpServerOptions options, HttpHandler handler,
               std::shared_ptr<spdlog::logger> logger = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    Result<void> start();
    void stop();
    std::uint16_t port() const;
    std::string base_url() const;  // "http://127.0.0.1:PORT"

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mlc::net

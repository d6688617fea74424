#pragma once
// HttpServer: a small HTTP/1.1 server on Boost.Beast/Asio. It reads a request (bounded by
// body_limit: 413 past it; header and idle timeouts), hands it to one HttpHandler on a worker
// thread and writes the answer; keep-alive; graceful stop (stops accepting, finishes requests in
// flight). Binds 127.0.0.1 by default; port 0 picks an ephemeral port (tests).
//
// Streams (Server-Sent Events): a request that `HttpServerOptions::streams` takes is answered
// `200 text/event-stream` and the connection is kept: the server hands an EventStream to the
// route's `open`, whose owner sends events on it from any thread until it reports closed. The
// server writes a comment every `stream_heartbeat` (so proxies and the client see a live
// connection), notices the client going away (EOF), closes a stream whose client does not read
// (more than `stream_queue_bytes_max` waiting) and closes every stream at once on stop() (a stream
// never delays shutdown). At most `streams_max` streams are open: past it 503 with Retry-After.
//
// Lifecycle: construct, start() (returns once listening), stop() (or destructor).
// Thread safety: the handler is called from several threads at once; EventStream::send from any.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "net/http_types.hpp"

namespace spdlog {
class logger;
}

namespace mlc::net {

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// One open text/event-stream answer. Held by whoever publishes events; the server owns the
// connection behind it.
class EventStream {
  public:
    virtual ~EventStream() = default;
    // Queues "event: NAME\ndata: DATA\n\n" (each line of `data` its own "data:" line);
    // false once the stream is closed (client gone, too slow, server stopping).
    virtual bool send(std::string_view event, std::string_view data) = 0;
    virtual bool is_open() const = 0;
};

// What a stream route answers: with `open` set, the stream is opened and `open` called with it
// (on a worker thread); otherwise `response` is written as any answer (a refusal: 401).
struct StreamAnswer {
    HttpResponse response = {};
    std::function<void(std::shared_ptr<EventStream>)> open = {};
};
// nullopt: the request is not a stream's; the HttpHandler answers it.
using StreamHandler = std::function<std::optional<StreamAnswer>(const HttpRequest&)>;

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
    StreamHandler streams = {};  // Empty: no request opens a stream.
    std::size_t streams_max = 32;
    std::chrono::milliseconds stream_heartbeat{15'000};
    std::size_t stream_queue_bytes_max = 256 * 1024;
};

// "event: NAME\ndata: ...\n\n" (the wire form of one Server-Sent Event; CR/LF in the name are
// dropped, each line of `data` becomes a "data:" line).
std::string format_event(std::string_view event, std::string_view data);

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

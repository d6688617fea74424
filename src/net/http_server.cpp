// HttpServer on Boost.Beast/Asio. Beast and Asio stay inside this file (compile time: nothing
// else pays for them).
//
// Threads: `options.threads` I/O threads run the io_context (each connection on its own strand),
// and `options.workers` (default: as many) worker threads run the handler, so a slow handler never
// stalls reading or writing on other connections. A request travels: read header (header or idle
// timeout) -> read body (body limit, 413 past it) -> handler on a worker -> write on the
// connection's strand -> next request (keep-alive) or close.
//
// Streams: a request the options' StreamHandler takes turns its connection into a one-way event
// stream (header with Connection: close, then events as they come, a heartbeat comment on a
// timer); a read of the socket waits for the client's EOF. Events queue on the connection's
// strand; past stream_queue_bytes_max the client is too slow and the stream is closed.
//
// Graceful stop: close the acceptor, close connections waiting for a request, let connections
// with a request in flight write their answer and close, wait for all of them (bounded by
// kStopGraceMax), then stop the threads.

#include "net/http_server.hpp"

#include <spdlog/logger.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/assert.hpp"

namespace mlc::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Request header block limit (Beast's default is 8 KiB; set explicitly, STYLE rule 13).
constexpr std::uint32_t kHeaderLimitBytes = 16 * 1024;
// Writing one answer may take at most this long before the connection is dropped.
constexpr std::chrono::seconds kWriteTimeout{30};
// After a 413 the rest of the oversize body is read and discarded (so the client sees the answer
// instead of a connection reset), up to this many bytes.
constexpr std::size_t kDrainBytesMax = 8 * 1024 * 1024;
// stop() waits at most this long for requests in flight before it stops the threads anyway.
constexpr std::chrono::seconds kStopGraceMax{30};
// After a failed accept (e.g. out of file descriptors) the acceptor waits this long before
// trying again, instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

class Session;

// Everything the connections share. Members that sessions touch in their destructor (mutex,
// counters) are declared before the io_context, so they outlive handlers it still holds.
struct ServerCore {
    HttpServerOptions options;
    HttpHandler handler;
    std::shared_ptr<spdlog::logger> logger;

    std::mutex mutex;
    std::condition_variable sessions_ended;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> streams_open{0};

    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::optional<tcp::acceptor> acceptor;
    std::optional<asio::steady_timer> accept_retry;
    std::vector<std::thread> io_threads;
    std::unique_ptr<asio::thread_pool> workers;
    std::uint16_t port = 0;
    bool started = false;
    bool stopped = false;

    HttpResponse call_handler(const HttpRequest& request) {
        try {
            return handler(request);
        } catch (const std::exception& e) {
            // Handlers return errors as answers; an exception here is a bug in the handler.
            logger->error("{}: handler threw: {}", options.name, e.what());
        } catch (...) {
            logger->error("{}: handler threw a non-standard exception", options.name);
        }
        return json_response(500, R"({"error":{"status":500,"message":"internal error"}})");
    }

    std::optional<StreamAnswer> call_streams(const HttpRequest& request) {
        if (!options.streams) return std::nullopt;
        try {
            return options.streams(request);
        } catch (const std::exception& e) {
            logger->error("{}: stream handler threw: {}", options.name, e.what());
        } catch (...) {
            logger->error("{}: stream handler threw a non-standard exception", options.name);
        }
        return StreamAnswer{.response = json_response(
                                500, R"({"error":{"status":500,"message":"internal error"}})")};
    }
};

// The EventStream a stream's owner holds: events go to the session's strand; closed once the
// session closed or is gone.
class SessionStream : public EventStream {
  public:
    explicit SessionStream(std::weak_ptr<Session> session) : session_(std::move(session)) {}
    bool send(std::string_view event, std::string_view data) override;
    bool is_open() const override { return open_.load(); }
    void mark_closed() { open_.store(false); }

  private:
    std::weak_ptr<Session> session_;
    std::atomic<bool> open_{true};
};

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(ServerCore& core, tcp::socket socket) : core_(core), stream_(std::move(socket)) {
        beast::error_code ec;
        const auto endpoint = stream_.socket().remote_endpoint(ec);
        if (!ec) remote_ = endpoint.address().to_string();
    }

    ~Session() {
        if (streaming_) --core_.streams_open;
        if (handle_) handle_->mark_closed();
        std::lock_guard lock(core_.mutex);
        core_.sessions.erase(this);
        if (core_.sessions.empty()) core_.sessions_ended.notify_all();
    }

    // From any thread: `text` (a formatted event) is queued on the strand.
    void queue_event(std::string text) {
        asio::post(stream_.get_executor(),
                   [self = shared_from_this(), text = std::move(text)]() mutable {
                       self->push(std::move(text));
                   });
    }

    void start() {
        {
            std::lock_guard lock(core_.mutex);
            core_.sessions.emplace(this, weak_from_this());
        }
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
    }

    // Called by stop(): a connection waiting for its next request is closed now; one with a
    // request in flight closes after writing the answer (write() sees `stopping`).
    void on_stop() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] {
            if (!self->busy_ || self->streaming_) self->close();
        });
    }

  private:
    void read() {
        if (core_.stopping) return close();
        parser_.emplace();
        parser_->body_limit(core_.options.body_limit_bytes);
        parser_->header_limit(kHeaderLimitBytes);
        stream_.expires_after(first_ ? core_.options.header_timeout : core_.options.idle_timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    self->on_header(ec);
                                });
    }

    void on_header(beast::error_code ec) {
        if (ec == http::error::body_limit) return reject_oversize();
        if (ec) return close();
        busy_ = true;
        if (parser_->is_done()) return dispatch();
        // curl sends `Expect: 100-continue` before larger bodies and waits (1 s by default) for
        // the interim answer; answering at once keeps uploads fast. The body limit has already
        // been checked against Content-Length, so a too-large body gets its 413 instead.
        if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
            continue_.emplace(http::status::continue_, parser_->get().version());
            stream_.expires_after(kWriteTimeout);
            http::async_write(stream_, *continue_,
                              [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                                  if (write_ec) return self->close();
                                  self->read_body();
                              });
            return;
        }
        read_body();
    }

    void read_body() {
        // The header timeout also bounds the body: a client trickling bytes cannot hold a thread.
        stream_.expires_after(core_.options.header_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code read_ec, std::size_t) {
                             self->on_body(read_ec);
                         });
    }

    void on_body(beast::error_code ec) {
        if (ec == http::error::body_limit) return reject_oversize();
        if (ec) return close();
        dispatch();
    }

    void dispatch() {
        auto message = parser_->release();
        keep_alive_ = message.keep_alive();
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.url = std::string(message.target());
        for (const auto& field : message) {
            request.headers.emplace_back(std::string(field.name_string()),
                                         std::string(field.value()));
        }
        request.body = std::move(message.body());
        request.remote_address = remote_;
        version_ = message.version();
        stream_.expires_never();  // The handler may take its time; the write sets its own.
        asio::post(*core_.workers, [self = shared_from_this(), request = std::move(request)] {
            if (auto stream = self->core_.call_streams(request); stream && stream->open) {
                asio::post(self->stream_.get_executor(),
                           [self, open = std::move(stream->open)] { self->start_stream(open); });
                return;
            } else if (stream) {
                asio::post(self->stream_.get_executor(),
                           [self, response = std::move(stream->response)]() mutable {
                               self->write(std::move(response));
                           });
                return;
            }
            HttpResponse response = self->core_.call_handler(request);
            asio::post(self->stream_.get_executor(),
                       [self, response = std::move(response)]() mutable {
                           self->write(std::move(response));
                       });
        });
    }

    void write(HttpResponse answer) {
        if (answer.drop_connection) return close();
        response_.emplace();
        response_->version(version_);
        const bool valid_status = answer.status >= 100 && answer.status <= 999;
        response_->result(valid_status ? static_cast<unsigned>(answer.status) : 500U);
        for (auto& [name, value] : answer.headers) {
            // Framing is the server's job: handler values for these would contradict it.
            if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Connection") ||
                beast::iequals(name, "Transfer-Encoding")) {
                continue;
            }
            response_->insert(name, value);
        }
        response_->body() = std::move(answer.body);
        keep_alive_ = keep_alive_ && !core_.stopping;
        response_->keep_alive(keep_alive_);
        response_->prepare_payload();
        stream_.expires_after(kWriteTimeout);
        http::async_write(
            stream_, *response_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(beast::error_code ec) {
        busy_ = false;
        response_.reset();
        if (ec || !keep_alive_) return close();
        first_ = false;
        read();
    }

    // 413 with Connection: close, then discard what the client is still sending.
    void reject_oversize() {
        busy_ = true;
        keep_alive_ = false;
        response_.emplace(http::status::payload_too_large, 11);
        response_->set(http::field::content_type, "application/json; charset=utf-8");
        response_->body() = R"({"error":{"status":413,"message":"request body too large"}})";
        response_->keep_alive(false);
        response_->prepare_payload();
        stream_.expires_after(kWriteTimeout);
        http::async_write(stream_, *response_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->busy_ = false;
                              if (ec) return self->close();
                              beast::error_code ignored;
                              self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                              self->stream_.expires_after(self->core_.options.header_timeout);
                              self->drain();
                          });
    }

    void drain() {
        if (drained_ >= kDrainBytesMax) return close();
        stream_.async_read_some(asio::buffer(drain_buffer_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    if (ec) return self->close();
                                    self->drained_ += n;
                                    self->drain();
                                });
    }

    // The request was a stream's: header, then events until the client or the server ends it.
    void start_stream(const std::function<void(std::shared_ptr<EventStream>)>& open) {
        if (core_.stopping) return close();
        if (core_.streams_open.fetch_add(1) >= core_.options.streams_max) {
            --core_.streams_open;
            HttpResponse busy = json_response(
                503, R"({"error":{"status":503,"message":"too many event streams open"}})");
            busy.headers.emplace_back("Retry-After", "5");
            keep_alive_ = false;
            return write(std::move(busy));
        }
        streaming_ = true;
        handle_ = std::make_shared<SessionStream>(weak_from_this());
        stream_header_.emplace(http::status::ok, version_);
        stream_header_->set(http::field::content_type, "text/event-stream; charset=utf-8");
        stream_header_->set(http::field::cache_control, "no-store");
        stream_header_->keep_alive(false);  // The body ends when the connection does.
        header_writer_.emplace(*stream_header_);
        stream_.expires_after(kWriteTimeout);
        http::async_write_header(
            stream_, *header_writer_,
            [self = shared_from_this(), open](beast::error_code ec, std::size_t) {
                self->stream_.expires_never();
                if (ec) return self->close();
                self->await_eof();
                self->arm_heartbeat();
                asio::post(*self->core_.workers, [self, handle = self->handle_, open] {
                    try {
                        open(handle);
                    } catch (const std::exception& e) {
                        self->core_.logger->error("{}: stream open threw: {}",
                                                  self->core_.options.name, e.what());
                    }
                });
            });
    }

    // A stream's client sends nothing more; a read ends when it goes away.
    void await_eof() {
        stream_.socket().async_read_some(
            asio::buffer(drain_buffer_),
            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->close();
                self->await_eof();
            });
    }

    void arm_heartbeat() {
        if (!heartbeat_) heartbeat_.emplace(stream_.get_executor());
        heartbeat_->expires_after(core_.options.stream_heartbeat);
        heartbeat_->async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || self->closed_) return;
            self->push(": heartbeat\n\n");
            self->arm_heartbeat();
        });
    }

    void push(std::string text) {
        if (closed_) return;
        queued_bytes_ += text.size();
        if (queued_bytes_ > core_.options.stream_queue_bytes_max) {
            core_.logger->warn("{}: an event stream's client reads too slowly; closing it",
                               core_.options.name);
            return close();
        }
        queue_.push_back(std::move(text));
        pump();
    }

    void pump() {
        if (writing_ || queue_.empty() || closed_) return;
        writing_ = true;
        stream_.expires_after(kWriteTimeout);
        asio::async_write(stream_, asio::buffer(queue_.front()),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->writing_ = false;
                              self->stream_.expires_never();
                              if (ec) return self->close();
                              self->queued_bytes_ -= self->queue_.front().size();
                              self->queue_.pop_front();
                              self->pump();
                          });
    }

    void close() {
        closed_ = true;
        if (handle_) handle_->mark_closed();
        if (heartbeat_) heartbeat_->cancel();
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    ServerCore& core_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::response<http::string_body>> response_;
    std::optional<http::response<http::empty_body>> continue_;
    std::string remote_;
    unsigned version_ = 11;
    bool first_ = true;
    bool busy_ = false;
    bool keep_alive_ = false;
    std::size_t drained_ = 0;
    std::array<char, 16 * 1024> drain_buffer_{};
    // A stream's state (start_stream); touched on the strand only.
    std::optional<http::response<http::empty_body>> stream_header_;
    std::optional<http::response_serializer<http::empty_body>> header_writer_;
    std::optional<asio::steady_timer> heartbeat_;
    std::shared_ptr<SessionStream> handle_;
    std::deque<std::string> queue_;
    std::size_t queued_bytes_ = 0;
    bool streaming_ = false;
    bool writing_ = false;
    bool closed_ = false;
};

bool SessionStream::send(std::string_view event, std::string_view data) {
    if (!open_.load()) return false;
    auto session = session_.lock();
    if (!session) {
        open_.store(false);
        return false;
    }
    session->queue_event(format_event(event, data));
    return true;
}

void accept_next(ServerCore& core) {
    core.acceptor->async_accept(
        asio::make_strand(core.io), [&core](beast::error_code ec, tcp::socket socket) {
            if (core.stopping || ec == asio::error::operation_aborted) return;
            if (ec) {
                core.logger->warn("{}: accept failed: {}", core.options.name, ec.message());
                core.accept_retry->expires_after(kAcceptRetryDelay);
                core.accept_retry->async_wait([&core](beast::error_code wait_ec) {
                    if (!wait_ec && !core.stopping) accept_next(core);
                });
                return;
            }
            std::make_shared<Session>(core, std::move(socket))->start();
            accept_next(core);
        });
}

}  // namespace

std::string format_event(std::string_view event, std::string_view data) {
    std::string out = "event: ";
    for (char c : event) {
        if (c != '\r' && c != '\n') out.push_back(c);
    }
    out += "\ndata: ";
    for (char c : data) {
        if (c == '\n') {
            out += "\ndata: ";
        } else if (c != '\r') {
            out.push_back(c);
        }
    }
    out += "\n\n";
    return out;
}

struct HttpServer::Impl {
    ServerCore core;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler,
                       std::shared_ptr<spdlog::logger> logger)
    : impl_(std::make_unique<Impl>()) {
    impl_->core.options = std::move(options);
    impl_->core.handler = std::move(handler);
    impl_->core.logger = logger ? std::move(logger) : spdlog::default_logger();
}

HttpServer::~HttpServer() { stop(); }

Result<void> HttpServer::start() {
    ServerCore& core = impl_->core;
    MLC_ASSERT(!core.started, "HttpServer::start called twice");
    beast::error_code ec;
    const auto address = asio::ip::make_address(core.options.address, ec);
    if (ec) {
        return make_error(ErrorCode::kConfig, core.options.name,
                          "listen address '" + core.options.address + "' is not an IP address");
    }
    const tcp::endpoint endpoint(address, core.options.port);
    core.acceptor.emplace(core.io);
    core.acceptor->open(endpoint.protocol(), ec);
    if (!ec) core.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) core.acceptor->bind(endpoint, ec);
    if (!ec) core.acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return make_error(ErrorCode::kConfig, core.options.name,
                          "cannot listen on " + core.options.address + ":" +
                              std::to_string(core.options.port) + ": " + ec.message() +
                              " (is the port in use?)");
    }
    core.port = core.acceptor->local_endpoint().port();
    core.accept_retry.emplace(core.io);
    core.work.emplace(core.io.get_executor());
    const int threads = std::max(1, core.options.threads);
    const int workers = core.options.workers > 0 ? core.options.workers : threads;
    core.workers = std::make_unique<asio::thread_pool>(workers);
    accept_next(core);
    for (int i = 0; i < threads; ++i) core.io_threads.emplace_back([&core] { core.io.run(); });
    core.started = true;
    core.logger->info("{} listening on {}", core.options.name, base_url());
    return ok();
}

void HttpServer::stop() {
    ServerCore& core = impl_->core;
    if (!core.started || core.stopped) return;
    core.stopped = true;
    core.stopping = true;
    asio::post(core.io, [&core] {
        beast::error_code ignored;
        core.acceptor->close(ignored);
        core.accept_retry->cancel();
    });
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(core.mutex);
        for (auto& [raw, weak] : core.sessions) {
            if (auto session = weak.lock()) live.push_back(std::move(session));
        }
    }
    for (auto& session : live) session->on_stop();
    live.clear();
    {
        // A bounded wait for in-flight requests to be answered; not a sleep (STYLE rule 6 is
        // about time that tests must drive: nothing here depends on how long it takes).
        std::unique_lock lock(core.mutex);
        const bool drained = core.sessions_ended.wait_for(
            lock, kStopGraceMax, [&core] { return core.sessions.empty(); });
        if (!drained) {
            core.logger->warn("{}: {} connection(s) still busy after {}s; stopping anyway",
                              core.options.name, core.sessions.size(), kStopGraceMax.count());
        }
    }
    core.work.reset();
    core.io.stop();
    for (auto& thread : core.io_threads) thread.join();
    core.io_threads.clear();
    core.workers->join();
    core.logger->info("{} on port {} stopped", core.options.name, core.port);
}

std::uint16_t HttpServer::port() const { return impl_->core.port; }

std::string HttpServer::base_url() const {
    const auto& core = impl_->core;
    const bool v6 = core.options.address.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + core.options.address + "]" : core.options.address) + ":" +
           std::to_string(core.port);
}

}  // namespace mlc::net

#pragma once
// HandlerTransport: an HttpTransport that hands each request straight to an HttpHandler-shaped
// function (the same handler a real HttpServer would serve), for tests that need no socket.
// `fail_next(n)` makes the next n sends fail as a transport error (kTransient, no answer).
//
// Lifecycle: a test object. Thread safety: send() may be called from several threads if the
// handler is thread-safe.

#include <atomic>
#include <functional>
#include <utility>

#include "net/http_transport.hpp"

namespace mlc::auth::testing {

class HandlerTransport final : public net::HttpTransport {
  public:
    using Handler = std::function<net::HttpResponse(const net::HttpRequest&)>;
    explicit HandlerTransport(Handler handler) : handler_(std::move(handler)) {}

    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        (void)options;
        sends_.fetch_add(1);
        if (fail_next_.load() > 0) {
            fail_next_.fetch_sub(1);
            return make_error(ErrorCode::kTransient, "connection refused (scripted)");
        }
        return handler_(request);
    }
    void fail_next(int count) { fail_next_.store(count); }
    int sends() const { return sends_.load(); }

  private:
    Handler handler_;
    std::atomic<int> fail_next_{0};
    std::atomic<int> sends_{0};
};

}  // namespace mlc::auth::testing

#pragma once
// ScriptedTransport: an HttpTransport for tests. Rules match a request by method (empty = any)
// and a substring of its URL; each rule holds a queue of canned outcomes (responses or
// transport errors) served in order, the last one repeating when `repeat_last` is set, or a
// handler function that computes the answer (a fake vendor). The first rule that matches and
// still has something to serve answers. Every request seen is recorded.
//
// A request that no rule answers gets an Error kInternal naming method and path, so a test
// notices a call it did not script.
//
// Lifecycle: a test owns it. Thread safety: every method is safe from several threads.

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "net/http_transport.hpp"

namespace mlc::net::testing {

using TransportHandler = std::function<Result<HttpResponse>(const HttpRequest&)>;

class ScriptedTransport final : public HttpTransport {
  public:
    // Queue one answer / one transport error on requests whose URL contains `url_part`.
    ScriptedTransport& respond(std::string url_part, HttpResponse response,
                               std::string method = "");
    ScriptedTransport& fail(std::string url_part, Error error, std::string method = "");
    // Serve the last queued outcome of the rule forever once the queue is down to it.
    ScriptedTransport& repeat_last(std::string url_part, std::string method = "");
    // Answer every matching request with `handler`.
    ScriptedTransport& route(std::string url_part, TransportHandler handler,
                             std::string method = "");

    using HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest& request, const TransportOptions& options) override;

    std::vector<HttpRequest> requests() const;
    std::size_t request_count() const;
    TransportOptions last_options() const;

  private:
    struct Rule {
        std::string method;
        std::string url_part;
        std::deque<Result<HttpResponse>> queue;
        bool repeat_last = false;
        TransportHandler handler;
    };
    Rule& rule(const std::string& url_part, const std::string& method);  // Locked by caller.

    mutable std::mutex mutex_;
    std::vector<Rule> rules_;
    std::vector<HttpRequest> requests_;
    TransportOptions last_options_;
};

}  // namespace mlc::net::testing

#include "net/testing/scripted_transport.hpp"

namespace mlc::net::testing {

ScriptedTransport::Rule& ScriptedTransport::rule(const std::string& url_part,
                                                 const std::string& method) {
    for (auto& existing : rules_) {
        if (existing.url_part == url_part && existing.method == method && !existing.handler) {
            return existing;
        }
    }
    Rule fresh;
    fresh.method = method;
    fresh.url_part = url_part;
    rules_.push_back(std::move(fresh));
    return rules_.back();
}

ScriptedTransport& ScriptedTransport::respond(std::string url_part, HttpResponse response,
                                              std::string method) {
    std::lock_guard lock(mutex_);
    rule(url_part, method).queue.emplace_back(std::move(response));
    return *this;
}

ScriptedTransport& ScriptedTransport::fail(std::string url_part, Error error, std::string method) {
    std::lock_guard lock(mutex_);
    rule(url_part, method).queue.emplace_back(std::move(error));
    return *this;
}

ScriptedTransport& ScriptedTransport::repeat_last(std::string url_part, std::string method) {
    std::lock_guard lock(mutex_);
    rule(url_part, method).repeat_last = true;
    return *this;
}

ScriptedTransport& ScriptedTransport::route(std::string url_part, TransportHandler handler,
                                            std::string method) {
    std::lock_guard lock(mutex_);
    Rule fresh;
    fresh.method = std::move(method);
    fresh.url_part = std::move(url_part);
    fresh.handler = std::move(handler);
    rules_.push_back(std::move(fresh));
    return *this;
}

Result<HttpResponse> ScriptedTransport::send(const HttpRequest& request,
                                             const TransportOptions& options) {
    TransportHandler handler;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        last_options_ = options;
        for (auto& candidate : rules_) {
            if (!candidate.method.empty() && candidate.method != request.method) continue;
            if (request.url.find(candidate.url_part) == std::string::npos) continue;
            if (candidate.handler) {
                handler = candidate.handler;
                break;
            }
            if (candidate.queue.empty()) continue;
            if (candidate.queue.size() == 1 && candidate.repeat_last)
                return candidate.queue.front();
            Result<HttpResponse> outcome = std::move(candidate.queue.front());
            candidate.queue.pop_front();
            return outcome;
        }
    }
    // Outside the lock: a handler may be slow or call back into the transport.
    if (handler) return handler(request);
    return make_error(ErrorCode::kInternal, "scripted",
                      "no scripted answer for " + request.method + " " + url_path(request.url));
}

std::vector<HttpRequest> ScriptedTransport::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::size_t ScriptedTransport::request_count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
}

TransportOptions ScriptedTransport::last_options() const {
    std::lock_guard lock(mutex_);
    return last_options_;
}

}  // namespace mlc::net::testing

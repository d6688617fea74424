#include "sandbox/testing/in_process_transport.hpp"

#include "sandbox/sandbox_host.hpp"

namespace mlc::sandbox {

void InProcessTransport::add_route(std::string base_url, Handler handler) {
    while (base_url.ends_with('/')) base_url.pop_back();
    std::lock_guard lock(mutex_);
    routes_.emplace_back(std::move(base_url), std::move(handler));
}

Result<net::HttpResponse> InProcessTransport::send(const net::HttpRequest& request,
                                                   const net::TransportOptions& options) {
    Handler handler;
    std::string target;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [base, route_handler] : routes_) {
            if (!request.url.starts_with(base)) continue;
            const std::string_view rest = std::string_view(request.url).substr(base.size());
            if (!rest.empty() && rest.front() != '/' && rest.front() != '?') continue;
            handler = route_handler;
            // Not `"/" + std::string(rest)`: GCC 12 -O3 false -Wrestrict (bug 105651).
            target = rest.empty() || rest.front() == '?' ? std::string(1, '/').append(rest)
                                                         : std::string(rest);
            break;
        }
    }
    if (!handler) {
        if (fallback_ != nullptr) return fallback_->send(request, options);
        return make_error(ErrorCode::kTransient, "sandbox",
                          "in-process transport: no route for " + net::url_path(request.url));
    }
    net::HttpRequest server_side = request;
    server_side.url = std::move(target);
    server_side.remote_address = "127.0.0.1";
    net::HttpResponse response = handler(server_side);
    if (response.drop_connection) {
        return make_error(ErrorCode::kTransient, "sandbox",
                          "connection closed without an answer (sandbox fault)");
    }
    return response;
}

void serve_in_process(SandboxHost& host, InProcessTransport& transport) {
    for (const auto& system : host.systems()) {
        const std::string base_url = "http://" + system + ".sandbox.test";
        host.set_base_url(system, base_url);
        transport.add_route(base_url, host.handler(system));
    }
}

}  // namespace mlc::sandbox

#pragma once
// LocalVendor: a FakeAuthServer reachable over HTTP for the auth tests. By default it is served by
// the real HttpServer on 127.0.0.1:0 and reached with the real CurlTransport; with
// real_http = false the requests go straight to the handler through HandlerTransport. Tests write
// URLs with base_url() either way.
//
// Lifecycle: a test object; start() before use (asserts), stops in the destructor.
// Thread safety: transport() is safe from several threads.

#include <memory>
#include <string>

#include "auth/testing/fake_auth_server.hpp"
#include "auth/testing/handler_transport.hpp"
#include "common/assert.hpp"
#include "net/curl_transport.hpp"
#include "net/http_server.hpp"

namespace mlc::auth::testing {

class LocalVendor {
  public:
    explicit LocalVendor(FakeAuthServerConfig config = {}, bool real_http = true)
        : server_(std::move(config)),
          direct_([this](const net::HttpRequest& request) { return server_.handle(request); }) {
        if (real_http) {
            net::HttpServerOptions options;
            options.port = 0;  // Ephemeral: tests never collide.
            options.threads = 4;
            options.name = "fake-auth";
            http_ = std::make_unique<net::HttpServer>(
                options,
                [this](const net::HttpRequest& request) { return server_.handle(request); });
            auto started = http_->start();
            MLC_ASSERT(started.has_value(), "the local fake vendor server must start");
            curl_ = std::make_unique<net::CurlTransport>();
        }
    }
    ~LocalVendor() {
        if (http_) http_->stop();
    }

    FakeAuthServer& server() { return server_; }
    net::HttpTransport& transport() {
        if (curl_) return *curl_;
        return direct_;
    }
    std::string base_url() const {
        if (http_) return http_->base_url();
        return "http://vendor.invalid";
    }
    bool real_http() const { return http_ != nullptr; }

  private:
    FakeAuthServer server_;
    HandlerTransport direct_;
    std::unique_ptr<net::HttpServer> http_;
    std::unique_ptr<net::CurlTransport> curl_;
};

}  // namespace mlc::auth::testing

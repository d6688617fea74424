#pragma once
// LocalVendor: a FakeAuthServer reachable over HTTP for the auth tests. With
// MLC_AUTH_TEST_REAL_HTTP (the net targets exist) it is served by the real HttpServer on
// 127.0.0.1:0 and reached with the real CurlTransport; otherwise the requests go straight to the
// handler through HandlerTransport. Tests write URLs with base_url() either way.
//
// Lifecycle: a test object; start() before use (asserts), stops in the destructor.
// Thread safety: transport() is safe from several threads.

#include <memory>
#include <string>

#include "auth/testing/fake_auth_server.hpp"
#include "auth/testing/handler_transport.hpp"
#include "common/assert.hpp"

#ifdef MLC_AUTH_TEST_REAL_HTTP
#include "net/curl_transport.hpp"
#include "net/http_server.hpp"
#endif

namespace mlc::auth::testing {

class LocalVendor {
  public:
    explicit LocalVendor(FakeAuthServerConfig config = {}, bool real_http = true)
        : server_(std::move(config)),
          direct_([this](const net::HttpRequest& request) { return server_.handle(request); }) {
#ifdef MLC_AUTH_TEST_REAL_HTTP
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
#else
        (void)real_http;
#endif
    }
    ~LocalVendor() {
#ifdef MLC_AUTH_TEST_REAL_HTTP
        if (http_) http_->stop();
#endif
    }

    FakeAuthServer& server() { return server_; }
    net::HttpTransport& transport() {
#ifdef MLC_AUTH_TEST_REAL_HTTP
        if (curl_) return *curl_;
#endif
        return direct_;
    }
    std::string base_url() const {
#ifdef MLC_AUTH_TEST_REAL_HTTP
        if (http_) return http_->base_url();
#endif
        return "http://vendor.invalid";
    }
    bool real_http() const {
#ifdef MLC_AUTH_TEST_REAL_HTTP
        return http_ != nullptr;
#else
        return false;
#endif
    }

  private:
    FakeAuthServer server_;
    HandlerTransport direct_;
#ifdef MLC_AUTH_TEST_REAL_HTTP
    std::unique_ptr<net::HttpServer> http_;
    std::unique_ptr<net::CurlTransport> curl_;
#endif
};

}  // namespace mlc::auth::testing

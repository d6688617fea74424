#pragma once
// What the Amazon connector's tests share: the Amazon emulator served in process on a
// ManualClock, the SQLite store in memory, the vault with the LWA client secret and the seller's
// refresh token, a transport that records what the client sends, and clients built as a
// connection would build them.
//
// Test code only. Thread safety: one test thread.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/amazon/amazon_client.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::connectors::amazon::testing {

// Records every request and its answer's status.
class RecordingTransport final : public net::HttpTransport {
  public:
    explicit RecordingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        requests.push_back(request);
        auto answer = inner_.send(request, options);
        statuses.push_back(answer ? answer->status : 0);
        return answer;
    }
    // Requests whose URL holds `needle`.
    int count(std::string_view needle) const {
        int n = 0;
        for (const auto& request : requests) n += request.url.find(needle) != std::string::npos;
        return n;
    }
    // Answers with `status` to requests whose URL holds `needle`.
    int answered(std::string_view needle, int status) const {
        int n = 0;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            n += requests[i].url.find(needle) != std::string::npos && statuses[i] == status;
        }
        return n;
    }
    std::vector<net::HttpRequest> requests;
    std::vector<int> statuses;

  private:
    net::HttpTransport& inner_;
};

inline constexpr std::string_view kConnection = "amazon-us";

class AmazonFixture : public ::testing::Test {
  protected:
    explicit AmazonFixture(std::size_t volume = 40)
        : clock_(parse_iso8601("2026-06-01T12:00:00Z").value()),
          host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 7, .volume = volume}),
          recording_(transport_) {
        host_.add("amazon", sandbox::amazon::make_amazon_emulator);
        sandbox::serve_in_process(host_, transport_);
        info_ = host_.ports().at("amazon").as_object();
        (void)vault_.put("amazon-us.client_secret", text("client_secret"));
        (void)vault_.put("amazon-us.refresh_token", text("refresh_token"));
        store_ = store::SqliteStateStore::open(":memory:").value();
        limiters_.configure(std::string(kConnection), amazon_rate_limits());
    }

    std::string text(std::string_view field) const {
        return std::string(info_.at(field).as_string());
    }

    std::unique_ptr<auth::TokenManager> credentials(std::string connection = "amazon-us") {
        return make_amazon_credentials({.connection = std::move(connection),
                                        .token_url = text("lwa_token_url"),
                                        .client_id = text("client_id"),
                                        .client_secret_secret = "amazon-us.client_secret",
                                        .refresh_token_secret = "amazon-us.refresh_token"},
                                       recording_, clock_, *store_, vault_);
    }

    AmazonClientConfig client_config(std::string connection = "amazon-us") const {
        return {.connection = std::move(connection),
                .endpoint = text("base_url"),
                .marketplace_ids = {text("marketplace_id")},
                .secret_rotate_by = std::nullopt,
                .rotation_warning = kRotationWarningDefault,
                .client_secret_secret = "amazon-us.client_secret"};
    }

    std::unique_ptr<AmazonClient> client(auth::TokenManager& credentials, AmazonClientConfig config,
                                         net::RateLimiterRegistry* limiters = nullptr) {
        return std::make_unique<AmazonClient>(
            std::move(config), AmazonClientDeps{.transport = recording_,
                                                .clock = clock_,
                                                .limiters = limiters ? *limiters : limiters_,
                                                .credentials = credentials,
                                                .store = store_.get()});
    }
    std::unique_ptr<AmazonClient> client(auth::TokenManager& credentials) {
        return client(credentials, client_config());
    }

    net::HttpResponse control(std::string method, std::string route, std::string body = {}) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = std::string(sandbox::SandboxHost::kControlPrefix) + std::move(route);
        request.body = std::move(body);
        return host_.handle("amazon", request);
    }

    ManualClock clock_;
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    RecordingTransport recording_;
    boost::json::object info_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    net::RateLimiterRegistry limiters_;
};

}  // namespace mlc::connectors::amazon::testing

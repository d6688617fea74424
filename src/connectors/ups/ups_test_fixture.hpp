#pragma once
// What the UPS connector's tests share: the UPS emulator served in process on a ManualClock, the
// SQLite store in memory, the vault with the app's client secret, a transport that records (and
// can lose) what the client sends, and clients built as a connection would build them.
//
// Test code only. Thread safety: one test thread.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/ups/ups_client.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::connectors::ups::testing {

// Records every request and can lose the answer of the nth one whose URL holds a needle, as a
// connection cut after UPS committed would.
class RecordingTransport final : public net::HttpTransport {
  public:
    explicit RecordingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        requests.push_back(request);
        if (refuse_api_ > 0 && request.url.find("/api/") != std::string::npos) {
            --refuse_api_;
            return net::json_response(
                401,
                R"({"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}})");
        }
        auto answer = inner_.send(request, options);
        if (!needle_.empty() && request.url.find(needle_) != std::string::npos &&
            --countdown_ == 0) {
            needle_.clear();
            return make_error(ErrorCode::kTransient, "test", "connection reset after sending");
        }
        return answer;
    }
    void lose(std::string needle, int nth = 1) {
        needle_ = std::move(needle);
        countdown_ = nth;
    }
    // The next `count` API calls answer 401 250002 whatever the token.
    void refuse_api(int count) { refuse_api_ = count; }
    // Requests whose URL holds `needle`.
    int count(std::string_view needle) const {
        int n = 0;
        for (const auto& request : requests) n += request.url.find(needle) != std::string::npos;
        return n;
    }
    std::vector<net::HttpRequest> requests;

  private:
    net::HttpTransport& inner_;
    std::string needle_;
    int countdown_ = 0;
    int refuse_api_ = 0;
};

inline model::Address address(std::string street1, std::string city, std::string state,
                              std::string postal_code, std::string country = "US") {
    return {.name = "Pat Buyer",
            .company = "Buyer Co",
            .street1 = std::move(street1),
            .street2 = {},
            .street3 = {},
            .city = std::move(city),
            .state = std::move(state),
            .postal_code = std::move(postal_code),
            .country = std::move(country),
            .phone = "213-555-0199",
            .email = {},
            .residential = false};
}
inline constexpr std::string_view kTokenPath = "/security/v1/oauth/token";

class UpsFixture : public ::testing::Test {
  protected:
    explicit UpsFixture(std::size_t volume = 0)
        : clock_(parse_iso8601("2025-06-02T14:00:00Z").value()),
          host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 7, .volume = volume}),
          recording_(transport_) {
        host_.add("ups", sandbox::ups::make_ups_emulator);
        sandbox::serve_in_process(host_, transport_);
        info_ = host_.ports().at("ups").as_object();
        (void)vault_.put("ups.client_secret", text("client_secret"));
        store_ = store::SqliteStateStore::open(":memory:").value();
    }

    std::string text(std::string_view field) const {
        return std::string(info_.at(field).as_string());
    }

    std::unique_ptr<auth::TokenManager> credentials(std::optional<int> budget = 250,
                                                    std::string connection = "ups-main") {
        return make_ups_credentials({.connection = std::move(connection),
                                     .base_url = text("base_url"),
                                     .client_id = text("client_id"),
                                     .client_secret_secret = "ups.client_secret",
                                     .merchant_id = {},
                                     .daily_token_budget = budget},
                                    recording_, clock_, *store_, vault_);
    }

    std::unique_ptr<UpsClient> client(auth::TokenManager& credentials,
                                      std::string connection = "ups-main") {
        return std::make_unique<UpsClient>(
            UpsClientConfig{.connection = std::move(connection),
                            .base_url = text("base_url"),
                            .transaction_src = "mlc",
                            .account_number = text("account_number")},
            UpsClientDeps{.transport = recording_,
                          .clock = clock_,
                          .limiters = limiters_,
                          .credentials = credentials});
    }

    UpsShipper shipper() const {
        return {.account_number = text("account_number"),
                .name = "MLC DISTRIBUTION",
                .attention_name = "SHIPPING DESK",
                .phone = "404-555-0100",
                .address = {.name = "MLC DISTRIBUTION",
                            .company = {},
                            .street1 = "1000 PEACHTREE ST",
                            .street2 = {},
                            .street3 = {},
                            .city = "ATLANTA",
                            .state = "GA",
                            .postal_code = "30303",
                            .country = "US",
                            .phone = {},
                            .email = {},
                            .residential = false}};
    }

    UpsShipmentDraft draft(std::string reference, std::size_t packages = 1) const {
        UpsShipmentDraft out{.reference = std::move(reference),
                             .order_number = "5012",
                             .ship_to = address("100 MAIN ST", "LOS ANGELES", "CA", "90012-4801"),
                             .service_code = "03",
                             .packages = {},
                             .label_format = "ZPL"};
        for (std::size_t i = 0; i < packages; ++i) {
            out.packages.push_back({.weight_lb = Decimal::parse("12.25").value(),
                                    .declared_value = Decimal::parse("240.00").value(),
                                    .description = "Parts"});
        }
        return out;
    }

    net::HttpResponse control(std::string method, std::string route, std::string body = {}) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = std::string(sandbox::SandboxHost::kControlPrefix) + std::move(route);
        request.body = std::move(body);
        return host_.handle("ups", request);
    }
    boost::json::object state() {
        return boost::json::parse(control("GET", "state").body).as_object();
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

}  // namespace mlc::connectors::ups::testing

#pragma once
// The Amazon emulator's test fixture: an emulator on a manual clock, a Login with Amazon token,
// and SP-API calls through handle() as a connector would make them.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"

namespace mlc::sandbox::amazon::testing {

class NullTransport final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest&, const net::TransportOptions&) override {
        return net::HttpResponse{};
    }
};

inline std::string header(const net::HttpResponse& response, std::string_view name) {
    return std::string(net::find_header(response.headers, name).value_or(""));
}

class AmazonTest : public ::testing::Test {
  protected:
    explicit AmazonTest(std::uint64_t seed = 7)
        : clock_(*parse_iso8601("2026-03-02T12:00:00Z")),
          amazon_(EmulatorContext{
              .clock = clock_, .outbound = outbound_, .seed = seed, .volume = 300}) {
        amazon_.set_base_url("http://127.0.0.1:8123");
    }

    net::HttpResponse lwa(const std::string& secret, const std::string& refresh) {
        net::HttpRequest request{.method = "POST", .url = "/auth/o2/token"};
        request.headers = {{"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"}};
        request.body = "grant_type=refresh_token&refresh_token=" + net::url_encode(refresh) +
                       "&client_id=" + net::url_encode(amazon_.client_id()) +
                       "&client_secret=" + net::url_encode(secret);
        return amazon_.handle(request);
    }
    std::string new_token() {
        const auto response = lwa(amazon_.client_secret(), amazon_.refresh_token());
        EXPECT_EQ(response.status, 200) << response.body;
        return std::string(boost::json::parse(response.body).at("access_token").as_string());
    }
    net::HttpResponse api(std::string method, std::string url, std::string body = {},
                          std::optional<std::string> token = std::nullopt) {
        if (!token) {
            if (token_.empty() || clock_.now() - token_time_ >= std::chrono::minutes(55)) {
                token_ = new_token();
                token_time_ = clock_.now();
            }
            token = token_;
        }
        net::HttpRequest request{.method = std::move(method), .url = std::move(url)};
        if (!token->empty()) request.headers.emplace_back("x-amz-access-token", *token);
        if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
        request.body = std::move(body);
        return amazon_.handle(request);
    }
    boost::json::value json_of(const net::HttpResponse& response) {
        return boost::json::parse(response.body);
    }
    std::string error_code(const net::HttpResponse& response) {
        return std::string(json_of(response).at("errors").at(0).at("code").as_string());
    }

    ManualClock clock_;
    NullTransport outbound_;
    AmazonEmulator amazon_;
    std::string token_;
    UtcTime token_time_ = {};
};

}  // namespace mlc::sandbox::amazon::testing

#pragma once
// EchoEmulator: the smallest Emulator, for the framework's own tests. It answers every vendor
// request with {"path": ..., "count": N}, counts ticks, and posts one webhook per tick to
// `webhook_url` when set. Thread safety: the host serialises calls.

#include <string>

#include <boost/json.hpp>

#include "sandbox/emulator.hpp"

namespace mlc::sandbox::testing {

class EchoEmulator final : public Emulator {
  public:
    explicit EchoEmulator(EmulatorContext context) : context_(context) {}
    std::string_view system() const override { return "echo"; }
    net::HttpResponse handle(const net::HttpRequest& request) override {
        ++requests_;
        return net::json_response(
            200, boost::json::serialize(boost::json::object{{"path", net::url_path(request.url)},
                                                            {"count", requests_}}));
    }
    net::HttpResponse control(const net::HttpRequest&, std::string_view route) override {
        if (route == "state") {
            return net::json_response(
                200, boost::json::serialize(boost::json::object{
                         {"requests", requests_},
                         {"ticks", ticks_},
                         {"now_unix_s", std::chrono::duration_cast<std::chrono::seconds>(
                                            context_.clock.now().time_since_epoch())
                                            .count()}}));
        }
        return net::json_response(404, R"({"error":"unknown control route"})");
    }
    boost::json::object connection_info(std::string_view base_url) const override {
        return {{"base_url", base_url}, {"api_key", "echo-key"}, {"api_secret", "echo-secret"}};
    }
    void tick() override { ++ticks_; }

  private:
    EmulatorContext context_;
    std::int64_t requests_ = 0;
    std::int64_t ticks_ = 0;
};

}  // namespace mlc::sandbox::testing

// The Epicor emulator (sandbox/epicor) as a pure request handler, authenticated: what a client or
// a person with curl sends to `mlc sandbox`. Covers the v2 routing, the OData query options read
// from the URL ($filter, $select, $expand, $orderby, $top, $skip), entity bodies (POST, PATCH)
// and the BO methods' bodies, UpdateExt's tableset above all (update_ext.cpp). A fresh emulator
// with a small seeded volume per input keeps every run reproducible. Every answer must be JSON.
//
// Input: "<METHOD> <path after /api/v2/odata/EPIC06/>\n<body>", e.g.
//   "POST Erp.BO.SalesOrderSvc/UpdateExt\n{"ds": {...}, ...}".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base64.hpp"
#include "common/clock.hpp"
#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/epicor/epicor_json.hpp"

namespace {

namespace ep = mlc::sandbox::epicor;

class NoOutbound final : public mlc::net::HttpTransport {
  public:
    using mlc::net::HttpTransport::send;
    mlc::Result<mlc::net::HttpResponse> send(const mlc::net::HttpRequest&,
                                             const mlc::net::TransportOptions&) override {
        return mlc::make_error(mlc::ErrorCode::kTransient, "fuzz", "no outbound calls");
    }
};

constexpr std::size_t kRequestLineMax = 2048;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view line = input.substr(0, std::min(newline, kRequestLineMax));
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return 0;

    mlc::ManualClock clock;
    NoOutbound outbound;
    ep::EpicorEmulator emulator({.clock = clock, .outbound = outbound, .seed = 7, .volume = 10});
    const auto info = emulator.connection_info("http://sandbox");
    mlc::net::HttpRequest request;
    request.method = std::string(line.substr(0, space));
    request.url = "/EpicorERP/api/v2/odata/EPIC06/" + std::string(line.substr(space + 1));
    if (newline != std::string_view::npos) request.body = std::string(input.substr(newline + 1));
    request.headers = {
        {"Authorization",
         "Basic " + mlc::base64_encode(std::string(info.at("username").as_string()) + ":" +
                                       std::string(info.at("password").as_string()))},
        {"x-api-key", std::string(info.at("api_key").as_string())},
        {"Content-Type", "application/json"}};
    const mlc::net::HttpResponse response = emulator.handle(request);
    // Every answer with a body is JSON (the emulator writes Epicor's error shape, never text).
    if (!response.body.empty() && !ep::parse_exact(response.body)) __builtin_trap();
    return 0;
}

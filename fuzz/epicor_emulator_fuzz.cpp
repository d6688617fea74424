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
#include "fuzz_support.hpp"
#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/epicor/epicor_json.hpp"

namespace {

namespace ep = mlc::sandbox::epicor;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto text = mlc::fuzz::request_text(input, /*absolute=*/false);
    if (!text) return 0;

    mlc::ManualClock clock;
    mlc::fuzz::NoOutbound outbound;
    ep::EpicorEmulator emulator({.clock = clock, .outbound = outbound, .seed = 7, .volume = 10});
    const auto info = emulator.connection_info("http://sandbox");
    mlc::net::HttpRequest request;
    request.method = std::string(text->method);
    request.url = "/EpicorERP/api/v2/odata/EPIC06/" + std::string(text->target);
    request.body = std::string(text->body);
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

// The Amazon SP-API emulator (sandbox/amazon) where it reads outside text. Its settlement code
// only writes the V2 flat file (amazon_settlement.hpp has no reader), so this target fuzzes what
// parses requests instead: a fresh emulator per input, authenticated by Login with Amazon, reads
// the regional hosts' requests (searchOrders and v0 getOrders query parameters, createReport's
// JSON body, getReports, ids in paths) and the control routes' JSON bodies; the sandbox hosts'
// example matching (path, query and JSON body against the models' static examples) on one
// StaticSandbox built once; and gzip_decompress (settlement documents are gzip), which must give
// back what gzip_compress packed. Every answer but a document download must be JSON.
//
// Input: "<METHOD> <target>\n<body>", target one of /na/..., /sandbox/na/..., /__sandbox/...,
// /auth/o2/token (a form body),
// e.g. "POST /na/reports/2021-06-30/reports\n{"reportType": ...}"; the whole input is also read
// as gzip bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>

#include "common/clock.hpp"
#include "common/gzip.hpp"
#include "common/time.hpp"
#include "fuzz_support.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/amazon/amazon_json.hpp"
#include "sandbox/amazon/amazon_static_sandbox.hpp"

namespace {

namespace amazon = mlc::sandbox::amazon;
namespace json = boost::json;

constexpr std::string_view kSandboxPrefix = "/sandbox/na";
constexpr std::string_view kControlPrefix = "/__sandbox/";

void expect_json(const mlc::net::HttpResponse& response) {
    // An answer that is not JSON where the API promises JSON.
    if (!response.body.empty() && !mlc::fuzz::is_json(response.body)) __builtin_trap();
}

mlc::net::HttpRequest request_of(std::string_view method, std::string_view target,
                                 std::string_view body) {
    mlc::net::HttpRequest request;
    request.method = std::string(method);
    request.url = std::string(target);
    request.body = std::string(body);
    const bool form = mlc::net::url_path(target) == "/auth/o2/token";  // Login with Amazon
    request.headers = {
        {"Content-Type", form ? "application/x-www-form-urlencoded" : "application/json"},
        {"User-Agent", "mlc-fuzz/1.0"}};
    return request;
}

// The sandbox hosts answer from the models' examples: built once (~700 kB of JSON), const after.
void ask_static(const mlc::net::HttpRequest& request) {
    static const amazon::StaticSandbox sandbox(amazon::embedded_models());
    std::map<std::string, std::string> params;
    const std::string path = mlc::net::url_path(request.url).substr(kSandboxPrefix.size());
    const amazon::ModelOperation* operation = sandbox.find(request.method, path, params);
    if (operation != nullptr) expect_json(sandbox.answer(*operation, request, params));
}

void ask_emulator(mlc::net::HttpRequest request) {
    // The day the seeds were captured from `mlc sandbox --seed 7 --volume 20`.
    mlc::ManualClock clock(*mlc::parse_iso8601("2026-12-03T12:00:00Z"));
    mlc::fuzz::NoOutbound outbound;
    amazon::AmazonEmulator emulator(
        {.clock = clock, .outbound = outbound, .seed = 7, .volume = 20});
    if (const std::string path = mlc::net::url_path(request.url);
        path.starts_with(kControlPrefix)) {
        expect_json(emulator.control(request, path.substr(kControlPrefix.size())));
        return;
    }
    mlc::net::HttpRequest login;
    login.method = "POST";
    login.url = "/auth/o2/token";
    login.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    login.body =
        "grant_type=refresh_token&refresh_token=" + mlc::net::url_encode(emulator.refresh_token()) +
        "&client_id=" + mlc::net::url_encode(emulator.client_id()) +
        "&client_secret=" + mlc::net::url_encode(emulator.client_secret());
    const mlc::net::HttpResponse token = emulator.handle(login);
    if (token.status != 200) __builtin_trap();
    request.headers.emplace_back(
        "x-amz-access-token", std::string(json::parse(token.body).at("access_token").as_string()));
    const mlc::net::HttpResponse response = emulator.handle(request);
    // A document download is the document (TSV, gzip) or S3's XML, never JSON.
    if (!mlc::net::url_path(request.url).starts_with("/documents/")) expect_json(response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (auto unpacked = mlc::gzip_decompress(input)) {
        if (mlc::gzip_decompress(mlc::gzip_compress(*unpacked)) != unpacked) __builtin_trap();
    }

    const auto text = mlc::fuzz::request_text(input);
    if (!text) return 0;
    mlc::net::HttpRequest request = request_of(text->method, text->target, text->body);
    const std::string path = mlc::net::url_path(request.url);
    if (path.starts_with(kSandboxPrefix) && path.size() > kSandboxPrefix.size() &&
        path[kSandboxPrefix.size()] == '/') {
        ask_static(request);
        return 0;
    }
    ask_emulator(std::move(request));
    return 0;
}

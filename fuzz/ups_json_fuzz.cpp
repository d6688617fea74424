// UPS, both sides of what comes from outside. The answers UpsClient reads
// (connectors/ups/ups_json.hpp, ups_errors.hpp): Address Validation (valid, ambiguous, none;
// classification), Ship (one package object or an array, base64 labels, charges), Tracking
// details (every package as the model's tracking event), Quantum View pages, Label Recovery,
// Track Alert subscription answers and pushes (as tracking events), and a non-2xx
// answer's error body for each API. And the UPS emulator's request readers (sandbox/ups), as a
// client or a person with curl reaches them with a valid token: every answer must be JSON.
//
// Input: an answer body; when its first line is "<METHOD> <target>" ("POST
// /api/shipments/v2409/ship"), also a request to a fresh emulator with the rest as its body.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>

#include "common/base64.hpp"
#include "common/clock.hpp"
#include "common/time.hpp"
#include "connectors/ups/ups_errors.hpp"
#include "connectors/ups/ups_json.hpp"
#include "fuzz_support.hpp"
#include "sandbox/ups/ups_emulator.hpp"

namespace {

namespace ups = mlc::connectors::ups;
namespace json = boost::json;

void read_answers(std::string_view body) {
    mlc::model::Address input;  // What the connector asked to validate.
    input.street1 = "26601 Aliso Viejo Pkwy";
    input.city = "Aliso Viejo";
    input.state = "CA";
    input.postal_code = "92656";
    input.country = "US";
    (void)ups::parse_address_check(body, input);
    (void)ups::parse_ship_result(body);
    if (auto packages = ups::parse_track(body)) {
        for (const ups::TrackedPackage& package : *packages) (void)ups::tracking_event(package);
    }
    if (auto page = ups::parse_quantum_view(body)) {  // Each tracking number once.
        std::set<std::string> seen(page->tracking_numbers.begin(), page->tracking_numbers.end());
        if (seen.size() != page->tracking_numbers.size()) __builtin_trap();
    }
    (void)ups::parse_label_recovery(body);
    (void)ups::parse_track_alert_answer(body);
    if (auto pushed = ups::parse_track_alert_push(body)) (void)ups::tracking_event(*pushed);
    (void)ups::read_ups_error(body);
    for (const ups::UpsApi api :
         {ups::UpsApi::kToken, ups::UpsApi::kAddressValidation, ups::UpsApi::kShipping,
          ups::UpsApi::kVoid, ups::UpsApi::kTracking, ups::UpsApi::kQuantumView}) {
        for (const int status : {400, 401, 403, 404, 500}) {
            const mlc::net::HttpResponse response{
                .status = status, .headers = {}, .body = std::string(body)};
            (void)ups::map_ups_error(
                response, {.connection = "ups-fuzz", .api = api, .record_key = "shipment 1"});
        }
    }
}

void ask_emulator(std::string_view method, std::string_view target, std::string_view body) {
    mlc::ManualClock clock(*mlc::parse_iso8601("2024-03-04T15:00:00Z"));
    mlc::fuzz::NoOutbound outbound;
    mlc::sandbox::ups::UpsEmulator emulator(
        {.clock = clock, .outbound = outbound, .seed = 7, .volume = 10});
    mlc::net::HttpRequest token;
    token.method = "POST";
    token.url = "/security/v1/oauth/token";
    token.body = "grant_type=client_credentials";
    token.headers = {{"Authorization", "Basic " + mlc::base64_encode(emulator.client_id() + ":" +
                                                                     emulator.client_secret())},
                     {"Content-Type", "application/x-www-form-urlencoded"}};
    const mlc::net::HttpResponse issued = emulator.handle(token);
    if (issued.status != 200) __builtin_trap();
    const std::string access(json::parse(issued.body).at("access_token").as_string());

    mlc::net::HttpRequest request;
    request.method = std::string(method);
    request.url = std::string(target);
    request.body = std::string(body);
    request.headers = {{"Authorization", "Bearer " + access},
                       {"Content-Type", "application/json"},
                       {"transId", "fuzz-1"},
                       {"transactionSrc", "mlc-fuzz"}};
    const mlc::net::HttpResponse response = emulator.handle(request);
    // Every UPS answer with a body is JSON (the emulator writes UPS's error shape, never text).
    if (!response.body.empty() && !mlc::fuzz::is_json(response.body)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    read_answers(input);

    if (const auto text = mlc::fuzz::request_text(input)) {
        ask_emulator(text->method, text->target, text->body);
    }
    return 0;
}

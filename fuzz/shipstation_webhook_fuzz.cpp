// A ShipStation webhook body as the intake and the shipments recipe see it: the channel's topic
// (the body's resource_type), ShipStationEvents::plan, and for SHIP_NOTIFY/ORDER_NOTIFY with a
// resource_url the follow itself (ShipStationClient::fetch_resource_url: the URL checks, the page
// parameters, the listing parsed) against a transport that answers every GET with one page.
//
// The transport also checks the one promise a forged body must never break: the key pair is sent
// only to ShipStation (the configured base host or a https *.shipstation.com host).
//
// Input: the raw body.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/testing/fake_vault.hpp"
#include "common/clock.hpp"
#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "net/rate_limiter.hpp"

namespace {

namespace ss = mlc::connectors::shipstation;

constexpr std::string_view kShipmentsPage = R"({"shipments": [{"shipmentId": 33974374,
  "orderId": 43945660, "orderKey": "8061c220f0794f9b92d4a7c9ed8dc9c0", "orderNumber": "100038",
  "createDate": "2014-10-03T06:51:33.6270000", "shipDate": "2014-10-03", "shipmentCost": 1.93,
  "insuranceCost": 0, "trackingNumber": "9400111899561704681189", "isReturnLabel": false,
  "carrierCode": "stamps_com", "serviceCode": "usps_first_class_mail", "voided": false,
  "voidDate": null, "shipmentItems": [{"orderItemId": 56632001, "lineItemKey": null,
  "sku": "SQ3785739", "name": "Potato Kit", "quantity": 1, "unitPrice": 1.00}]}],
  "total": 1, "page": 1, "pages": 0})";
constexpr std::string_view kOrdersPage = R"({"orders": [], "total": 0, "page": 1, "pages": 0})";

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Whether a request to `url` would carry the key pair outside ShipStation: a plain host name
// (letters, digits, dots, dashes: what a resolver would look up; libcurl refuses anything odder)
// that is neither ssapi.shipstation.com nor a https *.shipstation.com host.
bool leaves_shipstation(std::string_view url) {
    const std::string text = lower(url);
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string::npos) return false;  // Not a URL libcurl would send.
    const std::string_view rest = std::string_view(text).substr(scheme_end + 3);
    const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    for (const char c : host) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
    }
    const bool https = text.starts_with("https://");
    return !(https && (host == "shipstation.com" || host.ends_with(".shipstation.com")));
}

class OnePageTransport final : public mlc::net::HttpTransport {
  public:
    using mlc::net::HttpTransport::send;
    mlc::Result<mlc::net::HttpResponse> send(const mlc::net::HttpRequest& request,
                                             const mlc::net::TransportOptions&) override {
        if (leaves_shipstation(request.url)) __builtin_trap();  // Credentials sent elsewhere.
        const bool orders = mlc::net::url_path(request.url) == "/orders";
        return mlc::net::HttpResponse{.status = 200,
                                      .headers = {{"Content-Type", "application/json"}},
                                      .body = std::string(orders ? kOrdersPage : kShipmentsPage)};
    }
};

struct Harness {
    Harness() {
        (void)vault.put("ss.key", "key123");
        (void)vault.put("ss.secret", "s3cret");
    }
    mlc::ManualClock clock;
    OnePageTransport transport;
    mlc::net::RateLimiterRegistry limiters;
    mlc::auth::testing::FakeVault vault;
    ss::ShipStationClient client{
        ss::ShipStationConnection{
            .name = "ss-fuzz",
            .base_url = "https://ssapi.shipstation.com",
            .api_key_secret = "ss.key",
            .api_secret_secret = "ss.secret",
            .rate_limit = {.connection = {.requests_per_second = 1e9, .burst = 1e9},
                           .per_operation = {}}},
        ss::ShipStationDependencies{
            .transport = transport, .clock = clock, .limiters = limiters, .vault = vault}};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Harness harness;  // The client keeps no state between calls (its header says so).
    const std::string_view body(reinterpret_cast<const char*>(data), size);

    mlc::net::HttpRequest request{.method = "POST", .url = "/hooks/shipments/shipstation?token=t"};
    request.body = std::string(body);
    const ss::ShipStationWebhookChannel channel;
    (void)channel.verify(request, "t");
    const std::string topic = channel.topic(request);

    for (const bool shipments : {true, false}) {
        ss::ShipStationEvents events(harness.client, shipments);
        const mlc::connectors::EventPlan plan = events.plan(topic, body);
        if (plan.kind == mlc::connectors::EventPlan::kFollow) (void)events.read(topic, body);
    }
    return 0;
}

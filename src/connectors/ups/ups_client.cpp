#include "connectors/ups/ups_client.hpp"

#include <cstdio>
#include <utility>

#include <boost/json/serialize.hpp>

#include "auth/oauth2_client_credentials.hpp"
#include "common/exact_json.hpp"

namespace mlc::connectors::ups {
namespace {

namespace json = boost::json;

std::string trim_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::string hex(std::uint64_t value) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%llx", static_cast<unsigned long long>(value));
    return buffer;
}

}  // namespace

// Stamps transId (unique per attempt) and transactionSrc on every request that leaves the
// client, so retries by the net client carry their own transId too.
class UpsClient::Stamp final : public net::HttpTransport {
  public:
    Stamp(net::HttpTransport& inner, std::string prefix, std::string source)
        : inner_(inner), prefix_(std::move(prefix)), source_(std::move(source)) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        net::HttpRequest stamped = request;
        std::string id = prefix_ + "-" + hex(++count_);
        if (id.size() > kTransIdLengthMax) id = id.substr(id.size() - kTransIdLengthMax);
        net::set_header(stamped.headers, "transId", id);
        net::set_header(stamped.headers, "transactionSrc", source_);
        return inner_.send(stamped, options);
    }

  private:
    net::HttpTransport& inner_;
    std::string prefix_;
    std::string source_;
    std::atomic<std::uint64_t> count_{0};
};

std::unique_ptr<auth::TokenManager> make_ups_credentials(const UpsCredentialsConfig& config,
                                                         net::HttpTransport& transport,
                                                         Clock& clock, store::StateStore& store,
                                                         const auth::Vault& vault) {
    auth::TokenManagerOptions options;
    options.connection = config.connection;
    options.system = std::string(kSystem);
    options.daily_token_budget = config.daily_token_budget;
    options.describe_rejection = [secret = config.client_secret_secret](
                                     const net::HttpResponse& response,
                                     std::string_view connection) {
        Error error = map_ups_error(
            response, {.connection = connection, .api = UpsApi::kToken, .record_key = {}});
        error.message = "connection '" + std::string(connection) +
                        "': UPS refused a freshly obtained token (HTTP " +
                        std::to_string(response.status) +
                        "): check that the app's products include this API on "
                        "developer.ups.com and the client secret (`mlc secret set " +
                        secret + "`)";
        return error;
    };
    auth::ClientCredentialsConfig source{
        .system = std::string(kSystem),
        .token_url = trim_slashes(config.base_url) + "/security/v1/oauth/token",
        .client_id = config.client_id,
        .client_secret_secret = config.client_secret_secret,
        .merchant_id = config.merchant_id,
    };
    return std::make_unique<auth::TokenManager>(
        std::move(options),
        std::make_unique<auth::OAuth2ClientCredentials>(std::move(source), transport, vault),
        auth::CredentialHeaders{}, clock, store, vault);
}

UpsClient::UpsClient(UpsClientConfig config, UpsClientDeps deps)
    : config_(std::move(config)),
      clock_(deps.clock),
      credentials_(deps.credentials),
      stamp_(std::make_unique<Stamp>(
          deps.transport,
          "mlc" + hex(static_cast<std::uint64_t>(deps.clock.now().time_since_epoch().count()) ^
                      (deps.seed << 40)),
          config_.transaction_src)),
      http_({.system = std::string(kSystem), .retry = deps.retry}, *stamp_, deps.clock,
            deps.limiters, deps.seed, deps.logger, deps.observer) {
    config_.base_url = trim_slashes(config_.base_url);
}

UpsClient::~UpsClient() = default;

Result<std::string> UpsClient::send(const Call& c) {
    net::HttpRequest request{.method = c.method, .url = config_.base_url + c.path};
    request.headers = {{"Accept", "application/json"}};
    if (c.body) {
        request.body = json::serialize(*c.body);
        request.headers.emplace_back("Content-Type", "application/json");
    }
    UpsErrorContext context = c.context;
    context.connection = config_.connection;
    const auth::SendFn send = [&](const net::HttpRequest& attempt) -> Result<net::HttpResponse> {
        Result<net::HttpResponse> answer = http_.call(
            {.request = attempt, .connection = config_.connection, .idempotent = c.idempotent});
        // The net client reports a 401 as an error; the token manager refreshes on the answer.
        if (!answer && answer.error().code == ErrorCode::kUnauthorized) {
            return net::HttpResponse{.status = 401, .headers = {}, .body = {}};
        }
        return answer;
    };
    Result<net::HttpResponse> response = credentials_.authorized_call(request, send);
    if (!response) return map_call_error(std::move(response).error(), context);
    if (response->status < 200 || response->status >= 300) {
        return map_ups_error(*response, context);
    }
    return std::move(response->body);
}

Result<AddressCheck> UpsClient::validate(const model::Address& address) {
    const std::string record = "the address " + address.street1 + ", " + address.city + " " +
                               address.state + " " + address.postal_code;
    MLC_TRY(std::string body,
            send({.method = "POST",
                  .path = "/api/addressvalidation/v2/3?maximumcandidatelistsize=" +
                          std::to_string(kCandidatesMax),
                  .body = address_request(address),
                  .idempotent = true,  // A lookup: repeating it changes nothing.
                  .context = {.api = UpsApi::kAddressValidation, .record_key = record}}));
    return parse_address_check(body, address);
}

Result<ShipResult> UpsClient::ship(const UpsShipper& shipper, const UpsShipmentDraft& draft) {
    MLC_TRY(json::object request, ship_request(shipper, draft));
    const std::string record = "shipment " + draft.reference;
    MLC_TRY(std::string body, send({.method = "POST",
                                    .path = "/api/shipments/" + std::string(kShipVersion) + "/ship",
                                    .body = std::move(request),
                                    .idempotent = false,
                                    .context = {.api = UpsApi::kShipping, .record_key = record}}));
    return parse_ship_result(body);
}

Result<void> UpsClient::void_shipment(const std::string& shipment_id) {
    MLC_TRY(std::string body,
            send({.method = "DELETE",
                  .path = "/api/shipments/" + std::string(kShipVersion) + "/void/cancel/" +
                          net::url_encode(shipment_id),
                  .body = std::nullopt,
                  .idempotent = false,  // Its repeat answers 190117: the target checks instead.
                  .context = {.api = UpsApi::kVoid, .record_key = "shipment " + shipment_id}}));
    (void)body;
    return ok();
}

Result<ShippedPackage> UpsClient::recover_label(const std::string& tracking_number,
                                                const std::string& label_format) {
    const std::string record = "package " + tracking_number;
    MLC_TRY(std::string body,
            send({.method = "POST",
                  .path = "/api/labels/" + std::string(kLabelRecoveryVersion) + "/recovery",
                  .body = label_recovery_request(tracking_number, label_format),
                  .idempotent = true,  // A read: asking again makes nothing.
                  .context = {.api = UpsApi::kLabelRecovery, .record_key = record}}));
    MLC_TRY(auto labels, parse_label_recovery(body));
    for (auto& label : labels) {
        if (label.tracking_number == tracking_number) return std::move(label);
    }
    return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                      "UPS's label recovery answer for " + record + " holds another package's (" +
                          labels.front().tracking_number + ")");
}

Result<std::optional<TrackedPackage>> UpsClient::track_package(const std::string& tracking_number) {
    MLC_TRY(
        std::string body,
        send({.method = "GET",
              .path = "/api/track/v1/details/" + net::url_encode(tracking_number) + "?locale=en_US",
              .body = std::nullopt,
              .idempotent = true,
              .context = {.api = UpsApi::kTracking, .record_key = "package " + tracking_number}}));
    MLC_TRY(auto packages, parse_track(body));
    for (auto& package : packages) {
        if (package.tracking_number == tracking_number) return std::optional{std::move(package)};
    }
    return std::optional<TrackedPackage>{};
}

Result<model::TrackingEvent> UpsClient::track(const std::string& tracking_number) {
    MLC_TRY(auto package, track_package(tracking_number));
    if (!package) {
        Error error = make_error(ErrorCode::kNotFound, std::string(kSystem),
                                 "UPS has no tracking for package " + tracking_number +
                                     " (TW0001: unknown, or older than 120 days)");
        error.record_key = "package " + tracking_number;
        return error;
    }
    return tracking_event(*package);
}

Result<std::vector<TrackedPackage>> UpsClient::track_reference(const std::string& reference) {
    std::string path =
        "/api/track/v1/reference/details/" + net::url_encode(reference) + "?locale=en_US";
    if (!config_.account_number.empty()) {
        path += "&shipperNum=" + net::url_encode(config_.account_number);
    }
    MLC_TRY(std::string body,
            send({.method = "GET",
                  .path = std::move(path),
                  .body = std::nullopt,
                  .idempotent = true,
                  .context = {.api = UpsApi::kTracking, .record_key = "shipment " + reference}}));
    return parse_track(body);
}

Result<QuantumViewPage> UpsClient::quantum_view(UtcTime begin, UtcTime end,
                                                const std::string& bookmark) {
    MLC_TRY(std::string body,
            send({.method = "POST",
                  .path = "/api/quantumview/v3/events",
                  .body = quantum_view_request(begin, end, bookmark),
                  // A DateTimeRange read marks nothing read: repeating it is harmless.
                  .idempotent = true,
                  .context = {.api = UpsApi::kQuantumView, .record_key = "Quantum View events"}}));
    return parse_quantum_view(body);
}

Result<TrackAlertAnswer> UpsClient::subscribe_track_alert(const std::vector<std::string>& numbers) {
    if (numbers.empty() || numbers.size() > kTrackAlertNumbersMax) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "a Track Alert subscription takes 1 to " +
                              std::to_string(kTrackAlertNumbersMax) + " tracking numbers, not " +
                              std::to_string(numbers.size()));
    }
    const std::string record =
        std::to_string(numbers.size()) + " tracking number(s) from " + numbers.front();
    Result<std::string> body =
        send({.method = "POST",
              .path = "/api/track/v2/subscription/standard/package",
              .body = track_alert_request(numbers),
              .idempotent = true,  // Subscribing again only renews the 14 days.
              .context = {.api = UpsApi::kTrackAlert, .record_key = record}});
    if (!body && body.error().code == ErrorCode::kInvalidInput && body.error().http_status == 400) {
        return TrackAlertAnswer{.valid = {}, .invalid = numbers};  // VSS210: none valid.
    }
    if (!body) return std::move(body).error();
    return parse_track_alert_answer(*body);
}

}  // namespace mlc::connectors::ups

#pragma once
// ShipStation V2 label reads (shipstation.md "V2", ../shared/specs/shipstation-v2/openapi.yaml),
// for a connection that gives a V2 API key; everything else stays on the V1 client.
//
//  * Auth: header `API-Key: <key>`, the key read from the vault at each call. A refused key is
//    kAuthFailed naming the connection and the secret to set.
//  * Budget: 200 requests a minute per key (a separate budget from V1's 40): a local bucket of
//    199 a minute paces every call; a 429 waits its Retry-After (the net client's retry policy).
//  * Times are ISO 8601 UTC both ways (no Pacific wall time in V2).
//  * Ids: V2 prefixes V1's numeric ids with "se-" (ShipStation's legacy-migration guide: a V1
//    shipmentId is the V2 label_id "se-<shipmentId>", a V1 orderId the V2 shipment_id
//    "se-<orderId>", orderKey the external_shipment_id). A label is mapped to the same
//    model::Shipment a V1 shipment gives (source key = the V1 shipmentId, order key = orderKey),
//    so a SHIP_NOTIFY followed through V1 and a poll through V2 bind to one record.
//  * Errors: V2 bodies {request_id, errors: [{error_source, error_type, error_code, message}]};
//    the messages are quoted in ours.
//
// LabelsSource: GET /v2/labels?created_at_start=...&sort_by=created_at&sort_dir=asc, a time
// position like V1's ShipmentsSource, with the same identity and replay (shipment_identity()).
//
// Lifecycle: built once per connection; borrows the transport, clock, limiter registry and vault.
// Thread safety: as ShipStationClient (the client holds no mutable state of its own).

#include <cstdint>
#include <memory>
#include <string>

#include "connectors/shipstation/shipstation_client.hpp"
#include "connectors/time_position.hpp"

namespace mlc::connectors::shipstation {

inline constexpr std::uint32_t kLabelsPageSize = 100;  // V2 default is 25; asked explicitly.
// 199 a minute with no burst: any 60 s window holds at most 200 requests (V2: 200/minute).
inline const net::RateLimit kV2RateLimit{.requests_per_second = 199.0 / 60.0, .burst = 1.0};

struct ShipStationV2Connection {
    std::string name;  // The connection's name, named in every error.
    std::string base_url = "https://api.shipstation.com";
    std::string api_key_secret;  // Vault secret holding the V2 API key.
    net::RateLimiterConfig rate_limit{.connection = kV2RateLimit, .per_operation = {}};
    net::RetryOptions retry{};
};

struct ListLabelsRequest {
    UtcTime created_since{};  // created_at_start, ISO 8601 UTC.
    std::uint32_t page = 1;
    std::uint32_t page_size = kLabelsPageSize;
};

class ShipStationV2Client final {
  public:
    ShipStationV2Client(ShipStationV2Connection connection, ShipStationDependencies dependencies);
    ~ShipStationV2Client();
    ShipStationV2Client(const ShipStationV2Client&) = delete;
    ShipStationV2Client& operator=(const ShipStationV2Client&) = delete;

    // Labels created at or after `created_since`, oldest first, as V1-keyed shipments.
    Result<Page<model::Shipment>> list_labels(const ListLabelsRequest& request);
    const ShipStationV2Connection& connection() const { return connection_; }

  private:
    Result<std::string> get(const std::string& path_and_query);

    ShipStationV2Connection connection_;
    const auth::Vault& vault_;
    std::unique_ptr<net::HttpClient> http_;
};

// A V2 label (JSON object) -> the shipment V1 would give for it (no lines: labels carry none).
Result<model::Shipment> label_from_json(const boost::json::object& label);
// A V2 error answer -> Error (kAuthFailed, kRateLimited with retry_after, kTransient, ...).
Error v2_error_from_response(const net::HttpResponse& response, std::string_view connection,
                             std::string_view what);

// Labels as a pipeline source: the V2 twin of ShipmentsSource (same system, identity, replay).
class LabelsSource final : public Source<model::Shipment> {
  public:
    LabelsSource(ShipStationV2Client& client, TimeWindow window)
        : client_(client), window_(window) {}
    std::string system() const override;
    Result<std::unique_ptr<Scan<model::Shipment>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Shipment>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Shipment& shipment) const override;

  private:
    ShipStationV2Client& client_;
    TimeWindow window_;
};

}  // namespace mlc::connectors::shipstation

#pragma once
// ShipStation as a pipeline source (connector.hpp): orders by modifyDate, shipments by
// createDate and voided shipments by voidDate, each a time position (time_position.hpp) read page
// by page through the V1 client.
//
//  * Orders: key orderKey (what ShipStation dedupes on), ref "shipstation:order:<orderId>:
//    <orderKey>" (`mlc audit --key` finds either), replay by orderId (GET /orders/{id}), version
//    modifyDate. V1 times are Pacific wall time without offset (shipstation.md): in the fall-back
//    hour an edit can read up to an hour early, so version_tolerance() is one hour.
//  * Shipments: key shipmentId, parent the order's orderKey. A label never changes once made
//    (only voided), so the replay key holds the shipment itself and get() reads it back from it.
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none (one run is one thread).
// Ownership: borrows the client.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "connectors/time_position.hpp"

namespace mlc::connectors::shipstation {

inline constexpr const char* kSystem = "shipstation";
// How far a V1 modifyDate can read behind the truth: the repeated hour when Pacific time falls
// back (offset-free wall time cannot say PDT or PST).
inline constexpr std::chrono::hours kPacificWallTimeAmbiguity{1};

struct StreamOptions {
    TimeWindow window{};
    std::uint32_t page_size = kOrdersPageSizeMax;
};

class OrdersSource final : public Source<model::Order> {
  public:
    OrdersSource(ShipStationClient& client, StreamOptions options)
        : client_(client), options_(options) {}
    std::string system() const override { return kSystem; }
    Result<std::unique_ptr<Scan<model::Order>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Order>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Order& order) const override;
    std::chrono::seconds version_tolerance() const override { return kPacificWallTimeAmbiguity; }

  private:
    ShipStationClient& client_;
    StreamOptions options_;
};

class ShipmentsSource final : public Source<model::Shipment> {
  public:
    ShipmentsSource(ShipStationClient& client, StreamOptions options)
        : client_(client), options_(options) {}
    std::string system() const override { return std::string(kSystem) + "-shipment"; }
    Result<std::unique_ptr<Scan<model::Shipment>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Shipment>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Shipment& shipment) const override;

  private:
    ShipStationClient& client_;
    StreamOptions options_;
};

// Voided shipments by voidDate (GET /shipments?voidDateStart=...): a label voided long after it
// was made, which ShipmentsSource's createDate window has left behind and SHIP_NOTIFY never
// announces. Its own time position is the newest voidDate read (from each record's raw JSON: the
// model keeps no void time); same system, identity and replay as ShipmentsSource.
class VoidedShipmentsSource final : public Source<model::Shipment> {
  public:
    VoidedShipmentsSource(ShipStationClient& client, StreamOptions options)
        : client_(client), options_(options) {}
    std::string system() const override { return std::string(kSystem) + "-shipment"; }
    Result<std::unique_ptr<Scan<model::Shipment>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Shipment>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Shipment& shipment) const override;

  private:
    ShipStationClient& client_;
    StreamOptions options_;
};

// "shipstation:order:<orderId>:<orderKey>".
std::string order_ref(const model::Order& order);
// A shipment's identity, whichever API read it (V1 ShipmentsSource, V2 LabelsSource): key
// shipmentId, and a replay that holds the shipment itself.
SourceIdentity shipment_identity(const model::Shipment& shipment);
// The shipment a replay of shipment_identity() holds.
Result<std::optional<Record<model::Shipment>>> shipment_from_replay(const std::string& replay);

}  // namespace mlc::connectors::shipstation

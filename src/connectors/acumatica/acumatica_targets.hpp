#pragma once
// Acumatica as a pipeline target (connector.hpp): the shipment of a sales order, with its
// tracking number, confirmed, so the order shows Completed (or Back Order for a part).
//
//   create: the order's open shipment (Status Open) is taken, else one is made from the order
//           (SalesOrderCreateShipment, 202 polled to 204); its package gets TrackingNbr (the
//           first package, or a new one with `box_id`) and, when mapped, ShipVia; then
//           ConfirmShipment (202 polled to 204). Returns the ShipmentNbr.
//   find_by_source: the order's shipments are read and the one whose package holds the tracking
//           number is returned, so a create whose answer was lost is completed (update), never
//           made twice. The source key is "<OrderType>/<OrderNbr>:<tracking>" (target_key()).
//   update: a found shipment still open is packed and confirmed; a confirmed one is left.
//           A `voided` draft (the label was voided) reverses what the API can: a confirmed
//           shipment is corrected back to Open (CorrectShipment, 202 polled to 204: its quantities
//           open on the order again) and the voided tracking number is removed from its package;
//           a shipment Acumatica refuses to correct (e.g. invoiced) is kRejected saying nothing
//           was reversed and what a person must do. Done again, it finds nothing left to undo.
//   close:  nothing (a voided label is an update with `voided`, above).
//
// Lifecycle: one per flow, built by its recipe. Thread safety: that of AcumaticaClient (none).
// Ownership: borrows the client.

#include <string>

#include "connectors/acumatica/acumatica_client.hpp"
#include "connectors/connector.hpp"

namespace mlc::connectors::acumatica {

inline constexpr std::size_t kOrderShipmentsMax = 50;  // Shipments of one order looked at.

struct ShipmentDraft {
    std::string order_type = "SO";
    std::string order_nbr = {};
    std::string tracking_number = {};
    std::string ship_via = {};  // Acumatica Ship Via code; empty: the shipment's own.
    std::string carrier = {};   // The carrier as the label says ("ups"), for the audit.
    std::string box_id = "LARGE";
    bool voided = false;  // The label was voided: reverse the shipment (update) instead.
};

// "SO/000123:1Z999": where find_by_source() looks.
std::string target_key(const ShipmentDraft& draft);

class ShipmentsTarget final : public Target<ShipmentDraft> {
  public:
    explicit ShipmentsTarget(AcumaticaClient& client) : client_(client) {}
    std::string system() const override { return kSystem; }
    std::string ref(const std::string& id) const override { return "acumatica:Shipment:" + id; }
    Result<std::optional<std::string>> find_by_source(const std::string& source_key) override;
    Result<std::string> create(const ShipmentDraft& draft) override;
    Result<void> update(const std::string& id, const ShipmentDraft& draft) override;
    Result<void> close(const std::string&) override { return ok(); }
    std::string describe(const ShipmentDraft& draft) const override;

  private:
    struct Found {
        std::string nbr = {};
        std::string status = {};
    };
    // The order's shipments (number and status), at most kOrderShipmentsMax.
    Result<std::vector<Found>> order_shipments(const std::string& type, const std::string& nbr);
    Result<boost::json::object> shipment(const std::string& nbr);
    Result<std::string> open_shipment(const ShipmentDraft& draft);
    Result<void> pack_and_confirm(const std::string& nbr, const ShipmentDraft& draft);
    Result<void> reverse(const std::string& nbr, const ShipmentDraft& draft);

    AcumaticaClient& client_;
};

}  // namespace mlc::connectors::acumatica

#pragma once
// Epicor sales-order releases to ship, as a pipeline source (connector.hpp) of model::Order: one
// record per release (OrderRel), or per order with `per_order`, for flows that hand Epicor's
// confirmed orders to a carrier (integration 2, Epicor -> UPS).
//
// The fields Epicor has (epicor-kinetic.md, Business objects) and what each means here:
//  * OrderHed: OpenOrder (false: closed), VoidOrder, OrderHeld (credit or manual hold),
//    CustomerCustID, ShipViaCode, the one-time ship-to OTSName/OTSAddress1..3/OTSCity/OTSState/
//    OTSZIP/OTSPhoneNum, ChangeDate + ChangeTime (the change stamp: a date and seconds since
//    midnight, server-local).
//  * OrderDtl: PartNum, LineDesc, DocUnitPrice, VoidLine. OrderRel: OrderLine, OrderRelNum,
//    SellingReqQty (the release's quantity), ShipViaCode (overrides the header's), OpenRelease
//    (false once shipped or closed).
// Each record's source_status says what the release is: "ready" (order open, not held, release
// open), "held", "closed" (order or release no longer open: shipped or closed by a person) or
// "void" (the order or its line voided). A recipe turns that into its intent.
//
// Record: source.key "<OrderNum>-<OrderLine>-<OrderRelNum>" ("<OrderNum>" per order), number =
// OrderNum, customer_code = CustomerCustID, ship_to = the one-time ship-to (empty when the order
// ships to the customer's address: the recipe's resolver reads it), one line per release (sku,
// description, quantity = SellingReqQty, unit_price = DocUnitPrice), requested_service = the
// release's ShipViaCode or the header's, modified_at = the change stamp (the version).
//
// Position: a time position on the change stamp (connectors/time_position.hpp) with `overlap`.
// ChangeDate is a date, so the filter reads `ChangeDate gt D or (ChangeDate eq D and ChangeTime
// ge T)` for the position's local day D and second T; the stamp has whole seconds, so versions
// are exact to one second (version_tolerance): a change made in the same second as the one
// written is compared by content, never skipped for its equal version.
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none (one run is one thread).
// Ownership: borrows the client.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "connectors/time_position.hpp"

namespace mlc::connectors::epicor {

inline constexpr const char* kReleaseReady = "ready";
inline constexpr const char* kReleaseHeld = "held";
inline constexpr const char* kReleaseClosed = "closed";
inline constexpr const char* kReleaseVoid = "void";

struct ReleaseOptions {
    TimeWindow window = {};
    std::uint32_t page_size = 100;  // Orders per Epicor request ($top).
    bool per_order = false;         // One record per order (all its open releases) instead.
};

// One sales order (OrderHed with OrderDtls and OrderRels expanded) -> its release records, in
// OrderLine/OrderRelNum order. `zone`: the server's time zone (dates carry no offset).
Result<std::vector<Record<model::Order>>> releases_of(const boost::json::object& head,
                                                      bool per_order, std::string_view zone);

class ReleasesSource final : public Source<model::Order> {
  public:
    ReleasesSource(EpicorClient& client, ReleaseOptions options)
        : client_(client), options_(options) {}
    std::string system() const override { return "epicor"; }
    Result<std::unique_ptr<Scan<model::Order>>> scan(const std::string& position) override;
    // `replay` is a record's key: the order is read again and that release picked.
    Result<std::optional<Record<model::Order>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Order& release) const override;
    std::chrono::seconds version_tolerance() const override { return std::chrono::seconds{1}; }

  private:
    Result<Page<model::Order>> list(UtcTime from, std::uint32_t page);

    EpicorClient& client_;
    ReleaseOptions options_;
};

}  // namespace mlc::connectors::epicor

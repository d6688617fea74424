#pragma once
// Epicor as a pipeline target (connector.hpp), over EpicorClient:
//  * SalesOrders: a sales order per source order, the source key in the configured source-key
//    field (PONum by default) where find_by_source() looks after an uncertain create; update
//    brings header and lines to the source's, close voids (or closes) it.
//  * StagedOrders: one UD01 row per order (Key1 = the source key) for a person to review; written
//    once, never updated. A second create of the same Key1 counts as done, so repeating an
//    uncertain create is safe.
//  * Tracking: a shipment's tracking on its order (a CustShip, or a configured order field);
//    written once. write_tracking finds the CustShip of the same order and tracking number, so
//    repeating an uncertain create is safe too.
//
// Lifecycle: one per flow, built by its recipe. Thread safety: that of EpicorClient. Ownership:
// borrows the client.

#include <cstdint>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_client.hpp"
#include "model/order_hash.hpp"

namespace mlc::connectors::epicor {

// An order ready for Epicor: lines carry PartNums, source.key is the searchable source key, and
// customer_id an Epicor CustID (epicor_resolver.hpp makes it).
struct SalesOrderDraft {
    model::Order order;
    std::string customer_id;
};

// 16 hex digits (FNV-1a 64 over a canonical text of what is written): unchanged orders are
// skipped. modifyDate does not count (sources bump it for changes not carried).
std::string content_hash(const SalesOrderDraft& draft);

class SalesOrders final : public Target<SalesOrderDraft> {
  public:
    explicit SalesOrders(EpicorClient& client) : client_(client) {}
    std::string system() const override { return "epicor"; }
    std::string ref(const std::string& id) const override { return "epicor:SalesOrder:" + id; }
    Result<std::optional<std::string>> find_by_source(const std::string& source_key) override;
    Result<std::string> create(const SalesOrderDraft& draft) override;
    Result<void> update(const std::string& id, const SalesOrderDraft& draft) override;
    Result<void> close(const std::string& id) override;
    std::string describe(const SalesOrderDraft& draft) const override;

  private:
    EpicorClient& client_;
};

// Characters of the UD01 row's line summary (Character04). The spec names no width for UD
// Character fields; this keeps a long order's summary readable and bounded.
inline constexpr std::size_t kStagedLinesTextMax = 1000;

class StagedOrders final : public Target<SalesOrderDraft> {
  public:
    explicit StagedOrders(EpicorClient& client) : client_(client) {}
    std::string system() const override { return "epicor"; }
    std::string ref(const std::string& id) const override { return "epicor:UD01:" + id; }
    bool updates() const override { return false; }
    // None: create() is idempotent by Key1, so an uncertain create is simply made again.
    Result<std::optional<std::string>> find_by_source(const std::string&) override {
        return std::optional<std::string>();
    }
    Result<std::string> create(const SalesOrderDraft& draft) override;
    Result<void> update(const std::string&, const SalesOrderDraft&) override { return ok(); }
    Result<void> close(const std::string&) override { return ok(); }
    std::string describe(const SalesOrderDraft& draft) const override;

  private:
    EpicorClient& client_;
};

// What the carrier says of a package now, for the user fields of CarrierFields.
struct CarrierStatus {
    std::string text{};  // "Delivered", "On the Way"
    std::optional<UtcTime> delivered{};
    std::optional<UtcTime> estimated_delivery{};
    bool operator==(const CarrierStatus&) const = default;
};

struct TrackingDraft {
    TrackingWrite write;
    std::string carrier;     // The source's carrier code, for the audit line.
    CarrierStatus status{};  // Written only where CarrierFields names fields.
    // The releases the package carries; empty: every release of the order.
    std::vector<ReleaseNum> releases{};
};

// Where a carrier's status goes besides the tracking number: user fields ("_c") the tenant added
// (Epicor has no standard field for a carrier's status). An empty name is not written; with no
// name at all the tracking is written once and never updated.
struct CarrierFields {
    std::string status{};              // Text, e.g. "CarrierStatus_c"
    std::string delivered{};           // Date, e.g. "DeliveredDate_c"
    std::string estimated_delivery{};  // Date, e.g. "EstDelivery_c"
    bool on_pack = true;               // The CustShip (ShipHead) the tracking is on
    bool on_release = true;            // The order releases (OrderRel) it ships
    bool any() const {
        return (on_pack || on_release) &&
               !(status.empty() && delivered.empty() && estimated_delivery.empty());
    }
};

// Its id is "<OrderNum>:<PackNum>", so the audit reference names both the order (`mlc audit
// --target <OrderNum>` lists its tracking) and the CustShip. With CarrierFields, create() and
// update() also write the status fields (the stream's hash says when they changed).
class Tracking final : public Target<TrackingDraft> {
  public:
    explicit Tracking(EpicorClient& client, CarrierFields fields = {})
        : client_(client), fields_(std::move(fields)) {}
    std::string system() const override { return "epicor"; }
    std::string ref(const std::string& id) const override {
        const auto colon = id.find(':');
        if (colon == std::string::npos) return "epicor:CustShip:" + id;
        return "epicor:SalesOrder:" + id.substr(0, colon) + ":CustShip:" + id.substr(colon + 1);
    }
    bool updates() const override { return fields_.any(); }
    // None: write_tracking finds the CustShip of the same order and tracking number itself.
    Result<std::optional<std::string>> find_by_source(const std::string&) override {
        return std::optional<std::string>();
    }
    Result<std::string> create(const TrackingDraft& draft) override;
    Result<void> update(const std::string& id, const TrackingDraft& draft) override;
    Result<void> close(const std::string&) override { return ok(); }
    std::string describe(const TrackingDraft& draft) const override;

  private:
    Result<void> write_status(std::int64_t pack_num, const TrackingDraft& draft);

    EpicorClient& client_;
    CarrierFields fields_;
};

// A source refund -> one UD01 credit row for a person to review as a credit memo: Key1
// "WooRefund"-style tag, Key2 the refund id, Key3 the OrderNum; Character01 the order's source
// key, Character02 the reason, Character03 the currency, Number01 the amount, Date01 when.
inline constexpr std::size_t kRefundReasonMax = 1'000;  // Characters kept of a reason.

struct RefundDraft {
    model::Refund refund;
    std::string order_num;         // The bound Epicor OrderNum (the parent link).
    std::string order_source_key;  // "WOO-1234".
};

class RefundCredits final : public Target<RefundDraft> {
  public:
    RefundCredits(EpicorClient& client, std::string tag) : client_(client), tag_(std::move(tag)) {}
    std::string system() const override { return "epicor"; }
    std::string ref(const std::string& id) const override { return "epicor:UD01:" + id; }
    bool updates() const override { return false; }
    // None: a second create of the same keys counts as done, so repeating one is safe.
    Result<std::optional<std::string>> find_by_source(const std::string&) override {
        return std::optional<std::string>();
    }
    Result<std::string> create(const RefundDraft& draft) override;
    Result<void> update(const std::string&, const RefundDraft&) override { return ok(); }
    Result<void> close(const std::string&) override { return ok(); }
    std::string describe(const RefundDraft& draft) const override;

  private:
    EpicorClient& client_;
    std::string tag_;
};

}  // namespace mlc::connectors::epicor

#pragma once
// ShipStation as a pipeline target (connector.hpp): orders written with POST /orders/createorder.
// ShipStation dedupes createorder on orderKey (shipstation.md), so the source key is the orderKey
// and a create whose answer was lost is simply made again: it updates the same order. Updates send
// the FULL order (V1 wipes fields left out). close() cancels the order unless ShipStation already
// shipped it: then the record is refused (kRejected) so a person sees it and handles the return.
//
// Lifecycle: one per flow, built by its recipe. Thread safety: that of ShipStationClient.
// Ownership: borrows the client.

#include <string>

#include "connectors/connector.hpp"
#include "connectors/shipstation/shipstation_client.hpp"

namespace mlc::connectors::shipstation {

class OrdersTarget final : public Target<model::Order> {
  public:
    explicit OrdersTarget(ShipStationClient& client) : client_(client) {}
    std::string system() const override { return "shipstation"; }
    std::string ref(const std::string& id) const override { return "shipstation:order:" + id; }
    // None needed: createorder by orderKey is itself the lookup (a repeat updates the order).
    Result<std::optional<std::string>> find_by_source(const std::string&) override {
        return std::optional<std::string>();
    }
    Result<std::string> create(const model::Order& order) override;
    Result<void> update(const std::string& id, const model::Order& order) override;
    Result<void> close(const std::string& id) override;
    std::string describe(const model::Order& order) const override;

  private:
    ShipStationClient& client_;
};

// The same orders written many at a time (POST /orders/createorders, at most 100 a call) for the
// pipeline's batched writer (pipeline/batch.hpp): one outcome per order. An update ShipStation
// refuses because the order is shipped or cancelled (locked against API changes) is read back and
// answered kLocked naming what differs (the pipeline records a difference, never retried); any
// other refusal (a required field missing) is parked alone.
// Lookups find nothing on purpose: createorders by orderKey is itself the lookup. close() is
// OrdersTarget's (one order: cancelled unless shipped).
class OrdersBatchTarget final : public BatchTarget<model::Order> {
  public:
    explicit OrdersBatchTarget(ShipStationClient& client) : client_(client), one_(client) {}
    std::string system() const override { return "shipstation"; }
    std::string ref(const std::string& id) const override { return one_.ref(id); }
    std::size_t batch_max() const override { return kCreateOrdersMax; }
    Result<std::vector<std::optional<std::string>>> find_all(
        const std::vector<std::string>& source_keys) override {
        return std::vector<std::optional<std::string>>(source_keys.size());
    }
    Result<std::vector<Result<std::string>>> write(
        const std::vector<BatchWrite<model::Order>>& writes) override;
    Result<void> close(const std::string& id) override { return one_.close(id); }
    std::string describe(const model::Order& order) const override { return one_.describe(order); }

  private:
    std::optional<Error> locked_error(std::int64_t id, const model::Order& wanted);

    ShipStationClient& client_;
    OrdersTarget one_;
};

}  // namespace mlc::connectors::shipstation

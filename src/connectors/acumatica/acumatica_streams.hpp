#pragma once
// Acumatica as a pipeline source (connector.hpp): sales orders changed since a time.
//
//  * SalesOrder has LastModified (not LastModifiedDateTime, acumatica.md): each scan lists
//    `LastModified gt <position - overlap>` with Details and both addresses expanded, $top/$skip
//    pages. The contract API sorts by key, not by time, so the position moves to the newest
//    LastModified seen only on a scan's last page; a run cut between pages (pages_per_run, a
//    kill) stores where the pass stands and the next run resumes it (acumatica_scan.hpp).
//  * Key "SO000123" (order type + number: ShipStation's orderKey), ref
//    "acumatica:SalesOrder:SO/000123", replay "SO/000123" (GET SalesOrder/SO/000123), version
//    LastModified (exact: tolerance 0).
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none (one run is one thread).
// Ownership: borrows the client.

#include <cstdint>
#include <memory>
#include <string>

#include "connectors/acumatica/acumatica_client.hpp"
#include "connectors/connector.hpp"
#include "connectors/time_position.hpp"

namespace mlc::connectors::acumatica {

inline constexpr std::uint32_t kOrdersPageSizeMax = 500;  // Our bound on one $top.
inline constexpr const char* kOrderExpand =
    "Details,ShipToAddress,ShipToContact,BillToAddress,"
    "BillToContact";

struct OrdersSourceOptions {
    TimeWindow window = {};
    std::uint32_t page_size = 100;
};

class SalesOrdersSource final : public Source<model::Order> {
  public:
    SalesOrdersSource(AcumaticaClient& client, OrdersSourceOptions options)
        : client_(client), options_(options) {}
    std::string system() const override { return kSystem; }
    Result<std::unique_ptr<Scan<model::Order>>> scan(const std::string& position) override;
    Result<std::optional<Record<model::Order>>> get(const std::string& replay) override;
    SourceIdentity identify(const model::Order& order) const override;

    // One page of orders changed after `since` ($skip = (page - 1) * page_size).
    Result<Page<model::Order>> list(UtcTime since, std::uint32_t page);

  private:
    AcumaticaClient& client_;
    OrdersSourceOptions options_;
};

}  // namespace mlc::connectors::acumatica

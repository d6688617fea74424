#include "connectors/epicor/epicor_capabilities.hpp"

namespace mlc::connectors::epicor {

std::vector<Capability> capabilities() {
    constexpr const char* kName = "epicor";
    return {
        {.system = kName,
         .record = records::kJournal,
         .object = "GL journals (GLJournalEntrySvc, group by GLJrnGrpSvc; AP invoices)",
         .write = true,
         .note = "Journals target: one balanced journal per fiscal period, found by reference "
                 "(epicor_journals.hpp)"},
        {.system = kName,
         .record = records::kOrder,
         .object = "sales orders (SalesOrderSvc UpdateExt)",
         .write = true,
         .note = "SalesOrders target; source key in PONum (epicor_targets.hpp)"},
        {.system = kName,
         .record = records::kOrder,
         .object = "UD01 staged orders",
         .write = true,
         .note = "StagedOrders target, for review (`target: ud01`)"},
        {.system = kName,
         .record = records::kOrder,
         .object = "order releases to ship (OrderHed + OrderRel, ChangeDate/ChangeTime)",
         .read = true,
         .note = "ReleasesSource: ready, held, closed or void (epicor_releases.hpp)"},
        {.system = kName,
         .record = records::kShipment,
         .object = "tracking (CustShip + CartonTrkDtl)",
         .write = true,
         .note = "Tracking target, on the shipment's order"},
        {.system = kName,
         .record = records::kRefund,
         .object = "UD01 credit rows",
         .write = true,
         .note = "RefundCredits target, for review as a credit memo"},
        {.system = kName,
         .record = records::kItem,
         .object = "parts (Part, SysRevID keyset)",
         .read = true,
         .note = "read by the catalog recipe; SKU -> PartNum lookups"},
        {.system = kName,
         .record = records::kCustomer,
         .object = "customers (Customer)",
         .read = true,
         .note = "read by the catalog recipe; CustID and email lookups"},
    };
}

}  // namespace mlc::connectors::epicor

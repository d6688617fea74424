#pragma once
// GL journals in Epicor Kinetic (epicor-kinetic.md: Erp.BO.GLJournalEntrySvc, a journal group
// from Erp.BO.GLJrnGrpSvc required; header GLJrnHed, lines GLJrnDtlMnl) as a pipeline Target: one
// source record (an Amazon settlement) -> one balanced journal per fiscal period, every one
// carrying the record's reference as its Description, so that
//  * find_by_source(reference) finds what an earlier run (or another installation) posted, and
//  * create() finds by reference first: a journal of the same period already there is completed
//    (its missing lines added, numbered, so a line whose answer was lost is not added twice), never
//    duplicated. A settlement posts once; a re-run is a no-op.
// The journal group of each period ("AMZ2602": prefix, two-digit fiscal year, period) is made
// when missing. Journals are left unposted in their group: posting is Epicor's GL process (the
// fact sheet names no posting method); Epicor refuses to post one whose debits and credits differ
// (the emulator enforces it), and every journal written here sums to zero (asserted).
//
// Optionally the fees go to an AP invoice instead (Erp.BO.APInvoiceSvc: unique on VendorNum +
// InvoiceNum, InvoiceNum = the settlement id): created once; Epicor's duplicate refusal counts as
// done.
//
// Lifecycle: one per flow. Thread safety: none (the pipeline calls it from one thread).
// Ownership: borrows the client.

#include <optional>
#include <string>
#include <vector>

#include "common/decimal.hpp"
#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_client.hpp"

namespace mlc::connectors::epicor {

struct JournalLineDraft {
    std::string account = {};
    Decimal amount = {};  // TransAmt: debit positive, credit negative.
    std::string description = {};
};

struct JournalDraft {
    int fiscal_year = 0;
    unsigned fiscal_period = 0;
    UtcTime date = {};  // JEDate
    std::vector<JournalLineDraft> lines = {};
};

struct InvoiceDraft {
    std::int64_t vendor_num = 0;
    std::string invoice_num = {};  // The settlement id.
    Decimal amount = {};           // DocInvoiceAmt, positive.
    UtcTime date = {};
    std::string currency = {};
};

// What one source record posts.
struct JournalSet {
    std::string reference = {};  // Every journal's Description: "Amazon settlement 2345".
    std::string group_prefix = "AMZ";
    std::vector<JournalDraft> journals = {};
    std::optional<InvoiceDraft> invoice = {};
};

// The journals found for a reference: "2026/GJ/12,2026/GJ/13" (FiscalYear/JournalCode/JournalNum).
class Journals final : public Target<JournalSet> {
  public:
    explicit Journals(EpicorClient& client) : client_(client) {}

    std::string system() const override { return "epicor"; }
    std::string ref(const std::string& id) const override { return "epicor:GLJournal:" + id; }
    // A settlement posted is not rewritten: a changed mapping applies to the next settlements.
    bool updates() const override { return false; }
    Result<std::optional<std::string>> find_by_source(const std::string& reference) override;
    Result<std::string> create(const JournalSet& set) override;
    Result<void> update(const std::string&, const JournalSet&) override { return ok(); }
    Result<void> close(const std::string&) override { return ok(); }
    std::string describe(const JournalSet& set) const override;

    // The journals (headers with their lines) posted for `reference`, oldest period first.
    Result<std::vector<boost::json::object>> journals_of(const std::string& reference);

  private:
    Result<void> ensure_group(const std::string& group_id, const JournalDraft& draft);
    Result<boost::json::object> ensure_head(const JournalSet& set, const JournalDraft& draft,
                                            const std::vector<boost::json::object>& found);
    Result<void> ensure_lines(const boost::json::object& head, const JournalDraft& draft,
                              const std::string& reference);
    Result<void> ensure_invoice(const InvoiceDraft& invoice);

    EpicorClient& client_;
};

}  // namespace mlc::connectors::epicor

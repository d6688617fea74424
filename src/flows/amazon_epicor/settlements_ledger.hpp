#pragma once
// A settlement's lines -> the GL journals that post it (amazon-sp-api.md "Settlement accounting"):
// each (transaction-type, amount-type, amount-description) maps to a GL account by the flow's
// `mappings.gl_accounts` over the built-in table for a US seller; lines are summed per group and
// account; the disbursement (total-amount) is a debit to the clearing account. A settlement whose
// lines fall in two fiscal periods posts one journal per period, the earlier ones balanced through
// the transit account (carried forward) and the last one holding the disbursement.
//
// Signs: a settlement amount `a` becomes TransAmt -a on its account (a sale is a credit, a fee a
// debit; the current reserve held is a debit to the reserve account, the previous one released a
// credit); the clearing line is +total-amount. Every journal sums to zero.
//
// Holds (kUnresolved, the settlement parks whole): a type no rule maps (the message lists every
// unmapped type, with its lines and the mapping line to add). Refusals (kInvalidInput): lines that
// do not sum to total-amount ("inconsistent settlement": usually a missing reserve line).
//
// Pure functions; thread safety: none needed.

#include <optional>
#include <string>
#include <vector>

#include "common/decimal.hpp"
#include "common/result.hpp"
#include "connectors/amazon/amazon_settlement.hpp"
#include "engine/config.hpp"

namespace mlc::flows::amazon_epicor {

namespace amz = connectors::amazon;

// One row of the mapping: "*" matches any value; the rule with most exact fields wins, then the
// first written.
struct GlRule {
    std::string transaction_type = {};
    std::string amount_type = {};
    std::string amount_description = {};
    std::string account = {};
};

struct LedgerOptions {
    std::vector<GlRule> rules = {};         // The flow's rules first, then the defaults.
    std::string clearing_account = "1050";  // Amazon clearing: the deposit lands here.
    std::string transit_account = "1055";   // Carried forward between fiscal periods.
    unsigned fiscal_year_start_month = 1;   // 1: fiscal periods are calendar months.
};

// The built-in table for a US seller (accounts of a demo chart: 4xxx income, 2xxx tax and
// reserve, 6xxx fees), every row type the emulator writes and the worked example has.
const std::vector<GlRule>& default_us_rules();
// `mappings.gl_accounts`: "transaction-type/amount-type/amount-description" -> account (the
// description is the rest after the second '/'). kConfig naming the key when it has no two '/'.
Result<std::vector<GlRule>> rules_from_mapping(const engine::ScalarMap& table);

struct FiscalPeriod {
    int year = 0;
    unsigned period = 0;
    auto operator<=>(const FiscalPeriod&) const = default;
};
FiscalPeriod fiscal_period_of(UtcTime at, unsigned fiscal_year_start_month);

struct PostingLine {
    std::string account = {};
    Decimal amount = {};           // TransAmt: debit positive.
    std::string description = {};  // "sales", "disbursement", "carried forward"
};

struct PeriodJournal {
    FiscalPeriod period = {};
    UtcTime date = {};  // JEDate: the last day of the period the settlement reaches.
    std::vector<PostingLine> lines = {};
    Decimal settled = {};  // The settlement amount of this period's lines.
};

struct GroupTotal {
    amz::SettlementGroup group = amz::SettlementGroup::kOther;
    std::string account = {};
    Decimal amount = {};  // Sum of the settlement amounts (Amazon's signs).
    std::size_t lines = 0;
};

// The reconciliation: every figure must equal total-amount.
struct SettlementCheck {
    Decimal lines_sum = {};
    Decimal total_amount = {};
    Decimal journal_net = {};  // The clearing account's debits over the journals.
    bool balanced = false;     // Every journal's debits equal its credits.
    bool ok() const { return balanced && lines_sum == total_amount && journal_net == total_amount; }
};

struct SettlementLedger {
    amz::SettlementSummary summary = {};
    std::vector<GroupTotal> groups = {};
    std::vector<PeriodJournal> journals = {};  // Oldest period first.
    SettlementCheck check = {};
};

// The unmapped types of `lines` ("Order/ItemFees/NewFee (lines 7, 12)"), empty when all map.
std::vector<std::string> unmapped_types(const std::vector<amz::SettlementLine>& lines,
                                        const LedgerOptions& options);
// The ledger of one settlement, or the hold/refusal above.
Result<SettlementLedger> settlement_ledger(const amz::SettlementSummary& summary,
                                           const std::vector<amz::SettlementLine>& lines,
                                           const LedgerOptions& options);
// The grouping, the accounts, the journals and the check, for people (`mlc settlements show`).
std::string describe_ledger(const SettlementLedger& ledger);

}  // namespace mlc::flows::amazon_epicor

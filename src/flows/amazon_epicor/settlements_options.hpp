#pragma once
// The options of "amazon-settlements-to-epicor" (settlements_recipe.hpp), read once with
// pipeline::OptionReader:
//
//   options:
//     start: 2026-01-01T00:00:00Z     # reports created before are not read (default: 90 days)
//     pages_per_run: 20               # settlement reports per run (1-1000)
//     clearing_account: "1050"        # the deposit (total-amount) is debited here
//     transit_account: "1055"         # carries a settlement from one fiscal period to the next
//     fiscal_year_start_month: 1      # 1: fiscal periods are calendar months (1-12)
//     group_prefix: AMZ               # journal groups AMZ<yy><pp>
//     reference_prefix: "Amazon settlement "  # + the settlement id: each journal's Description
//     fees_invoice: false             # true: the fees (referral, FBA, other, advertising) also
//     vendor_num: 0                   #   become an AP invoice of this supplier (InvoiceNum = the
//     ap_account: "2000"              #   settlement id), the journal debiting ap_account for them
//   mappings:
//     gl_accounts:                    # over the built-in US table (settlements_ledger.hpp)
//       "Order/ItemFees/NewFee": "6120"
//       "*/FBA Inventory Reimbursement/*": "4900"
//
// Pure; thread safety: none needed.

#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "flows/amazon_epicor/settlements_ledger.hpp"

namespace mlc::flows::amazon_epicor {

struct SettlementsOptions {
    std::optional<UtcTime> start = {};
    std::uint32_t pages_per_run = 20;
    LedgerOptions ledger = {};  // The flow's rules, then default_us_rules().
    std::string group_prefix = "AMZ";
    std::string reference_prefix = "Amazon settlement ";
    bool fees_invoice = false;
    std::int64_t vendor_num = 0;
    std::string ap_account = "2000";
};

// kConfig naming the option and the fix.
Result<SettlementsOptions> parse_settlements_options(const engine::FlowConfig& flow);

}  // namespace mlc::flows::amazon_epicor

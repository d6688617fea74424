#include "flows/amazon_epicor/settlements_options.hpp"

#include "pipeline/options.hpp"

namespace mlc::flows::amazon_epicor {

Result<SettlementsOptions> parse_settlements_options(const engine::FlowConfig& flow) {
    pipeline::OptionReader read(flow);
    SettlementsOptions o;
    const UtcTime unset{};
    if (const UtcTime start = read.time("start", unset); start != unset) o.start = start;
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, 1000);
    o.ledger.clearing_account = read.text("clearing_account", o.ledger.clearing_account);
    o.ledger.transit_account = read.text("transit_account", o.ledger.transit_account);
    o.ledger.fiscal_year_start_month =
        read.count("fiscal_year_start_month", o.ledger.fiscal_year_start_month, 12);
    o.group_prefix = read.text("group_prefix", o.group_prefix);
    if (o.group_prefix.empty() || o.group_prefix.size() > 4) {
        read.reject("group_prefix",
                    "must be 1 to 4 characters (journal groups are <prefix><yy><pp>)");
    }
    o.reference_prefix = read.text("reference_prefix", o.reference_prefix);
    o.fees_invoice = read.flag("fees_invoice", o.fees_invoice);
    o.vendor_num = read.count("vendor_num", 1, 2'000'000'000);
    o.ap_account = read.text("ap_account", o.ap_account);
    if (o.fees_invoice && !flow.options.contains("vendor_num")) {
        read.reject("vendor_num", "fees_invoice needs the Epicor supplier (VendorNum) of Amazon");
    }
    const engine::ScalarMap table = read.mapping("gl_accounts");
    MLC_CHECK(read.finish());
    MLC_TRY(o.ledger.rules, rules_from_mapping(table));
    const auto& defaults = default_us_rules();
    o.ledger.rules.insert(o.ledger.rules.end(), defaults.begin(), defaults.end());
    return o;
}

}  // namespace mlc::flows::amazon_epicor

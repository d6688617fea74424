#include "flows/amazon_epicor/settlements_ledger.hpp"

#include <date/date.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "common/time.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

using Triple = std::tuple<std::string, std::string, std::string>;
// Period -> (group, account) -> settlement amount.
using Books =
    std::map<FiscalPeriod, std::map<std::pair<amz::SettlementGroup, std::string>, Decimal>>;

bool matches(const std::string& pattern, const std::string& value) {
    return pattern == "*" || pattern == value;
}

int exactness(const GlRule& rule) {
    return (rule.transaction_type != "*") + (rule.amount_type != "*") +
           (rule.amount_description != "*");
}

const GlRule* rule_for(const std::vector<GlRule>& rules, const amz::SettlementLine& line) {
    const GlRule* best = nullptr;
    for (const GlRule& rule : rules) {
        if (!matches(rule.transaction_type, line.transaction_type) ||
            !matches(rule.amount_type, line.amount_type) ||
            !matches(rule.amount_description, line.amount_description)) {
            continue;
        }
        if (best == nullptr || exactness(rule) > exactness(*best)) best = &rule;
    }
    return best;
}

std::string triple_text(const amz::SettlementLine& line) {
    return line.transaction_type + "/" + line.amount_type + "/" + line.amount_description;
}

// The last day of `at`'s calendar month, or `at`'s day when it comes first.
UtcTime period_date(const FiscalPeriod& period, unsigned start_month, UtcTime last) {
    const unsigned month = (start_month - 1 + period.period - 1) % 12 + 1;
    const int year = period.year - (start_month != 1 && month >= start_month ? 1 : 0);
    const date::year_month_day_last end{date::year{year} / date::month{month} / date::last};
    const UtcTime month_end = date::sys_days{end};
    return std::min(month_end, UtcTime(std::chrono::floor<date::days>(last)));
}

std::string amounts_text(const Decimal& value) { return value.to_string(2); }

// The journals of `books`, oldest period first: the earlier ones carried forward through the
// transit account, the closing one holding the disbursement; the check's net and balance.
void post_periods(const Books& books, const FiscalPeriod& closing, UtcTime last,
                  const LedgerOptions& options, SettlementLedger& ledger) {
    const amz::SettlementSummary& summary = ledger.summary;
    Decimal carried;
    ledger.check.balanced = true;
    for (const auto& [period, amounts] : books) {
        PeriodJournal journal{.period = period,
                              .date = period_date(period, options.fiscal_year_start_month, last)};
        for (const auto& [key, amount] : amounts) {
            if (amount.is_zero()) continue;
            journal.lines.push_back({key.second, -amount, std::string(amz::to_string(key.first))});
            journal.settled += amount;
        }
        if (!carried.is_zero()) {
            journal.lines.push_back({options.transit_account, -carried, "carried forward"});
        }
        if (period == closing) {
            journal.lines.push_back({options.clearing_account, summary.total, "disbursement"});
            ledger.check.journal_net += summary.total;
        } else {
            journal.lines.push_back(
                {options.transit_account, carried + journal.settled, "carried forward"});
            carried += journal.settled;
        }
        Decimal sum;
        for (const auto& line : journal.lines) sum += line.amount;
        ledger.check.balanced = ledger.check.balanced && sum.is_zero();
        ledger.journals.push_back(std::move(journal));
    }
}

}  // namespace

const std::vector<GlRule>& default_us_rules() {
    static const std::vector<GlRule> kRules{
        {"Order", "ItemPrice", "Principal", "4000"},
        {"Order", "ItemPrice", "Shipping", "4010"},
        {"Order", "ItemPrice", "GiftWrap", "4010"},
        {"*", "ItemPrice", "Tax", "2200"},
        {"*", "ItemPrice", "ShippingTax", "2200"},
        {"*", "ItemPrice", "GiftWrapTax", "2200"},
        {"*", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "2200"},
        {"*", "ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping", "2200"},
        {"*", "Promotion", "Principal", "4050"},
        {"*", "Promotion", "Shipping", "4050"},
        {"*", "ItemFees", "Commission", "6100"},
        {"*", "ItemFees", "RefundCommission", "6100"},
        {"*", "ItemFees", "FBAPerUnitFulfillmentFee", "6110"},
        {"*", "ItemFees", "FBAWeightBasedFee", "6110"},
        {"Refund", "ItemPrice", "Principal", "4090"},
        {"Refund", "ItemPrice", "Shipping", "4090"},
        {"other-transaction", "other-transaction", "Storage Fee", "6110"},
        {"other-transaction", "other-transaction", "Subscription Fee", "6120"},
        {"*", "FBA Inventory Reimbursement", "*", "4900"},
        {"*", "Cost of Advertising", "TransactionTotalAmount", "6200"},
        {"*", "other-transaction", "Current Reserve Amount", "1060"},
        {"*", "other-transaction", "Previous Reserve Amount Balance", "1060"},
    };
    return kRules;
}

Result<std::vector<GlRule>> rules_from_mapping(const engine::ScalarMap& table) {
    std::vector<GlRule> rules;
    for (const auto& [key, account] : table) {
        const std::size_t first = key.find('/');
        const std::size_t second = first == std::string::npos ? first : key.find('/', first + 1);
        if (second == std::string::npos || account.empty()) {
            return make_error(ErrorCode::kConfig, "mlc",
                              "mappings.gl_accounts: '" + key +
                                  "' must read transaction-type/amount-type/amount-description "
                                  "(\"*\" for any) and name a GL account, e.g. "
                                  "\"Order/ItemFees/Commission\": \"6100\"");
        }
        rules.push_back({key.substr(0, first), key.substr(first + 1, second - first - 1),
                         key.substr(second + 1), account});
    }
    return rules;
}

FiscalPeriod fiscal_period_of(UtcTime at, unsigned start_month) {
    const date::year_month_day day{std::chrono::floor<date::days>(at)};
    const int year = static_cast<int>(day.year());
    const unsigned month = static_cast<unsigned>(day.month());
    if (start_month <= 1) return {year, month};
    // A fiscal year is named by the calendar year it ends in.
    return {month >= start_month ? year + 1 : year, (month + 12 - start_month) % 12 + 1};
}

std::vector<std::string> unmapped_types(const std::vector<amz::SettlementLine>& lines,
                                        const LedgerOptions& options) {
    std::map<std::string, std::vector<std::size_t>> missing;
    for (const auto& line : lines) {
        if (rule_for(options.rules, line) == nullptr)
            missing[triple_text(line)].push_back(line.line);
    }
    std::vector<std::string> out;
    for (const auto& [type, at] : missing) {
        std::string text = type + " (line" + (at.size() > 1 ? "s " : " ");
        for (std::size_t i = 0; i < at.size() && i < 5; ++i) {
            text += (i ? ", " : "") + std::to_string(at[i]);
        }
        out.push_back(text + (at.size() > 5 ? ", ...)" : ")"));
    }
    return out;
}

Result<SettlementLedger> settlement_ledger(const amz::SettlementSummary& summary,
                                           const std::vector<amz::SettlementLine>& lines,
                                           const LedgerOptions& options) {
    if (const auto missing = unmapped_types(lines, options); !missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : "; ") + m;
        return make_error(ErrorCode::kUnresolved, "amazon",
                          "settlement " + summary.id + " holds: no GL account for " + list +
                              ". Add each to the flow's mappings.gl_accounts (e.g. \"" +
                              missing.front().substr(0, missing.front().find(" (")) +
                              "\": \"6120\"); the next run or `mlc deadletters replay` posts it");
    }
    SettlementLedger ledger{.summary = summary};
    std::map<std::pair<amz::SettlementGroup, std::string>, GroupTotal> groups;
    Books books;
    const UtcTime last = summary.end - std::chrono::seconds(1);
    const FiscalPeriod closing = fiscal_period_of(last, options.fiscal_year_start_month);
    std::map<Triple, const GlRule*> cache;
    for (const auto& line : lines) {
        const Triple key{line.transaction_type, line.amount_type, line.amount_description};
        auto [at, added] = cache.try_emplace(key, nullptr);
        if (added) at->second = rule_for(options.rules, line);
        const std::string& account = at->second->account;
        GroupTotal& total = groups[{line.group, account}];
        total.group = line.group;
        total.account = account;
        total.amount += line.amount;
        ++total.lines;
        ledger.check.lines_sum += line.amount;
        const FiscalPeriod period =
            line.posted
                ? std::min(closing, fiscal_period_of(*line.posted, options.fiscal_year_start_month))
                : closing;
        books[period][{line.group, account}] += line.amount;
    }
    books[closing];  // The disbursement's period, even when no line falls in it.
    for (auto& [key, total] : groups) ledger.groups.push_back(total);
    ledger.check.total_amount = summary.total;
    if (ledger.check.lines_sum != summary.total) {
        return make_error(ErrorCode::kInvalidInput, "amazon",
                          "settlement " + summary.id + " is inconsistent: its lines sum to " +
                              amounts_text(ledger.check.lines_sum) + ", its total-amount is " +
                              amounts_text(summary.total) +
                              " (a missing reserve or loan line?): not posted; ask Amazon for the "
                              "settlement's full report");
    }
    post_periods(books, closing, last, options, ledger);
    return ledger;
}

std::string describe_ledger(const SettlementLedger& ledger) {
    const auto& s = ledger.summary;
    std::string out = "settlement " + s.id + " " + s.currency + " " + format_iso8601(s.start) +
                      " .. " + format_iso8601(s.end) + ", deposit " +
                      (s.deposit ? format_iso8601(*s.deposit) : std::string("(none)")) + "\n";
    out += "  group                account  lines        amount\n";
    for (const auto& g : ledger.groups) {
        std::string name(amz::to_string(g.group));
        name.resize(std::max<std::size_t>(name.size(), 20), ' ');
        std::string account = g.account;
        account.resize(std::max<std::size_t>(account.size(), 8), ' ');
        std::string count = std::to_string(g.lines);
        count.insert(0, count.size() < 5 ? 5 - count.size() : 0, ' ');
        std::string amount = amounts_text(g.amount);
        amount.insert(0, amount.size() < 14 ? 14 - amount.size() : 0, ' ');
        out += "  " + name + " " + account + " " + count + amount + "\n";
    }
    for (const auto& j : ledger.journals) {
        out += "  journal " + std::to_string(j.period.year) + "/" +
               std::to_string(j.period.period) + " dated " +
               date::format("%F", std::chrono::floor<date::days>(j.date)) + ":";
        for (const auto& line : j.lines) {
            out += " " + line.account + " " + amounts_text(line.amount);
        }
        out += "\n";
    }
    const auto& c = ledger.check;
    out += "  check: lines " + amounts_text(c.lines_sum) + " == total-amount " +
           amounts_text(c.total_amount) + " == journal net " + amounts_text(c.journal_net) +
           " == deposit " + amounts_text(c.total_amount) +
           (c.balanced ? ", balanced" : ", UNBALANCED") + (c.ok() ? ": ok\n" : ": MISMATCH\n");
    return out;
}

}  // namespace mlc::flows::amazon_epicor

#include "connectors/epicor/epicor_journals.hpp"

#include <date/date.h>

#include <algorithm>

#include "common/assert.hpp"
#include "connectors/epicor/epicor_json.hpp"
#include "connectors/epicor/odata.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

constexpr std::string_view kJournalSvc = "Erp.BO.GLJournalEntrySvc";
constexpr std::string_view kGroupSvc = "Erp.BO.GLJrnGrpSvc";
constexpr std::string_view kInvoiceSvc = "Erp.BO.APInvoiceSvc";

std::string path(std::string_view service, const std::string& rest) {
    return std::string(service) + "/" + rest;
}

// Epicor's date-only fields carry a calendar day: the journal's day, whatever the server's zone.
std::string day_text(UtcTime at) {
    return date::format("%FT00:00:00", std::chrono::floor<date::days>(at));
}

std::string two_digits(int value) {
    const std::string text = std::to_string(value % 100);
    return text.size() < 2 ? "0" + text : text;
}

std::string group_of(const JournalSet& set, const JournalDraft& draft) {
    return set.group_prefix + two_digits(draft.fiscal_year) +
           two_digits(static_cast<int>(draft.fiscal_period));
}

std::string journal_key(const EpicorClient& client, const json::object& head) {
    return odata::key({client.config().company, text_of(head, "BookID"), int_of(head, "FiscalYear"),
                       text_of(head, "JournalCode"), int_of(head, "JournalNum")});
}

std::string journal_id(const json::object& head) {
    return std::to_string(int_of(head, "FiscalYear")) + "/" + text_of(head, "JournalCode") + "/" +
           std::to_string(int_of(head, "JournalNum"));
}

}  // namespace

Result<std::vector<json::object>> Journals::journals_of(const std::string& reference) {
    MLC_TRY(auto heads,
            client_.list_rows(kJournalSvc, "GLJournalEntries",
                              odata::Query{.filter = odata::eq("Description", reference),
                                           .expand = {"GLJrnDtlMnls"},
                                           .orderby = "FiscalYear,FiscalPeriod"}));
    return heads;
}

Result<std::optional<std::string>> Journals::find_by_source(const std::string& reference) {
    MLC_TRY(auto heads, journals_of(reference));
    if (heads.empty()) return std::optional<std::string>();
    std::string id;
    for (const auto& head : heads) {
        if (!id.empty()) id += ',';
        id += journal_id(head);
    }
    return std::optional<std::string>(id);
}

Result<void> Journals::ensure_group(const std::string& group_id, const JournalDraft& draft) {
    const std::string company = client_.config().company;
    MLC_TRY(auto found,
            client_.get_row(path(kGroupSvc, "GLJrnGrps" + odata::key({company, group_id}))));
    if (found) return ok();
    json::object body{{"GroupID", group_id},
                      {"Description", "Amazon settlements " + std::to_string(draft.fiscal_year) +
                                          "/" + std::to_string(draft.fiscal_period)},
                      {"FiscalYear", draft.fiscal_year},
                      {"FiscalPeriod", draft.fiscal_period}};
    auto made = client_.create_row(path(kGroupSvc, "GLJrnGrps"), std::move(body),
                                   "journal group " + group_id);
    if (!made && made.error().code != ErrorCode::kConflict) return made.error();
    return ok();
}

Result<json::object> Journals::ensure_head(const JournalSet& set, const JournalDraft& draft,
                                           const std::vector<json::object>& found) {
    for (const auto& head : found) {
        if (int_of(head, "FiscalYear") == draft.fiscal_year &&
            int_of(head, "FiscalPeriod") == static_cast<std::int64_t>(draft.fiscal_period)) {
            return head;
        }
    }
    const std::string group_id = group_of(set, draft);
    MLC_CHECK(ensure_group(group_id, draft));
    json::object body{{"FiscalYear", draft.fiscal_year},
                      {"FiscalPeriod", draft.fiscal_period},
                      {"GroupID", group_id},
                      {"JEDate", day_text(draft.date)},
                      {"Description", set.reference}};
    return client_.create_row(path(kJournalSvc, "GLJournalEntries"), std::move(body),
                              set.reference);
}

Result<void> Journals::ensure_lines(const json::object& head, const JournalDraft& draft,
                                    const std::string& reference) {
    std::vector<std::int64_t> have;
    if (const auto* lines = head.if_contains("GLJrnDtlMnls"); lines && lines->is_array()) {
        for (const auto& line : lines->get_array()) {
            if (line.is_object()) have.push_back(int_of(line.get_object(), "JournalLine"));
        }
    }
    const std::string lines_path =
        path(kJournalSvc, "GLJournalEntries" + journal_key(client_, head) + "/GLJrnDtlMnls");
    for (std::size_t i = 0; i < draft.lines.size(); ++i) {
        const auto number = static_cast<std::int64_t>(i + 1);
        if (std::find(have.begin(), have.end(), number) != have.end()) continue;
        const JournalLineDraft& line = draft.lines[i];
        json::object body{{"JournalLine", number},
                          {"GLAccount", line.account},
                          {"TransAmt", line.amount.to_string()},
                          {"Description", line.description}};
        auto made = client_.create_row(lines_path, std::move(body),
                                       reference + " line " + std::to_string(number));
        if (!made && made.error().code != ErrorCode::kConflict) return made.error();
    }
    return ok();
}

Result<void> Journals::ensure_invoice(const InvoiceDraft& invoice) {
    json::object body{{"VendorNum", invoice.vendor_num},
                      {"InvoiceNum", invoice.invoice_num},
                      {"InvoiceDate", day_text(invoice.date)},
                      {"DueDate", day_text(invoice.date)},
                      {"DocInvoiceAmt", invoice.amount.to_string()},
                      {"CurrencyCode", invoice.currency}};
    auto made = client_.create_row(path(kInvoiceSvc, "APInvoices"), std::move(body),
                                   "AP invoice " + invoice.invoice_num);
    // Unique on VendorNum + InvoiceNum: Epicor refuses the second (a lost answer, a re-run).
    if (!made && made.error().code != ErrorCode::kConflict &&
        made.error().code != ErrorCode::kRejected) {
        return made.error();
    }
    if (!made) {
        MLC_TRY(auto found, client_.get_row(path(
                                kInvoiceSvc, "APInvoices" + odata::key({client_.config().company,
                                                                        invoice.vendor_num,
                                                                        invoice.invoice_num}))));
        if (!found) return made.error();
    }
    return ok();
}

Result<std::string> Journals::create(const JournalSet& set) {
    MLC_TRY(auto found, journals_of(set.reference));
    std::string id;
    for (const JournalDraft& draft : set.journals) {
        Decimal sum;
        for (const auto& line : draft.lines) sum += line.amount;
        MLC_ASSERT(sum.is_zero(), "a journal written to Epicor balances");
        MLC_TRY(json::object head, ensure_head(set, draft, found));
        MLC_CHECK(ensure_lines(head, draft, set.reference));
        if (!id.empty()) id += ',';
        id += journal_id(head);
    }
    if (set.invoice) {
        MLC_CHECK(ensure_invoice(*set.invoice));
    }
    return id;
}

std::string Journals::describe(const JournalSet& set) const {
    std::string out = set.reference + ": " + std::to_string(set.journals.size()) + " journal" +
                      (set.journals.size() == 1 ? "" : "s");
    for (const auto& j : set.journals) {
        Decimal debit;
        for (const auto& line : j.lines) {
            if (!line.amount.is_negative()) debit += line.amount;
        }
        out += ", " + std::to_string(j.fiscal_year) + "/" + std::to_string(j.fiscal_period) + " " +
               std::to_string(j.lines.size()) + " lines debit " + debit.to_string(2);
    }
    if (set.invoice) out += ", AP invoice " + set.invoice->invoice_num;
    return out;
}

}  // namespace mlc::connectors::epicor

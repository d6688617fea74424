#pragma once
// Settlement reports (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2) read into exact records: the
// summary row (settlement id, start and end, deposit date, total-amount, currency) and one
// SettlementLine per amount component, each put in its accounting group.
//
//  * Columns are found by header name, never by position: Amazon's own list has 23 columns
//    ending at quantity-purchased, the files carry 24 with promotion-id (amazon-sp-api.md), and a
//    column this parser does not know is ignored. A missing required column is an error naming it.
//  * Money is Decimal, exact, in the marketplace's format (SettlementFormat): "1,234.56" in the
//    US and UK, "1.234,56" in the euro marketplaces (a settlement read 100x too large is the
//    failure peers know); dates ISO ("2026-01-02T03:04:05+00:00"), Amazon's "2026-01-02
//    03:04:05 UTC", or day first ("02.01.2026 03:04:05 UTC") where the format says so.
//  * The bytes are converted from the charset of the document's content type (cp932,
//    windows-1252, ISO-8859-1, ...) to UTF-8 with iconv (glibc) before parsing.
//  * Every error names the file's line number (the header is line 1) and what to fix.
//
// Why no TSV/CSV library: Amazon's flat files are tab-separated with no quoting or escaping at
// all (a field never holds a tab or a line break; a `"` in a description is a literal). A CSV
// library (libcsv) gives `"` a meaning these files do not have, so a description such as
// `12" ruler` would swallow the rest of the line; splitting each line at '\n' and '\t' is the
// whole format.
//
// Pure functions (iconv per call); thread safety: none needed.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"

namespace mlc::connectors::amazon {

inline constexpr std::string_view kSettlementReportType =
    "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2";

// How a marketplace writes numbers and dates in its flat files.
struct SettlementFormat {
    bool decimal_comma = false;  // "1.234,56"
    bool day_first = false;      // "02.01.2026"
};
// By marketplace id ("A1PA6795UKMFR9") or name ("Amazon.de"); unknown ones read as the US does.
SettlementFormat settlement_format(std::string_view marketplace);

// Where a settlement line goes in the books (amazon-sp-api.md "Settlement accounting").
enum class SettlementGroup {
    kSales,
    kShipping,
    kPromotions,
    kTax,
    kFacilitatorTax,
    kReferralFees,
    kFbaFees,
    kOtherFees,
    kRefunds,
    kReimbursements,
    kAdvertising,
    kReserveCurrent,
    kReservePrevious,
    kDisbursement,  // Not a line: the summary's total-amount, paid to the bank.
    kOther,         // A type this list does not know; its GL account comes from the mapping.
};
std::string_view to_string(SettlementGroup group);  // "referral fees"
SettlementGroup settlement_group(std::string_view transaction_type, std::string_view amount_type,
                                 std::string_view amount_description);

struct SettlementSummary {
    std::string id = {};
    UtcTime start = {};
    UtcTime end = {};
    std::optional<UtcTime> deposit = {};
    Decimal total = {};
    std::string currency = {};
};

struct SettlementLine {
    std::string settlement_id = {};
    std::shared_ptr<const SettlementSummary> summary = {};  // The file's summary row, shared.
    std::size_t line = 0;  // In the file: the header is line 1, the summary line 2.
    std::string transaction_type = {};
    std::string order_id = {};
    std::string adjustment_id = {};
    std::string shipment_id = {};
    std::string marketplace_name = {};
    std::string amount_type = {};
    std::string amount_description = {};
    Decimal amount = {};
    std::string fulfillment_id = {};
    std::optional<UtcTime> posted = {};  // posted-date-time, else posted-date.
    std::string order_item_code = {};
    std::string sku = {};
    std::int64_t quantity = 0;
    std::string promotion_id = {};
    SettlementGroup group = SettlementGroup::kOther;
    std::string raw = {};  // The line as the file has it (dead letters).
};

struct SettlementFile {
    SettlementSummary summary = {};
    std::vector<SettlementLine> lines = {};
};

// "text/plain; charset=Cp932" -> "CP932"; "" when the content type names none (UTF-8 then).
std::string charset_of(std::string_view content_type);
// The document's bytes as UTF-8 (a UTF-8 byte order mark dropped). kInvalidInput naming the
// charset and the first byte that is not in it; an unknown charset is kInvalidInput too.
Result<std::string> to_utf8(std::string_view bytes, std::string_view content_type);

// Files larger than this are refused (a settlement has tens of thousands of lines, not millions).
inline constexpr std::size_t kSettlementBytesMax = 256 * 1024 * 1024;

// kInvalidInput naming the line for: a missing or wrong header, a missing summary row, a row
// with more fields than the header (fewer: the missing trailing fields are empty), a bad amount
// or date, a row of another settlement. A total that is not the sum of the lines is not a parse
// error: reconciliation is the flow's (it alerts and holds the settlement).
Result<SettlementFile> parse_settlement(std::string_view text, const SettlementFormat& format);

// An amount as the marketplace writes it ("-1.234,56" with a decimal comma) -> exact Decimal.
Result<Decimal> parse_settlement_amount(std::string_view text, const SettlementFormat& format);
// A settlement date in any of the forms above -> UTC.
Result<UtcTime> parse_settlement_time(std::string_view text, const SettlementFormat& format);

}  // namespace mlc::connectors::amazon

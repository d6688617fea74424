#include "connectors/amazon/amazon_settlement.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <map>

#include "common/exact_json.hpp"
#include "common/time.hpp"

namespace mlc::connectors::amazon {
namespace {

constexpr const char* kSystem = "amazon";

// Marketplaces whose flat files write a decimal comma and the day first (amazon-sp-api.md: EU
// files; the ids are Amazon's marketplace ids).
struct CommaMarketplace {
    std::string_view id, name;
};
constexpr std::array<CommaMarketplace, 8> kCommaMarketplaces{{{"A1PA6795UKMFR9", "Amazon.de"},
                                                              {"A13V1IB3VIYZZH", "Amazon.fr"},
                                                              {"APJ6JRA9NG5V4", "Amazon.it"},
                                                              {"A1RKKUPIHCS9HS", "Amazon.es"},
                                                              {"A1805IZSGTT6HS", "Amazon.nl"},
                                                              {"A2NODRKZP88ZB9", "Amazon.se"},
                                                              {"A1C3SOZRARQ6R3", "Amazon.pl"},
                                                              {"AMEN7PMS3EDWL", "Amazon.com.be"}}};

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

Error bad(std::size_t line, const std::string& message) {
    return make_error(ErrorCode::kInvalidInput, kSystem,
                      "settlement file, line " + std::to_string(line) + ": " + message);
}

std::size_t line_of(std::string_view text, std::size_t offset) {
    return 1 + static_cast<std::size_t>(std::count(
                   text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The columns this parser reads; required ones must be in the header.
enum Column : std::size_t {
    kSettlementId,
    kStart,
    kEnd,
    kDeposit,
    kTotal,
    kCurrency,
    kTransactionType,
    kOrderId,
    kAdjustmentId,
    kShipmentId,
    kMarketplaceName,
    kAmountType,
    kAmountDescription,
    kAmount,
    kFulfillmentId,
    kPostedDate,
    kPostedDateTime,
    kOrderItemCode,
    kSku,
    kQuantity,
    kPromotionId,
    kColumnCount
};
struct ColumnName {
    std::string_view name;
    bool required;
};
constexpr std::array<ColumnName, kColumnCount> kColumns{{{"settlement-id", true},
                                                         {"settlement-start-date", true},
                                                         {"settlement-end-date", true},
                                                         {"deposit-date", true},
                                                         {"total-amount", true},
                                                         {"currency", true},
                                                         {"transaction-type", true},
                                                         {"order-id", false},
                                                         {"adjustment-id", false},
                                                         {"shipment-id", false},
                                                         {"marketplace-name", false},
                                                         {"amount-type", true},
                                                         {"amount-description", true},
                                                         {"amount", true},
                                                         {"fulfillment-id", false},
                                                         {"posted-date", false},
                                                         {"posted-date-time", false},
                                                         {"order-item-code", false},
                                                         {"sku", false},
                                                         {"quantity-purchased", false},
                                                         {"promotion-id", false}}};
constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

struct Header {
    std::array<std::size_t, kColumnCount> at{};  // Field index of each column, or kAbsent.
    std::size_t fields = 0;
};

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t from = 0;
    while (true) {
        const std::size_t tab = line.find('\t', from);
        fields.push_back(line.substr(from, tab == std::string_view::npos ? tab : tab - from));
        if (tab == std::string_view::npos) break;
        from = tab + 1;
    }
    return fields;
}

Result<Header> read_header(std::string_view line) {
    if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    const auto names = split_tabs(line);
    Header header;
    header.at.fill(kAbsent);
    header.fields = names.size();
    for (std::size_t i = 0; i < names.size(); ++i) {
        for (std::size_t c = 0; c < kColumnCount; ++c) {
            if (!iequals(names[i], kColumns[c].name)) continue;
            if (header.at[c] != kAbsent) {
                return bad(1,
                           "the header names column '" + std::string(kColumns[c].name) + "' twice");
            }
            header.at[c] = i;
        }
    }
    std::string missing;
    for (std::size_t c = 0; c < kColumnCount; ++c) {
        if (kColumns[c].required && header.at[c] == kAbsent) {
            missing += (missing.empty() ? "" : ", ") + std::string(kColumns[c].name);
        }
    }
    if (!missing.empty()) {
        return bad(1, "the header lacks " + missing +
                          ": is this a GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 file?");
    }
    return header;
}

// One data row's fields by column.
struct Row {
    const Header* header = nullptr;
    std::vector<std::string_view> fields;
    std::string_view operator[](Column c) const {
        const std::size_t at = header->at[c];
        return at == kAbsent || at >= fields.size() ? std::string_view() : fields[at];
    }
};

bool digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::optional<UtcTime>> optional_time(const Row& row, Column c, std::size_t line,
                                             const SettlementFormat& format) {
    const std::string_view text = row[c];
    if (text.empty()) return std::optional<UtcTime>();
    auto at = parse_settlement_time(text, format);
    if (!at) return bad(line, std::string(kColumns[c].name) + ": " + at.error().message);
    return std::optional<UtcTime>(*at);
}

Result<SettlementSummary> read_summary(const Row& row, std::size_t line,
                                       const SettlementFormat& format) {
    SettlementSummary summary{.id = std::string(row[kSettlementId]),
                              .currency = std::string(row[kCurrency])};
    if (summary.id.empty() || row[kTotal].empty() || !row[kAmountType].empty()) {
        return bad(line,
                   "the summary row (settlement-id, dates, deposit-date, total-amount, currency; "
                   "no amount-type) must come first after the header");
    }
    auto total = parse_settlement_amount(row[kTotal], format);
    if (!total) return bad(line, "total-amount: " + total.error().message);
    summary.total = *total;
    for (const Column c : {kStart, kEnd}) {
        MLC_TRY(auto at, optional_time(row, c, line, format));
        if (!at) return bad(line, std::string(kColumns[c].name) + " is empty");
        (c == kStart ? summary.start : summary.end) = *at;
    }
    MLC_TRY(summary.deposit, optional_time(row, kDeposit, line, format));
    return summary;
}

Result<SettlementLine> read_line(const Row& row, std::size_t line, std::string_view raw,
                                 const SettlementSummary& summary, const SettlementFormat& format) {
    if (row[kSettlementId] != summary.id) {
        return bad(line, "settlement-id '" + std::string(row[kSettlementId]) +
                             "' is not the summary's " + summary.id);
    }
    if (row[kAmountType].empty() || row[kAmount].empty()) {
        return bad(line, "amount-type and amount are required on every line after the summary");
    }
    SettlementLine out{.settlement_id = summary.id,
                       .line = line,
                       .transaction_type = std::string(row[kTransactionType]),
                       .order_id = std::string(row[kOrderId]),
                       .adjustment_id = std::string(row[kAdjustmentId]),
                       .shipment_id = std::string(row[kShipmentId]),
                       .marketplace_name = std::string(row[kMarketplaceName]),
                       .amount_type = std::string(row[kAmountType]),
                       .amount_description = std::string(row[kAmountDescription]),
                       .fulfillment_id = std::string(row[kFulfillmentId]),
                       .order_item_code = std::string(row[kOrderItemCode]),
                       .sku = std::string(row[kSku]),
                       .promotion_id = std::string(row[kPromotionId]),
                       .raw = std::string(raw)};
    auto amount = parse_settlement_amount(row[kAmount], format);
    if (!amount) return bad(line, "amount: " + amount.error().message);
    out.amount = *amount;
    MLC_TRY(out.posted, optional_time(row, kPostedDateTime, line, format));
    if (!out.posted) {
        MLC_TRY(out.posted, optional_time(row, kPostedDate, line, format));
    }
    if (const std::string_view q = row[kQuantity]; !q.empty()) {
        const auto [end, ec] = std::from_chars(q.data(), q.data() + q.size(), out.quantity);
        if (ec != std::errc() || end != q.data() + q.size() || out.quantity < 0) {
            return bad(line, "quantity-purchased '" + std::string(q) + "' is not a count");
        }
    }
    out.group = settlement_group(out.transaction_type, out.amount_type, out.amount_description);
    return out;
}

// Lines of `text` without their '\n' (and a '\r' before it); empty lines are left out.
template <typename Fn>
Result<void> each_line(std::string_view text, Fn&& fn) {
    std::size_t number = 0;
    std::size_t from = 0;
    while (from < text.size()) {
        std::size_t end = text.find('\n', from);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(from, end - from);
        if (line.ends_with('\r')) line.remove_suffix(1);
        ++number;
        if (!line.empty()) {
            MLC_CHECK(fn(number, line));
        }
        from = end + 1;
    }
    return ok();
}

}  // namespace

SettlementFormat settlement_format(std::string_view marketplace) {
    for (const auto& m : kCommaMarketplaces) {
        if (marketplace == m.id || iequals(marketplace, m.name)) {
            return {.decimal_comma = true, .day_first = true};
        }
    }
    return {};
}

std::string_view to_string(SettlementGroup group) {
    static constexpr std::array<std::string_view, 15> kNames{"sales",
                                                             "shipping",
                                                             "promotions",
                                                             "tax",
                                                             "facilitator tax",
                                                             "referral fees",
                                                             "FBA fees",
                                                             "other fees",
                                                             "refunds",
                                                             "reimbursements",
                                                             "advertising",
                                                             "reserve (current)",
                                                             "reserve (previous)",
                                                             "disbursement",
                                                             "other"};
    return kNames[static_cast<std::size_t>(group)];
}

SettlementGroup settlement_group(std::string_view transaction_type, std::string_view amount_type,
                                 std::string_view amount_description) {
    using G = SettlementGroup;
    const std::string tx = lower(transaction_type);
    const std::string type = lower(amount_type);
    const std::string what = lower(amount_description);
    const bool refund =
        tx == "refund" || tx == "chargeback refund" || tx == "a-to-z guarantee claim";
    if (what == "current reserve amount") return G::kReserveCurrent;
    if (what == "previous reserve amount balance") return G::kReservePrevious;
    if (type.find("advertising") != std::string::npos ||
        tx.find("advertising") != std::string::npos)
        return G::kAdvertising;
    if (type.find("reimbursement") != std::string::npos) return G::kReimbursements;
    if (type == "itemwithheldtax" || what.starts_with("marketplacefacilitator"))
        return G::kFacilitatorTax;
    if (type == "promotion") return G::kPromotions;
    if (type == "itemprice") {
        if (what.find("tax") != std::string::npos) return G::kTax;
        if (refund) return G::kRefunds;
        if (what == "principal") return G::kSales;
        if (what == "shipping" || what == "giftwrap") return G::kShipping;
        return G::kOther;
    }
    if (type == "itemfees") {
        if (what == "commission" || what == "refundcommission") return G::kReferralFees;
        if (what.starts_with("fba")) return G::kFbaFees;
        return G::kOtherFees;
    }
    if (what.find("storage") != std::string::npos) return G::kFbaFees;
    if (type == "shipmentfees" || what.find("fee") != std::string::npos) return G::kOtherFees;
    return G::kOther;
}

std::string charset_of(std::string_view content_type) {
    const std::string text = lower(content_type);
    const std::size_t at = text.find("charset=");
    if (at == std::string::npos) return "";
    std::string_view value = std::string_view(content_type).substr(at + 8);
    value = value.substr(0, value.find(';'));
    while (!value.empty() && (value.front() == ' ' || value.front() == '"')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '"')) value.remove_suffix(1);
    std::string out(value);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

Result<std::string> to_utf8(std::string_view bytes, std::string_view content_type) {
    const std::string charset = charset_of(content_type);
    if (charset.empty() || charset == "UTF-8" || charset == "UTF8") {
        std::size_t i = 0;
        while (i < bytes.size()) {
            const std::size_t at = i;
            if (!utf8_decode(bytes, i)) {
                return bad(line_of(bytes, at),
                           "a byte is not UTF-8 (the document's content type "
                           "names no other charset)");
            }
        }
        std::string out(bytes);
        if (std::string_view(out).starts_with("\xEF\xBB\xBF")) out.erase(0, 3);
        return out;
    }
    iconv_t cd = iconv_open("UTF-8", charset.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return make_error(ErrorCode::kInvalidInput, kSystem,
                          "settlement document: charset '" + charset + "' is not known");
    }
    std::string out(bytes.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* to = out.data();
    std::size_t to_left = out.size();
    const std::size_t done = iconv(cd, &in, &in_left, &to, &to_left);
    iconv_close(cd);
    if (done == static_cast<std::size_t>(-1)) {
        const std::size_t at = bytes.size() - in_left;
        return bad(line_of(bytes, at), "a byte is not " + charset + " (the document's charset)");
    }
    out.resize(out.size() - to_left);
    if (std::string_view(out).starts_with("\xEF\xBB\xBF")) out.erase(0, 3);
    return out;
}

Result<Decimal> parse_settlement_amount(std::string_view text, const SettlementFormat& format) {
    const char point = format.decimal_comma ? ',' : '.';
    const char group = format.decimal_comma ? '.' : ',';
    std::string shown(1, '\'');  // Appended: GCC 12's false -Wrestrict at -O3 (bug 105651).
    shown.append(text.substr(0, 40)).append(1, '\'');
    const std::string expected =
        format.decimal_comma ? " (expected -1.234,56)" : " (expected -1,234.56)";
    std::string_view body = text;
    std::string normal;
    if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
        if (body.front() == '-') normal += '-';
        body.remove_prefix(1);
    }
    const std::size_t dot = body.find(point);
    const std::string_view whole = body.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? "" : body.substr(dot + 1);
    if ((dot != std::string_view::npos && !digits(fraction)) || whole.empty()) {
        return make_error(ErrorCode::kInvalidInput, kSystem,
                          shown + " is not an amount" + expected);
    }
    // Group separators: 1 to 3 digits, then groups of exactly 3.
    std::size_t run = 0;
    bool grouped = false;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        const char c = whole[i];
        if (c == group && run > 0 && (grouped ? run == 3 : run <= 3)) {
            grouped = true;
            run = 0;
        } else if (c >= '0' && c <= '9') {
            ++run;
            normal += c;
        } else {
            return make_error(ErrorCode::kInvalidInput, kSystem,
                              shown + " is not an amount" + expected);
        }
    }
    if (run == 0 || (grouped && run != 3) || fraction.size() > Decimal::kScale) {
        return make_error(ErrorCode::kInvalidInput, kSystem,
                          shown + " is not an amount" + expected);
    }
    if (!fraction.empty()) normal += "." + std::string(fraction);
    auto value = Decimal::parse(normal);
    if (!value) return make_error(ErrorCode::kInvalidInput, kSystem, shown + " is out of range");
    return *value;
}

Result<UtcTime> parse_settlement_time(std::string_view text, const SettlementFormat& format) {
    std::string_view body = text;
    if (body.ends_with(" UTC")) body.remove_suffix(4);
    std::string normal(body);
    // "02.01.2026[ 03:04:05]" -> "2026-01-02[ 03:04:05]"
    if (format.day_first && body.size() >= 10 && body[2] == '.' && body[5] == '.') {
        normal = std::string(body.substr(6, 4)) + "-" + std::string(body.substr(3, 2)) + "-" +
                 std::string(body.substr(0, 2)) + std::string(body.substr(10));
    }
    if (normal.find('T') != std::string::npos) {
        if (auto iso = parse_iso8601(normal)) return *iso;
    } else if (auto local = parse_local(normal, "UTC")) {
        return *local;
    }
    std::string message(1, '\'');  // Appended: GCC 12's false -Wrestrict at -O3 (bug 105651).
    message.append(text.substr(0, 40))
        .append("' is not a date")
        .append(format.day_first ? " (expected 02.01.2026 03:04:05 UTC)"
                                 : " (expected 2026-01-02 03:04:05 UTC or ISO 8601)");
    return make_error(ErrorCode::kInvalidInput, kSystem, std::move(message));
}

Result<SettlementFile> parse_settlement(std::string_view text, const SettlementFormat& format) {
    if (text.size() > kSettlementBytesMax) {
        return bad(1, "the file has " + std::to_string(text.size()) + " bytes, more than " +
                          std::to_string(kSettlementBytesMax) + ": not a settlement report");
    }
    SettlementFile file;
    std::optional<Header> header;
    bool summary = false;
    MLC_CHECK(each_line(text, [&](std::size_t number, std::string_view line) -> Result<void> {
        if (!header) {
            if (number != 1) return bad(1, "the header row is empty");
            MLC_TRY(header, read_header(line));
            return ok();
        }
        Row row{.header = &*header, .fields = split_tabs(line)};
        if (row.fields.size() > header->fields) {
            return bad(number, std::to_string(row.fields.size()) + " fields, the header has " +
                                   std::to_string(header->fields) + " (a tab inside a field?)");
        }
        if (!summary) {
            MLC_TRY(file.summary, read_summary(row, number, format));
            summary = true;
            return ok();
        }
        MLC_TRY(auto parsed, read_line(row, number, line, file.summary, format));
        file.lines.push_back(std::move(parsed));
        return ok();
    }));
    if (!header) return bad(1, "the file is empty: no header row");
    if (!summary) return bad(2, "no summary row after the header");
    const auto shared = std::make_shared<const SettlementSummary>(file.summary);
    for (auto& line : file.lines) line.summary = shared;
    return file;
}

}  // namespace mlc::connectors::amazon

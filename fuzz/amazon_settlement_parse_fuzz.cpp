// The Amazon connector's settlement flat file reader (connectors/amazon/amazon_settlement.hpp):
// malformed lines, wrong or missing headers, odd charsets and large files never crash it, and
// every refusal names a line of the input (1 .. lines + 1). What it accepts is consistent: lines
// numbered in increasing order after the summary (line 2 or later), each amount exact (its text
// form reads back to the same value), every line of the summary's settlement.
//
// Input: the first byte picks the marketplace format (bit 0: decimal comma and day-first dates)
// and the content type's charset (bits 1-2: none, UTF-8, windows-1252, cp932); the rest is the
// document's bytes, converted by to_utf8 and then parsed.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/amazon/amazon_settlement.hpp"

namespace {

namespace amz = mlc::connectors::amazon;

constexpr std::array<std::string_view, 4> kContentTypes{"text/plain", "text/plain; charset=UTF-8",
                                                        "text/plain; charset=windows-1252",
                                                        "text/plain; charset=Cp932"};

// The line number an error names ("..., line 12: ..."), or 0 when it names none.
std::size_t named_line(const std::string& message) {
    const std::size_t at = message.find("line ");
    if (at == std::string::npos) return 0;
    std::size_t number = 0;
    for (std::size_t i = at + 5; i < message.size() && message[i] >= '0' && message[i] <= '9';
         ++i) {
        number = number * 10 + static_cast<std::size_t>(message[i] - '0');
    }
    return number;
}

std::size_t line_count(std::string_view text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

void check_file(std::string_view text, const amz::SettlementFormat& format) {
    auto file = amz::parse_settlement(text, format);
    const std::size_t lines = line_count(text);
    if (!file) {
        const std::size_t named = named_line(file.error().message);
        if (named == 0 || named > lines + 1) __builtin_trap();
        return;
    }
    std::size_t previous = 1;
    for (const auto& line : file->lines) {
        if (line.line <= previous || line.line > lines) __builtin_trap();
        if (line.settlement_id != file->summary.id) __builtin_trap();
        previous = line.line;
        auto again = mlc::Decimal::parse(line.amount.to_string());
        if (!again || *again != line.amount) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::uint8_t pick = data[0];
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const amz::SettlementFormat format{.decimal_comma = (pick & 1) != 0,
                                       .day_first = (pick & 1) != 0};
    auto text = amz::to_utf8(bytes, kContentTypes[(pick >> 1) & 3]);
    if (!text) {
        const std::size_t named = named_line(text.error().message);
        // An unknown charset names no line; a byte outside the charset names its line.
        if (text.error().message.find("is not known") == std::string::npos &&
            (named == 0 || named > line_count(bytes))) {
            __builtin_trap();
        }
        return 0;
    }
    check_file(*text, format);
    // Amounts and dates on their own, as the reader calls them for one field.
    const std::string_view head = std::string_view(*text).substr(0, 64);
    if (auto amount = amz::parse_settlement_amount(head, format)) {
        auto again = mlc::Decimal::parse(amount->to_string());
        if (!again || *again != *amount) __builtin_trap();
    }
    (void)amz::parse_settlement_time(head, format);
    return 0;
}

#include "sandbox/epicor/epicor_json.hpp"

#include <cstdint>

#include "common/exact_json.hpp"

namespace mlc::sandbox::epicor {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8.

// The length of the UTF-8 sequence at `text[i]`, or 0 when the bytes there are not one (a stray
// continuation byte, a cut sequence, an overlong form, a surrogate, beyond U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    std::uint32_t cp = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    const bool overlong =
        (length == 2 && cp < 0x80) || (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    return overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : length;
}

// `text` with each byte that starts no UTF-8 sequence replaced by U+FFFD. JSON's structure is
// ASCII, so such bytes are inside strings and the result is still the same JSON.
std::string valid_utf8(std::string text) {
    std::size_t i = 0;
    while (i < text.size() && utf8_length(text, i) != 0) i += utf8_length(text, i);
    if (i == text.size()) return text;  // The usual case: nothing to replace.
    std::string out = text.substr(0, i);
    while (i < text.size()) {  // Bounded by the text: each step consumes at least one byte.
        const std::size_t length = utf8_length(text, i);
        if (length == 0) {
            out += kReplacement;
            ++i;
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

}  // namespace

Result<boost::json::value> parse_exact(std::string_view text) {
    return parse_exact_json(text, kBodyBytesMax, "epicor", "request body");
}

std::string write_exact(const boost::json::value& value, const NameSet& decimal_fields) {
    return valid_utf8(write_exact_json(value, decimal_fields));
}

}  // namespace mlc::sandbox::epicor

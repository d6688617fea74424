#include "sandbox/woocommerce/wp_json.hpp"

#include <array>
#include <cstdint>

#include <boost/json.hpp>

#include "common/exact_json.hpp"

namespace mlc::sandbox::woocommerce {
namespace {

namespace json = boost::json;

// A string starting with these two bytes is a raw number (see raw_number()). 0x1F never occurs in
// Woo text fields written through this emulator: it is a control character.
constexpr std::string_view kRawNumberMark = "\x1F#";
constexpr std::size_t kDepthMax = 64;  // Nesting bound: Woo resources are a few levels deep.

void append_u(std::string& out, std::uint32_t unit) {
    static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                  '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(unit >> shift) & 0xF]);
}

// The code point of the UTF-8 sequence at `text[i]`, advancing `i`; U+FFFD for a byte that starts
// none (advancing one byte).
std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
    if (const auto cp = mlc::utf8_decode(text, i)) return *cp;
    ++i;
    return 0xFFFD;
}

void encode_string(std::string& out, std::string_view text) {
    out.push_back('"');
    std::size_t i = 0;
    while (i < text.size()) {
        const std::uint32_t cp = next_code_point(text, i);
        switch (cp) {
            case '"':
                out += "\\\"";
                continue;
            case '\\':
                out += "\\\\";
                continue;
            case '/':
                out += "\\/";
                continue;  // PHP escapes slashes unless JSON_UNESCAPED_SLASHES
            case '\b':
                out += "\\b";
                continue;
            case '\f':
                out += "\\f";
                continue;
            case '\n':
                out += "\\n";
                continue;
            case '\r':
                out += "\\r";
                continue;
            case '\t':
                out += "\\t";
                continue;
            default:
                break;
        }
        if (cp < 0x20) {
            append_u(out, cp);
        } else if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x10000) {
            append_u(out, cp);
        } else {
            const std::uint32_t v = cp - 0x10000;
            append_u(out, 0xD800 + (v >> 10));
            append_u(out, 0xDC00 + (v & 0x3FF));
        }
    }
    out.push_back('"');
}

void encode(std::string& out, const json::value& value, std::size_t depth) {
    if (depth > kDepthMax) {
        out += "null";
        return;
    }
    switch (value.kind()) {
        case json::kind::null:
            out += "null";
            return;
        case json::kind::bool_:
            out += value.get_bool() ? "true" : "false";
            return;
        case json::kind::int64:
            out += std::to_string(value.get_int64());
            return;
        case json::kind::uint64:
            out += std::to_string(value.get_uint64());
            return;
        case json::kind::double_:
            out += json::serialize(value);
            return;
        case json::kind::string: {
            const std::string_view text = value.get_string();
            if (text.starts_with(kRawNumberMark)) {
                out += text.substr(kRawNumberMark.size());
            } else {
                encode_string(out, text);
            }
            return;
        }
        case json::kind::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& item : value.get_array()) {
                if (!first) out.push_back(',');
                first = false;
                encode(out, item, depth + 1);
            }
            out.push_back(']');
            return;
        }
        case json::kind::object: {
            out.push_back('{');
            bool first = true;
            for (const auto& member : value.get_object()) {
                if (!first) out.push_back(',');
                first = false;
                encode_string(out, member.key());
                out.push_back(':');
                encode(out, member.value(), depth + 1);
            }
            out.push_back('}');
            return;
        }
    }
}

}  // namespace

json::value raw_number(std::string text) {
    return json::string(std::string(kRawNumberMark) + text);
}

json::value php_float(const Decimal& amount) {
    std::string text = amount.to_string();
    if (text.find('.') == std::string::npos) text += ".0";
    return raw_number(std::move(text));
}

std::string money_text(const Decimal& amount) { return amount.to_string(2); }

std::string wp_json_encode(const json::value& value) {
    std::string out;
    encode(out, value, 0);
    return out;
}

}  // namespace mlc::sandbox::woocommerce

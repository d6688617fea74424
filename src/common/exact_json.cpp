#include "common/exact_json.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/decimal.hpp"

namespace mlc {
namespace {

namespace json = boost::json;

bool is_number_char(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.' ||
           c == 'e' || c == 'E';
}

// Rewrites numbers that are not whole ("12.50", "1e3") as strings, leaving string contents alone.
std::string quote_fractional_numbers(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 64);
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            const std::size_t start = i++;
            while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
            i = std::min(i + 1, text.size());
            out.append(text.substr(start, i - start));
        } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
            const std::size_t start = i;
            while (i < text.size() && is_number_char(text[i])) ++i;
            const std::string_view number = text.substr(start, i - start);
            const bool whole = number.find_first_of(".eE") == std::string_view::npos;
            if (!whole) out += '"';
            out.append(number);
            if (!whole) out += '"';
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

void write_value(const json::value& value, const JsonNameSet& decimal_fields, std::string& out,
                 std::size_t depth);

void write_object(const json::object& object, const JsonNameSet& decimal_fields, std::string& out,
                  std::size_t depth) {
    out += '{';
    bool first = true;
    for (const auto& member : object) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(member.key()));
        out += ':';
        const json::value& v = member.value();
        if (v.is_string() && decimal_fields.contains(std::string_view(member.key()))) {
            if (auto d = Decimal::parse(v.get_string())) {
                out += d->to_string();
                continue;
            }
        }
        write_value(v, decimal_fields, out, depth + 1);
    }
    out += '}';
}

void write_value(const json::value& value, const JsonNameSet& decimal_fields, std::string& out,
                 std::size_t depth) {
    if (depth > kExactJsonDepthMax) {
        out += "null";
        return;
    }
    if (value.is_object()) {
        write_object(value.get_object(), decimal_fields, out, depth);
    } else if (value.is_array()) {
        out += '[';
        bool first = true;
        for (const json::value& item : value.get_array()) {
            if (!first) out += ',';
            first = false;
            write_value(item, decimal_fields, out, depth + 1);
        }
        out += ']';
    } else {
        out += json::serialize(value);
    }
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8.

// The length of the UTF-8 sequence at `text[i]`, or 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const std::size_t from = i;
    return utf8_decode(text, i) ? i - from : 0;
}

}  // namespace

std::optional<std::uint32_t> utf8_decode(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    std::uint32_t cp = 0;
    if (lead < 0x80) {
        length = 1;
        cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07;
    } else {
        return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    const bool overlong =
        (length == 2 && cp < 0x80) || (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += length;
    return cp;
}

Result<json::value> parse_exact_json(std::string_view text, std::size_t bytes_max,
                                     std::string_view system, std::string_view what) {
    if (text.size() > bytes_max) {
        return make_error(
            ErrorCode::kInvalidInput, std::string(system),
            std::string(what) + " is larger than " + std::to_string(bytes_max) + " bytes");
    }
    json::parse_options options;
    options.max_depth = kExactJsonDepthMax;
    boost::system::error_code ec;
    json::value value = json::parse(quote_fractional_numbers(text), ec, {}, options);
    if (ec) {
        return make_error(ErrorCode::kInvalidInput, std::string(system),
                          std::string(what) + " is not JSON: " + ec.message());
    }
    return value;
}

std::string write_exact_json(const json::value& value, const JsonNameSet& decimal_fields) {
    std::string out;
    write_value(value, decimal_fields, out, 0);
    return out;
}

std::string valid_utf8(std::string text) {
    std::size_t i = 0;
    while (i < text.size() && utf8_length(text, i) != 0) i += utf8_length(text, i);
    if (i == text.size()) return text;  // The usual case: nothing to replace.
    std::string out = text.substr(0, i);
    while (i < text.size()) {  // Each step consumes at least one byte.
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

}  // namespace mlc

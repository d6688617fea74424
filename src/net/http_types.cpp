#include "net/http_types.hpp"

#include <algorithm>
#include <cctype>

#include "common/exact_json.hpp"

namespace mlc::net {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes %XX and '+' (form encoding, as query strings use it).
std::string decode_component(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string_view strip_fragment(std::string_view url) {
    const auto hash = url.find('#');
    return hash == std::string_view::npos ? url : url.substr(0, hash);
}

}  // namespace

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) return std::string_view(value);
    }
    return std::nullopt;
}

void set_header(Headers& headers, std::string_view name, std::string value) {
    std::erase_if(headers, [&](const auto& header) { return iequals(header.first, name); });
    headers.emplace_back(std::string(name), std::move(value));
}

std::string url_path(std::string_view url) {
    url = strip_fragment(url);
    const auto scheme = url.find("://");
    if (scheme != std::string_view::npos) {
        const auto slash = url.find('/', scheme + 3);
        url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
    }
    const auto question = url.find('?');
    return std::string(question == std::string_view::npos ? url : url.substr(0, question));
}

std::vector<std::pair<std::string, std::string>> url_query(std::string_view url) {
    url = strip_fragment(url);
    std::vector<std::pair<std::string, std::string>> out;
    const auto question = url.find('?');
    if (question == std::string_view::npos) return out;
    std::string_view rest = url.substr(question + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view part = rest.substr(0, amp);
        if (!part.empty()) {
            const auto eq = part.find('=');
            if (eq == std::string_view::npos) {
                out.emplace_back(decode_component(part), std::string());
            } else {
                out.emplace_back(decode_component(part.substr(0, eq)),
                                 decode_component(part.substr(eq + 1)));
            }
        }
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

std::optional<std::string> query_param(std::string_view url, std::string_view name) {
    for (auto& [key, value] : url_query(url)) {
        if (key == name) return value;
    }
    return std::nullopt;
}

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 0x0F]);
        }
    }
    return out;
}

HttpResponse json_response(int status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    // Outside bytes echoed into a JSON string (an id from the URL in an error message) would make
    // the body not JSON: the one place every JSON answer passes makes it UTF-8 (U+FFFD).
    response.body = valid_utf8(std::move(body));
    return response;
}

}  // namespace mlc::net

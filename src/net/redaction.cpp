#include "net/redaction.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>

namespace mlc::net {
namespace {

// Headers that carry credentials whatever their name says.
constexpr std::array<std::string_view, 6> kSecretHeaders = {
    "authorization", "proxy-authorization", "x-api-key", "api-key", "cookie", "set-cookie"};
// Name fragments that mark a secret: consumer_key/consumer_secret (WooCommerce), api_key,
// access_token/refresh_token (LWA, OAuth2), client_secret (UPS), password (Acumatica login).
constexpr std::array<std::string_view, 5> kSecretFragments = {"token", "secret", "password",
                                                              "passwd", "key"};
// Credential schemes whose value follows the scheme word.
constexpr std::array<std::string_view, 3> kSchemes = {"Basic ", "Bearer ", "Digest "};
// JSON nesting we walk before giving up and redacting the rest whole.
constexpr int kJsonDepthMax = 64;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool starts_with_scheme(std::string_view value) {
    return std::any_of(kSchemes.begin(), kSchemes.end(), [&](std::string_view scheme) {
        return value.size() >= scheme.size() &&
               lower(value.substr(0, scheme.size())) == lower(scheme);
    });
}

// "Basic abc" -> "Basic [REDACTED]"; anything else -> "[REDACTED]".
std::string redact_value(std::string_view value) {
    for (const auto scheme : kSchemes) {
        if (value.size() >= scheme.size() &&
            lower(value.substr(0, scheme.size())) == lower(scheme)) {
            return std::string(value.substr(0, scheme.size())) + std::string(kRedacted);
        }
    }
    return std::string(kRedacted);
}

bool mentions_secret(std::string_view text) {
    const std::string low = lower(text);
    return std::any_of(kSecretFragments.begin(), kSecretFragments.end(),
                       [&](std::string_view f) { return low.find(f) != std::string::npos; }) ||
           low.find("authorization") != std::string::npos ||
           low.find("basic ") != std::string::npos || low.find("bearer ") != std::string::npos;
}

void redact_json(boost::json::value& value, int depth) {
    if (depth > kJsonDepthMax) {
        value = boost::json::string(kRedacted);
        return;
    }
    if (auto* object = value.if_object()) {
        for (auto& member : *object) {
            if (is_secret_name(member.key())) {
                member.value() = boost::json::string(kRedacted);
            } else {
                redact_json(member.value(), depth + 1);
            }
        }
    } else if (auto* array = value.if_array()) {
        for (auto& element : *array) redact_json(element, depth + 1);
    } else if (auto* text = value.if_string()) {
        if (starts_with_scheme(*text)) value = boost::json::string(redact_value(*text));
    }
}

// Rewrites a&b=c style text, keeping names and replacing secret values.
std::string redact_pairs(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (true) {
        const auto amp = text.find('&');
        const std::string_view part = text.substr(0, amp);
        const auto eq = part.find('=');
        if (eq != std::string_view::npos && is_secret_name(part.substr(0, eq))) {
            out.append(part.substr(0, eq + 1)).append(kRedacted);
        } else {
            out.append(part);
        }
        if (amp == std::string_view::npos) break;
        out.push_back('&');
        text = text.substr(amp + 1);
    }
    return out;
}

bool looks_like_form(std::string_view body) {
    return body.find('=') != std::string_view::npos &&
           std::none_of(body.begin(), body.end(), [](char c) {
               return c == ' ' || c == '\n' || c == '{' || c == '<' || c == '"';
           });
}

std::string truncate(std::string text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    const std::size_t full = text.size();
    text.resize(max_bytes);
    text += "...(" + std::to_string(full) + " bytes)";
    return text;
}

std::string headers_for_log(const Headers& headers) {
    std::string out = "{";
    for (const auto& [name, value] : redact_headers(headers)) {
        if (out.size() > 1) out += ", ";
        out += name + ": " + value;
    }
    return out + "}";
}

}  // namespace

bool is_secret_name(std::string_view name) {
    const std::string low = lower(name);
    if (std::find(kSecretHeaders.begin(), kSecretHeaders.end(), low) != kSecretHeaders.end()) {
        return true;
    }
    return std::any_of(kSecretFragments.begin(), kSecretFragments.end(),
                       [&](std::string_view f) { return low.find(f) != std::string::npos; });
}

Headers redact_headers(const Headers& headers) {
    Headers out;
    out.reserve(headers.size());
    for (const auto& [name, value] : headers) {
        if (is_secret_name(name) || starts_with_scheme(value)) {
            out.emplace_back(name, redact_value(value));
        } else {
            out.emplace_back(name, value);
        }
    }
    return out;
}

std::string redact_url(std::string_view url) {
    std::string out;
    // user:password@host: the userinfo goes whole (a user name can be an API key).
    const auto scheme = url.find("://");
    std::string_view rest = url;
    if (scheme != std::string_view::npos) {
        const auto authority_start = scheme + 3;
        const auto authority_end = url.find_first_of("/?#", authority_start);
        const std::string_view authority =
            url.substr(authority_start, authority_end == std::string_view::npos
                                            ? std::string_view::npos
                                            : authority_end - authority_start);
        const auto at = authority.rfind('@');
        out.append(url.substr(0, authority_start));
        if (at != std::string_view::npos) {
            out.append(kRedacted).append("@").append(authority.substr(at + 1));
        } else {
            out.append(authority);
        }
        rest = authority_end == std::string_view::npos ? std::string_view()
                                                       : url.substr(authority_end);
    }
    const auto question = rest.find('?');
    if (question == std::string_view::npos) return out.append(rest);
    out.append(rest.substr(0, question + 1));
    const auto hash = rest.find('#', question);
    const std::string_view query =
        rest.substr(question + 1,
                    hash == std::string_view::npos ? std::string_view::npos : hash - question - 1);
    out.append(redact_pairs(query));
    if (hash != std::string_view::npos) out.append(rest.substr(hash));
    return out;
}

std::string redact_body(std::string_view body, std::size_t max_bytes) {
    if (body.empty()) return {};
    boost::json::error_code ec;
    boost::json::value json = boost::json::parse(body, ec);
    if (!ec) {
        redact_json(json, 0);
        return truncate(boost::json::serialize(json), max_bytes);
    }
    if (looks_like_form(body)) return truncate(redact_pairs(body), max_bytes);
    if (!mentions_secret(body)) return truncate(std::string(body), max_bytes);
    return "[REDACTED body of " + std::to_string(body.size()) + " bytes]";
}

std::string describe_for_log(const HttpRequest& request, std::size_t body_bytes_max) {
    return request.method + " " + redact_url(request.url) +
           " headers=" + headers_for_log(request.headers) +
           " body=" + redact_body(request.body, body_bytes_max);
}

std::string describe_for_log(const HttpResponse& response, std::size_t body_bytes_max) {
    return "HTTP " + std::to_string(response.status) +
           " headers=" + headers_for_log(response.headers) +
           " body=" + redact_body(response.body, body_bytes_max);
}

}  // namespace mlc::net

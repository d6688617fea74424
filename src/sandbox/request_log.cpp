#include "sandbox/request_log.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/json.hpp>

namespace mlc::sandbox {
namespace {

constexpr std::string_view kMask = "***";

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

bool is_secret_name(std::string_view name) {
    // Every credential carrier our vendors use: Basic/Bearer (ShipStation V1, Epicor), API-Key
    // (ShipStation V2), x-api-key (Epicor), consumer key/secret (WooCommerce query auth),
    // WooCommerce's webhook signature, cookies.
    static constexpr std::array<std::string_view, 10> kSecretNames = {
        "authorization", "x-api-key",  "api-key",  "consumer_key",           "consumer_secret",
        "cookie",        "set-cookie", "password", "x-wc-webhook-signature", "client_secret"};
    const std::string key = lower(name);
    return std::find(kSecretNames.begin(), kSecretNames.end(), key) != kSecretNames.end();
}

std::string mask_url(std::string_view url) {
    const auto question = url.find('?');
    if (question == std::string_view::npos) return std::string(url);
    std::string out(url.substr(0, question + 1));
    std::string_view rest = url.substr(question + 1);
    bool first = true;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view part = rest.substr(0, amp);
        const auto eq = part.find('=');
        if (!first) out.push_back('&');
        first = false;
        if (eq != std::string_view::npos && is_secret_name(part.substr(0, eq))) {
            out.append(part.substr(0, eq + 1)).append(kMask);
        } else {
            out.append(part);
        }
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

void RequestLog::record(const net::HttpRequest& request) {
    net::HttpRequest masked;
    masked.method = request.method;
    masked.url = mask_url(request.url);
    masked.body = request.body;
    for (const auto& [name, value] : request.headers) {
        masked.headers.emplace_back(name, is_secret_name(name) ? std::string(kMask) : value);
    }
    entries_.push_back(std::move(masked));
    if (entries_.size() > kEntriesMax) entries_.pop_front();
}

boost::json::array RequestLog::to_json() const {
    boost::json::array out;
    out.reserve(entries_.size());
    for (const auto& entry : entries_) {
        boost::json::object headers;
        for (const auto& [name, value] : entry.headers) headers[name] = value;
        out.push_back(boost::json::object{{"method", entry.method},
                                          {"path", net::url_path(entry.url)},
                                          {"url", entry.url},
                                          {"headers", std::move(headers)},
                                          {"body", entry.body}});
    }
    return out;
}

}  // namespace mlc::sandbox

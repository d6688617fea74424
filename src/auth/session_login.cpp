#include "auth/session_login.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <utility>

namespace mlc::auth {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

std::string cookie_header_from(const net::Headers& headers) {
    std::string out;
    std::size_t count = 0;
    for (const auto& [name, value] : headers) {
        if (!iequals(name, "Set-Cookie")) continue;
        if (count == kSessionCookiesMax) break;
        const std::string_view pair = trim(std::string_view(value).substr(0, value.find(';')));
        if (pair.find('=') == std::string_view::npos || pair.front() == '=') continue;
        if (!out.empty()) out += "; ";
        out += pair;
        ++count;
    }
    return out;
}

namespace {
constexpr std::string_view kLoginLimit = "(API Login Limit)";
}  // namespace

bool is_login_limit(const Error& error) {
    return error.code == ErrorCode::kRateLimited &&
           error.message.find(kLoginLimit) != std::string::npos;
}

SessionLogin::SessionLogin(SessionLoginConfig config, net::HttpTransport& transport,
                           const Vault& vault)
    : config_(std::move(config)), transport_(transport), vault_(vault) {}

Result<Token> SessionLogin::fetch(std::string_view connection, UtcTime now) {
    MLC_TRY(std::string password, vault_.get(config_.password_secret));
    boost::json::object body{{"name", config_.user}, {"password", password}};
    if (!config_.tenant.empty()) body[config_.tenant_field] = config_.tenant;
    if (!config_.branch.empty()) body["branch"] = config_.branch;
    if (!config_.locale.empty()) body["locale"] = config_.locale;

    net::HttpRequest request;
    request.method = "POST";
    request.url = config_.base_url + "/entity/auth/login";
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    request.body = boost::json::serialize(body);

    MLC_TRY(net::HttpResponse response, transport_.send(request, config_.transport));
    const std::string who = "connection '" + std::string(connection) + "': ";
    // "API Login Limit" (acumatica.md, Licence limits): the body is only searched, never copied.
    if ((response.status == 429 || response.status == 500) &&
        response.body.find("API Login Limit") != std::string::npos) {
        Error error = make_error(ErrorCode::kRateLimited, config_.system,
                                 who +
                                     "the login was refused because the licence's concurrent API "
                                     "users are all in use (API Login Limit): retry later, and "
                                     "make sure other integrations log out");
        error.http_status = response.status;
        return error;
    }
    if (response.status < 200 || response.status >= 300) {
        return token_request_error(config_.system, connection, response,
                                   "check the user, tenant and branch, and the password (`mlc "
                                   "secret set " +
                                       config_.password_secret + "`)");
    }
    std::string cookies = cookie_header_from(response.headers);
    if (cookies.empty()) {
        return make_error(ErrorCode::kInvalidInput, config_.system,
                          who + "the login answer set no session cookie");
    }
    return Token{.value = std::move(cookies),
                 .expires_at = now + config_.session_lifetime,
                 .obtained_at = now};
}

void SessionLogin::apply(const Token& token, net::HttpRequest& request) const {
    net::set_header(request.headers, "Cookie", token.value);
}

Result<void> SessionLogin::release(std::string_view connection, const Token& token) {
    net::HttpRequest request;
    request.method = "POST";
    request.url = config_.base_url + "/entity/auth/logout";
    request.headers = {{"Accept", "application/json"}};
    apply(token, request);
    MLC_TRY(net::HttpResponse response, transport_.send(request, config_.transport));
    // 401: the session had already ended, which is what logging out wants.
    if ((response.status >= 200 && response.status < 300) || response.status == 401) return ok();
    return token_request_error(config_.system, connection, response,
                               "the logout failed; the session ends when it times out");
}

}  // namespace mlc::auth

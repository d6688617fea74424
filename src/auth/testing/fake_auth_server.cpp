#include "auth/testing/fake_auth_server.hpp"

#include <array>
#include <string_view>

#include "auth/token_source.hpp"

namespace mlc::auth::testing {
namespace {

std::optional<std::string> form_field(const std::string& body, std::string_view name) {
    return net::query_param("?" + body, name);
}

std::string header_or_empty(const net::HttpRequest& request, std::string_view name) {
    auto value = net::find_header(request.headers, name);
    return value ? std::string(*value) : std::string();
}

net::HttpResponse epicor_error(std::string message) {
    // epicor-kinetic.md, Answers and errors: the body of every 401.
    return net::json_response(401,
                              R"({"HttpStatus":401,"ReasonPhrase":"REST API Exception",)"
                              R"("ErrorMessage":")" +
                                  message +
                                  R"(","ErrorType":"System.UnauthorizedAccessException",)"
                                  R"("CorrelationId":"8b1f3c1e-0000-4000-8000-000000000001"})");
}

}  // namespace

net::HttpResponse FakeAuthServer::handle(const net::HttpRequest& request) {
    const std::string path = net::url_path(request.url);
    if (path == "/security/v1/oauth/token") return ups_token(request);
    if (path == "/auth/o2/token") return lwa_token(request);
    if (path.ends_with("/TokenResource.svc/") || path.ends_with("/TokenResource.svc")) {
        return epicor_token(request, true);
    }
    if (path.ends_with("/Ice.LIB.TokenServiceSvc/GetAccessToken")) {
        return epicor_token(request, false);
    }
    if (path == "/entity/auth/login") return acumatica_login(request);
    if (path == "/entity/auth/logout") return acumatica_logout(request);
    if (path == "/resource") return resource(request);
    return net::json_response(404, R"({"message":"no such path in FakeAuthServer"})");
}

std::string FakeAuthServer::issue_token() {
    std::string token = "tok-" + std::to_string(++issued_);
    valid_tokens_.insert(token);
    return token;
}

void FakeAuthServer::wait_while_held(std::unique_lock<std::mutex>& lock) {
    released_.wait(lock, [&] { return !hold_; });
}

net::HttpResponse FakeAuthServer::ups_token(const net::HttpRequest& request) {
    std::unique_lock lock(mutex_);
    ++token_requests_;
    wait_while_held(lock);
    last_merchant_id_ = header_or_empty(request, "x-merchant-id");
    last_token_form_body_ = request.body;
    const bool authorized = header_or_empty(request, "Authorization") ==
                            basic_authorization(config_.client_id, config_.client_secret);
    if (request.method != "POST" || form_field(request.body, "grant_type") !=
                                        std::optional<std::string>("client_credentials")) {
        return net::json_response(
            400, R"({"response":{"errors":[{"code":"10400","message":"Invalid request"}]}})");
    }
    if (!authorized) {
        return net::json_response(401, R"({"response":{"errors":[{"code":"250003",)"
                                       R"("message":"Invalid Authentication Information."}]}})");
    }
    const std::string token = issue_token();
    // ups.md: every field of the answer is a string, issued_at in milliseconds.
    return net::json_response(
        200, R"({"token_type":"Bearer","issued_at":"1700000000000","client_id":")" +
                 config_.client_id + R"(","access_token":")" + token +
                 R"(","scope":"","expires_in":")" + config_.expires_in_seconds +
                 R"(","refresh_count":"0","status":"approved"})");
}

net::HttpResponse FakeAuthServer::lwa_token(const net::HttpRequest& request) {
    std::unique_lock lock(mutex_);
    ++token_requests_;
    wait_while_held(lock);
    last_token_form_body_ = request.body;
    if (form_field(request.body, "grant_type") != std::optional<std::string>("refresh_token")) {
        return net::json_response(400, R"({"error":"unsupported_grant_type"})");
    }
    if (form_field(request.body, "client_id") != config_.client_id ||
        form_field(request.body, "client_secret") != config_.client_secret) {
        return net::json_response(
            401,
            R"({"error":"invalid_client","error_description":"Client authentication failed"})");
    }
    if (form_field(request.body, "refresh_token") != config_.refresh_token) {
        return net::json_response(
            400,
            R"({"error":"invalid_grant","error_description":"The request has an invalid grant parameter"})");
    }
    const std::string token = "Atza|" + issue_token();
    valid_tokens_.insert(token);
    return net::json_response(200, R"({"access_token":")" + token +
                                       R"(","token_type":"bearer","expires_in":)" +
                                       config_.expires_in_seconds + R"(,"refresh_token":")" +
                                       config_.refresh_token + R"("})");
}

net::HttpResponse FakeAuthServer::epicor_token(const net::HttpRequest& request, bool legacy) {
    std::unique_lock lock(mutex_);
    ++token_requests_;
    wait_while_held(lock);
    if (header_or_empty(request, "x-api-key") != config_.api_key) {
        return epicor_error("Invalid API Key " + header_or_empty(request, "x-api-key") +
                            ".\\r\\nCompany EPIC06.");
    }
    const bool authorized = legacy ? header_or_empty(request, "username") == config_.user &&
                                         header_or_empty(request, "password") == config_.password
                                   : header_or_empty(request, "Authorization") ==
                                         basic_authorization(config_.user, config_.password);
    if (!authorized) return epicor_error("Invalid username or password.");
    const std::string token = issue_token();
    const std::string entry = R"({"AccessToken":")" + token + R"(","ExpiresIn":)" +
                              config_.expires_in_seconds +
                              R"(,"RefreshToken":"","TokenType":"Bearer"})";
    if (legacy) return net::json_response(200, entry);
    return net::json_response(200, R"({"returnObj":{"TokenService":[)" + entry + "]}}");
}

net::HttpResponse FakeAuthServer::acumatica_login(const net::HttpRequest& request) {
    std::unique_lock lock(mutex_);
    ++token_requests_;
    wait_while_held(lock);
    last_login_body_ = request.body;
    static constexpr std::array<std::string_view, 2> kFields{"name", "password"};
    auto fields = find_json_fields(request.body, kFields);
    if (!fields || (*fields)["name"] != config_.user || (*fields)["password"] != config_.password) {
        return net::json_response(
            500,
            R"({"message":"An error has occurred.","exceptionMessage":"Invalid credentials."})");
    }
    const std::string session = "session-" + std::to_string(++issued_);
    sessions_.insert(session);
    net::HttpResponse response;
    response.status = 204;
    response.headers.emplace_back("Set-Cookie",
                                  "ASP.NET_SessionId=" + session + "; path=/; HttpOnly");
    response.headers.emplace_back("Set-Cookie",
                                  ".ASPXAUTH=auth-" + session + "; path=/; secure; HttpOnly");
    response.headers.emplace_back("Set-Cookie", "Locale=Culture=en-US; path=/");
    return response;
}

net::HttpResponse FakeAuthServer::acumatica_logout(const net::HttpRequest& request) {
    std::lock_guard lock(mutex_);
    ++logouts_;
    const std::string cookie = header_or_empty(request, "Cookie");
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        if (cookie.find("ASP.NET_SessionId=" + *it + ";") != std::string::npos &&
            cookie.find(".ASPXAUTH=auth-" + *it) != std::string::npos) {
            sessions_.erase(it);
            net::HttpResponse response;
            response.status = 204;
            return response;
        }
    }
    return net::json_response(401, R"({"message":"The user is not logged in"})");
}

net::HttpResponse FakeAuthServer::resource(const net::HttpRequest& request) {
    std::lock_guard lock(mutex_);
    ++resource_calls_;
    const std::string authorization = header_or_empty(request, "Authorization");
    const auto bearer_ok = [&] {
        return authorization.starts_with("Bearer ") &&
               valid_tokens_.contains(authorization.substr(7));
    };
    switch (config_.resource_scheme) {
        case ResourceScheme::kBearer:
            if (bearer_ok()) return net::json_response(200, R"({"ok":true})");
            return net::json_response(
                401,
                R"({"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}})");
        case ResourceScheme::kAmazon:
            if (valid_tokens_.contains(header_or_empty(request, "x-amz-access-token"))) {
                return net::json_response(200, R"({"ok":true})");
            }
            return net::json_response(
                403,
                R"({"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied."}]})");
        case ResourceScheme::kEpicor: {
            const std::string key = header_or_empty(request, "x-api-key");
            if (key != config_.api_key) {
                return epicor_error("Invalid API Key " + key + ".\\r\\nCompany EPIC06.");
            }
            if (bearer_ok() ||
                authorization == basic_authorization(config_.user, config_.password)) {
                return net::json_response(200, R"({"value":[]})");
            }
            return epicor_error("Invalid username or password.");
        }
        case ResourceScheme::kCookie: {
            const std::string cookie = header_or_empty(request, "Cookie");
            for (const auto& session : sessions_) {
                if (cookie.find("ASP.NET_SessionId=" + session + ";") != std::string::npos) {
                    return net::json_response(200, R"([])");
                }
            }
            return net::json_response(401, R"({"message":"The user is not logged in"})");
        }
    }
    return net::json_response(500, "{}");
}

void FakeAuthServer::revoke_all() {
    std::lock_guard lock(mutex_);
    valid_tokens_.clear();
    sessions_.clear();
}
void FakeAuthServer::set_password(std::string password) {
    std::lock_guard lock(mutex_);
    config_.password = std::move(password);
}
void FakeAuthServer::set_api_key(std::string api_key) {
    std::lock_guard lock(mutex_);
    config_.api_key = std::move(api_key);
}
void FakeAuthServer::set_expires_in(std::string seconds) {
    std::lock_guard lock(mutex_);
    config_.expires_in_seconds = std::move(seconds);
}
void FakeAuthServer::hold_token_requests() {
    std::lock_guard lock(mutex_);
    hold_ = true;
}
void FakeAuthServer::release_token_requests() {
    {
        std::lock_guard lock(mutex_);
        hold_ = false;
    }
    released_.notify_all();
}
int FakeAuthServer::token_requests() const {
    std::lock_guard lock(mutex_);
    return token_requests_;
}
int FakeAuthServer::logouts() const {
    std::lock_guard lock(mutex_);
    return logouts_;
}
int FakeAuthServer::resource_calls() const {
    std::lock_guard lock(mutex_);
    return resource_calls_;
}
int FakeAuthServer::open_sessions() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(sessions_.size());
}
std::string FakeAuthServer::last_merchant_id() const {
    std::lock_guard lock(mutex_);
    return last_merchant_id_;
}
std::string FakeAuthServer::last_token_form_body() const {
    std::lock_guard lock(mutex_);
    return last_token_form_body_;
}
std::string FakeAuthServer::last_login_body() const {
    std::lock_guard lock(mutex_);
    return last_login_body_;
}

}  // namespace mlc::auth::testing

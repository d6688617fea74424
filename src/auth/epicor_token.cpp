#include "auth/epicor_token.hpp"

#include <array>
#include <utility>

namespace mlc::auth {
namespace {

std::string error_message_of(const net::HttpResponse& response) {
    static constexpr std::array<std::string_view, 1> kFields{"ErrorMessage"};
    auto fields = find_json_fields(response.body, kFields);
    if (!fields) return {};
    auto it = fields->find("ErrorMessage");
    return it == fields->end() ? std::string() : it->second;
}

}  // namespace

EpicorAuthFailure classify_epicor_auth_failure(const net::HttpResponse& response) {
    const std::string message = error_message_of(response);
    if (message.starts_with("Invalid API Key")) return EpicorAuthFailure::kApiKey;
    if (message.starts_with("Invalid username or password")) return EpicorAuthFailure::kPassword;
    if (message.starts_with("Access denied")) return EpicorAuthFailure::kAccessDenied;
    return EpicorAuthFailure::kOther;
}

Error epicor_auth_error(const net::HttpResponse& response, std::string_view connection,
                        std::string_view password_secret, std::string_view api_key_secret) {
    const std::string who = "connection '" + std::string(connection) + "': ";
    std::string message;
    switch (classify_epicor_auth_failure(response)) {
        case EpicorAuthFailure::kApiKey:
            message = who +
                      "Epicor rejected the API key (Invalid API Key): set the key of this "
                      "instance and company with `mlc secret set " +
                      std::string(api_key_secret) + "`";
            break;
        case EpicorAuthFailure::kPassword:
            message = who +
                      "Epicor rejected the user name or password (Invalid username or "
                      "password): check the user and `mlc secret set " +
                      std::string(password_secret) + "`";
            break;
        case EpicorAuthFailure::kAccessDenied:
            message = who +
                      "Epicor denied access to a business object (Access denied): grant the "
                      "user rights to it in Epicor security";
            break;
        case EpicorAuthFailure::kOther:
            message = who + "Epicor refused the credentials (HTTP " +
                      std::to_string(response.status) + "): check the user, password (`" +
                      std::string(password_secret) + "`) and API key (`" +
                      std::string(api_key_secret) + "`)";
            break;
    }
    Error error = make_error(ErrorCode::kAuthFailed, "epicor", std::move(message));
    error.http_status = response.status;
    return error;
}

EpicorToken::EpicorToken(EpicorTokenConfig config, net::HttpTransport& transport,
                         const Vault& vault)
    : config_(std::move(config)), transport_(transport), vault_(vault) {}

Result<Token> EpicorToken::fetch(std::string_view connection, UtcTime now) {
    MLC_TRY(std::string password, vault_.get(config_.password_secret));
    net::HttpRequest request;
    request.method = "POST";
    request.url = config_.token_url;
    request.headers = {{"Accept", "application/json"}};
    if (!config_.api_key_secret.empty()) {
        MLC_TRY(std::string api_key, vault_.get(config_.api_key_secret));
        request.headers.emplace_back("x-api-key", std::move(api_key));
    }
    if (config_.form == EpicorTokenForm::kTokenResource) {
        request.headers.emplace_back("username", config_.user);
        request.headers.emplace_back("password", std::move(password));
    } else {
        request.headers.emplace_back("Authorization", basic_authorization(config_.user, password));
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = R"({"clientId":"","clientSecret":"","scope":""})";
    }

    MLC_TRY(net::HttpResponse response, transport_.send(request, config_.transport));
    if (response.status == 401 || response.status == 403) {
        return epicor_auth_error(response, connection, config_.password_secret,
                                 config_.api_key_secret);
    }
    if (response.status < 200 || response.status >= 300) {
        return token_request_error(config_.system, connection, response,
                                   "check the token URL and the user's credentials");
    }
    static constexpr std::array<std::string_view, 4> kFields{"AccessToken", "access_token",
                                                             "ExpiresIn", "expires_in"};
    MLC_TRY_CTX(auto fields, find_json_fields(response.body, kFields),
                config_.system + ": reading the token answer for connection '" +
                    std::string(connection) + "'");
    auto token = fields.find("AccessToken");
    if (token == fields.end()) token = fields.find("access_token");
    if (token == fields.end() || token->second.empty()) {
        return make_error(ErrorCode::kInvalidInput, config_.system,
                          "connection '" + std::string(connection) +
                              "': the token answer carries no AccessToken");
    }
    std::optional<std::string> expires_in;
    if (auto it = fields.find("ExpiresIn"); it != fields.end()) {
        expires_in = it->second;
    } else if (auto lower = fields.find("expires_in"); lower != fields.end()) {
        expires_in = lower->second;
    }
    return Token{.value = token->second,
                 .expires_at = expiry_from(now, expires_in, config_.lifetime_fallback),
                 .obtained_at = now};
}

void EpicorToken::apply(const Token& token, net::HttpRequest& request) const {
    net::set_header(request.headers, "Authorization", "Bearer " + token.value);
}

Error EpicorToken::rejected_call_error(const net::HttpResponse& response,
                                       std::string_view connection) const {
    return epicor_auth_error(response, connection, config_.password_secret, config_.api_key_secret);
}

}  // namespace mlc::auth

#include "auth/lwa_refresh_token.hpp"

#include <array>
#include <utility>

namespace mlc::auth {

LwaRefreshToken::LwaRefreshToken(LwaRefreshTokenConfig config, net::HttpTransport& transport,
                                 const Vault& vault)
    : config_(std::move(config)), transport_(transport), vault_(vault) {}

Result<Token> LwaRefreshToken::fetch(std::string_view connection, UtcTime now) {
    MLC_TRY(std::string refresh_token, vault_.get(config_.refresh_token_secret));
    MLC_TRY(std::string client_secret, vault_.get(config_.client_secret_secret));
    const std::array<std::pair<std::string_view, std::string_view>, 4> form{{
        {"grant_type", "refresh_token"},
        {"refresh_token", refresh_token},
        {"client_id", config_.client_id},
        {"client_secret", client_secret},
    }};
    net::HttpRequest request;
    request.method = "POST";
    request.url = config_.token_url;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"},
                       {"Accept", "application/json"}};
    request.body = form_body(form);

    MLC_TRY(net::HttpResponse response, transport_.send(request, config_.transport));
    if (response.status < 200 || response.status >= 300) return refused(connection, response);
    static constexpr std::array<std::string_view, 2> kFields{"access_token", "expires_in"};
    MLC_TRY_CTX(auto fields, find_json_fields(response.body, kFields),
                config_.system + ": reading the LWA answer for connection '" +
                    std::string(connection) + "'");
    const auto token = fields.find("access_token");
    if (token == fields.end() || token->second.empty()) {
        return make_error(
            ErrorCode::kInvalidInput, config_.system,
            "connection '" + std::string(connection) + "': the LWA answer carries no access_token");
    }
    std::optional<std::string> expires_in;
    if (auto it = fields.find("expires_in"); it != fields.end()) expires_in = it->second;
    return Token{.value = token->second,
                 .expires_at = expiry_from(now, expires_in, config_.lifetime_fallback),
                 .obtained_at = now};
}

// LWA names the failure in the OAuth2 `error` field; only that code (never the body) is used.
Error LwaRefreshToken::refused(std::string_view connection,
                               const net::HttpResponse& response) const {
    static constexpr std::array<std::string_view, 1> kFields{"error"};
    std::string code;
    if (auto fields = find_json_fields(response.body, kFields); fields) {
        if (auto it = fields->find("error"); it != fields->end()) code = it->second;
    }
    std::string fix = "check the LWA client id, client secret and refresh token (`mlc secret set " +
                      config_.client_secret_secret + "`, `mlc secret set " +
                      config_.refresh_token_secret + "`)";
    if (code == "invalid_client") {
        fix =
            "LWA rejected the client (invalid_client): the client secret must be rotated every 180 "
            "days; set the new one with `mlc secret set " +
            config_.client_secret_secret + "` (the seller need not authorise again)";
    } else if (code == "invalid_grant") {
        fix =
            "LWA rejected the refresh token (invalid_grant): the seller must authorise the app "
            "again, then `mlc secret set " +
            config_.refresh_token_secret + "`";
    }
    return token_request_error(config_.system, connection, response, fix);
}

void LwaRefreshToken::apply(const Token& token, net::HttpRequest& request) const {
    net::set_header(request.headers, "x-amz-access-token", token.value);
}

}  // namespace mlc::auth

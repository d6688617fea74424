#include "auth/oauth2_client_credentials.hpp"

#include <array>
#include <utility>

namespace mlc::auth {

OAuth2ClientCredentials::OAuth2ClientCredentials(ClientCredentialsConfig config,
                                                 net::HttpTransport& transport, const Vault& vault)
    : config_(std::move(config)), transport_(transport), vault_(vault) {}

Result<Token> OAuth2ClientCredentials::fetch(std::string_view connection, UtcTime now) {
    MLC_TRY(std::string secret, vault_.get(config_.client_secret_secret));
    net::HttpRequest request;
    request.method = "POST";
    request.url = config_.token_url;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"},
                       {"Authorization", basic_authorization(config_.client_id, secret)}};
    if (!config_.merchant_id.empty())
        request.headers.emplace_back("x-merchant-id", config_.merchant_id);
    const std::array<std::pair<std::string_view, std::string_view>, 1> form{
        {{"grant_type", "client_credentials"}}};
    request.body = form_body(form);

    MLC_TRY(net::HttpResponse response, transport_.send(request, config_.transport));
    if (response.status < 200 || response.status >= 300) {
        return token_request_error(config_.system, connection, response,
                                   "check the client id and the client secret (`mlc secret set " +
                                       config_.client_secret_secret +
                                       "`), and that the app is enabled for this account");
    }
    static constexpr std::array<std::string_view, 2> kFields{"access_token", "expires_in"};
    MLC_TRY_CTX(auto fields, find_json_fields(response.body, kFields),
                config_.system + ": reading the token answer for connection '" +
                    std::string(connection) + "'");
    const auto token = fields.find("access_token");
    if (token == fields.end() || token->second.empty()) {
        return make_error(ErrorCode::kInvalidInput, config_.system,
                          "connection '" + std::string(connection) +
                              "': the token answer carries no access_token");
    }
    std::optional<std::string> expires_in;
    if (auto it = fields.find("expires_in"); it != fields.end()) expires_in = it->second;
    return Token{.value = token->second,
                 .expires_at = expiry_from(now, expires_in, config_.lifetime_fallback),
                 .obtained_at = now};
}

void OAuth2ClientCredentials::apply(const Token& token, net::HttpRequest& request) const {
    net::set_header(request.headers, "Authorization", "Bearer " + token.value);
}

}  // namespace mlc::auth

#pragma once
// EpicorToken: bearer tokens from Epicor Kinetic's token resource (epicor-kinetic.md, Auth), in
// either form:
//  * kTokenResource (legacy): POST <instance>/TokenResource.svc/ with the credentials in
//    `username` / `password` headers; the answer carries `AccessToken`.
//  * kTokenService: POST .../Ice.LIB.TokenServiceSvc/GetAccessToken authenticated with Basic, body
//    {"clientId":"","clientSecret":"","scope":""}; the answer nests the token as
//    {"returnObj": {"TokenService": [{"AccessToken", "ExpiresIn", "TokenType"}]}} (nesting not
//    confirmed, so fields are found by name at any shallow depth).
// Epicor implements no refresh tokens: a new token is requested before expiry and on 401. v2 also
// needs `x-api-key` on every request (CredentialHeaders::api_key, sent with the token request too).
//
// Epicor answers 401 for three causes told apart only by ErrorMessage ("Invalid username or
// password.", "Invalid API Key <key>.", "Access denied (...)"); epicor_auth_error() reports them
// distinctly, without copying the message (it contains the key).
//
// Lifecycle: one per connection, owned by its TokenManager. Thread safety: see token_source.hpp.
// The transport and vault are borrowed and must outlive this object.

#include <chrono>
#include <functional>
#include <string>

#include "auth/token_source.hpp"
#include "auth/vault.hpp"
#include "net/http_transport.hpp"

namespace mlc::auth {

enum class EpicorTokenForm { kTokenResource, kTokenService };

struct EpicorTokenConfig {
    std::string system = "epicor";
    EpicorTokenForm form = EpicorTokenForm::kTokenService;
    // The whole URL: "https://host/Instance/TokenResource.svc/" or
    // "https://host/Instance/api/v2/odata/EPIC06/Ice.LIB.TokenServiceSvc/GetAccessToken".
    std::string token_url;
    std::string user;
    std::string password_secret;  // Vault name of the user's password.
    std::string api_key_secret;   // Vault name of the x-api-key value; empty: not sent.
    // Token lifetime is set by the Epicor administrator (1 h usual); used when no ExpiresIn.
    std::chrono::seconds lifetime_fallback{3600};
    net::TransportOptions transport{};
};

enum class EpicorAuthFailure { kApiKey, kPassword, kAccessDenied, kOther };

// Which of Epicor's 401 causes an answer reports (from its ErrorMessage).
EpicorAuthFailure classify_epicor_auth_failure(const net::HttpResponse& response);

// kAuthFailed naming the connection and the secret to fix for each cause.
Error epicor_auth_error(const net::HttpResponse& response, std::string_view connection,
                        std::string_view password_secret, std::string_view api_key_secret);

class EpicorToken final : public TokenSource {
  public:
    EpicorToken(EpicorTokenConfig config, net::HttpTransport& transport, const Vault& vault);
    std::string_view system() const override { return config_.system; }
    Result<Token> fetch(std::string_view connection, UtcTime now) override;
    void apply(const Token& token, net::HttpRequest& request) const override;
    Error rejected_call_error(const net::HttpResponse& response,
                              std::string_view connection) const override;

  private:
    EpicorTokenConfig config_;
    net::HttpTransport& transport_;
    const Vault& vault_;
};

}  // namespace mlc::auth

#pragma once
// OAuth2ClientCredentials: the client-credentials grant as UPS speaks it (ups.md, Token;
// ups/OAuthClientCredentials.yaml): POST the token URL with `Authorization: Basic
// base64(client_id:secret)`, form body `grant_type=client_credentials`, optional `x-merchant-id`
// (6-digit UPS account number). The answer's fields are all strings ("expires_in": "14399"); the
// lifetime has been about four hours and may drop to one, so it always comes from expires_in.
// Calls then send `Authorization: Bearer <access_token>`.
//
// Lifecycle: one per connection, owned by its TokenManager. Thread safety: see token_source.hpp.
// The transport and vault are borrowed and must outlive this object.

#include <chrono>
#include <string>

#include "auth/token_source.hpp"
#include "auth/vault.hpp"
#include "net/http_transport.hpp"

namespace mlc::auth {

struct ClientCredentialsConfig {
    std::string system = "ups";
    std::string token_url;             // "https://wwwcie.ups.com/security/v1/oauth/token"
    std::string client_id;             // Not secret: names the app.
    std::string client_secret_secret;  // Vault name of the client secret.
    std::string merchant_id;           // Sent as x-merchant-id when not empty.
    // Used only when an answer lacks expires_in: short on purpose, so a missing field costs a few
    // extra token requests rather than calls with an expired token.
    std::chrono::seconds lifetime_fallback{3600};
    net::TransportOptions transport{};
};

class OAuth2ClientCredentials final : public TokenSource {
  public:
    OAuth2ClientCredentials(ClientCredentialsConfig config, net::HttpTransport& transport,
                            const Vault& vault);
    std::string_view system() const override { return config_.system; }
    Result<Token> fetch(std::string_view connection, UtcTime now) override;
    void apply(const Token& token, net::HttpRequest& request) const override;

  private:
    ClientCredentialsConfig config_;
    net::HttpTransport& transport_;
    const Vault& vault_;
};

}  // namespace mlc::auth

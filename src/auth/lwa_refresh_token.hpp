#pragma once
// LwaRefreshToken: the OAuth2 refresh-token grant of Login with Amazon (amazon-sp-api.md, Access):
// POST https://api.amazon.com/auth/o2/token with the form grant_type=refresh_token,
// refresh_token, client_id, client_secret; the answer {"access_token", "token_type": "bearer",
// "expires_in": 3600 (a number), "refresh_token"} gives a one-hour access token that SP-API calls
// send in `x-amz-access-token` (no SigV4 since 2023-10-02).
//
// The LWA client secret must be rotated every 180 days or token requests fail with
// `invalid_client`; secrets are read from the vault at each fetch so a rotated secret is used at
// once, and that error names the rotation as the fix.
//
// Lifecycle: one per connection, owned by its TokenManager. Thread safety: see token_source.hpp.
// The transport and vault are borrowed and must outlive this object.

#include <chrono>
#include <string>

#include "auth/token_source.hpp"
#include "auth/vault.hpp"
#include "net/http_transport.hpp"

namespace mlc::auth {

struct LwaRefreshTokenConfig {
    std::string system = "amazon";
    std::string token_url = "https://api.amazon.com/auth/o2/token";
    std::string client_id;                         // amzn1.application-oa2-client...: not secret.
    std::string client_secret_secret;              // Vault name of the LWA client secret.
    std::string refresh_token_secret;              // Vault name of the seller's refresh token.
    std::chrono::seconds lifetime_fallback{3600};  // LWA access tokens live one hour.
    net::TransportOptions transport{};
};

class LwaRefreshToken final : public TokenSource {
  public:
    LwaRefreshToken(LwaRefreshTokenConfig config, net::HttpTransport& transport,
                    const Vault& vault);
    std::string_view system() const override { return config_.system; }
    Result<Token> fetch(std::string_view connection, UtcTime now) override;
    void apply(const Token& token, net::HttpRequest& request) const override;

  private:
    Error refused(std::string_view connection, const net::HttpResponse& response) const;

    LwaRefreshTokenConfig config_;
    net::HttpTransport& transport_;
    const Vault& vault_;
};

}  // namespace mlc::auth

#pragma once
// SessionLogin: a cookie session as Acumatica's contract-based REST API opens it (acumatica.md,
// URLs and sessions): POST <base>/entity/auth/login {"name", "password", "tenant", "branch",
// "locale"} answers 204 with session cookies (ASP.NET_SessionId, .ASPXAUTH, ...) that every later
// call sends; POST <base>/entity/auth/logout answers 204. A session holds a licence seat until it
// times out, so the manager logs out before it logs in again and on release(). A login past the
// licence's API user limit fails with "API Login Limit" (seen as HTTP 500 and as 429): reported as
// kRateLimited with that cause.
//
// The "token" is the Cookie header value; it is cached (sealed) like any other token.
//
// Lifecycle: one per connection, owned by its TokenManager. Thread safety: see token_source.hpp.
// The transport and vault are borrowed and must outlive this object.

#include <chrono>
#include <cstddef>
#include <string>

#include "auth/token_source.hpp"
#include "auth/vault.hpp"
#include "net/http_transport.hpp"

namespace mlc::auth {

constexpr std::size_t kSessionCookiesMax = 32;  // Acumatica sets a handful; more is not a login.

struct SessionLoginConfig {
    std::string system = "acumatica";
    std::string base_url;  // "https://host/site": login is <base_url>/entity/auth/login.
    std::string user;
    std::string password_secret;  // Vault name of the password.
    std::string tenant;           // Empty: not sent (single-tenant sites).
    std::string branch;           // Empty: not sent.
    std::string locale;           // Empty: not sent.
    // Acumatica replaced `company` by `tenant`; older instances want "company".
    std::string tenant_field = "tenant";
    // How long a session is trusted before logging in again; an idle session that timed out
    // sooner answers 401, which re-logs in once.
    std::chrono::seconds session_lifetime{std::chrono::minutes{20}};
    net::TransportOptions transport{};
};

class SessionLogin final : public TokenSource {
  public:
    SessionLogin(SessionLoginConfig config, net::HttpTransport& transport, const Vault& vault);
    std::string_view system() const override { return config_.system; }
    Result<Token> fetch(std::string_view connection, UtcTime now) override;
    void apply(const Token& token, net::HttpRequest& request) const override;
    Result<void> release(std::string_view connection, const Token& token) override;

  private:
    SessionLoginConfig config_;
    net::HttpTransport& transport_;
    const Vault& vault_;
};

// True for a login refused because the licence's API users are all in use ("API Login Limit"):
// a seat frees up when another session logs out or times out, so the caller may wait and retry.
bool is_login_limit(const Error& error);

// "a=1; b=2" from the Set-Cookie headers of an answer (name=value only, attributes dropped), at
// most kSessionCookiesMax cookies; empty when there are none.
std::string cookie_header_from(const net::Headers& headers);

}  // namespace mlc::auth

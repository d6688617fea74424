#pragma once
// FakeAuthServer: the auth endpoints of UPS, Login with Amazon, Epicor and Acumatica plus one
// protected resource, as one HTTP handler. Serve it with the real HttpServer (port 0) or hand it
// to HandlerTransport. Tokens are "tok-1", "tok-2"... in order of issue; sessions "session-N".
//
// Endpoints (vendor facts from the spec sheets ups.md, amazon-sp-api.md, epicor-kinetic.md,
// acumatica.md):
//   POST /security/v1/oauth/token            UPS client credentials (Basic, form), string fields
//   POST /auth/o2/token                       LWA refresh-token grant (form), expires_in a number
//   POST /<any>/TokenResource.svc/            Epicor legacy (username/password headers)
//   POST /<any>/Ice.LIB.TokenServiceSvc/GetAccessToken   Epicor (Basic), nested answer
//   POST /entity/auth/login, /entity/auth/logout          Acumatica session cookies
//   any  /resource                            accepts the credential of `resource_scheme`
//
// Lifecycle: a test object; outlives the server or transport that calls it. Thread safety:
// handle() may run on several threads at once; the controls are safe at any time.

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "net/http_types.hpp"

namespace mlc::auth::testing {

enum class ResourceScheme { kBearer, kAmazon, kEpicor, kCookie };

struct FakeAuthServerConfig {
    std::string client_id = "client-1";
    std::string client_secret = "s3cret-client";
    std::string refresh_token = "Atzr|s3cret-refresh";
    std::string user = "manager";
    std::string password = "s3cret-password";
    std::string api_key = "s3cret-api-key";
    std::string expires_in_seconds = "14399";
    ResourceScheme resource_scheme = ResourceScheme::kBearer;
};

class FakeAuthServer {
  public:
    explicit FakeAuthServer(FakeAuthServerConfig config) : config_(std::move(config)) {}

    net::HttpResponse handle(const net::HttpRequest& request);

    // Controls.
    void revoke_all();  // Every issued token and session now answers 401.
    void set_password(std::string password);
    void set_api_key(std::string api_key);
    void set_expires_in(std::string seconds);
    void hold_token_requests();  // Token requests block until release_token_requests().
    void release_token_requests();

    // Observations.
    int token_requests() const;  // Token endpoint hits and logins, accepted or not.
    int logouts() const;
    int resource_calls() const;
    int open_sessions() const;
    std::string last_merchant_id() const;
    std::string last_token_form_body() const;
    std::string last_login_body() const;

  private:
    net::HttpResponse ups_token(const net::HttpRequest& request);
    net::HttpResponse lwa_token(const net::HttpRequest& request);
    net::HttpResponse epicor_token(const net::HttpRequest& request, bool legacy);
    net::HttpResponse acumatica_login(const net::HttpRequest& request);
    net::HttpResponse acumatica_logout(const net::HttpRequest& request);
    net::HttpResponse resource(const net::HttpRequest& request);
    std::string issue_token();  // Requires mutex_.
    void wait_while_held(std::unique_lock<std::mutex>& lock);

    FakeAuthServerConfig config_;
    mutable std::mutex mutex_;
    std::condition_variable released_;
    bool hold_ = false;
    int issued_ = 0;
    int token_requests_ = 0;
    int logouts_ = 0;
    int resource_calls_ = 0;
    std::set<std::string> valid_tokens_;
    std::set<std::string> sessions_;
    std::string last_merchant_id_;
    std::string last_token_form_body_;
    std::string last_login_body_;
};

}  // namespace mlc::auth::testing

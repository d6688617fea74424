#pragma once
// TokenSource: one authentication scheme that obtains a credential from a vendor (OAuth2 client
// credentials, LWA refresh token, Epicor token resource, Acumatica session login) and applies it
// to requests. TokenManager (token_manager.hpp) owns caching, refresh ahead of expiry, the daily
// budget and the 401 -> refresh once -> retry once rule; a source only speaks its vendor's dialect.
//
// Secrets (passwords, client secrets, refresh tokens, the tokens themselves) are read from the
// Vault when needed and never appear in an error message: errors name the connection, the HTTP
// status, and the secret *name* to fix, never a request or response body.
//
// Lifecycle: built once per connection, owned by its TokenManager. Thread safety: the manager calls
// fetch()/release() from one thread at a time; apply() may run on several threads at once.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/base64.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_types.hpp"

namespace mlc::auth {

// A credential obtained from a vendor: an access token, or for a session login the value of the
// Cookie header that carries the session. Secret: never logged.
struct Token {
    std::string value;
    UtcTime expires_at{};
    UtcTime obtained_at{};
};

class TokenSource {
  public:
    virtual ~TokenSource() = default;
    // Names the system in errors: "ups", "amazon", "epicor", "acumatica".
    virtual std::string_view system() const = 0;
    // Asks the vendor for a new credential. Each call is one token request (the manager counts it
    // against the connection's daily budget before calling).
    virtual Result<Token> fetch(std::string_view connection, UtcTime now) = 0;
    // Adds the credential to a request about to be sent.
    virtual void apply(const Token& token, net::HttpRequest& request) const = 0;
    // Ends the credential at the vendor when that frees something (an Acumatica session holds a
    // licence seat until it times out). Default: nothing to end.
    virtual Result<void> release(std::string_view connection, const Token& token);
    // The error for a call still answered 401 with a fresh credential: kAuthFailed, naming the
    // connection and what to fix.
    virtual Error rejected_call_error(const net::HttpResponse& response,
                                      std::string_view connection) const;
};

// ---- Helpers shared by the sources (token_source.cpp). ----

// Token answers nest a little (Epicor's returnObj.TokenService[0]); fields are looked up by name
// at any depth up to this bound, first match in breadth-first order.
constexpr std::size_t kTokenJsonDepthMax = 4;
// A token answer larger than this is not a token answer (guards the parser).
constexpr std::size_t kTokenBodyBytesMax = 64 * 1024;

// Text of each named field found in a JSON body: strings as they are, numbers as decimal text
// (UPS sends "expires_in": "14399", LWA sends 3600). Absent names are absent from the map.
// kInvalidInput (without the body) when the body is not JSON.
Result<std::map<std::string, std::string>> find_json_fields(
    std::string_view body, std::span<const std::string_view> names);

// Expiry from an `expires_in` text in seconds; `fallback` when it is missing or not a positive
// number (UPS lifetimes vary: always use expires_in, never a constant).
UtcTime expiry_from(UtcTime now, const std::optional<std::string>& expires_in_seconds,
                    std::chrono::seconds fallback);

// Maps a failed token request (status not 2xx) to an Error: 400/401/403 -> kAuthFailed with `fix`,
// 429 -> kRateLimited (with Retry-After when sent), anything else -> kTransient. The body is never
// copied into the message.
Error token_request_error(std::string_view system, std::string_view connection,
                          const net::HttpResponse& response, std::string_view fix);

// "Basic base64(user:password)" (RFC 7617).
std::string basic_authorization(std::string_view user, std::string_view password);
using mlc::base64_encode;  // common/base64.hpp

// application/x-www-form-urlencoded body from name/value pairs (values percent-encoded).
std::string form_body(std::span<const std::pair<std::string_view, std::string_view>> fields);

}  // namespace mlc::auth

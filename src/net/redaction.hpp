#pragma once
// Redaction of secrets before anything reaches a log, an error message or an audit line.
//
// A name is secret when it is one of the well-known credential headers (Authorization,
// Proxy-Authorization, x-api-key, API-Key, Cookie, Set-Cookie) or when it contains, ignoring
// case, "token", "secret", "password", "passwd" or "key" (consumer_key, consumer_secret,
// api_key, access_token, refresh_token, client_secret...). Values of secret names become
// "[REDACTED]" (an Authorization value keeps its scheme: "Basic [REDACTED]"), so a log still
// says which scheme was used. Basic credentials embedded in a URL ("https://user:pw@host") are
// redacted too.
//
// Pure functions, no state: safe from any thread.

#include <string>
#include <string_view>

#include "net/http_types.hpp"

namespace mlc::net {

inline constexpr std::string_view kRedacted = "[REDACTED]";

// True when a header, query parameter or JSON field called `name` holds a secret.
bool is_secret_name(std::string_view name);

Headers redact_headers(const Headers& headers);
// The URL with secret query values and any user:password@ replaced.
std::string redact_url(std::string_view url);
// A body for a log line: JSON bodies get every secret field's value replaced (at any depth);
// form bodies (a=b&c=d) get secret parameters replaced; anything else that cannot be parsed is
// kept only when it mentions no secret name, else replaced whole. Truncated to `max_bytes`.
std::string redact_body(std::string_view body, std::size_t max_bytes);

// "POST https://host/path?api_key=[REDACTED] headers={...} body=..." for a debug log line.
std::string describe_for_log(const HttpRequest& request, std::size_t body_bytes_max);
std::string describe_for_log(const HttpResponse& response, std::size_t body_bytes_max);

}  // namespace mlc::net

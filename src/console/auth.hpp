#pragma once
// Auth: the console's logins and sessions. Users are the store's (console/users.hpp, created by
// `mlc console user add`); a login answers a session cookie, and every console API call but
// POST /api/login needs one (401 otherwise: /healthz, /metrics and /hooks/... are not the
// console's and stay open).
//
//  * Session cookie `mlc_session`: 32 random bytes, HttpOnly, SameSite=Strict, Path=/, Secure when
//    served over TLS (AuthOptions::tls, or a proxy's X-Forwarded-Proto: https). The store keeps
//    its SHA-256 only. A session ends after `idle` without a request of the person (the page's
//    timed refresh, marked X-MLC-Poll: 1, does not count) or `absolute` after login, whichever
//    comes first, and on logout; removing a user or changing a password ends theirs.
//  * CSRF: every write needs the session's own token in the X-MLC-CSRF header (the page reads it
//    from GET /api/session; a page of another site cannot) and, when the browser names an Origin
//    or Sec-Fetch-Site, a same-origin one. POST /api/login checks the Origin too.
//  * Roles: a viewer's write is refused with 403.
//  * Lockout per user name: after `failures_free` failed logins in a row the name is locked for
//    `lockout_first`, doubling with each further failure up to `lockout_max` (429 with
//    Retry-After, the password not even checked); a login that succeeds clears the count. Unknown
//    names count and cost the same Argon2id check as known ones (no hint which names exist).
//  * Audit: every login (outcome ok, denied or locked), logout and expired session is an audit
//    event of flow "console" with source_ref "console:user:<name>" (never the password); writes
//    are audited by the console with audit_event().
//
// Thread safety: every member is safe from several server threads (the store is; the failure
// counts are behind a mutex). Ownership: borrows the clock and the store.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "console/users.hpp"
#include "net/http_types.hpp"
#include "store/state_store.hpp"

namespace mlc::console {

inline constexpr std::string_view kSessionCookie = "mlc_session";
inline constexpr std::string_view kCsrfHeader = "X-MLC-CSRF";
// "1" on the page's timed refresh: checked like any request, but not counted as use (idle expiry).
inline constexpr std::string_view kPollHeader = "X-MLC-Poll";
inline constexpr std::size_t kLockoutNamesMax = 10'000;  // Failure counts kept at most.
// What `mlc console user add` is; said wherever a console without users is met.
inline constexpr std::string_view kNoUserHint =
    "no console user yet: create one on the daemon's host with "
    "`mlc console user add NAME --role admin` (the password is read from a prompt or stdin)";

struct AuthOptions {
    std::chrono::seconds idle = std::chrono::minutes(30);
    std::chrono::seconds absolute = std::chrono::hours(12);
    std::chrono::seconds touch_every = std::chrono::minutes(1);  // last_seen written at most so.
    int failures_free = 5;
    std::chrono::seconds lockout_first = std::chrono::seconds(30);
    std::chrono::seconds lockout_max = std::chrono::minutes(15);
    bool tls = false;                // Served over TLS: the cookie is Secure.
    std::string public_origin = {};  // "https://mlc.example.com" (server.public_url) also same.
    HashCost dummy_cost = interactive_cost();  // Of the hash checked for unknown names.
};

// What a request may do: read, write as any role (logout), or write as an operator or admin.
enum class Need { kRead, kSameSite, kWrite };

struct Caller {
    std::string user = {};
    Role role = Role::kViewer;
    std::string csrf_token = {};
    std::string id_hash = {};
    UtcTime created_at{};
};

// A checked request: the caller, or the answer refusing it (401, 403, 500).
struct Checked {
    std::optional<Caller> caller = {};
    net::HttpResponse refusal = {};
};

class Auth {
  public:
    Auth(Clock& clock, store::StateStore& store, AuthOptions options = {});

    net::HttpResponse login(const net::HttpRequest& request);    // POST /api/login
    net::HttpResponse logout(const net::HttpRequest& request);   // POST /api/logout
    net::HttpResponse session(const net::HttpRequest& request);  // GET /api/session
    Checked check(const net::HttpRequest& request, Need need);

    // An audit event of `user` in the console (writes: replay, acknowledge).
    store::AuditEvent audit_event(const std::string& user, store::AuditAction action,
                                  std::string outcome, std::string target_ref,
                                  std::string detail) const;

  private:
    struct Failures {
        int count = 0;
        UtcTime locked_until{};
        UtcTime last{};
    };
    std::optional<std::chrono::seconds> locked_for(const std::string& name, UtcTime now);
    void count_failure(const std::string& name, UtcTime now);
    bool password_matches(const std::optional<store::ConsoleUser>& user,
                          const std::string& password);
    net::HttpResponse unauthorized(std::string message);
    net::HttpResponse start_session(const net::HttpRequest& request, const store::ConsoleUser& user,
                                    Role role);
    bool same_site(const net::HttpRequest& request) const;
    std::string cookie(std::string_view value, std::chrono::seconds max_age,
                       const net::HttpRequest& request) const;

    Clock& clock_;
    store::StateStore& store_;
    AuthOptions options_;
    std::mutex mutex_;  // Guards failures_ and dummy_hash_.
    std::map<std::string, Failures> failures_;
    std::string dummy_hash_;
};

// The value of cookie `name` in the request's Cookie header, or nullopt.
std::optional<std::string> find_cookie(const net::HttpRequest& request, std::string_view name);

}  // namespace mlc::console

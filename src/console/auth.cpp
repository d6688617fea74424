#include "console/auth.hpp"

#include <sodium.h>

#include <array>
#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::console {

namespace {

namespace json = boost::json;

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kLoginBodyMax = 4096;
constexpr std::size_t kCookieHeaderMax = 8192;

net::HttpResponse answer(int status, json::object body) {
    return net::json_response(status, json::serialize(body));
}

// 32 random bytes, URL-safe base64 without padding (a cookie value and a header value as is).
std::string random_token() {
    std::array<unsigned char, kTokenBytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::array<char,
               sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
        text{};
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return std::string(text.data());
}

std::string sha256_hex(std::string_view text) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data());
}

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string from_address(const net::HttpRequest& request) {
    return request.remote_address.empty() ? "" : " from " + request.remote_address;
}

}  // namespace

std::optional<std::string> find_cookie(const net::HttpRequest& request, std::string_view name) {
    auto header = net::find_header(request.headers, "Cookie");
    if (!header || header->size() > kCookieHeaderMax) return std::nullopt;
    std::string_view rest = *header;
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find(';'), rest.size());
        std::string_view pair = rest.substr(0, end);
        rest.remove_prefix(std::min(end + 1, rest.size()));
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
        std::string_view value = pair.substr(eq + 1);
        while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
        return std::string(value);
    }
    return std::nullopt;
}

Auth::Auth(Clock& clock, store::StateStore& store, AuthOptions options)
    : clock_(clock), store_(store), options_(std::move(options)) {}

store::AuditEvent Auth::audit_event(const std::string& user, store::AuditAction action,
                                    std::string outcome, std::string target_ref,
                                    std::string detail) const {
    return {.flow = "console",
            .direction = "console",
            .source_ref = "console:user:" + user,
            .target_ref = std::move(target_ref),
            .action = action,
            .outcome = std::move(outcome),
            .at = clock_.now(),
            .detail = std::move(detail)};
}

bool Auth::same_site(const net::HttpRequest& request) const {
    if (auto site = net::find_header(request.headers, "Sec-Fetch-Site")) {
        if (*site != "same-origin" && *site != "none") return false;
    }
    auto origin = net::find_header(request.headers, "Origin");
    if (!origin) return true;  // Not a browser's cross-site request: the CSRF token decides.
    if (!options_.public_origin.empty() && iequal(*origin, options_.public_origin)) return true;
    auto host = net::find_header(request.headers, "Host");
    if (!host || host->empty()) return false;
    return iequal(*origin, "http://" + std::string(*host)) ||
           iequal(*origin, "https://" + std::string(*host));
}

std::string Auth::cookie(std::string_view value, std::chrono::seconds max_age,
                         const net::HttpRequest& request) const {
    std::string text =
        std::string(kSessionCookie) + "=" + std::string(value) +
        "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
    auto proto = net::find_header(request.headers, "X-Forwarded-Proto");
    if (options_.tls || (proto && iequal(*proto, "https"))) text += "; Secure";
    return text;
}

net::HttpResponse Auth::unauthorized(std::string message) {
    json::object body{{"error", std::move(message)}};
    auto users = store_.list_console_users();
    if (users && users->empty()) body["setup"] = std::string(kNoUserHint);
    return answer(401, std::move(body));
}

std::optional<std::chrono::seconds> Auth::locked_for(const std::string& name, UtcTime now) {
    std::lock_guard lock(mutex_);
    auto found = failures_.find(name);
    if (found == failures_.end() || found->second.locked_until <= now) return std::nullopt;
    return std::chrono::ceil<std::chrono::seconds>(found->second.locked_until - now);
}

void Auth::count_failure(const std::string& name, UtcTime now) {
    std::lock_guard lock(mutex_);
    if (failures_.size() >= kLockoutNamesMax && !failures_.contains(name)) {
        // Bounded: forget the name that failed longest ago.
        auto oldest = std::min_element(failures_.begin(), failures_.end(), [](auto& a, auto& b) {
            return a.second.last < b.second.last;
        });
        failures_.erase(oldest);
    }
    Failures& f = failures_[name];
    f.count += 1;
    f.last = now;
    if (f.count < options_.failures_free) return;
    const int doublings = std::min(f.count - options_.failures_free, 20);
    const auto lock_for = std::min<std::chrono::seconds>(
        options_.lockout_first * (1LL << doublings), options_.lockout_max);
    f.locked_until = now + lock_for;
}

bool Auth::password_matches(const std::optional<store::ConsoleUser>& user,
                            const std::string& password) {
    if (user) return verify_password(user->password_hash, password);
    std::string dummy;
    {
        std::lock_guard lock(mutex_);
        if (dummy_hash_.empty()) {
            auto made = hash_password("not a password of anyone", options_.dummy_cost);
            if (made) dummy_hash_ = *made;
        }
        dummy = dummy_hash_;
    }
    verify_password(dummy, password);  // The same work as for a known name.
    return false;
}

namespace {

struct LoginForm {
    std::string user = {};
    std::string password = {};
};

// {"user": "...", "password": "..."}; nullopt for anything else.
std::optional<LoginForm> read_login(const std::string& body) {
    if (body.size() > kLoginBodyMax) return std::nullopt;
    boost::system::error_code error;
    const json::value parsed = json::parse(body, error);
    if (error || !parsed.is_object()) return std::nullopt;
    const auto& object = parsed.as_object();
    const auto* user = object.if_contains("user");
    const auto* password = object.if_contains("password");
    if (!user || !password || !user->is_string() || !password->is_string()) return std::nullopt;
    return LoginForm{.user = std::string(user->as_string()),
                     .password = std::string(password->as_string())};
}

}  // namespace

net::HttpResponse Auth::login(const net::HttpRequest& request) {
    if (!same_site(request)) {
        return answer(403, {{"error", "login from another site refused"}});
    }
    auto form = read_login(request.body);
    if (!form) {
        return answer(400, {{"error", "send {\"user\": NAME, \"password\": PASSWORD} as JSON"}});
    }
    const UtcTime now = clock_.now();
    const bool valid_name = static_cast<bool>(check_user_name(form->user));
    const std::string name = valid_name ? form->user : "(invalid name)";
    if (auto locked = locked_for(name, now)) {
        (void)store_.append_audit(audit_event(name, store::AuditAction::kLogin, "locked",
                                              "console:session",
                                              "login refused: locked" + from_address(request)));
        auto refused =
            answer(429, {{"error", "too many failed logins for " + name + "; try again in " +
                                       std::to_string(locked->count()) + " s"}});
        refused.headers.emplace_back("Retry-After", std::to_string(locked->count()));
        return refused;
    }
    std::optional<store::ConsoleUser> user;
    if (valid_name) {
        auto found = store_.get_console_user(form->user);
        if (!found) return answer(500, {{"error", found.error().describe()}});
        user = std::move(*found);
    }
    const auto role = user ? role_from_string(user->role) : std::nullopt;
    if (!password_matches(user, form->password) || !role) {
        count_failure(name, now);
        auto audited = store_.append_audit(
            audit_event(name, store::AuditAction::kLogin, "denied", "console:session",
                        "wrong user name or password" + from_address(request)));
        if (!audited) return answer(500, {{"error", audited.error().describe()}});
        return unauthorized("wrong user name or password");
    }
    {
        std::lock_guard lock(mutex_);
        failures_.erase(name);
    }
    return start_session(request, *user, *role);
}

net::HttpResponse Auth::start_session(const net::HttpRequest& request,
                                      const store::ConsoleUser& user, Role role) {
    const UtcTime now = clock_.now();
    (void)store_.prune_console_sessions(now - options_.absolute, now - options_.idle);
    const std::string value = random_token();
    const store::ConsoleSession session{.id_hash = sha256_hex(value),
                                        .user = user.name,
                                        .csrf_token = random_token(),
                                        .created_at = now,
                                        .last_seen = now};
    if (auto stored = store_.put_console_session(session); !stored) {
        return answer(500, {{"error", stored.error().describe()}});
    }
    auto audited = store_.append_audit(
        audit_event(user.name, store::AuditAction::kLogin, "ok", "console:session",
                    "logged in as " + std::string(to_string(role)) + from_address(request)));
    if (!audited) return answer(500, {{"error", audited.error().describe()}});
    auto response = answer(200, {{"user", user.name},
                                 {"role", std::string(to_string(role))},
                                 {"can_write", can_write(role)},
                                 {"csrf_token", session.csrf_token}});
    response.headers.emplace_back("Set-Cookie", cookie(value, options_.absolute, request));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

net::HttpResponse Auth::logout(const net::HttpRequest& request) {
    auto checked = check(request, Need::kSameSite);
    if (!checked.caller) return checked.refusal;
    (void)store_.remove_console_session(checked.caller->id_hash);
    (void)store_.append_audit(audit_event(checked.caller->user, store::AuditAction::kLogout, "ok",
                                          "console:session", "logged out" + from_address(request)));
    auto response = answer(200, {{"user", checked.caller->user}, {"status", "logged out"}});
    response.headers.emplace_back("Set-Cookie", cookie("", std::chrono::seconds(0), request));
    return response;
}

net::HttpResponse Auth::session(const net::HttpRequest& request) {
    auto checked = check(request, Need::kRead);
    if (!checked.caller) return checked.refusal;
    const Caller& caller = *checked.caller;
    auto response =
        answer(200, {{"user", caller.user},
                     {"role", std::string(to_string(caller.role))},
                     {"can_write", can_write(caller.role)},
                     {"csrf_token", caller.csrf_token},
                     {"expires_at", format_iso8601(caller.created_at + options_.absolute)}});
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

Checked Auth::check(const net::HttpRequest& request, Need need) {
    auto value = find_cookie(request, kSessionCookie);
    if (!value || value->empty()) return {.refusal = unauthorized("log in first")};
    auto found = store_.get_console_session(sha256_hex(*value));
    if (!found) return {.refusal = answer(500, {{"error", found.error().describe()}})};
    if (!*found) return {.refusal = unauthorized("your session ended; log in again")};
    const store::ConsoleSession& session = **found;
    const UtcTime now = clock_.now();
    if (now - session.created_at >= options_.absolute || now - session.last_seen >= options_.idle) {
        (void)store_.remove_console_session(session.id_hash);
        (void)store_.append_audit(audit_event(session.user, store::AuditAction::kLogout, "expired",
                                              "console:session", "session expired"));
        return {.refusal = unauthorized("your session expired; log in again")};
    }
    auto user = store_.get_console_user(session.user);
    if (!user) return {.refusal = answer(500, {{"error", user.error().describe()}})};
    const auto role = *user ? role_from_string((*user)->role) : std::nullopt;
    if (!role) return {.refusal = unauthorized("your session ended; log in again")};
    if (need != Need::kRead) {
        if (!same_site(request)) {
            return {.refusal = answer(403, {{"error", "cross-site request refused"}})};
        }
        auto token = net::find_header(request.headers, kCsrfHeader);
        if (!token || !same_secret(*token, session.csrf_token)) {
            return {.refusal = answer(403, {{"error",
                                             "missing or wrong X-MLC-CSRF token; "
                                             "reload the console page"}})};
        }
        if (need == Need::kWrite && !can_write(*role)) {
            return {.refusal = answer(403, {{"error", session.user + " is a viewer: viewers "
                                                                     "cannot change anything"}})};
        }
    }
    // The page's own timed refresh (kPollHeader) is no sign of a person: it keeps the idle clock.
    auto poll = net::find_header(request.headers, kPollHeader);
    if (now - session.last_seen >= options_.touch_every && !(poll && *poll == "1")) {
        store::ConsoleSession touched = session;
        touched.last_seen = now;
        (void)store_.put_console_session(touched);
    }
    return {.caller = Caller{.user = session.user,
                             .role = *role,
                             .csrf_token = session.csrf_token,
                             .id_hash = session.id_hash,
                             .created_at = session.created_at}};
}

}  // namespace mlc::console

// Logins and sessions as a browser meets them: the real SQLite store (":memory:"), a test clock
// that the tests move (idle and absolute expiry, lockout backoff), requests as the page sends them.
#include "console/auth.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::console {
namespace {

namespace json = boost::json;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kPassword = "correct horse battery";

class AuthTest : public ::testing::Test {
  protected:
    void add_user(const std::string& name, const std::string& role) {
        ASSERT_TRUE(store_->put_console_user({.name = name,
                                              .role = role,
                                              .password_hash = *hash_password(kPassword, cost_),
                                              .created_at = clock_.now()}));
    }

    net::HttpRequest request(const std::string& method, const std::string& url) const {
        net::HttpRequest r;
        r.method = method;
        r.url = url;
        r.remote_address = "127.0.0.1";
        r.headers.emplace_back("Host", "127.0.0.1:8787");
        if (method == "POST") r.headers.emplace_back("Origin", "http://127.0.0.1:8787");
        return r;
    }

    net::HttpResponse login(const std::string& name, const std::string& password) {
        auto r = request("POST", "/api/login");
        r.body = json::serialize(json::object{{"user", name}, {"password", password}});
        auto answer = auth_.login(r);
        if (answer.status == 200) {
            const std::string set(*net::find_header(answer.headers, "Set-Cookie"));
            cookie_ = set.substr(0, set.find(';'));
            csrf_ = std::string(json::parse(answer.body).at("csrf_token").as_string());
        }
        return answer;
    }

    // A request of the logged-in browser: its cookie, and on writes its CSRF token.
    Checked as_browser(Need need, bool with_token = true) {
        auto r = request(need == Need::kRead ? "GET" : "POST", "/api/overview");
        r.headers.emplace_back("Cookie", "theme=dark; " + cookie_ + "; other=1");
        if (need != Need::kRead && with_token) r.headers.emplace_back("X-MLC-CSRF", csrf_);
        return auth_.check(r, need);
    }

    std::vector<store::AuditEvent> console_events() {
        store::AuditQuery query;
        query.flow = "console";
        return store_->query_audit(query).value();
    }

    HashCost cost_ = fastest_cost();
    ManualClock clock_;
    std::unique_ptr<store::StateStore> store_ =
        std::move(*store::SqliteStateStore::open(":memory:"));
    Auth auth_{clock_, *store_, {.dummy_cost = fastest_cost()}};
    std::string cookie_;
    std::string csrf_;
};

TEST(Passwords, AHashVerifiesItsPasswordOnlyAndHidesIt) {
    const auto hash = hash_password(kPassword, fastest_cost());
    ASSERT_TRUE(hash) << hash.error().describe();
    EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
    EXPECT_EQ(hash->find(kPassword), std::string::npos);
    EXPECT_TRUE(verify_password(*hash, kPassword));
    EXPECT_FALSE(verify_password(*hash, "correct horse batterY"));
    EXPECT_FALSE(verify_password("not a hash", kPassword));
    EXPECT_NE(*hash, *hash_password(kPassword, fastest_cost()));  // A salt of its own each time.
    EXPECT_EQ(hash_password("short", fastest_cost()).error().code, ErrorCode::kInvalidInput);
    EXPECT_FALSE(check_user_name("ann smith"));
    EXPECT_TRUE(check_user_name("ann.smith@example"));
    EXPECT_EQ(role_from_string("operator"), Role::kOperator);
    EXPECT_FALSE(role_from_string("root"));
}

TEST_F(AuthTest, LoggedOutEveryCheckIs401AndSaysHowToCreateTheFirstUser) {
    auto refused = auth_.session(request("GET", "/api/session"));
    EXPECT_EQ(refused.status, 401);
    EXPECT_NE(refused.body.find("mlc console user add"), std::string::npos);
    add_user("ann", "admin");
    refused = auth_.session(request("GET", "/api/session"));
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.body.find("mlc console user add"), std::string::npos);
    EXPECT_FALSE(as_browser(Need::kRead).caller);
}

TEST_F(AuthTest, LoginSetsAnHttpOnlyStrictCookieAndAWrongPasswordIsRefused) {
    add_user("ann", "operator");
    EXPECT_EQ(login("ann", "wrong password!").status, 401);
    EXPECT_EQ(login("nobody", kPassword).status, 401);  // The same answer: no hint.
    const auto answer = login("ann", kPassword);
    ASSERT_EQ(answer.status, 200) << answer.body;
    const std::string set(*net::find_header(answer.headers, "Set-Cookie"));
    EXPECT_NE(set.find("mlc_session="), std::string::npos);
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
    EXPECT_EQ(set.find("Secure"), std::string::npos);  // Plain HTTP on loopback.
    const auto caller = as_browser(Need::kRead).caller;
    ASSERT_TRUE(caller);
    EXPECT_EQ(caller->user, "ann");
    EXPECT_EQ(caller->role, Role::kOperator);
    EXPECT_TRUE(as_browser(Need::kWrite).caller);

    // Behind a TLS proxy, or served over TLS, the cookie is Secure.
    auto r = request("POST", "/api/login");
    r.headers.emplace_back("X-Forwarded-Proto", "https");
    r.body = json::serialize(json::object{{"user", "ann"}, {"password", kPassword}});
    EXPECT_NE(std::string(*net::find_header(auth_.login(r).headers, "Set-Cookie")).find("Secure"),
              std::string::npos);
}

TEST_F(AuthTest, ASessionEndsAfterItsIdleTimeWithoutRequests) {
    add_user("ann", "viewer");
    ASSERT_EQ(login("ann", kPassword).status, 200);
    clock_.advance(minutes(29));
    EXPECT_TRUE(as_browser(Need::kRead).caller);  // Used: the idle time starts again.
    clock_.advance(minutes(29));
    EXPECT_TRUE(as_browser(Need::kRead).caller);
    clock_.advance(minutes(30));
    const auto expired = as_browser(Need::kRead);
    EXPECT_FALSE(expired.caller);
    EXPECT_EQ(expired.refusal.status, 401);
    EXPECT_NE(expired.refusal.body.find("expired"), std::string::npos);
    EXPECT_EQ(console_events().front().action, store::AuditAction::kLogout);
    EXPECT_EQ(console_events().front().outcome, "expired");
}

TEST_F(AuthTest, ThePagesTimedRefreshDoesNotKeepAnUnattendedSessionAlive) {
    add_user("ann", "viewer");
    ASSERT_EQ(login("ann", kPassword).status, 200);
    auto poll = request("GET", "/api/overview");
    poll.headers.emplace_back("Cookie", cookie_);
    poll.headers.emplace_back("X-MLC-Poll", "1");
    for (int i = 0; i < 5; ++i) {  // 25 minutes of refreshes by the page alone.
        clock_.advance(minutes(5));
        ASSERT_TRUE(auth_.check(poll, Need::kRead).caller);
    }
    clock_.advance(minutes(5));  // 30 minutes since the person's last request.
    EXPECT_EQ(auth_.check(poll, Need::kRead).refusal.status, 401);
}

TEST_F(AuthTest, ASessionEndsAtItsAbsoluteExpiryEvenWhileUsed) {
    add_user("ann", "viewer");
    ASSERT_EQ(login("ann", kPassword).status, 200);
    for (int i = 0; i < 35; ++i) {  // 11 h 40 min of a request every 20 minutes.
        clock_.advance(minutes(20));
        ASSERT_TRUE(as_browser(Need::kRead).caller) << "after " << (i + 1) * 20 << " min";
    }
    clock_.advance(minutes(20));  // 12 h after the login.
    EXPECT_EQ(as_browser(Need::kRead).refusal.status, 401);
}

TEST_F(AuthTest, RepeatedFailuresLockTheNameWithADoublingBackoff) {
    add_user("ann", "operator");
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(login("ann", "guess number " + std::to_string(i)).status, 401);
    // Locked for 30 s: even the right password is refused without being checked.
    auto locked = login("ann", kPassword);
    EXPECT_EQ(locked.status, 429);
    EXPECT_EQ(net::find_header(locked.headers, "Retry-After"),
              std::optional<std::string_view>("30"));
    clock_.advance(seconds(30));
    EXPECT_EQ(login("ann", "guess number 6").status, 401);  // The 6th failure: 60 s.
    clock_.advance(seconds(59));
    EXPECT_EQ(login("ann", kPassword).status, 429);
    clock_.advance(seconds(1));
    EXPECT_EQ(login("ann", kPassword).status, 200);
    // A success clears the count: one more failure does not lock.
    EXPECT_EQ(login("ann", "one more guess").status, 401);
    EXPECT_EQ(login("ann", kPassword).status, 200);
    // Another name is not locked by ann's failures.
    add_user("bob", "viewer");
    EXPECT_EQ(login("bob", kPassword).status, 200);
}

TEST_F(AuthTest, WritesNeedTheTokenASameOriginAndAWritingRole) {
    add_user("vera", "viewer");
    ASSERT_EQ(login("vera", kPassword).status, 200);
    EXPECT_TRUE(as_browser(Need::kSameSite).caller);  // A viewer may log out.
    const auto viewer = as_browser(Need::kWrite);
    EXPECT_EQ(viewer.refusal.status, 403);
    EXPECT_NE(viewer.refusal.body.find("viewer"), std::string::npos);

    add_user("olga", "operator");
    ASSERT_EQ(login("olga", kPassword).status, 200);
    EXPECT_TRUE(as_browser(Need::kWrite).caller);
    EXPECT_EQ(as_browser(Need::kWrite, /*with_token=*/false).refusal.status, 403);

    // A forged request from another site carries the cookie (were it not SameSite) but not the
    // token, and names its own Origin: refused either way.
    auto forged = request("POST", "/api/deadletters/1/replay");
    forged.headers = {{"Host", "127.0.0.1:8787"},
                      {"Origin", "https://evil.example"},
                      {"Cookie", cookie_},
                      {"X-MLC-CSRF", csrf_}};
    EXPECT_EQ(auth_.check(forged, Need::kWrite).refusal.status, 403);
    forged.headers = {{"Host", "127.0.0.1:8787"},
                      {"Sec-Fetch-Site", "cross-site"},
                      {"Cookie", cookie_},
                      {"X-MLC-CSRF", csrf_}};
    EXPECT_EQ(auth_.check(forged, Need::kWrite).refusal.status, 403);
    auto cross_login = request("POST", "/api/login");
    cross_login.headers = {{"Host", "127.0.0.1:8787"}, {"Origin", "https://evil.example"}};
    cross_login.body = json::serialize(json::object{{"user", "olga"}, {"password", kPassword}});
    EXPECT_EQ(auth_.login(cross_login).status, 403);
}

TEST_F(AuthTest, LogoutEndsTheSessionAndRemovingAUserEndsTheirs) {
    add_user("ann", "admin");
    ASSERT_EQ(login("ann", kPassword).status, 200);
    auto out = request("POST", "/api/logout");
    out.headers.emplace_back("Cookie", cookie_);
    EXPECT_EQ(auth_.logout(out).status, 403);  // No CSRF token: not even a logout.
    out.headers.emplace_back("X-MLC-CSRF", csrf_);
    const auto done = auth_.logout(out);
    EXPECT_EQ(done.status, 200);
    EXPECT_NE(std::string(*net::find_header(done.headers, "Set-Cookie")).find("Max-Age=0"),
              std::string::npos);
    EXPECT_EQ(as_browser(Need::kRead).refusal.status, 401);

    ASSERT_EQ(login("ann", kPassword).status, 200);
    ASSERT_TRUE(store_->remove_console_user("ann"));
    EXPECT_EQ(as_browser(Need::kRead).refusal.status, 401);
}

TEST_F(AuthTest, LoginsFailuresAndLogoutsAreAuditedWithTheNameNeverThePassword) {
    add_user("ann", "operator");
    ASSERT_EQ(login("ann", "wrong password!").status, 401);
    ASSERT_EQ(login("ann", kPassword).status, 200);
    auto out = request("POST", "/api/logout");
    out.headers = {{"Host", "127.0.0.1:8787"}, {"Cookie", cookie_}, {"X-MLC-CSRF", csrf_}};
    ASSERT_EQ(auth_.logout(out).status, 200);
    const auto events = console_events();  // Newest first.
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[2].action, store::AuditAction::kLogin);
    EXPECT_EQ(events[2].outcome, "denied");
    EXPECT_EQ(events[1].action, store::AuditAction::kLogin);
    EXPECT_EQ(events[1].outcome, "ok");
    EXPECT_EQ(events[0].action, store::AuditAction::kLogout);
    for (const auto& e : events) {
        EXPECT_EQ(e.source_ref, "console:user:ann");
        EXPECT_EQ(e.detail.find("wrong password!"), std::string::npos);
        EXPECT_EQ(e.detail.find(kPassword), std::string::npos);
    }
}

TEST(Cookies, TheSessionCookieIsFoundAmongOthersAndOnlyByItsName) {
    net::HttpRequest r;
    r.headers = {{"Cookie", "a=1;mlc_session=abc ; mlc_session_x=no"}};
    EXPECT_EQ(find_cookie(r, "mlc_session"), std::optional<std::string>("abc"));
    r.headers = {{"Cookie", "xmlc_session=no; =; ;;"}};
    EXPECT_FALSE(find_cookie(r, "mlc_session"));
    r.headers = {};
    EXPECT_FALSE(find_cookie(r, "mlc_session"));
}

}  // namespace
}  // namespace mlc::console

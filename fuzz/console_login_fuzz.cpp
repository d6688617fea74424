// The console's login and session checks as a browser (or anyone on the network) reaches them
// (console/auth.hpp): the Cookie header (find_cookie) and the POST /api/login JSON body, then a
// write checked with that cookie, on an in-memory SQLite store with one user.
//
// Input: the Cookie header's value, a newline, the login body.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "console/auth.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace {

struct World {
    mlc::ManualClock clock;
    std::unique_ptr<mlc::store::SqliteStateStore> store =
        std::move(*mlc::store::SqliteStateStore::open(":memory:"));
    mlc::console::Auth auth{clock, *store, {.dummy_cost = mlc::console::fastest_cost()}};
    World() {
        (void)store->put_console_user({.name = "ann",
                                       .role = "operator",
                                       .password_hash = *mlc::console::hash_password(
                                           "correct horse battery", mlc::console::fastest_cost()),
                                       .created_at = clock.now()});
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static World world;  // One store: lockout counts and sessions accumulate like a live daemon's.
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = text.find('\n');
    const std::string cookie(text.substr(0, newline));
    const std::string body(newline == std::string_view::npos ? "" : text.substr(newline + 1));

    mlc::net::HttpRequest login;
    login.method = "POST";
    login.url = "/api/login";
    login.headers = {{"Host", "127.0.0.1:8787"}, {"Origin", cookie}, {"Cookie", cookie}};
    login.body = body;
    (void)world.auth.login(login);

    mlc::net::HttpRequest write = login;
    write.headers.emplace_back("X-MLC-CSRF", body);
    (void)mlc::console::find_cookie(write, mlc::console::kSessionCookie);
    (void)world.auth.check(write, mlc::console::Need::kWrite);
    (void)world.auth.session(write);
    return 0;
}

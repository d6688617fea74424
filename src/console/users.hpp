#pragma once
// Console users: roles, names and password hashes. Passwords are hashed with libsodium's
// crypto_pwhash_str (Argon2id, a random salt, the cost parameters inside the string), so the store
// keeps a string that verifies a password and reveals none.
//
//   viewer    sees everything, changes nothing
//   operator  also replays dead letters and acknowledges alerts
//   admin     everything an operator may (and, later, users from the console)
//
// Thread safety: free functions over their arguments; libsodium is initialised once, thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace mlc::console {

enum class Role { kViewer, kOperator, kAdmin };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);
bool can_write(Role role);  // operator and admin

inline constexpr std::size_t kUserNameMax = 64;
inline constexpr std::size_t kPasswordMin = 10;    // Characters (bytes) a new password needs.
inline constexpr std::size_t kPasswordMax = 1024;  // Bound on outside input.

// kInvalidInput naming the rule unless `name` is 1..64 of [A-Za-z0-9._@-].
Result<void> check_user_name(std::string_view name);

// Argon2id cost. kInteractive is libsodium's choice for online logins; tests use kFastest (the
// cost is stored in the hash, so verifying needs no parameters).
struct HashCost {
    unsigned long long ops = 0;
    std::size_t memory = 0;
};
HashCost interactive_cost();
HashCost fastest_cost();

// kInvalidInput for a password shorter than kPasswordMin or longer than kPasswordMax; kInternal
// when libsodium cannot allocate the memory.
Result<std::string> hash_password(std::string_view password, HashCost cost);
// True when `password` matches `hash`; false for a wrong password or a malformed hash.
bool verify_password(std::string_view hash, std::string_view password);

}  // namespace mlc::console

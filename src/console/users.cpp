#include "console/users.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace mlc::console {

namespace {

bool sodium_ready() {
    static const bool ready = sodium_init() >= 0;  // Idempotent and thread-safe in libsodium.
    return ready;
}

}  // namespace

std::string_view to_string(Role role) {
    switch (role) {
        case Role::kViewer:
            return "viewer";
        case Role::kOperator:
            return "operator";
        case Role::kAdmin:
            return "admin";
    }
    return "viewer";
}

std::optional<Role> role_from_string(std::string_view text) {
    for (auto role : {Role::kViewer, Role::kOperator, Role::kAdmin}) {
        if (to_string(role) == text) return role;
    }
    return std::nullopt;
}

bool can_write(Role role) { return role == Role::kOperator || role == Role::kAdmin; }

Result<void> check_user_name(std::string_view name) {
    const bool valid_chars = std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '@' || c == '-';
    });
    if (name.empty() || name.size() > kUserNameMax || !valid_chars) {
        return make_error(ErrorCode::kInvalidInput, "console",
                          "user name must be 1 to 64 of letters, digits and . _ @ -");
    }
    return ok();
}

HashCost interactive_cost() {
    return {.ops = crypto_pwhash_OPSLIMIT_INTERACTIVE,
            .memory = crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

HashCost fastest_cost() {
    return {.ops = crypto_pwhash_OPSLIMIT_MIN, .memory = crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> hash_password(std::string_view password, HashCost cost) {
    if (password.size() < kPasswordMin || password.size() > kPasswordMax) {
        return make_error(ErrorCode::kInvalidInput, "console",
                          "a password needs " + std::to_string(kPasswordMin) + " to " +
                              std::to_string(kPasswordMax) + " characters");
    }
    if (!sodium_ready()) return make_error(ErrorCode::kInternal, "console", "libsodium failed");
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str(out.data(), password.data(), password.size(), cost.ops, cost.memory) !=
        0) {
        return make_error(ErrorCode::kInternal, "console",
                          "hashing the password ran out of memory (Argon2id needs " +
                              std::to_string(cost.memory / (1024 * 1024)) + " MiB)");
    }
    return std::string(out.data());
}

bool verify_password(std::string_view hash, std::string_view password) {
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || password.size() > kPasswordMax) {
        return false;
    }
    if (!sodium_ready()) return false;
    const std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string.
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace mlc::console

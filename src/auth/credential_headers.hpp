#pragma once
// CredentialHeaders: static credentials sent on every request, alone or next to a token: HTTP Basic
// (user:password) and API-key headers. Epicor v2 needs `x-api-key` on every request plus Basic or
// Bearer (epicor-kinetic.md, Auth); ShipStation V1 is Basic, V2 an API-Key header.
//
// Secret values are read from the Vault at each apply() so that a secret an operator rotated takes
// effect at once; only secret *names* are held here.
//
// Lifecycle: a value type, built from config. Thread safety: const after building; apply() may run
// on several threads at once (the Vault is thread-safe).

#include <optional>
#include <string>
#include <vector>

#include "auth/vault.hpp"
#include "common/result.hpp"
#include "net/http_types.hpp"

namespace mlc::auth {

class CredentialHeaders {
  public:
    // Authorization: Basic base64(user:password); the password is the vault secret named so.
    CredentialHeaders& basic(std::string user, std::string password_secret);
    // `header`: <value of the vault secret named key_secret>, e.g. "x-api-key".
    CredentialHeaders& api_key(std::string header, std::string key_secret);

    bool empty() const { return !basic_ && api_keys_.empty(); }
    bool has_basic() const { return basic_.has_value(); }
    // Secret names, so that errors can say which one to fix.
    const std::string& basic_password_secret() const;
    const std::string& api_key_secret() const;  // The first API key's secret name, or empty.

    // kNotFound/kConfig from the vault (naming the secret) when a secret is missing.
    Result<void> apply(const Vault& vault, net::HttpRequest& request) const;

  private:
    struct Basic {
        std::string user;
        std::string password_secret;
    };
    struct ApiKey {
        std::string header;
        std::string key_secret;
    };
    std::optional<Basic> basic_;
    std::vector<ApiKey> api_keys_;
};

}  // namespace mlc::auth

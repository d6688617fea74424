#pragma once
// Vault: secrets (API keys, passwords, client secrets, webhook secrets) encrypted at rest with
// libsodium XChaCha20-Poly1305 under a 32-byte master key. The master key arrives from the caller
// (cli/ reads MLC_MASTER_KEY or the key file `mlc init` created with mode 0600); nothing here
// reads the environment. Secret values are never logged or printed; errors name the secret, never
// its value.
//
// seal()/open() encrypt arbitrary blobs under the same key (the token cache stores only sealed
// tokens in the state store).
//
// Thread safety: implementations are safe to call from several threads.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace mlc::auth {

class Vault {
  public:
    virtual ~Vault() = default;
    virtual Result<void> put(std::string_view name, std::string_view value) = 0;
    // kNotFound names the secret and the fix ("mlc secret set NAME").
    virtual Result<std::string> get(std::string_view name) const = 0;
    virtual Result<std::vector<std::string>> list() const = 0;  // names only
    virtual Result<void> remove(std::string_view name) = 0;
    // A token that changes whenever the stored secrets may have changed (a `mlc secret set` in
    // another process included), so a cache (net/webhook_secret_cache.hpp) knows when to drop
    // what it holds; cheap enough to ask per request. nullopt: this vault cannot tell (cache
    // nothing).
    virtual std::optional<std::string> revision() const { return std::nullopt; }

    // When a secret stops working, as its vendor said (an API key issued for a year, a
    // certificate): `mlc secret set NAME --expires DATE`; the daemon raises an alert ahead of it
    // (engine/alert_rules.hpp). put() forgets a secret's expiry (a new value, a new date), so set
    // it after put(); nullopt clears it. Unknown name -> kNotFound. A vault that keeps none
    // answers kInternal.
    virtual Result<void> set_expiry(std::string_view name, std::optional<UtcTime> expires) {
        (void)name;
        (void)expires;
        return make_error(ErrorCode::kInternal, "vault", "this vault keeps no expiry dates");
    }
    // Secret name -> expiry, for the secrets that have one.
    virtual Result<std::map<std::string, UtcTime>> expiries() const {
        return std::map<std::string, UtcTime>{};
    }

    virtual Result<std::string> seal(std::string_view plaintext) const = 0;
    virtual Result<std::string> open(std::string_view sealed) const = 0;  // wrong key -> kConfig
};

}  // namespace mlc::auth

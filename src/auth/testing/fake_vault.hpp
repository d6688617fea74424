#pragma once
// FakeVault: an in-memory Vault for tests (the libsodium vault is engineer "core"'s). seal() is a
// reversible XOR-and-hex scramble with a tag, NOT encryption: enough to prove the token cache never
// stores plaintext and that open() of foreign data fails with kConfig.
//
// Lifecycle: a test object. Thread safety: all members are safe to call from several threads.

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/vault.hpp"

namespace mlc::auth::testing {

class FakeVault final : public Vault {
  public:
    explicit FakeVault(unsigned char key = 0x5a) : key_(key) {}

    Result<void> put(std::string_view name, std::string_view value) override {
        std::lock_guard lock(mutex_);
        secrets_[std::string(name)] = std::string(value);
        expiries_.erase(std::string(name));
        return ok();
    }
    Result<void> set_expiry(std::string_view name, std::optional<UtcTime> expires) override {
        std::lock_guard lock(mutex_);
        if (!secrets_.contains(std::string(name))) {
            return make_error(ErrorCode::kNotFound, "vault",
                              "secret '" + std::string(name) + "' is not set");
        }
        if (expires) {
            expiries_[std::string(name)] = *expires;
        } else {
            expiries_.erase(std::string(name));
        }
        return ok();
    }
    Result<std::map<std::string, UtcTime>> expiries() const override {
        std::lock_guard lock(mutex_);
        return expiries_;
    }
    Result<std::string> get(std::string_view name) const override {
        std::lock_guard lock(mutex_);
        auto it = secrets_.find(std::string(name));
        if (it == secrets_.end()) {
            return make_error(ErrorCode::kNotFound, "vault",
                              "secret '" + std::string(name) +
                                  "' is not set: run `mlc secret set " + std::string(name) + "`");
        }
        return it->second;
    }
    Result<std::vector<std::string>> list() const override {
        std::lock_guard lock(mutex_);
        std::vector<std::string> names;
        for (const auto& entry : secrets_) names.push_back(entry.first);
        return names;
    }
    Result<void> remove(std::string_view name) override {
        std::lock_guard lock(mutex_);
        secrets_.erase(std::string(name));
        expiries_.erase(std::string(name));
        return ok();
    }
    Result<std::string> seal(std::string_view plaintext) const override {
        static constexpr char kHex[] = "0123456789abcdef";
        std::string out = tag();
        for (const char c : plaintext) {
            const auto byte = static_cast<unsigned char>(static_cast<unsigned char>(c) ^ key_);
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        }
        return out;
    }
    Result<std::string> open(std::string_view sealed) const override {
        if (!sealed.starts_with(tag()) || (sealed.size() - tag().size()) % 2 != 0) {
            return make_error(ErrorCode::kConfig, "vault",
                              "sealed data was not sealed under this master key");
        }
        std::string out;
        for (std::size_t i = tag().size(); i + 1 < sealed.size(); i += 2) {
            const int byte = std::stoi(std::string(sealed.substr(i, 2)), nullptr, 16);
            out += static_cast<char>(static_cast<unsigned char>(byte) ^ key_);
        }
        return out;
    }

  private:
    std::string tag() const { return "fake-sealed-" + std::to_string(key_) + ":"; }

    unsigned char key_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> secrets_;
    std::map<std::string, UtcTime> expiries_;
};

}  // namespace mlc::auth::testing

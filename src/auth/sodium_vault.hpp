#pragma once
// SodiumVault: the Vault kept in one file. The file is JSON, one entry per secret:
//   {"ss_key": "<base64(nonce || XChaCha20-Poly1305 ciphertext)>", ...,
//    "@expires": {"ss_key": "2027-03-31T00:00:00Z"}}   (only when a secret has an expiry)
// Each secret is encrypted under the 32-byte master key with a fresh random 24-byte nonce and its
// name bound as associated data, so a ciphertext copied under another name does not open. Names
// are visible (list() needs no key); values never are. The file is replaced atomically (write a
// temporary file with mode 0600, fsync, rename) so a crash leaves the old or the new vault.
//
// Lifecycle: construct with the file path and master key; the file is created on the first put().
// Each call reads the file afresh, so a secret set by `mlc secret set` in another process is seen
// by a running daemon. Thread safety: all methods are safe from several threads (one mutex per
// vault); two processes writing at the same instant may lose one write (last rename wins).
// Ownership: owns a copy of the master key, wiped on destruction.

#include <array>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/vault.hpp"
#include "common/result.hpp"

namespace mlc::auth {

using MasterKey = std::array<std::uint8_t, 32>;

class SodiumVault final : public Vault {
  public:
    SodiumVault(std::filesystem::path path, const MasterKey& key);
    ~SodiumVault() override;
    SodiumVault(const SodiumVault&) = delete;
    SodiumVault& operator=(const SodiumVault&) = delete;

    // Checks at start-up that the key opens every secret already in the file (wrong key ->
    // kConfig naming the file and the fix). A missing file is an empty vault.
    Result<void> verify() const;

    // Names: 1-128 characters of [A-Za-z0-9_.-]; anything else is kInvalidInput.
    Result<void> put(std::string_view name, std::string_view value) override;
    Result<std::string> get(std::string_view name) const override;
    Result<std::vector<std::string>> list() const override;
    Result<void> remove(std::string_view name) override;
    // Kept in the same file, in plain text (a date is no secret), under the member "@expires".
    Result<void> set_expiry(std::string_view name, std::optional<UtcTime> expires) override;
    Result<std::map<std::string, UtcTime>> expiries() const override;
    // The file's identity and age: device, inode, size, mtime and ctime (ns), "absent" while
    // there is no file. Every put()/remove() replaces the file by rename, so each changes it.
    std::optional<std::string> revision() const override;

    Result<std::string> seal(std::string_view plaintext) const override;
    Result<std::string> open(std::string_view sealed) const override;

    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    MasterKey key_;
    mutable std::mutex mutex_;
};

// Creates a new key file (mode 0600) holding a fresh random key in base64 and returns that text
// (the caller may hand it to SodiumVault via parse_master_key; never log it). Refuses to replace
// an existing file (kConfig), since that would lock the vault it opened.
Result<std::string> generate_master_key_file(const std::filesystem::path& path);
Result<MasterKey> read_master_key_file(const std::filesystem::path& path);
// Base64 of exactly 32 bytes, surrounding whitespace ignored; anything else is kConfig with a
// hint. Error messages never contain the text.
Result<MasterKey> parse_master_key(std::string_view text);

// `bytes` fresh random bytes (libsodium) as lowercase hex: URL-safe, for webhook secrets and
// tokens. Never log the result.
std::string random_hex(std::size_t bytes);

}  // namespace mlc::auth

#include "auth/sodium_vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "common/assert.hpp"
#include "common/time.hpp"

namespace mlc::auth {
namespace {

namespace json = boost::json;
using Entries = std::map<std::string, std::string, std::less<>>;  // name -> base64 blob
// name -> expiry as ISO 8601 UTC; kept in the file under kExpiresMember, a name no secret can
// have (check_name), so a secret can never collide with it.
using Expiries = std::map<std::string, std::string, std::less<>>;
constexpr std::string_view kExpiresMember = "@expires";

constexpr std::string_view kSystem = "vault";
constexpr std::size_t kVaultFileBytesMax = 16 * 1024 * 1024;  // Far above any real vault.
constexpr std::size_t kSecretsMax = 10'000;                   // Bound on entries read.
constexpr std::size_t kSecretNameLengthMax = 128;
constexpr std::size_t kSecretValueBytesMax = 1024 * 1024;  // A PEM chain fits; a file does not.
constexpr std::size_t kKeyFileBytesMax = 4096;
constexpr std::size_t kReadChunkBytes = 8192;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == std::tuple_size_v<MasterKey>);
// Associated data: a secret is bound to its name; seal() blobs to their own domain, so a sealed
// token cannot be passed off as a named secret or the other way round.
constexpr std::string_view kSecretDomain = "mlc.secret:";
constexpr std::string_view kSealDomain = "mlc.sealed";

void init_sodium() {
    // sodium_init is idempotent and thread-safe; -1 means no usable randomness source.
    MLC_ASSERT(sodium_init() >= 0, "libsodium failed to initialise");
}

std::string to_base64(const std::vector<unsigned char>& bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

bool from_base64(std::string_view text, std::vector<unsigned char>& out) {
    out.assign(text.size() * 3 / 4 + 3, 0);
    std::size_t length = 0;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        return false;
    }
    out.resize(length);
    return true;
}

std::string encrypt(const MasterKey& key, std::string_view plaintext, std::string_view ad) {
    std::vector<unsigned char> blob(kNonceBytes + plaintext.size() + kTagBytes);
    randombytes_buf(blob.data(), kNonceBytes);
    unsigned long long cipher_length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        blob.data() + kNonceBytes, &cipher_length,
        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
        reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, blob.data(),
        key.data());
    blob.resize(kNonceBytes + cipher_length);
    return to_base64(blob);
}

// False when the blob is malformed, the key is wrong or the data was altered (AEAD cannot tell
// these apart).
bool decrypt(const MasterKey& key, std::string_view blob64, std::string_view ad, std::string& out) {
    std::vector<unsigned char> blob;
    if (!from_base64(blob64, blob) || blob.size() < kNonceBytes + kTagBytes) return false;
    std::string plain(blob.size() - kNonceBytes - kTagBytes, '\0');
    unsigned long long plain_length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(plain.data()), &plain_length, nullptr,
            blob.data() + kNonceBytes, blob.size() - kNonceBytes,
            reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), blob.data(),
            key.data()) != 0) {
        return false;
    }
    plain.resize(plain_length);
    out = std::move(plain);
    return true;
}

std::string secret_ad(std::string_view name) {
    return std::string(kSecretDomain) + std::string(name);
}

Error wrong_key_error(const std::filesystem::path& path) {
    return make_error(ErrorCode::kConfig, std::string(kSystem),
                      "the master key does not open the vault at " + path.string() +
                          ": set MLC_MASTER_KEY or the key file that created it");
}

Result<void> check_name(std::string_view name) {
    const bool valid_chars = std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    });
    if (name.empty() || name.size() > kSecretNameLengthMax || !valid_chars) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "invalid secret name \"" +
                              std::string(name.substr(0, kSecretNameLengthMax)) +
                              "\": use 1-128 characters of letters, digits, '_', '.', '-'");
    }
    return ok();
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t bytes_max) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(ErrorCode::kStorage, std::string(kSystem),
                          "cannot read " + path.string() + ": " + std::strerror(errno));
    }
    // Read in small chunks up to one byte past the limit: every request reads the vault, so the
    // buffer must follow the file's size, not the 16 MiB cap (a fresh 16 MiB buffer per call made
    // each authorized request cost a 16 MiB memset).
    std::string data;
    std::array<char, kReadChunkBytes> chunk{};
    while (data.size() <= bytes_max && in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        data.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (data.size() > bytes_max) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          path.string() + " is larger than " + std::to_string(bytes_max) +
                              " bytes: is it the right file?");
    }
    return data;
}

Result<Entries> load_entries(const std::filesystem::path& path, Expiries* expiries = nullptr) {
    std::error_code exists_error;
    if (!std::filesystem::exists(path, exists_error)) return Entries{};
    MLC_TRY(std::string text, read_small_file(path, kVaultFileBytesMax));
    const auto corrupt = [&](std::string_view why) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          "the vault file " + path.string() + " is damaged (" + std::string(why) +
                              "): restore it from a backup");
    };
    std::error_code parse_error;
    const json::value root = json::parse(text, parse_error);
    if (parse_error || !root.is_object()) return corrupt("not a JSON object");
    const json::object& object = root.as_object();
    if (object.size() > kSecretsMax + 1) return corrupt("too many entries");
    Entries entries;
    for (const auto& [name, blob] : object) {
        if (name == kExpiresMember) {
            if (!blob.is_object()) return corrupt("the expiry dates are not an object");
            for (const auto& [secret, date] : blob.as_object()) {
                if (!date.is_string()) return corrupt("an expiry date is not a string");
                if (expiries != nullptr) expiries->emplace(secret, date.as_string());
            }
            continue;
        }
        if (!blob.is_string()) return corrupt("an entry is not a string");
        entries.emplace(std::string(name), std::string(blob.as_string()));
    }
    return entries;
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view data) {
    const std::string temp = path.string() + ".tmp." + std::to_string(randombytes_random());
    const auto fail = [&](std::string_view step) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        return make_error(ErrorCode::kStorage, std::string(kSystem),
                          "cannot " + std::string(step) + " " + path.string() + ": " + reason);
    };
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return fail("create a temporary file for");
    std::size_t written = 0;
    while (written < data.size()) {  // Bounded: each pass writes at least one byte or fails.
        const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            return fail("write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        return fail("flush");
    }
    if (::close(fd) != 0) return fail("close");
    if (::rename(temp.c_str(), path.c_str()) != 0) return fail("replace");
    return ok();
}

Result<void> save_entries(const std::filesystem::path& path, const Entries& entries,
                          const Expiries& expiries) {
    json::object object;
    for (const auto& [name, blob] : entries) object[name] = blob;
    json::object dates;
    for (const auto& [name, date] : expiries) {
        if (entries.contains(name)) dates[name] = date;
    }
    if (!dates.empty()) object[kExpiresMember] = std::move(dates);
    return write_file_atomically(path, json::serialize(object) + "\n");
}

}  // namespace

SodiumVault::SodiumVault(std::filesystem::path path, const MasterKey& key)
    : path_(std::move(path)), key_(key) {
    init_sodium();
}

SodiumVault::~SodiumVault() { sodium_memzero(key_.data(), key_.size()); }

Result<void> SodiumVault::verify() const {
    std::lock_guard lock(mutex_);
    MLC_TRY(Entries entries, load_entries(path_));
    std::string plain;
    for (const auto& [name, blob] : entries) {
        if (!decrypt(key_, blob, secret_ad(name), plain)) return wrong_key_error(path_);
    }
    sodium_memzero(plain.data(), plain.size());
    return ok();
}

Result<void> SodiumVault::put(std::string_view name, std::string_view value) {
    MLC_CHECK(check_name(name));
    if (value.size() > kSecretValueBytesMax) {
        return make_error(ErrorCode::kInvalidInput, std::string(kSystem),
                          "secret " + std::string(name) + " is larger than 1 MiB");
    }
    std::lock_guard lock(mutex_);
    Expiries expiries;
    MLC_TRY(Entries entries, load_entries(path_, &expiries));
    // Refuse to mix keys in one file: a secret written under another key could never be read.
    std::string plain;
    if (!entries.empty()) {
        const auto& [first_name, first_blob] = *entries.begin();
        if (!decrypt(key_, first_blob, secret_ad(first_name), plain)) return wrong_key_error(path_);
        sodium_memzero(plain.data(), plain.size());
    }
    if (entries.size() >= kSecretsMax && entries.find(name) == entries.end()) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          "the vault holds the maximum of 10000 secrets");
    }
    entries[std::string(name)] = encrypt(key_, value, secret_ad(name));
    expiries.erase(std::string(name));  // A new value: its date, if any, comes with it.
    return save_entries(path_, entries, expiries);
}

Result<std::string> SodiumVault::get(std::string_view name) const {
    MLC_CHECK(check_name(name));
    std::lock_guard lock(mutex_);
    MLC_TRY(Entries entries, load_entries(path_));
    const auto it = entries.find(name);
    if (it == entries.end()) {
        return make_error(ErrorCode::kNotFound, std::string(kSystem),
                          "secret " + std::string(name) + " is not in the vault at " +
                              path_.string() + ": run `mlc secret set " + std::string(name) + "`");
    }
    std::string plain;
    if (!decrypt(key_, it->second, secret_ad(name), plain)) return wrong_key_error(path_);
    return plain;
}

std::optional<std::string> SodiumVault::revision() const {
    struct stat info {};
    if (::stat(path_.c_str(), &info) != 0) {
        if (errno == ENOENT) return std::string("absent");
        return std::nullopt;  // Cannot tell: the caller reads the vault afresh.
    }
    const auto ns = [](const timespec& t) {
        return std::to_string(t.tv_sec) + "." + std::to_string(t.tv_nsec);
    };
    return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" +
           std::to_string(info.st_size) + ":" + ns(info.st_mtim) + ":" + ns(info.st_ctim);
}

Result<std::vector<std::string>> SodiumVault::list() const {
    std::lock_guard lock(mutex_);
    MLC_TRY(Entries entries, load_entries(path_));
    std::vector<std::string> names;
    names.reserve(entries.size());
    for (const auto& entry : entries) names.push_back(entry.first);
    return names;
}

Result<void> SodiumVault::remove(std::string_view name) {
    MLC_CHECK(check_name(name));
    std::lock_guard lock(mutex_);
    Expiries expiries;
    MLC_TRY(Entries entries, load_entries(path_, &expiries));
    const auto it = entries.find(name);
    if (it == entries.end()) {
        return make_error(
            ErrorCode::kNotFound, std::string(kSystem),
            "secret " + std::string(name) + " is not in the vault at " + path_.string());
    }
    entries.erase(it);
    return save_entries(path_, entries, expiries);
}

Result<void> SodiumVault::set_expiry(std::string_view name, std::optional<UtcTime> expires) {
    MLC_CHECK(check_name(name));
    std::lock_guard lock(mutex_);
    Expiries expiries;
    MLC_TRY(Entries entries, load_entries(path_, &expiries));
    if (!entries.contains(name)) {
        return make_error(ErrorCode::kNotFound, std::string(kSystem),
                          "secret " + std::string(name) + " is not in the vault at " +
                              path_.string() + ": run `mlc secret set " + std::string(name) + "`");
    }
    if (expires) {
        expiries[std::string(name)] = format_iso8601(*expires);
    } else {
        expiries.erase(std::string(name));
    }
    return save_entries(path_, entries, expiries);
}

Result<std::map<std::string, UtcTime>> SodiumVault::expiries() const {
    std::lock_guard lock(mutex_);
    Expiries dates;
    MLC_TRY(Entries entries, load_entries(path_, &dates));
    std::map<std::string, UtcTime> out;
    for (const auto& [name, date] : dates) {
        auto at = parse_iso8601(date);
        if (!at) {
            return make_error(ErrorCode::kConfig, std::string(kSystem),
                              "the vault file " + path_.string() + " holds an expiry of " + name +
                                  " that is not a date: set it again with `mlc secret set " + name +
                                  " --expires YYYY-MM-DD`");
        }
        if (entries.contains(name)) out.emplace(name, *at);
    }
    return out;
}

Result<std::string> SodiumVault::seal(std::string_view plaintext) const {
    return encrypt(key_, plaintext, kSealDomain);
}

Result<std::string> SodiumVault::open(std::string_view sealed) const {
    std::string plain;
    if (!decrypt(key_, sealed, kSealDomain, plain)) {
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          "sealed data does not open with the master key of the vault at " +
                              path_.string() +
                              " (another key sealed it, or it was altered): set MLC_MASTER_KEY "
                              "or the key file that created it");
    }
    return plain;
}

Result<MasterKey> parse_master_key(std::string_view text) {
    init_sodium();
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = text.find_first_not_of(kSpace);
    text = first == std::string_view::npos ? std::string_view{} : text.substr(first);
    text = text.substr(0, text.find_last_not_of(kSpace) + 1);
    std::vector<unsigned char> bytes;
    const bool decoded = from_base64(text, bytes);
    const bool right_size = decoded && bytes.size() == std::tuple_size_v<MasterKey>;
    if (!right_size) {
        sodium_memzero(bytes.data(), bytes.size());
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          decoded ? "the master key is " + std::to_string(bytes.size()) +
                                        " bytes, not 32: a master key is 32 random bytes in "
                                        "base64 (44 characters), as `mlc init` writes it"
                                  : "the master key is not base64: a master key is 32 random "
                                    "bytes in base64 (44 characters), as `mlc init` writes it");
    }
    MasterKey key;
    std::copy(bytes.begin(), bytes.end(), key.begin());
    sodium_memzero(bytes.data(), bytes.size());
    return key;
}

Result<MasterKey> read_master_key_file(const std::filesystem::path& path) {
    std::error_code exists_error;
    if (!std::filesystem::exists(path, exists_error)) {
        return make_error(
            ErrorCode::kConfig, std::string(kSystem),
            "no master key file at " + path.string() + ": run `mlc init` or set MLC_MASTER_KEY");
    }
    MLC_TRY(std::string text, read_small_file(path, kKeyFileBytesMax));
    auto key = parse_master_key(text);
    sodium_memzero(text.data(), text.size());
    if (!key) return with_context(std::move(key).error(), "while reading " + path.string());
    return key;
}

std::string random_hex(std::size_t bytes) {
    init_sodium();
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string out(bytes * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), raw.data(), raw.size());
    out.pop_back();  // sodium_bin2hex writes a terminating NUL.
    sodium_memzero(raw.data(), raw.size());
    return out;
}

Result<std::string> generate_master_key_file(const std::filesystem::path& path) {
    init_sodium();
    MasterKey key;
    randombytes_buf(key.data(), key.size());
    std::string text = to_base64(std::vector<unsigned char>(key.begin(), key.end()));
    sodium_memzero(key.data(), key.size());
    // O_EXCL: never replace a key file, whose loss would lock every secret it protects.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        const bool exists = errno == EEXIST;
        return make_error(ErrorCode::kConfig, std::string(kSystem),
                          exists ? "a master key file already exists at " + path.string() +
                                       ": keep it (it opens the vault) or move it away first"
                                 : "cannot create the master key file " + path.string() + ": " +
                                       std::strerror(errno));
    }
    const std::string line = text + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) {
        ::unlink(path.c_str());
        return make_error(ErrorCode::kStorage, std::string(kSystem),
                          "cannot write the master key file " + path.string());
    }
    return text;
}

}  // namespace mlc::auth

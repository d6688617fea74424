#include "auth/sodium_vault.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "common/time.hpp"

namespace mlc::auth {
namespace {

namespace fs = std::filesystem;

class TempDir {
  public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "mlc-vault-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

MasterKey key_of(std::uint8_t fill) {
    MasterKey key;
    key.fill(fill);
    return key;
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

unsigned mode_of(const fs::path& path) {
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 0777;
}

class SodiumVaultTest : public ::testing::Test {
  protected:
    TempDir dir_;
    fs::path file_ = dir_.path() / "vault.json";
    SodiumVault vault_{file_, key_of(7)};
};

TEST_F(SodiumVaultTest, StoresAndReturnsSecrets) {
    ASSERT_TRUE(vault_.put("ss_key", "api-key-123"));
    ASSERT_TRUE(vault_.put("ss_secret", std::string("bin\0ary", 7)));
    EXPECT_EQ(vault_.get("ss_key").value(), "api-key-123");
    EXPECT_EQ(vault_.get("ss_secret").value(), std::string("bin\0ary", 7));
    ASSERT_TRUE(vault_.put("ss_key", "rotated"));
    EXPECT_EQ(vault_.get("ss_key").value(), "rotated");
    // Another vault object on the same file (another process) sees the same secrets.
    SodiumVault again(file_, key_of(7));
    EXPECT_EQ(again.get("ss_key").value(), "rotated");
    EXPECT_TRUE(again.verify());
}

// The webhook intake caches secrets until the revision changes (net/webhook_secret_cache.hpp):
// a rotation through another vault object on the same file (another process) must change it.
TEST_F(SodiumVaultTest, RevisionChangesWhenTheFileIsRewrittenAndOnlyThen) {
    EXPECT_EQ(vault_.revision(), "absent");
    ASSERT_TRUE(vault_.put("webhook.f.woocommerce", "first"));
    const auto before = vault_.revision();
    ASSERT_TRUE(before.has_value());
    EXPECT_EQ(vault_.revision(), before);  // Reading changes nothing.
    ASSERT_TRUE(vault_.get("webhook.f.woocommerce"));
    EXPECT_EQ(vault_.revision(), before);
    SodiumVault other_process(file_, key_of(7));
    ASSERT_TRUE(other_process.put("webhook.f.woocommerce", "rotated"));
    EXPECT_NE(vault_.revision(), before);
}

TEST_F(SodiumVaultTest, MissingSecretNamesTheFix) {
    const auto missing = vault_.get("epicor_password");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_NE(missing.error().message.find("mlc secret set epicor_password"), std::string::npos);
}

TEST_F(SodiumVaultTest, ListsNamesOnly) {
    EXPECT_TRUE(vault_.list().value().empty());
    ASSERT_TRUE(vault_.put("b_key", "value-b"));
    ASSERT_TRUE(vault_.put("a_key", "value-a"));
    EXPECT_EQ(vault_.list().value(), (std::vector<std::string>{"a_key", "b_key"}));
}

TEST_F(SodiumVaultTest, RemovesSecrets) {
    ASSERT_TRUE(vault_.put("woo_secret", "cs_123"));
    ASSERT_TRUE(vault_.remove("woo_secret"));
    EXPECT_EQ(vault_.get("woo_secret").error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(vault_.list().value().empty());
    EXPECT_EQ(vault_.remove("woo_secret").error().code, ErrorCode::kNotFound);
}

TEST_F(SodiumVaultTest, WrongMasterKeyIsAConfigErrorNamingTheFix) {
    ASSERT_TRUE(vault_.put("ss_key", "api-key-123"));
    SodiumVault wrong(file_, key_of(8));
    const auto result = wrong.get("ss_key");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_EQ(result.error().message, "the master key does not open the vault at " +
                                          file_.string() +
                                          ": set MLC_MASTER_KEY or the key file that created it");
    EXPECT_EQ(wrong.verify().error().code, ErrorCode::kConfig);
    // Writing with the wrong key would leave a vault that no single key opens.
    EXPECT_EQ(wrong.put("other", "x").error().code, ErrorCode::kConfig);
    EXPECT_EQ(vault_.list().value(), std::vector<std::string>{"ss_key"});
}

TEST_F(SodiumVaultTest, FileIsPrivateAndNeverHoldsThePlaintext) {
    ASSERT_TRUE(vault_.put("ss_key", "very-secret-api-key"));
    EXPECT_EQ(mode_of(file_), 0600u);
    const std::string text = read_all(file_);
    EXPECT_EQ(text.find("very-secret-api-key"), std::string::npos);
    EXPECT_NE(text.find("\"ss_key\""), std::string::npos);
    // No temporary file is left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), fs::directory_iterator{}), 1);
}

TEST_F(SodiumVaultTest, CiphertextMovedToAnotherNameDoesNotOpen) {
    ASSERT_TRUE(vault_.put("a", "alpha"));
    std::string text = read_all(file_);
    text.replace(text.find("\"a\""), 3, "\"b\"");
    std::ofstream(file_, std::ios::trunc) << text;
    EXPECT_EQ(vault_.get("b").error().code, ErrorCode::kConfig);
}

TEST_F(SodiumVaultTest, DamagedFileIsAConfigError) {
    std::ofstream(file_) << "not json";
    const auto result = vault_.list();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_NE(result.error().message.find("damaged"), std::string::npos);
}

TEST_F(SodiumVaultTest, RefusesBadNames) {
    EXPECT_EQ(vault_.put("", "x").error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(vault_.put("has space", "x").error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(vault_.put(std::string(129, 'a'), "x").error().code, ErrorCode::kInvalidInput);
    EXPECT_TRUE(vault_.put(std::string(128, 'a'), "x"));
}

TEST_F(SodiumVaultTest, ConcurrentPutsFromThreadsAreAllKept) {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 10;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([this, t] {
            for (int i = 0; i < kPerThread; ++i) {
                // Appended, not `"k" + std::to_string(t)`: GCC 12 -O3 false -Wrestrict (105651).
                std::string name(1, 'k');
                name.append(std::to_string(t)).append("_").append(std::to_string(i));
                EXPECT_TRUE(vault_.put(name, "v"));
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(vault_.list().value().size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST_F(SodiumVaultTest, SealOpenRoundTrip) {
    const std::string sealed = vault_.seal("access-token-xyz").value();
    EXPECT_EQ(sealed.find("access-token-xyz"), std::string::npos);
    EXPECT_NE(vault_.seal("access-token-xyz").value(), sealed);  // Fresh nonce each time.
    EXPECT_EQ(vault_.open(sealed).value(), "access-token-xyz");
    EXPECT_EQ(vault_.open(vault_.seal("").value()).value(), "");
}

TEST_F(SodiumVaultTest, SealedDataDetectsTamperingAndWrongKey) {
    std::string sealed = vault_.seal("access-token-xyz").value();
    std::string tampered = sealed;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_EQ(vault_.open(tampered).error().code, ErrorCode::kConfig);
    EXPECT_FALSE(vault_.open(sealed.substr(0, 10)));
    EXPECT_FALSE(vault_.open("%%%not base64%%%"));
    SodiumVault other(file_, key_of(9));
    const auto wrong = other.open(sealed);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kConfig);
    EXPECT_EQ(wrong.error().message.find("access-token"), std::string::npos);
}

TEST_F(SodiumVaultTest, SealedBlobIsNotANamedSecret) {
    ASSERT_TRUE(vault_.put("x", "1"));
    const std::string sealed = vault_.seal("1").value();
    std::string text = read_all(file_);
    const auto start = text.find(":\"") + 2;
    text.replace(start, text.find('"', start) - start, sealed);
    std::ofstream(file_, std::ios::trunc) << text;
    EXPECT_FALSE(vault_.get("x"));
}

TEST(MasterKeyFile, GeneratedKeyIsPrivateAndReadsBack) {
    TempDir dir;
    const fs::path path = dir.path() / "master.key";
    const std::string text = generate_master_key_file(path).value();
    EXPECT_EQ(text.size(), 44u);
    EXPECT_EQ(mode_of(path), 0600u);
    const MasterKey from_file = read_master_key_file(path).value();
    EXPECT_EQ(from_file, parse_master_key(text).value());
    // The key opens a vault created with it.
    SodiumVault vault(dir.path() / "vault.json", from_file);
    ASSERT_TRUE(vault.put("k", "v"));
    SodiumVault reopened(dir.path() / "vault.json", parse_master_key(text).value());
    EXPECT_EQ(reopened.get("k").value(), "v");
}

TEST(MasterKeyFile, RefusesToOverwriteAnExistingKey) {
    TempDir dir;
    const fs::path path = dir.path() / "master.key";
    const std::string first = generate_master_key_file(path).value();
    const auto second = generate_master_key_file(path);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::kConfig);
    EXPECT_EQ(read_master_key_file(path).value(), parse_master_key(first).value());
}

TEST(MasterKeyFile, MissingFileSaysHowToCreateOne) {
    TempDir dir;
    const auto result = read_master_key_file(dir.path() / "absent.key");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_NE(result.error().message.find("mlc init"), std::string::npos);
}

TEST(MasterKeyFile, AFileFarLargerThanAKeyIsRefusedAsTheWrongFile) {
    TempDir dir;
    const fs::path path = dir.path() / "master.key";
    std::ofstream(path, std::ios::binary) << std::string(20000, 'A');  // Read in 8 KiB chunks.
    const auto result = read_master_key_file(path);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_NE(result.error().message.find("is larger than 4096 bytes: is it the right file?"),
              std::string::npos)
        << result.error().message;
}

TEST(MasterKeyParse, AcceptsBase64OfThirtyTwoBytesWithWhitespace) {
    const std::string text = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const MasterKey key = parse_master_key("  " + text + "\n").value();
    for (std::size_t i = 0; i < key.size(); ++i) EXPECT_EQ(key[i], i);
}

TEST(MasterKeyParse, WrongLengthIsAConfigErrorWithAHint) {
    const auto short_key = parse_master_key("AAECAwQFBgcICQoLDA0ODw==");  // 16 bytes
    ASSERT_FALSE(short_key);
    EXPECT_EQ(short_key.error().code, ErrorCode::kConfig);
    EXPECT_NE(short_key.error().message.find("16 bytes, not 32"), std::string::npos);
    EXPECT_NE(short_key.error().message.find("mlc init"), std::string::npos);
    const auto garbage = parse_master_key("not-base64!");
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().message.find("not-base64!"), std::string::npos);
    EXPECT_FALSE(parse_master_key(""));
}

// An expiry date is kept beside the secret (plain text: a date is no secret), survives another
// vault object on the same file, keeps the file verifiable, and ends with a new value or removal.
TEST_F(SodiumVaultTest, KeepsAnExpiryPerSecretUntilTheSecretIsSetAgain) {
    ASSERT_TRUE(vault_.put("amazon_secret", "v1"));
    ASSERT_TRUE(vault_.put("ss_key", "k"));
    const UtcTime expires = parse_iso8601("2027-03-31T00:00:00Z").value();
    ASSERT_TRUE(vault_.set_expiry("amazon_secret", expires));
    EXPECT_EQ(vault_.set_expiry("nope", expires).error().code, ErrorCode::kNotFound);
    SodiumVault again(file_, key_of(7));
    EXPECT_TRUE(again.verify());
    EXPECT_EQ(again.list().value(), (std::vector<std::string>{"amazon_secret", "ss_key"}));
    EXPECT_EQ(again.expiries().value(),
              (std::map<std::string, UtcTime>{{"amazon_secret", expires}}));
    EXPECT_NE(read_all(file_).find("\"@expires\":{\"amazon_secret\":\"2027-03-31T00:00:00Z\"}"),
              std::string::npos)
        << read_all(file_);
    ASSERT_TRUE(again.put("amazon_secret", "v2"));  // Renewed: the old date goes with the value.
    EXPECT_TRUE(vault_.expiries().value().empty());
    ASSERT_TRUE(vault_.set_expiry("ss_key", expires));
    ASSERT_TRUE(vault_.remove("ss_key"));
    EXPECT_TRUE(vault_.expiries().value().empty());
    EXPECT_EQ(read_all(file_).find("@expires"), std::string::npos);
}

}  // namespace
}  // namespace mlc::auth

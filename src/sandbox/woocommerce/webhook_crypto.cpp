#include "sandbox/woocommerce/webhook_crypto.hpp"

#include <sodium.h>

#include <array>

#include "common/assert.hpp"

namespace mlc::sandbox::woocommerce {
namespace {

struct Entity {
    std::string_view name;
    char value;
};
// ENT_QUOTES: double and single quotes are decoded too (WordPress formatting.php).
constexpr std::array<Entity, 8> kEntities = {{{"&amp;", '&'},
                                              {"&lt;", '<'},
                                              {"&gt;", '>'},
                                              {"&quot;", '"'},
                                              {"&#039;", '\''},
                                              {"&#39;", '\''},
                                              {"&#x27;", '\''},
                                              {"&#X27;", '\''}}};

}  // namespace

std::string wp_specialchars_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        bool matched = false;
        if (text[i] == '&') {
            for (const auto& entity : kEntities) {
                if (text.substr(i).starts_with(entity.name)) {
                    out.push_back(entity.value);
                    i += entity.name.size();
                    matched = true;
                    break;
                }
            }
        }
        if (!matched) out.push_back(text[i++]);
    }
    return out;
}

std::string webhook_signature(std::string_view body, std::string_view stored_secret) {
    MLC_ASSERT(sodium_init() >= 0, "libsodium initialises");
    const std::string key = wp_specialchars_decode(stored_secret);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                  body.size());
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    std::array<char, sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                               sodium_base64_VARIANT_ORIGINAL)>
        text{};
    sodium_bin2base64(text.data(), text.size(), mac.data(), mac.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    return std::string(text.data());
}

std::string delivery_id(std::uint64_t salt, std::int64_t webhook_id, std::int64_t unix_seconds,
                        std::uint64_t sequence) {
    MLC_ASSERT(sodium_init() >= 0, "libsodium initialises");
    const std::string input = std::to_string(salt) + ":" + std::to_string(webhook_id) + ":" +
                              std::to_string(unix_seconds) + ":" + std::to_string(sequence);
    std::array<unsigned char, 16> hash{};
    crypto_generichash(hash.data(), hash.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size(), nullptr,
                       0);
    std::array<char, 33> hex{};
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return std::string(hex.data());
}

}  // namespace mlc::sandbox::woocommerce

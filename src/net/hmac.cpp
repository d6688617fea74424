#include "net/hmac.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>

#include "common/assert.hpp"

namespace mlc::net {
namespace {

void ensure_sodium() {
    // sodium_init() returns 1 when already initialised, -1 only if the library cannot work at all.
    MLC_ASSERT(sodium_init() >= 0, "libsodium failed to initialise");
}

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view message) {
    ensure_sodium();
    crypto_auth_hmacsha256_state state;
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> out{};
    crypto_auth_hmacsha256_init(&state, bytes(key), key.size());
    crypto_auth_hmacsha256_update(&state, bytes(message), message.size());
    crypto_auth_hmacsha256_final(&state, out.data());
    sodium_memzero(&state, sizeof state);
    return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string sha256(std::string_view message) {
    ensure_sodium();
    std::array<unsigned char, crypto_hash_sha256_BYTES> out{};
    crypto_hash_sha256(out.data(), bytes(message), message.size());
    return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string sha256_hex(std::string_view message) { return hex_encode(sha256(message)); }

std::string hex_encode(std::string_view input) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(input.size() * 2);
    for (const char c : input) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0x0F]);
    }
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    const std::string digest_a = sha256(a);
    const std::string digest_b = sha256(b);
    return sodium_memcmp(digest_a.data(), digest_b.data(), digest_a.size()) == 0;
}

std::string wp_specialchars_decode(std::string_view text) {
    struct Entity {
        std::string_view encoded;
        char decoded;
    };
    // WordPress's ENT_QUOTES table (formatting.php, wp_specialchars_decode): the named entities
    // plus the numeric spellings WordPress also maps back. One left-to-right pass, like PHP's
    // strtr(): "&amp;lt;" becomes "&lt;", not "<".
    static constexpr std::array<Entity, 13> kEntities{{{"&amp;", '&'},
                                                       {"&#038;", '&'},
                                                       {"&#x26;", '&'},
                                                       {"&lt;", '<'},
                                                       {"&#060;", '<'},
                                                       {"&gt;", '>'},
                                                       {"&#062;", '>'},
                                                       {"&quot;", '"'},
                                                       {"&#034;", '"'},
                                                       {"&#x22;", '"'},
                                                       {"&#039;", '\''},
                                                       {"&#39;", '\''},
                                                       {"&#x27;", '\''}}};
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        bool replaced = false;
        if (text[i] == '&') {
            for (const auto& entity : kEntities) {
                if (text.substr(i, entity.encoded.size()) == entity.encoded) {
                    out.push_back(entity.decoded);
                    i += entity.encoded.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) out.push_back(text[i++]);
    }
    return out;
}

std::string woocommerce_signature(std::string_view secret, std::string_view raw_body) {
    return base64_encode(hmac_sha256(wp_specialchars_decode(secret), raw_body));
}

}  // namespace mlc::net

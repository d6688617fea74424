#pragma once
// Webhook crypto helpers on libsodium: HMAC-SHA256, SHA-256, base64 and constant-time comparison.
// Pure functions over bytes; nothing here logs or keeps state (libsodium's one-time
// sodium_init() is idempotent and thread safe). Thread safety: all functions are reentrant.

#include <optional>
#include <string>
#include <string_view>

#include "common/base64.hpp"

namespace mlc::net {

// Raw 32-byte HMAC-SHA256 of `message` under `key` (any key length, RFC 2104).
std::string hmac_sha256(std::string_view key, std::string_view message);
// Raw 32-byte SHA-256 digest, and its lowercase hex form (the inbox body_hash).
std::string sha256(std::string_view message);
std::string sha256_hex(std::string_view message);

// Standard base64 with padding (RFC 4648 section 4), as WooCommerce signs: common/base64.hpp.
using mlc::base64_decode;
using mlc::base64_encode;
std::string hex_encode(std::string_view bytes);

// Constant-time equality of two secrets or signatures of any lengths: both sides are hashed to a
// fixed width first, so neither the contents nor the position of a difference leak through timing.
bool constant_time_equal(std::string_view a, std::string_view b);

// WordPress wp_specialchars_decode(text, ENT_QUOTES): &amp; &lt; &gt; &quot; &#039; &#39; decoded,
// every other entity left as it is. WooCommerce stores the webhook secret entity-encoded and signs
// with the decoded form (woocommerce.md, Webhooks: a stored `a&amp;b` signs as `a&b`).
std::string wp_specialchars_decode(std::string_view text);

// base64(HMAC-SHA256(raw body, wp_specialchars_decode(secret))): X-WC-Webhook-Signature.
std::string woocommerce_signature(std::string_view secret, std::string_view raw_body);

}  // namespace mlc::net

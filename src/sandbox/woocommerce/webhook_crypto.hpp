#pragma once
// WooCommerce webhook signing, as WC_Webhook::generate_signature() does it
// (../shared/specs/woocommerce.md, "Signature"): base64(HMAC-SHA256(raw body, secret)) where the
// stored secret is first decoded with wp_specialchars_decode(secret, ENT_QUOTES). Pure functions
// (libsodium).

#include <cstdint>
#include <string>
#include <string_view>

namespace mlc::sandbox::woocommerce {

// wp_specialchars_decode(text, ENT_QUOTES): &amp; &lt; &gt; &quot; &#039; (and &#39;, &#x27;,
// &#x27;) back to their characters; anything else is left as written.
std::string wp_specialchars_decode(std::string_view text);

// X-WC-Webhook-Signature: base64 (standard alphabet, padded) of HMAC-SHA256(body) keyed with the
// entity-decoded secret.
std::string webhook_signature(std::string_view body, std::string_view stored_secret);

// X-WC-Webhook-Delivery-ID: a 32-digit lowercase hex hash (Woo: wp_hash(id . time)), unique per
// delivery here because `sequence` differs.
std::string delivery_id(std::uint64_t salt, std::int64_t webhook_id, std::int64_t unix_seconds,
                        std::uint64_t sequence);

}  // namespace mlc::sandbox::woocommerce

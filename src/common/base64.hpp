#pragma once
// Standard base64 with padding (RFC 4648 section 4): HTTP Basic credentials (RFC 7617), the
// WooCommerce webhook signature, sealed vault blobs. One implementation for the whole tree.
//
// Pure functions; thread safety: none needed.

#include <optional>
#include <string>
#include <string_view>

namespace mlc {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid padded standard base64 (wrong length, a character outside the
// alphabet, padding anywhere but the end, or non-zero bits after the last byte).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mlc

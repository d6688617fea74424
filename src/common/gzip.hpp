#pragma once
// GZIP (RFC 1952) through zlib: Amazon report documents whose compressionAlgorithm is GZIP (the
// Amazon emulator writes them, the Amazon connector reads them).
// Pure functions; thread safety: none needed.

#include <optional>
#include <string>
#include <string_view>

namespace mlc {

std::string gzip_compress(std::string_view bytes);
// nullopt when `bytes` is not one complete gzip member, or inflates past 512 MiB.
std::optional<std::string> gzip_decompress(std::string_view bytes);

}  // namespace mlc

#pragma once
// GZIP (RFC 1952) through zlib, for report documents whose compressionAlgorithm is GZIP.
// Pure functions; thread safety: none needed.

#include <optional>
#include <string>
#include <string_view>

namespace mlc::sandbox::amazon {

std::string gzip_compress(std::string_view bytes);
// nullopt when `bytes` is not one complete gzip member (tests read documents back with it).
std::optional<std::string> gzip_decompress(std::string_view bytes);

}  // namespace mlc::sandbox::amazon

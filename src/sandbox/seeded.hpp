#pragma once
// Deterministic draws for every emulator's seeded data and credentials: the SplitMix64 finalizer
// over the seed and two stream numbers, so one `--seed` gives the same world every time and each
// emulator's streams never depend on how many draws another made. Pure; thread safety: none
// needed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlc::sandbox {

inline std::uint64_t mix(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) {
    std::uint64_t z =
        seed * 0x9E3779B97F4A7C15ULL + a * 0xBF58476D1CE4E5B9ULL + b + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// `length` characters of `alphabet` drawn from stream `stream` of `seed` (credentials, ids).
inline std::string draw_text(std::uint64_t seed, std::uint64_t stream, std::size_t length,
                             std::string_view alphabet) {
    std::string out;
    for (std::uint64_t i = 0; out.size() < length; ++i) {
        std::uint64_t draw = mix(seed, stream, i);
        for (int k = 0; k < 8 && out.size() < length; ++k, draw >>= 8) {
            out += alphabet[(draw & 0xFF) % alphabet.size()];
        }
    }
    return out;
}

}  // namespace mlc::sandbox

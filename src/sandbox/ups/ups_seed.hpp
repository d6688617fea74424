#pragma once
// Deterministic draws for the UPS emulator's seeded data (SplitMix64 finalizer over the seed and
// two stream numbers). Pure; thread safety: none needed.

#include <cstdint>

namespace mlc::sandbox::ups {

inline std::uint64_t mix(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) {
    std::uint64_t z =
        seed * 0x9E3779B97F4A7C15ULL + a * 0xBF58476D1CE4E5B9ULL + b + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace mlc::sandbox::ups

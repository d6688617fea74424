#pragma once
// Deterministic draws for the UPS emulator's seeded data (SplitMix64 finalizer over the seed and
// two stream numbers). Pure; thread safety: none needed.

#include "sandbox/seeded.hpp"  // mix(): the framework's, shared by every emulator.

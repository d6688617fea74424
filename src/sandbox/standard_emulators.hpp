#pragma once
// The emulators `mlc sandbox` can serve: every vendor emulator library that is built. Each one is
// registered here under its system name (framework.cmake links the library and defines
// MLC_SANDBOX_HAVE_<SYSTEM> when its target exists), so the framework itself knows no vendor and
// cli/ only calls add_standard_emulators().

#include "sandbox/emulator_registry.hpp"

namespace mlc::sandbox {

// Adds "shipstation", "epicor", "woocommerce" (those that are built) to `registry`.
void add_standard_emulators(EmulatorRegistry& registry);

}  // namespace mlc::sandbox

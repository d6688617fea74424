#pragma once
// The emulators `mlc sandbox` can serve: every vendor emulator library (framework.cmake links
// each one). Each is registered here under its system name, so the framework itself knows no
// vendor and cli/ only calls add_standard_emulators().

#include "sandbox/emulator_registry.hpp"

namespace mlc::sandbox {

// Adds "shipstation", "epicor" and "woocommerce" to `registry`.
void add_standard_emulators(EmulatorRegistry& registry);

}  // namespace mlc::sandbox

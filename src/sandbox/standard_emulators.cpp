#include "sandbox/standard_emulators.hpp"

#include <memory>

#ifdef MLC_SANDBOX_HAVE_SHIPSTATION
#include "sandbox/shipstation/shipstation_emulator.hpp"
#endif
#ifdef MLC_SANDBOX_HAVE_EPICOR
#include "sandbox/epicor/epicor_emulator.hpp"
#endif
#ifdef MLC_SANDBOX_HAVE_WOOCOMMERCE
#include "sandbox/woocommerce/woocommerce_emulator.hpp"
#endif

namespace mlc::sandbox {

void add_standard_emulators(EmulatorRegistry& registry) {
    // One line per emulator: a new vendor adds its library to framework.cmake's list and a line
    // here.
#ifdef MLC_SANDBOX_HAVE_SHIPSTATION
    registry.add("shipstation", shipstation::make_shipstation_emulator);
#endif
#ifdef MLC_SANDBOX_HAVE_EPICOR
    registry.add("epicor", [](EmulatorContext context) -> std::unique_ptr<Emulator> {
        return std::make_unique<epicor::EpicorEmulator>(context);
    });
#endif
#ifdef MLC_SANDBOX_HAVE_WOOCOMMERCE
    registry.add("woocommerce", woocommerce::make_woocommerce_emulator);
#endif
    (void)registry;
}

}  // namespace mlc::sandbox

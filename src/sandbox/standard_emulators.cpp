#include "sandbox/standard_emulators.hpp"

#include <memory>

#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/shipstation/shipstation_emulator.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "sandbox/woocommerce/woocommerce_emulator.hpp"

namespace mlc::sandbox {

void add_standard_emulators(EmulatorRegistry& registry) {
    // One line per emulator: a new vendor adds its library to framework.cmake's list and a line
    // here.
    registry.add("shipstation", shipstation::make_shipstation_emulator);
    registry.add("epicor", [](EmulatorContext context) -> std::unique_ptr<Emulator> {
        return std::make_unique<epicor::EpicorEmulator>(context);
    });
    registry.add("woocommerce", woocommerce::make_woocommerce_emulator);
    registry.add("ups", ups::make_ups_emulator);
    registry.add("acumatica", acumatica::make_acumatica_emulator);
    registry.add("amazon", amazon::make_amazon_emulator);
}

}  // namespace mlc::sandbox

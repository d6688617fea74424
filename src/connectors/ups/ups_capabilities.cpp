#include "connectors/ups/ups_capabilities.hpp"

namespace mlc::connectors::ups {

std::vector<Capability> capabilities() {
    constexpr const char* kName = "ups";
    return {
        {.system = kName,
         .record = records::kShipment,
         .object = "shipments (Shipping ship/void, labels; reference = source key)",
         .write = true,
         .note = "ShipmentsTarget: address validated first, found again by reference "
                 "(ups_shipments.hpp)"},
        {.system = kName,
         .record = records::kShipment,
         .object = "tracking (Quantum View + Tracking details)",
         .read = true,
         .note = "TrackingSource: status, estimated and delivered dates per package "
                 "(ups_tracking.hpp)"},
    };
}

}  // namespace mlc::connectors::ups

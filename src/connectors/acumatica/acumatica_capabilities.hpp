#pragma once
// What the Acumatica connector reads (a Source) and writes (a Target), per canonical record type,
// for `mlc recipes` (connector.hpp, Capability). Kept next to the client.

#include <vector>

#include "connectors/connector.hpp"

namespace mlc::connectors::acumatica {

std::vector<Capability> capabilities();

}  // namespace mlc::connectors::acumatica

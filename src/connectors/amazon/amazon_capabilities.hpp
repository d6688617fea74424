#pragma once
// What the Amazon connector reads (a Source) and writes (a Target), per canonical record type,
// for `mlc recipes` (connector.hpp, Capability). Kept next to the client: a new call in the
// client and a new line here go together.

#include <vector>

#include "connectors/connector.hpp"

namespace mlc::connectors::amazon {

std::vector<Capability> capabilities();

}  // namespace mlc::connectors::amazon

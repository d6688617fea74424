#pragma once
// Content hash of a resolved order: what the flow wrote to Epicor last, kept in the binding, so an
// order listed again unchanged (the overlap re-reads every order of the last hours) is skipped and
// a changed one is updated. Only fields the flow writes count; modifyDate does not (ShipStation
// bumps it for changes we do not carry, e.g. a tag).
//
// Pure function.

#include <string>

#include "flows/shipstation_epicor/order_resolver.hpp"

namespace mlc::flows::shipstation_epicor {

// 16 hex digits (FNV-1a 64 over a canonical text of the written fields). Change detection only:
// not a security boundary.
std::string content_hash(const ResolvedOrder& order);

}  // namespace mlc::flows::shipstation_epicor

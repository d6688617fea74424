#pragma once
// The record trail (GET /api/trail?key=...): a record found by any key a person has at hand (an
// order number, orderKey, PO number, SKU, tracking number, settlement id) and its whole path
// across systems in time order. Read from the audit trail (the key as a segment of an event's
// source or target ref, or a word of its detail), the bindings (source key <-> target id) and
// the dead letters (source key, or the record as the vendor sent it holding the key). Each
// event found names the records it links ("shipstation:shipment:77" -> "epicor:SalesOrder:5001"),
// and those are searched in turn (at most kTrailRefsMax records; not webhooks nor other refs
// that more than kTrailHubEvents events share), so a tracking number leads to
// its shipment, the Epicor order it was written on and the ShipStation order that made it.
//
// Thread safety: as the store. Ownership: borrows the store and the config for the call.

#include <cstddef>
#include <string>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "engine/config.hpp"
#include "store/state_store.hpp"

namespace mlc::console {

inline constexpr std::size_t kTrailRefsMax = 12;         // Records followed from the key.
inline constexpr std::size_t kTrailEventsPerRef = 200;   // Audit events read per record.
inline constexpr std::size_t kTrailDetailScan = 20000;   // Newest events whose detail is read.
inline constexpr std::size_t kTrailLettersScan = 10000;  // Newest letters read.
inline constexpr std::size_t kTrailStepsMax = 500;
// A linked record with more events than this is a hub (a webhook, a feed), not followed.
inline constexpr std::size_t kTrailHubEvents = 100;

// {"key", "records": [refs followed], "steps": [{at, flow, kind ("audit", "binding",
// "dead letter"), action, outcome, source_ref, target_ref, detail, answer (the vendor's answer
// on a failure: the letter's message), letter_id, status}], "truncated"} oldest step first.
Result<boost::json::object> find_trail(store::StateStore& store, const engine::Config& config,
                                       const std::string& key);

}  // namespace mlc::console

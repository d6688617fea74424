#pragma once
// Content hash of an order as a target writes it: kept in the binding, so an order read again
// unchanged (an overlap re-read, the echo of the pipeline's own write) is skipped and a changed
// one updated. Only fields a target writes count; modified_at does not (sources bump it for
// changes not carried), and of the status only whether the order is cancelled.
//
// Pure function. 16 hex digits (FNV-1a 64 over a canonical text of the fields): change detection
// only, not a security boundary.

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace mlc::model {

// `customer`: the target's customer reference when it is resolved apart (an Epicor CustID).
std::string content_hash(const Order& order, std::string_view customer = {});

// What a person must know to settle two copies of an order (the source's and a target's that
// keeps it locked): "quantity of ITEM-0001: 2 in Acumatica, 1 in ShipStation", one entry per
// field that differs among the lines (by SKU: quantity, unit price), the ship-to address, the
// customer email and the notes; at most `max` entries (a last "..." says there were more).
std::vector<std::string> order_differences(const Order& source, const Order& target,
                                           std::string_view source_name,
                                           std::string_view target_name, std::size_t max = 8);

}  // namespace mlc::model

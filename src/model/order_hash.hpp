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

#include "model/model.hpp"

namespace mlc::model {

// `customer`: the target's customer reference when it is resolved apart (an Epicor CustID).
std::string content_hash(const Order& order, std::string_view customer = {});

}  // namespace mlc::model

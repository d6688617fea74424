#pragma once
// Acumatica contract-based JSON <-> canonical model (acumatica.md, Shapes). Pure functions, no I/O.
//
//  * Every field is {"value": ...}; {} or a missing field is no value. Numbers arrive through
//    common/exact_json (decimals as their text), so money never passes through a double.
//  * Date-times carry an offset ("2024-06-01T10:20:30.000+00:00"); offset-free text is read as
//    UTC (the instance's zone is UTC in the sandbox; a real instance answers with its offset).
//  * A sales order -> model::Order: source key = OrderType + OrderNbr ("SO000123", ShipStation's
//    orderKey), id "SO/000123" (the key path, and the replay key); status Open -> kOpen, Hold ->
//    kOnHold, not Approved / Pending Approval -> kPending, Cancelled, Completed; source_status is
//    Acumatica's Status word. Lines from Details (sku = InventoryID), addresses from
//    ShipToAddress/ShipToContact and BillToAddress/BillToContact.
//
// Thread-safe (no state).

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "common/result.hpp"
#include "connectors/connector.hpp"
#include "model/model.hpp"

namespace mlc::connectors::acumatica {

// {"value": ...} of `name` as text (numbers as their text); nullopt when absent or empty.
std::optional<std::string> field_text(const boost::json::object& record, std::string_view name);
std::optional<bool> field_bool(const boost::json::object& record, std::string_view name);
Result<Decimal> field_decimal(const boost::json::object& record, std::string_view name);
Result<std::optional<UtcTime>> field_time(const boost::json::object& record, std::string_view name);
// {"value": v}.
boost::json::object value_of(boost::json::value v);
// The rows of a detail collection (empty when not expanded).
const boost::json::array& rows_of(const boost::json::object& record, std::string_view name);

// "SO" + "000123".
std::string order_key(std::string_view type, std::string_view nbr);

Result<model::Order> order_from_json(const boost::json::object& order);
// A GET SalesOrder answer (a bare array) -> records; a record that cannot be mapped is rejected
// on its own.
Result<Page<model::Order>> orders_from_json(const boost::json::value& answer);

}  // namespace mlc::connectors::acumatica

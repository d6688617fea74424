#pragma once
// JSON helpers shared by the UPS emulator's routes: UPS's one error shape, lenient readers for
// UPS's "one object or an array" containers, and the common Response block.
//
// Pure functions; thread safety: none needed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/decimal.hpp"
#include "net/http_types.hpp"

namespace mlc::sandbox::ups {

// {"response": {"errors": [{"code": code, "message": message}]}} with `status`; never any
// rate-limit header (ups.md: UPS publishes no rate limits).
net::HttpResponse ups_error(int status, std::string_view code, std::string_view message);

// The member `key` of `object` when it is an object, else nullptr.
const boost::json::object* object_at(const boost::json::object* object, std::string_view key);
// The member `key` when it is a string, else "" (absent and wrong type read the same).
std::string string_at(const boost::json::object* object, std::string_view key);
bool has_key(const boost::json::object* object, std::string_view key);
// A UPS container sent as one object or an array of objects. nullopt when it is present but
// neither (or an array holding something else); an empty vector when absent.
std::optional<std::vector<const boost::json::object*>> one_or_many(
    const boost::json::object* parent, std::string_view key);
// A string list sent as one string or an array of strings (AddressLine). nullopt when neither.
std::optional<std::vector<std::string>> string_list(const boost::json::object* parent,
                                                    std::string_view key);

// {"ResponseStatus": {"Code": "1", "Description": "Success"}} plus TransactionReference when the
// request carried a CustomerContext (echoed back).
boost::json::object success_response(const boost::json::object* request_block);

// {"CurrencyCode": "USD", "MonetaryValue": "12.30"}
boost::json::object money(const Decimal& amount, std::string_view currency = "USD");

net::HttpResponse json_ok(const boost::json::value& body);

}  // namespace mlc::sandbox::ups

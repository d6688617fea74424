#pragma once
// Epicor Kinetic answers -> ErrorCode, in one place (STYLE rule 9). Error bodies look like
//   {"HttpStatus": 401, "ReasonPhrase": "REST API Exception", "ErrorMessage": "...",
//    "ErrorType": "...", "CorrelationId": "...", "ErrorDetails": [{Message, Type, Table, Field,
//    Program, Method}]}                                           (epicor-kinetic.md, Answers)
//
//  * 401 has three causes told apart only by ErrorMessage (spec): "Invalid username or password."
//    (also an expired token), "Invalid API Key <key>.\r\nCompany <co>." and "Access denied (...)".
//    Each becomes kAuthFailed with its own fix. The API-key message carries the key itself, so
//    it is never copied.
//  * BusinessObjectException / BLException (400, sometimes 500) with ErrorDetails -> kRejected
//    naming Table.Field; "Customer not found." / "Part not found." -> kUnresolved naming the
//    reference (`subject`, e.g. "part 'SKU-1'").
//  * "Unable to deserialize entity" because a property "does not exist on type" (a configured UD
//    field missing in this tenant) and OData query errors -> kConfig; other 400s -> kInvalidInput.
//  * 404 -> kNotFound, 409 or "already exists" -> kConflict, other 5xx -> kTransient.
//  * UpdateExt's BOUpdError rows (200 with errorsOccurred): unknown customer/part -> kUnresolved,
//    other row errors -> kInvalidInput naming the table.
//
// Pure functions.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/error.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::epicor {

constexpr std::size_t kErrorBodyBytesMax = 256 * 1024;  // Larger bodies are not parsed.
constexpr std::size_t kErrorDetailsMax = 20;            // ErrorDetails entries named in a message.

enum class EpicorAuthCause { kPassword, kApiKey, kAccessDenied, kUnknown };

struct EpicorErrorContext {
    std::string_view connection{};  // "epicor-main"
    std::string_view company{};     // "EPIC06"
    std::string_view record_key{};  // "order SS-1001" (may be empty)
    std::string_view subject{};     // The reference being written: "part 'SKU-1'" (may be empty)
};

// Which 401 cause an answer reports.
EpicorAuthCause classify_auth_failure(const net::HttpResponse& response);

// kAuthFailed for a 401 answer, with the fix for its cause.
Error epicor_auth_error(const net::HttpResponse& response, const EpicorErrorContext& context);

// The Error for any answer that is not 2xx (a 401 goes to epicor_auth_error).
Error map_epicor_error(const net::HttpResponse& response, const EpicorErrorContext& context);

// One BOUpdError row of a 200 UpdateExt answer ({TableName, ErrorLevel, ErrorType, ErrorText,
// ErrorSysRowID, ...}): a customer or part Epicor does not know ("Customer not found.", "Part not
// found.") -> kUnresolved naming `subject` (or the kind) and the fix; anything else ->
// kInvalidInput naming the table and Epicor's text.
Error map_upd_error(const boost::json::object& row, const EpicorErrorContext& context);

}  // namespace mlc::connectors::epicor

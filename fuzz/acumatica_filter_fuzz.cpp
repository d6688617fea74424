// Acumatica, both sides of what comes from outside: the emulator's `$filter` parser
// (sandbox/acumatica/acumatica_filter.hpp: OData v3 comparisons, logic, functions and literals
// as a person with curl or a client sends them), and the answers AcumaticaClient reads
// (connectors/acumatica): the exact JSON parse, a GET SalesOrder answer (a bare array) and one
// sales order with its Details as model::Order, an order's Shipments links, a shipment with its
// Packages, and a non-2xx answer's error body (exceptionMessage, a 422 entity's field errors).
//
// Input: a $filter text, and the same bytes as an answer body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/exact_json.hpp"
#include "connectors/acumatica/acumatica_errors.hpp"
#include "connectors/acumatica/acumatica_json.hpp"
#include "sandbox/acumatica/acumatica_filter.hpp"

namespace {

namespace acu = mlc::connectors::acumatica;
namespace filter = mlc::sandbox::acumatica;
namespace json = boost::json;

constexpr std::size_t kAnswerBytesMax = 1024 * 1024;

// The tree keeps the shape the header promises, within the bounds it names: the comparisons and
// function calls are at most kFilterTermsMax. Returns them.
std::size_t check_tree(const filter::FilterNode& node) {
    using Kind = filter::FilterNode::Kind;
    switch (node.kind) {
        case Kind::kAnd:
        case Kind::kOr:
            if (node.children.size() != 2 || !node.operands.empty()) __builtin_trap();
            break;
        case Kind::kNot:
            if (node.children.size() != 1 || !node.operands.empty()) __builtin_trap();
            break;
        case Kind::kCompare:
        case Kind::kFunction:
            if (!node.children.empty() || node.operands.size() != 2) __builtin_trap();
            return 1;
    }
    std::size_t terms = 0;
    for (const filter::FilterNode& child : node.children) terms += check_tree(child);
    return terms;
}

// A record as the client reads it: a sales order (and its shipment links), a shipment's
// packages, the fields it reads with their types.
void read_record(const json::object& record) {
    (void)acu::order_from_json(record);
    for (const json::value& row : acu::rows_of(record, "Shipments")) {
        if (!row.is_object()) continue;
        (void)acu::field_text(row.get_object(), "ShipmentType");
        (void)acu::field_text(row.get_object(), "ShipmentNbr");
        (void)acu::field_text(row.get_object(), "Status");
    }
    for (const json::value& row : acu::rows_of(record, "Packages")) {
        if (row.is_object()) (void)acu::field_text(row.get_object(), "TrackingNbr");
    }
    (void)acu::field_bool(record, "Hold");
    (void)acu::field_decimal(record, "OrderTotal");
    (void)acu::field_time(record, "LastModified");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto tree = filter::parse_filter(text)) {
        if (text.size() > filter::kFilterLengthMax) __builtin_trap();
        if (check_tree(*tree) > filter::kFilterTermsMax) __builtin_trap();
    }

    if (auto answer = mlc::parse_exact_json(text, kAnswerBytesMax, "acumatica", "the answer")) {
        (void)acu::orders_from_json(*answer);
        if (answer->is_object()) read_record(answer->get_object());
    }
    // The vendor's words are cut to kVendorMessageMax (and "...").
    if (acu::vendor_message(text).size() > acu::kVendorMessageMax + 3) __builtin_trap();
    for (const int status : {400, 401, 404, 412, 422, 429, 500}) {
        const mlc::net::HttpResponse response{
            .status = status, .headers = {}, .body = std::string(text)};
        (void)acu::error_from_response(
            response,
            {.connection = "acumatica-fuzz", .what = "PUT SalesOrder", .record_key = "SO/1"});
    }
    return 0;
}

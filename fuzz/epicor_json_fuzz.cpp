// Epicor Kinetic REST v2 answers as EpicorClient and the catalog sources read them: the exact
// JSON parse, a list answer's `value` rows or one row as customers (Party), parts (Item) and
// sales orders with their OrderDtls (Order), shipped packs with their ShipDtls and CartonTrkDtls
// (Shipment), an UpdateExt answer's BOUpdError rows, and a non-2xx
// answer's error body. Dates are read in a zone with DST (America/Chicago).
//
// Input: an answer body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/epicor/epicor_catalog.hpp"
#include "connectors/epicor/epicor_errors.hpp"
#include "connectors/epicor/epicor_json.hpp"
#include "connectors/epicor/epicor_shipments.hpp"

namespace {

namespace epicor = mlc::connectors::epicor;
namespace json = boost::json;

constexpr std::string_view kZone = "America/Chicago";
const epicor::EpicorErrorContext kContext{
    .connection = "epicor-fuzz", .company = "EPIC06", .record_key = "order SS-1", .subject = {}};

void read_row(const json::object& row) {
    (void)epicor::party_from_customer(row, kZone);
    (void)epicor::item_from_part(row);
    (void)epicor::catalog_item(row, {.price_field = "UnitPrice", .stock_field = "OnHandQty"});
    (void)epicor::catalog_party(row, kZone);
    json::array lines;  // As EpicorClient::order_from reads an order with $expand=OrderDtls.
    if (const json::value* dtls = row.if_contains("OrderDtls"); dtls && dtls->is_array()) {
        lines = dtls->get_array();
    }
    (void)epicor::order_from_rows(row, lines, "PONum", kZone);
    if (auto pack = epicor::shipment_from_pack(row, kZone)) {
        if (pack->source.system != "epicor") __builtin_trap();
    }
    (void)epicor::map_upd_error(row, kContext);
}

void read_answer(const json::value& answer) {
    if (!answer.is_object()) return;
    const json::object& object = answer.get_object();
    read_row(object);
    if (const json::value* rows = object.if_contains("value"); rows && rows->is_array()) {
        for (const json::value& row : rows->get_array()) {
            if (row.is_object()) read_row(row.get_object());
        }
    }
    const json::value* result = object.if_contains("returnObj");
    const json::value* errors =
        result && result->is_object() ? result->get_object().if_contains("BOUpdError") : nullptr;
    if (errors && errors->is_array()) {
        for (const json::value& row : errors->get_array()) {
            if (row.is_object()) (void)epicor::map_upd_error(row.get_object(), kContext);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (auto answer = epicor::parse_exact(body)) {
        read_answer(*answer);
        // What the connector writes back (a row in a PATCH or UpdateExt body) is JSON again.
        if (!epicor::parse_exact(epicor::write_exact(*answer))) __builtin_trap();
    }
    for (const int status : {400, 401, 404, 409, 500}) {
        const mlc::net::HttpResponse response{
            .status = status, .headers = {}, .body = std::string(body)};
        (void)epicor::map_epicor_error(response, kContext);
        if (status == 401) (void)epicor::classify_auth_failure(response);
    }
    return 0;
}

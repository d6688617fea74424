// ShipStation V1 answers as ShipStationClient reads them (shipstation_client.cpp): the orders and
// shipments list answers, one order or shipment object (or a V2 label), the exact JSON round trip
// that carries money digit for digit, and a non-2xx answer's error body.
//
// Input: an answer body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/shipstation/shipstation_errors.hpp"
#include "connectors/shipstation/shipstation_json.hpp"
#include "connectors/shipstation/shipstation_v2.hpp"

namespace {

namespace ss = mlc::connectors::shipstation;

void read_object(const boost::json::object& object) {
    (void)ss::order_from_json(object);
    (void)ss::shipment_from_json(object);
    (void)ss::label_from_json(object);  // A V2 label (shipstation_v2.hpp).
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    (void)ss::orders_page_from_json(body);
    (void)ss::shipments_page_from_json(body);
    if (auto value = ss::parse_exact(body, "the fuzz answer")) {
        // What serialize_exact() writes, parse_exact() reads back as the same value.
        const std::string written = ss::serialize_exact(*value);
        auto again = ss::parse_exact(written, "the fuzz answer written back");
        if (!again || *again != *value) __builtin_trap();
        if (value->is_object()) read_object(value->as_object());
        if (value->is_array()) {
            for (const auto& row : value->as_array()) {
                if (row.is_object()) read_object(row.as_object());
            }
        }
    }
    (void)ss::vendor_message(body);
    const ss::ErrorContext context{
        .connection = "ss-fuzz", .what = "GET /orders", .record_key = "order 100123"};
    for (const int status : {400, 401, 404, 429, 500}) {
        (void)ss::error_from_response(
            mlc::net::HttpResponse{.status = status, .headers = {}, .body = std::string(body)},
            context);
    }
    return 0;
}

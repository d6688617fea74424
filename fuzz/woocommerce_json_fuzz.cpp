// WooCommerce wc/v3 answers as WooCommerceClient reads them (woocommerce_client.cpp): the exact
// JSON parse of every answer, the list answers (orders, products, customers), one order, refund,
// product or customer object, and a non-2xx answer's error body.
//
// Input: an answer body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/woocommerce/woocommerce_errors.hpp"
#include "connectors/woocommerce/woocommerce_json.hpp"

namespace {

namespace woo = mlc::connectors::woocommerce;

void read_list(const boost::json::value& answer) {
    (void)woo::orders_from_answer(answer);
    (void)woo::products_from_answer(answer);
    (void)woo::customers_from_answer(answer);
}

void read_object(const boost::json::object& object) {
    (void)woo::to_raw(object);
    (void)woo::order_from_json(object);
    (void)woo::refund_from_json(object, 1001, "USD");
    (void)woo::item_from_json(object);
    (void)woo::party_from_json(object);
    (void)woo::meta_value(object, "_mlc_key");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (auto answer = woo::parse_exact(body, "the fuzz answer")) {
        if (answer->is_array()) {
            read_list(*answer);
            for (const auto& row : answer->as_array()) {
                if (row.is_object()) read_object(row.as_object());
            }
        } else if (answer->is_object()) {
            read_object(answer->as_object());
        }
    }
    const woo::ErrorContext context{.connection = "woo-fuzz",
                                    .what = "GET /wp-json/wc/v3/orders",
                                    .record_key = "order 1001",
                                    .key_secret = "woo.key",
                                    .secret_secret = "woo.secret",
                                    .query_auth = false};
    for (const int status : {400, 401, 404, 500}) {
        (void)woo::error_from_response(
            mlc::net::HttpResponse{.status = status, .headers = {}, .body = std::string(body)},
            context);
    }
    return 0;
}

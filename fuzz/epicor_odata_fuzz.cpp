// The Epicor emulator's OData query options (sandbox/epicor/odata_query.hpp) as its list route
// uses them: $filter parsed, checked against the OrderHed fields and evaluated over rows of every
// field type, $select/$expand/$orderby/$top/$skip from a query string, rows ordered by $orderby.
//
// Input: a $filter text; when it holds a '$' option ("$filter=...&$top=2") it is also read as a
// whole query string.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

#include "net/http_types.hpp"
#include "sandbox/epicor/epicor_schema.hpp"
#include "sandbox/epicor/odata_query.hpp"

namespace {

namespace ep = mlc::sandbox::epicor;
namespace json = boost::json;

struct Tables {
    Tables() {
        for (ep::TableDef& table : ep::make_epicor_tables()) {
            if (table.name == "OrderHed") order = std::move(table);
        }
        for (const char* text : {
                 R"({"Company":"EPIC06","OrderNum":1,"PONum":"O'Brien","DocTotalOrder":"10.5",
                     "OpenOrder":true,"OrderDate":"2023-12-31T00:00:00","CustNum":7})",
                 R"({"Company":"EPIC06","OrderNum":2,"PONum":"SS-1001","DocTotalOrder":"99.99",
                     "OpenOrder":false,"OrderDate":"2024-01-01T00:00:00","CustNum":8})",
                 R"({"Company":"EPIC06","OrderNum":3,"PONum":null,"DocTotalOrder":"0",
                     "OpenOrder":true,"OrderDate":null})",
             }) {
            rows.push_back(json::parse(text).as_object());
        }
    }
    ep::TableDef order;
    std::vector<json::object> rows;
};

void run(const ep::Filter& filter, const std::vector<ep::OrderKey>& orderby, const Tables& tables) {
    const ep::TableDef& def = tables.order;
    if (!ep::check_filter(filter, def.types, def.row_type())) return;
    (void)ep::required_string_equality(filter, def.types);
    for (const json::object& row : tables.rows) {
        (void)ep::matches(filter, row, def.types);
        for (const json::object& other : tables.rows) {
            const int ab = ep::compare_rows(row, other, orderby, def.types);
            const int ba = ep::compare_rows(other, row, orderby, def.types);
            if ((ab < 0 && ba <= 0) || (ab > 0 && ba >= 0)) __builtin_trap();  // Not an order.
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const Tables tables;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto filter = ep::parse_filter(text)) run(*filter, {}, tables);
    (void)ep::parse_epicor_datetime(text);
    if (text.find('$') == std::string_view::npos) return 0;

    auto query = ep::parse_odata_query(mlc::net::url_query("/SalesOrders?" + std::string(text)));
    if (!query) return 0;
    const ep::TableDef& def = tables.order;
    std::vector<std::string> ordered;
    for (const ep::OrderKey& key : query->orderby) ordered.push_back(key.field);
    if (!ep::check_fields(query->select, def.types, def.row_type()) ||
        !ep::check_fields(ordered, def.types, def.row_type())) {
        return 0;
    }
    run(query->filter, query->orderby, tables);
    return 0;
}

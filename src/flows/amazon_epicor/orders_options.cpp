#include "flows/amazon_epicor/orders_options.hpp"

#include "flows/connections/epicor_connection.hpp"
#include "pipeline/options.hpp"

namespace mlc::flows::amazon_epicor {

Result<AmazonOrdersOptions> parse_orders_options(const engine::FlowConfig& flow, UtcTime now) {
    pipeline::OptionReader read(flow);
    AmazonOrdersOptions o;
    o.start = read.time("start", now - kDefaultStartBack);
    o.overlap = read.duration("overlap", o.overlap);
    o.page_size = read.count("page_size", o.page_size, kPageSizeMax);
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, kPagesPerRunMax);
    o.source_key_field = read.text("source_key_field", o.source_key_field);
    o.create_route = *connections::parse_create_route(
        read.choice("create_route", "update_ext", {"update_ext", "ui", "entity_sets"}));
    o.confirm_shipments = read.flag("confirm_shipments", o.confirm_shipments);
    o.customers = read.mapping("customers");
    o.parts = read.mapping("parts");
    o.carriers = read.mapping("carriers");
    MLC_CHECK(read.finish());
    return o;
}

}  // namespace mlc::flows::amazon_epicor

#include "flows/shipstation_epicor/orders_options.hpp"

#include "common/time.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "pipeline/options.hpp"

namespace mlc::flows::shipstation_epicor {

Result<OrdersOptions> parse_orders_options(const engine::FlowConfig& flow) {
    pipeline::OptionReader read(flow);
    OrdersOptions o;
    o.overlap = read.duration("overlap", o.overlap);
    o.start = read.time("start", parse_iso8601("2000-01-01T00:00:00Z").value());
    o.page_size = read.count("page_size", o.page_size, kOrdersPageSizeMax);
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, kPagesPerRunMax);
    o.fixed_customer = read.text("customer", o.fixed_customer);
    const bool by_email =
        read.choice("customer_match", "username", {"username", "email"}) == "email";
    o.customer_match = by_email ? CustomerMatch::kEmail : CustomerMatch::kUsername;
    o.customer_field = read.text("customer_field", by_email ? "EMailAddress" : o.customer_field);
    o.source_key_field = read.text("source_key_field", o.source_key_field);
    o.create_route = *connections::parse_create_route(
        read.choice("create_route", "update_ext", {"update_ext", "ui", "entity_sets"}));
    o.customers = read.mapping("customers");
    o.parts = read.mapping("parts");
    o.carriers = read.mapping("carriers");
    const bool staged = read.choice("target", "sales_order", {"sales_order", "ud01"}) == "ud01";
    o.target = staged ? OrderTarget::kStagingRow : OrderTarget::kSalesOrder;
    // A staged row has no OrderNum to put tracking on.
    o.shipments = read.flag("shipments", !staged);
    if (o.shipments && staged) {
        read.reject("shipments",
                    "tracking is written to a sales order, and target: ud01 stages rows only: "
                    "set shipments: false or target: sales_order");
    }
    o.webhooks = read.flag("webhooks", o.webhooks);
    (void)read.duration("webhook_silent_after", {});  // Read by the alert rules.
    MLC_CHECK(read.finish());
    return o;
}

}  // namespace mlc::flows::shipstation_epicor

#include "flows/epicor_woocommerce/orders_options.hpp"

#include "common/time.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "pipeline/options.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

constexpr std::string_view kDefaultStart = "2000-01-01T00:00:00Z";
const std::set<std::string, std::less<>> kWooStatuses = {
    "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"};

}  // namespace

bool is_closing_status(std::string_view woo_status) {
    return woo_status == "cancelled" || woo_status == "refunded" || woo_status == "failed" ||
           woo_status == "trash";
}

Result<WooOrdersOptions> parse_woo_orders_options(const engine::FlowConfig& flow) {
    pipeline::OptionReader read(flow);
    WooOrdersOptions o;
    o.overlap = read.duration("overlap", o.overlap);
    o.start = read.time("start", parse_iso8601(kDefaultStart).value());
    o.per_page = read.count("per_page", o.per_page, kWooPerPageMax);
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, kWooPagesPerRunMax);
    o.inbox_batch = read.count("inbox_batch", o.inbox_batch, kInboxBatchMax);
    o.inbox_batches_per_run =
        read.count("inbox_batches_per_run", o.inbox_batches_per_run, kInboxBatchesPerRunMax);
    o.inbox_lease = read.duration("inbox_lease", o.inbox_lease);  // Whole seconds, > 0.
    o.fixed_customer = read.text("customer", o.fixed_customer);
    o.customer_field = read.text("customer_field", o.customer_field);
    o.source_key_field = read.text("source_key_field", o.source_key_field);
    o.source_key_prefix = read.text("source_key_prefix", o.source_key_prefix);
    o.create_route = *connections::parse_create_route(
        read.choice("create_route", "update_ext", {"update_ext", "ui", "entity_sets"}));
    o.statuses = read.list("statuses", o.statuses);
    for (const std::string& status : o.statuses) {
        if (kWooStatuses.contains(status)) continue;
        read.reject("statuses", "unknown Woo status \"" + status +
                                    "\" (known: pending, processing, on-hold, completed, "
                                    "cancelled, refunded, failed)");
    }
    o.webhooks = read.flag("webhooks", o.webhooks);
    (void)read.duration("webhook_silent_after", {});  // Read by the alert rules.
    o.refunds = read.flag("refunds", o.refunds);
    o.customers = read.mapping("customers");
    o.parts = read.mapping("parts");
    MLC_CHECK(read.finish());
    return o;
}

}  // namespace mlc::flows::epicor_woocommerce

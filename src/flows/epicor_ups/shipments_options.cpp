#include "flows/epicor_ups/shipments_options.hpp"

#include "pipeline/options.hpp"

namespace mlc::flows::epicor_ups {

Result<ShipmentsOptions> parse_shipments_options(const engine::FlowConfig& flow) {
    pipeline::OptionReader read(flow);
    ShipmentsOptions o;
    const UtcTime unset{};
    if (const UtcTime start = read.time("start", unset); start != unset) o.start = start;
    o.overlap = read.duration("overlap", o.overlap);
    o.page_size = read.count("page_size", o.page_size, 100);
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, 10'000);
    o.per_order = read.flag("per_order", o.per_order);
    o.ship_vias = read.list("ship_vias", {});
    o.default_service = read.text("default_service", o.default_service);
    o.label_format = read.choice("label_format", o.label_format, {"ZPL", "GIF", "EPL", "SPL"});
    o.labels_dir = read.text("labels_dir", o.labels_dir);
    o.address_check = read.flag("address_check", o.address_check);
    o.declared_value = read.flag("declared_value", o.declared_value);
    o.tracking = read.flag("tracking", o.tracking);
    o.track_alert = read_track_alert_options(read);
    o.status_field = read.text("status_field", o.status_field);
    o.delivered_field = read.text("delivered_field", o.delivered_field);
    o.estimated_delivery_field = read.text("estimated_delivery_field", o.estimated_delivery_field);
    o.status_on = read.list("status_on", o.status_on);
    for (const std::string& where : o.status_on) {
        if (where != "pack" && where != "release") {
            read.reject("status_on", "'" + where + "' is not pack or release");
        }
    }
    o.services = read.mapping("services");
    MLC_CHECK(read.finish());
    return o;
}

}  // namespace mlc::flows::epicor_ups

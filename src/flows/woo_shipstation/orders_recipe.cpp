#include "flows/woo_shipstation/orders_recipe.hpp"

#include <charconv>

#include "connectors/shipstation/shipstation_streams.hpp"
#include "connectors/shipstation/shipstation_targets.hpp"
#include "connectors/woocommerce/woocommerce_streams.hpp"
#include "connectors/woocommerce/woocommerce_targets.hpp"
#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/shipstation_connection.hpp"
#include "flows/connections/woocommerce_connection.hpp"
#include "model/order_hash.hpp"
#include "pipeline/compose.hpp"
#include "pipeline/options.hpp"
#include "pipeline/stream.hpp"

namespace mlc::flows::woo_shipstation {
namespace {

namespace ss = connectors::shipstation;
namespace woo = connectors::woocommerce;

struct Options {
    UtcTime start{};
    std::chrono::seconds overlap{10 * 60};
    std::chrono::seconds shipments_overlap{2 * 3600};
    std::uint32_t per_page = 100;
    std::uint32_t pages_per_run = 50;
    std::set<std::string, std::less<>> statuses;
    std::string prefix;
    bool shipments = true;
    bool customer_note = false;
    bool webhooks = true;
};

Result<Options> read_options(const engine::FlowConfig& flow) {
    pipeline::OptionReader read(flow);
    Options o;
    o.start = read.time("start", parse_iso8601("2000-01-01T00:00:00Z").value());
    o.overlap = read.duration("overlap", o.overlap);
    o.shipments_overlap = read.duration("shipments_overlap", o.shipments_overlap);
    o.per_page = read.count("per_page", o.per_page, 100);
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, 10'000);
    o.statuses = read.list("statuses", {"processing", "on-hold"});
    o.prefix = read.text("order_key_prefix", "WOO-");
    o.shipments = read.flag("shipments", true);
    o.customer_note = read.flag("customer_note", false);
    o.webhooks = read.flag("webhooks", true);
    (void)read.duration("webhook_silent_after", {});  // Read by the alert rules.
    MLC_CHECK(read.finish());
    return o;
}

// A Woo order -> the ShipStation order: orderKey prefixed, on hold or awaiting shipment.
Result<model::Order> to_shipstation(const Options& o, const model::Order& order) {
    model::Order out = order;
    out.source.key = o.prefix + order.source.key;
    out.status =
        order.source_status == "on-hold" ? model::OrderStatus::kOnHold : model::OrderStatus::kOpen;
    return out;
}

// A ShipStation shipment -> the fulfilment of the Woo order it ships.
Result<woo::Fulfilment> to_fulfilment(const Options& o, const model::Shipment& s) {
    const std::string id = s.order.key.substr(o.prefix.size());
    std::int64_t order = 0;
    std::from_chars(id.data(), id.data() + id.size(), order);
    return woo::Fulfilment{.order_id = order,
                           .tracking_number = s.tracking_number,
                           .carrier = s.carrier,
                           .ship_date = s.ship_date};
}

struct Parts {
    Options options;
    std::unique_ptr<connections::WooCommerceConnection> woo;
    std::unique_ptr<connections::ShipStationConnection> shipstation;
    std::unique_ptr<woo::OrdersSource> orders_in;
    woo::OrderEvents events;
    std::unique_ptr<pipeline::WebhookUpkeep> upkeep;
    std::unique_ptr<ss::OrdersTarget> orders_out;
    std::unique_ptr<ss::ShipmentsSource> shipments_in;
    std::unique_ptr<woo::Fulfilments> shipments_out;
    pipeline::Stream<model::Order, model::Order> orders;
    pipeline::Stream<model::Shipment, woo::Fulfilment> shipments;
};

pipeline::Intent order_intent(const Options& o, const model::Order& order) {
    const std::string& status = order.source_status;
    if (status == "cancelled" || status == "refunded" || status == "failed" || status == "trash") {
        return {.kind = pipeline::Intent::kClose, .reason = status + " in WooCommerce"};
    }
    if (!o.statuses.contains(status)) {
        return {.kind = pipeline::Intent::kNotYet, .reason = "status " + status + " waits"};
    }
    return {};
}

void wire_orders(Parts& p) {
    p.orders_in = std::make_unique<woo::OrdersSource>(
        *p.woo->client,
        connectors::TimeWindow{.start = p.options.start, .overlap = p.options.overlap},
        p.options.per_page);
    p.orders_out = std::make_unique<ss::OrdersTarget>(*p.shipstation->client);
    p.orders = {
        .name = "orders",
        .system = "woocommerce",
        .direction = "woocommerce->shipstation",
        .source = p.orders_in.get(),
        .target = p.orders_out.get(),
        .resolver = pipeline::resolve_with<model::Order, model::Order>(
            [&p](const model::Order& o, const std::string&) {
                return to_shipstation(p.options, o);
            }),
        .hash =
            [](const model::Order& o) {
                return model::content_hash(o, model::to_string(o.status));
            },
        .intent = [&p](const model::Order& o) { return order_intent(p.options, o); },
        .target_key = [&p](const model::Order& o) { return p.options.prefix + o.source.key; },
        .pages_per_run = p.options.pages_per_run};
}

void wire_shipments(Parts& p) {
    p.shipments_in = std::make_unique<ss::ShipmentsSource>(
        *p.shipstation->client,
        ss::StreamOptions{
            .window = {.start = p.options.start, .overlap = p.options.shipments_overlap},
            .page_size = ss::kShipmentsPageSizeMax});
    p.shipments_out = std::make_unique<woo::Fulfilments>(*p.woo->client, p.options.customer_note);
    const std::string& prefix = p.options.prefix;
    p.shipments = {
        .name = "shipments",
        .system = "shipstation-shipment",
        .direction = "shipstation->woocommerce",
        .source = p.shipments_in.get(),
        .target = p.shipments_out.get(),
        .resolver = pipeline::resolve_with<model::Shipment, woo::Fulfilment>(
            [&p](const model::Shipment& s, const std::string&) {
                return to_fulfilment(p.options, s);
            }),
        .hash = [](const woo::Fulfilment& f) { return f.tracking_number; },
        .intent =
            [&prefix](const model::Shipment& s) {
                if (!s.order.key.starts_with(prefix)) {
                    return pipeline::Intent{.kind = pipeline::Intent::kNever,
                                            .reason = "not an order of this store"};
                }
                if (s.voided)
                    return pipeline::Intent{.kind = pipeline::Intent::kNever, .reason = "voided"};
                return pipeline::Intent{};
            },
        .target_key =
            [&prefix](const model::Shipment& s) {
                return s.order.key.substr(prefix.size()) + ":" + s.tracking_number;
            },
        .parent_system = "woocommerce",
        .parent_key =
            [&prefix](const model::Shipment& s) { return s.order.key.substr(prefix.size()); },
        .parent_missing =
            [](const model::Shipment& s) {
                return make_error(
                    ErrorCode::kUnresolved, "shipstation",
                    "ShipStation order " + s.order.key +
                        " is not bound to a Woo order yet: fix its order's dead letter, "
                        "then replay this shipment");
            },
        .pages_per_run = p.options.pages_per_run};
}

std::unique_ptr<engine::FlowRunner> compose(std::shared_ptr<Parts> parts) {
    Parts& p = *parts;
    auto flow = std::make_unique<pipeline::Flow>(parts);
    pipeline::add_webhooks(*flow, *p.upkeep);
    pipeline::add_inbox(*flow, p.orders, p.events);
    pipeline::add_poll(*flow, p.orders);
    if (p.options.shipments) pipeline::add_poll(*flow, p.shipments);
    return flow;
}

}  // namespace

Result<std::unique_ptr<engine::FlowRunner>> make_runner(const engine::FlowConfig& flow,
                                                        const engine::Dependencies& deps) {
    auto parts = std::make_shared<Parts>();
    MLC_TRY(parts->options, read_options(flow));
    MLC_TRY(auto ends, connections::open_ends(
                           flow, deps, kRecipe, "woocommerce", "shipstation",
                           [&](const auto& c) { return connections::open_woocommerce(c, deps); },
                           [&](const auto& c) { return connections::open_shipstation(c, deps); }));
    parts->woo = std::move(ends.source);
    parts->shipstation = std::move(ends.target);
    wire_orders(*parts);
    wire_shipments(*parts);
    Parts& p = *parts;
    p.upkeep = pipeline::webhook_upkeep(std::make_unique<woo::WooSubscriptions>(*p.woo->client),
                                        p.options.webhooks,
                                        {woo::kOrderCreated, woo::kOrderUpdated}, deps);
    return compose(std::move(parts));
}

void add_woo_shipstation_recipes(engine::RecipeRegistry& registry) {
    registry.add(kRecipe, make_runner);
}

}  // namespace mlc::flows::woo_shipstation

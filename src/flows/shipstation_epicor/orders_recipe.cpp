#include "flows/shipstation_epicor/orders_recipe.hpp"

#include <charconv>

#include "common/mapping.hpp"
#include "connectors/epicor/epicor_targets.hpp"
#include "connectors/shipstation/shipstation_streams.hpp"
#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "flows/connections/flow_connections.hpp"
#include "pipeline/compose.hpp"
#include "pipeline/flow.hpp"
#include "pipeline/inbox.hpp"
#include "pipeline/stream.hpp"
#include "pipeline/webhooks.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

namespace ep = connectors::epicor;
namespace ss = connectors::shipstation;
using OrderStream = pipeline::Stream<model::Order, ep::SalesOrderDraft>;
using ShipmentStream = pipeline::Stream<model::Shipment, ep::TrackingDraft>;

// A shipment -> the tracking Epicor writes on its order (the parent link's OrderNum).
Result<ep::TrackingDraft> to_tracking(const engine::ScalarMap& carriers, const model::Shipment& s,
                                      const std::string& order_num) {
    std::int64_t num = 0;
    std::from_chars(order_num.data(), order_num.data() + order_num.size(), num);
    // Filled member by member: from a braced initialiser GCC 12 -O3 reported the empty
    // ship_via_code as maybe-uninitialized (a false positive).
    ep::TrackingDraft draft;
    draft.write.order_num = num;
    draft.write.tracking_number = s.tracking_number;
    draft.write.ship_date = s.ship_date;
    draft.carrier = s.carrier;
    if (auto via = map_lookup(carriers, s.carrier)) draft.write.ship_via_code = *via;
    return draft;
}

// Everything the flow's steps borrow; the pipeline::Flow owns it.
struct Parts {
    OrdersOptions options;
    std::shared_ptr<ShipStationEpicorConnections> connections;
    std::unique_ptr<ss::OrdersSource> order_source;
    std::unique_ptr<ss::ShipmentsSource> shipment_source;
    std::unique_ptr<connectors::Target<ep::SalesOrderDraft>> order_target;
    std::unique_ptr<ep::Tracking> tracking;
    ep::OrderResolverConfig resolving;
    OrderStream orders;
    ShipmentStream shipments;
    std::unique_ptr<ss::ShipStationEvents> events_reader;
    // One ORDER_NOTIFY covers a whole import batch (shipstation.md), so 200 events are already
    // many batches; the rest waits for the next run.
    pipeline::InboxOptions inbox{.batch = 200, .batches_per_run = 1};
    std::unique_ptr<pipeline::WebhookUpkeep> upkeep;
    pipeline::Hints events;  // This run's.
};

void wire_orders(Parts& p) {
    const OrdersOptions& o = p.options;
    const bool staged = o.target == OrderTarget::kStagingRow;
    ep::EpicorClient& epicor = *p.connections->epicor;
    p.order_source = std::make_unique<ss::OrdersSource>(
        *p.connections->shipstation,
        ss::StreamOptions{.window = {.start = o.start, .overlap = o.overlap},
                          .page_size = o.page_size});
    if (staged) {
        p.order_target = std::make_unique<ep::StagedOrders>(epicor);
    } else {
        p.order_target = std::make_unique<ep::SalesOrders>(epicor);
    }
    p.resolving = order_resolving(o);
    p.orders = OrderStream{
        .name = kOrdersStream,
        .system = staged ? kStagedSourceSystem : kSourceSystem,
        .direction = kDirection,
        .source = p.order_source.get(),
        .target = p.order_target.get(),
        .resolver = [&p,
                     &epicor] { return std::make_unique<ep::OrderResolver>(epicor, p.resolving); },
        .hash = [](const ep::SalesOrderDraft& draft) { return ep::content_hash(draft); },
        .intent =
            [](const model::Order& order) {
                if (order.status != model::OrderStatus::kCancelled) return pipeline::Intent{};
                return pipeline::Intent{.kind = pipeline::Intent::kClose,
                                        .reason = "cancelled in ShipStation"};
            },
        .pages_per_run = o.pages_per_run};
}

void wire_shipments(Parts& p) {
    const OrdersOptions& o = p.options;
    p.shipment_source = std::make_unique<ss::ShipmentsSource>(
        *p.connections->shipstation,
        ss::StreamOptions{.window = {.start = o.start, .overlap = o.overlap},
                          .page_size = o.page_size});
    p.tracking = std::make_unique<ep::Tracking>(*p.connections->epicor);
    p.shipments = ShipmentStream{
        .name = kShipmentsStream,
        .system = kShipmentSourceSystem,
        .direction = kDirection,
        .source = p.shipment_source.get(),
        .target = p.tracking.get(),
        .resolver = pipeline::resolve_with<model::Shipment, ep::TrackingDraft>(
            [&p](const model::Shipment& s, const std::string& order_num) {
                return to_tracking(p.options.carriers, s, order_num);
            }),
        .hash = [](const ep::TrackingDraft& draft) { return draft.write.tracking_number; },
        .intent =
            [](const model::Shipment& s) {
                if (!s.voided) return pipeline::Intent{};
                return pipeline::Intent{.kind = pipeline::Intent::kNever,
                                        .reason = "voided label: nothing written"};
            },
        .parent_system = kSourceSystem,
        .parent_key = [](const model::Shipment& s) { return s.order.key; },
        .parent_missing =
            [](const model::Shipment& s) {
                Error error =
                    make_error(ErrorCode::kUnresolved, "epicor",
                               "ShipStation order " + s.order.key + " (orderId " + s.order.id +
                                   ") is not in Epicor yet: fix its dead letter (or let "
                                   "the next run move it), then replay this shipment");
                error.record_key = "shipment " + s.source.key;
                return error;
            },
        .pages_per_run = o.pages_per_run};
    p.events_reader =
        std::make_unique<ss::ShipStationEvents>(*p.connections->shipstation, o.shipments);
}

std::vector<std::string> webhook_events(const OrdersOptions& options) {
    std::vector<std::string> events{ss::kOrderNotify};
    if (options.shipments) events.emplace_back(ss::kShipNotify);
    return events;
}

// This run's inbox events.
Result<void> start_run(Parts& p, engine::RunContext& ctx) {
    MLC_TRY(p.events, pipeline::lease_hints(*p.events_reader, kDirection, p.inbox, ctx));
    return ok();
}

std::unique_ptr<engine::FlowRunner> compose(std::shared_ptr<Parts> parts) {
    Parts& p = *parts;
    auto flow = std::make_unique<pipeline::Flow>(parts);
    pipeline::add_webhooks(*flow, *p.upkeep);
    flow->step([&p](engine::RunContext& ctx, engine::RunSummary&, pipeline::OpenLetters&) {
        return start_run(p, ctx);
    });
    flow->step(
        [&p](engine::RunContext& ctx, engine::RunSummary& summary, pipeline::OpenLetters& letters) {
            // The poll has caught up: the ORDER_NOTIFY events that woke it are answered.
            return pipeline::poll(p.orders, ctx, letters, summary, [&p](pipeline::Page& page) {
                pipeline::settle_hints(p.events, page);
            });
        });
    flow->replay_route(kOrdersStream, [&p](const std::string& ref, engine::RunContext& ctx) {
        return pipeline::replay(p.orders, ref, ctx);
    });
    if (!p.options.shipments) return flow;
    // Orders first, so a shipment of an order created in this run finds its binding.
    flow->step(
        [&p](engine::RunContext& ctx, engine::RunSummary& summary, pipeline::OpenLetters& letters) {
            return pipeline::follow(p.shipments, *p.events_reader, p.events.follow, p.inbox, ctx,
                                    letters, summary);
        });
    pipeline::add_poll(*flow, p.shipments);
    return flow;
}

}  // namespace

ep::OrderResolverConfig order_resolving(const OrdersOptions& o) {
    const bool by_email = o.customer_match == CustomerMatch::kEmail;
    return ep::OrderResolverConfig{
        .customer_by = by_email ? ep::OrderResolverConfig::CustomerBy::kEmail
                                : ep::OrderResolverConfig::CustomerBy::kCode,
        .customer_value_name = by_email ? "ShipStation customer email" : "customerUsername",
        .customer_field = o.customer_field,
        .fixed_customer = o.fixed_customer,
        .customers = &o.customers,
        .parts = &o.parts,
        .key_prefix = {},
        .label = [](const model::Order& order) {
            return "ShipStation order " + order.number + " (orderKey " + order.source.key + ")";
        }};
}

Result<std::shared_ptr<ShipStationEpicorConnections>> build_connections(
    const engine::FlowConfig& flow, const OrdersOptions& options,
    const engine::Dependencies& deps) {
    MLC_TRY(const auto ends,
            connections::flow_ends(flow, deps, kOrdersRecipe, "shipstation", "epicor"));
    auto out = std::make_shared<ShipStationEpicorConnections>();
    MLC_TRY_CTX(out->source, connections::open_shipstation(*ends.source, deps),
                "while opening the source of flow " + flow.name);
    MLC_TRY_CTX(out->target,
                connections::open_epicor(*ends.target, deps,
                                         {.source_key_field = options.source_key_field,
                                          .customer_lookup_field = options.customer_field,
                                          .create_route = options.create_route,
                                          .retry = std::nullopt}),
                "while opening the target of flow " + flow.name);
    out->shipstation = out->source->client.get();
    out->epicor = out->target->client.get();
    return out;
}

Result<std::unique_ptr<engine::FlowRunner>> make_orders_runner(const engine::FlowConfig& flow,
                                                               const engine::Dependencies& deps) {
    auto parts = std::make_shared<Parts>();
    MLC_TRY(parts->options, parse_orders_options(flow));
    MLC_TRY(parts->connections, build_connections(flow, parts->options, deps));
    // The factory captures the public base: a flow built by `mlc run` registers its webhooks.
    Parts& p = *parts;
    p.upkeep = pipeline::webhook_upkeep(
        std::make_unique<ss::ShipStationSubscriptions>(*p.connections->shipstation),
        p.options.webhooks, webhook_events(p.options), deps);
    wire_orders(*parts);
    wire_shipments(*parts);
    return compose(std::move(parts));
}

void add_shipstation_epicor_recipes(engine::RecipeRegistry& registry) {
    registry.add(kOrdersRecipe, make_orders_runner);
}

}  // namespace mlc::flows::shipstation_epicor

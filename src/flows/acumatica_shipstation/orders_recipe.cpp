#include "flows/acumatica_shipstation/orders_recipe.hpp"

#include <cctype>

#include "common/mapping.hpp"
#include "connectors/acumatica/acumatica_streams.hpp"
#include "connectors/acumatica/acumatica_targets.hpp"
#include "connectors/shipstation/shipstation_streams.hpp"
#include "connectors/shipstation/shipstation_targets.hpp"
#include "connectors/shipstation/shipstation_v2.hpp"
#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "flows/acumatica_shipstation/items_stream.hpp"
#include "flows/connections/acumatica_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/shipstation_connection.hpp"
#include "model/order_hash.hpp"
#include "pipeline/compose.hpp"
#include "pipeline/options.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace acu = connectors::acumatica;
namespace ss = connectors::shipstation;
using Names = std::set<std::string, std::less<>>;

struct Options {
    UtcTime start{};
    std::chrono::seconds overlap{10 * 60};
    std::chrono::seconds shipments_overlap{2 * 3600};
    std::uint32_t per_page = 100;
    std::uint32_t pages_per_run = 100;
    Names statuses;
    Names order_types;
    engine::ScalarMap carriers;
    bool shipments = true;
    bool webhooks = true;
    bool items = true;  // Stock items -> existing ShipStation products (items_stream.hpp).
};

Result<Options> read_options(const engine::FlowConfig& flow) {
    pipeline::OptionReader read(flow);
    Options o;
    o.start = read.time("start", parse_iso8601("2000-01-01T00:00:00Z").value());
    o.overlap = read.duration("overlap", o.overlap);
    o.shipments_overlap = read.duration("shipments_overlap", o.shipments_overlap);
    o.per_page = read.count("per_page", o.per_page, acu::kOrdersPageSizeMax);
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, 10'000);
    o.statuses = read.list("statuses", {"Open"});
    o.order_types = read.list("order_types", {"SO"});
    o.carriers = read.mapping("carriers");
    o.shipments = read.flag("shipments", true);
    o.webhooks = read.flag("webhooks", true);
    (void)read.duration("webhook_silent_after", {});  // Read by the alert rules.
    o.items = read.flag("items", true);
    MLC_CHECK(read.finish());
    return o;
}

bool fulfillable(const Options& o, const model::Order& order) {
    return order.status == model::OrderStatus::kOpen && o.statuses.contains(order.source_status);
}

pipeline::Intent order_intent(const Options& o, const model::Order& order) {
    if (order.status == model::OrderStatus::kCancelled) {
        return {.kind = pipeline::Intent::kClose, .reason = "cancelled in Acumatica"};
    }
    if (order.status == model::OrderStatus::kCompleted) {
        return {.kind = pipeline::Intent::kNever, .reason = "completed in Acumatica"};
    }
    if (order.source_status == "Shipping") {  // Its shipment is open (a voided label corrected).
        return {.kind = pipeline::Intent::kNever, .reason = "on an open Acumatica shipment"};
    }
    if (!fulfillable(o, order)) {
        return {.kind = pipeline::Intent::kNotYet,
                .reason = "status " + order.source_status + " is not fulfillable yet"};
    }
    return {};
}

Error unresolved(const model::Order& order, const std::string& what) {
    Error error = make_error(ErrorCode::kUnresolved, "acumatica",
                             "Acumatica sales order " + order.source.id + " " + what +
                                 ": fix the order in Acumatica (the next edit sends it), or "
                                 "replay this letter");
    error.record_key = order.source.key;
    return error;
}

// An Acumatica order -> the ShipStation order: on hold until fulfillable.
Result<model::Order> to_shipstation(const Options& o, const model::Order& order) {
    if (order.customer_code.empty()) return unresolved(order, "has no customer");
    const model::Address& to = order.ship_to;
    if (to.street1.empty() || to.city.empty() || to.country.empty()) {
        return unresolved(order, "has no complete ship-to address (street, city, country)");
    }
    for (const model::OrderLine& line : order.lines) {
        if (line.sku.empty()) {
            return unresolved(order, "has line " + line.line_key + " without an Inventory ID");
        }
    }
    model::Order out = order;
    out.status = fulfillable(o, order) ? model::OrderStatus::kOpen : model::OrderStatus::kOnHold;
    if (out.customer_name.empty()) out.customer_name = order.customer_code;
    return out;
}

// "SO000123" -> {"SO", "000123"} when it is an order key of one of `types`.
std::optional<std::pair<std::string, std::string>> split_key(const Names& types,
                                                             const std::string& key) {
    for (const std::string& type : types) {
        if (!key.starts_with(type) || key.size() == type.size()) continue;
        const std::string nbr = key.substr(type.size());
        const bool digits = std::all_of(nbr.begin(), nbr.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
        if (digits) return std::make_pair(type, nbr);
    }
    return std::nullopt;
}

acu::ShipmentDraft to_draft(const Options& o, const model::Shipment& s) {
    const auto parts = split_key(o.order_types, s.order.key).value_or(std::make_pair("", ""));
    acu::ShipmentDraft draft{.order_type = parts.first,
                             .order_nbr = parts.second,
                             .tracking_number = s.tracking_number,
                             .ship_via = {},
                             .carrier = s.carrier};
    if (auto via = map_lookup(o.carriers, s.carrier)) draft.ship_via = *via;
    draft.voided = s.voided;
    return draft;
}

struct Parts {
    Options options;
    std::unique_ptr<connections::AcumaticaConnection> acumatica;
    std::unique_ptr<connections::ShipStationConnection> shipstation;
    std::unique_ptr<acu::SalesOrdersSource> orders_in;
    std::unique_ptr<ss::OrdersBatchTarget> orders_out;
    std::unique_ptr<connectors::Source<model::Shipment>> shipments_in;  // V2 labels, or V1.
    std::unique_ptr<ss::VoidedShipmentsSource> voids_in;  // Labels voided late, by voidDate.
    std::unique_ptr<acu::ShipmentsTarget> shipments_out;
    std::unique_ptr<ss::ShipStationEvents> events_reader;
    std::unique_ptr<pipeline::WebhookUpkeep> upkeep;
    pipeline::InboxOptions inbox{.batch = 200, .batches_per_run = 1};
    pipeline::Hints events;  // This run's.
    pipeline::Stream<model::Order, model::Order> orders;
    pipeline::Stream<model::Shipment, acu::ShipmentDraft> shipments;
    // The same shipments (bindings, hash, reversal) read by void date, with their own cursor: a
    // void seen by both is reversed once (the content hash).
    pipeline::Stream<model::Shipment, acu::ShipmentDraft> voids;
    ItemsParts items;
};

void wire_orders(Parts& p) {
    p.orders_in = std::make_unique<acu::SalesOrdersSource>(
        *p.acumatica->client,
        acu::OrdersSourceOptions{.window = {.start = p.options.start, .overlap = p.options.overlap},
                                 .page_size = p.options.per_page});
    p.orders_out = std::make_unique<ss::OrdersBatchTarget>(*p.shipstation->client);
    p.orders = {.name = "orders",
                .system = kOrderSystem,
                .direction = "acumatica->shipstation",
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
                .pages_per_run = p.options.pages_per_run};
}

pipeline::Intent shipment_intent(const Options& o, const model::Shipment& s) {
    if (!split_key(o.order_types, s.order.key)) {
        return {.kind = pipeline::Intent::kNever, .reason = "not an Acumatica order of this flow"};
    }
    if (s.voided) {  // Reversed in Acumatica when it was confirmed there; else nothing to do.
        return {.kind = pipeline::Intent::kNotYet, .reason = "voided label"};
    }
    return {};
}

// What a person must do once a voided label's Acumatica shipment is reversed.
std::string voided_alert(const model::Shipment& s, const acu::ShipmentDraft& d) {
    if (!d.voided) return {};
    return "the ShipStation label " + d.tracking_number + " of order " + s.order.key +
           " was voided after its Acumatica shipment was confirmed. Reversed in Acumatica: the "
           "shipment is corrected back to Open and the tracking number is off its package. To "
           "do: print a new label in ShipStation (the flow confirms this shipment again with its "
           "tracking number), or cancel the shipment in Acumatica if the order will not ship; an "
           "invoice already prepared for it must be reversed by hand";
}

void wire_shipments(Parts& p) {
    const connectors::TimeWindow window{.start = p.options.start,
                                        .overlap = p.options.shipments_overlap};
    if (p.shipstation->v2) {  // A V2 key: labels are read through V2, keyed as V1 shipments.
        p.shipments_in = std::make_unique<ss::LabelsSource>(*p.shipstation->v2, window);
    } else {
        p.shipments_in = std::make_unique<ss::ShipmentsSource>(
            *p.shipstation->client,
            ss::StreamOptions{.window = window, .page_size = ss::kShipmentsPageSizeMax});
    }
    p.shipments_out = std::make_unique<acu::ShipmentsTarget>(*p.acumatica->client);
    p.events_reader = std::make_unique<ss::ShipStationEvents>(*p.shipstation->client, true);
    const Options& o = p.options;
    p.shipments = {
        .name = "shipments",
        .system = kShipmentSystem,
        .direction = "shipstation->acumatica",
        .source = p.shipments_in.get(),
        .target = p.shipments_out.get(),
        .resolver = pipeline::resolve_with<model::Shipment, acu::ShipmentDraft>(
            [&o](const model::Shipment& s, const std::string&) -> Result<acu::ShipmentDraft> {
                return to_draft(o, s);
            }),
        .hash =
            [](const acu::ShipmentDraft& d) {
                return d.voided ? "voided:" + d.tracking_number : d.tracking_number;
            },
        .intent = [&o](const model::Shipment& s) { return shipment_intent(o, s); },
        .target_key = [&o](const model::Shipment& s) { return acu::target_key(to_draft(o, s)); },
        .parent_system = "acumatica",
        .parent_key = [](const model::Shipment& s) { return s.order.key; },
        .parent_missing =
            [](const model::Shipment& s) {
                Error error = make_error(ErrorCode::kUnresolved, "shipstation",
                                         "ShipStation order " + s.order.key +
                                             " is not bound to an Acumatica sales order yet: fix "
                                             "its order's dead letter, then replay this shipment");
                error.record_key = "shipment " + s.source.key;
                return error;
            },
        .alert = voided_alert,
        .pages_per_run = p.options.pages_per_run};
    p.voids_in = std::make_unique<ss::VoidedShipmentsSource>(
        *p.shipstation->client,
        ss::StreamOptions{.window = window, .page_size = ss::kShipmentsPageSizeMax});
    p.voids = p.shipments;
    p.voids.name = "voids";
    p.voids.source = p.voids_in.get();
}

std::unique_ptr<engine::FlowRunner> compose(std::shared_ptr<Parts> parts) {
    Parts& p = *parts;
    auto flow = std::make_unique<pipeline::Flow>(parts);
    pipeline::add_webhooks(*flow, *p.upkeep);
    pipeline::add_poll_batched(*flow, p.orders, *p.orders_out);
    add_items(*flow, p.items, p.options.items);  // After the orders: their new SKUs count.
    if (p.options.shipments) {
        flow->step([&p](engine::RunContext& ctx, engine::RunSummary& summary,
                        pipeline::OpenLetters& letters) -> Result<void> {
            MLC_TRY(p.events, pipeline::lease_hints(*p.events_reader, "shipstation->acumatica",
                                                    p.inbox, ctx));
            return pipeline::follow(p.shipments, *p.events_reader, p.events.follow, p.inbox, ctx,
                                    letters, summary);
        });
        flow->step([&p](engine::RunContext& ctx, engine::RunSummary& summary,
                        pipeline::OpenLetters& letters) {
            return pipeline::poll(p.shipments, ctx, letters, summary, [&p](pipeline::Page& page) {
                pipeline::settle_hints(p.events, page);
            });
        });
        pipeline::add_poll(*flow, p.voids);  // After the shipments: a void both read is theirs.
    }
    flow->replay_route("shipments", [&p](const std::string& ref, engine::RunContext& ctx) {
        return pipeline::replay(p.shipments, ref, ctx);
    });
    // One Acumatica session a run: logged out whatever the steps answered.
    flow->finally([&p](engine::RunContext&) { return p.acumatica->client->end_session(); });
    return flow;
}

}  // namespace

Result<std::unique_ptr<engine::FlowRunner>> make_runner(const engine::FlowConfig& flow,
                                                        const engine::Dependencies& deps) {
    auto parts = std::make_shared<Parts>();
    MLC_TRY(parts->options, read_options(flow));
    MLC_TRY(auto ends, connections::open_ends(
                           flow, deps, kRecipe, "acumatica", "shipstation",
                           [&](const auto& c) { return connections::open_acumatica(c, deps); },
                           [&](const auto& c) { return connections::open_shipstation(c, deps); }));
    parts->acumatica = std::move(ends.source);
    parts->shipstation = std::move(ends.target);
    wire_orders(*parts);
    wire_shipments(*parts);
    Parts& p = *parts;
    wire_items(p.items, *p.acumatica->client, *p.shipstation->client,
               {.start = p.options.start, .overlap = p.options.overlap}, p.options.per_page);
    p.upkeep = pipeline::webhook_upkeep(
        std::make_unique<ss::ShipStationSubscriptions>(*p.shipstation->client),
        p.options.webhooks && p.options.shipments, {ss::kShipNotify}, deps);
    return compose(std::move(parts));
}

void add_acumatica_shipstation_recipes(engine::RecipeRegistry& registry) {
    registry.add(kRecipe, make_runner);
}

}  // namespace mlc::flows::acumatica_shipstation

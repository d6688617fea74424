#include "flows/amazon_epicor/orders_recipe.hpp"

#include "connectors/amazon/amazon_orders.hpp"
#include "connectors/epicor/epicor_resolver.hpp"
#include "connectors/epicor/epicor_targets.hpp"
#include "flows/amazon_epicor/confirmations.hpp"
#include "flows/amazon_epicor/orders_options.hpp"
#include "flows/connections/amazon_connection.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "pipeline/compose.hpp"
#include "pipeline/flow.hpp"
#include "pipeline/stream.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

namespace ep = connectors::epicor;
namespace amz = connectors::amazon;
using OrderStream = pipeline::Stream<model::Order, ep::SalesOrderDraft>;

// Everything the flow's steps borrow; the pipeline::Flow owns it.
struct Parts {
    AmazonOrdersOptions options;
    std::unique_ptr<connections::AmazonConnection> amazon;
    std::unique_ptr<connections::EpicorConnection> epicor;
    std::unique_ptr<amz::OrdersSource> source;
    std::unique_ptr<ep::SalesOrders> target;
    ep::OrderResolverConfig resolving;
    OrderStream orders;
    Confirmations confirmations;  // options.confirm_shipments
};

ep::OrderResolverConfig order_resolving(const AmazonOrdersOptions& o) {
    return ep::OrderResolverConfig{
        .customer_by = ep::OrderResolverConfig::CustomerBy::kCode,
        .customer_value_name = "Amazon marketplace id",
        .customer_field = "CustID",
        .fixed_customer = {},
        .customers = &o.customers,
        .parts = &o.parts,
        .key_prefix = {},
        .label = [](const model::Order& order) { return "Amazon order " + order.source.key; }};
}

pipeline::Intent intent(const model::Order& order) {
    if (order.status == model::OrderStatus::kCancelled) {
        return {.kind = pipeline::Intent::kClose, .reason = "cancelled in Amazon"};
    }
    if (order.status == model::OrderStatus::kPending) {
        return {.kind = pipeline::Intent::kNotYet,
                .reason =
                    "Pending in Amazon (payment not yet authorised): written once Amazon "
                    "moves it to Unshipped"};
    }
    return {};
}

void wire(Parts& p) {
    const AmazonOrdersOptions& o = p.options;
    p.source = std::make_unique<amz::OrdersSource>(
        *p.amazon->client,
        amz::OrdersSourceOptions{.api = p.amazon->orders_api,
                                 .window = {.start = o.start, .overlap = o.overlap},
                                 .page_size = o.page_size});
    p.target = std::make_unique<ep::SalesOrders>(*p.epicor->client);
    p.resolving = order_resolving(o);
    ep::EpicorClient& epicor = *p.epicor->client;
    p.orders = OrderStream{
        .name = kOrdersStream,
        .system = kSourceSystem,
        .direction = kDirection,
        .source = p.source.get(),
        .target = p.target.get(),
        .resolver = [&p,
                     &epicor] { return std::make_unique<ep::OrderResolver>(epicor, p.resolving); },
        .hash = [](const ep::SalesOrderDraft& draft) { return ep::content_hash(draft); },
        .intent = intent,
        .pages_per_run = o.pages_per_run};
}

}  // namespace

Result<std::unique_ptr<engine::FlowRunner>> make_orders_runner(const engine::FlowConfig& flow,
                                                               const engine::Dependencies& deps) {
    auto parts = std::make_shared<Parts>();
    Parts& p = *parts;
    MLC_TRY(p.options, parse_orders_options(flow, deps.clock.now()));
    MLC_TRY(
        auto ends,
        connections::open_ends(
            flow, deps, kOrdersRecipe, "amazon", "epicor",
            [&](const engine::ConnectionConfig& c) { return connections::open_amazon(c, deps); },
            [&](const engine::ConnectionConfig& c) {
                return connections::open_epicor(c, deps,
                                                {.source_key_field = p.options.source_key_field,
                                                 .customer_lookup_field = "CustID",
                                                 .create_route = p.options.create_route,
                                                 .retry = std::nullopt});
            }));
    p.amazon = std::move(ends.source);
    p.epicor = std::move(ends.target);
    // A backfill Amazon cannot serve, or a retired API, is refused now rather than at each run.
    MLC_CHECK_CTX(amz::check_orders_options(
                      {.api = p.amazon->orders_api,
                       .window = {.start = p.options.start, .overlap = p.options.overlap},
                       .page_size = p.options.page_size},
                      deps.clock.now(), p.amazon->client->config().connection),
                  "flow " + flow.name + " (options.start)");
    wire(p);
    auto runner = std::make_unique<pipeline::Flow>(parts);
    pipeline::add_poll(*runner, p.orders);
    if (p.options.confirm_shipments) {
        wire_confirmations(p.confirmations, *p.epicor->client, *p.amazon->client, p.options);
        pipeline::add_poll(*runner, p.confirmations.stream);
    }
    return std::unique_ptr<engine::FlowRunner>(std::move(runner));
}

void add_amazon_epicor_recipes(engine::RecipeRegistry& registry) {
    registry.add(kOrdersRecipe, make_orders_runner);
}

}  // namespace mlc::flows::amazon_epicor
